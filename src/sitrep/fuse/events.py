"""Events: one per place, day and kind of action, as ACLED codes them (SPEC §4).

Each document names towns in sentences about violence; the words around a
town decide the kind of event (``data/event_types.json``, first match wins).
The same town, day and kind from several documents is one event. Fatalities
follow ACLED: figures limited to the town first; a story total that no source
splits by place is divided evenly across the story's events.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import lru_cache

import pycountry

from .. import data
from ..nlp.actors import actor_by_id
from .claimant import Claimant
from .docs import DocInfo, Town, lies_in
from .reconcile import conservative_total, figures

EVENT_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
    "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision",
    "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
]
# Perpetrators a report does not name: with them in the sentences, a state force named is not the attacker.
_UNNAMED_ATTACKERS = re.compile(r"\b(gunmen|militants?|terrorists?|attackers|assailants|insurgents|bandits|"
                                r"unidentified|unknown|armed men|militiam[ae]n|militias?|rebels?|jihadists?)\b",
                                re.IGNORECASE)
_POLICE = re.compile(r"\b(police\w*|constables?|CTD|counter-terrorism|levies)\b", re.IGNORECASE)


@dataclass
class Kind:
    sub_event_type: str
    event_type: str
    disorder_type: str
    target: str
    cues: re.Pattern   # any of the kind's cue patterns (event_types.json), as one alternation


@lru_cache(maxsize=1)
def kinds() -> tuple[Kind, ...]:
    raw = data.load_json("event_types.json")["types"]
    # One search per kind instead of one per cue: a sentence holds one of the cues exactly when it
    # holds their alternation.
    return tuple(Kind(t["sub_event_type"], t["event_type"], t["disorder_type"], t["target"],
                      re.compile("|".join(f"(?:{c})" for c in t["cues"]) or r"(?!)", re.IGNORECASE)) for t in raw)


@lru_cache(maxsize=1 << 15)   # each place's sentences are classified again for each vote
def classify_one(sentence: str) -> Kind | None:
    """The first kind (in data-file order) whose cues occur in the sentence."""
    return next((k for k in kinds() if k.cues.search(sentence)), None)


def _decisive(sentences: list[str]) -> Kind | None:
    """The kind one document's sentences about a place clearly say, or None when they say none."""
    votes = Counter(k.sub_event_type for k in map(classify_one, sentences) if k is not None)
    return classify(sentences) if votes else None


def classify(sentences: list[str]) -> Kind:
    """The kind most sentences about a place describe (ties: data-file order); armed clash by default.

    Every source's sentences vote, so one line about abductions in nearby
    villages does not turn a battle for a base into an abduction.
    """
    order = {k.sub_event_type: i for i, k in enumerate(kinds())}
    votes = Counter(k.sub_event_type for k in map(classify_one, sentences) if k is not None)
    if not votes:
        return next(k for k in kinds() if k.sub_event_type == "Armed clash")
    best = min(votes, key=lambda name: (-votes[name], order[name]))
    return next(k for k in kinds() if k.sub_event_type == best)


@lru_cache(maxsize=64)
def regions() -> dict[str, str]:
    raw = data.load_json("regions.json")
    return {code: region for region, codes in raw.items() if not region.startswith("_") for code in codes}


def country_row(iso2: str) -> dict:
    c = pycountry.countries.get(alpha_2=iso2) if iso2 else None
    return {"iso": int(c.numeric) if c else "", "country": getattr(c, "common_name", None) or (c.name if c else ""),
            "alpha3": c.alpha_3 if c else "XXX", "region": regions().get(iso2, "Other")}


@dataclass
class Event:
    town: Town
    date: dt.date | None
    precision: int
    kind: Kind
    docs: list[DocInfo] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)
    located_deaths: int = 0
    located_quotes: list[str] = field(default_factory=list)


