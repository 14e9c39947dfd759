"""Recognise place names in news text and resolve each one to a gazetteer entry.

Steps, per document:

1. Candidates: the gazetteer's Aho-Corasick automaton runs over the folded
   text (lowercase, no accents, punctuation blanked); a hit counts when it
   covers whole words that are all capitalised, and the longest hit wins.
2. Context: countries and provinces named in the text, towns whose name
   points to one country, and ``country_hint`` vote; the leaders become the
   document's context countries and admin1 regions.
3. Resolution: an ambiguous name goes to a candidate in an admin1 the text
   names, else in a context admin1, else in a context country, then to the
   bigger kind and population.  A candidate outside the context must be a
   country, a province or a town of 100,000 known by that very name; a town
   of 15,000 will do after a locative ("near Safed", "at Metula and Safed"),
   also by a multi-word alternate name only it has ("near Kiryat Shmona").
4. Spelling variants: a capitalised word left over is compared (rapidfuzz
   ratio plus metaphone, NYSIIS and match-rating codes) with the names of
   places in the context admin1, then the context country, never elsewhere.
5. Words that are town names somewhere but ordinary words here ("Over",
   "Police", "Media") come from ``sitrep/data/place_stopwords.txt``; cheap
   person and organisation patterns ("Mohammad Hussain", "Faysal Bank",
   "Gen. X", "X said") only let through strong places.

Rules on top of these:

* Organisations: a place inside an organisation or outlet name is no place
  mention.  The caller may pass the spans it knows (``exclude_spans``, e.g.
  actor-lexicon hits); cheap patterns catch the rest: an organisation word
  later in the same capitalised run ("Balochistan Liberation Army", "Kenya
  Defence Forces", "The Kyiv Independent"), a lowercase one right after
  ("Sinaloa cartel", "Saba news agency"), a head word right before ("Radio
  Mogadishu", "Islamic State Somalia") or "Armed Forces of the Philippines".
  Such names still vote, weakly, for their country.  Persons: a capitalised
  run of two or more words after "named" / "identified as".  In a Title Case
  headline only the word right after a name can make it an organisation's,
  and no spelling guesses are made.
* Admin designators: "X district/province/region/state/county/zone" takes
  the admin unit named X (admin2 for district-like words, admin1 for
  province-like ones), even when X is a common word ("Bay region", "the
  Centre department"); for "Timbuktu region" with no unit of that name, the
  unit whose biggest town X is.  "X region" avoids a city-state unit
  ("Moscow region" is the oblast, not the city of Moscow); "Kalat and
  Mastung districts" designates both.  In "Town, X" an admin unit X that
  holds the town is preferred ("Patikul, Sulu"), except inside a list of
  three or more names ("Quetta, Pasni, Gwadar and Turbat").
* Seats: without a designator, an admin unit resolves to its seat town when
  that town's own name is spelt like the text's and it is the unit's main
  town ("Jenin refugee camp", "Deir al-Balah", "Dantewada").
* Admin1 named in the text outranks admin1 inferred from towns, so
  "Bijapur, Chhattisgarh" is the Chhattisgarh one.
* Spelling: an apostrophe inside a word joins it ("Ma'rib"); Arabic articles
  before a hyphen ("al-Fashir") are skipped; capitalised words written
  apart or hyphenated are also looked up joined ("Beled Weyne",
  "Pétion-Ville"), within the context countries only.  The gazetteer adds
  spellings without apostrophes and Arabic articles (see its docstring).
* Outside the context, a town or province glued by a hyphen to another
  capitalised word ("Mayo-Sava") is no mention of itself.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable

import jellyfish
from rapidfuzz import fuzz, process

from sitrep import data
from sitrep.errors import DataFileError
from sitrep.nlp import gazetteer, imported, speech
from sitrep.nlp.gazetteer import APOSTROPHES, Gazetteer, Place, fold, name_key

__all__ = ["Place", "PlaceMention", "find_places", "document_places"]

STOPWORDS_FILE = "place_stopwords.txt"
WORD_RE = re.compile(r"[^\W_]+")
APOSTROPHE_RE = re.compile(f"[^\\W_][{APOSTROPHES}][^\\W_]")  # inside a word: "Ma'rib"
RUN_GAP_RE = re.compile(r"[ \t]*[-\u2010\u2011]?[ \t]*")  # gap inside one capitalised name
TITLE_GAP_RE = re.compile(r"\.?[ \t]+")  # "Gen. X", "Mr X"
OPENERS = " \t\"'\u201c\u2018([{*\u2022-"
SENTENCE_ENDS = ".!?:;\n\r"
# Lowercase words allowed inside a capitalised name ("Rio de Janeiro", "Dera Ismail Khan").
CONNECTORS = frozenset(
    "de del della di da do dos das du des la le les el al ad ar as ash at az an ul "
    "e i y van von der den of and on upon sur en im am bin ibn bint "
    "au aux sous et ez es ed er ech esh".split()  # "Port-au-Prince", "Deir ez-Zor"
)
# Arabic articles written before a hyphen: "al-Fashir", "el-Geneina".
ARTICLES = frozenset("al el as ad ar an at az ash ath adh ed es et er en ez".split())
# Words after a name that make it an admin unit, by the level they usually mean
# ("Kech district", "Paktika province"), and words that make it a town.
ADMIN2_WORDS = frozenset(
    "district districts zone zones territory territories raion rayon tehsil tehsils subdivision "
    "municipality municipalities agency lga arrondissement commune cercle woreda".split())
ADMIN1_WORDS = frozenset(
    "province provinces region regions state states governorate governorates oblast oblasts "
    "county counties department departments prefecture prefectures emirate".split())
CITY_WORDS = frozenset("city town".split())
# "the province of Paktika"
ADMIN_BEFORE = frozenset("province region district governorate county department prefecture".split())
CITY_STATE_SHARE = 0.35  # a unit whose same-named city holds this share of its people is a city-state
SEAT_RATIO = 80.0  # how alike an admin unit's name and its seat town's name must be
# The seat holds at least this share of the unit's people (or is its biggest town); a bare
# province name means the province more often than a bare district name means the district.
SEAT_SHARE = {"admin1": 0.2, "admin2": 0.1}
# Words before a capitalised run that make it a person's name ("a medic named X Y").
NAMING = frozenset("named nicknamed alias".split())
# Apostrophe tails that are English, not part of a name ("Kharkiv's", "don't").
ENGLISH_TAILS = frozenset("s t ll re ve d m".split())
JOINED_MAX_WORDS = 3
LIST_GAPS = frozenset([",", "and", ", and", "or", ", or", "&"])  # between names in a list
# Prepositions that put a place after them: "residents of Beledweyne said" is a place.
LOCATIVES = frozenset("in at near outside inside of from across around towards toward into".split())
KIND_RANK = {"country": 5, "admin1": 4, "city": 3, "part": 3, "admin2": 2}
BIG_CITY = 100_000  # a city this big outranks a province of the same name (Kano, Lagos)
OUTSIDE_MIN_POP = 15_000  # smallest town accepted outside the context, by its own name
OUTSIDE_ALT_MIN_POP = 1_000_000  # same, by an alternate name ("Bombay")
COUNTRY_VOTE, ADMIN1_VOTE, TOWN_VOTE, HINT_VOTE = 3.0, 2.0, 1.0, 5.0
ORG_VOTE = 1.0  # a country or province inside an organisation name ("Kenya Defence Forces")
CONTEXT_SHARE = 0.3  # a country (admin1) is context with this share of the leader's votes
CONTEXT_MIN_VOTES = 0.75  # ... and at least this much: one town of ~5,000 or more
FUZZY_MIN_LEN = 6  # "Marri" (a tribe) is one edit from "Murree"; shorter words are too risky
# Ratio a fuzzy match needs with no / 1 / 2 or more phonetic codes in common
# (metaphone, NYSIIS, match-rating codex): "Mungono" is 71 from "Monguno" with all three.
FUZZY_RATIO = (88.0, 80.0, 70.0)
FUZZY_RATIO_INITIAL = (92.0, 85.0, 80.0)  # for a sentence's first word, often a common word
# Endings of demonyms ("Ukrainian", "Congolese"), which sound like their country.
DEMONYM_ENDINGS = ("ian", "ians", "ean", "eans", "ese", "ish", "ans",
                   "ist", "ists")  # and -ist adjectives ("Maoist", "Islamist")
# First letters that spellings of one name often swap (Qalat/Kalat, Ziarat/Siarat).
LETTER_CLASS = {c: "v" for c in "aeiouy"} | {"q": "k", "c": "k", "z": "s", "w": "v"}


@dataclass(frozen=True, slots=True)
class PlaceMention:
    """One place named in a text: text[start:end] == surface."""

    start: int
    end: int
    surface: str
    place: Place
    score: float
    how: str  # "exact" | "alternate" | "fuzzy" | "unlisted" (no gazetteer entry: see _unlisted)
    #           | "imported" (a cued name only an imported GeoNames gazetteer has: see _imported)


# ---------------------------------------------------------------- word lists


@dataclass(frozen=True)
class _Lists:
    stop: frozenset[str]
    org_tails: frozenset[str]
    titles: frozenset[str]
    speech: frozenset[str]
    org_heads: frozenset[str]
    org_lower: frozenset[str]


SECTIONS = ("org-tails", "titles", "org-heads", "org-lower")


@lru_cache(maxsize=1)
def _lists() -> _Lists:
    """Load place_stopwords.txt once."""
    sections: dict[str, set[str]] = {"stop": set(), **{name: set() for name in SECTIONS}}
    current = "stop"
    for n, line in data.lines(STOPWORDS_FILE):
        line = line.split("#", 1)[0].strip()
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1].strip().lower()
            if current not in sections:
                raise DataFileError(str(data.path(STOPWORDS_FILE)), f"unknown section [{current}]", n)
            continue
        sections[current].add(name_key(line))
    stop = sections["stop"] | sections["org-tails"] | sections["titles"] | sections["org-heads"]
    said = frozenset(name_key(f) for f in speech.forms())  # "Zehri said": reporting_verbs.json, the one list
    return _Lists(frozenset(stop), frozenset(sections["org-tails"]), frozenset(sections["titles"]), said,
                  *(frozenset(sections[n]) for n in ("org-heads", "org-lower")))


# ---------------------------------------------------------------- document


@dataclass
class _Span:
    start: int
    end: int
    first: int  # token indices, inclusive
    last: int
    key_id: int
    acronym: bool
    cands: list[tuple[int, bool]] = field(default_factory=list)
    weak: bool = False  # in a person/organisation pattern: strong places only
    dead: bool = False  # organisation name: no place at all
    designated: str | None = None  # "admin1" | "admin2" | "city": the word after it says so
    stopword: bool = False  # a stop word let through by a designator ("Bay region")
    located: bool = False  # a locative comes before it ("in", "near")
    glued: bool = False  # hyphen-joined to a capitalised word outside the span ("Mayo-Sava")
    after_place: int = -1  # "Town, X": the town X follows after a comma


class _Doc:
    """Tokens of a text and per-token facts the rules need."""

    def __init__(self, text: str):
        self.text = text
        self.folded = fold(text)
        self.tokens = [(m.start(), m.end(), m.group()) for m in WORD_RE.finditer(text)]
        self.by_start = {t[0]: i for i, t in enumerate(self.tokens)}
        self.by_end = {t[1]: i for i, t in enumerate(self.tokens)}
        # Headlines in capitals: every word looks capitalised, none is an acronym.
        self.shouting = not any(c.islower() for c in text)
        self.glued = self._glued() if APOSTROPHE_RE.search(text) else set()
        self.caps = [w[0].isupper() for _, _, w in self.tokens]
        for i in self.glued:
            self.caps[i] = True
        self._title: list[tuple[int, int]] | None = None
        self.lower_words = {w for i, (_, _, w) in enumerate(self.tokens) if w.islower() and not self.caps[i]}
        self.run = self._runs()

    def _title_lines(self) -> list[tuple[int, int]]:
        """Character ranges of lines written in Title Case ("Gunmen Kill Six In Quetta")."""
        out, start, n, caps = [], 0, 0, 0
        line_end = self.text.find("\n")
        for s, _, w in self.tokens:
            while 0 <= line_end < s:  # close the lines before this token
                if n >= 4 and caps >= 0.9 * n:
                    out.append((start, line_end))
                start, n, caps = line_end + 1, 0, 0
                line_end = self.text.find("\n", start)
            if len(w) > 3 and w.isalpha():
                n += 1
                caps += w[0].isupper()
        if n >= 4 and caps >= 0.9 * n:
            out.append((start, len(self.text)))
        return out

    def in_title_line(self, i: int) -> bool:
        if self._title is None:
            self._title = self._title_lines()
        s = self.tokens[i][0]
        return any(a <= s < b for a, b in self._title)

    def _glued(self) -> set[int]:
        """Lowercase tokens that continue the word before an apostrophe ("rib" in "Ma'rib")."""
        out = set()
        for i in range(1, len(self.tokens)):
            s, _, w = self.tokens[i]
            prev_end = self.tokens[i - 1][1]
            if (s == prev_end + 1 and self.text[prev_end] in APOSTROPHES and w.islower()
                    and w not in ENGLISH_TAILS and (self.tokens[i - 1][2][0].isupper() or i - 1 in out)):
                out.add(i)
        return out

    def _runs(self) -> list[int]:
        """Number the runs of capitalised words ("Baloch Liberation Army" is one run)."""
        run, n, prev = [], -1, None
        for i, (s, e, w) in enumerate(self.tokens):
            if not self.caps[i]:
                run.append(-1)
                prev = None
                continue
            if prev is None or not (i in self.glued or RUN_GAP_RE.fullmatch(self.text, prev, s)):
                n += 1
            run.append(n)
            prev = e
        return run

    def cap(self, i: int) -> bool:
        return self.caps[i]

    def key(self, i: int) -> str:
        s, e, _ = self.tokens[i]
        return self.folded[s:e]

    def initial(self, i: int) -> bool:
        """Is token i the first word of a sentence or line?"""
        j = self.tokens[i][0] - 1
        while j >= 0 and self.text[j] in OPENERS:
            j -= 1
        return j < 0 or self.text[j] in SENTENCE_ENDS

    def acronym(self, i: int) -> bool:
        w = self.tokens[i][2]
        return not self.shouting and len(w) <= 4 and len(w) > 1 and w.isupper()

    def before(self, i: int) -> str | None:
        """Folded word just before token i when only spaces (or "Gen. ") separate them."""
        if i == 0 or not TITLE_GAP_RE.fullmatch(self.text, self.tokens[i - 1][1], self.tokens[i][0]):
            return None
        return self.key(i - 1)

    def after(self, i: int) -> str | None:
        """Folded word just after token i when only spaces separate them."""
        if i + 1 >= len(self.tokens):
            return None
        e, (s, e2, _) = self.tokens[i][1], self.tokens[i + 1]
        if not (s == e + 1 and self.text[e] == " ") and self.text[e:s].strip(" \t"):
            return None
        return self.folded[s:e2]

    def before_name(self, i: int) -> str | None:
        """Folded word before a name starting at token i, skipping an "al-" article."""
        if (i >= 2 and self.key(i - 1) in ARTICLES and self.tokens[i - 1][2].islower()
                and self.text[self.tokens[i - 1][1]:self.tokens[i][0]] in ("-", "\u2010", "\u2011")):
            return self.before(i - 1)
        return self.before(i)

    def hyphen_joined(self, first: int, last: int) -> bool:
        """Is the name at tokens first..last glued by a hyphen to a capitalised word?"""
        s, e = self.tokens[first][0], self.tokens[last][1]
        left = first > 0 and self.cap(first - 1) and self.text[self.tokens[first - 1][1]:s] == "-"
        right = last + 1 < len(self.tokens) and self.cap(last + 1) and self.text[e:self.tokens[last + 1][0]] == "-"
        return left or right

    def designator(self, last: int) -> str | None:
        """Level named by the word after a name: "Kech district" -> "admin2"."""
        nxt = self.after(last)
        if nxt in ADMIN2_WORDS:
            return "admin2"
        if nxt in ADMIN1_WORDS:
            return "admin1"
        if nxt in CITY_WORDS and not self.cap(last + 1):  # "Marib city"; "Gaza City" is a name
            return "city"
        return None


def _exact_spans(gz: Gazetteer, doc: _Doc) -> list[_Span]:
    """Find capitalised whole-word gazetteer names, longest first, not overlapping."""
    lists = _lists()
    padded = " " + doc.folded
    n = len(doc.folded)
    hits = []
    for end, k in gz.automaton.iter(padded):
        if end < n and doc.folded[end] != " ":  # hit ends inside a word
            continue
        start = end - len(gz.keys[k])
        first, last = doc.by_start.get(start), doc.by_end.get(end)
        if first is None or last is None:
            continue
        hits.append((start, end, first, last, k))
    hits.sort(key=lambda h: (h[0], h[0] - h[1]))
    spans, taken_to = [], -1
    for start, end, first, last, k in hits:
        if start < taken_to:
            continue
        words = range(first, last + 1)
        if not all(doc.cap(i) or (i not in (first, last) and doc.key(i) in CONNECTORS) for i in words):
            continue
        if gz.keys[k] in lists.speech and doc.in_title_line(first):  # "Police Say Six Killed"
            continue
        designated = doc.designator(last)
        stopword = gz.keys[k] in lists.stop
        if stopword and designated not in ("admin1", "admin2"):
            continue
        taken_to = end
        if doc.text.startswith(".", end) and "." in doc.text[start:end]:
            end += 1  # "U.S." keeps its last dot
        span = _Span(start, end, first, last, k, any(doc.acronym(i) for i in words),
                     designated=designated, stopword=stopword)
        # "the province of Paktika"; but in "the Ganfouda district of Benghazi" the district is Ganfouda.
        if designated is None and first >= 2 and doc.key(first - 1) == "of" and doc.key(first - 2) in ADMIN_BEFORE \
                and not (first >= 3 and doc.cap(first - 3)):
            span.designated = "admin2" if doc.key(first - 2) == "district" else "admin1"
        span.glued = doc.hyphen_joined(first, last)
        spans.append(span)
    _plural_designators(doc, spans)
    return spans


def _plural_designators(doc: _Doc, spans: list[_Span]) -> None:
    """"Rutshuru and Masisi territories": the plural word designates both names."""
    for a, b in zip(spans, spans[1:]):
        if a.designated is None and b.designated and doc.after(a.last) in ("and", "&") \
                and b.first == a.last + 2 and (doc.after(b.last) or "").endswith("s"):
            a.designated = b.designated


def _in_organisation(doc: _Doc, first: int, last: int, lists: _Lists) -> bool:
    """Is the name at tokens first..last part of an organisation or outlet name?"""
    n = len(doc.tokens)
    run = doc.run[last]
    stop = n
    if last + 2 < n and doc.run[last + 2] == run and doc.in_title_line(last):
        stop = last + 2  # in a Title Case headline every word is capitalised: only the next one counts
    j = last + 1
    while j < stop and doc.run[j] == run:  # "Balochistan Liberation Army", "Kyiv Independent"
        if doc.key(j) in lists.org_tails:
            return True
        j += 1
    nxt = doc.after(last)
    if nxt is not None and not doc.cap(last + 1):  # "Sinaloa cartel", "Saba news agency"
        if nxt in lists.org_lower or (doc.after(last + 1) and f"{nxt} {doc.after(last + 1)}" in lists.org_lower):
            return True
    run, words, j = doc.run[first], [], first - 1
    while j >= 0 and doc.run[j] == run and len(words) < 3:  # "Radio Mogadishu", "Islamic State Somalia"
        words.insert(0, doc.key(j))
        if " ".join(words) in lists.org_heads:
            return True
        j -= 1
    prev = doc.before(first)  # "Armed Forces of the Philippines", "University of Nairobi"
    k = -1  # index of "of"
    if prev == "of":
        k = first - 1
    elif prev == "the" and first >= 2 and doc.before(first - 1) == "of":
        k = first - 2
    if k > 0 and doc.cap(k - 1) and doc.before(k) is not None:
        head = doc.key(k - 1)
        return head in lists.org_tails or head in lists.org_heads
    return False


def _named_person(doc: _Doc, first: int) -> bool:
    """Is token first inside a capitalised run of two or more words after "named" / "identified as"?"""
    run = doc.run[first]
    start = first
    while start > 0 and doc.run[start - 1] == run:
        start -= 1
    end = first
    while end + 1 < len(doc.tokens) and doc.run[end + 1] == run:
        end += 1
    if end == start:
        return False
    prev = doc.before(start)
    return prev in NAMING or prev == "as" and start >= 2 and doc.before(start - 1) in ("identified", "known")


def _mark_patterns(doc: _Doc, spans: list[_Span], exclude: list[tuple[int, int]]) -> None:
    """Flag spans inside organisation names and person-name patterns."""
    lists = _lists()
    for s in spans:
        nxt, prev = doc.after(s.last), doc.before_name(s.first)
        s.located = prev in LOCATIVES
        if (_in_organisation(doc, s.first, s.last, lists) or _named_person(doc, s.first)
                or any(a < s.end and s.start < b for a, b in exclude)):
            s.dead = True
        run = doc.run[s.first]
        # A capitalised neighbour in the same run that is not a stop word ("In Quetta",
        # "Mastung District") makes it part of a longer name, most often a person's
        # ("Bashir Zeb", "Jam Kamal Khan"); so does a title ("Hassan Sheikh Mohamud").
        neighbours = [i for i in (s.first - 1, s.last + 1)
                      if 0 <= i < len(doc.tokens) and doc.run[i] == run
                      and (doc.key(i) not in lists.stop or doc.key(i) in lists.titles)]
        lower_too = s.first == s.last and doc.tokens[s.first][2].lower() in doc.lower_words
        s.weak = bool(neighbours) or prev in lists.titles or not s.located and (nxt in lists.speech or lower_too)
    for a, b in zip(spans, spans[1:]):  # "at Nahariya and Safed": the locative covers the list
        if a.located and not b.located and doc.text[a.end:b.start].strip(" ").lower() in LIST_GAPS:
            b.located = True


# ---------------------------------------------------------------- context


@dataclass
class _Context:
    countries: dict[str, float]  # country code -> votes
    admin1: dict[str, str]  # admin1 code -> its country, strongest first
    named: frozenset[str] = frozenset()  # admin1 codes the text names itself

    def tier(self, gz: Gazetteer, i: int) -> int:
        a1 = gz.admin1[i]
        if a1 in self.admin1:
            return 3 if a1 in self.named else 2
        if gz.countries[i] in self.countries:
            return 1
        return 0


def _reliable(gz: Gazetteer, i: int, canonical: bool) -> bool:
    return canonical or gz.pops[i] >= BIG_CITY or gz.kinds[i] <= 1  # countries, admin1


def _context(gz: Gazetteer, spans: list[_Span], hint: str | None) -> _Context:
    """Let countries, provinces and towns named in the text vote for the document's context."""
    votes: dict[str, float] = {}
    avotes: dict[str, float] = {}
    acountry: dict[str, str] = {}
    named: set[str] = set()

    def vote(i: int, w: float) -> None:
        votes[gz.countries[i]] = votes.get(gz.countries[i], 0.0) + w
        if gz.admin1[i] and gz.kind(i) != "country":
            avotes[gz.admin1[i]] = avotes.get(gz.admin1[i], 0.0) + w
            acountry[gz.admin1[i]] = gz.countries[i]

    for s in spans:
        if s.weak or s.acronym:
            continue
        cands = [(i, c) for i, c in s.cands if _reliable(gz, i, c)]
        admins = [i for i, _ in cands if gz.kind(i) in ("country", "admin1")]
        if s.dead:  # "Kenya Defence Forces", "Punjab Police": the organisation's country, weakly
            for i in admins:
                vote(i, ORG_VOTE / len(admins))
            continue
        if admins:
            w = COUNTRY_VOTE if any(gz.kind(i) == "country" for i in admins) else ADMIN1_VOTE
            for i in admins:
                vote(i, w / len(admins))
                if gz.kind(i) == "admin1":
                    named.add(gz.admin1[i])
            continue
        # Parts do not vote: "Red Zone" must not pull Quetta into a text about Islamabad.
        towns = [i for i, _ in cands if gz.kind(i) == "city"] or [
            i for i, _ in cands if gz.kind(i) == "admin2"]
        if not towns:
            continue
        # Split by population, so a city of a million outvotes a hamlet of the same name.
        weights = [gz.pops[i] / (10 if gz.kind(i) == "admin2" else 1) + 1000 for i in towns]
        total = sum(weights)
        for i, w in zip(towns, weights):
            vote(i, TOWN_VOTE * _weight(gz, i) * w / total)
    code = _country_code(hint) if hint else None
    if code:
        votes[code] = votes.get(code, 0.0) + HINT_VOTE
    countries = _leaders(votes)
    admin1 = _leaders({a: v for a, v in avotes.items() if acountry[a] in countries})
    # Provinces the text names come first: they are what fuzzy matching searches first.
    order = sorted(admin1, key=lambda a: (a in named, admin1[a]), reverse=True)
    return _Context(countries, {a: acountry[a] for a in order}, frozenset(named & set(admin1)))


