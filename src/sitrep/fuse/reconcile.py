"""Reconciliation: each claimant's figure side by side, a low/best/high with reasons, and the disagreements.

Rules, after ACLED's: the best figure is the most conservative credible one;
a party's claim about its enemy's losses (a group's toll of soldiers, the
army's toll of militants) is never preferred over a lower official or
independent figure; an admission of one's own losses is credible, and a floor for
the best figure (no side inflates its own dead). Parties are
armed groups, the military, the police and governments; international bodies,
NGOs, media, witnesses and the outlets' own voices are independent. Vague words
count as ACLED converts them ("dozens" 12). A claimant's later figure
supersedes its earlier one, and both stay in the timeline.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ..nlp.numbers import vague_value
from ..records import Claim
from .categories import PARENT
from .claimant import Claimant

ENEMY_OF = {  # who benefits from a high toll in a category: their claims about it are a party's claims
    "armed_group": {"security_forces", "military", "police", "paramilitary", "ctd", "intelligence", "civilians",
                    "officials", "people"},
    "military": {"militants"}, "police": {"militants"}, "government": {"militants"},
}
# Never a party to the fighting, whatever they count (SPEC §3 claimant types).
INDEPENDENT = frozenset({"international", "ngo", "media", "witnesses", "unattributed"})
OWN_SIDE = {
    "armed_group": {"militants"},
    "military": {"security_forces", "military", "paramilitary", "ctd", "intelligence"},
    "police": {"security_forces", "police", "ctd"},
}


@dataclass
class Row:
    """One claimant's figure for one (predicate, category)."""

    who: Claimant
    low: int | None
    high: int | None
    qualifier: str
    text_value: str
    at: str | None
    doc_ids: list[str]
    quotes: list[str]
    location: str | None = None
    part: bool = False          # the claimant counted only a part of the total ("including three women")

    @property
    def claimant_type(self) -> str:
        return self.who.type

    @property
    def interval(self) -> tuple[float, float] | None:
        """The range the figure allows; None for vague words that no number stands for."""
        return _interval(self.low, self.high, self.qualifier, self.text_value)

    @property
    def value(self) -> float | None:
        """The figure as one number (the conservative end)."""
        iv = self.interval
        if iv is None:
            return None
        return iv[0] if iv[0] > 0 or iv[1] == float("inf") else iv[1]


def _interval(low, high, qualifier: str, text_value: str) -> tuple[float, float] | None:
    if qualifier == "vague":
        v = vague_value(text_value)
        return (v, v) if v is not None else None
    if low is None and high is None:
        return None
    return (low if low is not None else 0, high if high is not None else float("inf"))


def speaker(c: Claim, source_of) -> Claimant:
    """Whose figure: named claimants by name; the unnamed voice of each outlet (or outlet-less document) apart."""
    return Claimant.of(c.claimant, c.claimant_type, source_of(c.doc_id), c.doc_id)


def partisan(claimant_type: str, category: str) -> bool:
    """A party's claim about its opponents' losses (the BLA's toll of soldiers, the army's toll of militants)."""
    return claimant_type not in INDEPENDENT and category in ENEMY_OF.get(claimant_type, ())


def figures(claims: list[Claim], source_of=lambda d: None, when_of=lambda d: None) -> tuple[list[dict], list[dict]]:
    """Reconciled figures per (predicate, category), and the timeline of every figure.

    *source_of* gives a document's outlet (None when unknown), *when_of* its date.
    """
    groups: dict[tuple[str, str], list[Claim]] = defaultdict(list)
    for c in claims:
        if c.event_scope == "main":
            groups[(c.predicate, c.category)].append(c)
    out, timeline = [], []
    for (pred, cat), cs in sorted(groups.items()):
        by: dict[tuple[Claimant, str | None], list[Claim]] = defaultdict(list)
        for c in cs:  # one row per claimant and place: its Quetta figure is not its total
            who = speaker(c, source_of)
            by[(who, c.location)].append(c)
            timeline.append((who, {"at": when_of(c.doc_id), "claimant": who.name, "claimant_type": who.type,
                                   "outlet": who.outlet, "predicate": pred, "category": cat, "low": c.low,
                                   "high": c.high, "qualifier": c.qualifier, "doc_id": c.doc_id, "quote": c.quote,
                                   "location": c.location}))
        rows = [_latest(who, items, when_of) for (who, _), items in by.items()]
        out.append(_figure(pred, cat, rows))
    timeline.sort(key=lambda wt: (wt[1]["at"] or "", wt[0].label, wt[1]["predicate"], wt[1]["category"]))
    _mark_revisions(timeline)
    return out, [t for _, t in timeline]


