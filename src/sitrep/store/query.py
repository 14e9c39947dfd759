"""Read-only queries over a store for the analyst's desk: filtered, counted, paged and streamed.

Everything here reads what fusion stored (the events' and stories' filter columns and their
``data``); nothing is recomputed. `sitrep.desk` turns these rows into pages and exports; the web app,
the CLI and `sitrep.open` call `sitrep.desk`.

Filters are SQL on the indexed columns. Names a person types (country, admin1, event type) match
whatever case the store uses (Python's lower(), on every database): the stored spellings are looked up
first, then compared for equality, so the index still serves the main query.

What one answer holds is read from one snapshot of the store (`snapshot`): a page's total is the
count of the rows it pages, a story comes with its own events, documents and claims, also while
`sitrep watch` or an ingest writes to the store from another connection.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from ..engine import batched
from . import Store, _claim, _document
from . import schema as t

STREAM_BATCH = 500  # rows fetched at a time by the streaming readers


@contextlib.contextmanager
def snapshot(store: Store) -> Iterator[Connection]:
    """A read-only connection whose statements all see the store as one moment left it.

    PostgreSQL: a REPEATABLE READ transaction (READ COMMITTED, the default, lets each statement see
    what committed since the last). SQLite (WAL): a transaction begun before the first read; its
    snapshot holds until the connection goes back to the pool, which rolls it back."""
    with store.engine.connect() as c:
        if c.dialect.name == "postgresql":
            c = c.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        elif c.dialect.name == "sqlite":
            c.exec_driver_sql("BEGIN")
        yield c


@dataclass(frozen=True)
class EventFilter:
    """Which events: every field None matches all. Dates are inclusive; `place` is a substring of the
    location and `actor` of actor1 or actor2, both case-insensitive."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    country: str | None = None
    admin1: str | None = None
    place: str | None = None
    actor: str | None = None
    event_type: str | None = None
    min_fatalities: int | None = None
    story_id: str | None = None


@dataclass(frozen=True)
class ClaimFilter:
    """Which claims: equality on each field given; `story_id` selects the claims of its documents."""

    predicate: str | None = None
    category: str | None = None
    claimant_type: str | None = None
    hedge: str | None = None
    doc_id: str | None = None
    story_id: str | None = None


def _like(value: str) -> str:
    """*value* as a LIKE pattern matching it anywhere, its own % and _ taken literally."""
    return "%" + value.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _spellings(c, column, value: str) -> list[str]:
    """The stored values of *column* equal to *value* but for case (a short scan of distinct values)."""
    return list(c.scalars(select(column).where(func.lower(column) == value.lower()).distinct()))


def _event_where(c, f: EventFilter) -> list[ColumnElement]:
    e = t.events.c
    where: list[ColumnElement] = []
    if f.date_from is not None:
        where.append(e.event_date >= f.date_from)
    if f.date_to is not None:
        where.append(e.event_date <= f.date_to)
    for column, value in ((e.country, f.country), (e.admin1, f.admin1), (e.event_type, f.event_type)):
        if value:
            where.append(column.in_(_spellings(c, column, value)))
    if f.place:
        where.append(func.lower(e.location).like(_like(f.place), escape="\\"))
    if f.actor:
        pattern = _like(f.actor)
        where.append(or_(func.lower(e.actor1).like(pattern, escape="\\"),
                         func.lower(e.actor2).like(pattern, escape="\\")))
    if f.min_fatalities is not None:
        where.append(e.fatalities >= f.min_fatalities)
    if f.story_id:
        where.append(e.story_id == f.story_id)
    return where


def _id_order(newest_first: bool) -> list:
    """events.csv's order (`export.in_id_order`: day, undated last, then country code and running
    number, PAK2 before PAK10), or the newest day first with the same order within a day."""
    e = t.events.c
    day = [e.event_date.is_(None), e.event_date.desc() if newest_first else e.event_date]
    return day + [func.substr(e.event_id, 1, 3), func.length(e.event_id), e.event_id]