def _weight(gz: Gazetteer, i: int) -> float:
    """How much naming this town says about the country: a hamlet alone says little."""
    if gz.is_extra(i):
        return 0.6  # extra-file places were added on purpose; their population is often unknown
    return min(1.0, max(0.2, math.log10(gz.pops[i] + 1) / 5))


def _leaders(votes: dict[str, float]) -> dict[str, float]:
    if not votes:
        return {}
    floor = max(CONTEXT_MIN_VOTES, CONTEXT_SHARE * max(votes.values()))
    return {k: v for k, v in votes.items() if v >= floor}


@lru_cache(maxsize=256)
def _country_code(hint: str) -> str | None:
    """Turn "PK", "PAK" or "Pakistan" into "PK"."""
    import pycountry

    try:
        return pycountry.countries.lookup(hint.strip()).alpha_2
    except LookupError:
        return None


# ---------------------------------------------------------------- resolution


NAMED_TOWN = 15_000


def _rank(gz: Gazetteer, ctx: _Context, i: int, canonical: bool) -> tuple:
    kind = gz.kind(i)
    rank = KIND_RANK[kind] + (1.5 if kind == "city" and gz.pops[i] >= BIG_CITY else 0)
    # A real town called exactly this beats one that only has it as an alternate name, before size:
    # "Tank" in a Pakistani text is Tank (44,000 people), not India's Tonk (alternate name "Tank");
    # a hamlet sharing a big city's spelling does not get that lift.
    named_town = canonical and kind == "city" and gz.pops[i] >= NAMED_TOWN
    return ctx.tier(gz, i), named_town, rank, canonical, gz.pops[i], -i


