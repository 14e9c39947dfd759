"""`places.geojson`: one Point Feature per located event, its properties the event row; and stories.json."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..fuse.events import EVENT_COLUMNS
from . import in_id_order, write_atomic


def feature(e: dict) -> dict | None:
    """The GeoJSON Point Feature of event *e*, or None when it has no coordinates."""
    if e.get("latitude") in (None, ""):
        return None
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [e["longitude"], e["latitude"]]},
            "properties": {k: e.get(k) for k in EVENT_COLUMNS + ["story_id", "doc_ids"]}}


def _listed(key: str, items: Iterable, outer: dict, dump) -> Iterator[str]:
    """``json.dump(outer | {key: items}, indent=1)``'s text, one list item at a time (*key* last):
    each item indented as two levels down, so the bytes equal a dump of the whole object."""
    head = json.dumps(outer, ensure_ascii=False, indent=1)[:-2] if outer else "{"
    yield head + ("," if outer else "") + f"\n {json.dumps(key)}: ["
    first = True
    for item in items:
        text = json.dumps(item, ensure_ascii=False, indent=1, default=dump).replace("\n", "\n  ")
        yield ("\n  " if first else ",\n  ") + text
        first = False
    yield "]\n}" if first else "\n ]\n}"


def geojson_chunks(events: Iterable[dict]) -> Iterator[str]:
    """The text of a places.geojson holding the located *events*, in the order given."""
    return _listed("features", filter(None, map(feature, events)), {"type": "FeatureCollection"}, None)


def stories_chunks(stories: Iterable[dict]) -> Iterator[str]:
    """The text of a stories.json holding *stories*, in the order given."""
    return _listed("stories", stories, {}, str)


def write_geojson(path: Path, events: Iterable[dict], ordered: bool = False) -> Path:
    """places.geojson of *events*, put in id order (`in_id_order`) unless *ordered* (a stream in that order)."""
    rows = events if ordered else in_id_order(list(events))
    return write_atomic(path, lambda fh: fh.writelines(geojson_chunks(rows)))


def write_stories(path: Path, stories: Iterable[dict]) -> Path:
    """stories.json holding *stories* in the order given (a list or a stream)."""
    return write_atomic(path, lambda fh: fh.writelines(stories_chunks(stories)))
