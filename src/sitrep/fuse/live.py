"""Stories kept up to date as documents arrive, without building every story again; and the full
rebuild, in date order with only the open stories' documents in memory.

`stories.cluster` takes documents in date order, and a dated document can only join a story that
began at most WINDOW_DAYS before it. So a new document dated D can change the stories of the
documents that come after it in that order, and those can only join stories that began on
D - WINDOW_DAYS or later. Clustering again the documents of exactly those stories (and of the
stories no document dates) gives the stories a full rebuild gives:

- a document ordered before the new one still chooses what it chose: its best story is among
  those clustered again, or it started a story of its own there;
- a document ordered after it could only ever choose among the stories clustered again.

Of the stories that result, only those whose documents (or near-copies) changed are built again
and saved. A document that arrives without any date, or a changed text of a stored document,
makes one full rebuild instead (the ordering argument does not hold for them).

The same argument makes the full rebuild (`rebuild`, what ``sitrep run`` does) a sweep in date
order (`sitrep.fuse.sweep`): each document's fusion record is read once into a scratch file, then
read back in date order; a story is built as soon as the documents have moved past its window, and
its documents are let go. Memory holds the documents of WINDOW_DAYS, not the corpus. Stories and
events go to the scratch file as they are built, and replace the stored ones in one transaction at
the end: readers see the old stories until then, and a rebuild that fails leaves them.

Event ids (ACLED's style: a country's alpha-3 code and a running number) are kept: an event keeps
the id it was given for as long as it lasts (the same story, day, place and kind of act:
`events.story_event_keys`), in every later rebuild and live update; an event new to the store gets
the next number of its country, never one given before (the store's event_ids table). On a new
store the numbers run in date order, as `events.number_events` gives them.

`LiveFusion` keeps the fusion records (`DocInfo`) of recent documents between calls, so that a
watch process reads each document's mentions and claims once; older ones are dropped as the
arrivals move on, so memory stays flat however long it runs.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import OrderedDict, deque
from collections.abc import Iterable, Iterator

from ..claims.vocab import is_background
from ..engine import batched
from . import build_story
from .docs import DocInfo, doc_info
from .events import add_copies, copies_by_original, give_ids, story_event_keys
from .stories import WINDOW_DAYS, Story, cluster
from .sweep import Spill, windowed

log = logging.getLogger(__name__)

FULL = "full"   # meta "fusion": how the stored stories were last built


class LiveFusion:
    """Builds the stories of a store, all of them (`rebuild`) or those new documents touch (`refresh`)."""

    def __init__(self, store, keep: int = 4000):
        self.store = store
        self.keep = keep                                  # fusion records kept between calls, at most
        self._infos: OrderedDict[str, DocInfo] = OrderedDict()

    # -- reading documents ---------------------------------------------------------------

    def infos(self, ids: Iterable[str]) -> list[DocInfo]:
        """The fusion records of the extracted originals among *ids*, in id order."""
        ids = sorted(set(ids))
        found = {i: self._infos[i] for i in ids if i in self._infos}
        missing = [i for i in ids if i not in found]
        if missing:
            found.update((info.doc_id, info) for info in self._read(missing))
        return [found[i] for i in ids if i in found]

    def _read(self, ids: list[str] | None = None) -> Iterator[DocInfo]:
        """The fusion records of the extracted originals among *ids* (every one when None), read from
        the store batch by batch, in id order."""
        for doc, sentences, mentions, claims, stamp, vector in self.store.extractions(ids=ids):
            info = doc_info(doc, mentions, claims, is_background, sentences)
            info.ingested_at, info.vector = stamp, vector
            yield info

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

    def rebuild(self) -> tuple[list[str], int]:
        """Cluster every extracted document and replace every story and event (see the module's
        docstring); returns the ids of the stories and how many events there are."""
        copies = self.store.copies()
        of = copies_by_original(copies)
        tail: deque[DocInfo] = deque(maxlen=self.keep)   # the latest dated records, for later refreshes
        with Spill() as spill:
            undated = 0
            for batch in batched(self._read(), 200):
                embed_missing(batch)
                spill.add_docs(batch)
                undated += sum(i.event_date is None for i in batch)
            staged = _Staging(self.store, spill, copies, of)
            for n, story in windowed(spill, undated > 0, seen=tail.append):
                staged.add(n, story)
            staged.flush()
            staged.number()
            ids: list[str] = []

            def stories():
                for s, first_day in spill.stories():
                    ids.append(s["id"])
                    yield s, first_day

            self.store.replace_fusion(stories(), spill.events(), spill.new_ids())
            events = spill.counts()[1]
        self.store.set_meta("fusion", FULL)
        self._infos.clear()
        self._remember(tail)
        return sorted(ids), events

    def _build(self, clusters: list[Story], copies: dict[str, str]):
        of = copies_by_original(copies)
        stories, events, firsts = [], [], {}
        for story in clusters:
            s, evs = build_story(story, copies, of)
            stories.append(s)
            events += evs
            firsts[s["id"]] = story.start
        add_copies(events, copies, of)
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
        # Events that were stored before keep their ids; the others get their countries' next numbers.
        by_story: dict[str, list[dict]] = {}
        for e in events:
            by_story.setdefault(e["story_id"], []).append(e)
        keys = [k for evs in by_story.values() for k in story_event_keys(evs)]
        listed = [e for evs in by_story.values() for e in evs]
        new_ids = give_ids(listed, self.store.event_ids_of(keys), self.store.last_event_numbers(), keys)
        for s in stories:
            s["event_ids"] = [e["event_id_cnty"] for e in by_story.get(s["id"], [])]
        self.store.save_fusion(stories, events, replace=gone, first_days=firsts, new_ids=new_ids)
        return [s["id"] for s in stories], False

    def _everything(self) -> tuple[list[str], bool]:
        """`refresh`'s answer when every story had to be built again."""
        return self.rebuild()[0], True


