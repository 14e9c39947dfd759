"""The situation report: report.html (map, timeline, figures by claimant, sources) and report.md.

`write_report` is what the pipeline calls; `build`, `render_html` and
`render_markdown` are the parts, for tests and other front ends.

>>> paths = write_report(Path("out"), stories, events, claims, documents)   # doctest: +SKIP
>>> [p.name for p in paths]   # doctest: +SKIP
['report.html', 'report.md']
"""

from __future__ import annotations

from pathlib import Path

from ..export import write_atomic
from ..records import Claim, Document
from . import assets as _assets
from .html import render_html
from .markdown import render_markdown
from .compose import build
from .model import Report

__all__ = ["Report", "build", "render_html", "render_markdown", "write_report"]


def write_report(out_dir: Path, stories: list[dict], events: list[dict], claims: list[Claim],
                 documents: dict[str, Document]) -> list[Path]:
    """Write report.html and report.md into *out_dir*; without Leaflet the page has no map and says why."""
    report = build(stories, events, claims, documents)
    found = _assets.load()
    html = render_html(report, found)
    md = render_markdown(report)
    return [write_atomic(Path(out_dir) / "report.html", lambda fh: fh.write(html)),
            write_atomic(Path(out_dir) / "report.md", lambda fh: fh.write(md))]
