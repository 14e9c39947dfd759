"""The store: an adapter that keeps documents and everything derived from them.

Stages never touch it; the pipeline hands them records and saves what they
return. SQLite by default, any SQLAlchemy URL (PostgreSQL via psycopg) works.

What is read back does not depend on the database: ids and paths come in code point order
(PostgreSQL is told `COLLATE "C"`, its default collation may sort "a_c" before "B"), SQL's lower()
lowers every letter as Python does (SQLite's own lowers ASCII letters only), a missing
date sorts first as in SQLite, times are stored as UTC without a zone, and a document's strings
are cleaned of what PostgreSQL refuses (NUL) and held to the id column's length on every database.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Iterable, Iterator

import numpy as np
from sqlalchemy import bindparam, create_engine, delete, event, func, insert, inspect, select, text, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError

from ..engine import batched
from ..errors import StoreError
from ..ingest import dedup
from ..ingest.normalize import clean_field
from ..nlp.numbers import MAX_COUNT
from ..ingest.readers import short_hash
from ..records import Claim, Document, EmbeddedPost, Problem
from . import schema as t

log = logging.getLogger(__name__)

__all__ = ["Store", "open_store"]


def _sqlite_pragmas(dbapi_conn, _record):
    cur = dbapi_conn.cursor()
    # First, so that the pragmas below wait for a writer too instead of failing "database is locked".
    cur.execute("PRAGMA busy_timeout=30000")
    # WAL + NORMAL: a process killed mid-run loses at most the open transaction, never the file.
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()
    # SQLite's own lower() folds ASCII letters only ("Équateur" stays "Équateur"); PostgreSQL's folds every
    # letter. The desk's any-case filters (sitrep.store.query) use lower(): on SQLite it is Python's.
    dbapi_conn.create_function("lower", 1, _lower, deterministic=True)


def _lower(value):
    return value.lower() if isinstance(value, str) else value


def open_store(url: str) -> "Store":
    """Open (creating if needed) the store at SQLAlchemy *url*."""
    return Store(url)


class Store:
    """Documents, problems and derived rows behind one SQLAlchemy engine."""

    def __init__(self, url: str):
        self.url = url
        try:
            self.engine: Engine = create_engine(url, future=True)
        except (ArgumentError, ImportError) as e:
            raise StoreError(f"cannot use database URL {url!r}: {e}") from e
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        # Byte-wise (code point) order for ids and paths, as SQLite's default BINARY collation and
        # Python's sorted() give it; PostgreSQL's default collation is the server's locale's.
        self._bytewise = (lambda col: col.collate("C")) if self.engine.dialect.name == "postgresql" \
            else (lambda col: col)
        try:
            t.metadata.create_all(self.engine)
            with self.engine.begin() as c:
                version = c.scalar(select(t.meta.c.value).where(t.meta.c.key == "schema_version"))
                if version is None:
                    c.execute(insert(t.meta).values(key="schema_version", value=str(t.SCHEMA_VERSION)))
                elif int(version) != t.SCHEMA_VERSION:
                    self._upgrade(c, int(version))
                for table in t.metadata.sorted_tables:   # indexes added since the store was made
                    for index in table.indexes:
                        index.create(c, checkfirst=True)
        except OperationalError as e:
            raise StoreError(f"cannot open database {url!r}: {e.orig}") from e

    def _upgrade(self, c: Connection, version: int) -> None:
        """Bring a store of an earlier schema version up to this one (added columns only)."""
        if not (min(t.ADDED_COLUMNS, default=t.SCHEMA_VERSION) - 1 <= version < t.SCHEMA_VERSION):
            raise StoreError(f"{self.url}: store has schema version {version}, this sitrep needs "
                             f"{t.SCHEMA_VERSION}; use a new --out folder or --db")
        for v in range(version + 1, t.SCHEMA_VERSION + 1):
            for table, name in t.ADDED_COLUMNS.get(v, ()):
                if name in {col["name"] for col in inspect(c).get_columns(table)}:
                    continue
                column = t.metadata.tables[table].c[name]
                c.execute(text(f"ALTER TABLE {table} ADD COLUMN {name} "
                               f"{column.type.compile(dialect=c.dialect)}"))
        if version < 5:  # the columns the story list and the events filters read, copied out of the data
            for r in c.execute(select(t.stories.c.story_id, t.stories.c.data)).all():
                row = _story_row(r.data, story_digest(r.data), None)
                c.execute(update(t.stories).where(t.stories.c.story_id == r.story_id).values(
                    digest=row["digest"], fatalities=row["fatalities"], documents=row["documents"]))
            for r in c.execute(select(t.events.c.event_id, t.events.c.data)).all():
                row = _event_row(r.data)
                c.execute(update(t.events).where(t.events.c.event_id == r.event_id).values(
                    **{k: row[k] for k in ("country", "admin1", "event_type", "actor1", "actor2")}))
        c.execute(update(t.meta).where(t.meta.c.key == "schema_version").values(value=str(t.SCHEMA_VERSION)))

    def close(self) -> None:
        self.engine.dispose()

    # -- documents -----------------------------------------------------------------

    def add_documents(self, docs: Iterable[Document], *, threshold: float = 0.7, num_perm: int = 128,
                      shingle: int = 4) -> list[tuple[Document, str]]:
        """Store *docs* in one transaction; return each with its status.

        Status is ``new``, ``updated`` (same id and origin, new text),
        ``unchanged`` (already stored) or ``duplicate`` (new, and a near-copy of
        a stored text: `duplicate_of` names the original). Ids that clash with
        another origin's document get a suffix from the origin.
        """
        out = []
        try:
            with self.engine.begin() as c:
                for doc in docs:
                    out.append(self._add(c, _storable(doc), threshold, num_perm, shingle))
        except SQLAlchemyError as e:
            raise StoreError(f"could not save documents: {e}") from e
        return out

    def _add(self, c: Connection, doc: Document, threshold: float, num_perm: int, shingle: int):
        cols = (t.documents.c.origin, t.documents.c.content_hash, t.documents.c.country)
        row = c.execute(select(*cols).where(t.documents.c.doc_id == doc.doc_id)).first()
        if row is not None and row.origin != doc.origin:
            doc = _with(doc, doc_id=_fit_id(f"{doc.doc_id}_{short_hash(doc.origin, 8)}"))
            row = c.execute(select(*cols).where(t.documents.c.doc_id == doc.doc_id)).first()
        content_hash = doc.content_hash
        if row is not None and row.content_hash == content_hash:
            if row.country != doc.country:
                # Same text, new country hint (or a store from before hints were kept): still the
                # same document, but recognition runs again with the hint the input now gives.
                c.execute(update(t.documents).where(t.documents.c.doc_id == doc.doc_id)
                          .values(country=doc.country, stage="ingest"))
            return doc, "unchanged"
        status = "new"
        if row is not None:
            status = "updated"
            self._forget(c, doc.doc_id)
        sig = dedup.signature(doc.text, num_perm, shingle)
        keys = dedup.band_keys(sig, threshold)
        copies = self._candidates(c, doc.doc_id, sig, keys, threshold)
        original = self._original(c, doc, copies)
        if original is not None:
            doc = _with(doc, duplicate_of=original)
            status = "duplicate" if status == "new" else status
        c.execute(insert(t.documents).values(
            doc_id=doc.doc_id, origin=doc.origin, fmt=doc.fmt, title=doc.title, source=doc.source,
            url=doc.url, published=doc.published, country=doc.country, text=doc.text, content_hash=content_hash,
            embedded_posts=[_post_dict(p) for p in doc.embedded_posts], minhash=sig.tobytes(),
            duplicate_of=doc.duplicate_of, stage="ingest", ingested_at=_utc_naive(_now())))
        c.execute(insert(t.doc_bands), [{"key": k, "doc_id": doc.doc_id} for k in keys])
        if original is None:
            # This text comes before stored copies of it: they now point here.
            for r in copies:
                if r.duplicate_of is None and _first(doc.published, doc.doc_id) < _first(r.published, r.doc_id):
                    c.execute(update(t.documents).where(
                        (t.documents.c.doc_id == r.doc_id) | (t.documents.c.duplicate_of == r.doc_id))
                        .values(duplicate_of=doc.doc_id))
        return doc, status

    def _original(self, c, doc, copies) -> str | None:
        """The stored original *doc* is a near-copy of, if any.

        The earliest published text wins, a dated one before an undated one, and between equals the
        smaller id: the same texts make the same original in whatever order they arrive."""
        if not copies:
            return None
        root_id = copies[0].duplicate_of or copies[0].doc_id
        root = c.execute(select(t.documents.c.published).where(t.documents.c.doc_id == root_id)).first()
        if _first(doc.published, doc.doc_id) < _first(root.published, root_id):
            return None
        return root_id

    def _candidates(self, c, doc_id, sig, keys, threshold):
        """Stored documents whose signature is within *threshold* of *sig*.

        Pairs above the threshold share several bands; asking for two keeps
        templated or same-topic texts from turning into long candidate lists.
        """
        shared = (select(t.doc_bands.c.doc_id).where(t.doc_bands.c.key.in_(keys))
                  .group_by(t.doc_bands.c.doc_id).having(func.count() >= 2))
        rows = c.execute(select(t.documents.c.doc_id, t.documents.c.minhash, t.documents.c.published,
                                t.documents.c.duplicate_of)
                         .where(t.documents.c.doc_id.in_(shared), t.documents.c.doc_id != doc_id)
                         .order_by(t.documents.c.ingested_at, self._bytewise(t.documents.c.doc_id))).all()
        rows = [r for r in rows if r.minhash is not None and len(r.minhash) == sig.nbytes]
        if not rows:
            return []
        sims = (np.frombuffer(b"".join(r.minhash for r in rows), dtype=np.uint64).reshape(len(rows), -1)
                == sig).mean(axis=1)
        return [r for r, s in zip(rows, sims) if s >= threshold]

    def _forget(self, c, doc_id: str) -> None:
        """Delete a document and everything derived from it (before re-adding it)."""
        for table in (t.doc_bands, t.sentences, t.mentions, t.claims, t.story_docs):
            c.execute(delete(table).where(table.c.doc_id == doc_id))
        c.execute(update(t.documents).where(t.documents.c.duplicate_of == doc_id).values(duplicate_of=None))
        c.execute(delete(t.documents).where(t.documents.c.doc_id == doc_id))

    def get_document(self, doc_id: str) -> Document | None:
        """The stored document *doc_id* (an id too long for the store finds its shortened form)."""
        with self.engine.connect() as c:
            row = c.execute(select(t.documents).where(t.documents.c.doc_id == _fit_id(_clean(doc_id)))).first()
        return _document(row) if row is not None else None

    def iter_documents(self, *, stage: str | tuple[str, ...] | None = None, include_duplicates: bool = True,
                       batch: int = 500) -> Iterator[Document]:
        """Stored documents in id order (code points), read in batches so memory stays flat."""
        doc_id = self._bytewise(t.documents.c.doc_id)
        last = ""
        while True:
            q = select(t.documents).where(doc_id > last)
            if stage is not None:
                stages = (stage,) if isinstance(stage, str) else stage
                q = q.where(t.documents.c.stage.in_(stages))
            if not include_duplicates:
                q = q.where(t.documents.c.duplicate_of.is_(None))
            with self.engine.connect() as c:
                rows = c.execute(q.order_by(doc_id).limit(batch)).all()
            if not rows:
                return
            for row in rows:
                yield _document(row)
            last = rows[-1].doc_id

    def documents_by_id(self, ids: Iterable[str], *, stage: str | None = None,
                        include_duplicates: bool = True) -> Iterator[Document]:
        """The stored documents among *ids*, in id order."""
        for chunk in batched(sorted(set(ids)), 500):
            q = select(t.documents).where(t.documents.c.doc_id.in_(chunk))
            if stage is not None:
                q = q.where(t.documents.c.stage == stage)
            if not include_duplicates:
                q = q.where(t.documents.c.duplicate_of.is_(None))
            with self.engine.connect() as c:
                rows = c.execute(q.order_by(t.documents.c.doc_id)).all()
            yield from map(_document, rows)

    def count_documents(self) -> int:
        with self.engine.connect() as c:
            return c.scalar(select(func.count()).select_from(t.documents))

    # -- derived rows -----------------------------------------------------------------

    def save_extraction(self, doc_id: str, stage: str, sentences=(), mentions=(), claims=(),
                        embedding: bytes | None = None) -> None:
        """Replace a document's sentences, mentions and claims, and record the stage it reached."""
        with self.engine.begin() as c:
            self._save_extraction(c, doc_id, stage, sentences, mentions, claims, embedding)

    def save_extractions(self, rows: Iterable[tuple], problems: Iterable[Problem] = ()) -> None:
        """`save_extraction` for several documents, in one transaction: *rows* are (doc_id, stage,
        sentences, mentions, claims, embedding). Earlier problems of these documents are forgotten,
        and *problems* (extractions that failed) recorded, in the same transaction."""
        rows, problems = list(rows), _problem_rows(problems)
        with self.engine.begin() as c:
            ids = [clean_field(r[0]) for r in rows]
            if ids:
                c.execute(delete(t.problems).where(t.problems.c.path.in_(ids)))
            self._save_extractions(c, rows)
            if problems:
                c.execute(insert(t.problems), problems)

    @classmethod
    def _save_extraction(cls, c: Connection, doc_id: str, stage: str, sentences=(), mentions=(), claims=(),
                         embedding: bytes | None = None) -> None:
        cls._save_extractions(c, [(doc_id, stage, sentences, mentions, claims, embedding)])

    @staticmethod
    def _save_extractions(c: Connection, rows: list[tuple]) -> None:
        """Replace the sentences, mentions and claims of the documents of *rows* (see `save_extractions`):
        one statement per table for all of them, rows in the documents' order (a document's mentions
        keep the order extraction gave them: ids grow with each row)."""
        sentences, mentions, claims, stages = [], [], [], []
        for doc_id, stage, *found in rows:
            sents, ments, clms, embedding = (list(found) + [(), (), (), None])[:4]
            sentences += [{"doc_id": doc_id, "idx": i, "char_start": a, "char_end": b}
                          for i, (a, b) in enumerate(sents or ())]
            mentions += [{"doc_id": doc_id, **m} for m in ments or ()]
            claims += [c_.as_dict() | {"published": _date(c_.published)} for c_ in clms or ()
                       if _plausible(c_.low, c_.high, doc_id, c_.text_value)]
            stages.append({"key": doc_id, "new_stage": stage, "new_embedding": embedding})
        ids = [s["key"] for s in stages]
        for table in (t.sentences, t.mentions, t.claims):
            for chunk in batched(ids, 500):
                c.execute(delete(table).where(table.c.doc_id.in_(chunk)))
        for table, values in ((t.sentences, sentences), (t.mentions, mentions), (t.claims, claims)):
            if values:
                c.execute(insert(table), values)
        if stages:
            c.execute(update(t.documents).where(t.documents.c.doc_id == bindparam("key"))
                      .values(stage=bindparam("new_stage"), embedding=bindparam("new_embedding")), stages)

    def claims(self) -> list[Claim]:
        """Every stored claim, by document and position."""
        return list(self.iter_claims())

    def iter_claims(self, batch: int = 5000) -> Iterator[Claim]:
        """Stored claims by document and position, read in batches so memory stays flat."""
        last = 0
        while True:
            with self.engine.connect() as c:
                rows = c.execute(select(t.claims).where(t.claims.c.id > last).order_by(t.claims.c.id)
                                 .limit(batch)).all()
            if not rows:
                return
            yield from filter(None, map(_claim, rows))
            last = rows[-1].id

    def extractions(self, batch: int = 200, ids: Iterable[str] | None = None):
        """(document, sentences, mentions, claims, ingested_at, embedding) for every extracted original, in batches
        (with *ids*, for those documents only).

        *sentences* are the (start, end) offsets the per-document stage split the text into."""
        docs_ = (self.iter_documents(stage="claims", include_duplicates=False) if ids is None
                 else self.documents_by_id(ids, stage="claims", include_duplicates=False))
        for docs in batched(docs_, batch):
            ids = [d.doc_id for d in docs]
            with self.engine.connect() as c:
                # ties at one offset keep the order extraction gave (ids grow with each insert)
                ms = c.execute(select(t.mentions).where(t.mentions.c.doc_id.in_(ids))
                               .order_by(t.mentions.c.char_start, t.mentions.c.id)).all()
                cs = c.execute(select(t.claims).where(t.claims.c.doc_id.in_(ids))
                               .order_by(t.claims.c.char_start, t.claims.c.id)).all()
                ss = c.execute(select(t.sentences).where(t.sentences.c.doc_id.in_(ids))
                               .order_by(t.sentences.c.doc_id, t.sentences.c.idx)).all()
                extra = {r.doc_id: r for r in c.execute(
                    select(t.documents.c.doc_id, t.documents.c.ingested_at, t.documents.c.embedding)
                    .where(t.documents.c.doc_id.in_(ids))).all()}
            by_doc_m: dict[str, list] = {}
            for r in ms:
                by_doc_m.setdefault(r.doc_id, []).append(dict(r._mapping))
            by_doc_c: dict[str, list] = {}
            for r in cs:
                if (claim := _claim(r)) is not None:
                    by_doc_c.setdefault(r.doc_id, []).append(claim)
            by_doc_s: dict[str, list] = {}
            for r in ss:
                by_doc_s.setdefault(r.doc_id, []).append((r.char_start, r.char_end))
            for d in docs:
                e = extra[d.doc_id]
                vec = np.frombuffer(e.embedding, dtype=np.float32) if e.embedding else None
                yield (d, by_doc_s.get(d.doc_id, []), by_doc_m.get(d.doc_id, []), by_doc_c.get(d.doc_id, []),
                       _utc(e.ingested_at).timestamp(), vec)

    def copies(self) -> dict[str, str]:
        """Near-duplicate documents and the original each copies, in id order."""
        with self.engine.connect() as c:
            return dict(c.execute(select(t.documents.c.doc_id, t.documents.c.duplicate_of)
                                  .where(t.documents.c.duplicate_of.is_not(None))
                                  .order_by(self._bytewise(t.documents.c.doc_id))).all())

    def save_fusion(self, stories: list[dict], events: list[dict], replace: Iterable[str] | None = None,
                    first_days: dict[str, dt.date | None] | None = None, renamed: dict[str, str] | None = None
                    ) -> None:
        """Store *stories* and their *events*.

        With *replace* None every stored story and event is replaced (a full rebuild); else only the
        stories whose ids *replace* lists are (with their events) — what one new article touched.
        A story whose data is unchanged keeps its ``changed_at``; a new or different one gets now.
        *first_days* are the day of each story's earliest document (what `sitrep.fuse.live` reads back).
        *renamed* gives stored events of other stories new ids (old -> new), in the same transaction.
        """
        now = _utc_naive(_now())
        with self.engine.begin() as c:
            if replace is None:
                gone = None
                before = dict(c.execute(select(t.stories.c.story_id, t.stories.c.digest)).all())
                changed = dict(c.execute(select(t.stories.c.story_id, t.stories.c.changed_at)).all())
            else:
                gone = list(dict.fromkeys([*replace, *(s["id"] for s in stories)]))
                before, changed = {}, {}
                for ids in batched(gone, 500):
                    rows = c.execute(select(t.stories.c.story_id, t.stories.c.digest, t.stories.c.changed_at)
                                     .where(t.stories.c.story_id.in_(ids))).all()
                    before.update((r.story_id, r.digest) for r in rows)
                    changed.update((r.story_id, r.changed_at) for r in rows)
            for table in (t.story_docs, t.events, t.stories):
                if gone is None:
                    c.execute(delete(table))
                else:
                    for ids in batched(gone, 500):
                        c.execute(delete(table).where(table.c.story_id.in_(ids)))
            relist = self._rename_events(c, renamed) if renamed else set()
            rows = []
            for s in stories:
                digest = story_digest(s)
                rows.append(_story_row(s, digest, changed.get(s["id"]) if before.get(s["id"]) == digest else now)
                            | {"first_day": (first_days or {}).get(s["id"])})
            if rows:
                c.execute(insert(t.stories), rows)
                links = [{"story_id": s["id"], "doc_id": d} for s in stories for d in s["doc_ids"]]
                if links:
                    c.execute(insert(t.story_docs), links)
            if events:
                c.execute(insert(t.events), [_event_row(e) for e in events])
            if relist:
                self._relist_events(c, relist - {s["id"] for s in stories}, renamed)
            self._set_meta(c, "fused_at", now.isoformat())

    def story_members(self, since: dt.date) -> dict[str, set[str]]:
        """The documents of every story whose first day is *since* or later, or unknown: story id -> doc ids."""
        with self.engine.connect() as c:
            rows = c.execute(select(t.story_docs.c.story_id, t.story_docs.c.doc_id)
                             .join(t.stories, t.stories.c.story_id == t.story_docs.c.story_id)
                             .where((t.stories.c.first_day >= since) | t.stories.c.first_day.is_(None))).all()
        out: dict[str, set[str]] = {}
        for r in rows:
            out.setdefault(r.story_id, set()).add(r.doc_id)
        return out

    def latest_first_day(self) -> dt.date | None:
        """The first day of the story that began last."""
        with self.engine.connect() as c:
            return c.scalar(select(func.max(t.stories.c.first_day)))

    def stories_of(self, doc_ids: Iterable[str]) -> set[str]:
        """The ids of the stories that list any of *doc_ids*."""
        out: set[str] = set()
        with self.engine.connect() as c:
            for chunk in batched(sorted(set(doc_ids)), 500):
                out |= set(c.scalars(select(t.story_docs.c.story_id).where(t.story_docs.c.doc_id.in_(chunk))))
        return out

    def events_in(self, countries: Iterable[str | None], since: dt.date | None = None) -> list[dict]:
        """The stored events in *countries* (ACLED country names; None: no country), dated *since* or
        later or undated, when *since* is given."""
        where = _country_in(countries)
        if since is not None:
            where &= (t.events.c.event_date >= since) | t.events.c.event_date.is_(None)
        with self.engine.connect() as c:
            return [r.data for r in c.execute(select(t.events.c.data).where(where))]

    def count_events_before(self, countries: Iterable[str | None], day: dt.date) -> dict[str | None, int]:
        """How many stored events each of *countries* has dated before *day*."""
        with self.engine.connect() as c:
            return dict(c.execute(select(t.events.c.country, func.count()).where(
                _country_in(countries) & (t.events.c.event_date < day)).group_by(t.events.c.country)).all())

    def event_countries_days(self, story_ids: Iterable[str]) -> list[tuple[str | None, dt.date | None]]:
        """(country, day) of every stored event of the stories *story_ids* (None: unknown)."""
        out: list[tuple[str | None, dt.date | None]] = []
        with self.engine.connect() as c:
            for chunk in batched(sorted(set(story_ids)), 500):
                out += [tuple(r) for r in c.execute(select(t.events.c.country, t.events.c.event_date)
                                                    .where(t.events.c.story_id.in_(chunk)))]
        return out

    @staticmethod
    def _rename_events(c: Connection, ids: dict[str, str]) -> set[str]:
        """Give stored events new ids (*ids*: old -> new) in two steps, through ``~`` names, so that ids may
        swap. Returns the stories whose events were renamed."""
        rows = []
        for chunk in batched(sorted(ids), 500):
            rows += c.execute(select(t.events.c.event_id, t.events.c.data).where(t.events.c.event_id.in_(chunk))).all()
        for r in rows:
            c.execute(update(t.events).where(t.events.c.event_id == r.event_id).values(event_id="~" + ids[r.event_id]))
        for r in rows:
            c.execute(update(t.events).where(t.events.c.event_id == "~" + ids[r.event_id])
                      .values(event_id=ids[r.event_id], data=dict(r.data, event_id_cnty=ids[r.event_id])))
        return {r.data["story_id"] for r in rows}

    @staticmethod
    def _relist_events(c: Connection, story_ids: set[str], ids: dict[str, str]) -> None:
        """Rewrite the event ids the stories *story_ids* list after a renaming *ids*."""
        for chunk in batched(sorted(story_ids), 500):
            for row in c.execute(select(t.stories.c.story_id, t.stories.c.data)
                                 .where(t.stories.c.story_id.in_(chunk))).all():
                data = dict(row.data, event_ids=[ids.get(e, e) for e in row.data.get("event_ids", [])])
                c.execute(update(t.stories).where(t.stories.c.story_id == row.story_id)
                          .values(data=data, digest=story_digest(data)))

    def stories(self) -> list[dict]:
        """Every story, by first day (undated first) and id."""
        with self.engine.connect() as c:
            return [r.data for r in c.execute(select(t.stories.c.data).order_by(
                t.stories.c.date_start.nulls_first(), self._bytewise(t.stories.c.story_id))).all()]

    def events(self) -> list[dict]:
        """Every event, by day (undated first) and id."""
        with self.engine.connect() as c:
            return [r.data for r in c.execute(select(t.events.c.data).order_by(
                t.events.c.event_date.nulls_first(), self._bytewise(t.events.c.event_id))).all()]

    def meta_value(self, key: str) -> str | None:
        with self.engine.connect() as c:
            return c.scalar(select(t.meta.c.value).where(t.meta.c.key == key))

    def set_meta(self, key: str, value: str) -> None:
        with self.engine.begin() as c:
            self._set_meta(c, key, value)

    @staticmethod
    def _set_meta(c: Connection, key: str, value: str) -> None:
        if c.execute(update(t.meta).where(t.meta.c.key == key).values(value=value)).rowcount == 0:
            c.execute(insert(t.meta).values(key=key, value=value))

    def reextract_all(self) -> int:
        """Send every extracted document back to extraction; returns how many."""
        with self.engine.begin() as c:
            return c.execute(update(t.documents).where(t.documents.c.stage != "ingest")
                             .values(stage="ingest")).rowcount

    def count_stage(self, *stages: str) -> int:
        with self.engine.connect() as c:
            return c.scalar(select(func.count()).select_from(t.documents).where(t.documents.c.stage.in_(stages)))

    # -- problems (quarantine) -----------------------------------------------------

    def clear_problems(self, path: str) -> None:
        """Forget earlier problems of *path*, which is about to be read again."""
        with self.engine.begin() as c:
            c.execute(delete(t.problems).where(t.problems.c.path == clean_field(path)))

    def problem_paths(self) -> set[str]:
        with self.engine.connect() as c:
            return set(c.scalars(select(t.problems.c.path).distinct()))

    def add_problems(self, problems: Iterable[Problem]) -> None:
        rows = _problem_rows(problems)
        if rows:
            with self.engine.begin() as c:
                c.execute(insert(t.problems), rows)

    def problems(self) -> list[Problem]:
        with self.engine.connect() as c:
            rows = c.execute(select(t.problems).order_by(self._bytewise(t.problems.c.path),
                                                         t.problems.c.line.nulls_first(), t.problems.c.id)).all()
        return [Problem(path=r.path, line=r.line, reason=r.reason, detail=r.detail) for r in rows]