def build_events(story_id: str, docs: list[DocInfo], figs: list[dict], story_date: dt.date | None,
                 aliases: list[str]) -> list[dict]:
    """ACLED rows (as dicts, with SPEC's extra keys) for one story.

    One event per place, day and kind: a document that gives its own day puts
    its places on that day, one that does not on the latest of the story's days
    it was published on or after (else the story's first day, or its publication
    day when that is two or more days later). Each
    document's sentences about a place say what happened there; documents
    that say the same, or nothing decisive, are one event, whose kind all of
    them vote (so follow-up reports do not split one event in two); two
    different acts at one place and day are two events. Fatalities come from
    the claims of the documents that report the event's day.
    """
    places: dict[tuple, list[tuple[DocInfo, Town]]] = {}
    areas: list[tuple[DocInfo, dt.date | None]] = []
    precision = min((d.date_precision for d in docs if d.event_date), default=3)
    dated = sorted({d.event_date for d in docs if d.event_date and d.date_precision == 1})
    days = {}
    for doc in docs:
        if doc.event_date and doc.date_precision == 1:
            day, prec = doc.event_date, 1
        else:  # no day of its own: the story's latest day it can report (published that day or after),
            # else the story's first day when it was published by the next day, else its own day
            day = next((d for d in reversed(dated) if doc.published and d <= doc.published), None)
            if day is not None:
                prec = 1
            elif doc.published and story_date and (doc.published - story_date).days > 1:
                day, prec = doc.published, 2
            else:
                day, prec = story_date, precision
        days[(day, doc.doc_id)] = prec
        for town in doc.towns.values():
            if town.violent:
                places.setdefault((town.id, day), []).append((doc, town))
        if doc.place is not None and doc.place.violent:
            areas.append((doc, day))
    for doc, day in areas:  # a report that places its act only in a district, region or country
        home = _town_within(doc.place, [(k, v) for k, v in places.items() if k[1] == day])
        if home is None:
            places.setdefault((doc.place.id, day), []).append((doc, doc.place))
        else:  # ... tells the act the story's reports place in a town of that area
            places[home].append((doc, replace(places[home][0][1], sentences=doc.place.sentences)))
    events: list[Event] = []
    for (_, day), reports in places.items():
        # One event per place, day and sub-event type the reports' sentences decide; a report calling the
        # act an attack or a clash joins one that names it otherwise when they tell the same act.
        by_kind: dict[str | None, list[tuple[DocInfo, Town]]] = {}
        for doc, town in reports:
            own = _decisive(town.sentences)
            by_kind.setdefault(own.sub_event_type if own else None, []).append((doc, town))
        undecided = by_kind.pop(None, [])
        _absorb_generic(by_kind)
        groups = list(by_kind.values()) or [undecided]
        if by_kind:
            max(groups, key=len).extend(undecided)
        for group in groups:
            # The most precise report places it: "the village of X near Y town" over "X" in a province.
            town = min((t for _, t in group), key=lambda t: t.precision)
            ev = Event(town, day, min(days[(day, d.doc_id)] for d, _ in group), None)
            for doc, town in group:
                ev.docs.append(doc)
                ev.sentences += town.sentences
            ev.kind = classify(ev.sentences)
            events.append(ev)
    ordered = sorted(events, key=lambda e: (-len(e.docs), e.town.name, e.date or dt.date.min))
    _place_fatalities(ordered)
    group = main_group(docs)
    rows = [_row(story_id, e, main_group(e.docs) or group, figs, aliases, len(ordered)) for e in ordered]
    number_events(rows)  # unique within the story; fuse() numbers every story's events together
    return rows


def _alpha3(e: dict) -> str:
    """The ISO alpha-3 code of an event row's country (its numeric ``iso``), XXX when unknown."""
    return _alpha3_of(str(e.get("iso", "")))


@lru_cache(maxsize=512)
def _alpha3_of(iso: str) -> str:
    c = pycountry.countries.get(numeric=f"{int(iso):03d}") if iso.isdigit() else None
    return c.alpha_3 if c else "XXX"


