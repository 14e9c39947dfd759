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
    assert got.error == "RuntimeError: scanner broke" and got.claims == []
