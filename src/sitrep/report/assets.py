"""The browser parts of the report, found in node_modules/ (installed by `make install` from package.json).

Leaflet's script and stylesheet are inlined into the page, its images as data
URIs, so the report works opened from disk with no network. When they are
missing the report is written without its map and says why (STYLE: a part
that cannot run says "disabled: reason").
"""

from __future__ import annotations

import base64
import functools
import logging
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

LEAFLET = Path("leaflet/dist")
WORLD = Path("world-atlas/countries-50m.json")
_CSS_URL = re.compile(r"url\((['\"]?)images/([\w.-]+\.png)\1\)")


@dataclass(frozen=True)
class Assets:
    """What the page can inline; `disabled` holds one reason per missing part."""

    leaflet_js: str | None = None
    leaflet_css: str | None = None
    world: Path | None = None
    disabled: tuple[str, ...] = ()


def node_modules() -> Path | None:
    """The node_modules folder holding Leaflet: $SITREP_NODE_MODULES, else beside the checkout or the cwd."""
    env = os.environ.get("SITREP_NODE_MODULES")
    if env is not None:  # set, even empty: only this one (tests use it to switch the map off)
        return Path(env) if env and (Path(env) / LEAFLET / "leaflet.js").is_file() else None
    for base in (Path(__file__).resolve(), Path.cwd().resolve()):
        for folder in (base, *base.parents):
            if (folder / "node_modules" / LEAFLET / "leaflet.js").is_file():
                return folder / "node_modules"
    return None


def load() -> Assets:
    """Read the assets once per folder; log each missing part once per process."""
    nm = node_modules()
    assets = _load(str(nm) if nm else "")
    for reason in assets.disabled:
        _say_once(reason)
    return assets


@functools.lru_cache(maxsize=4)
def _load(folder: str) -> Assets:
    if not folder:
        why = ("npm is not installed" if shutil.which("npm") is None
               else "the npm packages are not installed (node_modules/leaflet is missing)")
        return Assets(disabled=(f"map disabled: {why}; run `make install` (needs Node.js and npm) "
                                f"and run sitrep again",))
    root = Path(folder)
    images = root / LEAFLET / "images"

    def inline(m: re.Match) -> str:
        png = images / m.group(2)
        if not png.is_file():
            return "none"
        return "url(data:image/png;base64," + base64.b64encode(png.read_bytes()).decode("ascii") + ")"

    js = (root / LEAFLET / "leaflet.js").read_text(encoding="utf-8")
    css = _CSS_URL.sub(inline, (root / LEAFLET / "leaflet.css").read_text(encoding="utf-8"))
    world = root / WORLD
    disabled = () if world.is_file() else (
        f"offline basemap disabled: {WORLD} is missing from {root}; run `make install`",)
    # The page embeds these in <script>/<style>; a closing tag inside would end them early.
    js, css = js.replace("</script", "<\\/script"), css.replace("</style", "<\\/style")
    return Assets(js, css, world if world.is_file() else None, disabled)


@functools.lru_cache(maxsize=None)
def _say_once(reason: str) -> None:
    log.warning("report: %s", reason)
