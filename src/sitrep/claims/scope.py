"""Where a figure applies and whether it is about this incident (SPEC §3 location, event_scope).

Location: only an incident with several sites has figures limited to one of
them (`sites`); a town named with "alone" limits its own sentence anyway. A
sentence naming exactly one town (not as an example after "including", not as
a dateline, not as a landmark "near X") is about that town and sets the
paragraph's focus; a sentence naming no town inherits the focus; several towns
mean no single place. Background figures keep the place they name.

Scope: a figure is background when its sentence names an earlier incident
("the initial phase", "last year", a date weeks before the article) or
continues a sentence that did, or when its own clause does ("a string of
attacks that had killed nine", "January's bombing, which killed 60").
"""

from __future__ import annotations

import datetime as dt
import re

from ..nlp import is_dateline, where_said
from .vocab import is_background

_EXAMPLE = re.compile(r"\b(including|such as|like|among them|notably)\b[^.;:]*$", re.IGNORECASE)
_ALONE = re.compile(r"^\W{0,3}alone\b", re.IGNORECASE)
# "20 died in all": a total over every place, whatever town the paragraph is about.
_TOTAL = re.compile(r"\b(in all|in total|overall|altogether|combined|across (the|all|several|\w+ (districts|towns|cities|provinces|villages)))\b", re.IGNORECASE)
_ANAPHOR = re.compile(r"^(that|those|this|these|the same|it|the earlier|the previous)\b", re.IGNORECASE)
CITY_KINDS = {"city", "part"}
AREA_KINDS = {"admin1", "admin2"}
BACKGROUND_DAYS = 30
# "in 2018", "in January 2023": a year before the article's ("since 2015" spans the present, so it is not one)
_YEAR = re.compile(r"\b(?i:in|of|during)\s+(?:[A-Z][a-z]+\s+)?((?:19|20)\d\d)\b")
# "near Somalia's capital Mogadishu", "40 km from X", "a bus returning from X to Y": a point of reference, not a site.
_REFERENCE = re.compile(r"\b(near|nearby|outside|from|to|towards|toward|via|off|beyond|past|bordering|"
                        r"north of|south of|east of|west of|(?:north|south|east|west)(?:-\w+)? of)\s+$", re.IGNORECASE)
_PLACE_NOUN = re.compile(r"(?:(?:the|its|[A-Z][\w-]*['’]s)\s+)*(?:(?:town|city|village|capital|district|region|"
                         r"province|county|state|area|outskirts)\s+(?:of\s+)?)?$", re.IGNORECASE)


def is_reference(text: str, start: int) -> bool:
    """True when the place at *start* only locates something else ("near X", "30 km from X", "to X")."""
    before = text[max(0, start - 60):start]
    m = _PLACE_NOUN.search(before)
    return bool(_REFERENCE.search(before[:m.start()] if m else before))


def is_container(text: str, end: int) -> bool:
    """True for "Jammu's Reasi district", "Mali's Mopti region": the possessive holds the place after it."""
    return bool(re.match(r"['’]s\s+[A-Z]", text[end:end + 4]))


def _not_a_site(text: str, m) -> bool:
    return (is_dateline(text, m.start, m.end) or where_said(text, m.start) or is_reference(text, m.start)
            or is_container(text, m.end))


def sites(text: str, mentions, sentences, scopes, city_of) -> set[str]:
    """The places an article's own incident happened at: towns, and areas that hold none of those towns.

    Datelines, where statements were made, points of reference and places of
    background sentences are no sites. An article with one site (or none) is
    about a single-site incident: its figures have no place of their own.
    """
    towns, areas = set(), {}
    for (a, b), scope in zip(sentences, scopes):
        if scope != "main":
            continue
        for m in mentions:
            if a <= m.start < b and not _not_a_site(text, m):
                if m.place.kind in CITY_KINDS:
                    towns.add((city_of(m), m.place.admin1, m.place.admin2))
                elif m.place.kind in AREA_KINDS:
                    areas[m.place.name] = m
    held = {x for _, a1, a2 in towns for x in (a1, a2) if x}
    return {t for t, _, _ in towns} | {name for name in areas if name not in held}


def subject_places(r, sent, offset: int, text: str, mentions, city_of) -> tuple[list[str], bool]:
    """The places a figure's clause names as its subject, when they say where the figure holds.

    "A, B and C reported 3 deaths each", "A and B each had one": the figure
    holds for every place listed, so each gets its own claim. In an incident
    with several sites, "Uasin Gishu reported 4 deaths while Nakuru ..." gives
    the 4 to Uasin Gishu alone. Returns (places, distributive); no places when
    the subject names none, or several without "each".
    """
    verb = r.cue if r.cue is not None and r.cue.pos_ in {"VERB", "AUX"} else r.anchor.head
    while verb is not None and verb.pos_ not in {"VERB", "AUX"} and verb.head.i != verb.i:
        verb = verb.head
    subj = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None) if verb is not None else None
    if subj is None:
        return [], False
    sub = list(subj.subtree)
    start, end = offset + sub[0].idx, offset + sub[-1].idx + len(sub[-1].text)
    names = list(dict.fromkeys(city_of(m) for m in mentions if start <= m.start < end
                               and m.place.kind in CITY_KINDS | AREA_KINDS and not _not_a_site(text, m)))
    if len(names) > 1 and any(t.lower_ == "each" for t in sent):
        return names, True
    return (names, False) if len(names) == 1 else ([], False)


