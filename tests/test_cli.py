"""The `sitrep` command: exit codes, messages and files, as a user sees them."""

from __future__ import annotations

import json
import sqlite3

import pytest
from typer.testing import CliRunner

from sitrep.cli import app

runner = CliRunner()


def quarantine(out):
    return [json.loads(line) for line in (out / "quarantine.jsonl").read_text(encoding="utf-8").splitlines()]


def stored_ids(out):
    with sqlite3.connect(out / "sitrep.db") as c:
        return sorted(r[0] for r in c.execute("select doc_id from documents"))


def test_help_lists_every_command_with_its_purpose():
    res = runner.invoke(app, ["--help"])
    assert res.exit_code == 0
    for cmd in ("run", "docs", "text"):
        assert cmd in res.output
    assert "Run every stage on PATHS" in res.output


@pytest.mark.parametrize("cmd", ["run", "docs", "text"])
def test_each_command_has_help(cmd):
    res = runner.invoke(app, [cmd, "--help"])
    assert res.exit_code == 0 and "--out" in res.output


@pytest.mark.nlp
def test_run_quarantines_exactly_the_three_problems_and_keeps_the_rest(messy_folder, tmp_path):
    out = tmp_path / "out"
    res = runner.invoke(app, ["run", str(messy_folder), "--out", str(out), "--no-progress"])
    assert res.exit_code == 0, res.output
    rows = quarantine(out)
    assert sorted((r["path"].rsplit("/", 1)[-1], r["line"], r["reason"]) for r in rows) == [
        ("empty.txt", None, "empty document"),
        ("photo.jpg", None, "binary file"),
        ("wire.jsonl", 2, "malformed JSON line"),
    ]
    assert stored_ids(out) == ["good", "j1", "j3"]
    assert "3 input(s) quarantined" in res.output


@pytest.mark.nlp
def test_strict_exits_non_zero_when_something_is_quarantined(messy_folder, tmp_path):
    res = runner.invoke(app, ["run", str(messy_folder), "--out", str(tmp_path / "o"), "--strict", "--no-progress"])
    assert res.exit_code == 1
    assert stored_ids(tmp_path / "o") == ["good", "j1", "j3"]  # strict still keeps the good articles


@pytest.mark.nlp
def test_rerun_adds_nothing_and_keeps_one_problem_per_input(messy_folder, tmp_path):
    out = tmp_path / "out"
    runner.invoke(app, ["run", str(messy_folder), "--out", str(out), "--no-progress"])
    res = runner.invoke(app, ["run", str(messy_folder), "--out", str(out), "--no-progress"])
    assert res.exit_code == 0
    assert "0 new documents" in res.output and "3 already stored" in res.output
    assert stored_ids(out) == ["good", "j1", "j3"]
    assert len(quarantine(out)) == 3


@pytest.mark.nlp
def test_fixed_file_leaves_quarantine(messy_folder, tmp_path):
    out = tmp_path / "out"
    runner.invoke(app, ["run", str(messy_folder), "--out", str(out), "--no-progress"])
    (messy_folder / "empty.txt").write_text("Eight soldiers were killed in Tank.", encoding="utf-8")
    runner.invoke(app, ["run", str(messy_folder), "--out", str(out), "--no-progress"])
    assert "empty.txt" not in {r["path"].rsplit("/", 1)[-1] for r in quarantine(out)}
    assert "empty" in stored_ids(out)


def test_missing_path_is_a_clear_error_with_exit_2(tmp_path):
    res = runner.invoke(app, ["run", str(tmp_path / "nope"), "--out", str(tmp_path / "o")])
    assert res.exit_code == 2
    assert "[E101]" in res.output and "nope: no such file or folder" in res.output
    assert not (tmp_path / "o").exists()


def test_bad_config_is_a_clear_error(tmp_path, messy_folder):
    cfg = tmp_path / "c.toml"
    cfg.write_text("batch_sise = 3\n", encoding="utf-8")
    res = runner.invoke(app, ["run", str(messy_folder), "--out", str(tmp_path / "o"), "--config", str(cfg)])
    assert res.exit_code == 2 and "unknown setting(s) batch_sise" in res.output


@pytest.mark.nlp
def test_config_file_settings_are_used(tmp_path, messy_folder):
    cfg = tmp_path / "c.toml"
    cfg.write_text("[sitrep]\nbatch_size = 1\nstrict = true\n", encoding="utf-8")
    res = runner.invoke(app, ["run", str(messy_folder), "--out", str(tmp_path / "o"), "--config", str(cfg), "--no-progress"])
    assert res.exit_code == 1  # strict came from the file


@pytest.mark.nlp
def test_docs_and_text_print_what_is_stored(messy_folder, tmp_path):
    out = tmp_path / "out"
    runner.invoke(app, ["run", str(messy_folder), "--out", str(out), "--no-progress"])
    res = runner.invoke(app, ["docs", "--out", str(out), "--json"])
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    assert {r["doc_id"]: r["published"] for r in rows} == {"good": "2026-03-10", "j1": "2026-03-11", "j3": "2026-03-11"}
    res = runner.invoke(app, ["text", "good", "--out", str(out)])
    assert res.exit_code == 0 and res.stdout.startswith("Gunmen attacked a police post in Bannu")
    res = runner.invoke(app, ["text", "nope", "--out", str(out)])
    assert res.exit_code == 2 and "no document 'nope'" in res.output