def _acceptable(gz: Gazetteer, ctx: _Context, i: int, canonical: bool, span: _Span, named: set[int]) -> bool:
    kind = gz.kind(i)
    if span.acronym and kind != "country":
        return False
    if kind == "part":
        parent = gz.parents[i]
        if parent not in named and gz.admin1[parent] not in ctx.admin1:
            return False
    tier = ctx.tier(gz, i)
    if span.stopword:  # a common word let through by "region" / "district": only an admin unit in context
        return kind in ("admin1", "admin2") and tier > 0
    if tier == 0 and kind != "country":
        if span.glued:  # "Mayo-Sava", "Tehrik-i-Taliban": half of a compound name
            return False
        if kind != "admin1" and not _known_abroad(gz, i, canonical, span):
            return False
    if span.weak:  # likely a person or an organisation: only what is surely a place
        return kind in ("country", "admin1") or tier > 0 and (
            gz.is_extra(i)  # added on purpose
            or kind == "city" and canonical and gz.pops[i] >= BIG_CITY)
    return True


def _known_abroad(gz: Gazetteer, i: int, canonical: bool, span: _Span) -> bool:
    """May a town outside the context countries be meant?  Big ones yes; others after "in", "near"..."""
    if gz.kind(i) != "city":
        return False
    pop = gz.pops[i]
    if pop >= OUTSIDE_ALT_MIN_POP or canonical and pop >= BIG_CITY:
        return True
    if not span.located or pop < OUTSIDE_MIN_POP:
        return False
    # By another name only when that name is one place's, and more than one word ("Kiryat Shmona").
    return canonical or span.first < span.last and len(span.cands) == 1


