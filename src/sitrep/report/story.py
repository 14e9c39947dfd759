"""One story's part of the report: overview, who says what, figures, contradictions, timeline, markers.

Sentences are sitrep's own, assembled from the structured records; article
words appear only as names and as the quotes the numbers link to.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from ..fuse.claimant import Claimant
from ..nlp.numbers import vague_value
from . import words as w
from .chart import Chart, Point, Series, ordered
from .model import Entry, F, Figure, Quotes, R, Row, StoryView, T, Tok


def story_view(s: dict, events: list[dict], quotes: Quotes, numbers: dict[str, int]) -> StoryView:
    figures = [_figure(f, quotes, numbers) for f in
               sorted(s.get("figures", []), key=lambda f: w.figure_order(f["predicate"], f["category"]))]
    raw = {(f["predicate"], f["category"]): f for f in s.get("figures", [])}
    for fig in figures:
        fig.charts = charts(raw[(fig.predicate, fig.category)], s.get("timeline", []), quotes, numbers)
    return StoryView(
        id=s["id"], title=s.get("title") or "Untitled story", when=w.span(s.get("date_start"), s.get("date_end")),
        overview=_overview(s, events), tolls=_tolls(figures, s, quotes, numbers),
        contradictions=_contradictions(s, figures, quotes, numbers), figures=figures,
        timeline=_timeline(s, events, quotes, numbers),
        markers=sorted((_marker(e, quotes, numbers) for e in events if _located(e)),
                       key=lambda m: -(m["fatalities"] or 0)),  # the biggest events keep their labels
        source_ns=sorted(numbers[d] for d in s.get("doc_ids", []) if d in numbers), n_events=len(events))


def _located(e: dict) -> bool:
    return e.get("latitude") not in (None, "") and e.get("longitude") not in (None, "")


def _overview(s: dict, events: list[dict]) -> list[list[Tok]]:
    """What, where, when, who: one sentence each, from the events rather than any article."""
    lines = []
    if events:
        admin = list(dict.fromkeys(e.get("admin1") for e in events if e.get("admin1")))
        countries = list(dict.fromkeys(e.get("country") for e in events if e.get("country")))
        kinds: dict[str, list[str]] = defaultdict(list)
        for e in events:
            kinds[w.event_kind(e.get("sub_event_type", ""))].append(e.get("location") or "an unnamed place")
        where = w.listing(admin) + (f" ({w.listing(countries)})" if countries else "")
        what = "; ".join(f"{k} in {w.listing(sorted(set(v)))}" for k, v in kinds.items())
        n = len(events)
        lines.append([T(f"{w.span(s.get('date_start'), s.get('date_end'))}: {n} event{'s' * (n != 1)} in {where}: "
                        f"{what}.")])
        a1 = Counter(e.get("actor1") for e in events if e.get("actor1"))
        a2 = Counter(e.get("actor2") for e in events if e.get("actor2"))
        if a1:
            lines.append([T(f"Who: {w.listing([a for a, _ in a1.most_common()])}"
                            + (f", against {w.listing([a for a, _ in a2.most_common()])}." if a2 else "."))])
    aliases = [a for a in s.get("aliases", []) if a not in (s.get("title") or "")][:4]
    if aliases:
        lines.append([T(f"Also called: {', '.join(aliases)}.")])
    if s.get("fatalities") is not None and events:
        lines.append([T(f"Fatalities coded for the events (ACLED's conservative rule): {s['fatalities']}.")])
    return lines


def _claimant(row: dict, numbers: dict[str, int], q_for: dict[str, int | None]) -> list[Tok]:
    """The claimant as running text names it; an unnamed voice cites the documents it speaks in."""
    who = Claimant.from_row(row)
    if not who.unnamed or not (who.outlet or who.doc_id in numbers):
        return [T(w.who(who.name, who.type))]
    word = who.name.lower()
    if who.outlet:  # the voice of an outlet: "Continental Wire Service", "reports cited by Continental Wire Service"
        out = [T(who.outlet if word == "outlet" else f"{word} cited by {who.outlet}")]
    else:           # the document itself is who says it
        out = [T("the outlet" if word == "outlet" else word)]
    for d in row.get("doc_ids", []):
        if d in numbers:
            out += [T(" "), R(numbers[d], q_for.get(d))]
    return out


def _table_name(row: dict, numbers: dict[str, int]) -> str:
    """The claimant in the figures table: a document's own voice is cited in the sources column instead."""
    who = Claimant.from_row(row)
    return who.name if who.doc_id in numbers else who.label


