"""Stories: the documents about one episode, grouped.

Documents are taken in date order and each joins the most similar open story,
or starts a new one. Similarity mixes what the lead says (sentence embeddings
from all-MiniLM-L6-v2), the towns named and the armed groups named; an event
date more than a few days from the story's dates rules a match out, so the
same group's attack on the same towns a year earlier stays its own story.
Only stories active within the time window are compared, so the cost per
document does not grow with the corpus.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from ..nlp.embed import Embedder
from .docs import DocInfo
WINDOW_DAYS = 4
THRESHOLD = 0.42
WEIGHTS = {"text": 0.5, "towns": 0.3, "groups": 0.2}


@dataclass
class Story:
    docs: list[DocInfo] = field(default_factory=list)
    total: np.ndarray | None = None     # sum of the members' vectors: the centroid without recomputing
    towns: set[str] = field(default_factory=set)
    groups: set[str] = field(default_factory=set)
    start: dt.date | None = None
    end: dt.date | None = None

    def add(self, doc: DocInfo, vec: np.ndarray) -> None:
        self.docs.append(doc)
        self.total = vec.copy() if self.total is None else self.total + vec
        self.towns |= set(doc.towns)
        self.groups |= {g["id"] for g in doc.groups}
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


def in_window(day: dt.date | None, story: Story) -> bool:
    """An episode lasts days, not months: a document's date must fall within the window of the story's start."""
    return day is None or story.start is None or abs((day - story.start).days) <= WINDOW_DAYS


def similarity(doc: DocInfo, vec: np.ndarray, story: Story) -> float:
    """How likely *doc* tells *story*'s episode, 0..1; 0 when their dates are too far apart."""
    if not in_window(doc.event_date, story):
        return 0.0
    score = WEIGHTS["text"] * float(vec @ story.centroid)
    score += WEIGHTS["towns"] * _overlap(set(doc.towns), story.towns)
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
        scored = [(similarity(doc, vec, s), s) for s in pool]
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
