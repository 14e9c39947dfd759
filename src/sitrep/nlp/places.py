"""Recognise place names in news text and resolve each one to a gazetteer entry.

Steps, per document:

1. Candidates: the gazetteer's Aho-Corasick automaton runs over the folded
   text (lowercase, no accents, punctuation blanked); a hit counts when it
   covers whole words that are all capitalised, and the longest hit wins.
2. Context: countries and provinces named in the text, towns whose name
   points to one country, and ``country_hint`` vote; the leaders become the
   document's context countries and admin1 regions.
3. Resolution: an ambiguous name goes to a candidate in a context admin1,
   else in a context country, then to the bigger kind and population.  A
   candidate outside the context must be a country, a province or a sizeable
   town known by that very name.
4. Spelling variants: a capitalised word left over is compared (rapidfuzz
   ratio plus metaphone, NYSIIS and match-rating codes) with the names of
   places in the context admin1, then the context country, never elsewhere.
5. Words that are town names somewhere but ordinary words here ("Over",
   "Police", "Media") come from ``sitrep/data/place_stopwords.txt``; cheap
   person and organisation patterns ("Mohammad Hussain", "Faysal Bank",
   "Gen. X", "X said") only let through strong places.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
import jellyfish
from rapidfuzz import fuzz, process

from sitrep import data
from sitrep.errors import DataFileError
from sitrep.nlp import gazetteer
from sitrep.nlp.gazetteer import Gazetteer, Place, fold, name_key

__all__ = ["Place", "PlaceMention", "find_places", "document_places"]

STOPWORDS_FILE = "place_stopwords.txt"
WORD_RE = re.compile(r"[^\W_]+")
RUN_GAP_RE = re.compile(r"[ \t]*[-\u2010\u2011]?[ \t]*")  # gap inside one capitalised name
TITLE_GAP_RE = re.compile(r"\.?[ \t]+")  # "Gen. X", "Mr X"
OPENERS = " \t\"'\u201c\u2018([{*\u2022-"
SENTENCE_ENDS = ".!?:;\n\r"
# Lowercase words allowed inside a capitalised name ("Rio de Janeiro", "Dera Ismail Khan").
CONNECTORS = frozenset(
    "de del della di da do dos das du des la le les el al ad ar as ash at az an ul "
    "e i y van von der den of and on upon sur en im am bin ibn bint".split()
)
# Prepositions that put a place after them: "residents of Beledweyne said" is a place.
LOCATIVES = frozenset("in at near outside inside of from across around towards toward into".split())
KIND_RANK = {"country": 5, "admin1": 4, "city": 3, "part": 3, "admin2": 2}
BIG_CITY = 100_000  # a city this big outranks a province of the same name (Kano, Lagos)
OUTSIDE_MIN_POP = 15_000  # smallest town accepted outside the context, by its own name
OUTSIDE_ALT_MIN_POP = 1_000_000  # same, by an alternate name ("Bombay")
COUNTRY_VOTE, ADMIN1_VOTE, TOWN_VOTE, HINT_VOTE = 3.0, 2.0, 1.0, 5.0
CONTEXT_SHARE = 0.3  # a country (admin1) is context with this share of the leader's votes
CONTEXT_MIN_VOTES = 0.75  # ... and at least this much: one town of ~5,000 or more
FUZZY_MIN_LEN = 6  # "Marri" (a tribe) is one edit from "Murree"; shorter words are too risky
# Ratio a fuzzy match needs with no / 1 / 2 or more phonetic codes in common
# (metaphone, NYSIIS, match-rating codex): "Mungono" is 71 from "Monguno" with all three.
FUZZY_RATIO = (88.0, 80.0, 70.0)
FUZZY_RATIO_INITIAL = (92.0, 85.0, 80.0)  # for a sentence's first word, often a common word
# Endings of demonyms ("Ukrainian", "Congolese"), which sound like their country.
DEMONYM_ENDINGS = ("ian", "ians", "ean", "eans", "ese", "ish", "ans")
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
    how: str  # "exact" | "alternate" | "fuzzy"


# ---------------------------------------------------------------- word lists


@dataclass(frozen=True)
class _Lists:
    stop: frozenset[str]
    org_tails: frozenset[str]
    titles: frozenset[str]
    speech: frozenset[str]


@lru_cache(maxsize=1)
def _lists() -> _Lists:
    """Load place_stopwords.txt once."""
    sections: dict[str, set[str]] = {"stop": set(), "org-tails": set(), "titles": set(), "speech": set()}
    current = "stop"
    for n, line in data.lines(STOPWORDS_FILE):
        line = line.split("#", 1)[0].strip()
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1].strip().lower()
            if current not in sections:
                raise DataFileError(str(data.path(STOPWORDS_FILE)), f"unknown section [{current}]", n)
            continue
        sections[current].add(name_key(line))
    stop = sections["stop"] | sections["org-tails"] | sections["titles"]
    return _Lists(frozenset(stop), *(frozenset(sections[n]) for n in ("org-tails", "titles", "speech")))


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
        self.lower_words = {w for _, _, w in self.tokens if w.islower()}
        self.run = self._runs()

    def _runs(self) -> list[int]:
        """Number the runs of capitalised words ("Baloch Liberation Army" is one run)."""
        run, n, prev = [], -1, None
        for i, (s, e, w) in enumerate(self.tokens):
            if not w[0].isupper():
                run.append(-1)
                prev = None
                continue
            if prev is None or not RUN_GAP_RE.fullmatch(self.text, prev, s):
                n += 1
            run.append(n)
            prev = e
        return run

    def cap(self, i: int) -> bool:
        return self.tokens[i][2][0].isupper()

    def key(self, i: int) -> str:
        return self.folded[self.tokens[i][0]:self.tokens[i][1]]

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
        if i + 1 >= len(self.tokens) or self.text[self.tokens[i][1]:self.tokens[i + 1][0]].strip(" \t"):
            return None
        return self.key(i + 1)


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
        if gz.keys[k] in lists.stop:
            continue
        taken_to = end
        if doc.text.startswith(".", end) and "." in doc.text[start:end]:
            end += 1  # "U.S." keeps its last dot
        spans.append(_Span(start, end, first, last, k, any(doc.acronym(i) for i in words)))
    return spans


def _mark_patterns(doc: _Doc, spans: list[_Span]) -> None:
    """Flag spans inside organisation names and person-name patterns."""
    lists = _lists()
    for s in spans:
        nxt, prev = doc.after(s.last), doc.before(s.first)
        if nxt in lists.org_tails:
            s.dead = True
        run = doc.run[s.first]
        # A capitalised neighbour in the same run that is not a stop word ("In Quetta",
        # "Mastung District") makes it part of a longer name, most often a person's
        # ("Bashir Zeb", "Jam Kamal Khan"); so does a title ("Hassan Sheikh Mohamud").
        neighbours = [i for i in (s.first - 1, s.last + 1)
                      if 0 <= i < len(doc.tokens) and doc.run[i] == run
                      and (doc.key(i) not in lists.stop or doc.key(i) in lists.titles)]
        lower_too = s.first == s.last and doc.tokens[s.first][2].lower() in doc.lower_words
        located = prev in LOCATIVES
        s.weak = bool(neighbours) or prev in lists.titles or not located and (nxt in lists.speech or lower_too)


# ---------------------------------------------------------------- context


@dataclass
class _Context:
    countries: dict[str, float]  # country code -> votes
    admin1: dict[str, str]  # admin1 code -> its country, strongest first

    def tier(self, gz: Gazetteer, i: int) -> int:
        if gz.admin1[i] in self.admin1:
            return 2
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

    def vote(i: int, w: float) -> None:
        votes[gz.countries[i]] = votes.get(gz.countries[i], 0.0) + w
        if gz.admin1[i] and gz.kind(i) != "country":
            avotes[gz.admin1[i]] = avotes.get(gz.admin1[i], 0.0) + w
            acountry[gz.admin1[i]] = gz.countries[i]

    for s in spans:
        if s.dead or s.weak or s.acronym:
            continue
        cands = [(i, c) for i, c in s.cands if _reliable(gz, i, c)]
        admins = [i for i, _ in cands if gz.kind(i) in ("country", "admin1")]
        if admins:
            w = COUNTRY_VOTE if any(gz.kind(i) == "country" for i in admins) else ADMIN1_VOTE
            for i in admins:
                vote(i, w / len(admins))
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
    return _Context(countries, {a: acountry[a] for a in sorted(admin1, key=admin1.get, reverse=True)})


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


def _rank(gz: Gazetteer, ctx: _Context, i: int, canonical: bool) -> tuple:
    kind = gz.kind(i)
    rank = KIND_RANK[kind] + (1.5 if kind == "city" and gz.pops[i] >= BIG_CITY else 0)
    return ctx.tier(gz, i), rank, canonical, gz.pops[i], -i


def _acceptable(gz: Gazetteer, ctx: _Context, i: int, canonical: bool, span: _Span, named: set[int]) -> bool:
    kind = gz.kind(i)
    if span.acronym and kind != "country":
        return False
    if kind == "part":
        parent = gz.parents[i]
        if parent not in named and gz.admin1[parent] not in ctx.admin1:
            return False
    tier = ctx.tier(gz, i)
    if tier == 0 and kind not in ("country", "admin1"):
        pop = gz.pops[i]
        if kind != "city" or not (pop >= OUTSIDE_ALT_MIN_POP or canonical and pop >= OUTSIDE_MIN_POP):
            return False
    if span.weak:  # likely a person or an organisation: only what is surely a place
        return kind in ("country", "admin1") or tier > 0 and (
            gz.is_extra(i)  # added on purpose
            or kind == "city" and canonical and gz.pops[i] >= BIG_CITY)
    return True


def _resolve(gz: Gazetteer, ctx: _Context, span: _Span, named: set[int]) -> tuple[int, bool] | None:
    ok = [(i, c) for i, c in span.cands if _acceptable(gz, ctx, i, c, span, named)]
    return max(ok, key=lambda ic: _rank(gz, ctx, *ic)) if ok else None


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


def _fuzzy_tokens(gz: Gazetteer, doc: _Doc, spans: list[_Span], resolved: set[int]) -> list[int]:
    """Capitalised words that may be misspelt place names: alone, unknown, not ordinary words."""
    lists = _lists()
    covered = {i for s in spans if s.first in resolved for i in range(s.first, s.last + 1)}
    dead = {i for s in spans if s.dead or s.weak for i in range(s.first, s.last + 1)}
    out = []
    for i, (_, _, w) in enumerate(doc.tokens):
        key = doc.key(i)
        if (not doc.cap(i) or i in covered or i in dead or key in lists.stop
                or len(w) < FUZZY_MIN_LEN or not w.isalpha() or doc.acronym(i)
                or w.lower() in doc.lower_words or _demonym(gz, key)):
            continue
        # Next to another capitalised non-stop word it is a person ("Volodymyr Zelenskyy").
        run = doc.run[i]
        if any(doc.run[j] == run and doc.key(j) not in lists.stop
               for j in (i - 1, i + 1) if 0 <= j < len(doc.tokens)):
            continue
        if (doc.before(i) not in lists.titles and doc.after(i) not in lists.speech
                and doc.after(i) not in lists.org_tails):
            out.append(i)
    return out


def _demonym(gz: Gazetteer, key: str) -> bool:
    """Does the word look like a demonym ("Ukrainian", "Pakistani", "Kenyan")?"""
    if key.endswith(DEMONYM_ENDINGS):
        return True
    k = gz.key_id(key[:-1]) if key[-1] in "in" else None  # Pakistan-i, Kenya-n
    return k is not None and any(gz.kind(i) == "country" for i, _ in gz.postings(k))


# ---------------------------------------------------------------- API


def find_places(text: str, *, country_hint: str | None = None,
                index: Gazetteer | None = None) -> list[PlaceMention]:
    """Find and resolve the places named in one document, in text order.

    ``country_hint`` (alpha-2, alpha-3 or name) adds weight to one country;
    ``index`` is a gazetteer from ``gazetteer.load(path)`` (default: cached).
    """
    gz = index if index is not None else gazetteer.load()
    doc = _Doc(text)
    spans = _exact_spans(gz, doc)
    for s in spans:
        s.cands = gz.postings(s.key_id)
    _mark_patterns(doc, spans)
    ctx = _context(gz, spans, country_hint)
    named = {i for s in spans if not (s.dead or s.weak) for i, _ in s.cands}
    found: list[PlaceMention] = []
    resolved: set[int] = set()
    for s in spans:
        pick = None if s.dead else _resolve(gz, ctx, s, named)
        if pick is not None:
            i, canonical = pick
            found.append(PlaceMention(s.start, s.end, text[s.start:s.end], gz.place(i), 1.0,
                                      "exact" if canonical else "alternate"))
            resolved.add(s.first)
    if ctx.countries:
        for t in _fuzzy_tokens(gz, doc, spans, resolved):
            hit = _fuzzy(gz, ctx, doc, t)
            if hit is not None:
                s, e, w = doc.tokens[t]
                found.append(PlaceMention(s, e, w, gz.place(hit[0]), round(hit[1] / 100, 3), "fuzzy"))
    found.sort(key=lambda m: m.start)
    return found


PRECISION = {"part": 1, "city": 1, "admin2": 2, "admin1": 3, "country": 3}


def document_places(mentions) -> list[dict]:
    """Summarise mentions as one row per distinct place, in order of first mention.

    Rows carry the Place fields plus ``variants`` (surface forms seen),
    ``count`` and ``precision`` (1 town or part of one, 2 district,
    3 province or country, as in event-data geo precision).
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
                "kind": p.kind, "parent": p.parent, "precision": PRECISION[p.kind],
                "variants": [], "count": 0,
            }
        if m.surface not in row["variants"]:
            row["variants"].append(m.surface)
        row["count"] += 1
    return list(rows.values())
