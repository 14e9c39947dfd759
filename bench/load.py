"""Load test: concurrent API readers on loopback while `sitrep watch` ingests articles.

A copy of a store built by ``sitrep run`` is served by ``sitrep serve`` (one process) and watched
by ``sitrep watch`` (another) while *readers* threads read the API for *seconds*: the story list,
single stories, filtered events and claims, and the HTML story page. Meanwhile *articles* new
articles are dropped into the watched folder. Prints requests, errors and latency percentiles.
An error is a failed connection or any answer but 200, except a 404 for a story the watch merged
into another meanwhile (its id changes when an earlier report joins it): those are counted apart.

    python bench/load.py STORE_DB [--readers 20] [--seconds 30] [--articles 200]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_up(base: str, timeout: float = 120) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/api/v1/stories?limit=1", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"the web app at {base} did not answer within {timeout:.0f} s")


def reader(base: str, stop: float, seed: int, story_ids: list[str], countries: list[str], out: list, errors: list,
           gone: list):
    import httpx

    rng = random.Random(seed)
    with httpx.Client(base_url=base, timeout=30) as client:
        while time.monotonic() < stop:
            sid = rng.choice(story_ids)
            path = rng.choice([
                "/api/v1/stories?limit=25",
                f"/api/v1/stories/{sid}",
                f"/api/v1/events?country={rng.choice(countries)}&min_fatalities={rng.randrange(0, 20)}&limit=50",
                f"/api/v1/claims?predicate=killed&limit=50&offset={rng.randrange(0, 500)}",
                f"/stories/{sid}",
                "/",
            ])
            started = time.perf_counter()
            try:
                r = client.get(path)
                ok = r.status_code == 200
            except httpx.HTTPError as e:
                ok, r = False, e
            out.append(time.perf_counter() - started)
            if not ok and getattr(r, "status_code", None) == 404 and sid in path:
                gone.append(path)   # a story the watch merged into another since the readers took its id
            elif not ok:
                errors.append(f"{path}: {getattr(r, 'status_code', r)}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("db", type=Path)
    ap.add_argument("--readers", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--articles", type=int, default=200)
    a = ap.parse_args()
    print(json.dumps(load(a.db, a.readers, a.seconds, a.articles)))


def load(db: Path, readers: int, seconds: float, articles: int) -> dict:
    from live import arrivals, last_day

    from sitrep.store import Store

    sitrep = [sys.executable, "-m", "sitrep.cli"]
    work = Path(tempfile.mkdtemp(prefix="sitrep-load-"))
    procs = []
    try:
        shutil.copy(db, work / "sitrep.db")
        url = f"sqlite:///{work / 'sitrep.db'}"
        store = Store(url)
        story_ids = [s["id"] for s in store.stories()][-200:]
        countries = sorted({e["country"] for e in store.events()[-2000:] if e.get("country")}) or ["Pakistan"]
        start = last_day(store)
        stored = store.count_documents()
        store.close()
        inbox = work / "inbox"
        inbox.mkdir()
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        procs.append(subprocess.Popen([*sitrep, "serve", "--db", url, "--port", str(port)],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True))
        watch = subprocess.Popen([*sitrep, "watch", str(inbox), "--db", url, "--interval", "0.5", "--settle", "0"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        procs.append(watch)
        wait_up(base)
        time.sleep(20)   # the watch loads its models; readers start when it can ingest
        stop = time.monotonic() + seconds
        latencies: list[float] = []
        errors: list[str] = []
        gone: list[str] = []
        threads = [threading.Thread(target=reader, args=(base, stop, i, story_ids, countries, latencies, errors, gone))
                   for i in range(readers)]
        for t in threads:
            t.start()
        feed = arrivals(inbox, start, articles, seed=21, offset=500_000)
        dropped = 0
        while time.monotonic() < stop - 1:
            if dropped < articles:
                next(feed)
                dropped += 1
            time.sleep(max(0.0, (seconds - 2) / max(articles, 1)))
        for t in threads:
            t.join()
        time.sleep(1)
        check = Store(url)
        ingested = check.count_documents() - stored
        check.close()
        q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0] * 99
        return {"readers": readers, "seconds": seconds, "requests": len(latencies), "errors": len(errors),
                "story_gone_404": len(gone),
                "error_samples": errors[:5], "p50_ms": round(q[49] * 1000), "p95_ms": round(q[94] * 1000),
                "max_ms": round(max(latencies, default=0) * 1000), "articles_dropped": dropped,
                "articles_ingested": ingested, "stored_before": stored}
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