def _latest(who: Claimant, items: list[Claim], when_of) -> Row:
    """A claimant's current figure: its latest; on the same day, the most specific (highest floor)."""
    def rank(c: Claim):
        lo = c.low if c.low is not None else (c.high or 0)
        return (when_of(c.doc_id) or "", lo)
    best = max(items, key=rank)
    same = [c for c in items if (c.low, c.high, c.qualifier) == (best.low, best.high, best.qualifier)]
    first = min((when_of(c.doc_id) or "" for c in same), default="") or None
    return Row(who, best.low, best.high, best.qualifier, best.text_value, first,
               sorted({c.doc_id for c in same}), [c.quote for c in same], best.location, best.part)


def _figure(pred: str, cat: str, rows: list[Row]) -> dict:
    totals = [r for r in rows if r.location is None and r.interval is not None] or \
             [r for r in rows if r.interval is not None]
    # ACLED converts a vague word ("dozens" 12) only when no source gives a number, and a part of a total
    # ("three of them by bullets") is no estimate of the total
    totals = [r for r in totals if r.qualifier != "vague"] or totals
    totals = [r for r in totals if not r.part] or totals
    credible = [r for r in totals if not partisan(r.claimant_type, cat)]
    fig = {"predicate": pred, "category": cat, "low": None, "best": None, "high": None, "rationale": "",
           "by_claimant": [_row_dict(r) for r in sorted(rows, key=lambda r: (r.who.type, r.who.label))]}
    if not totals:
        fig["rationale"] = "Only vague figures were reported (" + ", ".join(
            f"{r.who.label}: {r.text_value}" for r in rows) + "), so no number is given."
        return fig
    lows = [(r.interval[0], r) for r in totals]
    highs = [(r.interval[1] if r.interval[1] != float("inf") else r.interval[0], r) for r in totals]
    lo, lo_row = min(lows, key=lambda x: x[0])
    hi, hi_row = max(highs, key=lambda x: x[0])
    pool = credible or totals
    best_row = min(pool, key=lambda r: r.value)
    best = best_row.value
    # A party's count of its own dead is a floor: no side inflates its own losses.
    admitted = [r for r in totals if cat in OWN_SIDE.get(r.claimant_type, ()) and r.value is not None]
    floor_row = max(admitted, key=lambda r: r.value, default=None)
    if floor_row is not None and floor_row.value > best:
        best_row, best = floor_row, floor_row.value
    best = min(max(best, lo), hi)
    fig.update(low=_int(lo), best=_int(best), high=_int(hi))
    why = [f"Low {_int(lo)} from {_name(lo_row)} ({lo_row.text_value})",
           f"high {_int(hi)} from {_name(hi_row)} ({hi_row.text_value})"]
    if best_row is floor_row:
        why.append(f"best {_int(best)} is {_name(best_row)}'s count of its own dead, a floor for every estimate")
    elif credible:
        why.append(f"best {_int(best)} is the most conservative figure not claimed by a party about its "
                   f"opponents' losses ({_name(best_row)})")
    else:
        why.append(f"best {_int(best)} is the most conservative figure given ({_name(best_row)}); "
                   "every figure comes from a party to the fighting")
    skipped = [r for r in totals if partisan(r.claimant_type, cat)]
    if skipped and credible:
        why.append("not preferred: " + ", ".join(f"{_name(r)} ({r.text_value})" for r in skipped))
    located = [r for r in rows if r.location is not None and r not in totals]
    if located:
        why.append("figures limited to one place are kept apart: " + ", ".join(
            f"{r.location} {r.text_value} ({_name(r)})" for r in located))
    fig["rationale"] = "; ".join(why) + "."
    return fig


def _row_dict(r: Row) -> dict:
    return {**r.who.fields(), "low": r.low, "high": r.high, "qualifier": r.qualifier, "text_value": r.text_value,
            "location": r.location, "first_seen": r.at, "doc_ids": r.doc_ids, "quotes": r.quotes}


def _name(r: Row) -> str:
    return f"unattributed {r.who.label}" if r.who.unnamed else r.who.label


def _int(x):
    return int(x) if x is not None and x != float("inf") else None


