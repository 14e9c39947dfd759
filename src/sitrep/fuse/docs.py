"""What fusion needs to know about one document, read back from its stored extraction.

A `DocInfo` is small (no parse trees, no full mention lists), so stories can
be built over many documents without holding their texts.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from .. import data
from ..nlp import gazetteer, is_dateline, where_said
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



def lies_in(town: Town | None, area: Town) -> bool:
    """Whether *town* lies in *area*: a country (no admin1), a region (no admin2) or a district."""
    if town is None or town.country != area.country:
        return False
    if not area.admin1:
        return True
    return town.admin1 == area.admin1 and (not area.admin2 or town.admin2 == area.admin2)

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
    names: list[str] = field(default_factory=list)      # other names of its episode ("Finance Bill protests")
    crowds: dict[str, list[str]] = field(default_factory=dict)   # crowds in the act: "Protesters" -> words used
    weekday_notes: list[tuple[str, dt.date | None, str | None]] = field(default_factory=list)  # as written,
    #                                                        the date, the weekday written with it
    incident_days: list[tuple[dt.date, str]] = field(default_factory=list)  # days it names its incident, as written
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


def _town_of(row: dict) -> tuple[str, dict]:
    """The id and data of the town a place mention stands for: a named part of a town gives the town
    the per-document stage stored with it (`extract.mention_rows`; a site far from any town gives its
    admin area)."""
    d = row["data"]
    town = d.get("town")
    if town:
        return town["id"], {**town, "precision": town["precision"] or AREA_RANK.get(town["place_kind"])}
    return d["id"], {"name": row["label"], **d}


def doc_info(doc: Document, mentions: list[dict], claims: list[Claim], background=lambda sentence: False,
             sentences: list[tuple[int, int]] | None = None) -> DocInfo:
    """Summarise one stored document; *sentences* are the offsets the per-document stage stored (split
    again only when a caller has none)."""
    text = doc.text
    sentences = list(sentences) if sentences else split_sentences(text)
    info = DocInfo(doc_id=doc.doc_id, published=doc.published, title=doc.title, source=doc.source,
                   lead=lead_text(doc.title, text, sentences),
                   claims=claims, text="" if doc.published else text)  # undated texts are re-read for weekdays
    countries = Counter()
    named: list[Town] = []  # every place it names that is not a dateline or where words were said, in order
    for row in mentions:
        kind, d = row["kind"], row["data"]
        if kind == "place" and d.get("place_kind") in CITY_KINDS:
            tid, data = _town_of(row)
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
            cued = d.get("how") in ("unlisted", "imported") and act_sentence(sent, start - a)
            # The word windows, unless the per-document stage's parse found the place to be where words
            # were said, a destination or a route (`nlp.acts`). The parse's "yes" is not used: loose
            # wording ("a tragic event in Jammu" for a district's attack) would add places the windows
            # rightly leave out.
            strong = d.get("act") is not False and violent_context(sent, start - a, end - a)
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
                     "category": d.get("category"), "surface": d.get("surface"), "country": d.get("country"),
                     "role": d.get("role")}
            (info.forces if d["inter"] == 1 else info.groups).append(entry)
        elif kind == "date" and d.get("weekday_mismatch"):
            try:
                day = dt.date.fromisoformat(row["label"])
            except ValueError:
                day = None
            info.weekday_notes.append((d.get("surface") or row["label"], day, d.get("weekday")))
    info.country = countries.most_common(1)[0][0] if countries else None
    if doc.country:  # the feed's country hint: the last resort for a report that names no place it knows
        named.append(_country_place(doc.country))
    info.place = act_place([t for t in named if t is not None], [text[a:b] for a, b in sentences], background)
    main = {s for t in info.main_places() for s in info.towns[t].sentences}
    dates = date_rows(doc, mentions)
    info.event_date, info.date_precision = event_date(doc, dates, sentences, background, main)
    info.incident_days = incident_days(doc, dates, sentences, background)
    info.aliases = operation_names(text)
    info.names = episode_names(text)
    info.crowds = crowds([text[a:b] for a, b in sentences], background)
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
    acts = [s for s in sentences if says_violence(s) and not background(s)]
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


@lru_cache(maxsize=1)
def _words() -> dict:
    """Compiled ``story_words.json``: act words, retrospective cues, incident nouns."""
    raw = data.load_json("story_words.json")
    alt = lambda ws: "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(ws, key=len, reverse=True))  # noqa: E731
    nouns = alt(raw["incident_nouns"]["words"])
    verbs = data.load_json("reporting_verbs.json")["verbs"].values()
    speech = alt(raw["speech"]["words"] + [f for v in verbs for f in v.get("forms", [])])
    return {
        # "Speaking during a round table Sunday night", "claimed Wednesday": the same clause, before a date
        "speech": re.compile(rf"\b({speech})\b[^,;:.!?()\"“”]{{0,50}}$", re.IGNORECASE),
        "act": re.compile(rf"\b(?:{alt(raw['act_words']['words'])})\b", re.IGNORECASE),
        "retrospective": tuple(c.lower() for c in raw["retrospective"]["cues"]),
        # "the attack on Saturday", "the horrific event that unfolded on October 5, 2024": the text before a date
        "noun_before": re.compile(rf"\bthe\s+(?:[\w'’-]+\s+){{0,2}}(?:{nouns})"
                                  r"(?:\s+(?:that|which)\s+(?:\w+\s+){0,2}?(?:unfolded|happened|occurred|took\s+place|began))?"
                                  r"\s+(?:on|of)\s+(?:the\s+)?$", re.IGNORECASE),
        # "the October 3rd rampage", "Tuesday's protests": the text after a date
        "noun_after": re.compile(rf"^(?:['’]s)?\s+(?:[\w-]+\s+){{0,2}}?(?:{nouns})\b", re.IGNORECASE),
        "the_before": re.compile(r"(?:\bthe|\blast|\bthis)\s+$", re.IGNORECASE),
    }


@lru_cache(maxsize=1)
def _crowds() -> tuple[tuple[dict, re.Pattern], ...]:
    kinds = data.load_json("story_words.json")["crowds"]["kinds"]
    return tuple((k, re.compile(r"\b(?:%s)\b" % "|".join(map(re.escape, k["words"])), re.IGNORECASE))
                 for k in kinds)


def crowds(sentences: list[str], background=lambda sentence: False) -> dict[str, list[str]]:
    """Crowds the text tells in the act ("police fired on protesters"): kind name -> the words used."""
    out: dict[str, list[str]] = {}
    for sentence in sentences:
        if background(sentence) or not tells_act(sentence):
            continue
        for kind, rx in _crowds():
            for m in rx.finditer(sentence):
                words = out.setdefault(kind["name"], [])
                if m.group() not in words:
                    words.append(m.group())
    return out


def crowd_kind(name: str) -> dict:
    """The ``story_words.json`` entry of a crowd kind ("Protesters": its inter code)."""
    return next(k for k, _ in _crowds() if k["name"] == name)


@lru_cache(maxsize=1 << 15)   # fusion asks it of the same sentences again and again
def tells_act(sentence: str) -> bool:
    """Whether a sentence tells an act of violence or its toll (so a date in it is the act's day)."""
    return says_violence(sentence) or bool(_words()["act"].search(sentence))


@lru_cache(maxsize=1 << 15)
def says_violence(sentence: str) -> bool:
    """Whether a sentence has a word of violence (`nlp.violence.VIOLENCE`)."""
    return bool(VIOLENCE.search(sentence))


def when_said(before: str) -> bool:
    """Whether a date is when words were said: *before* is the text of its sentence before it.

    A word for speaking stands in the date's clause, with no act between them: "claimed Wednesday",
    but not "a report on how 19 died during last week's protests".
    """
    m = _words()["speech"].search(before)
    return bool(m) and not tells_act(before[m.end(1):])


def retrospective(text: str) -> bool:
    """Whether a report marks an anniversary of its act ("A year after the massacre in Djibo, ...")."""
    low = text.lower()
    return any(c in low for c in _words()["retrospective"])


def date_rows(doc: Document, mentions: list[dict]) -> list[dict]:
    """The document's date mentions; an undated text's are read again against the first full date it gives.

    Without a publication date, "the October 3rd rampage" has no year; the text's own "October 5, 2024"
    gives it one.
    """
    rows = [r for r in mentions if r["kind"] == "date"]
    if doc.published:
        return rows
    from ..nlp import first_full_date
    from ..nlp.dates import find_dates

    found = find_dates(doc.text, None)
    ref = first_full_date(found)
    if ref is None:
        return rows
    return [{"kind": "date", "char_start": m.start, "char_end": m.end,
             "label": m.date.isoformat() if m.date else m.text,
             "data": {"precision": m.precision, "weekday": m.weekday, "weekday_mismatch": m.weekday_mismatch,
                      "surface": m.text}} for m in find_dates(doc.text, ref)]


RECENT = dt.timedelta(days=10)  # how far before publication a report's own incident usually lies
LEAD_SENTENCES = 3              # an older date names the report's incident only this early in the text


def event_date(doc: Document, mentions: list[dict], sentences=(), background=lambda sentence: False,
               main: set[str] = frozenset()) -> tuple[dt.date | None, int]:
    """The day the reported events happened, and its precision (1 day, 2 week, 3 unknown).

    The dates of the sentences that tell the act count first ("killed 19 during last week's protests"),
    before those of statements, interviews and captions ("in an interview on June 30"); a date within
    RECENT days before publication before an older one. An older date counts when the lead tells the
    act with it ("the strike on 28 April 2025", in a report six months later), unless the report marks
    an anniversary. A date in a sentence about an earlier incident ("the assault comes after an attack
    on a hotel on March 14") counts only when the text gives no other. A date in one of the *main*
    sentences (those telling violence at the document's own place) counts twice, so an unmarked
    recollection does not tie with the article's own day. *sentences* are the text's (start, end) spans.
    Without any date, the publication date stands in with precision 2.
    """
    tiers: list[Counter] = [Counter() for _ in range(5)]   # act, act (a week), act (older), other, earlier
    lead = [a for a, b in sentences if len(doc.text[a:b].split()) >= 4][:LEAD_SENTENCES]
    looking_back = None
    for row in mentions:
        precision = row["data"].get("precision")
        if row["kind"] != "date" or precision not in (1, 2):
            continue
        try:
            day = dt.date.fromisoformat(row["label"])
        except ValueError:
            continue
        if doc.published and day > doc.published:
            continue
        recent = not doc.published or day >= doc.published - RECENT
        a, b = next(((a, b) for a, b in sentences if a <= row["char_start"] < b), (0, 0))
        sentence = doc.text[a:b]
        if sentence and background(sentence):
            tier = 4 if recent and precision == 1 else None
        elif not sentence or tells_act(sentence) and not when_said(doc.text[a:row["char_start"]]):
            if recent:
                tier = 0 if precision == 1 else 1
            elif precision == 1 and a in lead:
                if looking_back is None:
                    looking_back = retrospective(doc.text)
                tier = None if looking_back else 2
            else:
                tier = None
        else:
            tier = 3 if recent and precision == 1 else None
        if tier is not None:
            tiers[tier][(day, precision)] += 1 + (sentence in main)
    for counts in tiers:
        if counts:
            best = max(counts.values())
            return min(d for d, n in counts.items() if n == best)
    return (doc.published, 2) if doc.published else (None, 3)


def incident_days(doc: Document, rows: list[dict], sentences, background=lambda sentence: False
                  ) -> list[tuple[dt.date, str]]:
    """The days a text gives its incident by name, with their wording, in text order.

    Only a day-precise date written with a word for the incident counts: "the October 3rd rampage",
    "Tuesday's protests", "the attack on Saturday", "the horrific event that unfolded on October 5,
    2024". Dates of statements, funerals and earlier incidents are not the incident's.
    """
    w = _words()
    out = []
    for row in rows:
        if row["data"].get("precision") != 1:
            continue
        try:
            day = dt.date.fromisoformat(row["label"])
        except ValueError:
            continue
        a, b = next(((a, b) for a, b in sentences if a <= row["char_start"] < b), (0, len(doc.text)))
        s, e = row["char_start"], row["char_end"]
        if background(doc.text[a:b]):
            continue
        before, after = doc.text[max(a, s - 80):s], doc.text[e:b]
        named = w["noun_before"].search(before) or (
            w["noun_after"].search(after) and (w["the_before"].search(before) or after[:2] in ("'s", "’s")))
        if named:
            out.append((day, doc.text[s:e]))
    return out


@lru_cache(maxsize=1)
def _episode_rx() -> tuple[re.Pattern, frozenset[str]]:
    raw = data.load_json("story_words.json")["episode_names"]
    heads = "|".join(re.escape(h) for h in sorted(raw["heads"], key=len, reverse=True))
    word = r"\b[A-Z][\w'’]*(?:-[A-Z][\w'’]*)*\s+"
    return (re.compile(rf"((?:{word}(?:(?:of|for|on|and|the)\s+(?={word}))?){{1,5}})({heads})\b"),
            frozenset(raw["skip"]))


def episode_names(text: str) -> list[str]:
    """Names the text gives its episode beside operations: 'Finance Bill', 'Finance Bill protests'.

    Capitalised words before a head word of ``story_words.json`` ("Bill", "Act", "Massacre",
    "protests"); a leading article or preposition is dropped ("The Finance Bill", "Anti-Finance Bill").
    """
    rx, skip = _episode_rx()
    out = []
    for m in rx.finditer(text):
        words = m.group(1).split()
        while words and (words[0] in skip or words[0].split("-")[0] in skip):
            if "-" in words[0] and words[0].split("-")[0] in skip:
                words[0] = words[0].split("-", 1)[1]   # "Anti-Finance" -> "Finance"
            else:
                words = words[1:]
        if words:
            name = " ".join(words + [m.group(2)])
            if name not in out:
                out.append(name)
    return out


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