def embed_missing(infos: list[DocInfo]) -> None:
    """Embed the leads of *infos* that have no vector (the per-document stage stores them; see `cluster`)."""
    missing = [i for i in infos if i.vector is None]
    if missing:
        from ..nlp.embed import Embedder

        for info, vector in zip(missing, Embedder.shared()([i.lead for i in missing])):
            info.vector = vector


class _Staging:
    """The stories of a rebuild, built and kept in the scratch file, their events' ids looked up in
    batches, then the new events numbered."""

    def __init__(self, store, spill: Spill, copies: dict[str, str], of: dict[str, list[str]]):
        self.store, self.spill, self.copies, self.of = store, spill, copies, of
        self.pending: list[tuple[int, dict, dt.date | None, list[dict], list[str]]] = []
        self.size = 0

    def add(self, n: int, story: Story) -> None:
        s, evs = build_story(story, self.copies, self.of)
        add_copies(evs, self.copies, self.of)
        self.pending.append((n, s, story.start, evs, story_event_keys(evs)))
        self.size += len(evs) + len(s["doc_ids"])   # a story's record grows with its documents
        if self.size >= 500:
            self.flush()

    def flush(self) -> None:
        """Stage the stories built, the ids their events had before with them."""
        known = self.store.event_ids_of(k for *_, keys in self.pending for k in keys)
        for n, s, first_day, evs, keys in self.pending:
            self.spill.stage(n, s, first_day, evs, keys, known)
        self.pending, self.size = [], 0

    def number(self) -> None:
        """Number the events new to the store: in id order (`events.number_events`'), one day at a
        time, after the highest number their countries have used."""
        last = self.store.last_event_numbers()
        for undated, day in self.spill.unnumbered_days():
            rows = self.spill.unnumbered(undated, day)
            events = [e for *_, e in rows]
            give_ids(events, {}, last, [key for _, _, key, _ in rows])
            self.spill.number([(e["event_id_cnty"], n, pos) for (n, pos, _, _), e in zip(rows, events)])
