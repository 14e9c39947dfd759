"""ged.csv adds up on every row: the death columns sum to best, and low <= best <= high."""

from __future__ import annotations

import csv

import pytest

from sitrep.export.ucdp import GED_COLUMNS, ged_rows, write_ged

DEATHS = ("deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown")


def fig(category, best, low=None, high=None, predicate="killed"):
    return {"predicate": predicate, "category": category, "best": best,
            "low": best if low is None else low, "high": best if high is None else high}


def event(story, n, fatalities, *, inter1=2, inter2=1, figures=(), location=None):
    return {"event_id_cnty": f"XYZ{n}", "story_id": story, "year": 2031, "event_date": "2031-05-04",
            "time_precision": 1, "geo_precision": 1, "inter1": inter1, "inter2": inter2,
            "actor1": "Red Hand Front", "actor2": "Military Forces of Ruritania" if inter2 == 1 else
            ("Civilians (Ruritania)" if inter2 == 7 else ""), "country": "Ruritania",
            "location": location or f"Town{n}", "admin1": "North", "admin2": "", "latitude": 1.0 + n,
            "longitude": 2.0, "source": "Daily Lantern", "doc_ids": [f"doc{n}"], "fatalities": fatalities,
            "figures": list(figures)}


def story(sid, figures):
    return {"id": sid, "figures": list(figures)}


def adds_up(row):
    assert all(isinstance(row[c], int) and row[c] >= 0 for c in (*DEATHS, "best", "low", "high")), row
    assert sum(row[c] for c in DEATHS) == row["best"], row
    assert row["low"] <= row["best"] <= row["high"], row


def test_mixed_categories_fill_their_own_columns():
    # 3 soldiers, 5 militants, 2 civilians and 12 "people" in all: 2 nobody attributed
    figs = [fig("military", 3), fig("militants", 5, 4, 7), fig("civilians", 2), fig("people", 12, 10, 15)]
    rows = ged_rows([event("s1", 1, 12)], [story("s1", figs)])
    (row,) = rows
    adds_up(row)
    assert (row["deaths_a"], row["deaths_b"], row["deaths_civilians"], row["deaths_unknown"]) == (3, 5, 2, 2)
    assert row["type_of_violence"] == 1 and row["side_a"] == "Government of Ruritania"
    assert row["side_b"] == "Red Hand Front"
    assert (row["low"], row["high"]) == (10, 15)


def test_a_story_split_over_events_adds_up_on_each_row():
    figs = [fig("security_forces", 7), fig("police", 3), fig("militants", 11), fig("officials", 1),
            fig("people", 25, 20, 40)]
    evs = [event("s2", i, f) for i, f in enumerate((9, 8, 8))]
    rows = ged_rows(evs, [story("s2", figs)])
    assert len(rows) == 3
    for row in rows:
        adds_up(row)
    assert sum(r["deaths_a"] for r in rows) == 7        # the family total, not police counted again
    assert sum(r["deaths_b"] for r in rows) == 11
    assert sum(r["deaths_civilians"] for r in rows) == 1


def test_a_category_figure_larger_than_best_is_capped():
    # the event's best is lower than what one category alone claims (a conservative best)
    figs = [fig("militants", 40, 30, 60), fig("military", 2)]
    (row,) = ged_rows([event("s3", 1, 10)], [story("s3", figs)])
    adds_up(row)
    assert row["best"] == 10 and row["deaths_unknown"] == 0
    assert row["deaths_a"] + row["deaths_b"] == 10 and row["deaths_b"] > row["deaths_a"]
    assert row["high"] >= 42


def test_categories_together_above_best_scale_down_exactly():
    figs = [fig("police", 5), fig("militants", 5), fig("civilians", 5)]
    (row,) = ged_rows([event("s4", 1, 7)], [story("s4", figs)])
    adds_up(row)
    assert sorted((row["deaths_a"], row["deaths_b"], row["deaths_civilians"])) == [2, 2, 3]


def test_place_figures_stay_with_their_event():
    figs = [fig("civilians", 6), fig("militants", 2)]
    here = [fig("civilians", 6)]
    evs = [event("s5", 1, 6, inter2=7, figures=here), event("s5", 2, 2, inter2=7)]
    rows = ged_rows(evs, [story("s5", figs)])
    for row in rows:
        adds_up(row)
    first, second = rows
    assert first["type_of_violence"] == 3 and first["deaths_civilians"] == 6
    assert second["deaths_civilians"] == 0 and second["deaths_a"] == 1  # side_a is the group: its own dead


def test_no_figures_blank_or_odd_values_still_add_up():
    evs = [event("s6", 1, 4), event("s6", 2, 0), event("s7", 3, None), event("missing", 4, 3)]
    stories = [story("s6", []), story("s7", [fig("people", None, None, None), fig("militants", 2, 1, float("inf"))])]
    rows = ged_rows(evs, stories)
    assert len(rows) == 4
    for row in rows:
        adds_up(row)
    assert rows[0]["deaths_unknown"] == 4 and (rows[0]["low"], rows[0]["high"]) == (4, 4)
    assert rows[2]["best"] == 0 and rows[2]["low"] == 0


def test_low_never_above_best_nor_high_below_it():
    figs = [fig("people", 9, 12, 8)]   # inconsistent reconciled figure: low above, high below
    (row,) = ged_rows([event("s8", 1, 9)], [story("s8", figs)])
    adds_up(row)


@pytest.mark.parametrize("n_events", [1, 2, 3, 7])
def test_many_combinations_add_up(n_events):
    import itertools
    for a, b, c, p, share in itertools.product((0, 2, 9), (0, 5), (0, 1, 13), (0, 6, 30), (0, 4)):
        figs = [fig("military", a), fig("militants", b), fig("civilians", c), fig("people", p)]
        evs = [event("s", i, share + i % 2, inter2=(1, 7, 3)[i % 3]) for i in range(n_events)]
        for row in ged_rows(evs, [story("s", figs)]):
            adds_up(row)


def test_events_are_grouped_by_story_once_and_keep_their_order():
    evs = [event("a", 1, 1), event("b", 2, 2), event("a", 3, 3)]
    rows = ged_rows(evs, [story("a", []), story("b", [])])
    assert [r["id"] for r in rows] == ["XYZ1", "XYZ3", "XYZ2"]


def test_written_file_adds_up(tmp_path):
    figs = [fig("military", 3), fig("militants", 50), fig("people", 8)]
    path = write_ged(tmp_path / "ged.csv", [event("s", 1, 8), event("s", 2, 0)], [story("s", figs)])
    with path.open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == GED_COLUMNS
    for r in rows:
        nums = {c: int(r[c]) for c in (*DEATHS, "best", "low", "high")}  # never blank
        assert sum(nums[c] for c in DEATHS) == nums["best"] and nums["low"] <= nums["best"] <= nums["high"]
