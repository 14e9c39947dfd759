"""`sitrep.open`: a store for a notebook, read as typed records and pandas frames.

>>> import sitrep
>>> desk = sitrep.open("out")                                  # doctest: +SKIP
>>> desk.events(country="Nigeria").to_pandas()[["event_id_cnty", "location", "fatalities"]]   # doctest: +SKIP
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field, make_dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from ..errors import StoreError
from ..export.acled import EXTRA
from ..fuse.events import EVENT_COLUMNS
from ..records import Claim
from ..store import Store
from .queries import claims as _claims, document as _document, events as _events, stories as _stories, story as _story

R = TypeVar("R")


@dataclass(frozen=True)
class Story:
    """A story (SPEC §5) and what the store keeps beside it: its digest and when it last changed."""

    id: str
    title: str
    date_start: str | None
    date_end: str | None
    doc_ids: list[str]
    aliases: list[str] = field(default_factory=list)
    actors: list[dict] = field(default_factory=list)
    places: list[dict] = field(default_factory=list)
    figures: list[dict] = field(default_factory=list)
    contradictions: list[dict] = field(default_factory=list)
    timeline: list[dict] = field(default_factory=list)
    event_ids: list[str] = field(default_factory=list)
    fatalities: int | None = None
    copies: dict = field(default_factory=dict)
    digest: str | None = None
    changed_at: str | None = None
    changed: bool = False


_EVENT_TYPES = {"year": int | None, "time_precision": int | None, "inter1": int | None, "inter2": int | None,
                "interaction": int | None, "iso": int | None, "latitude": float | None, "longitude": float | None,
                "geo_precision": int | None, "fatalities": int | None, "timestamp": int | None,
                "doc_ids": list, "claim_quotes": list}
Event = make_dataclass(
    "Event", [(c, _EVENT_TYPES.get(c, Any)) for c in EVENT_COLUMNS + list(EXTRA)], frozen=True,
    namespace={"__doc__": "An event as events.jsonl holds it: ACLED's 31 columns (SPEC §4), then story_id, doc_ids "
                          "and claim_quotes."})


SourceClaim = make_dataclass(
    "Claim", [("claim_id", int)] + [(f.name, f.type, field(default=f.default)) if f.default is not dataclasses.MISSING
                                    else (f.name, f.type) for f in dataclasses.fields(Claim)], frozen=True,
    namespace={"__doc__": "A claim (SPEC §3) with the id the store gives it (what a link to its quote names)."},
)


@dataclass(frozen=True)
class Document:
    """A stored document: metadata, the text claim offsets point into, the stories listing it, its claims."""

    doc_id: str
    text: str
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published: str | None = None
    fmt: str | None = None
    origin: str | None = None
    country: str | None = None
    duplicate_of: str | None = None
    stories: list[dict] = field(default_factory=list)
    claims: list = field(default_factory=list)  # SourceClaim records


class Records(list, Generic[R]):
    """A list of records that also says how many matched in all (`total`) and turns into a DataFrame."""

    def __init__(self, items: Iterable[R], total: int, columns: list[str]):
        super().__init__(items)
        self.total = total
        self.columns = columns

    def to_pandas(self):
        """One row per record, one column per field (lists and dicts stay Python objects)."""
        import pandas as pd

        return pd.DataFrame([dataclasses.asdict(r) for r in self], columns=self.columns)


def _fields(cls) -> list[str]:
    return [f.name for f in dataclasses.fields(cls)]


class Desk:
    """An open store, read through `sitrep.desk`: `stories`, `events`, `claims`, `document`.

    Filters are those of `sitrep.desk` (and of the CLI and the web API); without `limit` every match
    is returned.
    """

    def __init__(self, store: Store):
        self.store = store

    def __repr__(self) -> str:
        return f"<sitrep desk {self.store.url}>"

    def close(self) -> None:
        self.store.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def stories(self, *, limit: int | None = None, offset: int = 0, since=None) -> Records[Story]:
        """Stories, latest first, each as a `Story` (full data, its digest and `changed` mark)."""
        page = _stories(self.store, limit=limit, offset=offset, since=since)
        return Records([self.story(s["id"]) for s in page.items], page.total, _fields(Story))

    def story(self, story_id: str) -> Story | None:
        data = _story(self.store, story_id)
        if data is None:
            return None
        known = set(_fields(Story))
        return Story(**{k: v for k, v in data.items() if k in known})

    def events(self, *, limit: int | None = None, offset: int = 0, **filters) -> Records:
        """Events matching *filters* (date_from, date_to, country, admin1, place, actor, event_type,
        min_fatalities, story_id), newest day first, as `Event` records."""
        page = _events(self.store, limit=limit, offset=offset, **filters)
        return Records([Event(**e) for e in page.items], page.total, _fields(Event))

    def claims(self, *, limit: int | None = None, offset: int = 0, **filters) -> Records:
        """Claims matching *filters* (predicate, category, claimant_type, hedge, doc_id, story_id)."""
        page = _claims(self.store, limit=limit, offset=offset, **filters)
        return Records([SourceClaim(**c) for c in page.items], page.total, _fields(SourceClaim))

    def document(self, doc_id: str) -> Document | None:
        data = _document(self.store, doc_id)
        if data is None:
            return None
        return Document(**(data | {"claims": [SourceClaim(**c) for c in data["claims"]]}))


def store_url(target: str | Path) -> str:
    """The SQLAlchemy URL of *target*: a URL as given, or the store (sitrep.db) of an output folder of
    `sitrep run`. Raises `StoreError` when the folder or its store is missing."""
    text = str(target)
    if "://" in text:
        return text
    path = Path(target)
    if path.is_dir():
        path = path / "sitrep.db"
    elif path.suffix != ".db":
        raise StoreError(f"{target}: no such folder; give the output folder of `sitrep run` (holding sitrep.db) "
                         "or a database URL such as sqlite:///out/sitrep.db")
    if not path.is_file():
        raise StoreError(f"{path} does not exist; run `sitrep run PATH --out {path.parent}` first, "
                         "or give a database URL")
    return f"sqlite:///{path.resolve()}"


def open_desk(target: str | Path) -> Desk:
    """Open the store at *target* (an output folder of `sitrep run`, its sitrep.db, or a SQLAlchemy URL)."""
    return Desk(Store(store_url(target)))