def locations(claim, limited: bool, places: list[str], each: bool, where: set[str]) -> list[str | None]:
    """The location of each claim a figure gives: one per place of a distributive list, else one.

    *claim* carries the paragraph focus as its location; *limited* says the
    sentence limits the figure itself ("in Quetta alone"); *places*/*each* come
    from `subject_places`; *where* are the incident's sites.
    """
    if each:
        return places  # "Nakuru, Kajiado and Mombasa reported 3 deaths each": one claim per place
    if places and len(where) > 1:
        return places  # "Uasin Gishu reported 4 deaths while ...": the clause's own place
    if claim.event_scope == "main" and len(where) < 2 and not limited:
        return [None]  # one site: the figure is the incident's, not a place's within it
    return [claim.location]


class Focus:
    """Tracks the place a paragraph is about while its sentences are read in order."""

    def __init__(self, city_of, sites: set[str] = frozenset()):
        self.city_of = city_of          # PlaceMention -> canonical town name (parts map to their town)
        self.paragraph = -1
        self.current: str | None = None
        self.sites = sites              # areas among these count as places of their own ("Uasin Gishu reported 4")

    def sentence(self, paragraph: int, text: str, start: int, end: int, mentions) -> tuple[str | None, bool]:
        """(location, limited) for figures in the sentence text[start:end]; updates the paragraph focus.

        *limited* is True when the sentence itself limits its figures to the place ("in Quetta alone").
        """
        if paragraph != self.paragraph:
            self.paragraph, self.current = paragraph, None
        if _TOTAL.search(text, start, end):
            return None, False
        towns: list[str] = []
        for m in mentions:
            if not (start <= m.start < end):
                continue
            if m.place.kind not in CITY_KINDS and not (m.place.kind in AREA_KINDS and m.place.name in self.sites):
                continue
            if _ALONE.match(text[m.end:m.end + 12]):
                return self.city_of(m), True  # "in Quetta alone": this sentence only
            if _EXAMPLE.search(text[start:m.start]):
                continue  # "12 cities, including Quetta": an example, not a limit
            if _not_a_site(text, m):
                continue  # "QUETTA –", "said in Quetta", "near Quetta": where words were written, or a landmark
            town = self.city_of(m)
            if town not in towns:
                towns.append(town)
        if len(towns) == 1:
            self.current = towns[0]
            return towns[0], False
        if towns:
            self.current = None
            return None, False
        return self.current, False


_EARLIER = {"earlier", "previous", "prior", "past", "former"}


def earlier_clause(cue, lead: dt.date | None) -> bool:
    """True when a figure's verb sits in a clause about an earlier incident than the article's (*lead*
    is its incident day): "attacks that had killed nine", "January's bombing, which killed 60" in June."""
    if cue is None or cue.dep_ != "relcl":
        return False
    if any(c.dep_ == "aux" and c.lower_ in {"had", "'d"} for c in cue.children):
        return True
    antecedent = cue.head.head if cue.head.dep_ == "pobj" and cue.head.head.dep_ == "prep" else cue.head
    if any(w.lower_ in _EARLIER for n in (cue.head, antecedent.head, antecedent) for w in n.children
           if w.dep_ == "amod"):
        return True  # "an earlier shooting in which a boy was killed", "the previous raid, which killed 9"
    if lead is None:
        return False
    from ..nlp.dates import month_or_year

    noun, nouns = cue.head, []
    while noun is not None and len(nouns) < 4:  # "January's bombing of the centre in the town, which killed"
        nouns.append(noun)
        noun = noun.head.head if noun.dep_ == "pobj" and noun.head.dep_ == "prep" else None
    for n in nouns:
        for left in n.lefts:
            for w in left.subtree:
                when = month_or_year(w.text.removesuffix("'s").removesuffix("’s").removesuffix("s"))
                if when is None:
                    continue
                kind, value = when
                if kind == "year" and value < lead.year or kind == "month" and value != lead.month:
                    return True
    return False


def lead_date(dates, sentences, lead: int = 3) -> dt.date | None:
    """The earliest date the first sentences of an article give: the day (or month) of its incident."""
    if not sentences:
        return None
    end = sentences[min(lead, len(sentences)) - 1][1]
    found = [d.date for d in dates if d.date is not None and d.start < end and d.precision in (1, 2, 3)]
    return min(found) if found else None


class Scope:
    """Marks figures about earlier incidents as background."""

    def __init__(self, reference: dt.date | None, lead: dt.date | None = None):
        # Dates are compared with the incident's day as the lead gives it, when the article is a late
        # report ("a strike in April", published in October), else with the publication date.
        self.reference = min(d for d in (reference, lead) if d is not None) if (reference or lead) else None
        self.paragraph = -1
        self.previous = False

    def sentence(self, paragraph: int, sentence: str, dates) -> str:
        if paragraph != self.paragraph:
            self.paragraph, self.previous = paragraph, False
        past = is_background(sentence)
        if not past and self.reference is not None:
            past = any(d.date is not None and (self.reference - d.date).days > BACKGROUND_DAYS for d in dates)
            past = past or any(int(y) < self.reference.year and (self.reference.month > 2 or int(y) < self.reference.year - 1)
                               for y in _YEAR.findall(sentence))
        if not past and self.previous and _ANAPHOR.match(sentence.strip()):
            past = True
        self.previous = past
        return "background" if past else "main"
