"""`ged.csv`: UCDP GED's columns where sitrep has them (SPEC §4).

Deaths come from the story's reconciled figures, split across its events the
way ACLED's fatalities are: figures limited to a town stay there, the rest is
divided evenly. side_a is the government when state forces fight; deaths_a
are its losses, deaths_b the armed group's.
"""

from __future__ import annotations

import csv
from pathlib import Path

from . import write_atomic

GED_COLUMNS = [
    "id", "year", "type_of_violence", "side_a", "side_b", "source_article", "source_office", "source_date",
    "source_original", "number_of_sources", "where_prec", "where_description", "adm_1", "adm_2", "latitude",
    "longitude", "country", "date_prec", "date_start", "date_end", "deaths_a", "deaths_b", "deaths_civilians",
    "deaths_unknown", "best", "high", "low",
]
SIDE_A = {"security_forces", "military", "police", "paramilitary", "ctd", "intelligence"}


def _split(value, n: int, i: int) -> int:
    if value is None or n == 0:
        return 0
    share, extra = divmod(int(value), n)
    return share + (1 if i < extra else 0)


def ged_rows(events: list[dict], stories: list[dict]) -> list[dict]:
    by_story = {s["id"]: s for s in stories}
    rows = []
    for story_id in dict.fromkeys(e["story_id"] for e in events):
        evs = [e for e in events if e["story_id"] == story_id]
        s = by_story[story_id]
        killed = {f["category"]: f for f in s["figures"] if f["predicate"] == "killed"}
        def best_of(cats, key="best"):
            vals = [killed[c][key] for c in cats if c in killed and killed[c][key] is not None]
            return max(vals) if vals else None
        totals = {"a": best_of(SIDE_A), "b": best_of({"militants"}), "civ": best_of({"civilians", "officials"}),
                  "unknown": best_of({"people"}), "low": best_of(killed, "low"), "high": best_of(killed, "high")}
        for i, e in enumerate(evs):
            n = len(evs)
            deaths_a, deaths_b = _split(totals["a"], n, i), _split(totals["b"], n, i)
            deaths_civ, deaths_unk = _split(totals["civ"], n, i), _split(totals["unknown"], n, i)
            best = e["fatalities"]
            state = e["inter2"] == 1 or e["inter1"] == 1
            rows.append({
                "id": e["event_id_cnty"], "year": e["year"],
                "type_of_violence": 1 if state else (3 if e["inter2"] == 7 else 2),
                "side_a": f"Government of {e['country']}" if state else e["actor1"],
                "side_b": e["actor1"] if state else e["actor2"],
                "source_article": "; ".join(e["doc_ids"]), "source_office": e["source"],
                "source_date": e["event_date"], "source_original": e["source"], "number_of_sources": len(e["doc_ids"]),
                "where_prec": e["geo_precision"], "where_description": f"{e['location']}, {e['admin1']}".strip(", "),
                "adm_1": e["admin1"], "adm_2": e["admin2"], "latitude": e["latitude"], "longitude": e["longitude"],
                "country": e["country"], "date_prec": e["time_precision"],
                "date_start": e["event_date"], "date_end": e["event_date"],
                "deaths_a": deaths_a, "deaths_b": deaths_b, "deaths_civilians": deaths_civ,
                "deaths_unknown": deaths_unk, "best": best,
                "high": max(best, _split(totals["high"], n, i)), "low": min(best, _split(totals["low"], n, i)),
            })
    return rows


def write_ged(path: Path, events: list[dict], stories: list[dict]) -> Path:
    def write(fh):
        w = csv.DictWriter(fh, fieldnames=GED_COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(ged_rows(events, stories))
    return write_atomic(path, write)