def _row_quotes(row: dict, f: dict, quotes: Quotes) -> dict[str, int | None]:
    """For each document of a claimant's figure, the quote stating it there."""
    out = {}
    for d in row.get("doc_ids", []):
        out[d] = next((q for text in row.get("quotes", []) if (q := quotes.find(d, text, f["predicate"],
                                                                                   f["category"])) is not None), None)
    return out


def _figure(f: dict, quotes: Quotes, numbers: dict[str, int]) -> Figure:
    rows, spans = [], []
    for r in sorted(f.get("by_claimant", []), key=lambda r: (w.interval(r["low"], r["high"], r["qualifier"])
                                                              or (float("inf"),))[0]):
        qs = _row_quotes(r, f, quotes)
        q = next((v for v in qs.values() if v is not None), None)
        claim = quotes.items[q].claim if q is not None else None
        val = w.value(r["low"], r["high"], r["qualifier"], r.get("text_value", ""))
        rows.append(Row(claimant=_table_name(r, numbers), claimant_type=r["claimant_type"],
                        type_label=w.claimant_type(r["claimant_type"]), value=[F(val, q)],
                        hedge=claim.hedge if claim else "", location=r.get("location"), first_seen=r.get("first_seen"),
                        refs=_spaced([R(numbers[d], qs.get(d)) for d in r.get("doc_ids", []) if d in numbers])))
        spans.append((r.get("location"), w.interval(r["low"], r["high"], r["qualifier"])))
    for i, (loc, a) in enumerate(spans):  # a figure whose numbers share nothing with another's is disputed
        rows[i].conflict = a is not None and any(
            b is not None and loc == loc2 and (a[1] < b[0] or b[1] < a[0]) for j, (loc2, b) in enumerate(spans) if j != i)
    return Figure(label=w.figure_label(f["predicate"], f["category"]), predicate=f["predicate"],
                  category=f["category"], reading=_reading(f, quotes),
                  rationale=_cite(f.get("rationale") or "", numbers), rows=rows,
                  disputed=any(r.conflict for r in rows))


def charts(f: dict, timeline: list[dict], quotes: Quotes, numbers: dict[str, int]) -> list[Chart]:
    """Each claimant's figure over time, for the places where the figure's statements differ.

    Read from what fusion stored: every statement of this figure in the story's
    *timeline* (its day, numbers, document and quote), the earlier figure a revision
    names, and, for a claimant the timeline lacks, its `by_claimant` row. A chart is
    drawn when two claimants give different numbers or one revises its own; one per
    place the figures are limited to (None, the whole incident, first). The best
    figure is marked where it applies: on the whole incident's chart, or on the only one.
    """
    key = (f["predicate"], f["category"])
    points: dict[tuple, dict[tuple, dict]] = defaultdict(dict)   # (claimant, place) -> value and day -> point

    def add(who: Claimant, location, at, low, high, qualifier, text, text_value, doc_id, quote, q):
        claim = quotes.items[q].claim if q is not None else None
        at = at or (claim.published if claim is not None else None)
        vague = low is None and high is None
        value = (at, low, high, (text_value or text).lower() if vague else None)
        stated = points[(who, location)]
        n = numbers.get(doc_id)
        if value in stated:   # the same figure the same day in another document: one point, every source
            if n is not None and n not in stated[value]["refs"]:
                stated[value]["refs"] += (n,)
            return
        stated[value] = {"at": at, "low": low, "high": high, "qualifier": qualifier, "text": text, "quote": quote,
                         "q": q, "n": n if q is not None else None, "refs": (n,) if n is not None else (),
                         "approx": vague_value(text_value or text) if vague else None}

    for t in timeline:
        if (t.get("predicate"), t.get("category")) != key:
            continue
        who, doc = Claimant.from_row(t), t.get("doc_id")
        q = quotes.find(doc, t.get("quote", ""), *key)
        claim = quotes.items[q].claim if q is not None else None
        add(who, t.get("location"), t.get("at"), t.get("low"), t.get("high"),
            claim.qualifier if claim is not None and (claim.low, claim.high) == (t.get("low"), t.get("high"))
            else t.get("qualifier") or "exact", _said(t, quotes, q),
            claim.text_value if claim is not None else "", doc, t.get("quote", ""), q)
        old = t.get("supersedes")
        if old:
            oq = quotes.matching(old.get("doc_id"), *key, old.get("low"), old.get("high"))
            oclaim = quotes.items[oq].claim if oq is not None else None
            add(who, t.get("location"), old.get("at"), old.get("low"), old.get("high"),
                oclaim.qualifier if oclaim is not None else ("at_least" if old.get("high") is None else "exact"),
                _said(old, quotes, oq), oclaim.text_value if oclaim is not None else "", old.get("doc_id"),
                oclaim.quote if oclaim is not None else "", oq)
    for r in f.get("by_claimant", []):
        who = Claimant.from_row(r)
        if (who, r.get("location")) in points:
            continue
        for doc, q in _row_quotes(r, f, quotes).items():
            add(who, r.get("location"), r.get("first_seen"), r.get("low"), r.get("high"), r.get("qualifier"),
                w.value(r.get("low"), r.get("high"), r.get("qualifier"), r.get("text_value", "")),
                r.get("text_value", ""), doc, quotes.items[q].text if q is not None else "", q)

    places = list(dict.fromkeys(loc for _, loc in points))
    places.sort(key=lambda loc: (loc is not None, loc or ""))
    out = []
    for loc in places:
        group = {who: stated for (who, place), stated in points.items() if place == loc}
        values = {v[1:] for stated in group.values() for v in stated}
        if len(values) < 2:   # everyone says the same, and nobody revised: nothing to picture
            continue
        series = [Series(_chart_name(who, numbers), w.claimant_type(who.type),
                         ordered([Point(**p) for p in stated.values()]))
                  for who, stated in sorted(group.items(), key=lambda kv: (
                      kv[0].unnamed, min((p["at"] or "") for p in kv[1].values()), kv[0].label))]
        best = f.get("best") if loc is None or len(places) == 1 else None
        out.append(Chart(w.figure_label(*key), series, best, loc))
    return out


