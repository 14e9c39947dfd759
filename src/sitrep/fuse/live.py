"""Stories kept up to date as documents arrive, without building every story again.

`stories.cluster` takes documents in date order, and a dated document can only join a story that
began at most WINDOW_DAYS before it. So a new document dated D can change the stories of the
documents that come after it in that order, and those can only join stories that began on
D - WINDOW_DAYS or later. Clustering again the documents of exactly those stories (and of the
stories no document dates) gives the stories a full rebuild gives:

- a document ordered before the new one still chooses what it chose: its best story is among
  those clustered again, or it started a story of its own there;
- a document ordered after it could only ever choose among the stories clustered again.

Of the stories that result, only those whose documents (or near-copies) changed are built again
and saved; event ids, numbered per country over the whole store, are then renumbered in the
countries whose events changed. A document that arrives without any date, or a changed text of
a stored document, makes one full rebuild instead (the ordering argument does not hold for them).

`LiveFusion` keeps the fusion records (`DocInfo`) of recent documents between calls, so that a
watch process reads each document's mentions and claims once; older ones are dropped as the
arrivals move on, so memory stays flat however long it runs.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import OrderedDict
from collections.abc import Iterable

from . import build_story
from .docs import DocInfo, doc_info, is_background
from .events import add_copies, number_events
from .stories import WINDOW_DAYS, Story, cluster

log = logging.getLogger(__name__)

FULL = "full"   # meta "fusion": how the stored stories were last built


class LiveFusion:
    """Builds the stories of a store, all of them (`rebuild`) or those new documents touch (`refresh`)."""

    def __init__(self, store, keep: int = 4000):
        self.store = store
        self.keep = keep                                  # fusion records kept between calls, at most
        self._infos: OrderedDict[str, DocInfo] = OrderedDict()

    # -- reading documents ---------------------------------------------------------------

    def background(self):
        return is_background

    def infos(self, ids: Iterable[str] | None = None) -> list[DocInfo]:
        """The fusion records of the extracted originals among *ids* (all of them when None)."""
        ids = None if ids is None else sorted(set(ids))
        missing = [i for i in ids if i not in self._infos] if ids is not None else None
        found = {i: self._infos[i] for i in ids or () if i in self._infos}
        if missing is None or missing:
            for doc, sentences, mentions, claims, stamp, vector in self.store.extractions(ids=missing):
                info = doc_info(doc, mentions, claims, self.background(), sentences)
                info.ingested_at, info.vector = stamp, vector
                found[doc.doc_id] = info
        if ids is None:
            return [found[k] for k in sorted(found)]
        return [found[i] for i in ids if i in found]

    def _remember(self, infos: Iterable[DocInfo]) -> None:
        for info in infos:
            self._infos[info.doc_id] = info
            self._infos.move_to_end(info.doc_id)
        while len(self._infos) > self.keep:
            self._infos.popitem(last=False)

    def warm(self) -> int:
        """Read the fusion records of the latest stories' documents now (a watch starting up), so the
        first arrivals find them; returns how many."""
        latest = self.store.latest_first_day()
        if latest is None:
            return 0
        members = self.store.story_members(latest - dt.timedelta(days=2 * WINDOW_DAYS))
        copies = self.store.copies()
        infos = self.infos({d for ds in members.values() for d in ds if d not in copies})
        self._remember(infos)
        return len(infos)

    # -- building -----------------------------------------------------------------------

    def rebuild(self) -> tuple[list[dict], list[dict]]:
        """Cluster every extracted document and replace every story and event."""
        infos = self.infos()
        copies = self.store.copies()
        clusters = cluster(infos)
        stories, events, firsts = self._build(clusters, copies)
        number_events(events, stories)
        stories.sort(key=lambda s: (s["date_start"] or "", s["id"]))
        self.store.save_fusion(stories, events, first_days=firsts)
        self.store.set_meta("fusion", FULL)
        self._infos.clear()
        self._remember(sorted((i for i in infos if i.event_date), key=lambda i: i.event_date)[-self.keep:])
        return stories, events

    @staticmethod
    def _build(clusters: list[Story], copies: dict[str, str]):
        stories, events, firsts = [], [], {}
        for story in clusters:
            s, evs = build_story(story, copies)
            stories.append(s)
            events += evs
            firsts[s["id"]] = story.start
        add_copies(events, copies)
        return stories, events, firsts

    def refresh(self, doc_ids: Iterable[str], updated: bool = False) -> tuple[list[str], bool]:
        """Bring the stored stories up to date after *doc_ids* were stored new (or changed, *updated*).

        Returns the ids of the stories built again and whether that was every story.
        """
        doc_ids = sorted(set(doc_ids))
        if updated or self.store.meta_value("fusion") != FULL:
            return self._everything()
        if not doc_ids:
            return [], False
        copies = self.store.copies()
        originals = {i for i in doc_ids if i not in copies}
        roots = {copies[i] for i in doc_ids if i in copies}       # a new near-copy changes its original's story
        if any(o in originals and c not in doc_ids for c, o in copies.items()):
            return self._everything()   # a new text older than stored ones: they became its copies
        new, root_infos = self.infos(originals), self.infos(roots)
        if len(new) < len(originals) or any(i.event_date is None for i in new + root_infos):
            return self._everything()
        days = [i.event_date for i in new + root_infos if i.event_date]
        if not days:
            return [], False
        since = min(days) - dt.timedelta(days=WINDOW_DAYS)
        members = self.store.story_members(since)                 # story id -> its documents and copies
        slice_ids = {d for ds in members.values() for d in ds if d not in copies} | originals
        infos = self.infos(slice_ids)
        self._remember(infos)
        clusters = cluster(infos)
        before = {frozenset(d for d in ds if d not in copies): sid for sid, ds in members.items()}
        touched_roots = roots | originals
        changed = [c for c in clusters
                   if frozenset(d.doc_id for d in c.docs) not in before
                   or touched_roots & {d.doc_id for d in c.docs}]
        kept = {frozenset(d.doc_id for d in c.docs) for c in clusters} - {frozenset(d.doc_id for d in c.docs)
                                                                          for c in changed}
        gone = [sid for ids, sid in before.items() if ids not in kept]
        stories, events, firsts = self._build(changed, copies)
        # Event ids run per country in date order over the whole store: the events dated before the
        # earliest one that changed keep theirs, the rest are numbered again after them.
        old = self.store.event_countries_days(gone)    # (country, day) of the events of the stories replaced
        days = [dt.date.fromisoformat(e["event_date"]) for e in events if e["event_date"]] + \
            [d for _, d in old if d is not None]
        countries = {e["country"] or None for e in events} | {c for c, _ in old}
        cut = min(days) if days else None
        replaced = set(gone)
        others = [e for e in self.store.events_in(countries, since=cut) if e["story_id"] not in replaced]
        stored_ids = {e["event_id_cnty"]: e for e in others}
        number_events(others + events, None, self.store.count_events_before(countries, cut) if cut else None)
        ids = {old: e["event_id_cnty"] for old, e in stored_ids.items() if e["event_id_cnty"] != old}
        by_story: dict[str, list[str]] = {}
        for e in events:
            by_story.setdefault(e["story_id"], []).append(e["event_id_cnty"])
        for s in stories:
            s["event_ids"] = by_story.get(s["id"], [])
        self.store.save_fusion(stories, events, replace=gone, first_days=firsts, renamed=ids)
        return [s["id"] for s in stories], False

    def _everything(self) -> tuple[list[str], bool]:
        """`refresh`'s answer when every story had to be built again."""
        return [s["id"] for s in self.rebuild()[0]], True
