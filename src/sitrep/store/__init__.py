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
from functools import lru_cache

import numpy as np
from sqlalchemy import (Column, DateTime, MetaData, String, Table, bindparam, create_engine, delete, event, func,
                        insert, inspect, select, text, update)
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

# Near-duplicate lookup stays flat in store size: documents read per LSH band, and documents
# compared exactly per new text (see `Store._candidates`).
BAND_POSTINGS = 64
CANDIDATES = 32


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
                for table, name in t.REPLACED_INDEXES:   # ones a wider index has made redundant
                    if name in {i["name"] for i in inspect(c).get_indexes(table)}:
                        c.execute(text(f'DROP INDEX "{name}"'))
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
        if version < 6:  # the ids of the stored events are theirs to keep
            self._seed_event_ids(c)
        c.execute(update(t.meta).where(t.meta.c.key == "schema_version").values(value=str(t.SCHEMA_VERSION)))

    def _seed_event_ids(self, c: Connection) -> None:
        """Record the stored events' ids with their keys (a store of a sitrep that kept no event_ids)."""
        from ..fuse.events import story_event_keys

        def flush(group: list[dict]) -> None:
            keys = dict(zip((e["event_id_cnty"] for e in group), story_event_keys(group)))
            self._keep_ids(c, list(keys), keys)

        group: list[dict] = []
        result = c.execute(select(t.events.c.data).order_by(t.events.c.story_id, t.events.c.event_id),
                           execution_options={"yield_per": 500})
        for e in (r.data for rows in result.partitions() for r in rows):
            if group and group[0].get("story_id") != e.get("story_id"):
                flush(group)
                group = []
            group.append(e)
        if group:
            flush(group)

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
        texts that share one boilerplate paragraph out. Two caps keep the cost
        per document flat however large the store grows, even when many texts
        share a band (wire boilerplate, a press-release template):

        - each band contributes at most `BAND_POSTINGS` documents (the first by
          id). A band that common is boilerplate unless its documents are copies
          of one text, and then any of them leads to their original;
        - at most `CANDIDATES` documents, those sharing the most bands, are
          compared exactly. A near-copy shares most bands, a text on the same
          topic one or two.
        """
        if not keys:
            return []
        params = {f"k{i}": k for i, k in enumerate(keys)}
        rows = c.execute(_candidate_query(len(keys), self.engine.dialect.name == "postgresql"),
                         {**params, "doc_id": doc_id, "per_band": BAND_POSTINGS, "candidates": CANDIDATES}).all()
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

    def save_fusion(self, stories: Iterable[dict], events: Iterable[dict], replace: Iterable[str] | None = None,
                    first_days: dict[str, dt.date | None] | None = None, new_ids: dict[str, str] | None = None
                    ) -> None:
        """Store *stories* and their *events*.

        With *replace* None every stored story and event is replaced (a full rebuild); else only the
        stories whose ids *replace* lists are (with their events) — what one new article touched.
        A story whose data is unchanged keeps its ``changed_at``; a new or different one gets now.
        *first_days* are the day of each story's earliest document (what `sitrep.fuse.live` reads back).
        *new_ids* are the event ids fusion gave out for the first time, id -> the event's key
        (`event_ids_of`); every saved id is kept in the event_ids table, so that none is given twice.
        """
        days = first_days or {}
        self._save_fusion(((s, days.get(s["id"])) for s in stories), events, replace, (new_ids or {}).items())

    def replace_fusion(self, stories: Iterable[tuple[dict, dt.date | None]], events: Iterable[dict],
                       new_ids: Iterable[tuple[str, str]] = ()) -> None:
        """Replace every story and event in one transaction, reading the iterables as it goes: *stories*
        are (story, its first day) pairs, *events* their events (read after every story), *new_ids*
        (event id, key) pairs as `save_fusion`'s. Readers see the old stories until it commits; a
        failure leaves them stored."""
        self._save_fusion(stories, events, None, new_ids)

    def _save_fusion(self, stories: Iterable[tuple[dict, dt.date | None]], events: Iterable[dict],
                     replace: Iterable[str] | None, new_ids: Iterable[tuple[str, str]]) -> None:
        now = _utc_naive(_now())
        with self.engine.begin() as c:
            if replace is None:
                # The stored stories' digests and times, to tell which of the new ones changed, read in chunks.
                # (SQLite's driver runs DDL outside the transaction: a failed rebuild's table may be left.)
                c.execute(text("DROP TABLE IF EXISTS fusion_before"))
                c.execute(text("CREATE TEMPORARY TABLE fusion_before AS "
                               "SELECT story_id, digest, changed_at FROM stories"))
                c.execute(text("CREATE INDEX fusion_before_id ON fusion_before (story_id)"))
                before = _FUSION_BEFORE
                for table in (t.story_docs, t.events, t.stories):
                    c.execute(delete(table))
            else:
                stories = list(stories)
                gone = list(dict.fromkeys([*replace, *(s["id"] for s, _ in stories)]))
                before = t.stories
                for table in (t.story_docs, t.events):
                    for ids in batched(gone, 500):
                        c.execute(delete(table).where(table.c.story_id.in_(ids)))
            saved: list[str] = []
            for chunk in weighed(stories, 500, STORY_DOCS, lambda sf: len(sf[0]["doc_ids"])):
                ids = [s["id"] for s, _ in chunk]
                stamps = {r.story_id: r for r in c.execute(
                    select(before.c.story_id, before.c.digest, before.c.changed_at)
                    .where(before.c.story_id.in_(ids)))}
                if replace is not None:
                    c.execute(delete(t.stories).where(t.stories.c.story_id.in_(ids)))
                rows = []
                for s, first_day in chunk:
                    digest = story_digest(s)
                    old = stamps.get(s["id"])
                    rows.append(_story_row(s, digest, old.changed_at if old is not None and old.digest == digest
                                           else now) | {"first_day": first_day})
                c.execute(insert(t.stories), rows)
                links = [{"story_id": s["id"], "doc_id": d} for s, _ in chunk for d in s["doc_ids"]]
                if links:
                    c.execute(insert(t.story_docs), links)
                if replace is not None:
                    saved += ids
            if replace is None:
                c.execute(text("DROP TABLE fusion_before"))
            else:
                saved_ids = set(saved)
                for ids in batched([g for g in gone if g not in saved_ids], 500):
                    c.execute(delete(t.stories).where(t.stories.c.story_id.in_(ids)))
            for chunk in batched(new_ids, 500):
                self._keep_ids(c, [i for i, _ in chunk], dict(chunk))
            for chunk in batched(events, 500):
                c.execute(insert(t.events), [_event_row(e) for e in chunk])
                self._keep_ids(c, [e["event_id_cnty"] for e in chunk], {})
            self._set_meta(c, "fused_at", now.isoformat())

    @staticmethod
    def _keep_ids(c: Connection, ids: list[str], keys: dict[str, str]) -> None:
        """Record the event ids *ids* in event_ids (those not there yet), with their *keys* where given."""
        from ..fuse.events import id_number

        known = dict(c.execute(select(t.event_ids.c.event_id, t.event_ids.c.event_key)
                               .where(t.event_ids.c.event_id.in_(ids))).all())
        rows = []
        for i in dict.fromkeys(ids):
            if i in known:
                if keys.get(i) and known[i] != keys[i]:
                    c.execute(update(t.event_ids).where(t.event_ids.c.event_id == i).values(event_key=keys[i]))
                continue
            prefix, number = id_number(i) or (None, None)
            rows.append({"event_id": i, "event_key": keys.get(i), "prefix": prefix, "number": number})
        if rows:
            c.execute(insert(t.event_ids), rows)

    def event_ids_of(self, keys: Iterable[str]) -> dict[str, str]:
        """The ids given before to the events of *keys* (`sitrep.fuse.events.story_event_keys`): key -> id."""
        out: dict[str, str] = {}
        with self.engine.connect() as c:
            for chunk in batched(sorted(set(keys)), 500):
                out.update(c.execute(select(t.event_ids.c.event_key, t.event_ids.c.event_id)
                                     .where(t.event_ids.c.event_key.in_(chunk))).all())
        return out

    def last_event_numbers(self) -> dict[str, int]:
        """The highest running number each country code ("PAK") has given an event in this store, ever."""
        with self.engine.connect() as c:
            return {p: n for p, n in c.execute(select(t.event_ids.c.prefix, func.max(t.event_ids.c.number))
                                                 .group_by(t.event_ids.c.prefix)).all() if p is not None}

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

    def stories(self) -> list[dict]:
        """Every story, by first day (undated first) and id."""
        return list(self.iter_stories())

    def events(self) -> list[dict]:
        """Every event, by day (undated first) and id."""
        with self.engine.connect() as c:
            return [r.data for r in c.execute(select(t.events.c.data).order_by(
                t.events.c.event_date.nulls_first(), self._bytewise(t.events.c.event_id))).all()]

    def iter_stories(self, c: Connection | None = None, batch: int = 10) -> Iterator[dict]:
        """`stories`, read *batch* at a time (through connection *c*, when given: one snapshot). A story
        grows with its documents (a dense corpus makes stories of a hundred articles), hence few at a time."""
        query = select(t.stories.c.data).order_by(t.stories.c.date_start.nulls_first(),
                                                  self._bytewise(t.stories.c.story_id))
        return self._stream(query, c, batch)

    def top_stories(self, n: int, c: Connection | None = None) -> list[dict]:
        """The *n* stories told by most documents (then by first day, undated first, and id)."""
        query = select(t.stories.c.data).order_by(t.stories.c.documents.desc(), t.stories.c.date_start.nulls_first(),
                                                   self._bytewise(t.stories.c.story_id)).limit(n)
        return list(self._stream(query, c))

    def events_of(self, story_ids: Iterable[str], c: Connection | None = None) -> list[dict]:
        """The events of the stories *story_ids*, by day (undated first) and id (as `events` lists them)."""
        out = []
        for chunk in batched(sorted(set(story_ids)), 500):
            out += self._stream(select(t.events.c.event_date, t.events.c.event_id, t.events.c.data)
                                .where(t.events.c.story_id.in_(chunk)), c, build=tuple)
        key = lambda r: (r[0] is not None, r[0] or dt.date.min, r[1])  # noqa: E731
        return [r[2] for r in sorted(out, key=key)]

    def _file_order(self, e=None) -> list:
        """The order of events.csv (`sitrep.export.in_id_order`): by day, undated last, then country code
        and running number (PAK2 before PAK10)."""
        e = t.events.c if e is None else e
        return [e.event_date.is_(None), e.event_date, func.substr(self._bytewise(e.event_id), 1, 3),
                func.length(e.event_id), self._bytewise(e.event_id)]

    def iter_events(self, c: Connection | None = None, batch: int = 500) -> Iterator[dict]:
        """Every event in events.csv's order (`sitrep.export.in_id_order`), read *batch* at a time."""
        return self._stream(select(t.events.c.data).order_by(*self._file_order()), c, batch)

    def iter_story_events(self, c: Connection | None = None, batch: int = 500) -> Iterator[tuple[dict | None, list[dict]]]:
        """(story, its events in events.csv's order) for every story with events, the stories in the order
        of their first events in that order (ged.csv's), read *batch* events at a time."""
        if c is None:
            with self.engine.connect() as own:
                yield from self.iter_story_events(own, batch)
            return
        e = t.events.c
        first = select(e.story_id, e.event_id, e.event_date, func.row_number().over(
            partition_by=e.story_id, order_by=self._file_order()).label("n")).subquery()
        first = select(first.c.story_id, first.c.event_id, first.c.event_date).where(first.c.n == 1).subquery()
        query = (select(e.story_id, e.data).join(first, first.c.story_id == e.story_id)
                 .order_by(*self._file_order(first.c), *self._file_order()))

        def with_stories(groups: list[tuple[str, list[dict]]]):
            figures = {}   # of the stories' data, ged.csv reads only their figures
            for chunk in batched([sid for sid, _ in groups], 500):
                figures.update(self._stream(select(t.stories.c.story_id, t.stories.c.data["figures"])
                                            .where(t.stories.c.story_id.in_(chunk)), c, build=tuple))
            return [({"id": sid, "figures": figures[sid]} if sid in figures else None, evs) for sid, evs in groups]

        groups: list[tuple[str, list[dict]]] = []
        size = 0
        for sid, data in self._stream(query, c, batch, build=tuple):
            if not groups or groups[-1][0] != sid:
                if size >= batch:   # whole stories at a time, about *batch* events
                    yield from with_stories(groups)
                    groups, size = [], 0
                groups.append((sid, []))
            groups[-1][1].append(data)
            size += 1
        yield from with_stories(groups)

    def iter_problems(self, c: Connection | None = None) -> Iterator[Problem]:
        """`problems`, read a batch at a time."""
        query = select(t.problems).order_by(self._bytewise(t.problems.c.path), t.problems.c.line.nulls_first(),
                                            t.problems.c.id)
        return self._stream(query, c, build=lambda r: Problem(path=r.path, line=r.line, reason=r.reason,
                                                             detail=r.detail))

    def count_problems(self) -> int:
        with self.engine.connect() as c:
            return c.scalar(select(func.count()).select_from(t.problems))

    def _stream(self, query, c: Connection | None = None, batch: int = 500, build=None) -> Iterator:
        """The rows of *query* (their first column, or *build*(row)), fetched *batch* at a time."""
        if c is None:
            with self.engine.connect() as own:
                yield from self._stream(query, own, batch, build)
            return
        # for this statement only: Connection.execution_options() would set them on the connection
        result = c.execute(query, execution_options={"stream_results": True, "yield_per": batch})
        for rows in result.partitions():
            yield from (build(r) if build else r[0] for r in rows)

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
        """Every problem, by path (code points), line (none first) and when it was recorded."""
        return list(self.iter_problems())


