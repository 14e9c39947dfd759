"""The one list of reporting verbs (data/reporting_verbs.json) and who reads it."""

from __future__ import annotations

import json

import pytest

from sitrep import data
from sitrep.errors import DataFileError
from sitrep.nlp import speech
from sitrep.nlp.actors import find_claimants


def test_hedges_and_forms_come_from_one_file():
    assert speech.hedges()["deny"] == "denied" and speech.hedges()["accord"] == "reported"
    assert speech.forms()["told"] == "tell" and "accorded" not in speech.forms()
    assert set(speech.forms().values()) <= set(speech.hedges())


def test_claimant_cues_use_the_forms():
    got = find_claimants("Clan elders maintained that the market was shelled.")
    assert [(c.claimant, c.claimant_type) for c in got] == [("elders", "witnesses")]


def test_claim_reading_uses_the_hedges():
    from sitrep.claims.vocab import vocab

    assert vocab().reporting is speech.hedges()


@pytest.mark.parametrize("breaks, message", [
    (lambda d: d["verbs"]["say"].update(hedge="whispered"), "needs a hedge"),
    (lambda d: d["verbs"]["tell"].update(forms=["said"]), "listed under 'say' and 'tell'"),
    (lambda d: d["verbs"]["say"].update(forms=["Said"]), "forms are lower-case words"),
    (lambda d: d["verbs"]["say"].update(tense="past"), "unknown key"),
])
def test_a_broken_file_names_the_fault(monkeypatch, tmp_path, breaks, message):
    raw = json.loads(data.path(speech.FILE).read_text(encoding="utf-8"))
    breaks(raw)
    bad = tmp_path / speech.FILE
    bad.write_text(json.dumps(raw), encoding="utf-8")
    path, load = data.path, data.load_json
    monkeypatch.setattr(data, "path", lambda name: bad if name == speech.FILE else path(name))
    monkeypatch.setattr(data, "load_json", lambda name: raw if name == speech.FILE else load(name))
    speech._load.cache_clear()
    try:
        with pytest.raises(DataFileError) as err:
            speech.hedges()
        assert message in str(err.value) and str(err.value.path).endswith(speech.FILE)
    finally:
        monkeypatch.undo()
        speech._load.cache_clear()
