"""SIGKILL `sitrep run` at seeded random moments of every phase, rerun: the outputs equal an uninterrupted run's."""

from __future__ import annotations

import csv
import hashlib
import json
import random
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from corpus import article  # noqa: E402

N = 200               # short articles: two paragraphs of bench/corpus.py's wire copy
SEED = 11
PHASES = ("ingest", "extraction", "fusion", "writing")
KILLS_PER_PHASE = 2

# Runs the CLI with each phase timed; in the phase named by argv[1] a timer SIGKILLs the process
# after argv[2] seconds, or at the phase's end if it ends first. argv[3]: where to write the timings.
RUNNER = """
import json, os, signal, sys, threading, time
from sitrep import pipeline
from sitrep.cli import app

phase, delay, timings = sys.argv[1], float(sys.argv[2]), sys.argv[3]
took = {}

def kill():
    os.kill(os.getpid(), signal.SIGKILL)

def timed(name, original):
    def run(*args, **kwargs):
        start = time.monotonic()
        if name == phase:
            threading.Timer(delay, kill).start()
        result = original(*args, **kwargs)
        took[name] = time.monotonic() - start
        if name == phase:
            kill()
        return result
    return run

for name, attr in (("ingest", "ingest"), ("extraction", "extract"), ("fusion", "fuse_stage"),
                   ("writing", "write_outputs")):
    setattr(pipeline, attr, timed(name, getattr(pipeline, attr)))
try:
    app(sys.argv[4:])
finally:
    with open(timings, "w") as fh:
        json.dump(took, fh)
"""


def corpus(folder: Path) -> Path:
    rng = random.Random(SEED)
    folder.mkdir()
    for i in range(N):
        day, text = article(i, rng)
        (folder / f"short_{i:04d}.txt").write_text(f"date {day} " + "\n\n".join(text.split("\n\n")[:2]) + "\n",
                                                   encoding="utf-8")
    return folder


def sitrep(tmp: Path, src: Path, out: Path, phase: str = "none", delay: float = 0.0) -> tuple[int, dict, str]:
    """Run sitrep on *src* into *out*, killed in *phase* after *delay* s; returns its exit code, timings, stderr."""
    cfg = tmp / "c.toml"
    cfg.write_text("batch_size = 20\nworkers = 1\n", encoding="utf-8")  # one process: nothing outlives a kill
    timings = tmp / "timings.json"
    proc = subprocess.run([sys.executable, "-c", RUNNER, phase, str(delay), str(timings), "run", str(src), "--out",
                           str(out), "--config", str(cfg), "--no-progress"], capture_output=True, text=True,
                          timeout=600)
    took = json.loads(timings.read_text()) if phase == "none" and proc.returncode == 0 else {}
    return proc.returncode, took, proc.stderr


def integrity(out: Path) -> str:
    with sqlite3.connect(out / "sitrep.db", timeout=30) as c:
        return c.execute("pragma integrity_check").fetchone()[0]


def consistent(out: Path) -> None:
    """The output files present are exactly the ones manifest.json names, byte for byte."""
    if not (out / "manifest.json").exists():
        assert not (out / "events.csv").exists()
        return
    files = json.loads((out / "manifest.json").read_text())["files"]
    for name, meta in files.items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == meta["sha256"], name


def rows(out: Path) -> tuple[list[str], list[str]]:
    claims = sorted(json.dumps(json.loads(line), sort_keys=True)
                    for line in (out / "claims.jsonl").read_text(encoding="utf-8").splitlines())
    with (out / "events.csv").open(encoding="utf-8", newline="") as fh:  # timestamp: when the run read the article
        events = sorted(json.dumps({k: v for k, v in r.items() if k != "timestamp"}, sort_keys=True)
                        for r in csv.DictReader(fh))
    return claims, events


@pytest.mark.slow
def test_sigkill_in_every_phase_then_rerun_gives_the_uninterrupted_outputs(tmp_path):
    src = corpus(tmp_path / "in")
    code, took, err = sitrep(tmp_path, src, tmp_path / "whole")
    assert code == 0, err
    assert set(took) == set(PHASES)
    expected = rows(tmp_path / "whole")
    assert expected[0] and expected[1]

    out = tmp_path / "killed"
    rng = random.Random(SEED)
    for phase in PHASES:
        for _ in range(KILLS_PER_PHASE):
            code, _, err = sitrep(tmp_path, src, out, phase, rng.uniform(0, took[phase]))
            assert code == -signal.SIGKILL, f"the run was not killed in {phase}: {err}"
            assert integrity(out) == "ok"
            consistent(out)
    code, _, err = sitrep(tmp_path, src, out)
    assert code == 0, err
    assert integrity(out) == "ok"
    consistent(out)
    assert rows(out) == expected
    assert not list(out.glob(".*.tmp")) and not (out / ".sitrep-writing").exists()
    assert not (out / ".sitrep.lock").exists()
