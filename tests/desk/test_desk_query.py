"""sitrep.desk over a hand-made store: filters are SQL that count what a reader would count, pages add up,
and the streamed exports are the output files' text."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from deskkit import EVENTS, PAYLOAD
from sitrep import desk
from sitrep.errors import QueryError
from sitrep.export import in_id_order
from sitrep.export.acled import write_events_csv
from sitrep.export.geo import write_geojson, write_stories
from sitrep.store import query


def expected(store, **f) -> list[str]:
    """The ids of the stored events *f* selects, worked out in Python over `Store.events`."""
    def keep(e):
        day = e["event_date"] or None
        return ((f.get("date_from") is None or (day and day >= f["date_from"]))
                and (f.get("date_to") is None or (day and day <= f["date_to"]))
                and (f.get("country") is None or e["country"].lower() == f["country"].lower())
                and (f.get("admin1") is None or e["admin1"].lower() == f["admin1"].lower())
                and (f.get("event_type") is None or e["event_type"].lower() == f["event_type"].lower())
                and (f.get("place") is None or f["place"].lower() in e["location"].lower())
                and (f.get("actor") is None or any(f["actor"].lower() in (e[a] or "").lower()
                                                   for a in ("actor1", "actor2")))
                and (f.get("min_fatalities") is None or (e["fatalities"] is not None
                                                         and e["fatalities"] >= f["min_fatalities"]))
                and (f.get("story_id") is None or e["story_id"] == f["story_id"]))
    return sorted(e["event_id_cnty"] for e in store.events() if keep(e))


FILTERS = [
    {}, {"country": "Nigeria"}, {"country": "pakistan"}, {"country": "PAKISTAN", "min_fatalities": 2},
    {"admin1": "borno"}, {"event_type": "battles"}, {"actor": "iswap"}, {"actor": "police forces"},
    {"actor": "civilians (nigeria)"}, {"place": "ONGU"}, {"place": "%"}, {"place": "_"}, {"min_fatalities": 0},
    {"min_fatalities": 5}, {"date_from": "2026-03-15"}, {"date_to": "2026-03-14"},
    {"date_from": "2026-03-14", "date_to": "2026-05-09"}, {"story_id": "story-pk"}, {"country": "Narnia"},
    {"actor": "<script>"}, {"country": "Nigeria", "event_type": "Battles", "actor": "ISWAP"},
]


@pytest.mark.parametrize("f", FILTERS, ids=lambda f: ",".join(f"{k}={v}" for k, v in f.items()) or "none")
def test_event_filters_select_what_python_selects(hand_store, f):
    page = desk.events(hand_store, **f, limit=None)
    assert page.total == len(page.items)
    assert sorted(e["event_id_cnty"] for e in page.items) == expected(hand_store, **f)


def test_dates_can_be_dates_or_iso_strings(hand_store):
    a = desk.events(hand_store, date_from=dt.date(2026, 3, 15)).total
    assert a == desk.events(hand_store, date_from="2026-03-15").total == 4


def test_pages_add_up_to_the_total_in_order(hand_store):
    whole = desk.events(hand_store, limit=None)
    pages = [desk.events(hand_store, limit=2, offset=o) for o in range(0, whole.total + 2, 2)]
    assert all(p.total == whole.total == len(EVENTS) for p in pages)
    assert [e["event_id_cnty"] for p in pages for e in p.items] == [e["event_id_cnty"] for e in whole.items]
    assert pages[-1].items == [] and pages[0].as_dict()["limit"] == 2


def test_events_list_newest_day_first_and_undated_last(hand_store):
    ids = [e["event_id_cnty"] for e in desk.events(hand_store, limit=None).items]
    assert ids == ["PAK1", "PAK2", "PAK10", "NGA3", "NGA1", "NGA2", "NGA4"]


@pytest.mark.parametrize("bad", [{"limit": -1}, {"offset": -3}, {"date_from": "2026-13-01"},
                                 {"date_to": "yesterday"}, {"min_fatalities": "many"}])
def test_bad_parameters_are_query_errors_naming_them(hand_store, bad):
    with pytest.raises(QueryError) as e:
        desk.events(hand_store, **bad)
    assert next(iter(bad)) in str(e.value) and str(e.value).startswith("[E601]")


def test_claim_filters(hand_store):
    assert desk.claims(hand_store).total == 6
    assert desk.claims(hand_store, predicate="killed").total == 5
    assert desk.claims(hand_store, predicate="killed", claimant_type="armed_group").total == 1
    assert desk.claims(hand_store, hedge="claimed").total == 2
    assert desk.claims(hand_store, category="civilians").total == 2
    assert desk.claims(hand_store, doc_id="pk").total == 1
    assert {c["doc_id"] for c in desk.claims(hand_store, story_id="story-ng").items} == {"army", "group", "evil"}
    page = desk.claims(hand_store, limit=2, offset=1)
    assert page.total == 6 and len(page.items) == 2
    assert set(page.items[0]) == {"claim_id", *json.loads(next(desk.claims_jsonl(hand_store)))}


def test_stories_latest_first_with_counts_and_changed_marks(hand_store):
    page = desk.stories(hand_store)
    assert [s["id"] for s in page.items] == ["story-pk", "story-ng"]
    ng = page.items[1]
    assert (ng["documents"], ng["events"], ng["fatalities"]) == (3, 4, 17)
    assert ng["figures"] == [{"predicate": "killed", "category": "military", "low": 10, "best": 10, "high": 40}]
    assert all(s["changed"] for s in page.items)  # both were built in the last fusion


def test_only_the_story_a_later_fusion_changed_is_marked(hand_store, monkeypatch):
    # The two fusions here are milliseconds apart: no margin, so the first one's story is not "recent".
    monkeypatch.setattr(desk.queries, "CHANGED_MARGIN", dt.timedelta(0))
    ng = desk.story(hand_store, "story-ng")
    assert ng["changed"]
    first = ng["changed_at"]
    pk = {k: v for k, v in desk.story(hand_store, "story-pk").items()
          if k not in ("digest", "changed_at", "changed", "n_events")}
    hand_store.save_fusion([pk | {"title": "TTP attacks in Bannu and Tank"}], [e for e in EVENTS if e["story_id"] == "story-pk"],
                           replace=["story-pk"])
    marks = {s["id"]: s["changed"] for s in desk.stories(hand_store).items}
    assert marks == {"story-pk": True, "story-ng": False}
    assert desk.story(hand_store, "story-ng")["changed_at"] == first
    later = desk.stories(hand_store, since=desk.story(hand_store, "story-pk")["changed_at"])
    assert [s["id"] for s in later.items] == ["story-pk"] and later.total == 1


def test_story_and_document_and_unknown_ids(hand_store):
    s = desk.story(hand_store, "story-ng")
    assert s["title"].endswith(PAYLOAD) and s["n_events"] == 4 and len(s["digest"]) == 64
    assert desk.story(hand_store, "nope") is None and desk.story_stamp(hand_store, "nope") is None
    assert desk.story_stamp(hand_store, "story-ng")["digest"] == s["digest"]
    d = desk.document(hand_store, "evil")
    assert d["text"].startswith("Residents said 3") and d["stories"][0]["id"] == "story-ng"
    assert [c["quote"] for c in d["claims"]] == ["3 civilians were killed"]
    assert desk.document(hand_store, "nope") is None


def test_exports_are_the_files_text(hand_store, tmp_path):
    events = hand_store.events()
    assert "".join(desk.events_csv(hand_store)) == write_events_csv(tmp_path / "e.csv", events).read_text()
    assert "".join(desk.events_geojson(hand_store)) == write_geojson(tmp_path / "p.geojson", events).read_text()
    assert "".join(desk.stories_json(hand_store)) == write_stories(tmp_path / "s.json", hand_store.stories()).read_text()
    lines = "".join(desk.claims_jsonl(hand_store)).splitlines()
    assert [json.loads(x) for x in lines] == [c.as_dict() for c in hand_store.iter_claims()]


def test_filtered_exports_hold_the_filtered_events_in_file_order(hand_store):
    rows = "".join(desk.events_csv(hand_store, country="pakistan")).splitlines()
    assert [r.split(",")[0] for r in rows[1:]] == ["PAK1", "PAK2", "PAK10"]
    geo = json.loads("".join(desk.events_geojson(hand_store, country="Nigeria")))
    assert [f["properties"]["event_id_cnty"] for f in geo["features"]] == ["NGA1", "NGA2", "NGA3"]  # NGA4: no place
    assert "".join(desk.events_csv(hand_store, country="Narnia")).count("\n") == 1


def test_csv_export_neutralises_formulas(hand_store):
    text = "".join(desk.events_csv(hand_store, place="dikwa"))
    assert ",'=cmd|" in text


def test_exports_stream_in_batches_through_one_read(hand_store, monkeypatch):
    monkeypatch.setattr(query, "STREAM_BATCH", 2)
    rows = list(query.iter_events(hand_store, query.EventFilter()))
    assert [e["event_id_cnty"] for e in rows] == [e["event_id_cnty"] for e in in_id_order(hand_store.events())]
    chunks = desk.events_csv(hand_store)
    assert next(chunks).startswith("event_id_cnty,event_date")  # nothing read until asked
    chunks.close()


def test_story_report_is_the_report_model_of_that_story(hand_store):
    report = desk.story_report(hand_store, "story-ng")
    assert [s.id for s in report.stories] == ["story-ng"] and report.n_events == 4
    assert {src.doc_id for src in report.sources} == {"army", "group", "evil"}
    assert desk.story_report(hand_store, "nope") is None


def test_facets(hand_store):
    f = desk.facets(hand_store)
    assert f["country"] == ["Nigeria", "Pakistan"] and "Battles" in f["event_type"] and "Borno" in f["admin1"]


def _add_accented_story(store):
    """A story of events whose names are not ASCII, capitals among them (as Mali's, Cameroon's and the
    Congo's are)."""
    from deskkit import event, story

    evs = [event("MLI1", "2026-04-02", "Mali", 466, "Ségou", "Niono", "JNIM: Jama'at Nusrat al-Islam wal-Muslimin",
                 "Civilians (Mali)", "Violence against civilians", 5, "story-xx", ["pk"]),
           event("CMR1", "2026-04-03", "Cameroon", 120, "Centre", "Éséka", "Unidentified Armed Group (Cameroon)",
                 "Police Forces of Cameroon (1982-)", "Battles", 2, "story-xx", ["pk"]),
           event("COD1", "2026-04-04", "Democratic Republic of Congo", 180, "Équateur", "Mbandaka",
                 "Unidentified Armed Group (Démocratique)", "Civilians (Democratic Republic of Congo)",
                 "Violence against civilians", 1, "story-xx", ["pk"])]
    store.save_fusion([story("story-xx", "Attacks in Ségou, Éséka and Mbandaka", "2026-04-02", "2026-04-04", ["pk"],
                             evs)], evs, replace=[])


@pytest.mark.parametrize("f", [{"admin1": "SÉGOU"}, {"admin1": "équateur"}, {"admin1": "ÉQUATEUR"},
                               {"place": "éséka"}, {"place": "ÉSÉKA"}, {"place": "SÉK"}, {"actor": "démocratique"},
                               {"actor": "jama'at"}, {"admin1": "équateur", "event_type": "VIOLENCE AGAINST CIVILIANS"}],
                         ids=lambda f: ",".join(f"{k}={v}" for k, v in f.items()))
def test_names_match_in_any_case_beyond_ascii(hand_store, f):
    """Any case means what Python's str.lower means, on every database (SQLite's own lower() and LIKE fold
    ASCII letters only)."""
    _add_accented_story(hand_store)
    page = desk.events(hand_store, **f, limit=None)
    assert sorted(e["event_id_cnty"] for e in page.items) == expected(hand_store, **f) != []


@pytest.mark.parametrize("read", ["events", "stories", "story_report", "events_csv"])
def test_an_answer_is_read_from_one_snapshot_while_another_connection_writes(hand_store, read):
    """Between the reader's first statement and its next, a writer (the watch, another process) commits a
    rebuilt story with one event fewer: the reader's answer is still the store as it was, whole."""
    from sqlalchemy import event as sa_event

    from sitrep.store import Store

    writer = Store(hand_store.url)
    pk = {k: v for k, v in desk.story(hand_store, "story-pk").items()
          if k not in ("digest", "changed_at", "changed", "n_events")}
    fewer = [e for e in EVENTS if e["story_id"] == "story-pk" and e["event_id_cnty"] != "PAK10"]
    fired = []

    def write_between(conn, cursor, statement, *args):
        if not fired and statement.lstrip().upper().startswith("SELECT"):
            fired.append(statement)
            writer.save_fusion([pk | {"title": "Rebuilt", "event_ids": ["PAK1", "PAK2"]}], fewer, replace=["story-pk"])

    sa_event.listen(hand_store.engine, "after_cursor_execute", write_between)
    try:
        if read == "events":
            page = desk.events(hand_store, country="Pakistan", limit=None)
            got = (page.total, [e["event_id_cnty"] for e in page.items])
            assert got == (3, ["PAK1", "PAK2", "PAK10"])
        elif read == "stories":
            page = desk.stories(hand_store, limit=None)
            assert page.total == len(page.items) == 2
        elif read == "story_report":
            report = desk.story_report(hand_store, "story-pk")
            assert report.stories[0].title == "TTP attacks in Khyber Pakhtunkhwa" and report.n_events == 3
        else:
            rows = "".join(desk.events_csv(hand_store, country="pakistan")).splitlines()
            assert [r.split(",")[0] for r in rows[1:]] == ["PAK1", "PAK2", "PAK10"]
    finally:
        sa_event.remove(hand_store.engine, "after_cursor_execute", write_between)
        writer.close()
    assert fired
    assert desk.story(hand_store, "story-pk")["title"] == "Rebuilt"     # the write went through
    assert desk.events(hand_store, country="pakistan").total == 2
