"""`places.geojson`: one Point Feature per located event, its properties the event row."""

from __future__ import annotations

import json
from pathlib import Path

from ..fuse.events import EVENT_COLUMNS
from . import in_id_order, write_atomic


def write_geojson(path: Path, events: list[dict]) -> Path:
    features = [{"type": "Feature",
                 "geometry": {"type": "Point", "coordinates": [e["longitude"], e["latitude"]]},
                 "properties": {k: e[k] for k in EVENT_COLUMNS + ["story_id", "doc_ids"]}}
                for e in in_id_order(events) if e.get("latitude") not in (None, "")]
    return write_atomic(path, lambda fh: json.dump({"type": "FeatureCollection", "features": features}, fh,
                                                    ensure_ascii=False, indent=1))


def write_stories(path: Path, stories: list[dict]) -> Path:
    return write_atomic(path, lambda fh: json.dump({"stories": stories}, fh, ensure_ascii=False, indent=1,
                                                    default=str))
