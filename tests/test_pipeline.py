"""The output files of one run belong together: staged, swapped in, named in manifest.json."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from sitrep.pipeline import MANIFEST, STAGING, run
from sitrep.settings import Settings

pytestmark = pytest.mark.nlp  # every test runs the pipeline, spaCy included


def outputs(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in out.iterdir() if p.is_file() and not p.name.startswith("sitrep.db")}


def test_manifest_names_the_run_and_every_file_it_wrote(messy_folder, tmp_path):
    out = tmp_path / "out"
    report = run([messy_folder], out, Settings(progress=False))
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
    monkeypatch.setattr(ucdp, "write_ged", killed)
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