def _id_order(e: dict) -> tuple:
    """The order events are numbered in: day (undated last), place, sub-event type, then a tiebreak."""
    day = e.get("event_date") or ""
    return (day == "", day, str(e.get("location") or ""), str(e.get("sub_event_type") or ""),
            str(e.get("admin1") or ""), str(e.get("admin2") or ""), str(e.get("latitude")),
            str(e.get("longitude")), str(e.get("story_id") or ""), str(e.get("actor1") or ""))


def number_events(events: list[dict], stories: list[dict] | None = None, start: dict[str, int] | None = None) -> None:
    """Give each event ACLED's ``event_id_cnty``: its country's alpha-3 code and a running number.

    Numbers run from 1 per country in a stable order (day, place, sub-event type, then story and
    coordinates as tiebreak), so every id in a run is unique and the same inputs give the same ids.
    This is how a new store numbers its events; a store that has ids keeps them (`give_ids`).
    *stories*' ``event_ids`` are rewritten to match, in the order they listed their events.
    *start* gives, by ACLED country name, how many events of that country come before these.
    """
    counters: Counter = Counter()
    for e in events:
        counters.setdefault(_alpha3(e), (start or {}).get(e.get("country") or None, 0))
    for e in sorted(events, key=_id_order):
        prefix = _alpha3(e)
        counters[prefix] += 1
        e["event_id_cnty"] = f"{prefix}{counters[prefix]}"
    if stories is not None:
        ids: dict[str, list[str]] = {}
        for e in events:
            ids.setdefault(e["story_id"], []).append(e["event_id_cnty"])
        for s in stories:
            s["event_ids"] = ids.get(s["id"], [])


def event_key(e: dict) -> str:
    """What an event is, for keeping its id: its story, day, place (name and coordinates) and sub-event
    type. `story_event_keys` tells apart two events of one story that share all of these."""
    return "|".join(str(e.get(k) if e.get(k) is not None else "") for k in
                    ("story_id", "event_date", "location", "latitude", "longitude", "sub_event_type"))


def story_event_keys(events: list[dict]) -> list[str]:
    """The identity of each of one story's *events* (in the order given), under which its id is kept
    from run to run: `event_key`, and for the second and later events sharing one (rare: two acts of
    one kind at one place and day), their ordinal in id order. A hash, so that the store's column is short.
    """
    keys = [event_key(e) for e in events]
    out = [""] * len(events)
    seen: Counter = Counter()
    for i in sorted(range(len(events)), key=lambda i: _id_order(events[i])):
        seen[keys[i]] += 1
        base = keys[i] if seen[keys[i]] == 1 else f"{keys[i]}#{seen[keys[i]]}"
        out[i] = hashlib.sha1(base.encode("utf-8", "surrogatepass")).hexdigest()
    return out


def id_number(event_id: str) -> tuple[str, int] | None:
    """The country code and running number of an ACLED-style id ("PAK12" -> ("PAK", 12)), or None."""
    m = _ID.fullmatch(event_id or "")
    return (m.group(1), int(m.group(2))) if m else None


_ID = re.compile(r"(\D+)(\d+)")


def give_ids(events: list[dict], known: dict[str, str], last: dict[str, int], keys: list[str]) -> dict[str, str]:
    """Give *events* their ``event_id_cnty``: an event whose key (*keys*, in step with *events*) is *known*
    keeps the id it had; the others get the next unused numbers of their countries (*last*: the highest
    number each country code has used, updated here), in id order (`number_events`' order).
    Returns the new ids given, id -> key."""
    new: dict[str, str] = {}
    fresh = []
    for e, key in zip(events, keys):
        if key in known:
            e["event_id_cnty"] = known[key]
        else:
            fresh.append((e, key))
    for e, key in sorted(fresh, key=lambda ek: _id_order(ek[0])):
        prefix = _alpha3(e)
        last[prefix] = last.get(prefix, 0) + 1
        e["event_id_cnty"] = f"{prefix}{last[prefix]}"
        new[e["event_id_cnty"]] = key
    return new


