"""sitrep.open: a store (an output folder or a URL) read as typed records and pandas frames."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

import sitrep
from sitrep.errors import SitrepError
from sitrep.fuse.events import EVENT_COLUMNS


@pytest.fixture
def opened(hand_store):
    with sitrep.open(hand_store.url) as d:
        yield d


def test_events_are_typed_records_and_a_dataframe(opened):
    ev = opened.events(country="pakistan")
    assert ev.total == 3 and [e.event_id_cnty for e in ev] == ["PAK1", "PAK2", "PAK10"]
    assert [f.name for f in dataclasses.fields(ev[0])] == EVENT_COLUMNS + ["story_id", "doc_ids", "claim_quotes"]
    frame = ev.to_pandas()
    assert isinstance(frame, pd.DataFrame) and list(frame["fatalities"]) == [7, 2, 0]
    assert list(frame.columns)[:2] == ["event_id_cnty", "event_date"]


def test_filters_and_pages_are_the_desks(opened):
    assert opened.events(min_fatalities=4).total == 3
    page = opened.events(limit=2, offset=1)
    assert len(page) == 2 and page.total == 7


def test_an_empty_result_still_has_the_columns(opened):
    frame = opened.events(country="Narnia").to_pandas()
    assert frame.shape == (0, len(EVENT_COLUMNS) + 3)


def test_stories_claims_and_documents(opened):
    stories = opened.stories()
    assert [s.id for s in stories] == ["story-pk", "story-ng"] and stories[1].figures[0]["high"] == 40
    assert stories.to_pandas().loc[1, "fatalities"] == 17
    claims = opened.claims(claimant_type="armed_group")
    assert [c.quote for c in claims] == ["killed 40 soldiers", "seized 2 vehicles"] and claims[0].claim_id > 0
    assert list(claims.to_pandas()["low"]) == [40, 2]
    doc = opened.document("army")
    assert doc.source == "Lake Chad Times" and [c.claimant for c in doc.claims] == ["army", "officials"]
    assert opened.document("nope") is None and opened.story("nope") is None


def test_an_output_folder_opens_its_store(tmp_path, hand_store):
    out = tmp_path / "out"
    out.mkdir()
    (out / "sitrep.db").write_bytes(b"")  # an empty file is an empty SQLite store
    assert sitrep.open(out).events().total == 0


@pytest.mark.parametrize("target, says", [("missing-folder", "no such folder"),
                                          ("empty-folder", "sitrep.db does not exist")])
def test_a_missing_folder_or_store_is_a_clear_error(tmp_path, target, says):
    (tmp_path / "empty-folder").mkdir()
    with pytest.raises(SitrepError) as e:
        sitrep.open(tmp_path / target)
    assert says in str(e.value) and "[E301]" in str(e.value)
