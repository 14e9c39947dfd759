"""Fusion: documents' claims and mentions in, stories (SPEC §5) and events (SPEC §4) out.

>>> stories, events = fuse(doc_infos)    # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter

from ..nlp.actors import actor_by_id
from ..nlp.dates import find_dates
from .docs import DocInfo, crowd_kind
from .events import add_copies, build_events, copies_by_original, country_row, main_group, number_events
from .reconcile import conservative_total, disagreements, figures, sum_checks
from .stories import Embedder, Story, cluster


def fuse(docs: list[DocInfo], embed: Embedder | None = None, copies: dict[str, str] | None = None
         ) -> tuple[list[dict], list[dict]]:
    """Cluster *docs* into stories, reconcile each story's figures, and build its events."""
    copies = copies or {}
    of = copies_by_original(copies)
    stories, events = [], []
    for story in cluster(docs, embed):
        s, evs = build_story(story, copies, of)
        stories.append(s)
        events += evs
    add_copies(events, copies, of)   # an event's near-copies report it too
    number_events(events, stories)   # ACLED-style ids, sequential per country over the whole run
    stories.sort(key=lambda s: (s["date_start"] or "", s["id"]))
    return stories, events


def story_id(docs: list[DocInfo]) -> str:
    first = min(docs, key=lambda d: (d.published or dt.date.max, d.doc_id))
    return "story-" + hashlib.sha1(first.doc_id.encode()).hexdigest()[:10]


def build_story(story: Story, copies: dict[str, str], of: dict[str, list[str]] | None = None
                ) -> tuple[dict, list[dict]]:
    """The story record of one cluster and its events (numbered within the story only: fusion gives
    them their lasting ids). *of* is ``copies_by_original(copies)``, when the caller has it already."""
    docs = story.docs
    sid = story_id(docs)
    dated = [d.event_date for d in docs if d.event_date and d.date_precision == 1] or \
            [d.event_date for d in docs if d.event_date]
    date_start = min(dated) if dated else None
    date_end = max(dated) if dated else None
    source_of = {d.doc_id: d.source for d in docs}  # the outlet whose unnamed voice a claim is, if known
    when_of = {d.doc_id: (d.published or d.event_date).isoformat() if (d.published or d.event_date) else None
               for d in docs}
    claims = [c for d in docs for c in d.claims]
    figs, timeline = figures(claims, source_of.get, when_of.get)
    operations = list(dict.fromkeys(a for d in docs for a in d.aliases))
    aliases = operations + episode_aliases(docs, operations)
    group = main_group(docs)
    total = conservative_total(figs)
    evs = build_events(sid, docs, figs, date_start, operations)
    for e in evs:  # each event's own figures: the claims limited to its town
        here = [c for c in claims if c.location == e["location"]]
        e["figures"] = figures(here, source_of.get, when_of.get)[0] if here else []
    doc_ids = sorted(d.doc_id for d in docs)
    of = copies_by_original(copies) if of is None else of
    near = sorted(c for d in doc_ids for c in of.get(d, ()) if copies[c] == d)  # copies of its documents
    story = {
        "id": sid,
        "title": title(group, docs, operations, date_start, Counter(e["event_type"] for e in evs).most_common(1)),
        "date_start": date_start.isoformat() if date_start else None,
        "date_end": date_end.isoformat() if date_end else None,
        "doc_ids": sorted(doc_ids + near),
        "copies": {c: copies[c] for c in near},
        "aliases": aliases,
        "actors": actors(docs),
        "places": places(docs),
        "figures": figs,
        "fatalities": total,
        "contradictions": ranked(disagreements(figs) + sum_checks(figs) + date_disagreements(docs)
                                 + weekday_errors(docs, date_start) + place_gaps(docs)),
        "timeline": timeline,
        "event_ids": [e["event_id_cnty"] for e in evs],
    }
    return story, evs


def episode_aliases(docs: list[DocInfo], taken: list[str] = ()) -> list[str]:
    """Names of the episode that two or more of its texts use ("Finance Bill", "Finance Bill protests"),
    most used first; never a name of a place or armed group already listed, nor one of *taken*."""
    used = Counter(n for d in docs for n in dict.fromkeys(d.names))
    known = {s.lower() for d in docs for t in d.towns.values() for s in t.surfaces | {t.name}}
    known |= {a[k].lower() for d in docs for a in d.groups + d.forces for k in ("name", "surface") if a.get(k)}
    known |= {t.lower() for t in taken}
    return [n for n, k in sorted(used.items(), key=lambda x: -x[1]) if k >= 2 and n.lower() not in known]


_DISORDER = {"Protests": "protests", "Riots": "riots"}  # what a story of demonstrations is called


