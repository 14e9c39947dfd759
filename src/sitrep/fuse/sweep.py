"""A full rebuild in date order, holding only the documents of the stories still open.

`stories.cluster` takes documents in date order, and a dated document joins only a story that began
at most WINDOW_DAYS before it. So once the documents have moved past a story's window, no later dated
document can join it: it is built then, and its documents let go. `Sweep` is `cluster` taken one
document at a time in the same order, which says which stories each document closed; it gives the
same stories (the same documents, in the same order, with the same vectors).

Documents without a date come last, against every story (`cluster`'s rule). What that needs of a
closed story is its summary, not its documents: the centroid, places, groups, countries and days
(`summary`). Only when the corpus has undated documents are summaries kept, and only the stories
they join or start are built again at the end.

`Spill` is the scratch file that makes this possible without holding the corpus: every document's
fusion record (pickled, so each is read from the store once), read back in date order, and the
stories and events built, until they replace the stored ones in one transaction
(`Store.replace_fusion`). It is SQLite's temporary database: a file in the temporary folder (about
5 KB a document) that no one else sees and that goes when the rebuild ends, however it ends.
"""

from __future__ import annotations

import datetime as dt
import json
import pickle
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import replace

from ..store import weighed
from .docs import DocInfo
from .stories import THRESHOLD, WINDOW_DAYS, Story, similarity

PAGE = 200        # documents, stories or events read back from the scratch file at a time, at most
PAGE_DOCS = 500   # stories read back at a time: about this many documents' worth


def summary(story: Story) -> Story:
    """*story* without its documents: what `similarity` reads of it (the places of violence keep their
    country and regions, not their sentences). Changes *story* itself, which is built already."""
    story.docs = []
    story.sites = {k: replace(t, sentences=[], surfaces=set()) for k, t in story.sites.items()}
    story.areas = {k: replace(t, sentences=[], surfaces=set()) for k, t in story.areas.items()}
    return story


class Sweep:
    """`stories.cluster`, one document at a time: dated documents in date order (`add`), then the
    undated ones (`add_undated`). Stories are numbered in the order they began."""

    def __init__(self, threshold: float = THRESHOLD):
        self.threshold = threshold
        self.active: list[tuple[int, Story]] = []   # stories a dated document can still join
        self.summaries: list[tuple[int, Story]] = []   # every story, for the undated documents
        self.count = 0

    def _best(self, doc: DocInfo, pool: list[tuple[int, Story]]) -> tuple[int, Story] | None:
        main = doc.main_places()
        best, score = None, 0.0
        for n, s in pool:   # the first of equal scores wins, as max() in cluster
            x = similarity(doc, doc.vector, s, main)
            if best is None or x > score:
                best, score = (n, s), x
        return best if best is not None and score >= self.threshold else None

    def _new(self, doc: DocInfo) -> tuple[int, Story]:
        story = Story()
        story.add(doc, doc.vector)
        self.count += 1
        return self.count - 1, story

    def add(self, doc: DocInfo) -> list[tuple[int, Story]]:
        """Place the dated *doc* (documents come in `Spill.ordered` order); returns the stories that
        began more than WINDOW_DAYS before it: nothing dated can join them any more."""
        closed = [(n, s) for n, s in self.active if s.start is not None and (doc.event_date - s.start).days > WINDOW_DAYS]
        if closed:
            self.active = [(n, s) for n, s in self.active if s.start is None
                           or (doc.event_date - s.start).days <= WINDOW_DAYS]
        best = self._best(doc, self.active)
        if best is not None:
            best[1].add(doc, doc.vector)
        else:
            self.active.append(self._new(doc))
        return closed

    def close(self) -> list[tuple[int, Story]]:
        """The stories still open once every dated document is placed."""
        closed, self.active = self.active, []
        return closed

    def keep(self, n: int, story: Story) -> None:
        """Keep the summary of story *n*, built already, for the undated documents."""
        self.summaries.append((n, summary(story)))

    def add_undated(self, doc: DocInfo) -> int:
        """Place an undated *doc* against every story; returns the number of the story it joined or began."""
        self.summaries.sort(key=lambda ns: ns[0])   # in the order they began, as cluster lists them
        best = self._best(doc, self.summaries)
        if best is None:
            best = self._new(doc)
            self.summaries.append(best)
        else:
            best[1].add(doc, doc.vector)
        summary(best[1])
        return best[0]


