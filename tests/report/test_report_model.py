"""The report model: sitrep's own summary, figures tied to their quotes, contradictions, timeline."""

from __future__ import annotations

import re

import pytest

from sitrep.report import build
from sitrep.report import words as w


def text(toks) -> str:
    return "".join(t.text for t in toks)


def all_toks(report):
    for s in report.stories:
        for line in s.overview + s.tolls + [t for _, t in s.contradictions] + [e.toks for e in s.timeline]:
            yield from line
        for f in s.figures:
            yield from f.reading + f.rationale
            for r in f.rows:
                yield from r.value + r.refs


@pytest.fixture
def report(hand):
    return build(hand["stories"], hand["events"], hand["claims"], hand["docs"])


def test_summary_says_who_claims_which_toll_side_by_side(report):
    tolls = [text(line) for line in report.stories[0].tolls]
    assert [t.split(":")[0] for t in tolls] == ["Civilians killed", "Security forces killed", "Militants killed"]
    assert tolls[1].startswith("Security forces killed: 10 according to the military (ISPR); "
                               "the BLA claims at least 84.")
    assert "best 10, range 10–84" in tolls[1]
    assert any(t.startswith("Militants killed: 58–60 according to the military (ISPR)") for t in tolls)


def test_overview_names_when_where_what_and_who_from_the_events(report):
    overview = " ".join(text(line) for line in report.stories[0].overview)
    assert overview.startswith("On 31 January 2026: 3 events in Balochistan (Pakistan): ")
    assert "suicide bombings in" in overview and "attacks in Quetta and Somewhere" in overview
    assert "against Military Forces of Pakistan" in overview


def test_summary_copies_no_article_sentence(report, hand):
    summary = " ".join(text(line) for line in report.stories[0].overview + report.stories[0].tolls)
    for doc in hand["docs"].values():
        for sentence in re.split(r"(?<=[.!?])\s+", doc.text):
            words = sentence.split()
            # any run of eight article words would be copying
            for i in range(len(words) - 7):
                assert " ".join(words[i:i + 8]) not in summary


def test_weekday_contradiction_names_the_written_and_the_real_day(report):
    (kind, toks), = [c for c in report.stories[0].contradictions if c[0] == "weekday"]
    assert text(toks) == "[2] gives the day as Friday, but 31 January 2026 was a Saturday."
    ref = toks[0]
    assert report.quotes[ref.q].text == "Friday, January 31"   # highlighted in its source like a quote


def test_figure_contradictions_are_grouped_with_linked_values(report):
    figs = [text(t) for k, t in report.stories[0].contradictions if k == "figures"]
    assert figs == ["Security forces killed: 10 (the military (ISPR)) and at least 84 (the BLA) do not overlap."]


def test_rows_that_share_no_number_are_flagged_as_conflicting(report):
    figs = {f.label: f for f in report.stories[0].figures}
    fig = figs["Security forces killed"]
    assert fig.disputed
    assert [(r.claimant, r.conflict) for r in fig.rows] == [("ISPR", True), ("BLA", True)]
    assert not figs["Militants killed"].disputed


def test_every_figure_links_to_a_claim_whose_quote_holds_its_number(report, hand):
    figs = [t for t in all_toks(report) if t.kind == "fig"]
    assert len(figs) >= 10
    for t in figs:
        assert t.q is not None, t
        quote = report.quotes[t.q]
        claim = quote.claim
        assert claim.text_value in claim.quote
        assert hand["docs"][quote.doc_id].text[quote.start:quote.end] == claim.quote
        numbers = {int(n) for n in re.findall(r"\d+", t.text)}
        assert numbers <= {claim.low, claim.high}, (t.text, claim)


def test_revisions_show_the_earlier_and_the_later_figure(report):
    revisions = [text(e.toks) for e in report.stories[0].timeline if e.kind == "revision"]
    assert revisions == ["The BLA revised security forces killed from more than 80 [2] to at least 84 [2]."]


def test_timeline_is_in_date_order_with_events_first(report):
    entries = report.stories[0].timeline
    assert [e.at for e in entries] == sorted(e.at for e in entries)
    assert entries[0].kind == "event"


