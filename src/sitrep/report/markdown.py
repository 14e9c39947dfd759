"""Render the report model as Markdown (report.md) for mail, tickets and wikis.

Every value is escaped by the environment's `finalize`, so article text can
neither open HTML (many Markdown viewers render raw HTML) nor form links,
emphasis or table cells. Numbers carry footnotes that hold their quotes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from . import words as w
from .chart import Series, changes
from .html import TEMPLATES
from .model import Report, Tok

_SPECIAL = re.compile(r"([\\`*_\[\]{}|#!~])")
_SPACE = re.compile(r"\s+")


class Md(str):
    """Markdown sitrep built itself: passed through unescaped."""


def md_escape(value) -> str:
    if isinstance(value, Md):
        return value
    text = "" if value is None else str(value)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _SPECIAL.sub(r"\\\1", _SPACE.sub(" ", text))  # one line: a newline would end a list item or cell


def toks(items: list[Tok]) -> Md:
    """Running text: figures get a footnote with their quote, citations stay [n]."""
    out = []
    for t in items:
        if t.kind == "fig" and t.q is not None:
            out.append(f"**{md_escape(t.text)}**[^q{t.q}]")
        elif t.kind == "fig":
            out.append(f"**{md_escape(t.text)}**")
        elif t.kind == "ref":
            out.append(f"\\[{t.n}\\]")
        else:
            out.append(md_escape(t.text))
    return Md("".join(out))


def changed(series: Series) -> Md:
    """A chart's claimant in words: 'BLA (armed group): **more than 80**[^q3] on 1 February 2026, then …'."""
    out, day = [], None
    for p in changes(series.points):
        fig = f"**{md_escape(p.text)}**" + (f"[^q{p.q}]" if p.q is not None else "")
        same = bool(out) and p.day is not None and p.day == day
        when = "undated" if p.day is None else "the same day" if same else f"on {w.day(p.day)}"
        out.append(f"{fig} {when}")
        day = p.day
    name = md_escape(series.claimant) + (f" ({md_escape(series.kind)})" if series.kind else "")
    return Md(f"{name}: " + ", then ".join(out))


def render_markdown(report: Report) -> str:
    return "".join(markdown_chunks(report))


def markdown_chunks(report: Report) -> Iterator[str]:
    """`render_markdown`'s text a piece at a time."""
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=False, finalize=md_escape,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["toks"] = toks
    env.filters["changed"] = changed
    return env.get_template("report.md.j2").generate(report=report)
