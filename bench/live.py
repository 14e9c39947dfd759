"""The live desk under load: one new article at a time into a large store (`sitrep watch`).

Measured in one process, on a copy of a store built by ``sitrep run``:

- **latency**: for each of N arrivals (new wire copy, dated after the corpus, as news comes), the
  seconds from the end of its extraction until the store answers with the article in its story
  (the story page and the API read exactly that); p50 and p95;
- **memory**: resident memory after the first 100 and after all arrivals of a longer stream.

    python bench/live.py STORE_DB [--arrivals 50] [--stream 1000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def rss_mb() -> float:
    """Resident memory of this process now (not its peak), in MB."""
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * 4096 / 1e6


def last_day(store) -> dt.date:
    from sqlalchemy import func, select

    from sitrep.store import schema as t

    with store.engine.connect() as c:
        return c.scalar(select(func.max(t.stories.c.date_end))) or dt.date(2026, 1, 1)


def arrivals(inbox: Path, start: dt.date, n: int, seed: int, offset: int = 0):
    """Write *n* new articles one by one (yielding each path), about days from *start* on: a wire's flow."""
    from corpus import article

    rng = random.Random(seed)
    for i in range(n):
        day = start + dt.timedelta(days=1 + i // 40)
        _, text = article(offset + i, rng)
        path = inbox / f"live_{offset + i:06d}.txt"
        path.write_text(f"date {day} {text}\n", encoding="utf-8")
        yield path


def measure(db: Path, n_latency: int, n_stream: int) -> dict:
    from sitrep.settings import Settings
    from sitrep.store import Store
    from sitrep.watch import Watcher

    work = Path(tempfile.mkdtemp(prefix="sitrep-live-"))
    try:
        shutil.copy(db, work / "sitrep.db")
        store = Store(f"sqlite:///{work / 'sitrep.db'}")
        stored = store.count_documents()
        inbox = work / "inbox"
        inbox.mkdir()
        watcher = Watcher([inbox], store, Settings(progress=False, workers=1), settle=0)
        watcher.warm_up()
        watcher.poll()
        start = last_day(store)
        lat, fuse, extract, rebuilt = [], [], [], 0
        for path in arrivals(inbox, start, n_latency, seed=11):
            cycle = watcher.poll()
            u = cycle.update
            shown = time.perf_counter()
            doc_id = u.doc_ids[0]
            assert store.stories_of([doc_id]), f"{doc_id} is in no story"   # what the API would answer
            answered = time.perf_counter() - shown
            lat.append(u.fuse_seconds + answered)
            fuse.append(u.fuse_seconds)
            extract.append(u.seconds - u.fuse_seconds)
            rebuilt += u.rebuilt
        mem = {}
        if n_stream:
            for i, path in enumerate(arrivals(inbox, start + dt.timedelta(days=n_latency // 40 + 1), n_stream,
                                              seed=12, offset=n_latency), 1):
                watcher.poll()
                if i in (100, n_stream):
                    mem[i] = rss_mb()
        q = statistics.quantiles(lat, n=20)
        return {"stored": stored, "arrivals": len(lat), "p50_s": statistics.median(lat), "p95_s": q[18],
                "max_s": max(lat), "extract_p50_s": statistics.median(extract),
                "rebuilt_every_story": rebuilt, "rss_after_100_mb": mem.get(100), f"rss_after_{n_stream}_mb": mem.get(n_stream),
                "documents_after": store.count_documents()}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("db", type=Path, help="a sitrep.db written by `sitrep run`")
    ap.add_argument("--arrivals", type=int, default=50)
    ap.add_argument("--stream", type=int, default=1000)
    a = ap.parse_args()
    print(json.dumps(measure(a.db, a.arrivals, a.stream)))


if __name__ == "__main__":
    main()
