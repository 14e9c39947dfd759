"""The store: idempotent adds, updates, near-duplicates, id clashes, quarantine rows.

Every test taking `store` or `db_url` runs on SQLite and on PostgreSQL (tests/conftest.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from sitrep.errors import StoreError
from sitrep.nlp.numbers import MAX_COUNT
from sitrep.records import Claim, Document, EmbeddedPost, Problem
import sitrep.store as store_module
from sitrep.store import Store

BASE = ("Gunmen attacked a police post in Bannu district late on Tuesday, killing at least four officers "
        "and wounding six others, a senior police official said. The attackers used rockets and small arms "
        "and fled towards the mountains before reinforcements arrived, according to residents who spoke by phone. "
        "The provincial government ordered an inquiry and announced compensation for the families of the dead.")


@pytest.fixture
def store(db_url):
    s = Store(db_url)
    yield s
    s.close()


def doc(doc_id, text=BASE, origin=None, published=None):
    return Document(doc_id=doc_id, text=text, origin=origin or f"{doc_id}.txt", published=published)


def test_adding_the_same_documents_twice_adds_nothing(store):
    first = store.add_documents([doc("a"), doc("b", BASE.replace("Bannu", "Tank") + " Other words entirely differ here now.")])
    again = store.add_documents([doc("a"), doc("b", BASE.replace("Bannu", "Tank") + " Other words entirely differ here now.")])
    assert [s for _, s in again] == ["unchanged", "unchanged"]
    assert store.count_documents() == 2
    assert [s for _, s in first][0] == "new"


def test_changed_text_under_same_id_and_origin_is_an_update(store):
    store.add_documents([doc("a")])
    [(_, status)] = store.add_documents([doc("a", "A completely different report about Jowhar.")])
    assert status == "updated"
    assert store.get_document("a").text == "A completely different report about Jowhar."
    assert store.count_documents() == 1


def test_id_clash_from_another_origin_gets_a_suffix(store):
    store.add_documents([doc("a", origin="x/a.txt")])
    [(got, status)] = store.add_documents([doc("a", "Unrelated text about Afgooye and Jowhar.", origin="y/a.txt")])
    assert status == "new" and got.doc_id.startswith("a_") and store.count_documents() == 2


def test_syndicated_copy_points_to_original(store):
    copy = "BANNU (Wire) - " + BASE.replace("a senior police official said", "a senior police officer said")
    out = store.add_documents([doc("orig", published=dt.date(2026, 3, 10)), doc("copy", copy, published=dt.date(2026, 3, 11))])
    assert [s for _, s in out] == ["new", "duplicate"]
    assert store.get_document("copy").duplicate_of == "orig"
    assert store.get_document("orig").duplicate_of is None


def test_earlier_published_copy_becomes_the_original(store):
    copy = "BANNU (Wire) - " + BASE
    store.add_documents([doc("late", published=dt.date(2026, 3, 12))])
    store.add_documents([doc("early", copy, published=dt.date(2026, 3, 10))])
    assert store.get_document("late").duplicate_of == "early"
    assert store.get_document("early").duplicate_of is None


def test_near_copy_is_found_among_many_texts_sharing_a_paragraph(store, monkeypatch):
    # Caps far below the number of texts that share the boilerplate's bands, and those texts' ids
    # sort before the original's: the caps must keep the text sharing the most bands.
    monkeypatch.setattr(store_module, "BAND_POSTINGS", 3)
    monkeypatch.setattr(store_module, "CANDIDATES", 2)
    boiler = ("Readers can reach the newsroom by phone at any hour of the day or night, and every story "
              "published on this site is checked by two editors before it appears in print or online. "
              "Corrections are listed at the foot of each page with the date they were made and the reason, "
              "and complaints go to an ombudsman who answers within a week. Photographs are taken by staff "
              "unless a caption says otherwise, and agencies are named where their copy is used in full. "
              "Subscribers receive the morning edition by email before six and may cancel at any time. ")
    # Their own halves differ: no shingle of one is in another.
    store.add_documents([doc(f"brief{i:02}", boiler + " ".join(f"council{i} item{j}" for j in range(20)))
                         for i in range(12)])
    store.add_documents([doc("orig", boiler + BASE, published=dt.date(2026, 3, 10))])
    store.add_documents([doc("copy", "BANNU (Wire) - " + boiler + BASE, published=dt.date(2026, 3, 11))])
    assert store.get_document("copy").duplicate_of == "orig"
    assert all(store.get_document(f"brief{i:02}").duplicate_of is None for i in range(12))


def test_copy_of_a_large_cluster_points_to_its_original(store, monkeypatch):
    monkeypatch.setattr(store_module, "BAND_POSTINGS", 3)
    monkeypatch.setattr(store_module, "CANDIDATES", 2)
    days = [dt.date(2026, 3, 10) + dt.timedelta(days=i) for i in range(10)]
    for i, day in enumerate(days):
        store.add_documents([doc(f"c{i:02}", f"Edition {i}. " + BASE, published=day)])
    store.add_documents([doc("late", "LATE EDITION " + BASE, published=dt.date(2026, 4, 1))])
    assert store.get_document("late").duplicate_of == "c00"
    assert {store.get_document(f"c{i:02}").duplicate_of for i in range(1, 10)} == {"c00"}


def test_different_articles_are_not_duplicates(store):
    other = ("Al-Shabaab fighters stormed a hotel in Mogadishu on Sunday. The siege lasted eight hours and "
             "security forces said twelve people died, including three guards, while the group claimed forty.")
    store.add_documents([doc("a"), doc("b", other)])
    assert store.get_document("b").duplicate_of is None


def test_iter_documents_in_batches_returns_all(store):
    store.add_documents([doc(f"d{i:03}", f"Report number {i} about a separate incident in place {i}.") for i in range(25)])
    assert [d.doc_id for d in store.iter_documents(batch=7)] == [f"d{i:03}" for i in range(25)]


def test_problems_replace_per_path(store):
    store.add_problems([Problem("a.jsonl", "malformed JSON line", line=3, detail="x")])
    store.add_problems([Problem("b.bin", "binary file")])
    store.clear_problems("a.jsonl")
    assert [p.path for p in store.problems()] == ["b.bin"]


def test_bad_url_is_a_store_error():
    with pytest.raises(StoreError, match="cannot use database URL"):
        Store("nosuchdialect://x")


def test_country_hint_survives_a_round_trip(store):
    store.add_documents([Document(doc_id="h", text=BASE, origin="wire.jsonl:1", country="ML"), doc("n", "Unrelated.")])
    assert store.get_document("h").country == "ML"
    assert {d.doc_id: d.country for d in store.iter_documents()} == {"h": "ML", "n": None}


def test_country_hint_is_no_part_of_identity(store):
    store.add_documents([Document(doc_id="h", text=BASE, origin="wire.jsonl:1", country="ML")])
    store.save_extraction("h", "claims")
    [(_, status)] = store.add_documents([Document(doc_id="h", text=BASE, origin="wire.jsonl:1", country="NE")])
    assert status == "unchanged" and store.count_documents() == 1
    # the new hint is kept, and the document goes back to recognition to use it
    assert store.get_document("h").country == "NE"
    assert [d.doc_id for d in store.iter_documents(stage="ingest")] == ["h"]
    # the same text under another id and hint is still a near-copy of the first
    [(_, status)] = store.add_documents([Document(doc_id="h2", text=BASE, origin="other.jsonl:4", country="BF")])
    assert status == "duplicate" and store.get_document("h2").duplicate_of == "h"


def test_store_of_an_earlier_schema_version_gains_the_columns_added_since(db_url):
    from sqlalchemy import create_engine, inspect, text

    url = db_url
    s = Store(url)
    s.add_documents([doc("old")])
    s.save_fusion([{"id": "story-1", "title": "T", "date_start": "2026-01-02", "date_end": None, "doc_ids": ["old"],
                    "fatalities": 4}],
                  [{"event_id_cnty": "PAK1", "story_id": "story-1", "event_date": "2026-01-02", "location": "Quetta",
                    "latitude": 30.2, "longitude": 67.0, "fatalities": 4, "country": "Pakistan",
                    "admin1": "Balochistan", "event_type": "Battles", "actor1": "BLA", "actor2": ""}])
    s.close()
    engine = create_engine(url)  # make it look like a store written by schema version 2
    with engine.begin() as c:
        c.execute(text("ALTER TABLE documents DROP COLUMN country"))
        c.execute(text("ALTER TABLE claims DROP COLUMN part"))
        c.execute(text("DROP INDEX ix_events_country"))
        c.execute(text("DROP INDEX ix_events_event_type"))
        c.execute(text("DROP INDEX ix_stories_first_day"))
        for table, column in [("stories", "first_day"), ("stories", "digest"), ("stories", "changed_at"), ("stories", "fatalities"),
                              ("stories", "documents"), ("events", "country"), ("events", "admin1"),
                              ("events", "event_type"), ("events", "actor1"), ("events", "actor2")]:
            c.execute(text(f"ALTER TABLE {table} DROP COLUMN {column}"))
        c.execute(text("UPDATE meta SET value = '2' WHERE key = 'schema_version'"))
    engine.dispose()

    s = Store(url)
    try:
        assert s.get_document("old").country is None and s.get_document("old").text == BASE
        s.add_documents([Document(doc_id="new", text="Unrelated text about Gao.", origin="x.jsonl:1", country="ML")])
        assert s.get_document("new").country == "ML"
        with s.engine.connect() as c:
            assert "country" in {col["name"] for col in inspect(c).get_columns("documents")}
            assert "part" in {col["name"] for col in inspect(c).get_columns("claims")}
            assert c.scalar(text("SELECT value FROM meta WHERE key = 'schema_version'")) == "6"
            # the stored event's id is recorded with what the event is, so that fusion keeps it
            from sitrep.fuse.events import story_event_keys
            [event] = s.events()
            assert c.execute(text("SELECT event_id, event_key, prefix, number FROM event_ids")).one() == \
                ("PAK1", story_event_keys([event])[0], "PAK", 1)
            # the columns the events filters and the story list read are filled from the stored data
            assert c.execute(text("SELECT country, admin1, event_type, actor1, actor2 FROM events")).one() == \
                ("Pakistan", "Balochistan", "Battles", "BLA", None)
            assert c.execute(text("SELECT fatalities, documents FROM stories")).one() == (4, 1)
            assert c.scalar(text("SELECT digest FROM stories")) is not None
    finally:
        s.close()


def test_store_of_an_unknown_schema_version_is_refused(db_url):
    from sqlalchemy import create_engine, text

    url = db_url
    Store(url).close()
    engine = create_engine(url)
    with engine.begin() as c:
        c.execute(text("UPDATE meta SET value = '99' WHERE key = 'schema_version'"))
    engine.dispose()
    with pytest.raises(StoreError, match="schema version 99"):
        Store(url)


def test_fusion_reads_the_sentences_extraction_stored(store):
    store.add_documents([doc("a")])
    cut = BASE.index("The attackers")
    store.save_extraction("a", "claims", sentences=[(0, cut - 1), (cut, len(BASE))])
    [(d, sentences, mentions, claims, _, _)] = list(store.extractions())
    assert d.doc_id == "a" and sentences == [(0, cut - 1), (cut, len(BASE))] and mentions == [] and claims == []


def claim(doc_id, low, high, text_value="many"):
    return Claim(doc_id=doc_id, quote=f"{text_value} were killed", char_start=0, char_end=len(text_value),
                 predicate="killed", category="people", low=low, high=high, qualifier="exact",
                 text_value=text_value, claimant="", claimant_type="unattributed", hedge="asserted")


@pytest.mark.parametrize("low, high", [(10**20, 10**20), (5, 10**30), (MAX_COUNT + 1, None), (-3, -3), (2.5, 2.5)])
def test_a_claim_whose_figure_is_no_plausible_count_never_reaches_the_db(store, caplog, low, high):
    store.add_documents([doc("a")])
    with caplog.at_level("WARNING", logger="sitrep.store"):
        store.save_extraction("a", "claims", claims=[claim("a", 4, 4, "four"), claim("a", low, high)])
    assert [(c.low, c.high) for c in store.claims()] == [(4, 4)]
    assert "a: claim" in caplog.text and "dropped" in caplog.text


def test_an_implausible_figure_already_in_a_store_is_skipped_on_reading(store):
    from sqlalchemy import insert

    from sitrep.store import schema

    store.add_documents([doc("a")])
    store.save_extraction("a", "claims", claims=[claim("a", 4, 4, "four")])
    with store.engine.begin() as c:  # as an earlier sitrep stored it
        c.execute(insert(schema.claims), [claim("a", 1e20, 1e20).as_dict()])
    assert [(c.low, c.high) for c in store.claims()] == [(4, 4)]
    [(_, _, _, claims, _, _)] = list(store.extractions())
    assert [(c.low, c.high) for c in claims] == [(4, 4)]


def test_a_problem_naming_a_lone_surrogate_is_stored_readably(store):
    # A file name of undecodable bytes comes to Python with surrogates; JSON "\ud800" too.
    store.add_problems([Problem("in/bad\udcff.txt", "invalid published date", line=2,
                                detail="Invalid isoformat string: '\ud800'")])
    [p] = store.problems()
    assert p.path == "in/bad\ufffd.txt" and p.detail == "Invalid isoformat string: '\ufffd'"
    store.clear_problems("in/bad\udcff.txt")
    assert store.problems() == []


# ---------------------------------------------------------------- what SQLite lets pass and PostgreSQL does not

def test_nul_and_other_controls_in_a_document_are_stored_on_every_database(store):
    # Ingestion never hands the store a NUL, but Store is an API: PostgreSQL refuses NUL in text.
    d = Document(doc_id="nul\x00id", text="Four\x00 soldiers were killed in Tank.", origin="in/a\x00.txt",
                 title="a\x00title", source="wire\x00", url="http://x/\x00", published=dt.date(2026, 3, 10),
                 embedded_posts=(EmbeddedPost(0, 4, "auth\x00or"),))
    [(got, status)] = store.add_documents([d])
    assert status == "new" and "\x00" not in repr(got)
    back = store.get_document(got.doc_id)
    assert back == got and len(back.text) == len(d.text)  # offsets into the text stay where they were
    [(_, status)] = store.add_documents([d])
    assert status == "unchanged"


def test_ids_longer_than_the_id_column_are_shortened_the_same_way_everywhere(store):
    long_id = "x" * 300
    [(got, _)] = store.add_documents([doc(long_id)])
    assert len(got.doc_id) <= 255 and got.doc_id != doc("x" * 255).doc_id
    assert store.get_document(long_id) == store.get_document(got.doc_id) == got
    # the same input again is the same document; another origin's clash gets a suffix that still fits
    [(again, status)] = store.add_documents([doc(long_id)])
    assert (again.doc_id, status) == (got.doc_id, "unchanged")
    [(other, status)] = store.add_documents([doc(long_id, "Unrelated text about Gao.", origin="elsewhere.txt")])
    assert status == "new" and len(other.doc_id) <= 255 and other.doc_id != got.doc_id
    [(edge, _)] = store.add_documents([doc("y" * 255, "Unrelated text about Kidal.", origin="y.txt")])
    [(clash, _)] = store.add_documents([doc("y" * 255, "Unrelated text about Menaka.", origin="z.txt")])
    assert edge.doc_id == "y" * 255 and len(clash.doc_id) <= 255 and clash.doc_id != edge.doc_id
    store.save_extraction(got.doc_id, "claims", claims=[claim(got.doc_id, 4, 4, "four")])
    assert [c.doc_id for c in store.claims()] == [got.doc_id]


def test_ingestion_time_is_the_same_instant_on_every_database(store, monkeypatch):
    from sitrep import store as store_module

    when = dt.datetime(2026, 3, 10, 23, 30, 15, 250000, tzinfo=dt.timezone.utc)
    monkeypatch.setattr(store_module, "_now", lambda: when)
    store.add_documents([doc("a")])
    store.save_extraction("a", "claims")
    [(_, _, _, _, stamp, _)] = list(store.extractions())
    assert stamp == when.timestamp()


def test_ids_are_read_in_code_point_order_whatever_the_databases_collation(store):
    ids = ["a", "B", "a-b", "a_c", "ab", "Z", "é", "a b", "PAK12", "PAK2", "10", "9"]
    store.add_documents([doc(i, f"Report {n} about a separate incident in place number {n}.") for n, i in enumerate(ids)])
    assert [d.doc_id for d in store.iter_documents(batch=3)] == sorted(ids)
    for i in ids:
        store.save_extraction(i, "claims")
    assert [d.doc_id for d, *_ in store.extractions(batch=4)] == sorted(ids)


def test_problems_are_listed_in_code_point_order_of_their_paths(store):
    paths = ["in/b.txt", "in/B.txt", "in/a-b.txt", "in/a_c.txt", "in/ab.txt", "in/é.txt", "in/a b.txt"]
    store.add_problems([Problem(p, "binary file") for p in paths])
    store.add_problems([Problem("in/a-b.txt", "malformed JSON line", line=n) for n in (10, 2)])
    assert [(p.path, p.line) for p in store.problems()] == sorted(
        [(p, None) for p in paths] + [("in/a-b.txt", 10), ("in/a-b.txt", 2)], key=lambda r: (r[0], r[1] or 0))


def test_stories_and_events_come_back_as_saved_in_a_fixed_order(store):
    data = {"z": 1, "a": [1.5, 0.1, 1e-07, 2**53 + 1], "é": "ünï \u2028 \U0001F600", "n": None, "t": True, "nested": {"b": 2, "a": 1}}
    ids = ["story-b", "story-B", "story-a_c", "story-a-b", "story-ab"]
    stories = [{"id": i, "title": i, "date_start": "2026-03-10", "date_end": None, "doc_ids": [], **data} for i in ids]
    events = [{"event_id_cnty": e, "story_id": "story-b", "event_date": "2026-03-10", "location": "Tank",
               "latitude": 32.2, "longitude": 70.38, "fatalities": 4, **data} for e in ["PAK2", "PAK12", "pak1", "PAK-3"]]
    store.save_fusion(stories, events)
    import json

    assert [json.dumps(s) for s in store.stories()] == [json.dumps(s) for s in sorted(stories, key=lambda s: s["id"])]
    assert [json.dumps(e) for e in store.events()] == [
        json.dumps(e) for e in sorted(events, key=lambda e: e["event_id_cnty"])]
    store.save_fusion(stories[:1], [])  # replaced whole
    assert [s["id"] for s in store.stories()] == ["story-b"] and store.events() == []


def test_mentions_and_claims_at_one_offset_keep_their_order(store):
    store.add_documents([doc("a")])
    mentions = [{"kind": k, "char_start": 5, "char_end": 9, "label": label, "data": {"n": n}}
                for n, (k, label) in enumerate([("place", "Bannu"), ("actor", "Z"), ("date", "A"), ("number", "m")])]
    claims = [claim("a", n, n, f"{n}") for n in (9, 3, 7)]
    store.save_extraction("a", "claims", mentions=mentions, claims=claims, embedding=b"\x00\x01" * 8)
    [(_, _, ms, cs, _, vec)] = list(store.extractions())
    assert [m["data"]["n"] for m in ms] == [0, 1, 2, 3]
    assert [c.low for c in cs] == [9, 3, 7]
    assert vec.tobytes() == b"\x00\x01" * 8


def test_copies_are_listed_in_code_point_order(store):
    base = BASE
    store.add_documents([doc("orig", published=dt.date(2026, 3, 1))])
    copies = ["c-b", "c_a", "cB", "ca"]
    store.add_documents([doc(c, f"{c.upper()} (Wire) - " + base, published=dt.date(2026, 3, 2)) for c in copies])
    assert list(store.copies()) == sorted(copies) and set(store.copies().values()) == {"orig"}


# --- fusion written and read in streams ------------------------------------------------------------------

def fused(n_stories: int = 30) -> tuple[list[dict], list[dict]]:
    """Stories with events on scattered days and countries (ids as ACLED's), some undated."""
    import random

    rng = random.Random(5)
    stories, events = [], []
    numbers = {"PAK": 0, "NGA": 0}
    for i in range(n_stories):
        sid = f"story-{i:03d}"
        day = None if i % 7 == 0 else dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(60))
        ids = []
        for j in range(rng.randrange(1, 5)):
            prefix = rng.choice(sorted(numbers))
            numbers[prefix] += 1
            when = "" if day is None and j == 0 else (dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(60))).isoformat()
            ids.append(f"{prefix}{numbers[prefix]}")
            events.append({"event_id_cnty": ids[-1], "story_id": sid, "event_date": when, "location": f"Town {j}",
                           "latitude": 1.0 + j, "longitude": 2.0, "fatalities": j, "country": prefix,
                           "sub_event_type": "Attack", "figures": [], "doc_ids": [f"d{i}-0"]})
        stories.append({"id": sid, "title": sid, "date_start": day.isoformat() if day else None, "date_end": None,
                        "doc_ids": [f"d{i}-{k}" for k in range(1 + i % 3)], "event_ids": ids,
                        "figures": [{"predicate": "killed", "category": "civilians", "best": i, "low": i, "high": i}]})
    return stories, events


