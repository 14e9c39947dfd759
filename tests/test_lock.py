"""Two runs on one output folder: the second refuses with a clear message; a dead run's lock is taken over."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from sitrep.cli import app
from sitrep.errors import BusyError
from sitrep.lock import LOCK, hold

HOLDER = ("import sys, time\nfrom pathlib import Path\nfrom sitrep.lock import hold\n"
          "with hold(Path(sys.argv[1])):\n    print('held', flush=True)\n    time.sleep(600)\n")


@pytest.fixture
def holder(tmp_path):
    """Another process holding the lock on tmp_path/out (as a running `sitrep run` does)."""
    out = tmp_path / "out"
    out.mkdir()
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(out)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "held"
    yield out, proc
    if proc.poll() is None:
        proc.kill()
    proc.wait()


def test_a_second_run_on_a_busy_out_refuses_and_names_the_other(holder, messy_folder):
    out, proc = holder
    res = CliRunner().invoke(app, ["run", str(messy_folder), "--out", str(out), "--no-progress"])
    assert res.exit_code == 2, res.output
    assert f"[E502] another sitrep run (pid {proc.pid}" in res.output and str(out) in res.output
    assert sorted(p.name for p in out.iterdir()) == [LOCK]  # nothing written, the other's lock left alone
    assert json.loads((out / LOCK).read_text())["pid"] == proc.pid


@pytest.mark.nlp
def test_the_lock_of_a_killed_run_is_taken_over(holder, messy_folder):
    out, proc = holder
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert (out / LOCK).exists()  # SIGKILL gave it no chance to clean up
    res = CliRunner().invoke(app, ["run", str(messy_folder), "--out", str(out), "--no-progress"])
    assert res.exit_code == 0, res.output
    assert not (out / LOCK).exists() and (out / "events.csv").exists()


def test_the_lock_is_released_on_an_error_and_cannot_be_taken_twice(tmp_path):
    with pytest.raises(ValueError):
        with hold(tmp_path):
            assert (tmp_path / LOCK).exists()
            with pytest.raises(BusyError, match="another sitrep run"):
                with hold(tmp_path):
                    pass
            raise ValueError
    assert not (tmp_path / LOCK).exists()


@pytest.mark.parametrize("content", ["", "not json", '{"pid": "x"}'])
def test_an_unreadable_lock_file_is_treated_as_stale(tmp_path, content):
    (tmp_path / LOCK).write_text(content, encoding="utf-8")
    with hold(tmp_path):
        assert json.loads((tmp_path / LOCK).read_text())["pid"] == os.getpid()
