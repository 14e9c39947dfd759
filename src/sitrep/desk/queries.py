"""The desk's queries and streamed exports over an open store (see `sitrep.desk`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from ..errors import QueryError
from ..export.acled import event_row, events_csv_chunks, events_jsonl_chunks
from ..export.geo import geojson_chunks, stories_chunks
from ..export import jsonl_chunks
from ..store import Store
from ..store import query as q

__all__ = ["Page", "stories", "story", "story_stamp", "fused_at", "events", "claims", "document", "facets", "story_report",
           "events_csv", "events_jsonl", "events_geojson", "stories_json", "claims_jsonl", "CHANGED_MARGIN"]

DEFAULT_LIMIT = 50
# A story saved this long before the last fusion still counts as changed in it: one fusion stamps both with
# the same time, the margin only covers a backend that keeps times coarser than the meta text.
CHANGED_MARGIN = dt.timedelta(seconds=1)
HEADLINE = ("killed", "killed_or_injured", "injured", "captured")   # the figures a story list shows, in this order


@dataclass(frozen=True)
class Page:
    """One page of a longer list: `total` items match, these are `items[offset:offset + limit]`."""

    items: list
    total: int
    limit: int | None
    offset: int = 0

    def as_dict(self) -> dict:
        return {"total": self.total, "limit": self.limit, "offset": self.offset, "items": self.items}

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


def _paging(limit, offset) -> tuple[int | None, int]:
    if limit is not None and (not isinstance(limit, int) or limit < 0):
        raise QueryError(f"limit must be a whole number from 0 up, got {limit!r}")
    if not isinstance(offset, int) or offset < 0:
        raise QueryError(f"offset must be a whole number from 0 up, got {offset!r}")
    return limit, offset


def _day(name: str, value) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise QueryError(f"{name} must be a date written YYYY-MM-DD, got {value!r}") from None


def _when(value) -> dt.datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value
    try:
        return dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise QueryError(f"since must be an ISO 8601 time such as 2026-05-09T10:00:00Z, got {value!r}") from None


def _utc(value) -> dt.datetime | None:
    """A stored or given time as an aware UTC datetime (the store keeps UTC, SQLite without the zone)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value.replace(tzinfo=dt.timezone.utc) if value.tzinfo is None else value.astimezone(dt.timezone.utc)


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def fused_at(store: Store) -> dt.datetime | None:
    """When the store's stories were last built (all of them, or those new documents touched)."""
    return _utc(store.meta_value("fused_at"))


def _changed(changed_at, since: dt.datetime | None) -> bool:
    changed_at = _utc(changed_at)
    return changed_at is not None and since is not None and changed_at >= since


def _headline(data: dict) -> list[dict]:
    figs = [f for f in data.get("figures", []) if f.get("predicate") in HEADLINE]
    figs.sort(key=lambda f: (HEADLINE.index(f["predicate"]), -(f.get("best") or 0)))
    return [{k: f.get(k) for k in ("predicate", "category", "low", "best", "high")} for f in figs[:3]]


def _summary(row, since: dt.datetime | None) -> dict:
    return {"id": row.story_id, "title": row.title, "date_start": _iso(row.date_start), "date_end": _iso(row.date_end),
            "documents": row.documents, "events": row.events, "fatalities": row.fatalities,
            "figures": _headline(row.data), "changed_at": _iso(_utc(row.changed_at)),
            "changed": _changed(row.changed_at, since), "digest": row.digest}


def _changed_since(store: Store, since) -> dt.datetime | None:
    """The time a story must have changed at or after to be marked changed: *since*, else the last fusion
    (less a margin)."""
    since = _utc(_when(since))
    if since is not None:
        return since
    last = fused_at(store)
    return last - CHANGED_MARGIN if last is not None else None


def stories(store: Store, *, limit: int | None = DEFAULT_LIMIT, offset: int = 0, since=None) -> Page:
    """The stories, latest first (by their last day), each with its counts (documents, events), its
    fatalities and headline figures, and `changed`: it changed in the latest fusion (or, with *since*,
    at or after that time, and then only such stories are listed)."""
    limit, offset = _paging(limit, offset)
    mark = _changed_since(store, since)
    total, rows = q.stories_page(store, limit, offset, since=mark if since not in (None, "") else None)
    return Page([_summary(r, mark) for r in rows], total, limit, offset)


def story(store: Store, story_id: str) -> dict | None:
    """A story as stories.json holds it, plus `digest`, `changed_at`, `changed` and its event count;
    None when no story has that id."""
    row = q.story_row(store, story_id)
    if row is None:
        return None
    return dict(row.data) | {"digest": row.digest, "changed_at": _iso(_utc(row.changed_at)),
                             "changed": _changed(row.changed_at, _changed_since(store, None)),
                             "n_events": row.events}


def story_stamp(store: Store, story_id: str) -> dict | None:
    """Just what tells a story changed: {id, digest, changed_at}, or None. Cheap enough to poll."""
    row = q.story_stamp(store, story_id)
    return None if row is None else {"id": story_id, "digest": row.digest, "changed_at": _iso(_utc(row.changed_at))}