def title(group: dict | None, docs: list[DocInfo], aliases: list[str], day: dt.date | None,
          kind: list[tuple[str, int]] = ()) -> str:
    who = (group["short"] or group["name"]) if group else "Armed violence"
    regions = Counter(t.admin1 for d in docs for t in d.towns.values() if t.violent and t.admin1)
    where = regions.most_common(1)[0][0] if regions else (country_row(docs[0].country or "")["country"] or "")
    towns = {t.id for d in docs for t in d.towns.values() if t.violent}
    main = main_place(docs)
    if main is not None:  # one place: named as the articles write it ("Saada", not the gazetteer's "Şāʻdah")
        spelled = Counter(s for d in docs for t in d.towns.values() if t.id == main and t.violent for s in t.surfaces)
        town = spelled.most_common(1)[0][0] if spelled else ""
        where = f"{town}, {where}" if town and where and town.lower() != where.lower() else town or where
    what = f"{who} attack in {where}" if main is not None or len(towns) < 2 else \
        f"{who} attacks across {len(towns)} places in {where}"
    if kind and kind[0][0] in _DISORDER:
        what = f"{_DISORDER[kind[0][0]].capitalize()} in {where}" if not group else f"{who}: {_DISORDER[kind[0][0]]} in {where}"
    name = f"{aliases[0]}: " if aliases else ""
    return f"{name}{what}" + (f", {day.strftime('%-d %B %Y')}" if day else "")


def main_place(docs: list[DocInfo]) -> str | None:
    """The id of the place of violence a story's title names, or None for a story of several places.

    That is its only place of violence, else the one that at least two of its documents, and
    twice as many as name any other, name as a place of violence: "the village of X" that every
    report names, beside the town one report recalls an earlier attack in. Towns and places no
    gazetteer knows count alike, so a village is named rather than its district.
    """
    named = Counter(t for d in docs for t in {t.id for t in d.towns.values() if t.violent})
    if len(named) == 1:
        return next(iter(named))
    ranked = named.most_common(2)
    if ranked and ranked[0][1] >= 2 and ranked[0][1] >= 2 * ranked[1][1]:
        return ranked[0][0]
    return None


def actors(docs: list[DocInfo]) -> list[dict]:
    """Armed groups and state forces named in the story, with the aliases and units seen.

    A state's forces acting outside their own country are ACLED's external forces (inter 8).
    """
    out: dict[str, dict] = {}
    home = Counter(d.country for d in docs if d.country).most_common(1)
    home = home[0][0] if home else None
    for d in docs:
        for a in d.groups + d.forces:
            row = out.get(a["id"])
            if row is None:
                try:
                    entry = actor_by_id(a["id"])
                except KeyError:
                    entry = {}
                row = out[a["id"]] = {"name": entry.get("name", a["name"]), "aliases": [], "inter": a["inter"],
                                      "units": [], "mentions": 0}
                short = entry.get("short")
                if short and short != row["name"]:
                    row["aliases"].append(short)
                if a["inter"] == 1 and a.get("country"):
                    row["name"] = a["name"]
                    if home and a["country"] != home:
                        row["inter"] = 8
            row["mentions"] += 1
            if a.get("surface") and a["surface"] not in row["aliases"] and a["surface"] != row["name"]:
                row["aliases"].append(a["surface"])
            if a.get("unit") and a["unit"] not in row["units"]:
                row["units"].append(a["unit"])
    for d in docs:  # crowds are named by their country, as ACLED does: "Protesters (Kenya)"
        for kind, words in d.crowds.items():
            country = country_row(home or "")["country"]
            name = f"{kind} ({country})" if country else kind
            row = out.setdefault(f"crowd:{kind}", {"name": name, "aliases": [], "inter": crowd_kind(kind)["inter"],
                                                  "units": [], "mentions": 0})
            row["mentions"] += 1
            row["aliases"] += [w for w in words if w not in row["aliases"]]
    return sorted(out.values(), key=lambda r: (r["inter"] == 1, -r["mentions"], r["name"]))


def places(docs: list[DocInfo]) -> list[dict]:
    """The towns where the story's violence took place, with every spelling seen and who named them."""
    out: dict[str, dict] = {}
    precision: dict[str, int] = {}
    for d in docs:
        located = {c.location for c in d.claims if c.location and c.event_scope == "main"}
        own = [d.place] if d.place is not None and not d.place.id.startswith("country:") else []
        for t in list(d.towns.values()) + own:
            if not (t.violent or t.name in located):
                continue  # a town merely mentioned; one with a figure of its own ("Kisumu had 2 deaths") counts
            row = out.get(t.id)
            if row is None:
                row = out[t.id] = {"name": t.name, "geonameid": t.geonameid, "latitude": t.latitude,
                                   "longitude": t.longitude, "admin1": t.admin1, "admin2": t.admin2,
                                   "country": t.country, "variants": [], "doc_ids": []}
                precision[t.id] = t.precision
            elif t.precision < precision[t.id]:  # a place no gazetteer knows: where the most precise report puts it
                precision[t.id] = t.precision
                row.update(latitude=t.latitude, longitude=t.longitude, admin1=t.admin1, admin2=t.admin2)
            for s in sorted(t.surfaces):
                if s != t.name and s not in row["variants"]:
                    row["variants"].append(s)
            row["doc_ids"].append(d.doc_id)
    return sorted(out.values(), key=lambda r: (-len(r["doc_ids"]), r["name"]))


