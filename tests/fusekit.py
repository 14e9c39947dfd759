"""Comparing the stories and events of two stores built from the same articles in different orders."""

from __future__ import annotations

import json
import re

from sitrep.fuse.events import story_event_keys


def same_modulo_ids(stories: list[dict], events: list[dict]) -> tuple[str, str]:
    """Stories and events as comparable text. An event's timestamp is when it was coded, so it is left out.

    So is its id: an event keeps the id it was first given, and a new one gets its country's next
    number, so articles that arrive in another order than the batch run's date order number their
    events in the order they arrived. Each event is named instead by what it is (`story_event_keys`:
    story, day, place, kind), in its story's list of events too; every other field must be equal.
    """
    ids = [e["event_id_cnty"] for e in events]
    assert len(set(ids)) == len(ids) and all(re.fullmatch(r"[A-Z]{3}[1-9]\d*", i) for i in ids)
    by_story: dict[str, list[dict]] = {}
    for e in events:
        by_story.setdefault(e["story_id"], []).append(e)
    name = {e["event_id_cnty"]: k for evs in by_story.values() for e, k in zip(evs, story_event_keys(evs))}
    return (json.dumps(sorted(({**s, "event_ids": [name[i] for i in s["event_ids"]]} for s in stories),
                              key=lambda s: s["id"]), sort_keys=True),
            json.dumps(sorted(({**{k: v for k, v in e.items() if k not in ("timestamp", "event_id_cnty")},
                                "key": name[e["event_id_cnty"]]} for e in events), key=lambda e: e["key"]),
                       sort_keys=True))
