"""Readers and a writer at once: reader threads and reader processes never see an error ("database is
locked" on SQLite) nor half a replacement of the stories and events while a writer adds documents and
replaces stories in a loop. Runs on SQLite and PostgreSQL (`db_url`)."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from sitrep.records import Document
from sitrep.store import Store

ROUNDS = 40          # writer transactions of each kind
THREADS = 3          # reader threads sharing one Store, as a web app's request threads would
PROCESSES = 2        # reader processes with a Store each, as `sitrep docs` beside a running `sitrep run`
TIMEOUT = 300        # seconds before a stuck reader fails the test instead of hanging it

SRC = str(Path(__file__).resolve().parents[2] / "src")


def generation(g: int) -> tuple[list[dict], list[dict]]:
    """Round *g*'s stories and events: g + 1 of each, every one tagged with g."""
    stories = [{"id": f"story-{g}-{i}", "title": f"round {g}", "date_start": "2026-03-10", "date_end": None,
                "doc_ids": ["d000"], "round": g} for i in range(g % 5 + 1)]
    events = [{"event_id_cnty": f"PAK{g}{i}", "story_id": s["id"], "event_date": "2026-03-10", "location": "Tank",
               "latitude": 32.2, "longitude": 70.4, "fatalities": g, "round": g} for i, s in enumerate(stories)]
    return stories, events


def check(stories: list[dict], events: list[dict]) -> None:
    """What a reader may see: one whole round of stories, one whole round of events (or none yet)."""
    for rows in (stories, events):
        rounds = {r["round"] for r in rows}
        assert len(rounds) <= 1, f"rows of several rounds read at once: {sorted(rounds)}"
        if rounds:
            assert len(rows) == next(iter(rounds)) % 5 + 1, "half a replacement was read"


READER = f"""
import sys
sys.path.insert(0, {SRC!r})
from pathlib import Path
from sitrep.store import Store
url, stop, ready = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
store = Store(url)
reads = 0
while not stop.exists():
    stories, events = store.stories(), store.events()
    for rows in (stories, events):
        rounds = {{r["round"] for r in rows}}
        assert len(rounds) <= 1 and (not rounds or len(rows) == next(iter(rounds)) % 5 + 1), rows
    ids = [d.doc_id for d in store.iter_documents(batch=7)]
    assert ids == sorted(set(ids)), ids
    assert store.count_documents() >= len(ids) - 1
    reads += 1
    ready.touch()
store.close()
print(reads)
"""


@pytest.mark.slow  # reader subprocesses
def test_readers_never_fail_while_a_writer_adds_documents_and_replaces_stories(db_url, tmp_path):
    writer = Store(db_url)
    writer.add_documents([Document(doc_id="d000", text="Four soldiers were killed in Tank.", origin="d000.txt")])
    stop = tmp_path / "stop"
    ready = [tmp_path / f"ready-{n}" for n in range(PROCESSES)]
    procs = [subprocess.Popen([sys.executable, "-c", READER, db_url, str(stop), str(r)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for r in ready]
    shared = Store(db_url)
    errors: list[BaseException] = []
    reads = [0] * THREADS
    done = threading.Event()

    def read(n: int) -> None:
        try:
            while not done.is_set():
                check(shared.stories(), shared.events())
                docs = [d.doc_id for d in shared.iter_documents(batch=5)]
                assert docs == sorted(set(docs)) and "d000" in docs
                shared.get_document("d000")
                reads[n] += 1
        except BaseException as e:  # noqa: BLE001 - reported by the test below
            errors.append(e)

    threads = [threading.Thread(target=read, args=(n,), daemon=True) for n in range(THREADS)]
    for th in threads:
        th.start()
    try:
        waited = 0.0  # the writer starts once every reader has read once, so that they overlap
        while not (all(r.exists() for r in ready) and all(reads)) and waited < TIMEOUT and not errors \
                and all(p.poll() is None for p in procs):
            time.sleep(0.05)
            waited += 0.05
        for g in range(ROUNDS):
            writer.add_documents([Document(doc_id=f"d{g + 1:03}", origin=f"d{g + 1:03}.txt",
                                           text=f"Report {g} of a separate incident: {g} people died in place {g}.")])
            writer.save_extraction(f"d{g + 1:03}", "claims")
            writer.save_fusion(*generation(g))
    finally:
        done.set()
        stop.touch()
        for th in threads:
            th.join(TIMEOUT)
        results = []
        for p in procs:
            try:
                results.append(p.communicate(timeout=TIMEOUT) + (p.returncode,))
            except subprocess.TimeoutExpired:
                p.kill()
                results.append(p.communicate() + (None,))
        shared.close()
        writer.close()
    assert not [th for th in threads if th.is_alive()], "a reader thread hung"
    assert not errors, errors[0]
    for out, err, code in results:
        assert code == 0, err[-3000:]
    assert all(reads) and all(r.exists() for r in ready), "a reader never read"
    store = Store(db_url)
    try:
        assert store.count_documents() == ROUNDS + 1 and [s["round"] for s in store.stories()] == [ROUNDS - 1] * (
            (ROUNDS - 1) % 5 + 1)
    finally:
        store.close()