def windowed(spill: "Spill", undated: bool, seen=lambda info: None) -> Iterator[tuple[int, Story]]:
    """The stories `cluster` makes of the documents in *spill*, each as soon as no document can change it:
    (its number, in the order stories began; the story). With *undated* documents, a story they join
    comes again at the end, whole: it replaces the one given before under its number. *seen* is called
    with each dated document in order."""
    sweep = Sweep()

    def closing(closed: list[tuple[int, Story]]) -> Iterator[tuple[int, Story]]:
        for n, story in closed:
            yield n, story          # built by the caller now, while it holds its documents
            if undated:
                spill.assign(n, story.docs)
                sweep.keep(n, story)

    for info in spill.ordered(undated=False):
        yield from closing(sweep.add(info))
        seen(info)
    yield from closing(sweep.close())
    if undated:   # placed last, against every story; the stories they join are built again
        joined = set()
        for info in spill.ordered(undated=True):
            n = sweep.add_undated(info)
            spill.assign(n, [info])
            joined.add(n)
        for n in sorted(joined):
            story = Story()
            for info in spill.members(n):
                story.add(info, info.vector)
            yield n, story


class Spill:
    """The scratch file of one rebuild: documents' fusion records in date order, stories and events built."""

    def __init__(self):
        # SQLite's own temporary database: a file in the temporary folder beyond its 8 MB of cache, removed
        # by SQLite when closed and already unlinked while open, so a killed run leaves nothing behind.
        self.db = sqlite3.connect("")
        for pragma in ("temp_store=FILE", "journal_mode=OFF", "synchronous=OFF", "cache_size=-8000"):
            self.db.execute(f"PRAGMA {pragma}")
        self.db.executescript("""
            CREATE TABLE docs (doc_id TEXT PRIMARY KEY, undated INTEGER, day TEXT, story INTEGER, info BLOB);
            CREATE INDEX docs_order ON docs (undated, day, doc_id);
            CREATE INDEX docs_story ON docs (story);
            CREATE TABLE stories (n INTEGER PRIMARY KEY, first_day TEXT, docs INTEGER, data TEXT);
            CREATE TABLE events (n INTEGER, pos INTEGER, event_key TEXT, undated INTEGER, day TEXT,
                                 event_id TEXT, new INTEGER DEFAULT 0, data TEXT, PRIMARY KEY (n, pos));
            CREATE INDEX events_unnumbered ON events (event_id, undated, day);
        """)

    def __enter__(self) -> "Spill":
        return self

    def __exit__(self, *exc) -> None:
        self.db.close()

    # -- documents --------------------------------------------------------------------

    def add_docs(self, infos: Iterable[DocInfo]) -> None:
        self.db.executemany("INSERT INTO docs (doc_id, undated, day, info) VALUES (?, ?, ?, ?)",
                            [(i.doc_id, i.event_date is None, i.event_date.isoformat() if i.event_date else "",
                              pickle.dumps(i, protocol=5)) for i in infos])

    def ordered(self, undated: bool) -> Iterator[DocInfo]:
        """The dated documents by day and id (`cluster`'s order), or the undated ones by id."""
        day, doc_id = "", ""
        while True:
            rows = self.db.execute("SELECT day, doc_id, info FROM docs WHERE undated = ? AND (day, doc_id) > (?, ?) "
                                   "ORDER BY day, doc_id LIMIT ?", (undated, day, doc_id, PAGE)).fetchall()
            if not rows:
                return
            for _, _, blob in rows:
                yield pickle.loads(blob)
            day, doc_id = rows[-1][0], rows[-1][1]

    def assign(self, n: int, infos: Iterable[DocInfo]) -> None:
        """Note that *infos* belong to story *n*."""
        self.db.executemany("UPDATE docs SET story = ? WHERE doc_id = ?", [(n, i.doc_id) for i in infos])

    def members(self, n: int) -> list[DocInfo]:
        """The documents of story *n*, in `cluster`'s order (dated by day and id, then undated by id)."""
        return [pickle.loads(blob) for blob, in self.db.execute(
            "SELECT info FROM docs WHERE story = ? ORDER BY undated, day, doc_id", (n,))]

    # -- stories and events ---------------------------------------------------------------

    def stage(self, n: int, story: dict, first_day: dt.date | None, events: list[dict], keys: list[str],
              known: dict[str, str]) -> None:
        """Keep story *n* and its *events* (their *keys*; ids of *known* keys kept) until the store
        takes them, replacing an earlier story *n*."""
        self.db.execute("DELETE FROM stories WHERE n = ?", (n,))
        self.db.execute("DELETE FROM events WHERE n = ?", (n,))
        self.db.execute("INSERT INTO stories VALUES (?, ?, ?, ?)", (n, first_day.isoformat() if first_day else None,
                                                                   len(story["doc_ids"]), json.dumps(story, ensure_ascii=False)))
        self.db.executemany("INSERT INTO events (n, pos, event_key, undated, day, event_id, data) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?)",
                            [(n, pos, key, not e["event_date"], e["event_date"] or "", known.get(key),
                              json.dumps(e, ensure_ascii=False)) for pos, (e, key) in enumerate(zip(events, keys))])

    def unnumbered_days(self) -> list[tuple[bool, str]]:
        """The days (undated last) of the events that have no id yet, in order."""
        return self.db.execute("SELECT DISTINCT undated, day FROM events WHERE event_id IS NULL "
                               "ORDER BY undated, day").fetchall()

    def unnumbered(self, undated: bool, day: str) -> list[tuple[int, int, str, dict]]:
        """(story, position, key, event) of the events of one day that have no id yet."""
        return [(n, pos, key, json.loads(data)) for n, pos, key, data in self.db.execute(
            "SELECT n, pos, event_key, data FROM events WHERE event_id IS NULL AND undated = ? AND day = ? "
            "ORDER BY n, pos", (undated, day))]

    def number(self, ids: list[tuple[str, int, int]]) -> None:
        """Give events (story, position) the new ids *ids* (id, story, position)."""
        self.db.executemany("UPDATE events SET event_id = ?, new = 1 WHERE n = ? AND pos = ?", ids)

    def stories(self) -> Iterator[tuple[dict, dt.date | None]]:
        """Every staged story with its events' ids, and its first day, in the order they began."""
        last = -1
        while True:   # a page holds a few hundred documents' stories: a story grows with its documents
            sizes = self.db.execute("SELECT n, docs FROM stories WHERE n > ? ORDER BY n LIMIT ?",
                                    (last, PAGE)).fetchall()
            if not sizes:
                return
            upto = next(iter(weighed(sizes, PAGE, PAGE_DOCS, lambda r: r[1])))[-1][0]
            rows = self.db.execute("SELECT n, first_day, data FROM stories WHERE n > ? AND n <= ? ORDER BY n",
                                   (last, upto)).fetchall()
            ids: dict[int, list[str]] = {}
            for n, event_id in self.db.execute("SELECT n, event_id FROM events WHERE n > ? AND n <= ? "
                                               "ORDER BY n, pos", (last, upto)):
                ids.setdefault(n, []).append(event_id)
            for n, first_day, data in rows:
                s = json.loads(data)
                s["event_ids"] = ids.get(n, [])
                yield s, dt.date.fromisoformat(first_day) if first_day else None
            last = upto

    def events(self) -> Iterator[dict]:
        """Every staged event, with its id."""
        last = (-1, -1)
        while True:
            rows = self.db.execute("SELECT n, pos, event_id, data FROM events WHERE (n, pos) > (?, ?) "
                                   "ORDER BY n, pos LIMIT ?", (*last, PAGE)).fetchall()
            if not rows:
                return
            for _, _, event_id, data in rows:
                e = json.loads(data)
                e["event_id_cnty"] = event_id
                yield e
            last = rows[-1][:2]

    def new_ids(self) -> Iterator[tuple[str, str]]:
        """(id, key) of the events given an id for the first time."""
        yield from self.db.execute("SELECT event_id, event_key FROM events WHERE new = 1")

    def counts(self) -> tuple[int, int]:
        return (self.db.execute("SELECT count(*) FROM stories").fetchone()[0],
                self.db.execute("SELECT count(*) FROM events").fetchone()[0])