STORY_DOCS = 500   # stories are written and read in chunks of about this many documents' stories


@lru_cache(maxsize=8)
def _candidate_query(n_keys: int, postgresql: bool):
    """SQL for `Store._candidates` with *n_keys* band keys (bound as :k0, :k1, …), :doc_id and the caps.

    Written out once per band count: built with SQLAlchemy's expression language for
    every document, its 30-odd subqueries cost more than running them."""
    bytewise = ' COLLATE "C"' if postgresql else ""
    postings = " UNION ALL ".join(
        f"SELECT doc_id FROM (SELECT doc_id FROM doc_bands WHERE key = :k{i} ORDER BY doc_id{bytewise} "
        f"LIMIT :per_band) AS b{i}" for i in range(n_keys))
    return text(
        "SELECT d.doc_id, d.minhash, d.published, d.duplicate_of FROM documents AS d JOIN "
        f"(SELECT doc_id FROM ({postings}) AS p WHERE doc_id != :doc_id GROUP BY doc_id "
        f"HAVING count(*) >= 2 ORDER BY count(*) DESC, doc_id{bytewise} LIMIT :candidates) AS best "
        f"ON best.doc_id = d.doc_id ORDER BY d.ingested_at, d.doc_id{bytewise}"
    ).columns(t.documents.c.doc_id, t.documents.c.minhash, t.documents.c.published, t.documents.c.duplicate_of)


def weighed(items: Iterable, n: int, limit: int, weight) -> Iterator[list]:
    """Lists of up to *n* items, in order, closed once their *weight*s reach *limit* (one item at least)."""
    chunk: list = []
    total = 0
    for item in items:
        chunk.append(item)
        total += weight(item)
        if len(chunk) >= n or total >= limit:
            yield chunk
            chunk, total = [], 0
    if chunk:
        yield chunk


# The stored stories' digests and times while a full rebuild replaces them (a temporary table of its transaction).
_FUSION_BEFORE = Table("fusion_before", MetaData(), Column("story_id", String), Column("digest", String),
                       Column("changed_at", DateTime))


def _problem_rows(problems: Iterable[Problem]) -> list[dict]:
    # Paths and details may quote input with lone surrogates, which no database encoding accepts.
    return [{k: clean_field(v) if isinstance(v, str) else v for k, v in p.as_dict().items()}
            | {"seen_at": _utc_naive(_now())} for p in problems]


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
