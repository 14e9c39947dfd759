"""What fusion needs to know about one document, read back from its stored extraction.

A `DocInfo` is small (no parse trees, no full mention lists), so stories can
be built over many documents without holding their texts.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

from ..nlp import is_dateline, where_said
from ..nlp.violence import VIOLENCE, act_sentence, violent_context
from ..nlp.embed import lead_text
from ..nlp.segment import split_sentences
from ..records import Claim, Document

OPERATION = re.compile(
    r"\bOperation\s+[\"“']?([A-Z][\w-]+(?:\s+[A-Z][\w-]+)?)[\"”']?"
    r"(\s+(?:Phase\s+(?:\d+|[IVX]+)|\d\.\d|[IVX]+\b|\d\b))?")
QUOTED_NAME = re.compile(r"[\"“]([A-Z][\w-]+(?: [A-Z][\w-]+){0,2})[\"”] (?:campaign|offensive|operation)")
CITY_KINDS = {"city", "part"}
@dataclass
class Town:
    """A town named in a document (named parts of a town count as the town)."""

    id: str
    name: str
    latitude: float
    longitude: float
    admin1: str | None
    admin2: str | None
    country: str
    geonameid: int | None
    surfaces: set[str] = field(default_factory=set)
    violent: bool = False       # named in a sentence about violence, outside background
    cued: bool = False          # violent only as a place no gazetteer knows, named with a cue in such a sentence
    sentences: list[str] = field(default_factory=list)
    precision: int = 1          # ACLED's geo_precision: 1 the town itself, 2 a district, 3 a region


@dataclass
class DocInfo:
    doc_id: str
    published: dt.date | None
    title: str | None
    source: str | None
    lead: str
    ingested_at: float = 0.0
    event_date: dt.date | None = None
    date_precision: int = 2
    towns: dict[str, Town] = field(default_factory=dict)
    groups: list[dict] = field(default_factory=list)    # armed groups: id, name, short, inter, units, surfaces
    forces: list[dict] = field(default_factory=list)    # state forces named
    claims: list[Claim] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)    # operation names as written
    weekday_notes: list[str] = field(default_factory=list)
    place: Town | None = None   # where its act happened when it names no town as a place of violence
    country: str | None = None
    text: str = ""
    vector: object = None                                # lead embedding (numpy), from the per-document stage

    def main_places(self) -> set[str]:
        """Where this document says its own violence happened: the towns of violence its lead names, else
        those it names most as places of violence.

        A town recalled further down ("it comes three days after the group killed 12 in X") is a
        place of violence too, but not this article's.
        """
        violent = [t for t in self.towns.values() if t.violent]
        lead = self.lead.lower()
        in_lead = {t.id for t in violent if any(s.lower() in lead for s in t.surfaces | {t.name})}
        if in_lead:
            return in_lead
        most = max((len(t.sentences) for t in violent), default=0)
        return {t.id for t in violent if len(t.sentences) == most}


def _town_of(row: dict, parents: dict[str, dict]) -> tuple[str, dict]:
    d = row["data"]
    if d.get("place_kind") == "part" and d.get("parent") in parents:
        return d["parent"], parents[d["parent"]]
    return d["id"], {"name": row["label"], **d}


def doc_info(doc: Document, mentions: list[dict], claims: list[Claim], parents: dict[str, dict],
             background=lambda sentence: False) -> DocInfo:
    """Summarise one stored document. *parents* maps a part's parent id to that town's data."""
    text = doc.text
    sentences = split_sentences(text)
    info = DocInfo(doc_id=doc.doc_id, published=doc.published, title=doc.title, source=doc.source,
                   lead=lead_text(doc.title, text, sentences),
                   claims=claims, text="" if doc.published else text)  # undated texts are re-read for weekdays
    countries = Counter()
    named: list[Town] = []  # every place it names that is not a dateline or where words were said, in order
    for row in mentions:
        kind, d = row["kind"], row["data"]
        if kind == "place" and d.get("place_kind") in CITY_KINDS:
            tid, data = _town_of(row, parents)
            town = info.towns.get(tid)
            if town is None:
                town = info.towns[tid] = Town(
                    id=tid, name=data["name"], latitude=data["latitude"], longitude=data["longitude"],
                    admin1=data.get("admin1"), admin2=data.get("admin2"), country=data["country"],
                    geonameid=data.get("geonameid"), precision=data.get("precision") or 1)
            town.surfaces.add(d.get("surface") or row["label"])
            countries[d["country"]] += 1
            start, end = row["char_start"], row["char_end"]
            a, b = next(((a, b) for a, b in sentences if a <= start < b), (start, end))
            sent = text[a:b]
            if is_dateline(text, start, end) or where_said(text, start):
                continue  # a dateline or the place a statement came from is not where anything happened
            named.append(town)
            # A place no gazetteer knows is named with a cue because something happened there.
            cued = d.get("how") == "unlisted" and act_sentence(sent, start - a)
            strong = violent_context(sent, start - a, end - a)
            if (cued or strong) and not background(sent):
                town.cued = (town.cued or not town.violent) and not strong
                town.violent = True
                town.sentences.append(sent)
        elif kind == "place":
            countries[d["country"]] += 1
            if d.get("place_kind") in AREA_RANK and not (
                    is_dateline(text, row["char_start"], row["char_end"]) or where_said(text, row["char_start"])):
                named.append(Town(id=d["id"], name=row["label"], latitude=d["latitude"], longitude=d["longitude"],
                                  admin1=d.get("admin1") or (row["label"] if d["place_kind"] == "admin1" else None),
                                  admin2=d.get("admin2") or (row["label"] if d["place_kind"] == "admin2" else None),
                                  country=d["country"], geonameid=d.get("geonameid"),
                                  precision=d.get("precision") or AREA_RANK[d["place_kind"]]))
        elif kind == "actor":
            entry = {"id": d["actor_id"], "name": row["label"], "inter": d["inter"], "unit": d.get("unit"),
                     "category": d.get("category"), "surface": d.get("surface"), "country": d.get("country")}
            (info.forces if d["inter"] == 1 else info.groups).append(entry)
        elif kind == "date" and d.get("weekday_mismatch"):
            info.weekday_notes.append(d.get("surface") or row["label"])
    info.country = countries.most_common(1)[0][0] if countries else None
    if doc.country:  # the feed's country hint: the last resort for a report that names no place it knows
        named.append(_country_place(doc.country))
    info.place = act_place([t for t in named if t is not None], [text[a:b] for a, b in sentences], background)
    main = {s for t in info.main_places() for s in info.towns[t].sentences}
    info.event_date, info.date_precision = event_date(doc, mentions, sentences, background, main)
    info.aliases = operation_names(text)
    return info


# How specific a named area is (ACLED's geo_precision; a country ranks after a region and is coded 3).
AREA_RANK = {"admin2": 2, "admin1": 3, "country": 4}


def act_place(named: list[Town], sentences: list[str], background) -> Town | None:
    """The place of a document's act when no town is named as a place of violence, or None.

    A short report ("Students protested in Kobo", "Gunmen killed two in the
    district") names its place without the words around it that mark a place
    of violence: the act is in the document, the place is the most specific
    one it names (a town, else a district, else a region, with ACLED's
    geo_precision 1, 2 or 3). Nothing when the document describes no act or
    already has a place of violence; when its only places of violence are places no
    gazetteer knows, named with a cue, they get every sentence about the act.
    """
    acts = [s for s in sentences if VIOLENCE.search(s) and not background(s)]
    violent = {t.id: t for t in named if t.violent}
    if violent and all(t.cued for t in violent.values()):
        for t in violent.values():  # "Raiders entered X village, killing one. Huts were burned.": the act is X's
            t.sentences = list(dict.fromkeys(t.sentences + acts))
    if violent or not acts or not named:
        return None
    best = min(named, key=lambda t: t.precision)  # the first of the most specific kind
    return Town(id=best.id, name=best.name, latitude=best.latitude, longitude=best.longitude, admin1=best.admin1,
                admin2=best.admin2, country=best.country, geonameid=best.geonameid, surfaces=set(best.surfaces),
                violent=True, sentences=acts, precision=min(best.precision, 3))


def _country_place(code: str) -> Town | None:
    """A country as a place of last resort (ACLED's geo_precision 3), from the gazetteer."""
    from ..nlp import gazetteer

    gz = gazetteer.load()
    i = gz.index_of(f"country:{code}")
    if i is None:
        return None
    p = gz.place(i)
    return Town(id=p.id, name=p.name, latitude=p.latitude, longitude=p.longitude, admin1=None, admin2=None,
                country=p.country, geonameid=p.geonameid, precision=4)


def event_date(doc: Document, mentions: list[dict], sentences=(), background=lambda sentence: False,
               main: set[str] = frozenset()) -> tuple[dt.date | None, int]:
    """The day the reported events happened: the date the text gives most, near the publication date.

    A date in a sentence about an earlier incident ("the assault comes after an attack on a hotel
    on March 14") is that incident's day, not this one's: such dates count only when the text gives
    no other. A date in one of the *main* sentences (those telling violence at the document's own
    place) counts twice, so an unmarked recollection ("the group killed 12 in Djibo on Saturday")
    does not tie with the article's own day. *sentences* are the text's (start, end) spans.
    """
    found, earlier = [], []
    for row in mentions:
        if row["kind"] != "date" or row["data"].get("precision") != 1:
            continue
        try:
            day = dt.date.fromisoformat(row["label"])
        except ValueError:
            continue
        if doc.published and not (doc.published - dt.timedelta(days=10) <= day <= doc.published):
            continue
        a, b = next(((a, b) for a, b in sentences if a <= row["char_start"] < b), (0, 0))
        sentence = doc.text[a:b]
        (earlier if sentence and background(sentence) else found).extend([day] * (1 + (sentence in main)))
    if found or earlier:
        counts = Counter(found or earlier)
        best = max(counts.values())
        return min(d for d, n in counts.items() if n == best), 1
    return (doc.published, 2) if doc.published else (None, 3)


def operation_names(text: str) -> list[str]:
    """Names the text gives the operation: 'Operation Desert Wind Phase 2', 'Operation Zarb 2.0', a quoted campaign name."""
    out = []
    for m in OPERATION.finditer(text):
        name = " ".join(m.group(0).replace("“", "").replace("”", "").replace('"', "").replace("'", "").split())
        if name not in out:
            out.append(name)
    for m in QUOTED_NAME.finditer(text):
        if m.group(1) not in out:
            out.append(m.group(1))
    return out
