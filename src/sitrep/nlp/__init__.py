"""Recognition: one document in, everything sitrep recognises in it out.

`analyse` runs the cheap scanners over the whole text (sentences, places,
actors, claimants, numbers, dates); `parse_candidates` then runs spaCy's full
parse only on the sentences that may hold a claim.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from ..records import Document
from .dates import DateMention, find_dates
from .numbers import Quantity, find_quantities
from .segment import split_sentences

# A sentence with no number can still carry a figure of one: "took the governor hostage".
_CAPTURE_CUE = re.compile(r"\b(hostage|captive|abduct\w*|kidnap\w*|seized)\b", re.IGNORECASE)
_CASUALTY = re.compile(r"\b(kill\w*|dead|died|dies|death|wound\w*|injur\w*|shot|murder\w*|slain|lynch\w*|"
                       r"behead\w*|execut\w*|martyr\w*|gunned|arrest\w*|detain\w*)\b", re.IGNORECASE)


@lru_cache(maxsize=1)
def _one_victim() -> re.Pattern:
    """"a soldier", "an officer", "the commander", "police officer": a word for a person (claim_words.json)."""
    from .. import data

    words = data.load_json("claim_words.json")
    people = sorted({w for w, cat in words["categories"].items() if cat not in ("property", "vehicles", "places")}
                    | set(words["generic"]) | set(words.get("one_person", [])), key=len, reverse=True)
    # The article is optional: notes and headlines drop it ("gunmen kill police officer").
    return re.compile(r"\b(?:(?:an?|the)\s+(?:[\w-]+\s+){0,2})?(?:%s)\b" % "|".join(re.escape(w) for w in people),
                      re.IGNORECASE)


@dataclass(frozen=True)
class Analysis:
    """What the scanners found in one document; offsets are into `doc.text`."""

    doc: Document
    sentences: tuple[tuple[int, int], ...]
    paragraphs: tuple[int, ...]                 # paragraph (line) number of each sentence
    quantities: tuple[tuple[Quantity, ...], ...]  # per sentence, document offsets
    places: tuple = ()
    actors: tuple = ()
    claimants: tuple = ()
    dates: tuple[DateMention, ...] = ()
    country: str | None = None
    reference_date: dt.date | None = None

    def in_sentence(self, mentions, i: int) -> list:
        a, b = self.sentences[i]
        return [m for m in mentions if a <= m.start < b]

    def candidates(self) -> list[int]:
        """Indexes of the sentences worth a full parse: a number, a capture word, or one victim told with
        an article ("a soldier was killed", "the commander died")."""
        text = self.doc.text
        one = _one_victim()
        return [i for i, (a, b) in enumerate(self.sentences)
                if self.quantities[i] or _CAPTURE_CUE.search(text, a, b)
                or _CASUALTY.search(text, a, b) and one.search(text, a, b)]


def _shift(q: Quantity, offset: int) -> Quantity:
    return dataclasses.replace(q, start=q.start + offset, end=q.end + offset, head_end=q.head_end + offset)


def recognise(text: str, country_hint: str | None = None) -> tuple[list, list, list, str | None]:
    """Places, actors and claimants of one text, each pass informing the next.

    Places first give the country, which settles ambiguous forces ("the army",
    "FC"); named organisations then keep their place words from counting as
    places ("Tehrik-i-Taliban Pakistan", "Radio Mogadishu").
    """
    from .actors import find_actors, find_claimants
    from .places import find_places

    places = find_places(text, country_hint=country_hint)
    country = country_hint or main_country(places)
    actors = find_actors(text, country=country)
    # A place inside a name is no place ("Tehrik-i-Taliban Pakistan"), but one that opens a
    # lower-case force word is ("Peshawar police", "Ukraine's air force").
    named = [(a.start, a.end) for a in actors if not getattr(a, "generic", False)
             and not _place_then_force(text, a, places)]
    if any(m.start < e and s < m.end for m in places for s, e in named):
        places = find_places(text, country_hint=country_hint, exclude_spans=named)
    return places, actors, find_claimants(text, country=country), country


def _place_then_force(text: str, actor, places) -> bool:
    for m in places:
        if m.start == actor.start and m.end < actor.end:
            rest = text[m.end:actor.end].lstrip("'’s ")
            return bool(rest) and rest[0].islower()
    return False


def analyse(doc: Document) -> Analysis:
    """Run every scanner over *doc* (no spaCy parse; see `parse_candidates`)."""
    text = doc.text
    sentences = tuple(split_sentences(text))
    paragraphs = tuple(text.count("\n", 0, a) for a, _ in sentences)
    quantities = tuple(tuple(_shift(q, a) for q in find_quantities(text[a:b], doc.doc_id)) for a, b in sentences)
    places, actors, claimants, country = recognise(text, doc.country)
    dates = tuple(find_dates(text, doc.published))
    return Analysis(
        doc=doc, sentences=sentences, paragraphs=paragraphs, quantities=quantities, places=tuple(places),
        actors=tuple(actors), claimants=tuple(claimants), dates=dates, country=country,
        reference_date=doc.published or first_full_date(dates),
    )


# "…, the army said in a statement in Maiduguri": where a statement was made, not where it happened.
_SAID_IN = re.compile(r"\b(said|says|told|statement|speaking|briefing|reporters|press conference|quoted)\b"
                      r"[^.;]{0,40}\b(in|from|at)\s+$", re.IGNORECASE)


def is_dateline(text: str, start: int, end: int) -> bool:
    """True for a place written in capitals at the start of a line: "QUETTA –", "MAIDUGURI, Nigeria (CWS) –"."""
    surface = text[start:end]
    return len(surface) > 2 and surface.isupper() and (start == 0 or text[start - 1] == "\n")


def where_said(text: str, start: int) -> bool:
    """True when the place at *start* is where a statement was made ("told reporters in Peshawar")."""
    return bool(_SAID_IN.search(text[max(0, start - 80):start]))


def document_places_of(doc: Document, country_hint: str | None = None) -> list[dict]:
    """One row per distinct place named in *doc* (see `places.document_places`)."""
    from .places import document_places

    return document_places(recognise(doc.text, country_hint)[0])


def main_country(places) -> str | None:
    """The country most of a document's places are in."""
    votes = Counter(m.place.country for m in places if m.place.country)
    return votes.most_common(1)[0][0] if votes else None


