"""Memory of fusion and the output files as the store grows, without extracting a large corpus.

The per-document stage reads about 15 news-length articles a second here, so a store of 30,000
extracted articles takes more than half an hour to make. This bench makes one cheaply instead:
from a store that `sitrep run` wrote (say on 1,000 realistic articles, `bench/corpus.py`), it copies
every document with its extraction (sentences, mentions, claims, lead embedding) N times under new
ids, each copy's dates moved by a whole number of weeks and folded into the same 42 weeks, so the
larger store is as dense in time as a real corpus of its size (`write_corpus` spreads any number of
articles over 300 days): stories grow, windows hold more documents. Then, in a fresh process,
`pipeline.fuse_stage` (every story and event built again) and `pipeline.write_outputs` (every file)
run on a copy, and the process's peak RSS and the seconds of each part (wall clock and CPU) are printed.

    python bench/fusion.py STORE_DB --copies 1,10,30 [--out DIR]

What it leaves out: ingestion and the per-document stage (their models dominate a run's memory;
`bench/run.py`'s run_memory row measures whole runs).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FOLD_DAYS = 294   # 42 weeks: copies are folded into this span; a shift of whole weeks keeps each weekday true


def scale_store(src: Path, dst: Path, copies: int) -> Path:
    """A copy of the SQLite store *src* at *dst* holding *copies* times its extracted documents.

    Copy k of document d is ``d~k`` (copy 0 keeps its id); its publication date, its date mentions
    and its claims' dates move by the same whole number of weeks, folded into FOLD_DAYS from the
    corpus's first day. Stories, events and near-duplicate bands are not copied (fusion makes the
    former again; the latter only serve ingestion)."""
    shutil.copyfile(src, dst)
    db = sqlite3.connect(dst)
    db.execute("PRAGMA journal_mode=OFF")
    db.execute("PRAGMA synchronous=OFF")
    for table in ("story_docs", "events", "stories", "doc_bands"):
        db.execute(f"DELETE FROM {table}")
    first = dt.date.fromisoformat(db.execute("SELECT min(published) FROM documents").fetchone()[0])
    docs = db.execute("SELECT doc_id, published FROM documents").fetchall()
    cols = {t: [r[1] for r in db.execute(f"PRAGMA table_info({t})")] for t in ("documents", "sentences",
                                                                              "mentions", "claims")}

    def shift_of(published: str | None, k: int) -> int:
        if not published:
            return 0
        day = (dt.date.fromisoformat(published) - first).days
        return (day + 7 * k) % FOLD_DAYS - day

    def moved(value: str | None, days: int) -> str | None:
        try:
            return (dt.date.fromisoformat(value) + dt.timedelta(days=days)).isoformat() if value else value
        except ValueError:
            return value

    for k in range(copies):
        for doc_id, published in docs:
            days = shift_of(published, k)
            new = doc_id if k == 0 else f"{doc_id}~{k}"
            if k == 0 and days == 0:
                continue
            row = dict(zip(cols["documents"], db.execute("SELECT * FROM documents WHERE doc_id = ?",
                                                          (doc_id,)).fetchone()))
            row.update(doc_id=new, published=moved(published, days),
                       content_hash=f"{row['content_hash'][:48]}{k:016d}")
            if row.get("duplicate_of") and k:
                row["duplicate_of"] = f"{row['duplicate_of']}~{k}"
            if k == 0:
                db.execute("UPDATE documents SET published = ? WHERE doc_id = ?", (row["published"], doc_id))
                db.execute("UPDATE claims SET published = ? WHERE doc_id = ?", (row["published"], doc_id))
                for mid, label in db.execute("SELECT id, label FROM mentions WHERE doc_id = ? AND kind = 'date'",
                                             (doc_id,)).fetchall():
                    db.execute("UPDATE mentions SET label = ? WHERE id = ?", (moved(label, days), mid))
                continue
            db.execute(f"INSERT INTO documents ({','.join(row)}) VALUES ({','.join('?' * len(row))})",
                       list(row.values()))
            db.execute(f"INSERT INTO sentences (doc_id, idx, char_start, char_end) "
                       f"SELECT ?, idx, char_start, char_end FROM sentences WHERE doc_id = ?", (new, doc_id))
            m = [c for c in cols["mentions"] if c not in ("id", "doc_id", "label")]
            db.execute(f"INSERT INTO mentions (doc_id, label, {','.join(m)}) SELECT ?, label, {','.join(m)} "
                       f"FROM mentions WHERE doc_id = ? ORDER BY id", (new, doc_id))
            for mid, label in db.execute("SELECT id, label FROM mentions WHERE doc_id = ? AND kind = 'date'",
                                         (new,)).fetchall():
                db.execute("UPDATE mentions SET label = ? WHERE id = ?", (moved(label, days), mid))
            c = [c for c in cols["claims"] if c not in ("id", "doc_id", "published")]
            db.execute(f"INSERT INTO claims (doc_id, published, {','.join(c)}) SELECT ?, ?, {','.join(c)} "
                       f"FROM claims WHERE doc_id = ? ORDER BY id", (new, row["published"], doc_id))
        db.commit()
    db.execute("DELETE FROM meta WHERE key IN ('fusion', 'fused_at')")
    db.commit()
    db.execute("VACUUM")
    db.close()
    return dst


def child(db: str, out: str) -> None:
    """Fusion then every output file on the store *db*, in this (fresh) process; prints JSON."""
    from sitrep.pipeline import RunReport, fuse_stage, write_outputs
    from sitrep.store import Store

    def cpu() -> float:
        r = resource.getrusage(resource.RUSAGE_SELF)
        return r.ru_utime + r.ru_stime

    store = Store(f"sqlite:///{db}")
    report = RunReport(out_dir=Path(out), db_url=store.url)
    started, started_cpu = time.perf_counter(), cpu()
    fuse_stage(store, report)
    fused, fused_cpu = time.perf_counter(), cpu()
    write_outputs(store, Path(out))
    done, done_cpu = time.perf_counter(), cpu()
    print(json.dumps({"documents": store.count_documents(), "stories": report.stories, "events": report.events,
                      "fuse_s": round(fused - started, 1), "outputs_s": round(done - fused, 1),
                      "fuse_cpu_s": round(fused_cpu - started_cpu, 1), "outputs_cpu_s": round(done_cpu - fused_cpu, 1),
                      "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}))


def measure(db: Path, work: Path) -> dict:
    """`child` on a copy of *db* (the store is rewritten by fusion), in a fresh process."""
    copy = work / "fused.db"
    shutil.copyfile(db, copy)
    out = work / "out"
    proc = subprocess.run([sys.executable, __file__, "--child", str(copy), str(out)], capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-2000:])
    copy.unlink()
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("store", nargs="?", help="a SQLite store written by sitrep run")
    ap.add_argument("--copies", default="1,10,30", help="how many times the store's documents, comma-separated")
    ap.add_argument("--out", help="keep the scaled stores and outputs here (default: a temporary folder)")
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        return child(*a.child)
    with tempfile.TemporaryDirectory(prefix="sitrep-bench-fusion-") as tmp:
        base = Path(a.out or tmp)
        for k in (int(x) for x in a.copies.split(",")):
            work = base / f"x{k}"
            work.mkdir(parents=True, exist_ok=True)
            db = work / "scaled.db"
            if not db.exists():
                scale_store(Path(a.store), db, k)
            print(json.dumps({"copies": k, **measure(db, work)}), flush=True)


if __name__ == "__main__":
    main()
