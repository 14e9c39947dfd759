"""Reconciliation rules on hand-built claim sets."""

from __future__ import annotations

from dataclasses import replace

import pytest

from sitrep.fuse.claimant import Claimant
from sitrep.fuse.reconcile import ENEMY_OF, conservative_total, disagreements, figures, partisan
from sitrep.records import Claim


def claim(doc, claimant, kind, low, high, qualifier="exact", category="security_forces", predicate="killed",
          location=None, text=None, scope="main"):
    tv = text or (str(low) if low is not None else str(high))
    return Claim(doc_id=doc, quote=f"{tv} killed", char_start=0, char_end=len(tv) + 7, predicate=predicate,
                 category=category, low=low, high=high, qualifier=qualifier, text_value=tv, claimant=claimant,
                 claimant_type=kind, hedge="reported", location=location, event_scope=scope)


WHEN = {"a": "2026-01-31", "b": "2026-01-31", "c": "2026-02-01", "d": "2026-02-02"}


def run(claims):
    figs, timeline = figures(claims, lambda d: f"outlet-{d}", WHEN.get)
    return {(f["predicate"], f["category"]): f for f in figs}, timeline


def test_party_claim_is_not_preferred_over_lower_official_figure():
    figs, _ = run([claim("a", "army", "military", 10, 10), claim("b", "BLA", "armed_group", 84, None, "at_least")])
    f = figs[("killed", "security_forces")]
    assert (f["low"], f["best"], f["high"]) == (10, 10, 84)
    assert "army" in f["rationale"] and "BLA" in f["rationale"] and "not preferred" in f["rationale"]


def test_own_losses_admitted_by_a_group_are_credible():
    figs, _ = run([claim("a", "army", "military", 58, 60, "range", "militants"),
                   claim("b", "BLA", "armed_group", 7, 7, "exact", "militants")])
    f = figs[("killed", "militants")]
    assert (f["low"], f["best"], f["high"]) == (7, 7, 60)


def test_when_every_source_is_a_party_the_lowest_is_best_and_rationale_says_so():
    figs, _ = run([claim("a", "ISWAP", "armed_group", 40, 40, category="military")])
    f = figs[("killed", "military")]
    assert f["best"] == 40 and "every figure comes from a party" in f["rationale"]


def test_vague_words_count_as_acled_converts_them():
    figs, _ = run([claim("a", "residents", "witnesses", None, None, "vague", "civilians", text="dozens")])
    assert figs[("killed", "civilians")]["best"] == 12


def test_several_or_many_dead_count_ten_as_acled_codes_them():
    figs, _ = run([claim("a", "residents", "witnesses", None, None, "vague", "civilians", text="many")])
    assert figs[("killed", "civilians")]["best"] == 10


def test_only_unconvertible_vague_words_give_no_number():
    figs, _ = run([claim("a", "residents", "witnesses", None, None, "vague", "civilians", text="a few")])
    f = figs[("killed", "civilians")]
    assert f["best"] is None and "Only vague figures" in f["rationale"]


def test_later_figure_supersedes_but_both_stay_in_timeline():
    figs, timeline = run([claim("a", "police", "police", 9, None, "at_least", "people"),
                          claim("c", "police", "police", 16, 16, "exact", "people")])
    [row] = figs[("killed", "people")]["by_claimant"]
    assert (row["low"], row["first_seen"]) == (16, "2026-02-01")
    assert [(t["low"], t.get("supersedes", {}).get("low")) for t in timeline] == [(9, None), (16, 9)]


def test_same_day_keeps_the_most_specific_figure():
    figs, _ = run([claim("a", "BLA", "armed_group", 80, None, "more_than"),
                   claim("a", "BLA", "armed_group", 84, None, "at_least")])
    [row] = figs[("killed", "security_forces")]["by_claimant"]
    assert row["low"] == 84


def test_unnamed_voices_of_different_outlets_stay_apart():
    figs, _ = run([claim("a", "reports", "unattributed", 10, 10), claim("b", "reports", "unattributed", 12, 12)])
    assert len(figs[("killed", "security_forces")]["by_claimant"]) == 2


@pytest.mark.parametrize("kind", ["international", "ngo"])
@pytest.mark.parametrize("party, party_type, category", [
    ("BLA", "armed_group", "security_forces"),   # a group's toll of soldiers
    ("Gran Grif", "armed_group", "civilians"),   # a gang's toll of its victims
    ("ISPR", "military", "militants"),           # the army's toll of militants
])
def test_international_and_ngo_figures_are_independent(kind, party, party_type, category):
    figs, _ = run([claim("a", party, party_type, 84, None, "at_least", category),
                   claim("b", "Monitor", kind, 30, 30, category=category)])
    f = figs[("killed", category)]
    assert (f["low"], f["best"], f["high"]) == (30, 30, 84)
    assert "not claimed by a party" in f["rationale"] and f"not preferred: {party} (" in f["rationale"]
    assert "Monitor" not in f["rationale"].split("not preferred:")[1]


