"""`sitrep watch`: files and feed entries are read as they appear, and only what they touch is built again."""

import json
import os
import shutil
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fusekit import same_modulo_ids
from sitrep.cli import app
from sitrep.pipeline import run
from sitrep.settings import Settings
from sitrep.store import Store
from sitrep.watch import Watcher

SAMPLE = Path(__file__).resolve().parents[1] / "src" / "sitrep" / "data" / "sample"
ONE = Settings(progress=False, workers=1)

QUETTA = ("QUETTA, March 2, 2026: Gunmen killed four police officers at a checkpoint in Quetta on Monday, "
          "police said.\n")
GAO = ("GAO, May 11, 2026: Militants attacked an army post near Gao on Sunday, killing three soldiers, "
       "the army said.\n")


def _feed(entries):
    items = "".join(f"<item><title>{t}</title><guid>{g}</guid><pubDate>{d}</pubDate><description>{b}</description></item>"
                    for g, t, d, b in entries)
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>wire</title>{items}</channel></rss>'


@pytest.fixture
def store(db_url):
    """The store the watch writes to: each test runs on SQLite and on PostgreSQL."""
    s = Store(db_url)
    yield s
    s.close()


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """The sample corpus through `sitrep run` (SQLite), once for the module: what watching must equal."""
    out = tmp_path_factory.mktemp("batch")
    run([SAMPLE], out, ONE)
    s = Store(f"sqlite:///{out / 'sitrep.db'}")
    yield s
    s.close()


@pytest.mark.nlp
def test_a_new_file_is_read_once_and_joins_the_store(tmp_path, store):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.txt").write_text(QUETTA, encoding="utf-8")
    w = Watcher([inbox], store, ONE, settle=0)
    first = w.poll()
    assert [p.name for p in first.files] == ["a.txt"] and first.update.new == 1
    assert w.poll().files == []                        # nothing new: nothing read
    (inbox / "b.txt").write_text(GAO, encoding="utf-8")
    third = w.poll()
    assert [p.name for p in third.files] == ["b.txt"]
    assert third.update.new == 1 and not third.update.rebuilt and len(third.update.stories) == 1
    stories = store.stories()
    assert sorted(d for s in stories for d in s["doc_ids"]) == sorted(d.doc_id for d in store.iter_documents())
    assert {e["location"] for e in store.events()} >= {"Quetta", "Gao"}


def test_a_file_still_being_written_waits_until_it_stops_changing(tmp_path, store):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    now = [time.time()]
    w = Watcher([inbox], store, ONE, settle=30, clock=lambda: now[0])
    f = inbox / "half.txt"
    f.write_text("Gunmen killed", encoding="utf-8")
    assert w.changed_files()[0] == []                  # just written: maybe not finished
    f.write_text(QUETTA, encoding="utf-8")
    assert w.changed_files()[0] == []                  # still changing
    assert w.changed_files()[0] == [f]                 # the same size and time twice: done
    now[0] += 60
    os.utime(f, (now[0] - 120, now[0] - 120))
    assert w.changed_files()[0] == [f]                 # long untouched: read at once


@pytest.mark.nlp
def test_new_entries_of_a_feed_and_lines_of_a_jsonl_file_are_the_only_new_articles(tmp_path, store):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    feed = inbox / "wire.xml"
    feed.write_text(_feed([("g1", "Quetta attack", "Mon, 02 Mar 2026 10:00:00 GMT", QUETTA)]), encoding="utf-8")
    lines = inbox / "desk.jsonl"
    lines.write_text(json.dumps({"id": "j1", "text": GAO, "published": "2026-05-11"}) + "\n", encoding="utf-8")
    w = Watcher([inbox], store, ONE, settle=0)
    assert w.poll().update.new == 2
    feed.write_text(_feed([("g1", "Quetta attack", "Mon, 02 Mar 2026 10:00:00 GMT", QUETTA),
                           ("g2", "Toll rises", "Tue, 03 Mar 2026 09:00:00 GMT",
                            "QUETTA, March 3, 2026: The toll from Monday's checkpoint attack in Quetta rose to "
                            "six police officers, officials said.")]), encoding="utf-8")
    with lines.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "j2", "text": "Protesters burnt tyres in Bamako on Friday, "
                                                 "witnesses said.", "published": "2026-06-05"}) + "\n")
    cycle = w.poll()
    # the feed is read whole again (its old entry is recognised); the JSONL file from where it ended
    assert cycle.update.new == 2 and cycle.update.unchanged == 1
    assert store.count_documents() == 4
    with lines.open("a", encoding="utf-8") as fh:     # a line still being written waits for its end
        fh.write(json.dumps({"id": "j3", "text": "Gunmen killed two traders in Gao on Sunday.",
                             "published": "2026-05-11"})[:30])
    assert w.poll().update is None                   # nothing complete to read
    with lines.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "j3", "text": "Gunmen killed two traders in Gao on Sunday.",
                             "published": "2026-05-11"})[30:] + "\n")
    cycle = w.poll()
    assert cycle.update.new == 1 and cycle.update.unchanged == 0
    assert store.get_document("j3").origin.endswith("desk.jsonl:3")    # its line in the file
    lines.write_text(json.dumps({"id": "j9", "text": GAO, "published": "2026-05-12"}) + "\n", encoding="utf-8")
    assert w.poll().update.new == 1                   # rewritten from the start: read whole again


@pytest.mark.nlp
def test_a_bad_file_is_quarantined_and_the_watch_goes_on(tmp_path, store):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "bad.jsonl").write_text("{not json\n", encoding="utf-8")
    (inbox / "zero.txt").write_bytes(b"\x00\x01\x02binary")
    (inbox / "a.txt").write_text(QUETTA, encoding="utf-8")
    w = Watcher([inbox], store, ONE, settle=0)
    cycle = w.poll()
    assert cycle.update.new == 1
    assert {Path(p.path).name for p in store.problems()} == {"bad.jsonl", "zero.txt"}
    assert w.poll().files == []        # a quarantined file is not read again until it changes


@pytest.mark.nlp
def test_watching_files_as_they_arrive_gives_the_batch_run_s_stories_and_events(tmp_path, store, batch):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    w = Watcher([inbox], store, ONE, settle=0)
    for f in sorted(SAMPLE.iterdir()):
        shutil.copy(f, inbox / f.name)
        w.poll()

    # Equal but for the events' ids: the watch numbers events in the order their files arrived (fusekit).
    assert same_modulo_ids(store.stories(), store.events()) == same_modulo_ids(batch.stories(), batch.events())
    assert store.count_documents() == batch.count_documents()


@pytest.mark.nlp
def test_sitrep_watch_writes_the_output_files_and_says_what_it_read(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.txt").write_text(QUETTA, encoding="utf-8")
    result = CliRunner().invoke(app, ["watch", str(inbox), "--out", str(tmp_path / "out"), "--cycles", "1",
                                      "--interval", "0.1", "--settle", "0"])
    assert result.exit_code == 0, result.output
    assert "1 new article(s)" in result.output
    assert (tmp_path / "out" / "stories.json").exists() and (tmp_path / "out" / "report.html").exists()
    assert not (tmp_path / "out" / ".sitrep.lock").exists()


def test_sitrep_watch_needs_a_store_and_existing_paths(tmp_path):
    result = CliRunner().invoke(app, ["watch", str(tmp_path)])
    assert result.exit_code == 2 and "--out" in result.output
    result = CliRunner().invoke(app, ["watch", str(tmp_path / "missing"), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2 and "missing" in result.output and "no such file" in result.output
