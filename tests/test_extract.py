"""The per-document stage: recognition, claims and candidate organisations in one call."""

from __future__ import annotations

import datetime as dt

import pytest

from sitrep.extract import extract_document
from sitrep.records import Document


@pytest.mark.nlp
def test_unknown_organisations_are_kept_as_candidates():
    doc = Document(doc_id="x", origin="x.txt", published=dt.date(2026, 3, 10),
                   text="The Northern Mountain Defence Brigade claimed that 14 soldiers were killed in Bannu.")
    got = extract_document(doc)
    assert got.error is None
    assert [(m["label"], m["kind"]) for m in got.mentions if m["kind"] == "candidate_actor"] == [
        ("Northern Mountain Defence Brigade", "candidate_actor")]
    assert [(c.low, c.category) for c in got.claims] == [(14, "military")]


def test_a_failing_document_is_reported_not_raised(monkeypatch):
    import sitrep.nlp

    def boom(doc):
        raise RuntimeError("scanner broke")
    monkeypatch.setattr(sitrep.nlp, "analyse", boom)
    got = extract_document(Document(doc_id="y", origin="y.txt", text="Ten killed."))
    assert got.error.endswith("(RuntimeError: scanner broke)") and got.claims == []
    assert "internal error" in got.error and "retried on the next run" in got.error


@pytest.mark.parametrize("exc, words", [
    (OverflowError("int too large"), "a figure too large"),
    (RecursionError("maximum recursion depth exceeded"), "nested too deeply"),
    (MemoryError(), "too large to analyse"),
    (KeyError("x"), "internal error"),
])
def test_a_failure_is_told_in_words_a_user_can_act_on(monkeypatch, caplog, exc, words):
    import sitrep.nlp

    def boom(doc):
        raise exc
    monkeypatch.setattr(sitrep.nlp, "analyse", boom)
    with caplog.at_level("WARNING", logger="sitrep.extract"):
        got = extract_document(Document(doc_id="doc-9", origin="y.txt", text="Ten killed."))
    assert got.error.startswith("sitrep") and words in got.error and type(exc).__name__ in got.error
    assert "doc-9" in caplog.text
