"""The output files of one run belong together: staged, swapped in, named in manifest.json; and a run
gives the same results on every store (the tests taking `db_url` run on SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import csv
import hashlib
import io
import itertools
import json
import re
from pathlib import Path

import pytest

from sitrep.pipeline import MANIFEST, STAGING, run
from sitrep.settings import Settings
from sitrep.store import Store

pytestmark = pytest.mark.nlp  # every test runs the pipeline, spaCy included

SAMPLE = Path(__file__).resolve().parents[1] / "src" / "sitrep" / "data" / "sample"


def outputs(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in out.iterdir() if p.is_file() and not p.name.startswith("sitrep.db")}


def test_manifest_names_the_run_and_every_file_it_wrote(messy_folder, tmp_path, db_url):
    out = tmp_path / "out"
    report = run([messy_folder], out, Settings(progress=False, db=db_url))
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["run_id"] == report.run_id and manifest["finished"]
    names = [p.name for p in report.outputs]
    assert sorted(manifest["files"]) == sorted(names) and "events.csv" in names and MANIFEST not in names
    for name, meta in manifest["files"].items():
        data = (out / name).read_bytes()
        assert meta == {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
    assert all(p.parent == out for p in report.outputs)
    assert not (out / STAGING).exists()


def test_a_run_stopped_while_writing_leaves_the_previous_runs_outputs_whole(messy_folder, tmp_path, monkeypatch):
    out = tmp_path / "out"
    run([messy_folder], out, Settings(progress=False))
    before = outputs(out)
    (messy_folder / "more.txt").write_text("date 2026-03-12 Three soldiers were killed in Tank, the army said.",
                                           encoding="utf-8")
    from sitrep.export import ucdp

    def killed(*args, **kwargs):  # half the files are written when the run is stopped
        raise KeyboardInterrupt
    monkeypatch.setattr(ucdp, "write_ged_groups", killed)
    with pytest.raises(KeyboardInterrupt):
        run([messy_folder], out, Settings(progress=False))
    assert outputs(out) == before
    assert not [p for p in out.rglob("*.tmp")]


def test_leftovers_of_a_killed_run_are_cleaned_at_the_start_of_the_next(messy_folder, tmp_path):
    out = tmp_path / "out"
    (out / STAGING).mkdir(parents=True)
    (out / STAGING / "claims.jsonl").write_text("half a line", encoding="utf-8")
    (out / ".events.csv.k2j3h4.tmp").write_text("half a file", encoding="utf-8")
    (out / "notes.tmp").write_text("the user's own file", encoding="utf-8")
    run([messy_folder], out, Settings(progress=False))
    assert not (out / STAGING).exists() and not (out / ".events.csv.k2j3h4.tmp").exists()
    assert (out / "notes.tmp").exists()  # only sitrep's own hidden temporary files go



def test_claims_a_changed_sitrep_would_read_differently_are_read_again(messy_folder, tmp_path, monkeypatch):
    from sitrep import pipeline
    from sitrep.store import Store

    out = tmp_path / "out"
    first = run([messy_folder], out, Settings(progress=False))
    store = Store(first.db_url)
    try:
        assert store.meta_value("extractor") == pipeline.extractor_fingerprint()
    finally:
        store.close()
    extracted = []
    real = pipeline.extract_batch
    monkeypatch.setattr(pipeline, "extract_batch", lambda docs: extracted.extend(d.doc_id for d in docs) or real(docs))
    run([messy_folder], out, Settings(progress=False))
    assert extracted == []  # the same sitrep: nothing to read again
    monkeypatch.setattr(pipeline, "extractor_fingerprint", lambda: "another-version")
    run([messy_folder], out, Settings(progress=False))
    assert extracted  # another sitrep: the stored documents are read again


# ---------------------------------------------------------------- the same run on every store

def stored(db_url: str):
    store = Store(db_url)
    try:
        return store.count_documents(), [c.as_dict() for c in store.claims()], store.problems(), store.copies()
    finally:
        store.close()


def test_a_rerun_adds_nothing_twice(messy_folder, tmp_path, db_url):
    out = tmp_path / "out"
    first = run([messy_folder], out, Settings(progress=False, db=db_url))
    before, files = stored(db_url), outputs(out)
    again = run([messy_folder], out, Settings(progress=False, db=db_url))
    assert (first.new, first.unchanged, first.claims) == (3, 0, first.claims) and first.claims > 0
    assert (again.new, again.updated, again.unchanged, again.claims) == (0, 0, 3, 0)
    assert stored(db_url) == before and before[0] == 3
    assert {k: v for k, v in outputs(out).items() if not k.startswith(("report", "manifest"))} == \
        {k: v for k, v in files.items() if not k.startswith(("report", "manifest"))}


def test_quarantine_keeps_one_row_per_input_and_forgets_a_fixed_one(messy_folder, tmp_path, db_url):
    out = tmp_path / "out"
    run([messy_folder], out, Settings(progress=False, db=db_url))
    run([messy_folder], out, Settings(progress=False, db=db_url))
    rows = [json.loads(line) for line in (out / "quarantine.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(Path(r["path"]).name, r["line"], r["reason"]) for r in rows] == [
        ("empty.txt", None, "empty document"), ("photo.jpg", None, "binary file"),
        ("wire.jsonl", 2, "malformed JSON line")]
    (messy_folder / "empty.txt").write_text("Eight soldiers were killed in Tank.", encoding="utf-8")
    report = run([messy_folder], out, Settings(progress=False, db=db_url))
    count, _, problems, _ = stored(db_url)
    assert report.quarantined == 2 and count == 4
    assert [Path(p.path).name for p in problems] == ["photo.jpg", "wire.jsonl"]


def test_a_syndicated_copy_is_stored_as_a_copy_and_counted_once(tmp_path, db_url):
    inbox = tmp_path / "in"
    inbox.mkdir()
    text = ("Gunmen attacked a police post in Bannu district late on Tuesday, killing at least four officers and "
            "wounding six others, a senior police official said. The attackers used rockets and small arms and "
            "fled towards the mountains before reinforcements arrived, according to residents.")
    # copy.txt is read first; orig.txt, published a day earlier, then becomes the original
    (inbox / "orig.txt").write_text(f"date 2026-03-10 {text}", encoding="utf-8")
    (inbox / "copy.txt").write_text(f"date 2026-03-11 BANNU (Wire) - {text}", encoding="utf-8")
    out = tmp_path / "out"
    report = run([inbox], out, Settings(progress=False, db=db_url))
    count, claims, _, copies = stored(db_url)
    assert (report.new, count) == (2, 2)
    assert copies == {"copy": "orig"}
    assert claims and {c["doc_id"] for c in claims} == {"orig"}  # the copy's figures are never counted twice
    [story] = json.loads((out / "stories.json").read_text(encoding="utf-8"))["stories"]
    assert story["doc_ids"] == ["copy", "orig"] and story["copies"] == {"copy": "orig"}


def test_the_sample_gives_byte_identical_outputs_on_sqlite_and_postgresql(tmp_path, pg_database, monkeypatch):
    """Everything a run writes is the same on both stores, but manifest.json (run id, times) and the
    report's 'generated' time; ingestion times (events.csv's timestamp) come from one repeatable clock."""
    from sitrep import store as store_module

    results = {}
    for name, url in (("sqlite", None), ("postgresql", pg_database)):
        start = dt.datetime(2026, 3, 10, 23, 59, 58, 500000, tzinfo=dt.timezone.utc)
        ticks = itertools.count()
        monkeypatch.setattr(store_module, "_now", lambda: start + dt.timedelta(seconds=next(ticks)))
        run([SAMPLE], tmp_path / name, Settings(progress=False, db=url))
        results[name] = {k: v for k, v in outputs(tmp_path / name).items() if k != MANIFEST}
    stamp = re.compile(rb"\d{4}-\d\d-\d\d \d\d:\d\d UTC")
    for files in results.values():
        for k in [k for k in files if k.startswith("report.")]:
            files[k] = stamp.sub(b"(time)", files[k])
    sqlite, postgresql = results["sqlite"], results["postgresql"]
    assert {"claims.jsonl", "events.csv", "stories.json", "ged.csv", "places.geojson"} <= set(sqlite)
    assert sorted(sqlite) == sorted(postgresql)
    for name in sqlite:
        assert sqlite[name] == postgresql[name], f"{name} differs between SQLite and PostgreSQL"
    # ACLED's timestamp is the latest ingestion time of an event's reports, as the clock gave it
    stamps = {int(r["timestamp"]) for r in csv.DictReader(io.StringIO(sqlite["events.csv"].decode("utf-8")))}
    assert stamps and all(0 <= s - start.timestamp() < 100 for s in stamps)
