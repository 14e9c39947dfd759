"""Stories kept up to date one article at a time equal the stories a batch run builds."""

import datetime as dt
import json
import random
from pathlib import Path

import pytest
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


def _same(stories, events):
    """Stories and events as comparable text; an event's timestamp is when it was coded, so it is left out."""
    return (json.dumps(sorted(stories, key=lambda s: s["id"]), sort_keys=True),
            json.dumps(sorted(({k: v for k, v in e.items() if k != "timestamp"} for e in events),
                              key=lambda e: e["event_id_cnty"]), sort_keys=True))


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