def _event_filter(date_from=None, date_to=None, country=None, admin1=None, place=None, actor=None,
                  event_type=None, min_fatalities=None, story_id=None) -> q.EventFilter:
    if min_fatalities is not None and (not isinstance(min_fatalities, int) or isinstance(min_fatalities, bool)):
        raise QueryError(f"min_fatalities must be a whole number, got {min_fatalities!r}")
    return q.EventFilter(_day("date_from", date_from), _day("date_to", date_to), country or None, admin1 or None,
                         place or None, actor or None, event_type or None, min_fatalities, story_id or None)


def events(store: Store, *, date_from=None, date_to=None, country: str | None = None, admin1: str | None = None,
           place: str | None = None, actor: str | None = None, event_type: str | None = None,
           min_fatalities: int | None = None, story_id: str | None = None,
           limit: int | None = DEFAULT_LIMIT, offset: int = 0) -> Page:
    """The events matching every filter given, newest day first, as events.jsonl's rows.

    *country*, *admin1* and *event_type* match the stored name in any case; *place* is part of the
    location and *actor* part of actor1 or actor2 (any case); dates are inclusive; *min_fatalities*
    keeps events with at least that many.
    """
    limit, offset = _paging(limit, offset)
    f = _event_filter(date_from, date_to, country, admin1, place, actor, event_type, min_fatalities, story_id)
    total, rows = q.events_page(store, f, limit, offset)
    return Page([event_row(e) for e in rows], total, limit, offset)


def _claim_filter(predicate=None, category=None, claimant_type=None, hedge=None, doc_id=None,
                  story_id=None) -> q.ClaimFilter:
    return q.ClaimFilter(predicate or None, category or None, claimant_type or None, hedge or None, doc_id or None,
                         story_id or None)


def _claim_item(claim_id: int, claim) -> dict:
    return {"claim_id": claim_id} | claim.as_dict()


def claims(store: Store, *, predicate: str | None = None, category: str | None = None,
           claimant_type: str | None = None, hedge: str | None = None, doc_id: str | None = None,
           story_id: str | None = None, limit: int | None = DEFAULT_LIMIT, offset: int = 0) -> Page:
    """The claims matching every filter given (SPEC §3 codes), by document and position, as claims.jsonl's
    rows plus `claim_id` (what a link to the claim's quote names). *story_id*: the claims of its documents."""
    limit, offset = _paging(limit, offset)
    f = _claim_filter(predicate, category, claimant_type, hedge, doc_id, story_id)
    total, rows = q.claims_page(store, f, limit, offset)
    return Page([_claim_item(i, c) for i, c in rows], total, limit, offset)


def document(store: Store, doc_id: str) -> dict | None:
    """A stored document: its metadata, its text (what claim offsets point into), the stories listing it
    and its claims; None when no document has that id."""
    doc = store.get_document(doc_id)
    if doc is None:
        return None
    return {"doc_id": doc.doc_id, "title": doc.title, "source": doc.source, "url": doc.url,
            "published": _iso(doc.published), "fmt": doc.fmt, "origin": doc.origin, "country": doc.country,
            "duplicate_of": doc.duplicate_of, "text": doc.text,
            "stories": [{"id": i, "title": title} for i, title in q.stories_citing(store, doc_id)],
            "claims": [_claim_item(i, c) for i, c in q.claims_of(store, [doc_id])]}


def facets(store: Store) -> dict[str, list[str]]:
    """The distinct countries, admin1 names and event types of the stored events (choices for a form)."""
    return q.facets(store)


def story_report(store: Store, story_id: str, notices: list[str] | None = None):
    """The report model (`sitrep.report.Report`) of one story, as report.html would show it: its events, the
    claims of the documents it cites and their stored texts. None when no story has that id."""
    from ..report import build

    found = q.story_bundle(store, story_id)
    if found is None:
        return None
    row, evs, docs, claims_ = found
    data = row.data
    claims_ = [c for _, c in claims_]
    return build([data], evs, claims_, docs, notices)


# -- streaming exports: generators of text chunks, memory flat however large the store --------------------

def events_csv(store: Store, **filters) -> Iterator[str]:
    """events.csv's text (ACLED's columns, cells made safe for spreadsheets) for the events matching
    *filters* (as `events` takes them), in the file's order."""
    return events_csv_chunks(q.iter_events(store, _event_filter(**filters)))


def events_jsonl(store: Store, **filters) -> Iterator[str]:
    """events.jsonl's lines for the events matching *filters*, in the file's order."""
    return events_jsonl_chunks(q.iter_events(store, _event_filter(**filters)))


def events_geojson(store: Store, **filters) -> Iterator[str]:
    """places.geojson's text for the located events matching *filters*."""
    return geojson_chunks(q.iter_events(store, _event_filter(**filters)))


def stories_json(store: Store) -> Iterator[str]:
    """stories.json's text: every story."""
    return stories_chunks(q.iter_stories(store))


def claims_jsonl(store: Store, **filters) -> Iterator[str]:
    """claims.jsonl's lines for the claims matching *filters* (as `claims` takes them)."""
    return jsonl_chunks(c.as_dict() for c in q.iter_claims(store, _claim_filter(**filters)))