def test_only_located_events_become_markers_and_their_fatalities_link_a_quote(report):
    markers = report.stories[0].markers
    assert {m["place"] for m in markers} == {"Quetta", report.stories[0].markers[1]["place"]}
    assert len(markers) == 2
    assert all(report.quotes[m["q"]].claim is not None for m in markers)


def test_offsets_that_do_not_match_the_text_are_found_by_the_quote(hand):
    from dataclasses import replace
    hand["claims"][0] = replace(hand["claims"][0], char_start=0, char_end=5)
    report = build(hand["stories"], hand["events"], hand["claims"], hand["docs"])
    q = report.quotes[0]
    assert hand["docs"]["ispr"].text[q.start:q.end] == "10 security personnel were killed"


def test_sources_are_numbered_and_mark_their_quotes(report):
    src = report.sources[0]
    assert (src.n, src.doc_id) == (1, "ispr")
    marked = ["".join(p[0] for p in src.parts if q in p[1]) for q in (0, 1)]
    assert marked == ["10 security personnel were killed", "between 58 and 60 militants died"]
    assert "".join(p[0] for p in src.parts) == src_text(report, "ispr")


def src_text(report, doc_id):
    return next("".join(p[0] for p in s.parts) for s in report.sources if s.doc_id == doc_id)


@pytest.mark.parametrize("low, high, qualifier, text_value, expected", [
    (10, 10, "exact", "10", "10"),
    (84, None, "at_least", "at least 84", "at least 84"),
    (80, None, "more_than", "over 80", "more than 80"),
    (58, 60, "range", "between 58 and 60", "58–60"),
    (None, 15, "up_to", "up to 15", "up to 15"),
    (12, 12, "approximately", "about a dozen", "about 12"),
    (None, None, "vague", "Dozens", "dozens"),
    (None, None, "vague", "", "an unstated number"),
])
def test_values_are_stated_in_sitreps_words(low, high, qualifier, text_value, expected):
    assert w.value(low, high, qualifier, text_value) == expected


@pytest.mark.parametrize("written, year, expected", [
    ("Friday, January 31", 2026, ("Friday", "31 January 2026", "Saturday")),
    ("Friday, May 9, 2026", None, ("Friday", "9 May 2026", "Saturday")),
    ("on Tuesday 21 April", 2026, ("Tuesday", "21 April 2026", "Tuesday")),
    ("last week", 2026, None),
    ("Monday, February 30", 2026, None),
])
def test_weekday_mismatch_finds_the_real_weekday(written, year, expected):
    assert w.weekday_mismatch(written, year) == expected


@pytest.mark.parametrize("start, end, expected", [
    ("2026-01-31", "2026-01-31", "On 31 January 2026"),
    ("2026-03-14", "2026-03-15", "From 14 to 15 March 2026"),
    ("2026-01-30", "2026-02-02", "From 30 January to 2 February 2026"),
    (None, None, "On an unknown date"),
])
def test_spans_of_days(start, end, expected):
    assert w.span(start, end) == expected


@pytest.mark.parametrize("name, ctype, expected", [
    ("ISPR", "military", "the military (ISPR)"), ("army", "military", "the army"), ("BLA", "armed_group", "the BLA"),
    ("al-Shabaab", "armed_group", "al-Shabaab"), ("residents", "witnesses", "residents"),
    ("UN Human Rights Office", "international", "the UN Human Rights Office"), ("UN", "international", "the UN"),
    ("International Committee of the Red Cross", "international", "the International Committee of the Red Cross"),
    ("UNICEF", "international", "UNICEF"), ("Amnesty International", "ngo", "Amnesty International"),
    ("Human Rights Watch", "ngo", "Human Rights Watch"),
    ("Human Rights Commission of Pakistan", "ngo", "the Human Rights Commission of Pakistan"),
    ("Interior Ministry Office", "government", "Interior Ministry Office"),
])
def test_claimants_are_named_as_a_reader_expects(name, ctype, expected):
    assert w.who(name, ctype) == expected


@pytest.mark.parametrize("ctype, expected", [
    ("armed_group", "armed group"), ("international", "international"), ("ngo", "NGO"),
    ("unattributed", "unattributed"), ("medical", "medical"),
])
def test_claimant_types_are_labelled_for_readers(ctype, expected):
    assert w.claimant_type(ctype) == expected