def _chart_name(who: Claimant, numbers: dict[str, int]) -> str:
    """A claimant as its chart names it: an unnamed voice by its outlet or source ('Daily Wire', 'reports [2]')."""
    if who.unnamed and who.outlet:
        return who.outlet if who.name.lower() == "outlet" else f"{who.name} ({who.outlet})"
    if who.unnamed and who.doc_id in numbers:
        return f"{who.name} [{numbers[who.doc_id]}]"
    return who.label


def _spaced(toks: list[Tok]) -> list[Tok]:
    return [x for i, t in enumerate(toks) for x in ([T(" ")] if i else []) + [t]]


def _bound_quote(f: dict, v: int, quotes: Quotes) -> int | None:
    """The quote behind a reconciled bound: a claimant's figure with that number."""
    for r in f.get("by_claimant", []):
        if v in (r["low"], r["high"]):
            qs = _row_quotes(r, f, quotes)
            q = next((x for x in qs.values() if x is not None), None)
            if q is not None:
                return q
    return None


def _reading(f: dict, quotes: Quotes) -> list[Tok]:
    """sitrep's reconciled figure: 'best 10, range 10–84'."""
    low, best, high = f.get("low"), f.get("best"), f.get("high")
    if best is None and low is None and high is None:
        return [T("no number given")]
    out = []
    if best is not None:
        out += [T("best "), F(str(best), _bound_quote(f, best, quotes))]
    if low is not None and high is not None and low != high:
        out += [T(", range " if out else "range "), F(str(low), _bound_quote(f, low, quotes)), T("–"),
                F(str(high), _bound_quote(f, high, quotes))]
    return out


def _tolls(figures: list[Figure], s: dict, quotes: Quotes, numbers) -> list[list[Tok]]:
    """Who says what about the human toll: 'Security forces killed: 10 according to the military (ISPR); …'."""
    raw = {(f["predicate"], f["category"]): f for f in s.get("figures", [])}
    lines = []
    # official figures first, then independent ones, parties' claims about their enemies last
    party_last = ["military", "government", "police", "international", "ngo", "witnesses", "media", "unattributed",
                  "armed_group"]
    for fig in figures:
        f = raw[(fig.predicate, fig.category)]
        if fig.predicate not in w.SUMMARY_PREDICATES or len(lines) >= 7:
            continue
        rows = sorted(f.get("by_claimant", []), key=lambda r: (
            party_last.index(r["claimant_type"] if r["claimant_type"] in party_last else "unattributed"),
            r.get("first_seen") or ""))
        if all(r["low"] is None and r["high"] is None for r in rows):
            continue
        parts = []
        for r in rows[:4]:
            qs = _row_quotes(r, f, quotes)
            fig_tok = F(w.value(r["low"], r["high"], r["qualifier"], r.get("text_value", "")),
                        next((v for v in qs.values() if v is not None), None))
            name = _claimant(r, numbers, qs)
            where = [T(f" in {r['location']}")] if r.get("location") else []
            if r["claimant_type"] == "armed_group":
                parts.append(name + [T(f" {w.says(r['claimant_type'], fig.category)} "), fig_tok] + where)
            else:
                parts.append([fig_tok] + where + [T(" according to ")] + name)
        line = [T(f"{fig.label}: ")]
        for i, p in enumerate(parts):
            line += ([T("; ")] if i else []) + p
        if len(rows) > 4:
            line.append(T(f"; {len(rows) - 4} more in the table"))
        line += [T(". sitrep's reading: ")] + fig.reading + [T(".")]
        lines.append(line)
    return lines