@pytest.mark.parametrize("kind", ["international", "ngo", "media", "witnesses", "unattributed"])
def test_independent_claimants_are_never_a_party(kind):
    categories = set().union(*ENEMY_OF.values())
    assert not any(partisan(kind, c) for c in categories)


def test_a_party_figure_is_best_only_when_no_independent_one_is_lower():
    figs, _ = run([claim("a", "army", "military", 58, 60, "range", "militants"),
                   claim("b", "UN Human Rights Office", "international", 70, None, "at_least", "militants")])
    f = figs[("killed", "militants")]
    assert f["best"] == 70 and "(UN Human Rights Office)" in f["rationale"]


def test_claimants_are_records_carried_to_the_rows():
    claims = [claim("a", "Amnesty International", "ngo", 5, 5, category="civilians"),
              claim("b", "Amnesty International", "ngo", 5, 5, category="civilians"),
              claim("a", "reports", "unattributed", 7, 7, category="civilians"),
              claim("b", "reports", "unattributed", 8, 8, category="civilians"),
              claim("c", "outlet", "unattributed", 9, 9, category="civilians")]
    outlets = {"a": "Daily Wire", "b": "Daily Wire"}   # c names no outlet: the document itself speaks
    figs, timeline = figures(claims, outlets.get, WHEN.get)
    rows = {Claimant.from_row(r): r for r in figs[0]["by_claimant"]}
    assert set(rows) == {Claimant("Amnesty International", "ngo"),
                         Claimant("reports", "unattributed", outlet="Daily Wire"),
                         Claimant("outlet", "unattributed", doc_id="c")}
    ngo = rows[Claimant("Amnesty International", "ngo")]
    assert (ngo["claimant"], ngo["outlet"], ngo["doc_id"], ngo["doc_ids"]) == ("Amnesty International", None, None,
                                                                               ["a", "b"])
    wire = rows[Claimant("reports", "unattributed", outlet="Daily Wire")]
    assert (wire["claimant"], wire["outlet"], wire["doc_id"]) == ("reports", "Daily Wire", None)
    assert rows[Claimant("outlet", "unattributed", doc_id="c")]["claimant"] == "outlet"
    assert "from unattributed outlet (c) (9)" in figs[0]["rationale"]   # sitrep's sentences name the document
    assert {Claimant.from_row(t) for t in timeline} == set(rows)
    assert [t["outlet"] for t in timeline if t["doc_id"] == "a"] == [None, "Daily Wire"]


def test_an_outlets_unnamed_voice_revises_only_its_own_figure():
    _, timeline = figures([claim("a", "reports", "unattributed", 7, 7), claim("c", "reports", "unattributed", 9, 9),
                           claim("d", "reports", "unattributed", 12, 12)],
                          {"a": "Daily Wire", "d": "Daily Wire"}.get, WHEN.get)
    revised = [(t["doc_id"], t["supersedes"]["doc_id"]) for t in timeline if "supersedes" in t]
    assert revised == [("d", "a")]   # c names no outlet: its figure is nobody's earlier one


def test_disagreements_name_their_claimants_as_records():
    figs, _ = figures([claim("a", "reports", "unattributed", 10, 10), claim("b", "HRW", "ngo", 40, 40)],
                      {"a": "Daily Wire"}.get, WHEN.get)
    [c] = disagreements(figs)
    assert [Claimant.from_row(x) for x in c["claimants"]] == [Claimant("reports", "unattributed", "Daily Wire"),
                                                              Claimant("HRW", "ngo")]
    assert "reports (Daily Wire) gives 10, HRW gives 40" in c["detail"]


@pytest.mark.parametrize("args, expected, label", [
    (("ISPR", "military", "Dawn", "d1"), Claimant("ISPR", "military"), "ISPR"),
    (("OCHA", "international", "Dawn", "d1"), Claimant("OCHA", "international"), "OCHA"),
    (("reports", "unattributed", "Dawn", "d1"), Claimant("reports", "unattributed", "Dawn"), "reports (Dawn)"),
    (("reports", "unattributed", None, "d1"), Claimant("reports", "unattributed", None, "d1"), "reports (d1)"),
    (("reports", "unattributed", "", "d1"), Claimant("reports", "unattributed", None, "d1"), "reports (d1)"),
])
def test_a_claimant_keeps_the_outlet_or_document_only_for_an_unnamed_voice(args, expected, label):
    got = Claimant.of(*args)
    assert got == expected and got.label == label
    assert Claimant.from_row(got.fields()) == got


def test_place_limited_figures_do_not_set_the_total():
    figs, _ = run([claim("a", "police", "police", 4, 4, category="police", location="Quetta"),
                   claim("b", "army", "military", 10, 10, category="police")])
    f = figs[("killed", "police")]
    assert f["best"] == 10 and "Quetta" in f["rationale"]