def original_of(doc_id: str, copies: dict[str, str]) -> str:
    """The document *doc_id* is a near-copy of (following chains of copies), or itself."""
    seen = {doc_id}
    while doc_id in copies and copies[doc_id] not in seen:
        doc_id = copies[doc_id]
        seen.add(doc_id)
    return doc_id


def copies_by_original(copies: dict[str, str]) -> dict[str, list[str]]:
    """The near-copies of each original (following chains of copies), in the order *copies* lists them."""
    of: dict[str, list[str]] = {}
    for copy in copies:
        of.setdefault(original_of(copy, copies), []).append(copy)
    return of


def add_copies(events: list[dict], copies: dict[str, str], of: dict[str, list[str]] | None = None) -> None:
    """Every document that reports an event: its ``doc_ids`` gain the near-copies of the ones listed
    (and, for a listed copy, its original and the other copies of it).

    Near-copies are not extracted (their figures are their original's), so fusion only sees the
    originals; the copies still report the event and are listed with them. *of* is
    `copies_by_original(copies)`, when the caller has it already.
    """
    if not copies:
        return
    of = copies_by_original(copies) if of is None else of
    for e in events:
        roots = {original_of(d, copies) for d in e["doc_ids"]}
        e["doc_ids"] = sorted(set(e["doc_ids"]) | {c for r in roots if r in of for c in (r, *of[r])})


def main_group(docs: list[DocInfo], role: str | None = None) -> dict | None:
    """The armed group the documents name most (with *role*, most as doing, "agent", or suffering,
    "patient", an act): the perpetrator in ACLED's actor1."""
    counts = Counter(g["id"] for d in docs for g in d.groups if role is None or g.get("role") == role)
    if not counts:
        return None
    gid = counts.most_common(1)[0][0]
    try:
        entry = actor_by_id(gid)
    except KeyError:
        entry = {}
    sample = next(g for d in docs for g in d.groups if g["id"] == gid)
    name = entry.get("name", sample["name"])
    short = entry.get("short")
    label = f"{short}: {name}" if short and short != name and short.isupper() else name
    return {"id": gid, "label": label, "inter": entry.get("inter", sample["inter"]), "name": name, "short": short}


GENERIC = ("Attack", "Armed clash")  # what a report says when its words name no more specific act


def _absorb_generic(by_kind: dict[str, list]) -> None:
    """Reports of one place and day that call the violence an attack or a clash, beside reports that name
    its means (an air strike, a bomb) or call it the other generic name, tell one act when they give a
    figure in common (or one of them gives none): the generic group joins the most reported such group
    of the same kind of disorder. Reports with no figure in common tell different acts."""
    kind = {k.sub_event_type: k for k in kinds()}
    for g in [g for g in GENERIC if g in by_kind]:
        others = [s for s in by_kind if s != g and kind[s].disorder_type == "Political violence"
                  and _same_act(by_kind[g], by_kind[s])]
        if others:
            by_kind[max(others, key=lambda s: (s not in GENERIC, len(by_kind[s])))].extend(by_kind.pop(g))


def _figures_of(reports: list) -> set[tuple]:
    return {(c.predicate, c.low) for d, _ in reports for c in d.claims
            if c.event_scope == "main" and c.low is not None and c.predicate in ("killed", "injured")}


def _same_act(a: list, b: list) -> bool:
    fa, fb = _figures_of(a), _figures_of(b)
    return not fa or not fb or bool(fa & fb)