def events_page(store: Store, f: EventFilter, limit: int, offset: int,
                newest_first: bool = True) -> tuple[int, list[dict]]:
    """(how many events match *f*, the event data of one page of them)."""
    with snapshot(store) as c:
        where = _event_where(c, f)
        total = c.scalar(select(func.count()).select_from(t.events).where(and_(True, *where)))
        rows = c.execute(select(t.events.c.data).where(and_(True, *where)).order_by(*_id_order(newest_first))
                         .limit(limit).offset(offset)).all()
    return total, [r.data for r in rows]


def _stream(store: Store, query, build=None) -> Iterator:
    """The rows of *query* (a query, or a function of the connection giving one) through one snapshot,
    fetched STREAM_BATCH at a time: memory stays flat however many rows there are. Nothing is read
    until the first row is asked for; closing the generator ends the read."""
    with snapshot(store) as c:
        if callable(query):
            query = query(c)
        result = c.execution_options(stream_results=True, yield_per=STREAM_BATCH).execute(query)
        for rows in result.partitions():
            yield from (build(r) for r in rows) if build else rows


def iter_events(store: Store, f: EventFilter) -> Iterator[dict]:
    """The data of every event matching *f*, in events.csv's order, streamed."""
    def query(c):
        return select(t.events.c.data).where(and_(True, *_event_where(c, f))).order_by(*_id_order(False))
    return (r.data for r in _stream(store, query))


def facets(store: Store) -> dict[str, list[str]]:
    """The distinct countries, admin1 names and event types of the stored events, sorted (for forms)."""
    e = t.events.c
    out = {}
    with store.engine.connect() as c:
        for name, column in (("country", e.country), ("admin1", e.admin1), ("event_type", e.event_type)):
            out[name] = sorted(v for v in c.scalars(select(column).distinct()) if v)
    return out


# -- stories ------------------------------------------------------------------------------------------

def _story_columns():
    s = t.stories.c
    events = (select(func.count()).select_from(t.events).where(t.events.c.story_id == s.story_id)
              .scalar_subquery())
    return (s.story_id, s.title, s.date_start, s.date_end, s.digest, s.changed_at, s.fatalities, s.documents,
            events.label("events"))


def stories_page(store: Store, limit: int, offset: int, since: dt.datetime | None = None) -> tuple[int, list]:
    """(how many stories, one page of their summary rows, latest first); with *since*, only those
    changed at or after it."""
    s = t.stories.c
    where = [s.changed_at >= _naive_utc(since)] if since is not None else []
    with snapshot(store) as c:
        total = c.scalar(select(func.count()).select_from(t.stories).where(and_(True, *where)))
        rows = c.execute(select(*_story_columns(), s.data).where(and_(True, *where))
                         .order_by(s.date_end.is_(None), s.date_end.desc(), s.date_start.desc(), s.story_id)
                         .limit(limit).offset(offset)).all()
    return total, rows


def story_row(store: Store, story_id: str):
    """The stored row of one story (summary columns and data), or None."""
    with store.engine.connect() as c:
        return c.execute(select(*_story_columns(), t.stories.c.data)
                         .where(t.stories.c.story_id == story_id)).first()


def story_stamp(store: Store, story_id: str):
    """(digest, changed_at) of one story, or None: what a page polls to know it changed."""
    with store.engine.connect() as c:
        return c.execute(select(t.stories.c.digest, t.stories.c.changed_at)
                         .where(t.stories.c.story_id == story_id)).first()


def iter_stories(store: Store) -> Iterator[dict]:
    """Every story's data in stories.json's order (`Store.stories`), streamed."""
    s = t.stories.c
    return (r.data for r in _stream(store, select(s.data).order_by(s.date_start, s.story_id)))


def story_events(store: Store, story_id: str, c: Connection | None = None) -> list[dict]:
    if c is None:
        with snapshot(store) as c:
            return story_events(store, story_id, c)
    return [r.data for r in c.execute(select(t.events.c.data).where(t.events.c.story_id == story_id)
                                      .order_by(*_id_order(False)))]


