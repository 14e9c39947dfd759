"""A run killed with SIGKILL mid-ingest leaves a store the next run completes."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from corpus import write_corpus  # noqa: E402

N = 3000


def count(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as c:
            return c.execute("select count(*) from documents").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


@pytest.mark.slow
def test_sigkill_mid_ingest_then_rerun_completes(tmp_path):
    corpus = write_corpus(tmp_path / "corpus", N)
    out = tmp_path / "out"
    cfg = tmp_path / "c.toml"
    cfg.write_text("batch_size = 50\n", encoding="utf-8")
    cmd = [sys.executable, "-m", "sitrep.cli", "run", str(corpus), "--out", str(out), "--config", str(cfg),
           "--no-progress"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    db = out / "sitrep.db"
    deadline = time.monotonic() + 120
    while count(db) < 200 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert proc.poll() is None, "the run finished before it could be killed; raise N"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    partial = count(db)
    assert 0 < partial < N

    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(db) as c:
        assert c.execute("pragma integrity_check").fetchone()[0] == "ok"
        assert c.execute("select count(*), count(distinct doc_id) from documents").fetchone() == (N, N)
        # every stored document has its LSH bands: none was half-written
        assert c.execute("select count(*) from documents d where not exists "
                         "(select 1 from doc_bands b where b.doc_id = d.doc_id)").fetchone()[0] == 0
    assert f"{N - partial} new documents" in done.stderr
    assert (out / "quarantine.jsonl").exists()
