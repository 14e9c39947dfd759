"""Tests for sitrep.nlp.numbers: counts as stated, and everything that only looks like one."""

from __future__ import annotations

import dataclasses
import random

import pytest

from sitrep import data
from sitrep.nlp.numbers import MAX_COUNT, Quantity, find_quantities, vague_value


def found(text: str) -> list[tuple]:
    return [(q.text_value, q.qualifier, q.low, q.high) for q in find_quantities(text)]


# (sentence, [(text_value, qualifier, low, high), ...])
COUNTS = [
    # plain numbers, digits and words
    ("10 Pakistani security personnel have been killed", [("10", "exact", 10, 10)]),
    ("confirmed the deaths of 10 security personnel", [("10", "exact", 10, 10)]),
    ("18 taken captive", [("18", "exact", 18, 18)]),
    ("attacked seven cities in Balochistan", [("seven", "exact", 7, 7)]),
    ("Four policemen were confirmed dead in Quetta alone", [("Four", "exact", 4, 4)]),
    ("Seventeen soldiers died", [("Seventeen", "exact", 17, 17)]),
    ("twenty-three people were hurt", [("twenty-three", "exact", 23, 23)]),
    ("twenty three people were hurt", [("twenty three", "exact", 23, 23)]),
    ("one hundred and five people", [("one hundred and five", "exact", 105, 105)]),
    ("a hundred and fifty homes", [("a hundred and fifty", "exact", 150, 150)]),
    ("ninety-nine rounds", [("ninety-nine", "exact", 99, 99)]),
    ("1,200 families fled", [("1,200", "exact", 1200, 1200)]),
    ("100,000 displaced", [("100,000", "exact", 100000, 100000)]),
    ("1.5 million people fled", [("1.5 million", "exact", 1500000, 1500000)]),
    ("5 lakh people were displaced", [("5 lakh", "exact", 500000, 500000)]),
    ("two million refugees", [("two million", "exact", 2000000, 2000000)]),
    ("one person was taken hostage", [("one", "exact", 1, 1)]),
    ("the loss of seven of its fighters", [("seven", "exact", 7, 7)]),
    ("one of its fighters was killed", [("one", "exact", 1, 1)]),
    ("over 2000 protesters gathered", [("over 2000", "more_than", 2000, None)]),
    ("2,000 protesters gathered", [("2,000", "exact", 2000, 2000)]),
    ("zero casualties were reported", [("zero", "exact", 0, 0)]),
    ("killing two personnel and torching the vehicle", [("two", "exact", 2, 2)]),
    ("a dozen soldiers", [("a dozen", "approximately", 12, 12)]),
    ("half a dozen soldiers", [("half a dozen", "approximately", 6, 6)]),
    ("two dozen soldiers", [("two dozen", "exact", 24, 24)]),
    ("3 dozen soldiers", [("3 dozen", "exact", 36, 36)]),
    # qualifiers
    ("at least 84 personnel were killed", [("at least 84", "at_least", 84, None)]),
    ("at least eight personnel losing their lives", [("at least eight", "at_least", 8, None)]),
    ("no fewer than 15 guards", [("no fewer than 15", "at_least", 15, None)]),
    ("a minimum of 9 people", [("a minimum of 9", "at_least", 9, None)]),
    ("Over 80 Pakistani personnel", [("Over 80", "more_than", 80, None)]),
    ("the escape of over 30 inmates", [("over 30", "more_than", 30, None)]),
    ("more than 12 Pakistani soldiers", [("more than 12", "more_than", 12, None)]),
    ("upwards of 200 fighters", [("upwards of 200", "more_than", 200, None)]),
    ("in excess of 300 rounds", [("in excess of 300", "more_than", 300, None)]),
    ("more than a dozen soldiers", [("more than a dozen", "more_than", 12, None)]),
    ("as many as 12 key cities", [("as many as 12", "up_to", None, 12)]),
    ("up to 50 people", [("up to 50", "up_to", None, 50)]),
    ("nearly 50 people", [("nearly 50", "up_to", None, 50)]),
    ("almost thirty people", [("almost thirty", "up_to", None, 30)]),
    ("approximately 58 insurgents were killed", [("approximately 58", "approximately", 58, 58)]),
    ("around 12 Pakistani soldiers", [("around 12", "approximately", 12, 12)]),
    ("about 40 houses", [("about 40", "approximately", 40, 40)]),
    ("some 40 soldiers", [("some 40", "approximately", 40, 40)]),
    ("an estimated 40 people", [("an estimated 40", "approximately", 40, 40)]),
    ("roughly a hundred people", [("roughly a hundred", "approximately", 100, 100)]),
    ("10 or more soldiers", [("10 or more", "at_least", 10, None)]),
    ("100 or so people", [("100 or so", "approximately", 100, 100)]),
    ("20-odd fighters", [("20-odd", "approximately", 20, 20)]),
    ("50+ people", [("50+", "more_than", 50, None)]),
    # ranges
    ("killing between 58 and 60 militants", [("between 58 and 60", "range", 58, 60)]),
    ("58 to 60 militants", [("58 to 60", "range", 58, 60)]),
    ("58-60 militants", [("58-60", "range", 58, 60)]),
    ("58–60 militants", [("58–60", "range", 58, 60)]),
    ("from 10 to 12 people", [("from 10 to 12", "range", 10, 12)]),
    ("between seven and ten people", [("between seven and ten", "range", 7, 10)]),
    ("two or three soldiers", [("two or three", "range", 2, 3)]),
    ("about 10 to 12 people", [("about 10 to 12", "range", 10, 12)]),
    # vague
    ('The BLA said "dozens" of military personnel', [("dozens", "vague", None, None)]),
    ("Dozens of armed individuals", [("Dozens", "vague", None, None)]),
    ("several personnel detained", [("several", "vague", None, None)]),
    ("setting multiple police vehicles ablaze", [("multiple", "vague", None, None)]),
    ("many others wounded", [("many", "vague", None, None)]),
    ("a number of soldiers", [("a number of", "vague", None, None)]),
    ("scores of people", [("scores of", "vague", None, None)]),
    ("hundreds of people", [("hundreds", "vague", None, None)]),
    ("tens of thousands fled", [("tens of thousands", "vague", None, None)]),
    ("several hundred people", [("several hundred", "vague", None, None)]),
    ("a few people", [("a few", "vague", None, None)]),
    # several counts in one sentence: the caller decides what "at least" covers
    ("at least 10 soldiers and 3 police", [("at least 10", "at_least", 10, None), ("3", "exact", 3, 3)]),
    ("10 and 12 soldiers", [("10", "exact", 10, 10), ("12", "exact", 12, 12)]),
    ("seven and ten", [("seven", "exact", 7, 7), ("ten", "exact", 10, 10)]),
    ("eleven twelve", [("eleven", "exact", 11, 11), ("twelve", "exact", 12, 12)]),
    ("seven hundred hundred", [("seven hundred", "exact", 700, 700)]),
    ("rose from 10 to 12", [("10", "exact", 10, 10), ("12", "exact", 12, 12)]),
    ("On January 31, 2026 at 6 a.m. 40% of 1,200 people", [("1,200", "exact", 1200, 1200)]),
    ("by 2025, 30 people had fled", [("30", "exact", 30, 30)]),
    ("The attacks on Saturday, January 31 killed 7 and injured 15",
     [("7", "exact", 7, 7), ("15", "exact", 15, 15)]),
]