def story_bundle(store: Store, story_id: str):
    """(story row, its events, the documents it and they cite by id, (claim id, Claim) of those documents),
    all from one snapshot; None when no story has that id."""
    with snapshot(store) as c:
        row = c.execute(select(*_story_columns(), t.stories.c.data).where(t.stories.c.story_id == story_id)).first()
        if row is None:
            return None
        evs = story_events(store, story_id, c)
        cited = dict.fromkeys([*row.data.get("doc_ids", []), *(row.data.get("copies") or {})])
        cited.update(dict.fromkeys(d for e in evs for d in e.get("doc_ids", [])))
        docs = documents(store, cited, c)
        return row, evs, docs, claims_of(store, docs, c)


# -- claims -------------------------------------------------------------------------------------------

def _claim_where(f: ClaimFilter) -> list[ColumnElement]:
    k = t.claims.c
    where = [getattr(k, name) == value for name in ("predicate", "category", "claimant_type", "hedge", "doc_id")
             if (value := getattr(f, name))]
    if f.story_id:
        where.append(k.doc_id.in_(select(t.story_docs.c.doc_id).where(t.story_docs.c.story_id == f.story_id)))
    return where


def claims_page(store: Store, f: ClaimFilter, limit: int, offset: int) -> tuple[int, list[tuple[int, object]]]:
    """(how many claims match *f*, one page of (claim id, Claim)), by document and position."""
    where = _claim_where(f)
    with snapshot(store) as c:
        total = c.scalar(select(func.count()).select_from(t.claims).where(and_(True, *where)))
        rows = c.execute(select(t.claims).where(and_(True, *where)).order_by(t.claims.c.id)
                         .limit(limit).offset(offset)).all()
    return total, [(r.id, claim) for r in rows if (claim := _claim(r)) is not None]


def iter_claims(store: Store, f: ClaimFilter) -> Iterator:
    """Every claim matching *f* (claims.jsonl's order), streamed."""
    query = select(t.claims).where(and_(True, *_claim_where(f))).order_by(t.claims.c.id)
    return filter(None, _stream(store, query, _claim))


def claims_of(store: Store, doc_ids, c: Connection | None = None) -> list[tuple[int, object]]:
    """(claim id, Claim) of the documents *doc_ids*, by document and position."""
    if c is None:
        with snapshot(store) as c:
            return claims_of(store, doc_ids, c)
    out = []
    for chunk in batched(sorted(set(doc_ids)), 500):
        rows = c.execute(select(t.claims).where(t.claims.c.doc_id.in_(chunk)).order_by(t.claims.c.id)).all()
        out += [(r.id, claim) for r in rows if (claim := _claim(r)) is not None]
    return sorted(out, key=lambda x: x[0])


# -- documents ----------------------------------------------------------------------------------------

def documents(store: Store, doc_ids, c: Connection | None = None) -> dict:
    """The stored documents among *doc_ids*, by id (in id order)."""
    if c is None:
        return {d.doc_id: d for d in store.documents_by_id(doc_ids)}
    out = {}
    for chunk in batched(sorted(set(doc_ids)), 500):
        rows = c.execute(select(t.documents).where(t.documents.c.doc_id.in_(chunk))
                         .order_by(t.documents.c.doc_id)).all()
        out.update((r.doc_id, _document(r)) for r in rows)
    return out


def stories_citing(store: Store, doc_id: str) -> list[tuple[str, str]]:
    """(story id, title) of the stories that list document *doc_id*."""
    with store.engine.connect() as c:
        return [tuple(r) for r in c.execute(
            select(t.stories.c.story_id, t.stories.c.title)
            .join(t.story_docs, t.story_docs.c.story_id == t.stories.c.story_id)
            .where(t.story_docs.c.doc_id == doc_id).order_by(t.stories.c.story_id))]


def _naive_utc(when: dt.datetime) -> dt.datetime:
    """*when* as the store keeps times: UTC, without a zone (SQLite drops it)."""
    return when.astimezone(dt.timezone.utc).replace(tzinfo=None) if when.tzinfo else when