@pytest.fixture
def heard(voices):
    return build(voices["stories"], voices["events"], voices["claims"], voices["docs"]).stories[0]


def test_international_and_ngo_claimants_are_labelled_and_named_as_a_reader_expects(heard):
    [fig] = heard.figures
    assert [(r.claimant, r.type_label) for r in fig.rows] == [
        ("UN Human Rights Office", "international"), ("Amnesty International", "NGO"), ("outlet", "unattributed"),
        ("reports (Daily Wire)", "unattributed"), ("residents", "witnesses")]
    assert [r.claimant_type for r in fig.rows][:2] == ["international", "ngo"]   # the codes still style the rows


def test_summary_gives_official_and_independent_figures_before_unnamed_voices(heard):
    [toll] = [text(line) for line in heard.tolls]
    assert toll.startswith("Civilians killed: at least 70 according to the UN Human Rights Office; "
                           "75 according to Amnesty International; 100 according to residents; "
                           "80 according to the outlet [2]; 1 more in the table. ")


def test_unnamed_voices_are_rendered_from_their_outlet_or_document(heard):
    claims = sorted(text(e.toks) for e in heard.timeline if e.kind == "claim")
    assert claims == ["Amnesty International: civilians killed 75 [2].",
                      "Reports cited by Daily Wire [1]: civilians killed 90.",
                      "Residents: civilians killed 100 [2].",
                      "The UN Human Rights Office: civilians killed at least 70 [1].",
                      "The outlet [2]: civilians killed 80."]


def test_figure_contradictions_find_their_claimants_by_record(heard):
    [line] = [text(t) for k, t in heard.contradictions if k == "figures"]
    assert line == ("Civilians killed: 75 (Amnesty International), 80 (the outlet [2]), 90 (reports cited by "
                    "Daily Wire [1]) and 100 (residents) do not overlap.")


@pytest.mark.parametrize("row, expected", [
    ({"claimant": "reports", "claimant_type": "unattributed", "outlet": None, "doc_id": "plain"}, "reports [2]"),
    ({"claimant": "outlet", "claimant_type": "unattributed", "outlet": "Daily Wire", "doc_id": None},
     "Daily Wire [2]"),
    ({"claimant": "sources", "claimant_type": "unattributed", "outlet": "Daily Wire", "doc_id": None},
     "sources cited by Daily Wire [2]"),
    # a name is shown as it is, never taken apart: this is no document's voice
    ({"claimant": "relatives (plain)", "claimant_type": "witnesses", "outlet": None, "doc_id": None},
     "relatives (plain)"),
    ({"claimant": "reports (plain)", "claimant_type": "unattributed"}, "reports (plain)"),
    ({"claimant": "ICRC", "claimant_type": "international", "outlet": None, "doc_id": None}, "ICRC"),
])
def test_claimants_in_running_text(row, expected):
    from sitrep.report.story import _claimant

    numbers = {"wire": 1, "plain": 2}
    assert text(_claimant(row | {"doc_ids": ["plain"]}, numbers, {})) == expected


def test_date_contradiction_is_rendered_from_its_record(hand):
    import copy

    stories = copy.deepcopy(hand["stories"])
    stories[0]["contradictions"] = [
        {"kind": "date", "detail": "(not read by the report)", "doc_ids": ["bla", "ispr"], "agreed": "2026-01-31",
         "dates": [{"doc_id": "bla", "date": "2026-01-30", "wording": "Friday, January 31"},
                   {"doc_id": "bla", "date": "2026-01-31", "wording": None},
                   {"doc_id": "ispr", "date": "2026-01-31", "wording": None}]}]
    view = build(stories, hand["events"], hand["claims"], hand["docs"])
    [(kind, toks)] = view.stories[0].contradictions
    numbers = {s.doc_id: s.n for s in view.sources}
    assert kind == "date"
    assert text(toks) == (f"[{numbers['bla']}] dates the incident 30 January 2026 and 31 January 2026; "
                          f"[{numbers['ispr']}] reports it on 31 January 2026.")
    assert view.quotes[toks[2].q].text == "Friday, January 31"   # the wording is highlighted in its source