def _town_within(area: Town, reports: list[tuple[tuple, list]]) -> tuple | None:
    """The key of the most reported town of *reports* that lies in *area* (a district, region or
    country, geo_precision 2 or more), or None."""
    if area.precision < 2:
        return None

    held = [(key, docs) for key, docs in reports
            if docs[0][1].precision < area.precision and lies_in(docs[0][1], area)]
    return max(held, key=lambda kv: len(kv[1]))[0] if held else None


def _place_fatalities(events: list[Event]) -> None:
    """Each event's fatalities by ACLED's rule, from the claims of the documents that report its day.

    A figure limited to the event's town is its own, and so are the unlimited
    figures of a document that names no other place of that day's events (a
    short report about one town), or whose lead tells its violence at one of
    them. A document that names several gives totals
    over them: pooled, and split evenly only when none of the places has a
    figure of its own (a known place's toll is not padded). The most
    conservative credible figure wins (`conservative_total`).
    """
    for day in {e.date for e in events}:
        todays = [e for e in events if e.date == day]
        places = {e.town.id for e in todays}  # one town may hold two events (two acts): a report goes to its own
        own: dict[int, list] = {id(e): [] for e in todays}
        pooled = []
        for d in {d.doc_id: d for e in todays for d in e.docs}.values():
            named = (set(d.towns) & places) | {e.town.id for e in todays if any(x is d for x in e.docs)}
            main = d.main_places() & places
            if len(named) > 1 and len(main) == 1:
                named = main  # other towns named on the way ("a bus from X", "taken to Y"): its own is its lead's
            only = next((e for e in todays if named == {e.town.id} and any(x is d for x in e.docs)), None)
            for c in d.claims:
                if c.event_scope != "main":
                    continue
                if c.location is None:
                    (own[id(only)] if only is not None else pooled).append(c)
                else:
                    for e in todays:
                        if c.location == e.town.name and any(x is d for x in e.docs):
                            own[id(e)].append(c)
        for ev in todays:
            mine = own[id(ev)]
            ev.located_deaths = conservative_total(figures(mine)[0]) if mine else 0
            ev.located_quotes = [c.quote for c in mine if c.predicate == "killed"]
        if pooled and not any(e.located_deaths for e in todays):
            share, extra = divmod(conservative_total(figures(pooled)[0]), len(todays))
            for i, ev in enumerate(todays):
                ev.located_deaths = share + (1 if i < extra else 0)


def _force(ev: Event, abroad_first: bool = False, role: str | None = None) -> tuple[str, int] | None:
    """The state force the event's reports name most, as ACLED names it, with its inter code: 1 at home,
    8 abroad ("Military Forces of the United States" in Yemen). With *abroad_first*, a foreign force
    named at all comes first (a foreign state named beside an air strike is the one that struck)."""
    counts = Counter(f["name"] for d in ev.docs for f in d.forces if f.get("inter") == 1 and f.get("country")
                     and (role is None or f.get("role") == role))
    if not counts:
        return None
    country = {f["name"]: f["country"] for d in ev.docs for f in d.forces if f.get("country")}
    name = max(counts, key=lambda n: (abroad_first and country[n] != ev.town.country, counts[n]))
    return name, 1 if country[name] == ev.town.country else 8


