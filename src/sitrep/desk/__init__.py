"""The analyst's desk: what is in a store, filtered, counted and paged, and its exports streamed.

One library layer under three front ends with the same parameter names: the web app
(`sitrep serve`, `sitrep.web`), the CLI (`sitrep stories|events|claims`) and notebooks
(`sitrep.open`). Every function takes an open `Store` and keyword filters and reads what fusion
stored; nothing here recomputes a story or an event.

>>> store = Store("sqlite:///out/sitrep.db")                        # doctest: +SKIP
>>> page = events(store, country="Nigeria", min_fatalities=5, limit=10)   # doctest: +SKIP
>>> page.total, [e["event_id_cnty"] for e in page.items]             # doctest: +SKIP
(3, ['NGA5', 'NGA2', 'NGA3'])
>>> "".join(events_csv(store, country="Nigeria"))[:14]             # doctest: +SKIP
'event_id_cnty,'
"""

from .queries import (CHANGED_MARGIN, Page, claims, claims_jsonl, document, events, events_csv, events_geojson,
                      events_jsonl, facets, fused_at, stories, stories_json, story, story_report, story_stamp)

__all__ = ["Page", "stories", "story", "story_stamp", "fused_at", "events", "claims", "document", "facets", "story_report", "events_csv", "events_jsonl", "events_geojson", "stories_json", "claims_jsonl", "CHANGED_MARGIN"]
