"""`events.csv` (ACLED's 31 columns, in order) and `events.jsonl` (the same rows plus SPEC's extra keys)."""

from __future__ import annotations

from pathlib import Path

from ..fuse.events import EVENT_COLUMNS
from . import in_id_order, write_csv, write_jsonl

EXTRA = ("story_id", "doc_ids", "claim_quotes")


def write_events_csv(path: Path, events: list[dict]) -> Path:
    return write_csv(path, EVENT_COLUMNS, in_id_order(events))


def write_events_jsonl(path: Path, events: list[dict]) -> Path:
    return write_jsonl(path, ({k: e[k] for k in EVENT_COLUMNS + list(EXTRA)} for e in in_id_order(events)))
