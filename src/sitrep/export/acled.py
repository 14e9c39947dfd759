"""`events.csv` (ACLED's 31 columns, in order) and `events.jsonl` (the same rows plus SPEC's extra keys)."""

from __future__ import annotations

import csv
from pathlib import Path

from ..fuse.events import EVENT_COLUMNS
from . import in_id_order, write_atomic, write_jsonl

EXTRA = ("story_id", "doc_ids", "claim_quotes")


def write_events_csv(path: Path, events: list[dict]) -> Path:
    def write(fh):
        w = csv.DictWriter(fh, fieldnames=EVENT_COLUMNS, extrasaction="ignore", lineterminator="\n")
        w.writeheader()
        w.writerows(in_id_order(events))
    return write_atomic(path, write)


def write_events_jsonl(path: Path, events: list[dict]) -> Path:
    return write_jsonl(path, ({k: e[k] for k in EVENT_COLUMNS + list(EXTRA)} for e in in_id_order(events)))
