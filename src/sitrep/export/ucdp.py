"""`ged.csv`: UCDP GED's columns where sitrep has them (SPEC §4).

Every row adds up: ``deaths_a + deaths_b + deaths_civilians + deaths_unknown ==
best`` and ``low <= best <= high``, all integers. ``best`` is the event's
fatalities. The side columns take the known deaths by category: first the
event's own figures (limited to its place), then an even share of the story's
figures that no source limits to a place, each capped to what ``best`` leaves
(scaled down in proportion when they would exceed it); what no category
accounts for is ``deaths_unknown``. side_a is the government when state forces fight (deaths_a
its losses, deaths_b the armed group's); otherwise side_a is the armed group.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..fuse.categories import PARENT
from . import in_id_order, write_csv

GED_COLUMNS = [
    "id", "year", "type_of_violence", "side_a", "side_b", "source_article", "source_office", "source_date",
    "source_original", "number_of_sources", "where_prec", "where_description", "adm_1", "adm_2", "latitude",
    "longitude", "country", "date_prec", "date_start", "date_end", "deaths_a", "deaths_b", "deaths_civilians",
    "deaths_unknown", "best", "high", "low",
]
GROUPS = ("state", "militants", "civilians")   # the categories a side column can hold
FAMILY = {"state": "security_forces", "militants": "militants", "civilians": "civilians"}


def _int(value) -> int:
    """A count as a non-negative integer (blank, None and inf count as 0)."""
    try:
        return max(0, int(value))
    except (TypeError, ValueError, OverflowError):
        return 0


def _split(value, n: int, i: int) -> int:
    """The *i*-th of *n* near-equal integer shares of *value* (the first ones take the remainder)."""
    value = _int(value)
    if n <= 0:
        return 0
    share, extra = divmod(value, n)
    return share + (1 if i < extra else 0)


def _killed(figs: list[dict] | None, key: str) -> dict[str, int]:
    """Deaths per side group (state, militants, civilians) and in total, from reconciled figures.

    A family's own figure (security forces) is used when given; its parts (police, army) are
    summed only when it is not. ``total`` also counts an unspecified "people" figure when larger.
    """
    val = {f["category"]: f[key] for f in figs or ()
           if f.get("predicate") == "killed" and f.get(key) not in (None, "") and f[key] != float("inf")}

    def family(cat: str) -> int:
        if cat in val:
            return _int(val[cat])
        return sum(family(c) for c, parent in PARENT.items() if parent == cat)

    out = {g: family(cat) for g, cat in FAMILY.items()}
    specific = sum(out.values()) + family("prisoners")
    out["total"] = max(specific, _int(val.get("people")))
    return out


def _fit(wanted: list[int], best: int) -> list[int]:
    """*wanted* unchanged when it sums to at most *best*, else scaled down to sum to *best* exactly.

    Scaling keeps proportions with the largest remainders rounded up (ties: first listed).
    """
    total = sum(wanted)
    if total <= best:
        return list(wanted)
    floors = [w * best // total for w in wanted]
    left = best - sum(floors)
    order = sorted(range(len(wanted)), key=lambda i: (-(wanted[i] * best % total), i))
    for i in order[:left]:
        floors[i] += 1
    return floors


def ged_rows(events: list[dict], stories: list[dict]) -> list[dict]:
    """The rows of ged.csv for *events* (in the order given) and their *stories*."""
    return [r for story, evs in story_groups(events, stories) for r in story_rows(story, evs)]


def story_groups(events: list[dict], stories: list[dict]) -> list[tuple[dict | None, list[dict]]]:
    """(story, its events) for each story of *events*, in the order of their first events; each story's
    events in the order given (what `Store.iter_story_events` reads from a store)."""
    by_story = {s["id"]: s for s in stories}
    events_of: dict[str, list[dict]] = {}  # each story's events, in the order given, indexed once
    for e in events:
        events_of.setdefault(e["story_id"], []).append(e)
    return [(by_story.get(story_id), evs) for story_id, evs in events_of.items()]


def story_rows(story: dict | None, evs: list[dict]) -> list[dict]:
    """The rows of one story's events *evs* (a story's figures are spread over its events)."""
    figs = (story or {}).get("figures") or []
    n = len(evs)
    totals = {k: _killed(figs, k) for k in ("best", "low", "high")}
    own = [{k: _killed(e.get("figures"), k) for k in ("best", "low", "high")} for e in evs]
    # the part of the story's figures that no source limits to one of its places is spread evenly
    rest = {k: {g: max(0, totals[k][g] - sum(o[k][g] for o in own)) for g in (*GROUPS, "total")}
            for k in totals}
    rows = []
    for i, e in enumerate(evs):
        share = {k: {g: _split(rest[k][g], n, i) for g in (*GROUPS, "total")} for k in totals}
        rows.append(_row(e, own[i]["best"], share["best"],
                         own[i]["low"]["total"] + share["low"]["total"],
                         own[i]["high"]["total"] + share["high"]["total"]))
    return rows


def _row(e: dict, own: dict[str, int], share: dict[str, int], low: int, high: int) -> dict:
    best = _int(e.get("fatalities"))
    state = e.get("inter2") == 1 or e.get("inter1") == 1
    group = e["actor2"] if e.get("inter1") == 1 else e["actor1"]

    def sides(k: dict[str, int]) -> list[int]:
        if state:   # side_a the government, side_b the armed group
            return [k["state"], k["militants"], k["civilians"]]
        return [k["militants"], 0, k["civilians"]]  # side_a the group; state losses stay unknown here

    # the event's own figures first, then its share of the story's unplaced ones in what is left
    first = _fit(sides(own), best)
    more = _fit(sides(share), best - sum(first))
    deaths_a, deaths_b, deaths_civ = (x + y for x, y in zip(first, more))
    low = min(best, low) if low else best
    high = max(best, high)
    return {
        "id": e["event_id_cnty"], "year": e["year"],
        "type_of_violence": 1 if state else (3 if e.get("inter2") == 7 else 2),
        "side_a": f"Government of {e['country']}" if state else e["actor1"],
        "side_b": group if state else e["actor2"],
        "source_article": "; ".join(e["doc_ids"]), "source_office": e["source"],
        "source_date": e["event_date"], "source_original": e["source"], "number_of_sources": len(e["doc_ids"]),
        "where_prec": e["geo_precision"], "where_description": f"{e['location']}, {e['admin1']}".strip(", "),
        "adm_1": e["admin1"], "adm_2": e["admin2"], "latitude": e["latitude"], "longitude": e["longitude"],
        "country": e["country"], "date_prec": e["time_precision"],
        "date_start": e["event_date"], "date_end": e["event_date"],
        "deaths_a": deaths_a, "deaths_b": deaths_b, "deaths_civilians": deaths_civ,
        "deaths_unknown": best - deaths_a - deaths_b - deaths_civ, "best": best, "high": high, "low": low,
    }


def write_ged(path: Path, events: list[dict], stories: list[dict]) -> Path:
    """ged.csv for *events* (put in events.csv's order here) and their *stories*."""
    return write_ged_groups(path, story_groups(in_id_order(events), stories))


def write_ged_groups(path: Path, groups: Iterable[tuple[dict | None, list[dict]]]) -> Path:
    """ged.csv from (story, its events) groups in file order, as `Store.iter_story_events` streams them:
    each story's rows are made once, from its own events."""
    return write_csv(path, GED_COLUMNS, (r for story, evs in groups for r in story_rows(story, evs)))