@pytest.mark.parametrize("text, expected", COUNTS, ids=[c[0][:40] for c in COUNTS])
def test_counts_are_read_as_stated(text, expected):
    assert found(text) == expected


NOT_COUNTS = [
    # articles and ordinals
    "a soldier was killed", "an officer was hurt", "the second phase began", "the 2nd battalion",
    "first responders arrived", "the twenty-first century", "Operation Herof Phase II",
    # years and dates
    "in 2024", "which began in August 2024", "Zeb, who has led since 2018", "the 2024 attacks",
    "in 2024 militants attacked", "This new 2026 offensive", "2024 elections", "around 2019, the group",
    "over 2020 was worse", "between 2018 and 2020", "2018-2020", "January 31, 2026",
    "31 January 2026", "Jan. 31", "Saturday 31 January", "31st January", "10 May 2025",
    "January 30-31", "the 2024-25 budget",
    # clock times
    "at 6 a.m.", "at 6pm", "at 10:30 local time", "around 9 PM", "at 3 o'clock",
    # names, versions, indexes
    "Operation Herof 2.0", "Operation Herof 1.0", "Phase 2 of the plan", "version 3 of the plan",
    "Article 370", "Section 144", "Class 10 students", "Gate 4", "the top 10", "COVID-19",
    "F-16 jets", "NA-265",
    # money and percentages
    "$5 million", "Rs 500", "Rs. 500", "PKR 5,000", "10,000 naira", "5 million dollars",
    "USD 10 million", "millions in cash", "thousands of rupees", "worth 5 million", "40%",
    "40 percent", "40 per cent",
    # phones, ids, handles, links
    "call +92 300 1234567", "call 0300-1234567", "id 1234567", "@abc123", "pic.twitter.com/r3Za",
    "#Quetta2026", "24/7", "9/11",
    # measures, ages, durations
    "3.5 km away", "10 km from the city", "aged 25", "a 25-year-old man", "25 years old",
    "aged between 18 and 25", "in his 30s", "ten hours", "two days", "for 48 hours", "three times",
    "several days", "dozens of kilometres",
    # hyphenated modifiers and pronoun "one"
    "a 10-member team", "a three-day curfew", "two-thirds of voters", "one-sided",
    "No one was hurt", "one by one", "one another", "In one of the most daring acts",
    "one of the deadliest attacks", "on the one hand", "one or the other",
    # other look-alikes
    "how many died", "twice as many", "1. Overrunning police stations", "hundred soldiers",
]