def event_actors(ev: Event, group: dict | None, country: str) -> tuple[str, object, str, object]:
    """ACLED's actor1, inter1, actor2, inter2 for an event, from who its reports name and what kind it is.

    Crowds are named by country ("Protesters (Kenya)", inter 6; rioters 5); a protest met with force
    has the force as actor2. In political violence the armed group the parse shows doing the act
    (`nlp.acts` roles: "militants attacked", "killed by soldiers") is actor1, else the one its reports
    name most; with none, a state force, when the act is one-sided (an air strike, an attack on
    civilians) and the force did it or no unnamed attacker is told; else an unidentified armed group.
    The target is civilians (inter 7) for attacks on them, else the state force the act befell, or
    the one named, or the one the sentences imply.
    """
    kind, text = ev.kind, " ".join(ev.sentences)
    force, acting, struck = _force(ev), _force(ev, role="agent"), _force(ev, role="patient")
    doer = main_group(ev.docs, role="agent")
    group = doer or group  # the group the parse shows doing the act, else the one most named
    civilians = (f"Civilians ({country})", 7)
    if kind.event_type in ("Protests", "Riots"):
        crowd = ("Protesters", 6) if kind.event_type == "Protests" else ("Rioters", 5)
        a1 = (f"{crowd[0]} ({country})", crowd[1])
        if kind.sub_event_type in ("Protest with intervention", "Excessive force against protesters"):
            a2 = acting or force or (f"Police Forces of {country}", 1)
        elif kind.sub_event_type == "Mob violence":
            a2 = civilians
        else:
            a2 = force or ("", "")
        return (*a1, *a2)
    if kind.event_type == "Strategic developments":  # arrests are the police's unless a report names another
        a1 = force or ((group["label"], group["inter"]) if group else (f"Police Forces of {country}", 1)
                       if kind.sub_event_type == "Arrests" else (f"Unidentified Armed Group ({country})", 3))
        a2 = (group["label"], group["inter"]) if force and group else ("", "")
        return (*a1, *a2)
    civilian_dead = any(c.category in ("civilians", "officials") and c.event_scope == "main"
                        for d in ev.docs for c in d.claims)
    if force and kind.sub_event_type in ("Air/drone strike", "Shelling/artillery/missile attack"):
        target = civilians if civilian_dead or not group else (group["label"], group["inter"])
        return (*_force(ev, abroad_first=True), *target)  # strikes from the air and shelling come from armies
    if group:
        a1 = (group["label"], group["inter"])
    elif force and kind.target == "civilians" and (acting or not _UNNAMED_ATTACKERS.search(text)):
        return (*(acting or force), *civilians)  # "police shot dead two traders": the force is the perpetrator
    else:
        a1 = (f"Unidentified Armed Group ({country})", 3)
    if kind.target == "civilians":
        return (*a1, *civilians)
    if force:
        return (*a1, *(struck or force))
    if kind.target == "state" or re.search(r"\b(army|military|soldiers|troops|police|forces)\b", text, re.I):
        name = "Police Forces" if _POLICE.search(text) and not re.search(r"\b(army|military)\b", text, re.I) \
            else "Military Forces"
        return (*a1, f"{name} of {country}", 1)
    return (*a1, "", "")


def _row(story_id: str, ev: Event, group: dict | None, figs: list[dict], aliases: list[str], n: int) -> dict:
    t = ev.town
    c = country_row(t.country)
    actor1, inter1, actor2, inter2 = event_actors(ev, group, c["country"])
    codes = sorted(x for x in (inter1, inter2) if x != "")
    interaction = codes[0] * 10 + codes[1] if len(codes) == 2 else codes[0] * 10
    day = ev.date.isoformat() if ev.date else ""
    sources = sorted({d.source or d.doc_id for d in ev.docs})
    return {
        "event_id_cnty": c["alpha3"],  # numbered by number_events
        "event_date": day, "year": ev.date.year if ev.date else "", "time_precision": ev.precision,
        "disorder_type": ev.kind.disorder_type, "event_type": ev.kind.event_type,
        "sub_event_type": ev.kind.sub_event_type,
        "actor1": actor1, "assoc_actor_1": "", "inter1": inter1,
        "actor2": actor2, "assoc_actor_2": "", "inter2": inter2, "interaction": interaction,
        "civilian_targeting": "Civilian targeting" if inter2 == 7 else "",
        "iso": c["iso"], "region": c["region"], "country": c["country"],
        "admin1": t.admin1 or "", "admin2": t.admin2 or "", "admin3": "", "location": t.name,
        "latitude": round(t.latitude, 4), "longitude": round(t.longitude, 4), "geo_precision": t.precision,
        "source": "; ".join(sources), "source_scale": "Other",
        "notes": notes(ev, group if group and actor1 == group["label"] else None, figs, aliases, n, actor2,
                       actor1),
        "fatalities": ev.located_deaths, "tags": "", "timestamp": int(max(d.ingested_at for d in ev.docs)),
        "story_id": story_id, "doc_ids": sorted({d.doc_id for d in ev.docs}),
        "claim_quotes": ev.located_quotes + _spread_quotes(figs) if ev.located_deaths else [],
        "variants": sorted(t.surfaces | {s for d in ev.docs for s in d.towns.get(t.id, t).surfaces}),
    }


