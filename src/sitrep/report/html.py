"""Render the report model to one self-contained HTML page.

Article text is untrusted. Jinja2 autoescapes every value; the only unescaped
insertions are sitrep's own assets and `script_json`, whose escaping keeps a
`</script>` inside an article from ending the data block. A Content Security
Policy that allows only the page's own scripts (by hash) is the second line:
even markup that slipped through could not run.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from . import basemap
from .assets import Assets
from .model import Report

TEMPLATES = Path(__file__).parent / "templates"
OSM_TILES = "https://tile.openstreetmap.org"
_JS_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026",
               0x2028: "\\u2028", 0x2029: "\\u2029"}


def script_json(data) -> Markup:
    """JSON safe inside <script>: no '<', '>' or '&' survive, so no tag can be closed or opened."""
    return Markup(json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_JS_ESCAPES))


def _env() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    return env


def environment(*folders: Path) -> Environment:
    """The report's Jinja environment (escaping, filters, globals) loading from *folders* first, then the
    report's templates: how another page (the web app's story page) is built from the report's parts."""
    env = _env()
    env.loader = FileSystemLoader([*folders, TEMPLATES])
    return env


def page_data(report: Report, assets: Assets) -> dict:
    """What report.js reads from the page's JSON block: each story's map markers and the basemap."""
    with_map = assets.leaflet_js is not None
    points = [(m["lat"], m["lon"]) for s in report.stories for m in s.markers]
    return {"maps": [{"story": s.id, "markers": s.markers} for s in report.stories if s.markers] if with_map else [],
            "basemap": basemap.countries_near(assets.world, points) if with_map and assets.world else None,
            "osm": OSM_TILES + "/{z}/{x}/{y}.png"}


def _sha(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def render_html(report: Report, assets: Assets) -> str:
    """The page as a string; *assets* decide whether it has a map."""
    return "".join(html_chunks(report, assets))


def html_chunks(report: Report, assets: Assets) -> Iterator[str]:
    """`render_html`'s text a piece at a time, for writing a large report without holding it whole."""
    with_map = assets.leaflet_js is not None
    data = page_data(report, assets)
    app_js = (TEMPLATES / "report.js").read_text(encoding="utf-8")
    css = (TEMPLATES / "report.css").read_text(encoding="utf-8")
    scripts = [assets.leaflet_js, app_js] if with_map else [app_js]
    csp = ("default-src 'none'; script-src " + " ".join(_sha(s) for s in scripts) + "; style-src 'unsafe-inline'; "
           f"img-src data:{' ' + OSM_TILES if with_map else ''}; base-uri 'none'; form-action 'none'")
    return _env().get_template("report.html.j2").generate(
        report=report, with_map=with_map, notices=report.notices + list(assets.disabled), csp=csp,
        data_json=script_json(data), leaflet_js=Markup(assets.leaflet_js or ""),
        leaflet_css=Markup(assets.leaflet_css or ""), app_js=Markup(app_js), css=Markup(css))