# How much each kind of disagreement weighs before its own size: which day or places the
# incident had is about what happened; a weekday written with the wrong date is a slip of the pen.
KIND_WEIGHT = {"date": 1.0, "places": 0.8, "figures": 0.6, "sum": 0.5, "weekday": 0.3}


def ranked(records: list[dict]) -> list[dict]:
    """Contradictions without repeats, the weightiest first: by kind, then the widest gaps between figures."""
    seen, out = set(), []
    for r in records:
        key = (r["kind"], tuple(r.get("doc_ids", ())), r.get("detail"))
        if key not in seen:
            seen.add(key)
            out.append(r)
    return sorted(out, key=lambda r: (-KIND_WEIGHT.get(r["kind"], 0.5), -(r.get("gap") or 0)))


def weekday_errors(docs: list[DocInfo], day: dt.date | None) -> list[dict]:
    """Weekdays that do not match the date they are written with ("Friday, January 31" in 2026)."""
    out = []
    for d in docs:
        notes = list(d.weekday_notes)
        if not d.published and day is not None:  # an undated text: read its dates in the story's year
            notes += [(m.text, m.date, m.weekday) for m in find_dates(d.text, day) if m.weekday_mismatch]
        for wording, date, written in dict.fromkeys(notes):
            out.append({"kind": "weekday", "detail": f"{d.doc_id} writes '{wording}', but that weekday does not "
                                                     f"match the date" + (f" in {date.year}" if date else ""),
                        "doc_ids": [d.doc_id], "wording": wording, "written": written,
                        "date": date.isoformat() if date else None, "weekday": date.strftime("%A") if date else None})
    return out


def date_disagreements(docs: list[DocInfo]) -> list[dict]:
    """Texts that give the incident a day other texts (or the text itself, elsewhere) do not.

    A text's days are those it names its incident with ("the October 3rd rampage", "the attack on
    Saturday"); the agreed day is the one most texts report the act on, when one day leads.
    """
    days = Counter(d.event_date for d in docs if d.event_date and d.date_precision == 1).most_common(2)
    agreed = days[0][0] if days and (len(days) == 1 or days[0][1] > days[1][1]) else None
    out = []
    for d in docs:
        own = list(dict.fromkeys(day for day, _ in d.incident_days))
        if not own or (len(own) == 1 and own[0] == agreed) or (len(own) == 1 and agreed is None):
            continue
        dates = [{"doc_id": d.doc_id, "date": day.isoformat(), "wording": wording}
                 for day, wording in dict.fromkeys(d.incident_days)]
        others = sorted(x.doc_id for x in docs if x is not d and agreed and x.event_date == agreed
                        and x.date_precision == 1)
        if len(own) == 1 and not others:
            continue
        said = " and ".join(f"{_day(dt.date.fromisoformat(x['date']))} ('{x['wording']}')" for x in dates)
        detail = f"{d.doc_id} dates the incident {said}"
        if others:
            detail += f"; {', '.join(others)} report it on {_day(agreed)}"
            dates += [{"doc_id": o, "date": agreed.isoformat(), "wording": None} for o in others]
        out.append({"kind": "date", "detail": detail, "doc_ids": [d.doc_id] + others, "dates": dates,
                    "agreed": agreed.isoformat() if agreed else None})
    return out


def _day(day: dt.date) -> str:
    return day.strftime("%-d %B %Y")


def place_gaps(docs: list[DocInfo]) -> list[dict]:
    """Towns some sources name as attacked that other sources listing attacked towns leave out."""
    listing = [d for d in docs if sum(t.violent for t in d.towns.values()) >= 3]
    if len(listing) < 2:
        return []
    named = Counter(t.name for d in listing for t in d.towns.values() if t.violent)
    few = sorted(n for n, k in named.items() if k < len(listing))
    if not few:
        return []
    by = [d.doc_id for d in listing if any(t.name in few and t.violent for t in d.towns.values())]
    return [{"kind": "places", "detail": f"only some sources name {', '.join(few)} among the places attacked",
             "doc_ids": by}]
