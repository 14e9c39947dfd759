"""Claim extraction end to end on hand-written sentences (spaCy parse, real lexicons and gazetteer)."""

from __future__ import annotations

import datetime as dt

import pytest

from sitrep.claims import extract_claims
from sitrep.nlp import analyse, parse_candidates
from sitrep.records import Document


def claims_of(text: str, published=dt.date(2026, 3, 10)):
    doc = Document(doc_id="t", text=text, origin="t.txt", published=published)
    a = analyse(doc)
    return extract_claims(a, parse_candidates(a))


def row(c):
    return (c.predicate, c.category, c.low, c.high, c.qualifier)


@pytest.mark.parametrize("text, want", [
    ("Militants killed 12 soldiers and three policemen in Bannu on Tuesday, police said.",
     [("killed", "military", 12, 12, "exact"), ("killed", "police", 3, 3, "exact")]),
    ("At least 7 civilians were wounded in the blast, hospital officials said.",
     [("injured", "civilians", 7, None, "at_least")]),
    ("Five gunmen killed two guards in the town.", [("killed", "security_forces", 2, 2, "exact")]),
    ("The army said it had neutralised between 20 and 25 insurgents near Marte.",
     [("killed", "militants", 20, 25, "range")]),
    ("More than 15 houses were set on fire and over 10 vehicles were torched.",
     [("damaged_property", "property", 15, None, "more_than"), ("burned_vehicles", "vehicles", 10, None, "more_than")]),
    ("The raid led to the escape of some 200 inmates from the district jail.",
     [("escaped", "prisoners", 200, 200, "approximately")]),
    ("The militants attacked four villages overnight.", [("attacked_places", "places", 4, 4, "exact")]),
    ("Dozens of villagers were reportedly abducted near Gwoza.", [("captured", "civilians", None, None, "vague")]),
    ("The death toll from the bombing rose to 27, police said.", [("killed", "people", 27, 27, "exact")]),
    ("Troops rescued 14 hostages from a forest camp.", [("rescued", "people", 14, 14, "exact")]),
    ("The group said it lost one of its fighters in the clash.", [("killed", "militants", 1, 1, "exact")]),
    ("Up to 50 people were injured or killed in the crossfire.", [("killed_or_injured", "people", None, 50, "up_to")]),
    ("The group took District Commissioner Ali Musa hostage near the highway.",
     [("captured", "officials", 1, 1, "exact")]),
])
def test_what_is_counted(text, want):
    assert [row(c) for c in claims_of(text)] == want


@pytest.mark.parametrize("text", [
    "The siege lasted ten hours and ended at 6 a.m. on Friday.",
    "The group first attacked the town in 2024 during Phase 2 of its campaign.",
    "Officials said $5 million in aid had arrived for 40 percent of families.",
    "Dozens of armed men entered the town and fired into the air.",
    "Several districts reported heavy rain.",
])
def test_numbers_that_are_not_claims(text):
    assert claims_of(text) == []


@pytest.mark.parametrize("text, claimant, kind, hedge", [
    ("At least 9 soldiers were killed, the army said.", None, "military", "reported"),
    ("According to ISWAP, 40 soldiers died in the raid.", "ISWAP", "armed_group", "claimed"),
    ("Police confirmed that six officers were killed.", "police", "police", "confirmed"),
    ("Residents said 11 people were killed in the market.", "residents", "witnesses", "reported"),
    ("Reports indicate that 30 soldiers were killed.", None, "unattributed", "reported"),
    ("Eight soldiers were allegedly killed in the ambush.", None, "unattributed", "alleged"),
    ("Twelve civilians were killed in the raid.", None, "unattributed", "asserted"),
])
def test_who_says_it(text, claimant, kind, hedge):
    [c] = claims_of(text)
    assert (c.claimant_type, c.hedge) == (kind, hedge)
    if claimant:
        assert c.claimant == claimant


def test_a_statement_continues_into_the_next_sentence():
    text = ("In a statement, al-Shabaab said its fighters stormed the base at dawn. "
            "The group also said 25 soldiers were killed. In addition, 6 vehicles were burned.")
    got = claims_of(text)
    assert [(c.claimant, c.claimant_type, c.hedge) for c in got] == [("al-Shabaab", "armed_group", "claimed")] * 2


def test_a_new_paragraph_ends_the_statement():
    text = "In a statement, al-Shabaab said its fighters stormed the base.\nTwelve civilians were killed in the raid."
    [c] = claims_of(text)
    assert c.claimant_type == "unattributed"


def test_place_limited_figures_and_background():
    text = ("Gunmen attacked villages across Borno State on Saturday. In Dikwa alone, nine civilians were killed. "
            "Police said 20 people died in all.\n"
            "Last year, a similar attack on the same villages killed 30 people.")
    got = {c.low: c for c in claims_of(text)}
    assert got[9].location == "Dikwa" and got[20].location is None
    assert got[9].event_scope == "main" and got[30].event_scope == "background"


def test_in_a_raid_on_several_towns_a_sentence_about_one_town_sets_the_location():
    text = ("Fighters stormed police posts in Bannu and Lakki Marwat before dawn.\n"
            "In Bannu, the attackers overran a checkpoint. Four officers were injured, police said.")
    [c] = claims_of(text)
    assert c.location == "Bannu"


@pytest.mark.parametrize("text", [
    "Fighters stormed a police post in Bannu before dawn. Four officers were injured, police said.",
    "Gunmen opened fire on a market near Bannu, killing six traders.",
    "Six traders were killed when gunmen attacked a market 30 km from Bannu.",
])
def test_a_single_site_incident_has_no_location(text):
    [c] = claims_of(text)
    assert c.location is None


def test_a_background_figure_keeps_its_place():
    text = ("Gunmen killed four villagers in Dikwa on Monday.\n"
            "In 2019, an attack on Bama killed 30 people.")
    got = {c.low: c for c in claims_of(text)}
    assert (got[4].location, got[4].event_scope) == (None, "main")
    assert (got[30].location, got[30].event_scope) == ("Bama", "background")


def test_the_same_figure_twice_is_one_claim():
    text = ("ISWAP claimed that 40 soldiers were killed. The group's statement repeated that "
            "ISWAP fighters killed 40 soldiers.")
    assert len(claims_of(text)) == 1


def test_quotes_are_verbatim_with_offsets():
    text = "date-free text. At least 84 personnel were killed, with many others wounded and 18 taken captive."
    got = claims_of(text)
    assert [row(c)[:3] for c in got] == [("killed", "security_forces", 84), ("injured", "security_forces", None),
                                         ("captured", "security_forces", 18)]
    for c in got:
        assert text[c.char_start:c.char_end] == c.quote and c.text_value in c.quote


def test_embedded_post_speaks_for_its_author():
    text = ("Officials said the town was calm.\n"
            "\U0001F6A8 Fighters have killed 7 soldiers at the checkpoint. pic.twitter.com/Ab12\n"
            "\u2014 Border Watch (@borderwatch) March 10, 2026")
    doc = Document(doc_id="t", text=text, origin="t", published=dt.date(2026, 3, 10),
                   embedded_posts=__import__("sitrep.ingest.normalize", fromlist=["x"]).find_embedded_posts(text))
    a = analyse(doc)
    [c] = extract_claims(a, parse_candidates(a))
    assert (c.claimant, c.claimant_type, c.hedge) == ("@borderwatch", "media", "claimed")
