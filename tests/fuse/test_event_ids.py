"""Event ids like ACLED's (alpha-3 + a running number per country) and every reporting document listed."""

from __future__ import annotations

import json
import random
import re
import sqlite3
from pathlib import Path

import pytest

from sitrep.fuse.events import add_copies, give_ids, id_number, number_events, original_of, story_event_keys
from sitrep.pipeline import run
from sitrep.settings import Settings

ISO = {"PAK": 586, "NGA": 566, "SOM": 706}


def ev(alpha3, day, place, kind="Armed clash", story="s1", docs=("d1",)):
    return {"event_id_cnty": "", "iso": ISO.get(alpha3, ""), "event_date": day, "location": place,
            "sub_event_type": kind, "admin1": "", "admin2": "", "latitude": 1.0, "longitude": 2.0,
            "story_id": story, "actor1": "Group", "doc_ids": list(docs)}


def sample_events():
    return [ev("PAK", "2031-02-03", "Quetta", story="s1"), ev("PAK", "2031-02-01", "Turbat", story="s2"),
            ev("NGA", "2031-02-02", "Monguno", story="s3"), ev("PAK", "2031-02-01", "Gwadar", story="s2"),
            ev("PAK", "2031-02-01", "Gwadar", "Suicide bomb", story="s2"), ev("NGA", "", "Bama", story="s3"),
            ev("XXX", "2031-02-01", "Nowhere", story="s4"), ev("SOM", "2031-02-05", "Jowhar", story="s5"),
            ev("PAK", "2031-02-01", "Gwadar", story="s6")]


def test_ids_are_alpha3_and_a_running_number_per_country_in_date_then_place_order():
    events = sample_events()
    number_events(events)
    ids = {(e["location"], e["sub_event_type"], e["story_id"]): e["event_id_cnty"] for e in events}
    assert ids[("Gwadar", "Armed clash", "s2")] == "PAK1"
    assert ids[("Gwadar", "Armed clash", "s6")] == "PAK2"   # same day, place and kind: story breaks the tie
    assert ids[("Gwadar", "Suicide bomb", "s2")] == "PAK3"
    assert ids[("Turbat", "Armed clash", "s2")] == "PAK4"
    assert ids[("Quetta", "Armed clash", "s1")] == "PAK5"
    assert ids[("Monguno", "Armed clash", "s3")] == "NGA1"
    assert ids[("Bama", "Armed clash", "s3")] == "NGA2"     # undated events come last
    assert ids[("Jowhar", "Armed clash", "s5")] == "SOM1"
    assert ids[("Nowhere", "Armed clash", "s4")] == "XXX1"  # no country known


def test_ids_are_unique_and_sequential_for_a_large_run():
    rng = random.Random(7)
    places = [f"Town{i}" for i in range(300)]
    events = [ev(rng.choice(list(ISO)), f"2031-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}", rng.choice(places),
                 rng.choice(["Armed clash", "Attack", "Shelling/artillery/missile attack"]), story=f"s{i % 500}")
              for i in range(30_000)]
    number_events(events)
    ids = [e["event_id_cnty"] for e in events]
    assert len(set(ids)) == len(ids)
    for alpha3 in ISO:
        numbers = sorted(int(i[3:]) for i in ids if i.startswith(alpha3))
        assert numbers == list(range(1, len(numbers) + 1))
    assert all(re.fullmatch(r"[A-Z]{3}[1-9]\d*", i) for i in ids)


def test_same_events_in_any_order_get_the_same_ids():
    a, b = sample_events(), sample_events()
    random.Random(3).shuffle(b)
    number_events(a)
    number_events(b)
    key = lambda e: (e["location"], e["sub_event_type"], e["story_id"])  # noqa: E731
    assert {key(e): e["event_id_cnty"] for e in a} == {key(e): e["event_id_cnty"] for e in b}


def test_stories_list_their_events_new_ids_in_their_own_order():
    events = sample_events()
    stories = [{"id": "s2", "event_ids": ["old", "old", "old"]}, {"id": "s9", "event_ids": ["stale"]}]
    number_events(events, stories)
    assert stories[0]["event_ids"] == ["PAK4", "PAK1", "PAK3"]   # Turbat, Gwadar clash, Gwadar bomb
    assert stories[1]["event_ids"] == []


def keys_of(events: list[dict]) -> list[str]:
    """`story_event_keys` of *events*, story by story, in step with *events*."""
    by_story: dict[str, list[int]] = {}
    for i, e in enumerate(events):
        by_story.setdefault(e["story_id"], []).append(i)
    out = [""] * len(events)
    for idx in by_story.values():
        for i, k in zip(idx, story_event_keys([events[i] for i in idx])):
            out[i] = k
    return out


def test_on_a_new_store_ids_run_in_date_order_as_number_events_gives_them():
    fresh, numbered = sample_events(), sample_events()
    number_events(numbered)
    last: dict[str, int] = {}
    new = give_ids(fresh, {}, last, keys_of(fresh))
    assert [e["event_id_cnty"] for e in fresh] == [e["event_id_cnty"] for e in numbered]
    assert sorted(new) == sorted(e["event_id_cnty"] for e in fresh) and last == {"PAK": 5, "NGA": 2, "SOM": 1, "XXX": 1}


