"""`events.csv` (ACLED's 31 columns, in order) and `events.jsonl` (the same rows plus SPEC's extra keys)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from ..fuse.events import EVENT_COLUMNS
from . import csv_chunks, in_id_order, jsonl_chunks, write_atomic

EXTRA = ("story_id", "doc_ids", "claim_quotes")


def event_row(e: dict) -> dict:
    """An event as events.jsonl holds it: ACLED's columns, then `EXTRA`."""
    return {k: e.get(k) for k in EVENT_COLUMNS + list(EXTRA)}


def events_csv_chunks(events: Iterable[dict]) -> Iterator[str]:
    """The text of an events.csv holding *events*, in the order given."""
    return csv_chunks(EVENT_COLUMNS, events)


def events_jsonl_chunks(events: Iterable[dict]) -> Iterator[str]:
    """The lines of an events.jsonl holding *events*, in the order given."""
    return jsonl_chunks(map(event_row, events))


def write_events_csv(path: Path, events: Iterable[dict], ordered: bool = False) -> Path:
    """events.csv holding *events*, put in id order (`in_id_order`) unless *ordered* (a stream in that order)."""
    rows = events if ordered else in_id_order(list(events))
    return write_atomic(path, lambda fh: fh.writelines(events_csv_chunks(rows)))


def write_events_jsonl(path: Path, events: Iterable[dict], ordered: bool = False) -> Path:
    """events.jsonl holding *events*, put in id order unless *ordered*."""
    rows = events if ordered else in_id_order(list(events))
    return write_atomic(path, lambda fh: fh.writelines(events_jsonl_chunks(rows)))