def _cite(text: str, numbers: dict[str, int]) -> list[Tok]:
    """sitrep's own sentences name documents by id; the page cites them as [n]."""
    if not numbers or not text:
        return [T(text)] if text else []
    pattern = re.compile("|".join(re.escape(d) for d in sorted(numbers, key=len, reverse=True)))
    out, last = [], 0
    for m in pattern.finditer(text):
        out += [T(text[last:m.start()]), R(numbers[m.group()])]
        last = m.end()
    return [t for t in out + [T(text[last:])] if t.text]


def _contradictions(s: dict, figures: list[Figure], quotes: Quotes, numbers) -> list[tuple[str, list[Tok]]]:
    out, grouped = [], defaultdict(set)
    by_key = {f"{f.predicate} {f.category}".replace("_", " "): f for f in figures}
    raw = {(f["predicate"], f["category"]): f for f in s.get("figures", [])}
    for c in s.get("contradictions", []):
        label = f"{c.get('predicate')} {c.get('category')}".replace("_", " ")
        if c.get("kind") == "figures" and label in by_key:
            grouped[label] |= {Claimant.from_row(x) for x in c.get("claimants") or []}
            continue
        toks = {"weekday": _weekday, "date": _date}.get(c.get("kind"), lambda *a: None)(c, quotes, numbers)
        if toks:
            out.append((c["kind"], toks))
            continue
        detail = (c.get("detail") or "").strip()
        detail = detail[:1].upper() + detail[1:] + ("" if detail.endswith(".") else ".")
        out.append((c.get("kind") or "other", _cite(detail, numbers)))
    figs = []
    for fig in figures:  # in the figures' order: the human toll first
        names = grouped.get(f"{fig.predicate} {fig.category}".replace("_", " "))
        if not names:
            continue
        f = raw[(fig.predicate, fig.category)]
        parts = []
        for r in sorted((r for r in f["by_claimant"] if Claimant.from_row(r) in names),
                        key=lambda r: (w.interval(r["low"], r["high"], r["qualifier"]) or (0,))[0]):
            qs = _row_quotes(r, f, quotes)
            parts.append([F(w.value(r["low"], r["high"], r["qualifier"], r.get("text_value", "")),
                            next((v for v in qs.values() if v is not None), None)), T(" (")]
                         + _claimant(r, numbers, qs) + [T(")")])
        toks = [T(f"{fig.label}: ")]
        for i, p in enumerate(parts):
            toks += ([T(", " if i < len(parts) - 1 else " and ")] if i else []) + p
        toks.append(T(" do not overlap."))
        figs.append(("figures", toks))
    return figs + out


def _weekday(c: dict, quotes: Quotes, numbers) -> list[Tok] | None:
    """"[2] gives the day as Friday, but 31 January 2026 was a Saturday", from the record's fields."""
    doc = (c.get("doc_ids") or [None])[0]
    if doc not in numbers or not (c.get("written") and c.get("date") and c.get("weekday")):
        return None
    return [R(numbers[doc], quotes.wording(doc, c.get("wording") or "")),
            T(f" gives the day as {c['written']}, but {w.day(c['date'])} was a {c['weekday']}.")]