@pytest.mark.parametrize("text", NOT_COUNTS)
def test_non_counts_are_skipped(text):
    assert found(text) == []


VOCAB = data.load_json("number_words.json")
CUES = [(cue, qual) for qual, cues in VOCAB["qualifiers"].items() for cue in cues]


@pytest.mark.parametrize("cue, qualifier", CUES, ids=[c for c, _ in CUES])
def test_every_qualifier_in_the_data_file_is_used(cue, qualifier):
    (q,) = find_quantities(f"Officials said {cue} 17 soldiers died.")
    assert (q.text_value.lower(), q.qualifier) == (f"{cue} 17", qualifier)
    assert (q.low, q.high) == ((None, 17) if qualifier == "up_to" else
                               (17, None) if qualifier in ("at_least", "more_than") else (17, 17))


VAGUE_WORDS = [k for k in VOCAB["vague"] if not k.startswith("_")]


@pytest.mark.parametrize("word", VAGUE_WORDS)
def test_every_vague_word_in_the_data_file_is_vague(word):
    (q,) = find_quantities(f"Witnesses said {word} {'' if word.endswith(' of') else 'of '}them fled.")
    assert (q.text_value, q.qualifier, q.low, q.high) == (word, "vague", None, None)


@pytest.mark.parametrize("word, value", [
    ("tens", 10), ("dozens", 12), ("Dozens", 12), ('"dozens"', 12), ("hundreds", 100),
    ("scores", 20), ("scores of", 20), ("thousands", 1000),
    ("several", 10), ("many", 10), ("multiple", 10), ("a number of", 10), ("a few", None), ("soldiers", None),
])
def test_vague_value_uses_acled_conversions(word, value):
    assert vague_value(word) == value


