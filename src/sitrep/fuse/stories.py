"""Stories: the documents about one episode, grouped.

Documents are taken in date order and each joins the most similar open story,
or starts a new one. A document may join a story only when time and place
agree (the lead sentence stands in for the action):

- **time**: its incident day lies within a few days of the story's days, so
  the same group's attack on the same town a year earlier, or an anniversary
  piece, stays its own story;
- **place**: where the document places its violence (the towns of violence its
  lead names, else the ones it names most) is among the story's places of
  violence, or, on the same or the next day, within NEAR_KM of one (sources
  anchor a village's attack to different nearby towns). A document
  that places no violence may name one of the story's places of violence, or
  share a named town with a story that has none; a document that names no
  town at all is judged by its lead alone, in the same country. A document
  whose violence happens somewhere else is another incident, whatever group
  it names;
- only a near-identical lead overrides a place that disagrees.

Among the stories that pass, the best is the one most alike in lead
(sentence embeddings from all-MiniLM-L6-v2), places, days and armed groups.
A shared armed group adds a little to that score but never admits a document
on its own. Only stories active within the time window are compared, so the
cost per document does not grow with the corpus.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from ..nlp.embed import Embedder
from ..nlp.gazetteer import distance_km
from .docs import DocInfo, Town, lies_in

WINDOW_DAYS = 4
THRESHOLD = 0.42
WEIGHTS = {"text": 0.45, "place": 0.35, "time": 0.1, "groups": 0.1}
# How much each kind of place agreement counts; None: the places disagree.
PLACE = {"violence": 1.0, "named": 0.75, "near": 0.75, "within": 0.6, "shared": 0.5, "unknown": 0.5}
# The least lead similarity each weaker kind of place agreement needs.
TEXT_NEEDED = {"near": 0.4, "within": 0.4, "shared": 0.4, "unknown": 0.5}
NEAR_KM = 40           # places of violence this close, a day apart at most, may be one incident's
NEAR_IDENTICAL = 0.9   # leads this alike tell the same thing, whatever places were recognised


@dataclass
class Story:
    docs: list[DocInfo] = field(default_factory=list)
    total: np.ndarray | None = None     # sum of the members' vectors: the centroid without recomputing
    towns: set[str] = field(default_factory=set)       # every town the members name
    violent: set[str] = field(default_factory=set)     # the towns they name as places of violence
    where: dict[str, tuple[float, float]] = field(default_factory=dict)   # town id -> latitude, longitude
    sites: dict[str, Town] = field(default_factory=dict)   # the towns of violence themselves
    areas: dict[str, Town] = field(default_factory=dict)   # districts, regions, countries of acts placed no closer
    groups: set[str] = field(default_factory=set)
    countries: set[str] = field(default_factory=set)
    start: dt.date | None = None
    end: dt.date | None = None

    def add(self, doc: DocInfo, vec: np.ndarray) -> None:
        self.docs.append(doc)
        self.total = vec.copy() if self.total is None else self.total + vec
        self.towns |= set(doc.towns)
        self.violent |= {t.id for t in doc.towns.values() if t.violent}
        self.where.update((t.id, (t.latitude, t.longitude)) for t in doc.towns.values())
        self.sites.update((t.id, t) for t in doc.towns.values() if t.violent)
        if doc.place is not None:   # where its act happened, named without the words of violence around it
            if doc.place.precision == 1:
                self.towns.add(doc.place.id)
                self.violent.add(doc.place.id)
                self.where[doc.place.id] = (doc.place.latitude, doc.place.longitude)
                self.sites[doc.place.id] = doc.place
            else:
                self.areas[doc.place.id] = doc.place
        self.groups |= {g["id"] for g in doc.groups}
        if doc.country:
            self.countries.add(doc.country)
        if doc.event_date:
            self.start = min(self.start or doc.event_date, doc.event_date)
            self.end = max(self.end or doc.event_date, doc.event_date)

    @property
    def centroid(self) -> np.ndarray:
        n = np.linalg.norm(self.total)
        return self.total / n if n else self.total


def _overlap(a: set, b: set) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def place_agreement(doc: DocInfo, story: Story, main: set[str] | None = None) -> str | None:
    """How *doc*'s places agree with *story*'s: a key of PLACE, or None when they disagree.

    *main* is ``doc.main_places()``, when the caller has it already. A document that places its act
    only in a district, region or country agrees with a story whose places of violence all lie in it
    ("within"), and a story placed only so with a document whose towns of violence lie in it.
    """
    main = doc.main_places() if main is None else main
    act = doc.place if not main and doc.place is not None else None   # its act's place, named without
    if act is not None and act.precision == 1 and story.violent:      # the words of violence around it
        if act.id in story.violent:
            return "violence"
        if _near(doc, {act.id}, story):
            return "near"
    if act is not None and act.precision > 1 and story.sites:
        return _within(act) if all(lies_in(t, act) for t in story.sites.values()) else None
    if not story.sites and story.areas and (main or act is not None):
        towns = [doc.towns[t] for t in main] or [act]
        inside = [a for a in story.areas.values() if any(lies_in(t, a) for t in towns)]
        return max(map(_within, inside), key=PLACE.get) if inside else None
    if not doc.towns or not story.towns:
        return "unknown" if not (doc.country and story.countries) or doc.country in story.countries else None
    if main:
        if main & story.violent:
            return "violence"          # violence where the story saw violence
        if story.violent:              # violence somewhere else: another incident, unless next door that day
            return "near" if _near(doc, main, story) else None
        return "named" if main & story.towns else None
    if doc.towns.keys() & story.violent:
        return "named"                 # names, without violence, a place where the story saw violence
    if _near(doc, set(doc.towns), story):
        return "near"
    return "shared" if doc.towns.keys() & story.towns else None


def _within(area: Town) -> str:
    """How much lying inside *area* says: a region or district is a place; a whole country is hardly one."""
    return "within" if area.admin1 else "unknown"


def _near(doc: DocInfo, towns: set[str], story: Story) -> bool:
    """Whether one of *towns* lies within NEAR_KM of a story's place of violence, a day apart at most."""
    if doc.event_date is None or story.start is None or _gap(doc.event_date, story) > 1:
        return False
    spot = {**doc.towns, **({doc.place.id: doc.place} if doc.place is not None else {})}
    return any(distance_km(spot[a].latitude, spot[a].longitude, *story.where[b]) <= NEAR_KM
               for a in towns if a in spot for b in story.violent)