def with_documents(store, stories: list[dict]) -> None:
    store.add_documents([doc(d, text=f"Text number {d} about somewhere else entirely.") for s in stories
                         for d in s["doc_ids"]])


def test_events_stream_in_file_order_and_by_story_in_ged_s_order(store):
    from sitrep.export import in_id_order
    from sitrep.export.ucdp import story_groups

    stories, events = fused()
    with_documents(store, stories)
    store.save_fusion(stories, events)
    assert [e["event_id_cnty"] for e in store.iter_events(batch=7)] == \
        [e["event_id_cnty"] for e in in_id_order(events)]
    got = [(s["id"], s["figures"], [e["event_id_cnty"] for e in evs]) for s, evs in store.iter_story_events(batch=5)]
    want = [(s["id"], s["figures"], [e["event_id_cnty"] for e in evs]) for s, evs in story_groups(in_id_order(events), stories)]
    assert got == want and len(got) == len(stories)
    assert [s["id"] for s in store.iter_stories(batch=4)] == [s["id"] for s in store.stories()]
    top = store.top_stories(5)
    assert [s["id"] for s in top] == [s["id"] for s in sorted(store.stories(), key=lambda s: -len(s["doc_ids"]))[:5]]
    assert [e["event_id_cnty"] for e in store.events_of([s["id"] for s in top])] == \
        [e["event_id_cnty"] for e in store.events() if e["story_id"] in {s["id"] for s in top}]