def test_an_event_keeps_its_id_when_an_older_day_arrives_and_the_new_one_takes_the_next_number():
    first = sample_events()
    last: dict[str, int] = {}
    ids = {key: i for i, key in give_ids(first, {}, last, keys_of(first)).items()}
    before = {(e["story_id"], e["location"], e["sub_event_type"]): e["event_id_cnty"] for e in first}
    # the same events built again, and a report of an attack days before all of them
    again = sample_events() + [ev("PAK", "2031-01-20", "Sibi", story="s7"), ev("NGA", "2031-01-02", "Bama", story="s8")]
    new = give_ids(again, ids, last, keys_of(again))
    after = {(e["story_id"], e["location"], e["sub_event_type"]): e["event_id_cnty"] for e in again}
    assert {k: after[k] for k in before} == before                    # nothing renumbered
    assert after[("s7", "Sibi", "Armed clash")] == "PAK6" and after[("s8", "Bama", "Armed clash")] == "NGA3"
    assert new == {"PAK6": keys_of(again)[-2], "NGA3": keys_of(again)[-1]}
    assert len(set(after.values())) == len(again)


def test_two_events_alike_in_story_day_place_and_kind_have_keys_of_their_own_in_any_order():
    a = ev("PAK", "2031-02-01", "Gwadar") | {"actor1": "BLA"}
    b = ev("PAK", "2031-02-01", "Gwadar") | {"actor1": "TTP"}
    c = ev("PAK", "2031-02-02", "Gwadar")
    keys = story_event_keys([a, b, c])
    assert len(set(keys)) == 3 and story_event_keys([c, b, a]) == keys[::-1]
    assert story_event_keys([dict(a, fatalities=9, doc_ids=["x"])])[0] == keys[0]   # what it is, not what it says
    assert id_number("PAK12") == ("PAK", 12) and id_number("e1") == ("e", 1) and id_number("PAK") is None


def test_near_copies_join_the_documents_that_report_an_event():
    copies = {"c1": "orig", "c2": "orig", "c3": "c1", "other-copy": "other"}   # c3 copies a copy
    events = [ev("PAK", "2031-02-01", "Quetta", docs=("orig", "x")), ev("PAK", "2031-02-01", "Turbat", docs=("y",)),
              ev("PAK", "2031-02-01", "Sibi", docs=("c1",))]
    add_copies(events, copies)
    assert events[0]["doc_ids"] == ["c1", "c2", "c3", "orig", "x"]
    assert events[1]["doc_ids"] == ["y"]
    assert events[2]["doc_ids"] == ["c1", "c2", "c3", "orig"]
    assert original_of("c3", copies) == "orig" and original_of("z", copies) == "z"
    assert original_of("a", {"a": "b", "b": "a"}) in {"a", "b"}   # a loop ends


# --- end to end: two near-identical articles through the pipeline ----------------------------------------

ORIGINAL = ("date 2031-04-14 Militants of the Red Hand Front stormed a police station in Bannu on Sunday night, "
            "killing seven policemen and two passers-by, district police officer Ahmed Rahim said on Monday. "
            "Three attackers were also killed in the exchange of fire, he said. The station was partly burnt "
            "and the road to Lakki Marwat was closed for several hours while reinforcements arrived.\n\n"
            "A separate gun battle in Dera Ismail Khan left four soldiers dead, the army said.")
COPY = ORIGINAL.replace("date 2031-04-14 ", "date 2031-04-15 BANNU (Frontier Wire) - ") + \
    "\n\nAdditional reporting by Frontier Wire staff."
OTHER = ("date 2031-04-20 Gunmen ambushed a convoy near Quetta on Saturday, killing five soldiers, "
         "officials said.")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("copies-in")
    (d / "frontier-post.txt").write_text(ORIGINAL, encoding="utf-8")
    (d / "wire-copy.txt").write_text(COPY, encoding="utf-8")
    (d / "quetta.txt").write_text(OTHER, encoding="utf-8")
    return d


def outputs(folder: Path) -> tuple[list[dict], list[dict]]:
    events = [json.loads(line) for line in (folder / "events.jsonl").read_text().splitlines()]
    stories = json.loads((folder / "stories.json").read_text())["stories"]
    return events, stories


@pytest.fixture(scope="module")
def two_runs(corpus, tmp_path_factory):
    a, b = tmp_path_factory.mktemp("run-a"), tmp_path_factory.mktemp("run-b")
    run([corpus], a, Settings(progress=False))
    run([corpus], b, Settings(progress=False))
    return a, b