@pytest.mark.parametrize("text, noun", [
    ("the loss of seven of its fighters", "fighters"),
    ('"dozens" of military personnel', "military"),
    ("a number of the soldiers", "soldiers"),
    ("hundreds of people", "people"),
    ("at least 10 security officials", "security"),
    ("10 or more soldiers", "soldiers"),
])
def test_head_end_points_at_the_counted_noun(text, noun):
    (q,) = find_quantities(text)
    assert q.head_end >= q.end
    assert text[q.head_end:].split()[0] == noun


@pytest.mark.parametrize("text", [c[0] for c in COUNTS[::4]])
def test_offsets_slice_the_text_value(text):
    prefix = "Reports said that, according to officials, "
    for q in find_quantities(prefix + text):
        assert (prefix + text)[q.start:q.end] == q.text_value
        assert q.start >= len(prefix)


def test_quantity_is_frozen_with_slots():
    q = find_quantities("7 killed")[0]
    assert not hasattr(q, "__dict__")
    with pytest.raises(dataclasses.FrozenInstanceError):
        q.low = 8  # type: ignore[misc]
    assert isinstance(q, Quantity)


def test_thousands_of_shuffled_sentences_keep_their_figures():
    # Speed is measured by `make bench`; here the figures must survive any order of the parts.
    parts = ["Officials said", "at least 10 soldiers", "were killed on Saturday, January 31, 2026,",
             "in Quetta", "and dozens", "were hurt at 6 a.m.", "the BLA claimed over 80", "in Phase 2."]
    rng = random.Random(0)
    for _ in range(2000):
        chosen = rng.sample(parts, 6)
        got = {q.text_value for q in find_quantities(" ".join(chosen))}
        for part, figure in (("at least 10 soldiers", "at least 10"), ("the BLA claimed over 80", "over 80")):
            assert (figure in got) == (part in chosen), (chosen, got)


@pytest.mark.shared
def test_gold_claim_numbers_are_found_in_their_quotes(shared):
    import json

    missed = []
    for line in (shared / "gold" / "seeds.claims.jsonl").read_text(encoding="utf-8").splitlines():
        claim = json.loads(line)
        if claim["text_value"].startswith("("):
            continue  # implied count, e.g. "(one person)": nothing to find in the quote
        want = (claim["text_value"], claim["qualifier"], claim["low"], claim["high"])
        if want not in found(claim["quote"]):
            missed.append((claim["quote"], want))
    assert missed == []


def test_docstring_examples_run():
    import doctest

    import sitrep.nlp.numbers as module

    assert doctest.testmod(module).failed == 0


@pytest.mark.parametrize("text", [
    "99,999,999,999,999,999,999 soldiers were killed",
    "at least 9,999,999,999 billion people were killed",
    "some 40 million residents were killed",
    "two billion villagers fled",
    "between 5 and 90,000,000 were hurt",
])
def test_figures_beyond_any_plausible_count_are_not_counts(text):
    assert found(text) == []


def test_an_implausible_figure_is_logged_with_its_source(caplog):
    with caplog.at_level("WARNING", logger="sitrep.nlp.numbers"):
        assert find_quantities("Reports said 70,000,000,000 were killed.", source="doc-17") == []
    assert "doc-17" in caplog.text and "70,000,000,000" in caplog.text


def test_the_plausibility_cap_is_data():
    assert MAX_COUNT == data.load_json("number_words.json")["max_count"] == 10_000_000
    assert found(f"{MAX_COUNT:,} people fled") == [(f"{MAX_COUNT:,}", "exact", MAX_COUNT, MAX_COUNT)]


@pytest.mark.parametrize("text", ["10^100 killed", "2**64 killed", "4×5 killed"])
def test_numbers_glued_by_an_operator_are_one_odd_token(text):
    assert found(text) == []


@pytest.mark.parametrize("text, value", [
    ("1.5 million people fled", 1_500_000),
    ("2.3 million people fled", 2_300_000),
    ("0.7 million people fled", 700_000),
    ("1.05 thousand people fled", 1050),
    ("9,999,999 people fled", 9_999_999),
])
def test_counts_are_exact_integers_never_floats(text, value):
    (q,) = find_quantities(text)
    assert type(q.low) is int and q.low == value