def _date(c: dict, quotes: Quotes, numbers) -> list[Tok] | None:
    """"[4] dates the incident 5 October 2024 and 3 October 2024; [1] and [3] report 3 October 2024"."""
    dates = [x for x in c.get("dates") or [] if x.get("doc_id") in numbers]
    if not dates:
        return None
    doc = dates[0]["doc_id"]
    own = [x for x in dates if x["doc_id"] == doc]
    toks = [R(numbers[doc]), T(" dates the incident ")]
    for i, x in enumerate(own):
        toks += ([T(" and ")] if i else []) + [F(w.day(x["date"]), quotes.wording(doc, x.get("wording") or ""))]
    others = [x for x in dates if x["doc_id"] != doc]
    if others:
        toks.append(T("; "))
        for i, x in enumerate(others):
            toks += ([T(", " if i < len(others) - 1 else " and ")] if i else []) + [R(numbers[x["doc_id"]])]
        toks.append(T(f" {'report' if len(others) > 1 else 'reports'} it on {w.day(others[0]['date'])}"))
    toks.append(T("."))
    return toks


def _timeline(s: dict, events: list[dict], quotes: Quotes, numbers) -> list[Entry]:
    """Events by day, then each claimant's figures as they were published; revisions marked."""
    out = []
    days: dict[str, list[dict]] = defaultdict(list)
    for e in events:
        days[e.get("event_date") or ""].append(e)
    for d, evs in days.items():
        kinds: dict[str, list[str]] = defaultdict(list)
        for e in evs:
            kinds[w.event_kind(e.get("sub_event_type", ""))].append(e.get("location") or "an unnamed place")
        out.append(Entry(d or None, "event", [T("Events: " + "; ".join(f"{k} in {w.listing(sorted(set(v)))}"
                                                                          for k, v in kinds.items()) + ".")]))
    for t in s.get("timeline", []):
        q = quotes.find(t["doc_id"], t.get("quote", ""), t["predicate"], t["category"])
        val = F(_said(t, quotes, q), q)
        name = _claimant(t | {"doc_ids": [t["doc_id"]]}, numbers, {t["doc_id"]: q})
        label = w.figure_label(t["predicate"], t["category"])
        label = label[:1].lower() + label[1:]
        where = f" in {t['location']}" if t.get("location") else ""
        cite = [T(" "), R(numbers[t["doc_id"]], q)] if t["doc_id"] in numbers and len(name) == 1 else []
        old = t.get("supersedes")
        if old:
            oq = quotes.matching(old.get("doc_id"), t["predicate"], t["category"], old.get("low"), old.get("high"))
            before = F(_said(old, quotes, oq), oq)
            oref = [T(" "), R(numbers[old["doc_id"]], oq)] if old.get("doc_id") in numbers else []
            toks = name + [T(f" revised {label}{where} from "), before] + oref + [T(" to "), val] + cite + [T(".")]
            out.append(Entry(t.get("at"), "revision", _capital(toks)))
        else:
            out.append(Entry(t.get("at"), "claim", _capital(name + [T(f": {label}{where} "), val] + cite + [T(".")])))
    return sorted(out, key=lambda e: (e.at is None, e.at or "", {"event": 0, "claim": 1, "revision": 2}[e.kind]))


def _said(figure: dict, quotes: Quotes, q: int | None) -> str:
    """A timeline figure in words; its claim knows the qualifier and vague word the entry may lack."""
    claim = quotes.items[q].claim if q is not None else None
    if claim is not None and (claim.low, claim.high) == (figure.get("low"), figure.get("high")):
        return w.value(claim.low, claim.high, claim.qualifier, claim.text_value)
    qualifier = figure.get("qualifier") or ("at_least" if figure.get("high") is None and figure.get("low") is not None
                                            else "exact")
    return w.value(figure.get("low"), figure.get("high"), qualifier)


def _capital(toks: list[Tok]) -> list[Tok]:
    if toks and toks[0].kind == "text":
        toks[0] = T(toks[0].text[:1].upper() + toks[0].text[1:])
    return toks


def _marker(e: dict, quotes: Quotes, numbers) -> dict:
    """One map marker; the popup's fatalities link to the quotes behind them."""
    qs = [q for text in e.get("claim_quotes") or [] for d in e.get("doc_ids", [])
          if (q := quotes.find(d, text)) is not None]
    return {"lat": float(e["latitude"]), "lon": float(e["longitude"]), "place": e.get("location") or "",
            "admin1": e.get("admin1") or "", "date": e.get("event_date") or "",
            "kind": " · ".join(x for x in (e.get("event_type"), e.get("sub_event_type")) if x),
            "actors": " vs ".join(x for x in (e.get("actor1"), e.get("actor2")) if x),
            "fatalities": e.get("fatalities"), "q": qs[0] if qs else None,
            "qn": quotes.items[qs[0]].n if qs else None,
            "sources": [numbers[d] for d in e.get("doc_ids", []) if d in numbers], "id": e.get("event_id_cnty", "")}
