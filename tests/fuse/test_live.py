"""Stories kept up to date one article at a time equal the stories a batch run builds."""

import datetime as dt
import json
import random
from pathlib import Path

import pytest
from fusekit import same_modulo_ids as _same
from sqlalchemy import select

from sitrep.fuse.live import LiveFusion
from sitrep.ingest import read_paths
from sitrep.pipeline import run, update
from sitrep.records import Document
from sitrep.settings import Settings
from sitrep.store import Store
from sitrep.store import schema as t

SAMPLE = Path(__file__).resolve().parents[2] / "src" / "sitrep" / "data" / "sample"
ONE = Settings(progress=False, workers=1)


@pytest.mark.nlp
@pytest.mark.parametrize("seed", [None, 7])
def test_articles_added_one_at_a_time_give_the_batch_run_s_stories_and_events(tmp_path, seed):
    run([SAMPLE], tmp_path / "batch", ONE)
    batch = Store(f"sqlite:///{tmp_path / 'batch' / 'sitrep.db'}")
    items = list(read_paths([SAMPLE]))
    if seed is not None:   # wires do not arrive in date order
        random.Random(seed).shuffle(items)
    live = Store(f"sqlite:///{tmp_path / 'live.db'}")
    fusion = LiveFusion(live)
    partial = 0
    for item in items:
        report = update(live, [item], ONE, fusion=fusion)
        partial += bool(report.doc_ids) and not report.rebuilt
    assert partial >= len(items) // 2     # most arrivals built only the stories they touch
    assert _same(live.stories(), live.events()) == _same(batch.stories(), batch.events())


@pytest.mark.nlp
def test_an_arrival_builds_again_only_its_own_story(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 's.db'}")
    update(store, list(read_paths([SAMPLE])), ONE)
    before = {s["id"]: s for s in store.stories()}
    assert LiveFusion(store).warm() > 0        # a watch starting up reads the latest stories' documents
    with store.engine.connect() as c:
        changed_at = dict(c.execute(select(t.stories.c.story_id, t.stories.c.changed_at)).all())
    # a new report of a Quetta attack, a year after everything in the sample
    late = Document(doc_id="late-quetta", origin="test", published=dt.date(2027, 3, 2),
                    text="QUETTA, March 2, 2027: Gunmen killed four police officers at a checkpoint in Quetta "
                         "on Tuesday, police said.")
    report = update(store, [late], ONE)
    assert not report.rebuilt and len(report.stories) == 1
    after = {s["id"]: s for s in store.stories()}
    assert set(after) == set(before) | set(report.stories)
    assert "late-quetta" in after[report.stories[0]]["doc_ids"]
    with store.engine.connect() as c:
        now = dict(c.execute(select(t.stories.c.story_id, t.stories.c.changed_at)).all())
    assert all(now[k] == changed_at[k] for k in before)    # the others were not touched
    assert now[report.stories[0]] is not None


@pytest.mark.nlp
def test_a_changed_text_of_a_stored_article_rebuilds_every_story(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 's.db'}")
    doc = Document(doc_id="a", origin="a.txt", published=dt.date(2026, 3, 2),
                   text="Gunmen killed four police officers in Quetta on Monday, police said.")
    update(store, [doc], ONE)
    changed = Document(doc_id="a", origin="a.txt", published=doc.published,
                       text="Gunmen killed five police officers in Quetta on Monday, police said.")
    report = update(store, [changed], ONE)
    assert report.updated == 1 and report.rebuilt
    assert [s["fatalities"] for s in store.stories()] == [5]


@pytest.mark.nlp
def test_claims_of_another_sitrep_version_make_every_story_built_again(tmp_path, monkeypatch):
    from sitrep import pipeline

    store = Store(f"sqlite:///{tmp_path / 's.db'}")
    fusion = LiveFusion(store)
    update(store, [Document(doc_id="a", origin="a.txt", published=dt.date(2026, 3, 2),
                            text="Gunmen killed four police officers in Quetta on Monday, police said.")],
           ONE, fusion=fusion)
    monkeypatch.setattr(pipeline, "extractor_fingerprint", lambda: "another-version")
    report = update(store, [Document(doc_id="b", origin="b.txt", published=dt.date(2026, 3, 2),
                                     text="Militants attacked an army post near Gao, killing three soldiers.")],
                    ONE, fusion=fusion)
    assert report.rebuilt      # every stored document was read again, so no story is as it was


