"""The JSONL `country` hint (SPEC §1): read, normalised to alpha-2, never a reason to quarantine, used for places."""

from __future__ import annotations

import json
import logging

import pytest

from sitrep.ingest import read_file
from sitrep.ingest.countries import country_code
from sitrep.nlp import analyse
from sitrep.records import Document, Problem

MARKET = ("Gunmen on motorbikes attacked the weekly market in Koro on Sunday, killing seven traders, "
          "a local official said.")


def write_jsonl(path, rows):
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("hint, code", [
    ("Mali", "ML"), ("ML", "ML"), ("MLI", "ML"), ("mali", "ML"), ("  Mali ", "ML"), ("ml", "ML"),
    ("Côte d’Ivoire", "CI"), ("Ivory Coast", "CI"), ("Iran (Islamic Republic of)", "IR"),
    ("Congo, The Democratic Republic of the", "CD"), ("Democratic Republic of the Congo", "CD"),
    ("Russia", "RU"), ("Türkiye", "TR"), ("The Gambia", "GM"),
])
def test_country_names_and_codes_become_alpha2(hint, code):
    assert country_code(hint) == code


@pytest.mark.parametrize("hint", ["Atlantis", "Mali, Niger", "", "  ", None, 466, 4.5, ["ML"], {"iso": "ML"}, True])
def test_what_names_no_country_is_no_hint(hint):
    assert country_code(hint) is None


def test_jsonl_country_hint_is_read_in_every_spelling(tmp_path):
    hints = ["Mali", "ML", "MLI", "mali"]
    p = write_jsonl(tmp_path / "sahel.jsonl", [
        {"id": f"m{i}", "text": f"Report {i}: five herders were killed near Mopti.", "country": h}
        for i, h in enumerate(hints)])
    items = list(read_file(p))
    assert not [i for i in items if isinstance(i, Problem)]
    assert [(d.doc_id, d.country) for d in items] == [("m0", "ML"), ("m1", "ML"), ("m2", "ML"), ("m3", "ML")]


def test_bad_country_hint_keeps_the_article_without_a_hint(tmp_path, caplog):
    p = write_jsonl(tmp_path / "odd.jsonl", [
        {"id": "a", "text": "Three fishermen drowned off the coast, officials said.", "country": "Atlantis"},
        {"id": "b", "text": "Two soldiers were wounded by a roadside bomb.", "country": 466},
        {"id": "c", "text": "A convoy was ambushed on the northern road.", "country": None},
        {"id": "d", "text": "Eleven villagers were abducted overnight."},
    ])
    with caplog.at_level(logging.INFO, logger="sitrep.ingest.readers"):
        items = list(read_file(p))
    assert all(isinstance(i, Document) for i in items)
    assert [(d.doc_id, d.country) for d in items] == [("a", None), ("b", None), ("c", None), ("d", None)]
    # the dropped hints are noted (not quarantined), with the line they came from
    noted = [r.getMessage() for r in caplog.records]
    assert any("odd.jsonl:1" in m and "Atlantis" in m for m in noted)
    assert any("odd.jsonl:2" in m and "466" in m for m in noted)
    assert len(noted) == 2


def test_hint_is_no_part_of_a_documents_identity(tmp_path):
    text = "Unknown gunmen burned four lorries at a checkpoint, drivers said."
    with_hint = list(read_file(write_jsonl(tmp_path / "a.jsonl", [{"text": text, "country": "Mali"}])))[0]
    without = list(read_file(write_jsonl(tmp_path / "a.jsonl", [{"text": text}])))[0]
    assert with_hint.country == "ML" and without.country is None
    assert with_hint.doc_id == without.doc_id  # the generated id comes from the text alone
    assert with_hint.content_hash == without.content_hash


@pytest.mark.parametrize("hint, country, admin1", [("ML", "ML", "Mopti"), ("CI", "CI", "Woroba")])
def test_hint_picks_the_hinted_countrys_town(hint, country, admin1):
    # There is a Koro in Mali (Mopti) and a Koro in Côte d'Ivoire (Woroba); the text says neither.
    a = analyse(Document(doc_id="koro", text=MARKET, origin="feed.jsonl:1", country=hint))
    [place] = [m.place for m in a.places if m.surface == "Koro"]
    assert (place.name, place.country, place.admin1) == ("Koro", country, admin1)
    assert a.country == country


def test_hint_picks_pakistans_hyderabad_over_indias():
    text = "Armed men stormed a police station in Hyderabad overnight and wounded three officers, police said."
    unhinted = analyse(Document(doc_id="h", text=text, origin="feed.jsonl:2"))
    hinted = analyse(Document(doc_id="h", text=text, origin="feed.jsonl:2", country="PK"))
    assert [(m.place.country, m.place.admin1) for m in unhinted.places] == [("IN", "Telangāna")]
    assert [(m.place.country, m.place.admin1) for m in hinted.places] == [("PK", "Sindh")]


def test_without_a_hint_koro_is_not_settled_by_the_hint():
    a = analyse(Document(doc_id="koro", text=MARKET, origin="feed.jsonl:1"))
    assert not any(m.place.name == "Koro" and m.place.country == "CI" for m in a.places)


def test_hint_from_jsonl_reaches_recognition(tmp_path):
    p = write_jsonl(tmp_path / "wire.jsonl", [{"id": "k", "text": MARKET, "country": "Côte d'Ivoire"}])
    [doc] = list(read_file(p))
    assert [(m.place.name, m.place.country) for m in analyse(doc).places] == [("Koro", "CI")]


def test_hint_is_no_constraint():
    # A hint of Mali does not move a city that exists only as Hyderabad (India or Pakistan) to Mali.
    text = "Armed men stormed a police station in Hyderabad overnight and wounded three officers, police said."
    a = analyse(Document(doc_id="h", text=text, origin="feed.jsonl:2", country="ML"))
    assert [m.place.name for m in a.places] == ["Hyderabad"]
    assert a.places[0].place.country != "ML"