@pytest.mark.nlp
def test_run_docs_and_text_use_the_store_db_names(messy_folder, tmp_path, db_url):
    out = tmp_path / "out"
    res = runner.invoke(app, ["run", str(messy_folder), "--out", str(out), "--db", db_url, "--no-progress"])
    assert res.exit_code == 0, res.output
    assert "3 new documents" in res.output and not (out / "sitrep.db").exists()
    res = runner.invoke(app, ["docs", "--db", db_url, "--json"])
    assert [json.loads(line)["doc_id"] for line in res.stdout.splitlines()] == ["good", "j1", "j3"]
    res = runner.invoke(app, ["text", "j1", "--db", db_url])
    assert res.exit_code == 0 and res.stdout.startswith("Five soldiers were killed in Tank")


def test_docs_without_a_store_says_how_to_make_one(tmp_path):
    res = runner.invoke(app, ["docs", "--out", str(tmp_path)])
    assert res.exit_code == 2 and "run `sitrep run PATH --out" in res.output


@pytest.mark.nlp
def test_seeds_are_stored_with_their_publication_dates(shared, tmp_path):
    out = tmp_path / "out"
    res = runner.invoke(app, ["run", str(shared / "seeds"), "--out", str(out), "--no-progress"])
    assert res.exit_code == 0
    with sqlite3.connect(out / "sitrep.db") as c:
        got = dict(c.execute("select doc_id, published from documents"))
    assert {k[:3]: v for k, v in got.items()} == {
        "000": "2026-01-31", "001": None, "002": "2026-01-31", "003": None, "004": "2026-02-01"}


@pytest.mark.parametrize("where", ["a file", "under a file"])
def test_an_unwritable_out_is_a_one_line_error_naming_it(messy_folder, tmp_path, where):
    (tmp_path / "taken").write_text("not a folder", encoding="utf-8")
    out = tmp_path / "taken" if where == "a file" else tmp_path / "taken" / "out"
    res = runner.invoke(app, ["run", str(messy_folder), "--out", str(out), "--no-progress"])
    assert res.exit_code == 2, res.output
    assert res.output.startswith("error: [E501] ") and f"cannot write to {out}" in res.output
    assert len(res.output.strip().splitlines()) == 1 and "Traceback" not in res.output


def test_a_read_only_out_is_a_one_line_error_naming_it(messy_folder, tmp_path):
    import os

    out = tmp_path / "ro"
    out.mkdir()
    out.chmod(0o500)
    try:
        if os.access(out, os.W_OK):
            pytest.skip("running as root: permissions do not stop writing")
        res = runner.invoke(app, ["run", str(messy_folder), "--out", str(out), "--no-progress"])
    finally:
        out.chmod(0o700)
    assert res.exit_code == 2 and f"[E501] cannot write to {out}" in res.output


def test_an_empty_input_folder_says_nothing_was_found_and_exits_1(tmp_path):
    (tmp_path / "inbox" / ".hidden").mkdir(parents=True)
    (tmp_path / "inbox" / ".hidden" / "a.txt").write_text("Four killed.", encoding="utf-8")
    res = runner.invoke(app, ["run", str(tmp_path / "inbox"), "--out", str(tmp_path / "o"), "--no-progress"])
    assert res.exit_code == 1
    assert f"[E103] no articles found in {tmp_path / 'inbox'}" in res.output
    assert not (tmp_path / "o").exists()  # nothing was written


def test_a_missing_path_is_reported_before_any_model_is_loaded(tmp_path, messy_folder):
    import subprocess
    import sys

    script = ("import sys\nfrom sitrep.cli import app\n"
              "try:\n    app(sys.argv[1:])\nexcept SystemExit as e:\n    code = e.code\n"
              "heavy = sorted(m for m in ('spacy', 'torch', 'sentence_transformers') if m in sys.modules)\n"
              "print(code, heavy)\n")
    for cmd in (["run", str(messy_folder), str(tmp_path / "nope"), "--out", str(tmp_path / "o")],
                ["places", str(messy_folder), str(tmp_path / "nope")]):
        res = subprocess.run([sys.executable, "-c", script, *cmd], capture_output=True, text=True, timeout=120)
        assert res.stdout.strip() == "2 []", (cmd, res.stdout, res.stderr)
        assert "nope: no such file or folder" in res.stderr


def test_ctrl_c_says_the_run_was_interrupted_and_what_is_kept(messy_folder, tmp_path, monkeypatch):
    from sitrep import pipeline

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt
    monkeypatch.setattr(pipeline, "extract", interrupted)
    out = tmp_path / "out"
    res = runner.invoke(app, ["run", str(messy_folder), "--out", str(out), "--no-progress"])
    assert res.exit_code == 130
    assert "interrupted:" in res.output and f"kept in {out / 'sitrep.db'}" in res.output
    assert "Traceback" not in res.output
    assert stored_ids(out) == ["good", "j1", "j3"]  # what was read before Ctrl-C is kept