def _ids(store: Store) -> dict[str, str]:
    """event key (`story_event_keys`) -> id, of every stored event."""
    from sitrep.fuse.events import story_event_keys

    by_story: dict[str, list[dict]] = {}
    for e in store.events():
        by_story.setdefault(e["story_id"], []).append(e)
    return {k: e["event_id_cnty"] for evs in by_story.values() for e, k in zip(evs, story_event_keys(evs))}


def _article(doc_id: str, day: dt.date, text: str) -> Document:
    return Document(doc_id=doc_id, origin=f"{doc_id}.txt", published=day, text=text)


@pytest.mark.nlp
def test_an_arrival_about_an_old_day_keeps_every_stored_event_s_id(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 's.db'}")
    update(store, [_article("quetta", dt.date(2026, 3, 10), "Gunmen killed four police officers at a checkpoint "
                            "in Quetta on Tuesday, police said."),
                   _article("turbat", dt.date(2026, 3, 20), "Militants attacked a Frontier Corps post in Turbat on "
                            "Friday, killing three soldiers, the army said.")], ONE)
    before = _ids(store)
    assert sorted(before.values()) == ["PAK1", "PAK2"]
    late = _article("sibi", dt.date(2026, 2, 3), "Gunmen shot dead two levies personnel in Sibi on Tuesday, "
                    "officials said.")      # weeks before both: numbered by date, it would take PAK1
    report = update(store, [late], ONE)
    assert not report.rebuilt
    after = _ids(store)
    assert {k: after[k] for k in before} == before
    assert {i for k, i in after.items() if k not in before} == {"PAK3"}
    assert store.last_event_numbers() == {"PAK": 3}


@pytest.mark.nlp
def test_a_number_is_never_given_again_to_another_event(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 's.db'}")
    update(store, [_article("a", dt.date(2026, 3, 2), "Gunmen killed four police officers in Quetta on Monday, "
                            "police said.")], ONE)
    assert [e["event_id_cnty"] for e in store.events()] == ["PAK1"]
    # the text changes: the Quetta event is gone (every story is built again), a Peshawar event comes
    update(store, [_article("a", dt.date(2026, 3, 2), "Gunmen killed four police officers in Peshawar on Monday, "
                            "police said.")], ONE)
    [event] = store.events()
    assert event["location"] == "Peshawar" and event["event_id_cnty"] == "PAK2"
    # and back again: the Quetta event is what it was, so it has its id back; Peshawar's is retired
    update(store, [_article("a", dt.date(2026, 3, 2), "Gunmen killed four police officers in Quetta on Monday, "
                            "police said.")], ONE)
    assert [e["event_id_cnty"] for e in store.events()] == ["PAK1"]


@pytest.mark.nlp
def test_the_windowed_rebuild_gives_what_clustering_every_document_at_once_gives(tmp_path):
    """`sitrep run`'s rebuild holds only open stories (fuse.sweep); `fuse.fuse` clusters the whole corpus
    in memory, as sitrep did before. On the sample (an undated report among them), the same stories and
    events, ids and all."""
    from sitrep.fuse import fuse

    run([SAMPLE], tmp_path / "out", ONE)
    store = Store(f"sqlite:///{tmp_path / 'out' / 'sitrep.db'}")
    infos = list(LiveFusion(store)._read())
    assert any(i.event_date is None for i in infos)
    stories, events = fuse(infos, copies=store.copies())
    key = lambda s: s["id"]  # noqa: E731
    assert json.dumps(sorted(store.stories(), key=key)) == json.dumps(sorted(stories, key=key))
    assert json.dumps(store.events()) == json.dumps(sorted(events, key=lambda e: (e["event_date"] or "", e["event_id_cnty"])))
