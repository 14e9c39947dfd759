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
from .html import html_chunks, render_html
from .markdown import markdown_chunks, render_markdown
from .compose import build
from .model import Report

__all__ = ["Report", "build", "render_html", "render_markdown", "write_report"]


def write_report(out_dir: Path, stories: list[dict], events: list[dict], claims: list[Claim],
                 documents: dict[str, Document]) -> list[Path]:
    """Write report.html and report.md into *out_dir*; without Leaflet the page has no map and says why."""
    report = build(stories, events, claims, documents)
    found = _assets.load()
    # written as rendered, a piece at a time: the page of a large corpus's stories runs to tens of MB
    return [write_atomic(Path(out_dir) / "report.html", lambda fh: fh.writelines(html_chunks(report, found))),
            write_atomic(Path(out_dir) / "report.md", lambda fh: fh.writelines(markdown_chunks(report)))]
