"""The output folder of `sitrep run` (SPEC §2) on the bundled sample corpus, and on the seeds when present."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from sitrep.fuse.events import EVENT_COLUMNS
from sitrep.export.ucdp import GED_COLUMNS
from sitrep.pipeline import run
from sitrep.settings import Settings

SAMPLE = Path(__file__).resolve().parents[2] / "src" / "sitrep" / "data" / "sample"


# Loads spaCy (and, for a run, the embedding model): `make test-fast` leaves it out.
pytestmark = pytest.mark.nlp


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("sample-out")
    run([SAMPLE], folder, Settings(progress=False))
    return folder


def test_events_csv_has_acleds_31_columns_in_order(out):
    df = pd.read_csv(out / "events.csv")
    assert list(df.columns) == EVENT_COLUMNS and len(EVENT_COLUMNS) == 31
    assert len(df) > 0 and df["latitude"].notna().all() and (df["fatalities"] >= 0).all()
    assert set(df["geo_precision"]) <= {1, 2, 3} and set(df["time_precision"]) <= {1, 2, 3}
    assert df["event_id_cnty"].is_unique


def test_event_types_are_acleds(out):
    types = json.loads((SAMPLE.parent / "event_types.json").read_text())["types"]
    allowed = {(t["event_type"], t["sub_event_type"]) for t in types}
    assert len(allowed) == 25
    df = pd.read_csv(out / "events.csv")
    assert set(zip(df["event_type"], df["sub_event_type"])) <= allowed


def test_events_jsonl_carries_story_docs_and_quotes(out):
    rows = [json.loads(line) for line in (out / "events.jsonl").read_text().splitlines()]
    stories = {s["id"] for s in json.loads((out / "stories.json").read_text())["stories"]}
    for r in rows:
        assert r["story_id"] in stories and r["doc_ids"]
        assert list(r)[:31] == EVENT_COLUMNS
        if r["fatalities"]:
            assert r["claim_quotes"], f"{r['event_id_cnty']} has fatalities but no quote behind them"


def test_ged_csv_columns_and_ranges(out):
    df = pd.read_csv(out / "ged.csv")
    assert list(df.columns) == GED_COLUMNS
    assert (df["low"] <= df["best"]).all() and (df["best"] <= df["high"]).all()
    assert set(df["type_of_violence"]) <= {1, 2, 3}


def test_geojson_has_a_point_per_located_event(out):
    geo = json.loads((out / "places.geojson").read_text())
    events = pd.read_csv(out / "events.csv")
    assert geo["type"] == "FeatureCollection" and len(geo["features"]) == len(events)
    lon, lat = geo["features"][0]["geometry"]["coordinates"]
    assert -180 <= lon <= 180 and -90 <= lat <= 90


def test_sample_stories_keep_the_older_incident_apart(out):
    stories = json.loads((out / "stories.json").read_text())["stories"]
    by_doc = {d: s["id"] for s in stories for d in s["doc_ids"]}
    assert by_doc["ng-lakechad-times-monguno-2025"] != by_doc["ng-lakechad-times-monguno-base"]
    assert by_doc["ng-lakechad-times-monguno-base"] == by_doc["ng-northeast-courier-iswap-claim"]
    assert by_doc["so-horn-dispatch-beledweyne-hotel"] == by_doc["so-banadir-post-shabaab-claim"]
    assert by_doc["pk-frontier-chronicle-police-posts"] == by_doc["pk-indus-tribune-ttp-claim"]
    assert len({by_doc[d] for d in ("ng-lakechad-times-monguno-base", "so-horn-dispatch-beledweyne-hotel",
                                    "pk-frontier-chronicle-police-posts")}) == 3
    # the syndicated copy belongs to its original's story, and is marked as a copy
    assert by_doc["so-jowhar-daily-beledweyne-hotel"] == by_doc["so-horn-dispatch-beledweyne-hotel"]


def test_every_figure_points_to_quotes_that_contain_its_number(out):
    claims = [json.loads(line) for line in (out / "claims.jsonl").read_text().splitlines()]
    quotes = {(c["doc_id"], c["quote"]) for c in claims}
    for s in json.loads((out / "stories.json").read_text())["stories"]:
        for f in s["figures"]:
            assert f["low"] is None or f["low"] <= f["best"] <= f["high"]
            for r in f["by_claimant"]:
                assert r["quotes"] and r["doc_ids"]
                for q in r["quotes"]:
                    assert any((d, q) in quotes for d in r["doc_ids"])
                    if not r["text_value"].startswith("("):  # "(one person)": a named person, no numeral
                        assert r["text_value"].lower() in q.lower()


def test_claims_quotes_are_verbatim_in_stored_text(out):
    from sitrep.store import Store

    store = Store(f"sqlite:///{out / 'sitrep.db'}")
    for line in (out / "claims.jsonl").read_text().splitlines():
        c = json.loads(line)
        text = store.get_document(c["doc_id"]).text
        assert text[c["char_start"]:c["char_end"]] == c["quote"]


def test_seeds_pass_every_story_check(shared, tmp_path):
    run([shared / "seeds"], tmp_path, Settings(progress=False))
    res = subprocess.run([sys.executable, str(shared / "eval" / "check_story.py"),
                          str(shared / "gold" / "seeds.story.json"), str(tmp_path / "stories.json")],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stdout
    res = subprocess.run([sys.executable, str(shared / "eval" / "score_claims.py"),
                          str(shared / "gold" / "seeds.claims.jsonl"), str(tmp_path / "claims.jsonl"),
                          "--min-f1", "0.9", "--min-strict-f1", "0.75"], capture_output=True, text=True)
    assert res.returncode == 0, res.stdout


def test_sample_claims_reach_the_target_f1(shared, out):
    gold = Path(__file__).resolve().parents[1] / "data" / "sample.claims.jsonl"
    res = subprocess.run([sys.executable, str(shared / "eval" / "score_claims.py"), str(gold),
                          str(out / "claims.jsonl"), "--min-f1", "0.9"], capture_output=True, text=True)
    assert res.returncode == 0, res.stdout[-2000:]
