"""Where a figure applies and whether it is about this incident (SPEC §3 location, event_scope).

Location: a town named with "alone" limits only its own sentence; a sentence
naming exactly one town (not as an example after "including", not as a
dateline) is about that town and sets the paragraph's focus; a sentence naming
no town inherits the focus; several towns mean no single place.

Scope: a figure is background when its sentence names an earlier incident
("the initial phase", "last year", a date weeks before the article) or
continues a sentence that did.
"""

from __future__ import annotations

import datetime as dt
import re

from ..nlp import is_dateline, where_said
from .vocab import vocab

_EXAMPLE = re.compile(r"\b(including|such as|like|among them|notably)\b[^.;:]*$", re.IGNORECASE)
_ALONE = re.compile(r"^\W{0,3}alone\b", re.IGNORECASE)
# "20 died in all": a total over every place, whatever town the paragraph is about.
_TOTAL = re.compile(r"\b(in all|in total|overall|altogether|combined|across (the|all|several|\w+ (districts|towns|cities|provinces|villages)))\b", re.IGNORECASE)
_ANAPHOR = re.compile(r"^(that|those|this|these|the same|it|the earlier|the previous)\b", re.IGNORECASE)
CITY_KINDS = {"city", "part"}
BACKGROUND_DAYS = 30


class Focus:
    """Tracks the place a paragraph is about while its sentences are read in order."""

    def __init__(self, city_of, document_town: str | None = None):
        self.city_of = city_of          # PlaceMention -> canonical town name (parts map to their town)
        self.paragraph = -1
        self.current: str | None = None
        self.document_town = document_town  # the one town an article is about, if it names only one

    def sentence(self, paragraph: int, text: str, start: int, end: int, mentions) -> str | None:
        """The location for figures in the sentence text[start:end]; updates the paragraph focus."""
        if paragraph != self.paragraph:
            self.paragraph, self.current = paragraph, None
        if _TOTAL.search(text, start, end):
            return None
        towns: list[str] = []
        for m in mentions:
            if not (start <= m.start < end) or m.place.kind not in CITY_KINDS:
                continue
            if _ALONE.match(text[m.end:m.end + 12]):
                return self.city_of(m)  # "in Quetta alone": this sentence only
            if _EXAMPLE.search(text[start:m.start]):
                continue  # "12 cities, including Quetta": an example, not a limit
            if is_dateline(text, m.start, m.end) or where_said(text, m.start):
                continue  # "QUETTA –" and "said in Quetta" say where words were written or spoken
            town = self.city_of(m)
            if town not in towns:
                towns.append(town)
        if len(towns) == 1:
            self.current = towns[0]
            return towns[0]
        if towns:
            self.current = None
            return None
        return self.current or self.document_town


def main_town(text: str, mentions, city_of) -> str | None:
    """The town an article is about when it names only one (datelines and where statements were made aside).

    An article that names several towns leaves figures without a place of
    their own unlimited: they may be totals over all of them.
    """
    named: set[str] = set()
    for m in mentions:
        if m.place.kind not in CITY_KINDS or is_dateline(text, m.start, m.end) or where_said(text, m.start):
            continue
        line_start = text.rfind("\n", 0, m.start) + 1
        if _EXAMPLE.search(text[max(line_start, m.start - 120):m.start]):
            continue
        named.add(city_of(m))
    return named.pop() if len(named) == 1 else None


class Scope:
    """Marks figures about earlier incidents as background."""

    def __init__(self, reference: dt.date | None):
        self.reference = reference
        self.paragraph = -1
        self.previous = False

    def sentence(self, paragraph: int, sentence: str, dates) -> str:
        if paragraph != self.paragraph:
            self.paragraph, self.previous = paragraph, False
        low = sentence.lower()
        past = any(cue in low for cue in vocab().background)
        if not past and self.reference is not None:
            past = any(d.date is not None and (self.reference - d.date).days > BACKGROUND_DAYS for d in dates)
        if not past and self.previous and _ANAPHOR.match(sentence.strip()):
            past = True
        self.previous = past
        return "background" if past else "main"