def _unit_code(gz: Gazetteer, i: int) -> str | None:
    """The admin code an admin1/admin2 place stands for."""
    kind = gz.kind(i)
    return gz.admin1[i] if kind == "admin1" else gz.admin2[i] if kind == "admin2" else None


def _in_unit(gz: Gazetteer, town: int, code: str | None) -> bool:
    return code is not None and (gz.admin1[town] == code or gz.admin2[town] == code)


def _city_state(gz: Gazetteer, span: _Span, i: int) -> bool:
    """Is admin unit i mostly one same-named city (Moskva, Kyiv city, Islamabad)?"""
    code = _unit_code(gz, i)
    return any(gz.kind(j) == "city" and _in_unit(gz, j, code) and gz.pops[j] >= CITY_STATE_SHARE * gz.pops[i]
               for j, _ in span.cands)


def _compact(key: str) -> str:
    return key.replace(" ", "")


def _seat(gz: Gazetteer, span: _Span, unit: int, surface_key: str) -> tuple[int, bool] | None:
    """The town an admin unit is named after, when the text names the unit without a designator.

    It lies in the unit, its own name is spelt like the text's ("Janin" for
    "Jenin", "Dayr al Balah" for "Deir al-Balah"; "Samangan" stays the
    province, since it is only an old name of its main town Aibak), and it is
    the unit's biggest town or holds a good share of its people.
    """
    code = _unit_code(gz, unit)
    if code is None:
        return None
    memo = (id(gz), code, surface_key)
    if memo not in _SEAT_CACHE:
        towns = gz.towns_in(code)
        floor = SEAT_SHARE[gz.kind(unit)] * gz.pops[unit]
        found = None
        for rank, j in enumerate(towns[:50]):
            if rank and gz.pops[j] < floor:
                break
            if _spelt_alike(_compact(surface_key), _compact(name_key(gz.names[j]))):  # "Hawija"
                found = j
                break
        if len(_SEAT_CACHE) > 50_000:
            _SEAT_CACHE.clear()
        _SEAT_CACHE[memo] = found
    j = _SEAT_CACHE[memo]
    if j is None:
        return None
    return j, any(i == j and c for i, c in span.cands)


def _spelt_alike(a: str, b: str) -> bool:
    """Two spellings of one name: close letters, about the same length ("Jenin"/"Janin", not "Abia"/"Aba")."""
    a, b = _bare(a), _bare(b)
    slack = 0 if min(len(a), len(b)) < 6 else 2
    return abs(len(a) - len(b)) <= slack and fuzz.ratio(a, b) >= SEAT_RATIO


def _bare(compact: str) -> str:
    """A compact key without a leading Arabic article ("alhawijah" -> "hawijah")."""
    for article in ("al", "el", "an", "ar", "as", "ad", "at", "az", "ash"):
        if compact.startswith(article) and len(compact) - len(article) >= 4:
            return compact[len(article):]
    return compact


_SEAT_CACHE: dict[tuple, int | None] = {}
ADMIN_KINDS = ("admin1", "admin2")


def _resolve(gz: Gazetteer, ctx: _Context, span: _Span, named: set[int]) -> tuple[int, bool] | None:
    ok = [(i, c) for i, c in span.cands if _acceptable(gz, ctx, i, c, span, named)]
    if not ok:
        return None
    rank = lambda ic: _rank(gz, ctx, *ic)  # noqa: E731
    level = span.designated
    if level in ADMIN_KINDS:
        admins = [ic for ic in ok if gz.kind(ic[0]) in ADMIN_KINDS]
        if admins:
            return max(admins, key=lambda ic: (ctx.tier(gz, ic[0]), gz.kind(ic[0]) == level,
                                               not _city_state(gz, span, ic[0]), rank(ic)))
        best = max(ok, key=rank)
        unit = _named_after(gz, best[0], level)
        return (unit, False) if unit is not None else best
    if level == "city":
        towns = [ic for ic in ok if gz.kind(ic[0]) in ("city", "part")]
        if towns:
            return max(towns, key=rank)
    if span.after_place >= 0:  # "Patikul, Sulu": the second name is the province holding the first
        admins = [ic for ic in ok if _holds(gz, ic[0], span.after_place)]
        if admins:
            return max(admins, key=rank)
    best = max(ok, key=rank)
    if gz.kind(best[0]) in ADMIN_KINDS:
        seat = _seat(gz, span, best[0], gz.keys[span.key_id])
        if seat is not None and ctx.tier(gz, seat[0]) >= ctx.tier(gz, best[0]):
            return seat
    return best


def _holds(gz: Gazetteer, unit: int, town: int) -> bool:
    """Does country or admin unit `unit` contain place `town`?"""
    kind = gz.kind(unit)
    if kind == "country":
        return gz.countries[town] == gz.countries[unit]
    if kind in ADMIN_KINDS and gz.countries[town] == gz.countries[unit]:
        return _in_unit(gz, town, _unit_code(gz, unit))
    return False


def _named_after(gz: Gazetteer, town: int, level: str) -> int | None:
    """"Timbuktu region": the admin unit whose biggest town is this one, if any."""
    if gz.kind(town) != "city":
        return None
    for code in ((gz.admin1[town], gz.admin2[town]) if level == "admin1" else (gz.admin2[town], gz.admin1[town])):
        towns = gz.towns_in(code)
        if towns and towns[0] == town:
            return gz.admin_unit(code)
    return None


# ---------------------------------------------------------------- fuzzy


class _Pool:
    """Names of the towns, districts and provinces in one country or admin1, by first-letter class.

    Parts of cities are left out (their spellings are listed by hand) and so
    are countries (a word that sounds like one is a demonym: "Israeli").
    """

    def __init__(self, gz: Gazetteer, country: str, admin1: str | None):
        stop = _lists().stop
        self.buckets: dict[str, tuple[list[str], list[int]]] = {}
        for k in gz.country_keys.get(country, ()):
            key = gz.keys[k]
            if len(key) < FUZZY_MIN_LEN - 1 or key in stop:
                continue
            if not any(_in_scope(gz, i, country, admin1) for i, _ in gz.postings(k)):
                continue
            keys, ids = self.buckets.setdefault(_letter_class(key), ([], []))
            keys.append(key)
            ids.append(k)


