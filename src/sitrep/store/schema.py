"""The store's tables (SQLAlchemy 2 Core): SQLite by default, PostgreSQL by URL.

Documents are the unit of work: each row records the last pipeline stage it
finished (`stage`), so a run that was killed resumes where it stopped. Rows
derived from a document (sentences, mentions, claims) are replaced whole when
the document is processed again.
"""

from __future__ import annotations

from sqlalchemy import (JSON, Boolean, Column, Date, DateTime, Float, ForeignKey, Index, Integer, LargeBinary,
                        MetaData, String, Table, Text, UniqueConstraint)

SCHEMA_VERSION = 6

# Columns each version added to an existing table, so a store of the previous version
# is brought up to date when opened (`Store` adds whichever are missing, all nullable).
ADDED_COLUMNS: dict[int, tuple[tuple[str, str], ...]] = {
    3: (("documents", "country"),),
    4: (("claims", "part"),),
    5: (("stories", "digest"), ("stories", "changed_at"), ("stories", "fatalities"), ("stories", "documents"),
        ("stories", "first_day"),
        ("events", "country"), ("events", "admin1"), ("events", "event_type"), ("events", "actor1"),
        ("events", "actor2")),
    6: (),   # the event_ids table (made by create_all), filled from the stored events
}

metadata = MetaData()


def _id(length: int = 255) -> String:
    """An id column. The store reads ids in code point order (`COLLATE "C"` on PostgreSQL, whose
    default collation is the server locale's); an id column of that collation lets the index serve it."""
    return String(length).with_variant(String(length, collation="C"), "postgresql")


meta = Table(
    "meta", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

documents = Table(
    "documents", metadata,
    Column("doc_id", _id(), primary_key=True),
    Column("origin", Text, nullable=False),           # file path, "file.jsonl:12", "feed.xml:entry 3"
    Column("fmt", String(16), nullable=False),
    Column("title", Text),
    Column("source", Text),
    Column("url", Text),
    Column("published", Date),
    Column("text", Text, nullable=False),
    Column("content_hash", String(64), nullable=False, index=True),
    Column("embedded_posts", JSON, nullable=False),
    Column("minhash", LargeBinary),
    Column("embedding", LargeBinary),                 # float32 lead embedding, set by the claims stage
    Column("duplicate_of", _id(), index=True),  # the original this text is a near-copy of
    Column("country", String(8)),                     # the feed's country hint, ISO 3166 alpha-2 ("ML")
    Column("stage", String(32), nullable=False, index=True),  # last stage finished, e.g. "ingest"
    Column("ingested_at", DateTime, nullable=False),  # UTC, stored without a zone (see store._utc_naive)
)

# Indexes of earlier versions that a wider one replaced: (table, index), dropped when a store is opened.
REPLACED_INDEXES = [("doc_bands", "ix_doc_bands_key")]

doc_bands = Table(
    "doc_bands", metadata,
    Column("key", String(64), nullable=False),
    Column("doc_id", _id(), ForeignKey("documents.doc_id", ondelete="CASCADE"), nullable=False),
    Index("ix_doc_bands_key_doc", "key", "doc_id"),
    Index("ix_doc_bands_doc", "doc_id"),
)

problems = Table(
    "problems", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("path", Text, nullable=False, index=True),
    Column("line", Integer),
    Column("reason", String(64), nullable=False),
    Column("detail", Text),
    Column("seen_at", DateTime, nullable=False),      # UTC, stored without a zone
)

sentences = Table(
    "sentences", metadata,
    Column("doc_id", _id(), ForeignKey("documents.doc_id", ondelete="CASCADE"), primary_key=True),
    Column("idx", Integer, primary_key=True),
    Column("char_start", Integer, nullable=False),
    Column("char_end", Integer, nullable=False),
)

mentions = Table(
    "mentions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("doc_id", _id(), ForeignKey("documents.doc_id", ondelete="CASCADE"), nullable=False, index=True),
    Column("kind", String(16), nullable=False),       # place, actor, claimant, number, date
    Column("char_start", Integer, nullable=False),
    Column("char_end", Integer, nullable=False),
    Column("label", Text, nullable=False),            # canonical name or value
    Column("data", JSON, nullable=False),
)

claims = Table(
    "claims", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("doc_id", _id(), ForeignKey("documents.doc_id", ondelete="CASCADE"), nullable=False, index=True),
    Column("quote", Text, nullable=False),
    Column("char_start", Integer, nullable=False),
    Column("char_end", Integer, nullable=False),
    Column("predicate", String(32), nullable=False),
    Column("category", String(32), nullable=False),
    Column("low", Float),
    Column("high", Float),
    Column("qualifier", String(16), nullable=False),
    Column("text_value", Text),
    Column("claimant", Text),
    Column("claimant_type", String(16)),
    Column("hedge", String(16)),
    Column("location", Text),
    Column("event_scope", String(16)),
    Column("published", Date),
    Column("part", Boolean),
)

stories = Table(
    "stories", metadata,
    Column("story_id", _id(64), primary_key=True),
    Column("title", Text),
    Column("date_start", Date),
    Column("date_end", Date),
    Column("data", JSON, nullable=False),
    # Kept beside the data for the story list and its "changed" mark: the data's hash, and when it last changed.
    Column("digest", String(64)),
    Column("changed_at", DateTime),
    Column("fatalities", Integer),
    Column("documents", Integer),
    Column("first_day", Date, index=True),          # the day of its earliest document (stories.Story.start)
)

events = Table(
    "events", metadata,
    Column("event_id", _id(64), primary_key=True),
    Column("story_id", _id(64), ForeignKey("stories.story_id", ondelete="SET NULL"), index=True),
    Column("event_date", Date),
    Column("location", Text),
    Column("latitude", Float),
    Column("longitude", Float),
    Column("fatalities", Integer),
    Column("data", JSON, nullable=False),
    # Copies of the event's fields that the events table is filtered by (the data holds every field).
    Column("country", Text, index=True),
    Column("admin1", Text),
    Column("event_type", String(64), index=True),
    Column("actor1", Text),
    Column("actor2", Text),
    Index("ix_events_date", "event_date"),
)

# Every event id fusion ever gave out, with what the event is (`sitrep.fuse.events.story_event_keys`):
# an event keeps its id from run to run while it lasts, and a number is never given to another event.
event_ids = Table(
    "event_ids", metadata,
    Column("event_id", _id(64), primary_key=True),
    Column("event_key", String(40), unique=True),   # None: an id saved without one (given by hand)
    Column("prefix", String(16)),                   # "PAK" of PAK12
    Column("number", Integer),                      # 12 of PAK12
    Index("ix_event_ids_prefix", "prefix", "number"),
)

story_docs = Table(
    "story_docs", metadata,
    Column("story_id", _id(64), ForeignKey("stories.story_id", ondelete="CASCADE"), nullable=False),
    Column("doc_id", _id(), ForeignKey("documents.doc_id", ondelete="CASCADE"), nullable=False),
    UniqueConstraint("story_id", "doc_id"),
)
