"""A story's contradictions: structured records (SPEC §5), without repeats, the weightiest first."""

from __future__ import annotations

import datetime as dt

from sitrep.fuse import date_disagreements, ranked
from sitrep.fuse.docs import DocInfo

OCT = {n: dt.date(2025, 10, n) for n in range(1, 10)}


def doc(doc_id: str, day: dt.date, named=(), precision: int = 1) -> DocInfo:
    return DocInfo(doc_id=doc_id, published=None, title=None, source=None, lead="", event_date=day,
                   date_precision=precision, incident_days=list(named))


def test_a_text_giving_its_incident_two_days_is_a_date_contradiction():
    docs = [doc("a", OCT[3], [(OCT[3], "Thursday")]), doc("b", OCT[3]),
            doc("c", OCT[3], [(OCT[5], "October 5, 2025"), (OCT[3], "the October 3rd")])]
    [c] = date_disagreements(docs)
    assert c["kind"] == "date" and c["doc_ids"] == ["c", "a", "b"] and c["agreed"] == "2025-10-03"
    assert [(x["doc_id"], x["date"], x["wording"]) for x in c["dates"]] == [
        ("c", "2025-10-05", "October 5, 2025"), ("c", "2025-10-03", "the October 3rd"),
        ("a", "2025-10-03", None), ("b", "2025-10-03", None)]


def test_a_text_naming_another_day_than_the_others_report_is_a_date_contradiction():
    docs = [doc("a", OCT[3]), doc("b", OCT[3]), doc("c", OCT[5], [(OCT[5], "the October 5 massacre")])]
    [c] = date_disagreements(docs)
    assert c["doc_ids"] == ["c", "a", "b"]
    assert [x["date"] for x in c["dates"]] == ["2025-10-05", "2025-10-03", "2025-10-03"]


def test_texts_that_agree_or_give_no_day_by_name_are_no_contradiction():
    assert date_disagreements([doc("a", OCT[3], [(OCT[3], "Thursday's attack")]), doc("b", OCT[3]),
                               doc("c", OCT[4], precision=2)]) == []
    # no day leads: nothing to contradict
    assert date_disagreements([doc("a", OCT[3]), doc("b", OCT[5], [(OCT[5], "the attack on Sunday")])]) == []


def test_contradictions_lose_repeats_and_come_weightiest_first():
    fig = lambda gap: {"kind": "figures", "detail": f"gap {gap}", "doc_ids": ["a", "b"], "gap": gap}  # noqa: E731
    weekday = {"kind": "weekday", "detail": "a writes 'Friday, 3 October'", "doc_ids": ["a"]}
    date = {"kind": "date", "detail": "c dates the incident", "doc_ids": ["c"]}
    out = ranked([weekday, fig(2), fig(40), date, fig(2), weekday])
    assert [(r["kind"], r.get("gap")) for r in out] == [("date", None), ("figures", 40), ("figures", 2),
                                                        ("weekday", None)]