def _problem_rows(problems: Iterable[Problem]) -> list[dict]:
    # Paths and details may quote input with lone surrogates, which no database encoding accepts.
    return [{k: clean_field(v) if isinstance(v, str) else v for k, v in p.as_dict().items()}
            | {"seen_at": _utc_naive(_now())} for p in problems]


def _country_in(countries: Iterable[str | None]):
    """Events in *countries*; None or "" stands for events of no known country (stored as NULL)."""
    countries = list(countries)
    where = t.events.c.country.in_([c for c in countries if c])
    return where | t.events.c.country.is_(None) if not all(countries) else where


def _first(published, doc_id: str) -> tuple:
    """Which of two near-copies is the original: the smaller key."""
    return (published is None, published or dt.date.min, doc_id)


def story_digest(story: dict) -> str:
    """A hash of everything a story says: equal digests, nothing changed."""
    return hashlib.sha256(json.dumps(story, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


def _story_row(s: dict, digest: str, changed_at) -> dict:
    return {"story_id": s["id"], "title": s["title"], "date_start": _date(s["date_start"]),
            "date_end": _date(s["date_end"]), "data": s, "digest": digest, "changed_at": changed_at,
            "fatalities": s.get("fatalities"), "documents": len(s["doc_ids"])}


def _event_row(e: dict) -> dict:
    return {"event_id": e["event_id_cnty"], "story_id": e["story_id"], "event_date": _date(e["event_date"] or None),
            "location": e["location"], "latitude": e["latitude"], "longitude": e["longitude"],
            "fatalities": e["fatalities"], "data": e, "country": e.get("country") or None,
            "admin1": e.get("admin1") or None, "event_type": e.get("event_type") or None,
            "actor1": e.get("actor1") or None, "actor2": e.get("actor2") or None}


def _now() -> dt.datetime:
    """The time now, in UTC (tests replace it to make ingestion times repeatable)."""
    return dt.datetime.now(dt.timezone.utc)


def _utc_naive(when: dt.datetime) -> dt.datetime:
    """*when* as UTC without a zone, how the store keeps times: PostgreSQL's TIMESTAMP would otherwise
    turn an aware time into the server's local time, and SQLite drops the zone anyway."""
    return when.astimezone(dt.timezone.utc).replace(tzinfo=None) if when.tzinfo else when


def _utc(when: dt.datetime) -> dt.datetime:
    """A stored time as an aware UTC time (stored times are UTC; a zone, if a database gives one, is kept)."""
    return when.replace(tzinfo=dt.timezone.utc) if when.tzinfo is None else when.astimezone(dt.timezone.utc)


MAX_ID = t.documents.c.doc_id.type.length  # PostgreSQL enforces it; SQLite would not, so the store does


def _fit_id(doc_id: str) -> str:
    """*doc_id*, or when longer than the id column a prefix and a hash of the whole id."""
    if len(doc_id) <= MAX_ID:
        return doc_id
    suffix = "_" + short_hash(doc_id, 16)
    return doc_id[:MAX_ID - len(suffix)] + suffix


def _clean(value):
    """A metadata string with control characters written as escapes (PostgreSQL refuses NUL in text)."""
    return clean_field(value) if isinstance(value, str) else value


def _storable(doc: Document) -> Document:
    """*doc* as every database can store it: no NUL in its strings, an id that fits the id column.

    Ingestion already gives such documents; `Store` is an API and checks. The text keeps its length
    (NUL becomes U+FFFD), so offsets into it stay where they were."""
    text = doc.text.replace("\x00", "\ufffd") if "\x00" in doc.text else doc.text
    posts = tuple(_with(p, author=_clean(p.author), handle=_clean(p.handle), date=_clean(p.date))
                  for p in doc.embedded_posts)
    fields = dict(doc_id=_fit_id(_clean(doc.doc_id)), text=text, origin=_clean(doc.origin), title=_clean(doc.title),
                  source=_clean(doc.source), url=_clean(doc.url), fmt=_clean(doc.fmt), country=_clean(doc.country),
                  duplicate_of=_clean(doc.duplicate_of), embedded_posts=posts)
    changed = {k: v for k, v in fields.items() if v != getattr(doc, k)}
    return _with(doc, **changed) if changed else doc


def _date(value):
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def _number(v):
    return int(v) if v is not None and float(v).is_integer() else v


def _plausible(low, high, doc_id: str, text_value: str) -> bool:
    """True when *low* and *high* are whole counts from 0 to MAX_COUNT (or None); else log why not."""
    for v in (low, high):
        if v is None:
            continue
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not float(v).is_integer() \
                or not 0 <= v <= MAX_COUNT:
            log.warning("%s: claim %r has figure %r, not a count from 0 to %s; the claim is dropped",
                        doc_id, text_value, v, f"{MAX_COUNT:,}")
            return False
    return True


def _claim(r) -> Claim | None:
    """The claim in row *r*, or None when its figure is no plausible count (stored by an older sitrep)."""
    if not _plausible(r.low, r.high, r.doc_id, r.text_value):
        return None
    return Claim(doc_id=r.doc_id, quote=r.quote, char_start=r.char_start, char_end=r.char_end,
                 predicate=r.predicate, category=r.category, low=_number(r.low), high=_number(r.high),
                 qualifier=r.qualifier, text_value=r.text_value, claimant=r.claimant,
                 claimant_type=r.claimant_type, hedge=r.hedge, location=r.location, event_scope=r.event_scope,
                 published=r.published.isoformat() if r.published else None, part=bool(r.part))


def _with(record, **changes):
    from dataclasses import replace

    return replace(record, **changes)


def _post_dict(p: EmbeddedPost) -> dict:
    return {"start": p.start, "end": p.end, "author": p.author, "handle": p.handle, "date": p.date}


def _document(row) -> Document:
    return Document(doc_id=row.doc_id, text=row.text, origin=row.origin, published=row.published,
                    title=row.title, source=row.source, url=row.url, fmt=row.fmt,
                    embedded_posts=tuple(EmbeddedPost(**p) for p in row.embedded_posts or ()),
                    duplicate_of=row.duplicate_of, country=row.country)