def _in_scope(gz: Gazetteer, i: int, country: str, admin1: str | None) -> bool:
    return (gz.countries[i] == country and (admin1 is None or gz.admin1[i] == admin1)
            and gz.kind(i) not in ("part", "country"))


def _letter_class(key: str) -> str:
    return LETTER_CLASS.get(key[0], key[0])


@lru_cache(maxsize=65536)
def _codes(key: str) -> tuple[str, str, str]:
    compact = key.replace(" ", "")
    return jellyfish.metaphone(compact), jellyfish.nysiis(compact), jellyfish.match_rating_codex(compact)


def _shared_codes(a: str, b: str) -> int:
    """Count the phonetic codes two keys share."""
    return sum(x == y and bool(x) for x, y in zip(_codes(a), _codes(b)))


_POOLS: dict[tuple[int, str, str | None], _Pool] = {}
_FUZZY_CACHE: dict[tuple, tuple[int, float] | None] = {}


def _pool(gz: Gazetteer, country: str, admin1: str | None) -> _Pool:
    key = (id(gz), country, admin1)
    pool = _POOLS.get(key)
    if pool is None:
        pool = _POOLS[key] = _Pool(gz, country, admin1)
    return pool


def _fuzzy_key(gz: Gazetteer, query: str, country: str, admin1: str | None, initial: bool):
    """Return (key id, ratio) of the closest-sounding name in one pool, or None."""
    memo = (id(gz), query, country, admin1, initial)
    if memo in _FUZZY_CACHE:
        return _FUZZY_CACHE[memo]
    need = FUZZY_RATIO_INITIAL if initial else FUZZY_RATIO
    keys, ids = _pool(gz, country, admin1).buckets.get(_letter_class(query), ([], []))
    best = None
    for key, score, pos in process.extract(query, keys, scorer=fuzz.ratio, score_cutoff=need[2], limit=8):
        if score >= need[min(_shared_codes(query, key), 2)] and (best is None or score > best[1]):
            best = (ids[pos], score)
    if len(_FUZZY_CACHE) > 100_000:
        _FUZZY_CACHE.clear()
    _FUZZY_CACHE[memo] = best
    return best


def _fuzzy(gz: Gazetteer, ctx: _Context, doc: _Doc, i: int) -> tuple[int, float] | None:
    """Match a leftover capitalised word to a place in the context, by spelling and sound."""
    query = doc.key(i)
    initial = doc.initial(i)
    scopes = [(country, a) for a, country in ctx.admin1.items()]
    scopes += [(c, None) for c in sorted(ctx.countries, key=ctx.countries.get, reverse=True)]
    for country, admin1 in scopes:
        hit = _fuzzy_key(gz, query, country, admin1, initial)
        if hit is None:
            continue
        k, score = hit
        places = [(j, c) for j, c in gz.postings(k) if _in_scope(gz, j, country, admin1)]
        if places:
            j, _ = max(places, key=lambda jc: _rank(gz, ctx, *jc))
            return j, score
    return None


def _free_token(doc: _Doc, i: int, lists: _Lists) -> bool:
    """May token i start or end a name: not after a title, not a person or body before "said"?"""
    prev = doc.before_name(i)
    return prev not in lists.titles and (prev in LOCATIVES or doc.after(i) not in lists.speech)


def _fuzzy_tokens(gz: Gazetteer, doc: _Doc, spans: list[_Span], taken: set[int]) -> list[int]:
    """Capitalised words that may be misspelt place names: alone, unknown, not ordinary words."""
    lists = _lists()
    out = []
    for i, (_, _, w) in enumerate(doc.tokens):
        key = doc.key(i)
        if (not doc.cap(i) or i in taken or key in lists.stop
                or len(w) < FUZZY_MIN_LEN or not w.isalpha() or doc.acronym(i)
                or w.lower() in doc.lower_words or _demonym(gz, key)
                or doc.in_title_line(i)):  # every word is capitalised there: spellings are too risky
            continue
        # Next to another capitalised non-stop word it is a person ("Volodymyr Zelenskyy").
        run = doc.run[i]
        if any(doc.run[j] == run and doc.key(j) not in lists.stop
               for j in (i - 1, i + 1) if 0 <= j < len(doc.tokens)):
            continue
        if _free_token(doc, i, lists) and not _in_organisation(doc, i, i, lists):
            out.append(i)
    return out


def _demonym(gz: Gazetteer, key: str) -> bool:
    """Does the word look like a demonym ("Ukrainian", "Pakistani", "Kenyan", "Mexican")?"""
    if key.endswith(DEMONYM_ENDINGS):
        return True
    stems = []
    if key[-1] in "in":
        stems.append(key[:-1])  # Pakistan-i, Kenya-n
    if key.endswith("an"):
        stems += [key[:-2] + "o", key[:-2] + "a", key[:-1]]  # Mexic-an, Cub-an, Moroccan
    for stem in stems:
        k = gz.key_id(stem)
        if k is not None and any(gz.kind(i) in ("country", "admin1") for i, _ in gz.postings(k)):
            return True
    return False


# ---------------------------------------------------------------- joined words

_JOINED: dict[tuple[int, str], dict[str, list[int]]] = {}


def _joined_keys(gz: Gazetteer, country: str) -> dict[str, list[int]]:
    """Name keys of one country by their letters alone ("beledweyne" -> "beled weyne", "beledweyne")."""
    memo = (id(gz), country)
    table = _JOINED.get(memo)
    if table is None:
        table = _JOINED[memo] = {}
        for k in gz.country_keys.get(country, ()):
            table.setdefault(_compact(gz.keys[k]), []).append(k)
    return table


def _joined(gz: Gazetteer, ctx: _Context, doc: _Doc, taken: set[int]) -> list[PlaceMention]:
    """Look up capitalised words written apart or hyphenated as one name ("Beled Weyne", "Pétion-Ville").

    Only names of places in the context countries count, and only where exact
    matching found nothing.
    """
    lists = _lists()
    found = []
    n = len(doc.tokens)
    i = 0
    run = doc.run
    while i < n:
        if i in taken or run[i] < 0 or doc.key(i) in lists.stop:
            i += 1
            continue
        hit = None
        for j in range(min(n - 1, i + JOINED_MAX_WORDS - 1), i - 1, -1):
            words = range(i, j + 1)
            if run[j] != run[i] or any(t in taken or doc.acronym(t) for t in words):
                continue
            if j == i and len(doc.key(i)) < FUZZY_MIN_LEN:  # one word: only against names written in two
                continue
            joined = "".join(doc.key(t) for t in words)
            hit = _joined_place(gz, ctx, joined, single_word=j == i)
            if hit is not None and (doc.key(j) in lists.stop
                                    or not (_free_token(doc, i, lists) and _free_token(doc, j, lists))):
                hit = None
            if hit is not None:
                s, e = doc.tokens[i][0], doc.tokens[j][1]
                if not _in_organisation(doc, i, j, lists):
                    found.append(PlaceMention(s, e, doc.text[s:e], gz.place(hit[0]), 1.0, "alternate"))
                taken.update(words)
                break
        i = (j + 1) if hit is not None else i + 1
    return found


def _joined_place(gz: Gazetteer, ctx: _Context, joined: str, single_word: bool) -> tuple[int, bool] | None:
    best = None
    for country in ctx.countries:
        for k in _joined_keys(gz, country).get(joined, ()):
            if single_word and " " not in gz.keys[k]:
                continue  # the exact matcher saw this one already
            for i, c in gz.postings(k):
                if gz.countries[i] == country and gz.kind(i) in ("city", "admin2", "admin1") \
                        and (best is None or _rank(gz, ctx, i, c) > _rank(gz, ctx, *best)):
                    best = (i, c)
    return best


# ---------------------------------------------------------------- API


def _listed(text: str, spans: list[_Span]) -> list[bool]:
    """Is span n in a list of three or more names ("Quetta, Pasni, Gwadar and Noshki")?

    There "Pasni, Gwadar" is two towns, not a town and its district.
    """
    live = [n for n, s in enumerate(spans) if not s.dead]
    linked = [text[spans[a].end:spans[b].start].strip(" ").lower() in LIST_GAPS for a, b in zip(live, live[1:])]
    out = [False] * len(spans)
    for k, n in enumerate(live):
        left = k > 0 and linked[k - 1]
        left2 = k > 1 and linked[k - 2]
        right = k < len(linked) and linked[k]
        out[n] = left and (left2 or right)
    return out