def first_full_date(dates) -> dt.date | None:
    """The first day-precise date with a year the text states (a stand-in for a missing dateline)."""
    for d in dates:
        if d.date is not None and d.precision == 1:
            return d.date
    return None


@lru_cache(maxsize=1)
def ruler_patterns() -> tuple[tuple[str, str], ...]:
    """Entity-ruler patterns: actor names and aliases (ORG), bundled extra places (GPE)."""
    from .. import data

    out: list[tuple[str, str]] = []
    for entry in data.load_json("actors.json").get("actors", []):
        for name in [entry.get("name", "")] + entry.get("aliases", []):
            if len(name) > 2:
                out.append(("ORG", name))
    for _, line in data.lines("extra_places.tsv"):
        fields = line.split("\t")
        if len(fields) > 2 and fields[0] != "id":
            out.extend(("GPE", n) for n in [fields[1], *fields[2].split("|")] if n)
    return tuple(dict.fromkeys(out))


def parse_candidates(analysis: Analysis) -> dict[int, object]:
    """spaCy parse of the candidate sentences, keyed by sentence index (`parse_many` of one document)."""
    return parse_many([analysis])[0]


def parse_many(analyses: list[Analysis]) -> list[dict[int, object]]:
    """spaCy parse of the candidate sentences of several documents: one dict per document, keyed by
    sentence index.

    The sentences of all the documents go through spaCy together: on sentence-sized texts, spaCy's
    cost per call is a third of the parse. Sentences with a capture word also get named entities, to
    find a named person taken hostage; the rest are tagged and parsed only (twice as fast).
    """
    from .parse import parse

    plain: list[tuple[int, int]] = []   # (document, sentence)
    names: list[tuple[int, int]] = []
    for k, a in enumerate(analyses):
        for i in a.candidates():
            (names if _CAPTURE_CUE.search(a.doc.text, *a.sentences[i]) else plain).append((k, i))
    out: list[dict[int, object]] = [{} for _ in analyses]
    for keys, ner in ((plain, False), (names, True)):
        texts = (analyses[k].doc.text[slice(*analyses[k].sentences[i])] for k, i in keys)
        for (k, i), parsed in zip(keys, parse(texts, ruler_patterns(), ner=ner)):
            out[k][i] = parsed
    return out
