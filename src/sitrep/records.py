"""Typed records that flow between sitrep's stages.

Each stage takes records in and returns records out; none of them opens the
store or writes files. Records are plain frozen dataclasses so they pickle
cheaply (local process pools, Ray) and compare by value in tests.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass


def content_hash(text: str) -> str:
    """Return the SHA-256 hex digest of *text* (UTF-8)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class EmbeddedPost:
    """A social-media post quoted inside an article, with its own author.

    Offsets are into the document text, so later stages can attribute what the
    post says to its author rather than to the outlet.
    """

    start: int
    end: int
    author: str
    handle: str | None = None
    date: str | None = None


@dataclass(frozen=True, slots=True)
class Document:
    """One article after ingestion: normalised text plus what we know about it.

    `text` is the text every later offset refers to (date marker and
    boilerplate already removed). `origin` says where the article came from,
    e.g. ``seeds/000.txt`` or ``feed.xml:entry 3``. `country` is the feed's
    country hint as an ISO 3166 alpha-2 code ("ML"): it helps place
    recognition choose between towns of the same name, never restricts it,
    and is no part of the document's identity (`content_hash`).
    """

    doc_id: str
    text: str
    origin: str
    published: dt.date | None = None
    title: str | None = None
    source: str | None = None
    url: str | None = None
    fmt: str = "txt"
    embedded_posts: tuple[EmbeddedPost, ...] = ()
    duplicate_of: str | None = None
    country: str | None = None

    @property
    def content_hash(self) -> str:
        return content_hash(self.text)


@dataclass(frozen=True, slots=True)
class Problem:
    """An input that could not be used, kept with the reason (quarantine)."""

    path: str
    reason: str
    line: int | None = None
    detail: str | None = None

    def as_dict(self) -> dict:
        return {"path": self.path, "line": self.line, "reason": self.reason, "detail": self.detail}


@dataclass(frozen=True, slots=True)
class Claim:
    """One numeric figure as a source states it (SPEC §3)."""

    doc_id: str
    quote: str
    char_start: int
    char_end: int
    predicate: str
    category: str
    low: int | None
    high: int | None
    qualifier: str
    text_value: str
    claimant: str
    claimant_type: str
    hedge: str
    location: str | None = None
    event_scope: str = "main"
    published: str | None = None
    part: bool = False          # a part of a total the text gives too ("including three women")

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__slots__}