def _spread_quotes(figs: list[dict]) -> list[str]:
    """The quotes behind the story's best death figures (the part spread across events)."""
    out = []
    for f in figs:
        if f["predicate"] != "killed" or f["best"] is None:
            continue
        for r in f["by_claimant"]:
            if r["location"] is None and (r["low"] == f["best"] or r["high"] == f["best"]):
                out += r["quotes"][:1]
                break
    return out


ACTIONS = {
    "Armed clash": "{who} fought {target} in {place}",
    "Suicide bomb": "{who} carried out suicide attacks on {target} in {place}",
    "Air/drone strike": "{who} struck {target} with drones or from the air in {place}",
    "Shelling/artillery/missile attack": "{who} shelled {target} in {place}",
    "Remote explosive/landmine/IED": "{who} set off explosives against {target} in {place}",
    "Grenade": "{who} attacked {target} with grenades in {place}",
    "Abduction/forced disappearance": "{who} abducted people in {place}",
    "Attack": "{who} attacked civilians in {place}",
    "Sexual violence": "{who} committed sexual violence in {place}",
    "Non-state actor overtakes territory": "{who} took over positions held by {target} in {place}",
    "Government regains territory": "{target} regained ground from {who} in {place}",
    "Looting/property destruction": "{who} looted or destroyed property in {place}",
}


def _target(actor2: str) -> str:
    if actor2.startswith("Civilians"):
        return "civilians"
    if actor2.startswith("Police"):
        return "police"
    return "the military" if actor2.startswith("Military") else "security forces"


def notes(ev: Event, group: dict | None, figs: list[dict], aliases: list[str], n: int, actor2: str = "",
          actor1: str = "") -> str:
    """One or two sentences in sitrep's words; names the disagreement when sources disagree."""
    who = (group["short"] or group["name"]) if group else \
        actor1 if actor1 and not actor1.startswith("Unidentified") else "Unidentified gunmen"
    when = ev.date.strftime("%-d %B %Y") if ev.date else "an unknown date"
    part = f", part of {aliases[0]}" if aliases else (f", one of {n} places hit" if n > 1 else "")
    place = ev.town.name + (f" ({ev.town.admin1})" if ev.town.admin1 else "")
    template = ACTIONS.get(ev.kind.sub_event_type, "{who}: " + ev.kind.sub_event_type.lower() + " in {place}")
    first = f"On {when}, " + template.format(who=who, target=_target(actor2), place=place) + f"{part}."
    killed = [f for f in figs if f["predicate"] == "killed" and f["best"] is not None]
    disputes = []
    for f in killed:
        rows = [r for r in f["by_claimant"] if r["location"] is None and r["low"] is not None]
        if len({(r["low"], r["high"]) for r in rows}) > 1:
            lo = min(rows, key=lambda r: r["low"])
            hi = max(rows, key=lambda r: r["low"])
            disputes.append(f"{f['category'].replace('_', ' ')} killed: {Claimant.from_row(lo).label} "
                            f"{lo['text_value']}, {Claimant.from_row(hi).label} {hi['text_value']}")
    second = ""
    if disputes:
        second = " Sources disagree on tolls for the whole episode (" + "; ".join(disputes[:3]) + ")."
    if n > 1 and ev.located_deaths:
        second += " Fatalities not given per town are split evenly across the episode's events."
    return first + second