def test_a_full_rebuild_read_as_a_stream_keeps_unchanged_stories_times_and_every_id_ever_given(store):
    from sqlalchemy import select

    from sitrep.store import schema as t

    stories, events = fused()
    with_documents(store, stories)
    store.save_fusion(stories, events)
    with store.engine.connect() as c:
        before = dict(c.execute(select(t.stories.c.story_id, t.stories.c.changed_at)).all())
    changed = dict(stories[1], title="new title")
    kept = [s for s in stories[2:]]
    store.replace_fusion(((s, None) for s in [changed, *kept]), (e for e in events if e["story_id"] != stories[0]["id"]))
    with store.engine.connect() as c:
        after = dict(c.execute(select(t.stories.c.story_id, t.stories.c.changed_at)).all())
    assert set(after) == {s["id"] for s in stories[1:]}
    assert all(after[s["id"]] == before[s["id"]] for s in kept) and after[changed["id"]] != before[changed["id"]]
    # the first story's events are gone, their numbers are not free again
    assert store.last_event_numbers() == {p: max(int(e["event_id_cnty"][3:]) for e in events
                                                 if e["event_id_cnty"].startswith(p)) for p in ("PAK", "NGA")}


def test_a_rebuild_that_fails_half_way_leaves_the_stored_stories(store):
    stories, events = fused()
    with_documents(store, stories)
    store.save_fusion(stories, events)

    def failing():
        yield from ((s, None) for s in stories[:10])
        raise RuntimeError("stopped")

    with pytest.raises(RuntimeError):
        store.replace_fusion(failing(), [])
    assert sorted(s["id"] for s in store.stories()) == [s["id"] for s in stories]
    assert len(store.events()) == len(events)
    store.replace_fusion(((s, None) for s in stories[:3]), [e for e in events if e["story_id"] in
                                                            {s["id"] for s in stories[:3]}])
    assert len(store.stories()) == 3       # the failed rebuild's temporary table is gone too