def in_window(day: dt.date | None, story: Story) -> bool:
    """An episode lasts days, not months: a document's date must fall within the window of the story's start."""
    return day is None or story.start is None or abs((day - story.start).days) <= WINDOW_DAYS


def _closeness(day: dt.date | None, story: Story) -> float:
    """1 for a day within the story's days, falling to 0 at the edge of the window; 0.5 when a date is unknown."""
    if day is None or story.start is None:
        return 0.5
    return max(0.0, 1 - _gap(day, story) / (WINDOW_DAYS + 1))


def _gap(day: dt.date, story: Story) -> int:
    """Days between *day* and the nearest of the story's days."""
    return max((story.start - day).days, (day - (story.end or story.start)).days, 0)


def similarity(doc: DocInfo, vec: np.ndarray, story: Story, main: set[str] | None = None) -> float:
    """How likely *doc* tells *story*'s episode, 0..1; 0 when time or place rule it out.

    Where the places of violence agree, any lead will do: outlets word one attack differently,
    and some leads are page debris ("NEWS").
    """
    if not in_window(doc.event_date, story):
        return 0.0
    text = float(vec @ story.centroid)
    place = place_agreement(doc, story, main)
    if place is None or text < TEXT_NEEDED.get(place, 0.0):
        if text < NEAR_IDENTICAL:
            return 0.0
        place = "unknown"
    score = WEIGHTS["text"] * text + WEIGHTS["place"] * PLACE[place]
    score += WEIGHTS["time"] * _closeness(doc.event_date, story)
    score += WEIGHTS["groups"] * _overlap({g["id"] for g in doc.groups}, story.groups)
    return score


def cluster(docs: list[DocInfo], embed: Embedder | None = None, threshold: float = THRESHOLD) -> list[Story]:
    """Group *docs* into stories. Documents without a date are placed last, against every story."""
    order = sorted(docs, key=lambda d: (d.event_date is None, d.event_date or dt.date.min, d.doc_id))
    missing = [d for d in order if d.vector is None]  # vectors normally come from the per-document stage
    if missing:
        for d, v in zip(missing, (embed or Embedder.shared())([d.lead for d in missing])):
            d.vector = v
    vectors = [d.vector for d in order]
    stories: list[Story] = []
    active: list[Story] = []   # stories a dated document can still join (documents come in date order)
    for doc, vec in zip(order, vectors):
        if doc.event_date is not None:
            active = [s for s in active if s.start is None or (doc.event_date - s.start).days <= WINDOW_DAYS]
        pool = active if doc.event_date is not None else stories
        main = doc.main_places()
        scored = [(similarity(doc, vec, s, main), s) for s in pool]
        score, best = max(scored, key=lambda x: x[0], default=(0.0, None))
        if best is not None and score >= threshold:
            best.add(doc, vec)
        else:
            story = Story()
            story.add(doc, vec)
            stories.append(story)
            if doc.event_date is not None:
                active.append(story)
    return stories