def _mark_revisions(timeline: list[tuple[Claimant, dict]]) -> None:
    """Flag a claimant's figure that replaces its own earlier, different figure."""
    last: dict[tuple, dict] = {}
    for who, t in timeline:
        key = (who, t["predicate"], t["category"], t["location"])
        prev = last.get(key)
        if prev is not None and (prev["low"], prev["high"]) != (t["low"], t["high"]) and prev["at"] != t["at"]:
            t["supersedes"] = {"low": prev["low"], "high": prev["high"], "at": prev["at"], "doc_id": prev["doc_id"]}
        last[key] = t


MAX_DISAGREEMENTS = 12  # per figure: a story told by hundreds of outlets must not list every pair


def disagreements(figs: list[dict]) -> list[dict]:
    """Figures for the same thing whose ranges do not overlap, between different claimants.

    Named claimants are compared with each other first (the military against
    the group), then unnamed voices; each figure lists at most a dozen pairs,
    widest gaps first.
    """
    out = []
    for f in figs:
        rows = [r for r in f["by_claimant"] if r["location"] is None and _iv(r) is not None]
        rows.sort(key=lambda r: (r["claimant_type"] == "unattributed", _iv(r)[0]))
        named = [r for r in rows if r["claimant_type"] != "unattributed"]
        unnamed = [r for r in rows if r["claimant_type"] == "unattributed"]
        extremes = ([min(unnamed, key=lambda r: _iv(r)[1]), max(unnamed, key=lambda r: _iv(r)[0])]
                    if unnamed else [])
        if len(extremes) == 2 and extremes[0] is extremes[1]:  # one unnamed voice is one candidate, not two
            extremes = extremes[:1]
        candidates = named + extremes
        pairs = []
        for i, a in enumerate(candidates):
            for b in candidates[i + 1:]:
                ia, ib = _iv(a), _iv(b)
                if a is b or ia[1] >= ib[0] and ib[1] >= ia[0]:
                    continue
                gap = max(ib[0] - ia[1], ia[0] - ib[1])
                pairs.append((gap, a, b))
        for gap, a, b in sorted(pairs, key=lambda p: -p[0])[:MAX_DISAGREEMENTS]:
            ia, ib = _iv(a), _iv(b)
            lo, hi = (a, b) if ia[0] < ib[0] else (b, a)
            who_lo, who_hi = Claimant.from_row(lo), Claimant.from_row(hi)
            out.append({
                "kind": "figures",
                "detail": f"{f['predicate'].replace('_', ' ')} {f['category'].replace('_', ' ')}: "
                          f"{who_lo.label} gives {lo['text_value']}, {who_hi.label} gives {hi['text_value']}; "
                          "the ranges do not overlap",
                "doc_ids": sorted(set(lo["doc_ids"]) | set(hi["doc_ids"])),
                "claimants": [who_lo.fields(), who_hi.fields()],
                "predicate": f["predicate"], "category": f["category"], "gap": _int(gap)})
    return out


def sum_checks(figs: list[dict]) -> list[dict]:
    """Place-limited figures whose sum exceeds the total a source gives for the whole episode."""
    out = []
    for f in figs:
        located = [r for r in f["by_claimant"] if r["location"] and r["low"] is not None]
        if f["high"] is None or len(located) < 1:
            continue
        per_place: dict[str, int] = {}
        for r in located:  # the lowest figure given for each place
            per_place[r["location"]] = min(per_place.get(r["location"], r["low"]), r["low"])
        total = sum(per_place.values())
        if total > f["high"]:
            places = ", ".join(f"{p} {n}" for p, n in sorted(per_place.items()))
            out.append({"kind": "sum",
                        "detail": f"{f['predicate'].replace('_', ' ')} {f['category'].replace('_', ' ')}: figures "
                                  f"for single places ({places}) add up to {total}, more than the highest total "
                                  f"given for the whole episode ({f['high']})",
                        "doc_ids": sorted({d for r in located for d in r["doc_ids"]})})
    return out


def _iv(r: dict):
    return _interval(r["low"], r["high"], r["qualifier"], r["text_value"])


def conservative_total(figs: list[dict], predicate: str = "killed") -> int:
    """ACLED-style fatalities for a story: the conservative total over everyone killed.

    A family's total (security forces) is used when given; its parts (police,
    army) are summed only when no total is. An unspecified "people" figure
    counts when it exceeds the sum of the specific ones.
    """
    best = {f["category"]: f["best"] for f in figs if f["predicate"] == predicate and f["best"] is not None}

    def family(cat: str) -> int:
        if cat in best:
            return best[cat]
        return sum(family(c) for c, parent in PARENT.items() if parent == cat)

    specific = sum(family(c) for c in ("security_forces", "militants", "civilians", "prisoners"))
    return int(max(specific, best.get("people", 0)))