def find_places(text: str, *, country_hint: str | None = None,
                index: Gazetteer | None = None,
                exclude_spans: Iterable[tuple[int, int]] | None = None) -> list[PlaceMention]:
    """Find and resolve the places named in one document, in text order.

    ``country_hint`` (alpha-2, alpha-3 or name) adds weight to one country;
    ``index`` is a gazetteer from ``gazetteer.load(path)`` (default: cached);
    ``exclude_spans`` are (start, end) character spans the caller knows are
    no places, such as actor or organisation names ("Tehrik-i-Taliban
    Pakistan"): no mention overlapping one is returned.
    """
    gz = index if index is not None else gazetteer.load()
    exclude = sorted(exclude_spans or ())
    doc = _Doc(text)
    spans = _exact_spans(gz, doc)
    for s in spans:
        s.cands = gz.postings(s.key_id)
    _mark_patterns(doc, spans, exclude)
    ctx = _context(gz, spans, country_hint)
    named = {i for s in spans if not (s.dead or s.weak) for i, _ in s.cands}
    found: list[PlaceMention] = []
    taken = {i for s in spans if s.dead for i in range(s.first, s.last + 1)}
    listed = _listed(text, spans)
    last_end, last = -1, -1
    for n, s in enumerate(spans):
        if (last >= 0 and gz.kind(last) in ("city", "part", "admin2") and text[last_end:s.start].strip(" ") == ","
                and not listed[n]):
            s.after_place = last
        pick = None if s.dead else _resolve(gz, ctx, s, named)
        if pick is not None:
            i, canonical = pick
            found.append(PlaceMention(s.start, s.end, text[s.start:s.end], gz.place(i), 1.0,
                                      "exact" if canonical else "alternate"))
            taken.update(range(s.first, s.last + 1))
            last_end, last = s.end, i
    if exclude:
        taken.update(t for t, (a, b, _) in enumerate(doc.tokens) if any(x < b and a < y for x, y in exclude))
    if ctx.countries:
        found += _joined(gz, ctx, doc, taken)
        taken.update(i for s in spans if s.weak for i in range(s.first, s.last + 1))
        for t in _fuzzy_tokens(gz, doc, spans, taken):
            hit = _fuzzy(gz, ctx, doc, t)
            if hit is not None:
                s, e, w = doc.tokens[t]
                found.append(PlaceMention(s, e, w, gz.place(hit[0]), round(hit[1] / 100, 3), "fuzzy"))
    found = _unlisted(gz, ctx, doc, found, taken, exclude)
    found.sort(key=lambda m: m.start)
    return found


PRECISION = {"part": 1, "city": 1, "admin2": 2, "admin1": 3, "country": 3}


def document_places(mentions) -> list[dict]:
    """Summarise mentions as one row per distinct place, in order of first mention.

    Rows carry the Place fields plus ``variants`` (surface forms seen),
    ``count``, ``precision`` (1 town or part of one, 2 district,
    3 province or country, as in event-data geo precision) and ``gazetteer``
    (which one answered: `gazetteer_of`).
    """
    rows: dict[str, dict] = {}
    for m in mentions:
        p = m.place
        row = rows.get(p.id)
        if row is None:
            row = rows[p.id] = {
                "id": p.id, "geonameid": p.geonameid, "name": p.name,
                "latitude": p.latitude, "longitude": p.longitude,
                "admin1": p.admin1, "admin2": p.admin2, "country": p.country,
                "kind": p.kind, "parent": p.parent, "precision": p.precision or PRECISION[p.kind],
                "gazetteer": gazetteer_of(p), "variants": [], "count": 0,
            }
        if m.surface not in row["variants"]:
            row["variants"].append(m.surface)
        row["count"] += 1
    return list(rows.values())


def gazetteer_of(p: Place) -> str:
    """Which gazetteer answered for a place: "bundled", "extra_places.tsv", "geonames:<file>" for an
    imported GeoNames file, or "none" for a name no gazetteer knows, placed at what holds it."""
    if p.source:
        return p.source
    if p.id.startswith("u:"):
        return "none"
    return gazetteer.EXTRA_FILE if p.id.startswith("x:") else "bundled"


# ---------------------------------------------------------------- unlisted places

CUES_FILE = "place_cues.json"
UNLISTED_MAX_WORDS = 3
# Words a capitalised run may open with that are not part of the name after them ("The Sabo base").
LEADING = frozenset("the a an in at near outside from to of on into this that its their his her our and but by".split())
_GAP_WORDS = r"(?:(?:the|its|a)\s+)?(?:(?:{nouns})\s+(?:of\s+)?)?"
_DIRECTION = r"(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?"
_DISTANCE = (r"\(?(?:about|some|around|roughly|nearly|almost|over|just|only|less than|more than)?\s*"
             r"(?:[\d.,]+|[a-z]+(?:\s+[a-z]+)?)\s*-?\s*(?:km|kms|kilomet(?:er|re)s?|miles?)\)?"
             r"(?:\s*\([^)]{0,20}\))?\s+(?:" + _DIRECTION + r"\s+)?(?:of|from)\s+")


@dataclass(frozen=True)
class _Cues:
    designators: dict[str, str]  # word -> "town" | "area"
    parts: frozenset[str]  # designators of a part of a town: "the X quarter of Y" names X, a part of Y
    lookup_only: frozenset[str]  # designators that only send a name to an imported gazetteer ("X region")
    modifiers: frozenset[str]
    anchored: tuple[tuple[str, ...], ...]  # prepositions as word tuples ("close", "to")
    people: frozenset[str]
    anchor_gap: re.Pattern  # between an anchored name and the known place that anchors it
    holder_gap: re.Pattern  # ... and also after "in"/"at": ", Y", " in Y"
    container_gap: re.Pattern  # between a designator phrase and the place that holds it


@lru_cache(maxsize=1)
def _cues() -> _Cues:
    """Load place_cues.json once and compile its gaps."""
    raw = data.load_json(CUES_FILE)
    try:
        designators = {k.lower(): v for k, v in raw["designators"].items()}
        bad = sorted(k for k, v in designators.items() if v not in ("town", "area"))
        if bad:
            raise DataFileError(str(data.path(CUES_FILE)), f"designator(s) {', '.join(bad)} must be 'town' or 'area'")
        nouns = "|".join(sorted(map(re.escape, raw["container_nouns"]), key=len, reverse=True))
        anchored = tuple(tuple(p.lower().split()) for p in raw["anchored"])
        modifiers, people = frozenset(raw["modifiers"]), frozenset(raw["people"])
        parts = frozenset(w.lower() for w in raw["parts"])
        lookup_only = {k.lower(): v for k, v in raw["imported_designators"].items()}
        if any(v not in ("town", "area") for v in lookup_only.values()) or lookup_only.keys() & designators.keys():
            raise DataFileError(str(data.path(CUES_FILE)), "imported_designators must be 'town' or 'area' "
                                                            "and no designators already")
        designators.update(lookup_only)
        if parts - designators.keys():
            raise DataFileError(str(data.path(CUES_FILE)), f"parts {', '.join(sorted(parts - designators.keys()))} "
                                                            "must be designators too")
    except (KeyError, AttributeError, TypeError) as e:
        raise DataFileError(str(data.path(CUES_FILE)), f"missing or malformed entry: {e}") from None
    lead = _GAP_WORDS.format(nouns=nouns)
    near = r"(?:near|outside|close to|in the vicinity of|on the outskirts of)"
    anchor = (r",?\s*(?:" + _DISTANCE + "|" + _DIRECTION + r"\s+of\s+|" + near + r"\s+)" + lead)
    holder = r"(?:,\s*|\s+in\s+)" + lead
    container = r"\s*(?:,\s*)?(?:(?:which|that)\s+is\s+|located\s+)?(?:in|of|inside|within)\s+" + lead
    flags = re.IGNORECASE
    return _Cues(designators, parts, frozenset(lookup_only), modifiers, anchored, people, re.compile(anchor, flags),
                 re.compile(f"(?:{anchor}|{holder})", flags), re.compile(f"(?:{container}|{anchor}|,\\s*)", flags))


@dataclass
class _Unlisted:
    first: int
    last: int
    kind: str  # "town" | "part" (of a town) | "area"
    held: bool  # a designator holds it; else it waits for an anchor
    cue_end: int  # character offset after the cue phrase, where a container may follow
    after_in: bool = False  # after "in"/"at": ", Y" and "in Y" anchor it too
    cue_start: int = -1  # where "village of" starts: a place right before it holds the name ("the Mopti village of X")
    anchor: object = None  # the PlaceMention or _Unlisted that holds it
    lookup_only: bool = False  # named with a designator that makes it a place only if an imported gazetteer has it
    place: Place | None = None


