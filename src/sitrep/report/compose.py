"""Build the report model from stories, events, claims and the cited documents."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from ..records import Claim, Document
from .model import Quote, Quotes, Report, Source
from .story import story_view


def build(stories: list[dict], events: list[dict], claims: list[Claim], docs: dict[str, Document],
          notices: list[str] | None = None) -> Report:
    """The whole report, newest story first; *docs* must hold every document the stories cite."""
    stories = sorted(stories, key=lambda s: (s.get("date_end") or "", s.get("id")), reverse=True)
    order = [d for s in stories for d in list(s.get("doc_ids", [])) + list((s.get("copies") or {}))]
    order += [d for e in events for d in e.get("doc_ids", [])]
    order = [d for d in dict.fromkeys(order) if d in docs]
    numbers = {d: i for i, d in enumerate(order, 1)}
    quotes = Quotes(claims, docs, numbers)
    by_story: dict[str, list[dict]] = defaultdict(list)
    for e in events:
        by_story[e.get("story_id")].append(e)
    known = {s["id"] for s in stories}
    orphans = [e for sid, evs in by_story.items() if sid not in known for e in evs]
    if orphans:  # events outside any story still belong on the map
        stories = stories + [{"id": "other-events", "title": "Other events", "doc_ids": [], "figures": [],
                              "timeline": [], "contradictions": [], "date_start": None, "date_end": None}]
        by_story["other-events"] = orphans
    views = [story_view(s, by_story.get(s["id"], []), quotes, numbers) for s in stories]
    sources = [_source(docs[d], numbers, quotes) for d in order]
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return Report(stamp, views, sources, quotes.items, list(notices or []))


def _label(doc: Document) -> str:
    return doc.source or doc.title or doc.doc_id


def _source(doc: Document, numbers: dict[str, int], quotes: Quotes) -> Source:
    spans = [(q.start, q.end, q.id) for q in quotes.items if q.doc_id == doc.doc_id and q.start is not None]
    cuts = sorted({0, len(doc.text)} | {s for s, _, _ in spans} | {e for _, e, _ in spans})
    parts = []
    for a, b in zip(cuts, cuts[1:]):
        inside = tuple(i for s, e, i in spans if s <= a and b <= e)
        starts = tuple(i for s, _, i in spans if s == a)
        parts.append((doc.text[a:b], inside, starts))
    return Source(numbers[doc.doc_id], doc.doc_id, _label(doc), doc.title, doc.source,
                  doc.published.isoformat() if doc.published else None, doc.url, doc.fmt,
                  numbers.get(doc.duplicate_of) if doc.duplicate_of else None, _opening(doc.text), parts)


def _opening(text: str, limit: int = 110) -> str:
    """The first words of a source, so an untitled text can be recognised in the list."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def source(doc: Document, claims: list[Claim]) -> tuple[Source, list[Quote]]:
    """One document's view with the quotes of *claims* (its own) marked, for a page that shows one source;
    the i-th quote is the i-th claim's."""
    numbers = {doc.doc_id: 1}
    quotes = Quotes([c for c in claims if c.doc_id == doc.doc_id], {doc.doc_id: doc}, numbers)
    return _source(doc, numbers, quotes), quotes.items