@pytest.mark.nlp
def test_the_copy_is_a_copy_and_listed_with_the_event(two_runs):
    out, _ = two_runs
    with sqlite3.connect(out / "sitrep.db") as c:
        assert dict(c.execute("select doc_id, duplicate_of from documents")).get("wire-copy") == "frontier-post"
    events, stories = outputs(out)
    bannu = [e for e in events if "frontier-post" in e["doc_ids"]]
    assert bannu, events
    for e in bannu:
        assert "wire-copy" in e["doc_ids"]
        assert "wire-copy" not in e["source"]        # source names outlets, not a copy's id
    assert all("wire-copy" not in e["doc_ids"] for e in events if e not in bannu)


@pytest.mark.nlp
def test_ids_unique_sequential_and_the_same_in_a_second_run(two_runs):
    (ev_a, st_a), (ev_b, st_b) = outputs(two_runs[0]), outputs(two_runs[1])
    ids = [e["event_id_cnty"] for e in ev_a]
    assert len(ids) >= 2 and len(set(ids)) == len(ids)
    numbers = sorted(int(i[3:]) for i in ids if i.startswith("PAK"))
    assert numbers == list(range(1, len(numbers) + 1))
    assert {s["id"]: s["event_ids"] for s in st_a} == {s["id"]: s["event_ids"] for s in st_b}
    assert sorted(ids) == sorted(e["event_id_cnty"] for e in ev_b)
    assert {i for s in st_a for i in s["event_ids"]} == set(ids)
    key = lambda e: (e["event_id_cnty"], e["location"], e["event_date"], e["sub_event_type"], e["doc_ids"])  # noqa
    assert sorted(map(key, ev_a)) == sorted(map(key, ev_b))


@pytest.mark.nlp
def test_ged_of_the_run_adds_up(two_runs):
    import csv
    with (two_runs[0] / "ged.csv").open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows
    for r in rows:
        n = {c: int(r[c]) for c in ("deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown", "best", "low",
                                   "high")}
        assert n["deaths_a"] + n["deaths_b"] + n["deaths_civilians"] + n["deaths_unknown"] == n["best"]
        assert n["low"] <= n["best"] <= n["high"]


def test_exports_list_events_by_day_then_running_number():
    from sitrep.export import in_id_order
    rows = [{"event_id_cnty": i, "event_date": d} for i, d in
            [("PAK10", "2031-02-01"), ("PAK2", "2031-02-01"), ("NGA1", "2031-01-30"), ("PAK11", ""), ("PAK9", "2031-02-02")]]
    assert [r["event_id_cnty"] for r in in_id_order(rows)] == ["NGA1", "PAK2", "PAK10", "PAK9", "PAK11"]


@pytest.mark.nlp
def test_events_csv_is_in_id_order(two_runs):
    import csv
    with (two_runs[0] / "events.csv").open(newline="") as fh:
        ids = [r["event_id_cnty"] for r in csv.DictReader(fh)]
    events, _ = outputs(two_runs[0])
    assert [e["event_id_cnty"] for e in events] == ids
    assert [int(i[3:]) for i in ids if i.startswith("PAK")] == sorted(int(i[3:]) for i in ids if i.startswith("PAK"))


# --- ids kept from run to run --------------------------------------------------------------------------------

OLD_DAY = ("date 2031-04-02 Gunmen stormed a police checkpoint in Peshawar on Wednesday, killing three policemen, "
           "police said.")


def stored_ids(folder: Path) -> dict[str, str]:
    """event key -> id, of the events a run wrote to *folder*."""
    events, _ = outputs(folder)
    return {k: e["event_id_cnty"] for e, k in zip(events, keys_of(events))}


@pytest.mark.nlp
def test_a_rerun_with_an_article_about_an_old_day_keeps_every_earlier_event_s_id(corpus, tmp_path):
    import shutil

    folder = tmp_path / "in"
    shutil.copytree(corpus, folder)
    run([folder], tmp_path / "out", Settings(progress=False))
    before = stored_ids(tmp_path / "out")
    (folder / "peshawar.txt").write_text(OLD_DAY, encoding="utf-8")   # days before every stored event
    run([folder], tmp_path / "out", Settings(progress=False))
    after = stored_ids(tmp_path / "out")
    assert {k: after.get(k) for k in before} == before             # every earlier event, under its id
    events, stories = outputs(tmp_path / "out")
    old = [e for e in events if e["location"] == "Peshawar"]
    top = max(int(i[3:]) for i in before.values() if i.startswith("PAK"))
    assert old and all(e["event_id_cnty"].startswith("PAK") and int(e["event_id_cnty"][3:]) > top for e in old)
    assert len(set(after.values())) == len(after) == len(events)
    assert {i for s in stories for i in s["event_ids"]} == set(after.values())
    # the same articles into a new store: numbered in date order, as number_events numbers them
    run([folder], tmp_path / "fresh", Settings(progress=False))
    fresh, _ = outputs(tmp_path / "fresh")
    numbered = [dict(e) for e in fresh]
    number_events(numbered)
    assert [e["event_id_cnty"] for e in fresh] == [e["event_id_cnty"] for e in numbered]
    assert next(e for e in fresh if e["location"] == "Peshawar")["event_id_cnty"] == "PAK1"