def _name_ending(doc: _Doc, k: int, taken: set[int]) -> tuple[int, int] | None:
    """The capitalised name ending at token k ("The Sabo" -> "Sabo"), if it is 1-3 free words."""
    if not doc.cap(k):
        return None
    first = k
    while first > 0 and doc.run[first - 1] == doc.run[k]:
        first -= 1
    while first < k and doc.key(first) in LEADING:
        first += 1
    return (first, k) if k - first < UNLISTED_MAX_WORDS and doc.key(first) not in LEADING else None


def _name_starting(doc: _Doc, i: int) -> tuple[int, int] | None:
    """The capitalised name starting at token i, if its run ends within 1-3 words."""
    if not doc.cap(i):
        return None
    last = i
    while last + 1 < len(doc.tokens) and doc.run[last + 1] == doc.run[i]:
        last += 1
    return (i, last) if last - i < UNLISTED_MAX_WORDS else None


def _nameable(gz: Gazetteer, doc: _Doc, first: int, last: int, taken: set[int], lists: _Lists, cues: _Cues) -> bool:
    """May tokens first..last be the name of a place no gazetteer knows?"""
    words = range(first, last + 1)
    keys = [doc.key(t) for t in words]
    if any(t in taken or doc.acronym(t) or not doc.tokens[t][2].isalpha() for t in words):
        return False
    if keys[-1] in lists.stop or all(k in lists.stop for k in keys) or any(_demonym(gz, k) for k in keys):
        return False
    if len(keys) == 1 and doc.tokens[first][2].lower() in doc.lower_words:
        return False  # an ordinary word at a sentence start ("Burned vehicles")
    if doc.before_name(first) in lists.titles or _named_person(doc, first) or _in_organisation(doc, first, last, lists):
        return False
    name = doc.text[doc.tokens[first][0]:doc.tokens[last][1]]
    for m in re.finditer(re.escape(name) + r"\s+([a-z]+)", doc.text):
        if m.group(1) in cues.people:  # "Fulani herders", "Somali soldiers": a people, not a place
            return False
    return True


def _held_names(gz: Gazetteer, doc: _Doc, taken: set[int], lists: _Lists, cues: _Cues) -> list[_Unlisted]:
    """Names a designator holds: "Kuru village", "the village of Kuru", "Kuru, a farming village"."""
    out: list[_Unlisted] = []
    n = len(doc.tokens)

    def add(span, kind, cue_end, cue_start=-1, only=False):
        if span and _nameable(gz, doc, *span, taken, lists, cues) and not any(u.first == span[0] for u in out):
            out.append(_Unlisted(span[0], span[1], kind, True, cue_end, cue_start=cue_start, lookup_only=only))

    for j in range(1, n):
        key = doc.key(j)
        kind = cues.designators.get(key)
        if kind is None or doc.cap(j) and not (kind == "area" and doc.cap(j - 1)):
            continue  # a capitalised designator only ends a name: "Gemechis District", not "Area Council"
        if key in cues.parts:
            kind = "part"
        only = key in cues.lookup_only
        cue_end = doc.tokens[j][1]
        plural = key.endswith("s")
        # After the name: "Kuru village", "Kuru border town", "Kuru and Dala villages".
        k = j - 1
        if doc.key(k) in cues.modifiers and not doc.cap(k) and k > 0 and doc.after(k - 1) == doc.key(k):
            k -= 1
        # "the Sinai town of Arish": the town is the name after "of" (but "Kuru area of Mopti" holds Kuru,
        # and so does "the Kuru quarter of Mopti": a part of a town is named before "of" its town)
        of_name = kind == "town" and j + 2 < n and doc.after(j) == "of" and doc.cap(j + 2)
        if doc.cap(k) and doc.after(k) is not None and not of_name:
            span = _name_ending(doc, k, taken)
            add(span, kind, cue_end, only=only)
            while plural and span and span[0] > 0:  # the plural holds a list: "Kuru, Dala and Bama villages"
                f = span[0]
                if doc.key(f - 1) == "and" and not doc.cap(f - 1):
                    prev = f - 2
                elif doc.text[doc.tokens[f - 1][1]:doc.tokens[f][0]].strip() == ",":
                    prev = f - 1
                else:
                    break
                span = _name_ending(doc, prev, taken) if prev >= 0 else None
                add(span, kind, cue_end, only=only)
        # Before "of": "the village of Kuru", "the villages of Kuru and Dala".
        if j + 2 < n and doc.after(j) == "of" and doc.after(j + 1) is not None:
            span = _name_starting(doc, j + 2)
            end = span and doc.tokens[span[1]][1]
            add(span, kind, end or cue_end, doc.tokens[j][0], only)
            while plural and span and span[1] + 2 < n:
                gap = doc.text[doc.tokens[span[1]][1]:doc.tokens[span[1] + 1][0]]
                nxt = span[1] + (2 if doc.key(span[1] + 1) == "and" else 1)
                if not (gap.strip() == "," or doc.key(span[1] + 1) == "and") or nxt >= n:
                    break
                span = _name_starting(doc, nxt)
                add(span, kind, span and doc.tokens[span[1]][1] or cue_end, only=only)
    # Apposition: "Kuru, a farming village in ...".
    for m in re.finditer(r",\s+(?:an?|the)\s+(?:[a-z-]+\s+){0,2}([a-z-]+)\b", doc.text):
        word = m.group(1).lower()
        kind = "part" if word in cues.parts else cues.designators.get(word)
        k = doc.by_end.get(m.start())
        if kind is not None and k is not None:
            add(_name_ending(doc, k, taken), kind, m.end(), only=word in cues.lookup_only)
    return out


def _anchored_names(gz: Gazetteer, doc: _Doc, taken: set[int], lists: _Lists, cues: _Cues,
                    held: list[_Unlisted]) -> list[_Unlisted]:
    """Names after "in", "near", "in the vicinity of"..., to be kept only where a known place anchors them."""
    out = []
    starts = {u.first for u in held}
    words = [doc.key(i) for i in range(len(doc.tokens))]
    for i in range(1, len(doc.tokens)):
        if not doc.cap(i) or i in starts or (i > 0 and doc.run[i - 1] == doc.run[i] and doc.key(i - 1) not in LEADING):
            continue
        prep = next((p for p in cues.anchored if i >= len(p) and tuple(words[i - len(p):i]) == p
                     and all(doc.before(t) is not None for t in range(i - len(p) + 1, i + 1))), None)
        if prep is None:
            continue
        span = _name_starting(doc, i)
        if span and _nameable(gz, doc, *span, taken, lists, cues):
            out.append(_Unlisted(span[0], span[1], "town", False, doc.tokens[span[1]][1],
                                 after_in=prep in (("in",), ("at",))))
    return out


def _follows(doc: _Doc, end: int, gap: re.Pattern, known: list) -> object | None:
    """The known place (mention or unlisted name) that text[end:] reaches through `gap`, if any."""
    for m in known:
        start = m.start if isinstance(m, PlaceMention) else doc.tokens[m.first][0]
        if end <= start <= end + 120 and gap.fullmatch(doc.text, end, start):
            return m
    return None


def _fallback_container(gz: Gazetteer, ctx: _Context, found: list[PlaceMention]) -> Place | None:
    """Where a held name with no container in its phrase lies: the one district the text names in its
    context, else its leading province, else its country."""
    districts = {m.place.id: m.place for m in found
                 if m.place.kind == "admin2" and m.place.country in ctx.countries and m.how != "unlisted"}
    if len(districts) == 1:
        return next(iter(districts.values()))
    for code in [a for a in ctx.admin1 if a in ctx.named] + list(ctx.admin1):
        i = gz.admin_unit(code)
        if i is not None:
            return gz.place(i)
    if ctx.countries:
        i = gz.index_of(f"country:{max(ctx.countries, key=ctx.countries.get)}")
        if i is not None:
            return gz.place(i)
    return None


def _precision(p: Place) -> int:
    if p.precision is not None:
        return max(2, p.precision)
    return 2 if p.kind in ("city", "part", "admin2") else 3


