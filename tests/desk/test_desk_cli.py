"""`sitrep stories|events|claims`: the desk's queries on the command line, with the same names."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from sitrep import desk
from sitrep.cli import app

runner = CliRunner()


def call(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_events_json_is_the_apis_page(hand_store):
    res = call("events", "--db", hand_store.url, "--country", "nigeria", "--min-fatalities", "4", "--format", "json")
    assert res.exit_code == 0, res.output
    assert json.loads(res.output) == desk.events(hand_store, country="nigeria", min_fatalities=4).as_dict()


@pytest.mark.parametrize("args, total", [(["--actor", "ttp"], 2), (["--place", "bann"], 1), (["--admin1", "BORNO"], 3),
                                         (["--event-type", "Battles", "--date-from", "2026-05-01"], 2),
                                         (["--date-to", "2026-03-14"], 2), (["--story-id", "story-pk"], 3)])
def test_event_filters(hand_store, args, total):
    res = call("events", "--db", hand_store.url, *args, "--format", "json")
    assert json.loads(res.output)["total"] == total


def test_events_table_says_how_many(hand_store):
    res = call("events", "--db", hand_store.url, "--limit", "2")
    assert res.exit_code == 0 and "1-2 of 7 (--offset to see more)" in res.output and "PAK1" in res.output


def test_events_csv_and_geojson_are_the_exports(hand_store):
    res = call("events", "--db", hand_store.url, "--country", "Pakistan", "--format", "csv")
    assert res.output == "".join(desk.events_csv(hand_store, country="Pakistan"))
    assert [r["event_id_cnty"] for r in csv.DictReader(io.StringIO(res.output))] == ["PAK1", "PAK2", "PAK10"]
    geo = json.loads(call("events", "--db", hand_store.url, "--format", "geojson").output)
    assert geo["type"] == "FeatureCollection" and len(geo["features"]) == 6


def test_claims_and_stories(hand_store):
    res = call("claims", "--db", hand_store.url, "--predicate", "killed", "--claimant-type", "military", "--format", "json")
    assert [c["quote"] for c in json.loads(res.output)["items"]] == ["10 soldiers were killed"]
    lines = call("claims", "--db", hand_store.url, "--hedge", "claimed", "--format", "jsonl").output.splitlines()
    assert [json.loads(x)["claimant"] for x in lines] == ["ISWAP", "ISWAP"]
    res = call("stories", "--db", hand_store.url, "--format", "json")
    assert [s["id"] for s in json.loads(res.output)["items"]] == ["story-pk", "story-ng"]
    assert "story-pk" in call("stories", "--db", hand_store.url).output


def test_an_output_folder_is_read_like_sitrep_docs(tmp_path):
    res = call("events", "--out", tmp_path)
    assert res.exit_code == 2 and f"{tmp_path / 'sitrep.db'} does not exist" in res.output


@pytest.mark.parametrize("args, says", [(["events", "--date-from", "13/01/2026"], "[E601] date_from must be a date"),
                                        (["events", "--format", "xml"], "--format must be one of"),
                                        (["claims", "--format", "csv"], "--format must be one of")])
def test_bad_values_are_one_line_errors(hand_store, args, says):
    res = call(*args, "--db", hand_store.url)
    assert res.exit_code == 2 and says in res.output


@pytest.mark.parametrize("cmd", ["stories", "events", "claims", "serve"])
def test_each_desk_command_has_help(cmd):
    res = call(cmd, "--help")
    assert res.exit_code == 0 and "--db" in res.output and "--out" in res.output


def test_serve_refuses_ingest_without_a_token(hand_store, monkeypatch):
    monkeypatch.delenv("SITREP_INGEST_TOKEN", raising=False)
    res = call("serve", "--db", hand_store.url, "--allow-ingest")
    assert res.exit_code == 2 and "--allow-ingest needs a token" in res.output