def test_background_figures_are_left_out():
    figs, _ = run([claim("a", "outlet", "unattributed", 100, None, "more_than", "people", scope="background")])
    assert figs == {}


@pytest.mark.parametrize("rows, n", [
    ([(10, 10), (84, None)], 1),   # 10 vs at least 84: no overlap
    ([(10, 12), (12, 15)], 0),     # touching ranges overlap
    ([(None, 50), (30, 30)], 0),   # up to 50 contains 30
])
def test_disagreements_name_non_overlapping_figures(rows, n):
    claims = [claim(d, f"c{i}", "military" if i == 0 else "armed_group", lo, hi,
                    "exact" if hi == lo else ("up_to" if lo is None else ("at_least" if hi is None else "range")))
              for i, ((lo, hi), d) in enumerate(zip(rows, "ab"))]
    figs, _ = figures(claims, lambda d: d, WHEN.get)
    found = disagreements(figs)
    assert len(found) == n
    if n:
        assert found[0]["kind"] == "figures" and set(found[0]["doc_ids"]) == {"a", "b"}


def test_conservative_total_uses_family_totals_before_their_parts():
    figs = [{"predicate": "killed", "category": c, "best": b} for c, b in
            [("security_forces", 10), ("police", 4), ("military", 12), ("militants", 7), ("civilians", 3)]]
    assert conservative_total(figs) == 20
    parts_only = [f for f in figs if f["category"] != "security_forces"]
    assert conservative_total(parts_only) == 26


def test_place_figures_adding_up_past_the_total_are_named():
    from sitrep.fuse.reconcile import sum_checks

    figs, _ = figures([claim("a", "police", "police", 7, 7, category="police", location="Quetta"),
                       claim("a", "police", "police", 5, 5, category="police", location="Gwadar"),
                       claim("b", "army", "military", 10, 10, category="police")], lambda d: d, WHEN.get)
    [c] = sum_checks(figs)
    assert c["kind"] == "sum" and "add up to 12" in c["detail"] and "(10)" in c["detail"]


@pytest.mark.parametrize("sentence, town, violent", [
    ("Fighters launched attacks in Quetta, Nushki and Kalat before dawn.", "Kalat", True),
    ("Gunmen entered Tank city and opened fire on the police station.", "Tank", True),
    ("The assault shocked officials in the capital, Islamabad.", "Islamabad", False),
    ("The wounded were later brought to Maiduguri for treatment after the raid.", "Maiduguri", False),
    ("Twelve people injured in the blast are being treated at hospitals in Peshawar.", "Peshawar", False),
])
def test_places_of_violence_are_told_from_places_named_nearby(sentence, town, violent):
    from sitrep.nlp.violence import violent_context

    i = sentence.index(town)
    assert violent_context(sentence, i, i + len(town)) is violent


@pytest.mark.parametrize("sentences, kind", [
    (["A suicide bomber struck the gate."], "Suicide bomb"),
    (["Militants stormed the base.", "Heavy gunfire was heard.", "Two women were abducted nearby."], "Armed clash"),
    (["Gunmen abducted 14 students from a school."], "Abduction/forced disappearance"),
    (["Nothing much was said."], "Armed clash"),
])
def test_an_events_kind_is_what_most_sentences_about_it_describe(sentences, kind):
    from sitrep.fuse.events import classify

    assert classify(sentences).sub_event_type == kind


def test_a_vague_word_counts_only_when_no_source_gives_a_number():
    figs, _ = run([claim("a", "officials", "government", None, None, "vague", "civilians", text="dozens"),
                   claim("b", "civil defence", "government", 68, None, "at_least", "civilians")])
    f = figs[("killed", "civilians")]
    assert (f["low"], f["best"]) == (68, 68)


def test_a_part_of_a_total_is_no_estimate_of_the_total():
    part = claim("a", "report", "media", 3, 3, "exact", "civilians")
    part = replace(part, part=True)
    figs, _ = run([part, claim("b", "police", "police", 9, 9, "exact", "civilians")])
    f = figs[("killed", "civilians")]
    assert (f["low"], f["best"], f["high"]) == (9, 9, 9)
    assert {r["claimant_type"]: r["low"] for r in f["by_claimant"]} == {"media": 3, "police": 9}


def test_a_party_s_count_of_its_own_dead_is_a_floor():
    figs, _ = run([claim("a", "army", "military", 8, 8, "exact", "militants"),
                   claim("b", "Alpha Front", "armed_group", 15, 15, "exact", "militants"),
                   claim("c", "residents", "witnesses", 11, 11, "exact", "militants")])
    f = figs[("killed", "militants")]
    assert (f["low"], f["best"], f["high"]) == (8, 15, 15) and "own dead" in f["rationale"]