def _unlisted(gz: Gazetteer, ctx: _Context, doc: _Doc, found: list[PlaceMention], taken: set[int],
              exclude: list[tuple[int, int]]) -> list[PlaceMention]:
    """`found` plus the places no gazetteer knows, named with a cue ("the village of Kuru", "Kuru area", "near Kuru, 20 km
    from Gao", "in Kuru, Mopti"), placed at the place that holds them.

    The holder is a known place in the same phrase ("in the Mopti region", ", 20 km from Gao", "Mali's
    Kuru district", "in Dala area" for another unlisted name), else the one district the text names,
    its leading province or its country. Geo precision 2 when held by a town or district, 3 by a
    province or country. Once held, other mentions of the name in the text count too.
    """
    lists, cues = _lists(), _cues()
    taken = set(taken)
    # Spelling guesses outside the provinces the text is about may give way to a cue (see below).
    guesses = {m.start: m for m in found if m.how == "fuzzy" and ctx.tier(gz, gz.index_of(m.place.id)) < 2}
    for m in found:
        if m.start not in guesses:
            taken.update(range(doc.by_start.get(m.start, 0), doc.by_end.get(m.end, -1) + 1))
    if exclude:
        taken.update(t for t, (a, b, _) in enumerate(doc.tokens) if any(x < b and a < y for x, y in exclude))
    held = _held_names(gz, doc, taken, lists, cues)
    pending = _anchored_names(gz, doc, taken, lists, cues, held)
    known: list = [m for m in found if m.start not in guesses] + held
    for _ in range(3):  # chains: "near Kuru, near Dala, south of Gao"
        progress = False
        for u in list(pending):
            gap = cues.holder_gap if u.after_in else cues.anchor_gap
            hit = _follows(doc, u.cue_end, gap, known)
            if hit is not None and hit is not u:
                u.anchor, u.held = hit, True
                pending.remove(u)
                known.append(u)
                progress = True
        if not progress:
            break
    names = [u for u in known if isinstance(u, _Unlisted)]
    for u in names:
        if u.anchor is None:
            u.anchor = _follows(doc, u.cue_end, cues.container_gap, [k for k in known if k is not u])
            if u.anchor is None:  # "Mali's Kuru district"
                s = doc.tokens[u.first][0]
                u.anchor = next((m for m in found if m.end < s and re.fullmatch(r"['\u2019]s\s+(?:the\s+)?",
                                                                               doc.text[m.end:s])), None)
        if u.cue_start >= 0:  # "the Mopti village of Kuru in Mali": Mopti holds it more closely
            before = next((m for m in found if m.start not in guesses and m.end < u.cue_start
                           and not doc.text[m.end:u.cue_start].strip()), None)
            if before is not None and (not isinstance(u.anchor, PlaceMention)
                                       or _precision(before.place) < _precision(u.anchor.place)):
                u.anchor = before
    # A guess stays unless the phrase puts the cued name in a known place that does not hold the guess:
    # "Dhorali village in Sunkot area of Reasi district" is not a town of that spelling in another province.
    for u in list(names):
        g = next((guesses[doc.tokens[t][0]] for t in range(u.first, u.last + 1) if doc.tokens[t][0] in guesses), None)
        if g is None:
            continue
        holder = _holder(u, None, set())
        if holder is None or _holds_place(holder, g.place):
            names.remove(u)
        else:
            found.remove(g)
    taken.update(t for m in found if m.start in guesses for t in range(doc.by_start[m.start], doc.by_end[m.end] + 1))
    listed = _imported(gz, ctx, doc, names, pending)
    names = [u for u in names if not u.lookup_only or u.place is not None] + [u for u in pending if u.place is not None]
    fallback = _fallback_container(gz, ctx, found)
    holders: dict[str, Place] = {}  # one name, one place per text: the most precise holder any mention gives
    for u in names:
        holder = _holder(u, fallback, set())
        key = name_key(doc.text[doc.tokens[u.first][0]:doc.tokens[u.last][1]])
        if holder is not None and (key not in holders or _precision(holder) < _precision(holders[key])):
            holders[key] = holder
    out: list[PlaceMention] = []
    for u in names:
        s, e = doc.tokens[u.first][0], doc.tokens[u.last][1]
        surface = doc.text[s:e]
        if name_key(surface) in listed:  # the imported gazetteer has it: its own place, not its holder's
            u.place = listed[name_key(surface)]
            out.append(PlaceMention(s, e, surface, u.place, 1.0, "imported"))
            continue
        holder = holders.get(name_key(surface))
        if holder is None:
            continue
        area = u.anchor.place or u.anchor if isinstance(u.anchor, _Unlisted) and u.anchor.kind == "area" \
            and (u.anchor.place is not None or not u.anchor.lookup_only) else None
        # A named part of a town stands for the town itself, like the extra file's parts ("Sariab Road").
        part = u.kind == "part" and holder.kind in ("city", "part")
        u.place = Place(id=f"u:{holder.country}:{name_key(surface)}", geonameid=None, name=surface,
                        latitude=holder.latitude, longitude=holder.longitude,
                        admin1=holder.admin1 or (holder.name if holder.kind == "admin1" else None),
                        admin2=(_surface(doc, area) if area is not None else None)  # "X village in Y area"
                        or holder.admin2 or (holder.name if holder.kind == "admin2" else None),
                        country=holder.country, kind="part" if part else "admin2" if u.kind == "area" else "city",
                        population=0, parent=gazetteer.town_of(holder).id if part else holder.id,
                        precision=None if part else _precision(holder))
        out.append(PlaceMention(s, e, surface, u.place, 1.0, "unlisted"))
    out += _repeated(doc, out, taken | {t for u in names for t in range(u.first, u.last + 1)}, lists)
    return found + out


def _imported(gz: Gazetteer, ctx: _Context, doc: _Doc, names: list[_Unlisted],
              pending: list[_Unlisted]) -> dict[str, Place]:
    """The cued names an imported GeoNames gazetteer has (`nlp.imported`), by name key; each gets its place.

    A name the phrase puts in a known place ("the village of X in Y district", "X, near Gao") must
    be one that place holds; one with no holder in the phrase must be in the text's countries.
    Names after "in", "at" or "near" that nothing anchored count only in the provinces the text
    is about. A name whose holder is itself a cued name is looked up after it. A name found once
    is that place everywhere in the text.
    """
    if not (names or pending) or imported.database() is None:
        return {}
    out: dict[str, Place] = {}
    todo = [(u, False) for u in names] + [(u, True) for u in pending]
    waiting = {id(u) for u, _ in todo}
    for _ in range(4):
        later = []
        for u, loose in todo:
            if isinstance(u.anchor, _Unlisted) and id(u.anchor) in waiting:
                later.append((u, loose))
                continue
            waiting.discard(id(u))
            key = name_key(doc.text[doc.tokens[u.first][0]:doc.tokens[u.last][1]])
            if key in out:
                u.place = out[key]
                continue
            holder = _holder(u, None, set())
            i = gz.index_of(holder.id) if holder is not None and holder.source is None else None
            codes = (gz.admin1[i], gz.admin2[i]) if i is not None else (None, None)
            entry = imported.find(key, u.kind, countries=ctx.countries, holder=holder, holder_codes=codes,
                                  admin1_context=list(ctx.admin1))
            if entry is not None and loose and entry.admin1 not in ctx.admin1:
                entry = None
            if entry is not None:
                u.place = out[key] = imported.to_place(entry)
        if not later or len(later) == len(todo):
            break
        todo = later
    return out


def _surface(doc: _Doc, u) -> str:
    return u.name if isinstance(u, Place) else doc.text[doc.tokens[u.first][0]:doc.tokens[u.last][1]]


def _holds_place(unit: Place, p: Place) -> bool:
    """Does known place `unit` (a country, province, district or town) contain or share a province with p?"""
    if unit.country != p.country:
        return False
    if unit.kind == "country":
        return True
    if unit.kind == "admin2" and unit.admin2:
        return p.admin2 == unit.admin2
    return bool(unit.admin1) and p.admin1 == unit.admin1


def _holder(u: _Unlisted, fallback: Place | None, seen: set[int]) -> Place | None:
    """The known place that holds an unlisted name, following chains of unlisted names."""
    a = u.anchor
    if isinstance(a, PlaceMention):
        return a.place
    if isinstance(a, _Unlisted) and id(a) not in seen:
        seen.add(id(u))
        inner = a.place or _holder(a, fallback, seen)
        if inner is not None:
            return inner
    return fallback


def _repeated(doc: _Doc, named: list[PlaceMention], taken: set[int], lists: _Lists) -> list[PlaceMention]:
    """Other mentions of names the text placed with a cue: "Sabo" after "the Sabo base"."""
    by_name = {m.surface: m.place for m in named}
    out = []
    for name, place in by_name.items():
        for m in re.finditer(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])", doc.text):
            first, last = doc.by_start.get(m.start()), doc.by_end.get(m.end())
            if first is None or last is None or any(t in taken for t in range(first, last + 1)):
                continue
            if _in_organisation(doc, first, last, lists) or doc.before_name(first) in lists.titles:
                continue
            out.append(PlaceMention(m.start(), m.end(), name, place, 1.0, "imported" if place.source else "unlisted"))
    return out
