"""Find armed groups, state forces and claimants ("police said", "ISPR") in a text.

The vocabularies are data: ``sitrep/data/actors.json`` lists groups and state
forces with their aliases, units and media arms; ``sitrep/data/claimants.json``
lists claimant cues, official titles and news outlets. Their ``_format`` keys
document the formats; a malformed entry raises `DataFileError` naming the file
and line. Names are found with Aho-Corasick automata over a folded copy of the
text (same length, so offsets survive): acronyms such as "BLA", "FC", "ISI"
match with exact case, other names ignore it; every match must start and end
on a word boundary, and the longest match wins.

Choices for ambiguous cases:
- A word that only means a state force inside its own country ("army",
  "police", "FC", "CTD") resolves with the document's `country`: "Police" in a
  Pakistani text is Pakistan's police. With no country, a generic word becomes
  a generic state-force mention ("Police Forces", country None), and a word
  only one country uses ("FC") becomes that country's force; one used in
  several ("SNA": Somalia and Syria) is dropped.
- "security forces", "troops", "soldiers" never name an actor: they come back
  as generic state forces with the document's country (or the demonym's:
  "Nigerian troops" is Nigeria whatever the document).
- Media arms and spokesmen ("Amaq", "ISPR", "Jeeyand Baloch") are claimants,
  never actor mentions.
- A claimant span covers the whole cue ("police said", "according to the BLA").

Example:
    >>> [(m.surface, m.actor_id, m.inter, m.unit) for m in find_actors("The BLA's Majeed Brigade hit an FC camp.", country="PK")]
    [('BLA', 'bla', 2, None), ('Majeed Brigade', 'bla', 2, 'Majeed Brigade'), ('FC', 'pk_fc', 1, None)]
    >>> [(c.claimant, c.claimant_type) for c in find_claimants("Six soldiers died, ISPR said.")]
    [('ISPR', 'military')]
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

import ahocorasick

from .. import data
from ..errors import DataFileError

CLAIMANT_TYPES = ("armed_group", "military", "government", "police", "media", "witnesses", "unattributed")
CATEGORIES = ("people", "security_forces", "military", "police", "paramilitary", "ctd", "intelligence",
              "militants", "civilians", "officials", "prisoners")
PLACEHOLDERS = ("actor", "outlet", "title", "person", "name", "word", "said", "end")
ARMED = (2, 3, 4)  # inter codes of non-state armed groups: what "the group said" refers back to


@dataclass(frozen=True, slots=True)
class ActorMention:
    """One actor named in a text; `country` is the force's country (or the document's, for generic words)."""

    start: int
    end: int
    surface: str
    actor_id: str
    name: str
    kind: str
    inter: int
    country: str | None
    unit: str | None
    category: str


@dataclass(frozen=True, slots=True)
class ClaimantMention:
    """One attribution cue; `start`/`end` span the cue ("police said"), `claimant` is canonical."""

    start: int
    end: int
    surface: str
    claimant: str
    claimant_type: str


# --- folding: one character in, one character out, so folded offsets are text offsets ---

class _Fold(dict):
    """A str.translate table: spaces, dashes and slashes to " ", quotes to "'", accents off, optionally lower case."""

    def __init__(self, lower: bool):
        super().__init__()
        self.lower = lower

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        if ch.isspace() or ch in "-‐‑‒–—/_":
            out = " "
        elif ch in "’‘ʼ`´":
            out = "'"
        else:
            base = unicodedata.normalize("NFKD", ch)[0]
            out = base if base.isascii() and base.isalpha() else ch
            if self.lower and len(out.lower()) == 1:
                out = out.lower()
        self[code] = out
        return out


_EXACT, _FREE = _Fold(lower=False), _Fold(lower=True)


def _key(alias: str, exact: bool) -> str:
    return " ".join(alias.translate(_EXACT if exact else _FREE).split())


def _is_exact(alias: str) -> tuple[str, bool]:
    """("=Levies" -> "Levies", True); an alias without lower-case letters is exact too."""
    if alias.startswith("="):
        return alias[1:], True
    return alias, not any(c.islower() for c in alias)


class _Index:
    """Two Aho-Corasick automata (exact case, any case) mapping names to payload lists."""

    def __init__(self):
        self.keys: tuple[dict, dict] = ({}, {})

    def add(self, alias: str, payload, exact: bool | None = None) -> None:
        alias, auto = _is_exact(alias)
        exact = auto if exact is None else exact
        key = _key(alias, exact)
        if key:
            self.keys[not exact].setdefault(key, []).append(payload)

    def build(self) -> "_Index":
        self.autos = []
        for keys in self.keys:
            auto = ahocorasick.Automaton()
            for key, payloads in keys.items():
                auto.add_word(key, (len(key), key[0].isalnum(), key[-1].isalnum(), payloads))
            if keys:
                auto.make_automaton()
            self.autos.append(auto if keys else None)
        return self

    def scan(self, folds: tuple[str, str]) -> list[tuple[int, int, list]]:
        """Every word-bounded match as (start, end, payloads), overlaps included."""
        out = []
        for auto, text in zip(self.autos, folds):
            if auto is None:
                continue
            n = len(text)
            for last, (size, head, tail, payloads) in auto.iter(text):
                start = last - size + 1
                if head and start > 0 and text[start - 1].isalnum():
                    continue
                if tail and last + 1 < n and text[last + 1].isalnum():
                    continue
                out.append((start, last + 1, payloads))
        return out


def _longest(items, span=lambda x: (x[0], x[1])):
    """Leftmost-longest non-overlapping subset of *items*, whose (start, end) *span* gives."""
    out, end = [], -1
    for item in sorted(items, key=lambda x: (span(x)[0], -span(x)[1])):
        start, stop = span(item)
        if start >= end:
            out.append(item)
            end = stop
    return out


def _hit_span(h):
    return h.start, h.end


@lru_cache(maxsize=512)
def _folds(text: str) -> tuple[str, str]:
    return text.translate(_EXACT), text.translate(_FREE)


# --- the lexicon entries ---

@dataclass(slots=True, eq=False)
class _Entry:
    """An actor or a generic state-force word group, as loaded from actors.json."""

    id: str
    name: str
    short: str
    kind: str
    inter: int
    country: str | None
    category: str
    claimant_type: str
    local_in: tuple[str, ...]
    generic: bool
    raw: dict


@dataclass(frozen=True, slots=True)
class _Payload:
    scope: str  # alias | local | generic | media
    entry: _Entry
    unit: str | None = None
    fixed: str | None = None  # country set by a demonym ("Somali police")
    claimant: str | None = None  # media arms: who they speak for


@dataclass(frozen=True, slots=True)
class _Hit:
    start: int
    end: int
    entry: _Entry
    unit: str | None
    country: str | None
    claimant: str | None  # set for media hits only


def _default_claimant_type(inter: int, category: str) -> str:
    if inter in ARMED:
        return "armed_group"
    if inter in (5, 6, 7):
        return "witnesses"
    if category in ("police", "ctd"):
        return "police"
    if category == "intelligence":
        return "government"
    if inter == 1 or category in ("military", "paramilitary", "security_forces"):
        return "military"
    return "armed_group"


# --- claimant cues ---

@dataclass(slots=True)
class _Cue:
    order: int
    rx: re.Pattern
    claimant: str
    claimant_type: str
    country: str | None
    fallback: str | None
    layers: frozenset  # of "actor", "title", "outlet": the masks the pattern needs
    gates: frozenset = field(default_factory=frozenset)  # layers that must have a hit for a match
    needs: tuple = ()  # sets of words: the text must hold one word of each for a match


_SENTINEL = {"actor": ("\ue000", "\ue001"), "title": ("\ue002", "\ue003"), "outlet": ("\ue004", "\ue005")}
_PUNCT = {",": ",", ";": ";", ":": ":", "(": r"\(", ")": r"\)", "'s": "['’]s"}
_TOKEN = re.compile(r"\{\w+\}\??|'s|[,;:()]|[^\s,;:(){}]+")
_UPPER, _LOWER = "A-ZÀ-ÖØ-Þ", "a-zß-öø-ÿ"


class _Grammar:
    """Turns claimant cue patterns into regexes; built from claimants.json's word lists."""

    def __init__(self, verbs, lead, particles, not_title):
        alt = "|".join(re.escape(v).replace(r"\ ", r"\s+") for v in sorted(verbs, key=len, reverse=True))
        lead_alt = "|".join(re.escape(v).replace(r"\ ", r"\s+") for v in sorted(lead, key=len, reverse=True))
        word = rf"(?:[{_UPPER}][{_LOWER}][\w'’-]*|[{_UPPER}]\.)"
        part = "|".join(re.escape(p) for p in particles)
        stop = "|".join(re.escape(w) for w in not_title)
        mod = rf"(?!(?:{stop})\b)[{_UPPER}][\w'’.-]*" if stop else rf"[{_UPPER}][\w'’.-]*"
        title = "\ue002\ue003*"
        self.verbs = [v.lower() for v in verbs]
        self.holes = {
            "actor": "(?P<actor>\ue000\ue001*)",
            "outlet": "(?P<outlet>\ue004\ue005*)",
            "title": rf"(?P<title>(?:(?:{mod}|{title})\s+){{0,3}}{title})",
            "person": rf"(?P<person>{word}(?:\s+(?:(?i:{part})[\s-])?{word}){{0,3}})" if part
            else rf"(?P<person>{word}(?:\s+{word}){{0,3}})",
            "name": rf"(?P<name>[{_UPPER}][\w'’-]*(?:\s+(?:(?:of|and|&)\s+)?[{_UPPER}][\w'’-]*){{0,3}})",
            "word": r"(?P<word>(?i:(?!(?:the|a|an)\b))[^\W\d_][\w'’-]*)",
            "said": rf"(?i:(?:(?:{lead_alt})\s+){{0,2}}(?:{alt}))" if lead_alt else rf"(?i:{alt})",
            "end": r"(?=\s*(?:[.,;:!?\"”’)\]—–-]|$))",
        }

    def compile(self, pattern: str):
        """Return (regex, {placeholder: required}, [set of words the text must contain one of, ...])."""
        pieces, holes, anchors = [], {}, []
        for tok in _TOKEN.findall(pattern):
            optional = tok.endswith("?") and len(tok) > 1
            tok = tok[:-1] if optional else tok
            if tok.startswith("{"):
                name = tok[1:-1]
                if name not in self.holes:
                    raise ValueError(f"unknown placeholder {tok} (known: {', '.join('{%s}' % p for p in PLACEHOLDERS)})")
                if name in holes:
                    raise ValueError(f"{tok} used twice")
                holes[name] = not optional
                pieces.append((self.holes[name], optional, tok))
                if name == "said" and not optional:
                    anchors.append(self.verbs)
            elif tok in _PUNCT:
                pieces.append((_PUNCT[tok], optional, tok))
            else:
                alts = [a for a in tok.split("|") if a]
                pieces.append(("(?:" + "|".join(self._word(a) for a in alts) + ")", optional, "word"))
                if not optional:
                    anchors.append([_key(a, False) for a in alts])
        if not pieces:
            raise ValueError("empty pattern")
        # Optional tokens before the first required one carry the separator after them; others the one before.
        lead = 0
        while lead < len(pieces) - 1 and pieces[lead][1]:
            lead += 1
        body = "".join(f"(?:{rx}{self._sep(kind, pieces[j + 1][2])})?" for j, (rx, _, kind) in enumerate(pieces[:lead]))
        body += pieces[lead][0]
        for i in range(lead + 1, len(pieces)):
            rx, optional, kind = pieces[i]
            piece = self._sep(pieces[i - 1][2], kind) + rx
            body += f"(?:{piece})?" if optional else piece
        regex = re.compile(r"(?<![\w\ue000-\ue005])" + body + r"(?!\w)")
        return regex, holes, [frozenset(a) for a in anchors]

    @staticmethod
    def _sep(prev: str, kind: str | None) -> str:
        if kind == "{end}":
            return ""  # a lookahead: it consumes nothing, its own pattern skips spaces
        if kind in (",", ";", ":", ")"):
            return r"\s*"
        if kind == "'s":
            return ""
        if prev == "(":
            return r"\s*"
        return r"\s+"

    @staticmethod
    def _word(word: str) -> str:
        rx = "".join("['’]" if c == "'" else r"[-‐‑\s]" if c == "-" else re.escape(c) for c in word)
        exact = not any(c.islower() for c in word) and any(c.isupper() for c in word)
        return rx if exact else f"(?i:{rx})"


# --- loading and checking the two files ---

def _read(path: Path) -> tuple[object, str]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise DataFileError(str(path), f"cannot read: {e}") from e
    try:
        return json.loads(text), text
    except json.JSONDecodeError as e:
        raise DataFileError(str(path), f"not valid JSON: {e.msg}", e.lineno) from e


def _element_lines(text: str, key: str) -> list[int]:
    """Line number of each element of the list under "key" (for error messages)."""
    m = re.search(r'"%s"\s*:\s*\[' % re.escape(key), text)
    if not m:
        return []
    dec, pos, lines = json.JSONDecoder(), m.end(), []
    try:
        while True:
            while text[pos] in " \t\r\n,":
                pos += 1
            if text[pos] == "]":
                return lines
            lines.append(text.count("\n", 0, pos) + 1)
            pos = dec.raw_decode(text, pos)[1]
    except (IndexError, json.JSONDecodeError):
        return lines


class _Checker:
    """Raises DataFileError with the file, the entry's line and what is wrong."""

    ISO2 = re.compile(r"[A-Z]{2}")

    def __init__(self, path: Path, text: str):
        self.path, self.text = str(path), text
        self.line: int | None = None
        self.where = ""

    def at(self, section: str, i: int, lines: list[int]) -> "_Checker":
        self.line = lines[i] if i < len(lines) else None
        self.where = f"{section} entry {i + 1}"
        return self

    def fail(self, message: str):
        raise DataFileError(self.path, f"{self.where}: {message}" if self.where else message, self.line)

    def keys(self, entry, allowed: tuple[str, ...], required: tuple[str, ...]):
        if not isinstance(entry, dict):
            self.fail(f"must be an object, not {type(entry).__name__}")
        for k in required:
            if k not in entry:
                self.fail(f'missing "{k}"')
        for k in entry:
            if not k.startswith("_") and k not in allowed:
                self.fail(f'unknown key "{k}" (known: {", ".join(allowed)})')

    def string(self, value, what: str) -> str:
        if not isinstance(value, str) or not value.strip():
            self.fail(f'"{what}" must be a non-empty string')
        return value

    def strings(self, value, what: str) -> list[str]:
        if not isinstance(value, list):
            self.fail(f'"{what}" must be a list of strings')
        return [self.string(v, what) for v in value]

    def choice(self, value, allowed, what: str) -> str:
        if value not in allowed:
            self.fail(f'unknown {what} {value!r} (one of: {", ".join(allowed)})')
        return value

    def inter(self, value) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 8:
            self.fail(f'"inter" must be an ACLED inter code 1-8, not {value!r}')
        return value

    def country(self, value, what: str = "country") -> str | None:
        if value is not None and not (isinstance(value, str) and self.ISO2.fullmatch(value)):
            self.fail(f'"{what}" must be an ISO2 code like "PK" or null, not {value!r}')
        return value


_ACTOR_KEYS = ("id", "name", "short", "aliases", "kind", "inter", "country", "category", "claimant_type",
               "local", "local_in", "units", "media", "note")
_GENERIC_KEYS = ("id", "name", "short", "aliases", "kind", "inter", "category", "claimant_type", "after_demonym", "note")
_CUE_KEYS = ("pattern", "claimant", "claimant_type", "country", "fallback", "note")
_ID = re.compile(r"[a-z0-9_]+")


class Lexicon:
    """Both vocabularies, checked and indexed; `Lexicon.load()` reads the packaged files.

    Example:
        >>> lex = Lexicon.load()
        >>> lex.find_actors("Police said", country="NG")[0].actor_id
        'ng_police'
    """

    def __init__(self, actors_path: Path, claimants_path: Path):
        self.entries: dict[str, _Entry] = {}
        self.countries: dict[str, dict] = {}
        self.actors = _Index()
        self._load_actors(Path(actors_path))
        self.actors.build()
        self.titles, self.outlets = _Index(), _Index()
        self.cues: list[_Cue] = []
        self._seen: dict[frozenset, list[_Cue]] = {}
        self._load_claimants(Path(claimants_path))
        self.titles.build()
        self.outlets.build()

    @classmethod
    def load(cls, actors: str | Path | None = None, claimants: str | Path | None = None) -> "Lexicon":
        """Read and check the two files (default: the packaged ones)."""
        return cls(Path(actors) if actors else data.path("actors.json"),
                   Path(claimants) if claimants else data.path("claimants.json"))

    # -- actors.json --

    def _load_actors(self, path: Path) -> None:
        doc, text = _read(path)
        c = _Checker(path, text)
        if not isinstance(doc, dict) or not isinstance(doc.get("actors"), list):
            c.fail('the file must be an object with an "actors" list')
        for code, info in (doc.get("countries") or {}).items():
            if code.startswith("_"):
                continue
            c.where, c.line = f'countries "{code}"', None
            c.country(code, "countries key")
            c.keys(info, ("name", "demonyms"), ("name", "demonyms"))
            self.countries[code] = {"name": c.string(info["name"], "name"),
                                    "demonyms": c.strings(info["demonyms"], "demonyms")}
        generic_lines, actor_lines = _element_lines(text, "generic"), _element_lines(text, "actors")
        for i, raw in enumerate(doc.get("generic") or []):
            c.at("generic", i, generic_lines).keys(raw, _GENERIC_KEYS, ("id", "name", "aliases", "kind", "inter", "category"))
            e = self._entry(c, raw, generic=True)
            for alias in _with_name(e.name, c.strings(raw["aliases"], "aliases")):
                self.actors.add(alias, _Payload("generic", e))
            for code, info in self.countries.items():
                for word in raw["aliases"] + c.strings(raw.get("after_demonym", []), "after_demonym"):
                    self._add_demonym(info["demonyms"], word, _Payload("generic", e, fixed=code))
        for i, raw in enumerate(doc["actors"]):
            c.at("actors", i, actor_lines).keys(raw, _ACTOR_KEYS, ("id", "name", "aliases", "kind", "inter", "country", "category"))
            self._actor(c, raw)

    def _entry(self, c: _Checker, raw: dict, generic: bool) -> _Entry:
        if not isinstance(raw["id"], str) or not _ID.fullmatch(raw["id"]):
            c.fail(f'"id" must use lower-case letters, digits and _ only, not {raw["id"]!r}')
        if raw["id"] in self.entries:
            c.fail(f'duplicate id "{raw["id"]}"')
        inter, category = c.inter(raw["inter"]), c.choice(raw["category"], CATEGORIES, "category")
        country = None if generic else c.country(raw["country"])
        local_in = tuple(c.country(x, "local_in") for x in raw.get("local_in", [country] if country else []))
        if raw.get("local") and not local_in:
            c.fail('"local" words need a "country" or "local_in"')
        ctype = raw.get("claimant_type") or _default_claimant_type(inter, category)
        e = _Entry(raw["id"], c.string(raw["name"], "name"), c.string(raw.get("short", raw["name"]), "short"),
                   c.string(raw["kind"], "kind"), inter, country, category,
                   c.choice(ctype, CLAIMANT_TYPES, "claimant_type"), local_in, generic, raw)
        self.entries[e.id] = e
        return e

    def _actor(self, c: _Checker, raw: dict) -> None:
        e = self._entry(c, raw, generic=False)
        for alias in _with_name(e.name, c.strings(raw["aliases"], "aliases")):
            self.actors.add(alias, _Payload("alias", e))
        for word in c.strings(raw.get("local", []), "local"):
            self.actors.add(word, _Payload("local", e))
            for code in e.local_in:
                if code in self.countries:  # "Somali police", "Pakistani Taliban"
                    self._add_demonym(self.countries[code]["demonyms"], word, _Payload("alias", e, fixed=code))
        for unit in raw.get("units", []):
            c.keys(unit, ("name", "aliases", "note"), ("name",))
            name = c.string(unit["name"], "units name")
            for alias in _with_name(name, c.strings(unit.get("aliases", []), "units aliases")):
                self.actors.add(alias, _Payload("alias", e, unit=name))
        for media in raw.get("media", []):
            if isinstance(media, str):
                media = {"name": media}
            c.keys(media, ("name", "aliases", "claimant", "note"), ("name",))
            name = c.string(media["name"], "media name")
            who = c.string(media.get("claimant", e.short), "media claimant")
            for alias in _with_name(name, c.strings(media.get("aliases", []), "media aliases")):
                self.actors.add(alias, _Payload("media", e, claimant=who))

    def _add_demonym(self, demonyms: list[str], word: str, payload: _Payload) -> None:
        word, word_exact = _is_exact(word)
        for d in demonyms:
            d, d_exact = _is_exact(d)
            self.actors.add(f"{d} {word}", payload, exact=word_exact or d_exact)

    # -- claimants.json --

    def _load_claimants(self, path: Path) -> None:
        doc, text = _read(path)
        c = _Checker(path, text)
        if not isinstance(doc, dict) or not isinstance(doc.get("cues"), list):
            c.fail('the file must be an object with a "cues" list')
        grammar = _Grammar(c.strings(doc.get("speech_verbs", []), "speech_verbs"),
                           c.strings(doc.get("speech_verb_lead", []), "speech_verb_lead"),
                           c.strings(doc.get("name_particles", []), "name_particles"),
                           c.strings(doc.get("not_title_words", []), "not_title_words"))
        if not grammar.verbs:
            c.fail('"speech_verbs" must list at least one verb')
        titles = doc.get("titles") or {}
        if not isinstance(titles, dict):
            c.fail('"titles" must map a claimant type to a list of titles')
        for ctype, words in titles.items():
            if ctype.startswith("_"):
                continue
            c.line = text.count("\n", 0, max(text.find(f'"{ctype}"'), 0)) + 1
            c.where = f'titles "{ctype}"'
            c.choice(ctype, CLAIMANT_TYPES, "claimant type")
            for w in c.strings(words, ctype):
                self.titles.add(w, ctype)
        lines = _element_lines(text, "outlets")
        for i, raw in enumerate(doc.get("outlets") or []):
            c.at("outlets", i, lines).keys(raw, ("name", "aliases", "claimant_type", "note"), ("name",))
            outlet = (c.string(raw["name"], "name"), c.choice(raw.get("claimant_type", "media"), CLAIMANT_TYPES, "claimant_type"))
            for alias in _with_name(outlet[0], c.strings(raw.get("aliases", []), "aliases")):
                self.outlets.add(alias, outlet)
        lines = _element_lines(text, "cues")
        self.by_word: dict[str, set[int]] = {}
        self.always: set[int] = set()
        words: set[str] = set()
        for i, raw in enumerate(doc["cues"]):
            c.at("cues", i, lines).keys(raw, _CUE_KEYS, ("pattern", "claimant", "claimant_type"))
            cue, anchor = self._cue(c, grammar, i, raw)
            self.cues.append(cue)
            for word in anchor or ():
                self.by_word.setdefault(word, set()).add(i)
            if anchor is None:
                self.always.add(i)
            words.update(*cue.needs)
        # Finds which cue words occur anywhere (not word-bounded: a cheap filter, the regexes decide).
        self.words = ahocorasick.Automaton()
        for word in words:
            self.words.add_word(word, word)
        self.words.make_automaton()

    def _cue(self, c: _Checker, grammar: _Grammar, i: int, raw: dict):
        pattern, claimant = c.string(raw["pattern"], "pattern"), c.string(raw["claimant"], "claimant")
        try:
            rx, holes, needs = grammar.compile(pattern)
        except (ValueError, re.error) as e:
            c.fail(f"bad pattern {pattern!r}: {e}")
        ctype = raw["claimant_type"]
        if ctype.startswith("{"):
            c.choice(ctype, ("{actor}", "{title}", "{outlet}"), "claimant_type")
            if ctype[1:-1] not in holes:
                c.fail(f"claimant_type {ctype} needs {ctype} in the pattern")
        else:
            c.choice(ctype, CLAIMANT_TYPES, "claimant_type")
        for used in re.findall(r"\{(\w+)\}", claimant):
            if used != "group" and used not in holes:
                c.fail(f"claimant uses {{{used}}}, which the pattern lacks")
        layers = frozenset(h for h in holes if h in _SENTINEL)
        gates = frozenset(h for h in layers if holes[h])
        if not needs and not gates:
            c.fail(f"pattern {pattern!r} needs a plain word, {{said}}, {{actor}}, {{title}} or {{outlet}}")
        fallback = raw.get("fallback")
        if fallback is not None:
            c.string(fallback, "fallback")
        cue = _Cue(i, rx, claimant, ctype, c.country(raw.get("country")), fallback, layers, gates, tuple(needs))
        # The set with the longest shortest word is the rarest-looking: it indexes the cue.
        return cue, (max(needs, key=lambda a: min(map(len, a))) if needs else None)

    # -- finding --

    def _hits(self, text: str, country: str | None) -> tuple[_Hit, ...]:
        return _resolved(self, text, country)

    def find_actors(self, text: str, *, country: str | None = None) -> list[ActorMention]:
        """Actors named in *text*, in order; see `find_actors`."""
        out = []
        for h in _selected(self, text, _cc(country), False):
            e = h.entry
            name = f"{e.name} of {self.country_name(h.country)}" if e.generic and h.country else e.name
            out.append(ActorMention(h.start, h.end, text[h.start:h.end], e.id, name, e.kind, e.inter,
                                    h.country, h.unit, e.category))
        return out

    def find_claimants(self, text: str, *, country: str | None = None) -> list[ClaimantMention]:
        """Attribution cues in *text*, in order; see `find_claimants`."""
        country = _cc(country)
        folds = _folds(text)
        present = frozenset(w for _, w in self.words.iter(folds[1]))
        cues = [q for q in self._candidates(present) if q.country in (None, country)]
        if not cues:
            return []
        hits = _selected(self, text, country, True)
        layers = {"actor": [(h.start, h.end, h) for h in hits]}
        if any("title" in q.layers for q in cues):
            layers["title"] = [(s, e, p[0]) for s, e, p in _longest(self.titles.scan(folds))]
        if any("outlet" in q.layers for q in cues):
            layers["outlet"] = [(s, e, p[0]) for s, e, p in _longest(self.outlets.scan(folds))]
        masks: dict[frozenset, str] = {}
        found = []
        for cue in cues:
            if any(not layers.get(g) for g in cue.gates):
                continue
            if cue.layers not in masks:
                masks[cue.layers] = _mask(text, {k: layers[k] for k in cue.layers})
            for m in cue.rx.finditer(masks[cue.layers]):
                got = self._claimant(cue, m, text, layers, hits)
                if got:
                    found.append((m.start(), m.end(), cue.order, got))
        out, taken = [], []
        for s, e, _, (who, ctype) in sorted(found, key=lambda f: (f[0] - f[1], f[2])):
            if all(e <= ts or s >= te for ts, te in taken):
                taken.append((s, e))
                out.append(ClaimantMention(s, e, text[s:e], who, ctype))
        return sorted(out, key=lambda c: c.start)

    def _candidates(self, present: frozenset) -> list[_Cue]:
        """Cues whose required words all occur; cached, since few word sets recur across sentences."""
        got = self._seen.get(present)
        if got is None:
            todo = set(self.always)
            for w in present:
                todo.update(self.by_word.get(w, ()))
            got = [q for q in (self.cues[i] for i in sorted(todo)) if all(not present.isdisjoint(n) for n in q.needs)]
            if len(self._seen) > 4096:
                self._seen.clear()
            self._seen[present] = got
        return got

    def _claimant(self, cue: _Cue, m: re.Match, text: str, layers: dict, hits: list[_Hit]):
        """(claimant, type) for one regex match, or None when the match is not a cue after all."""
        groups = {k: v for k, v in m.groupdict().items() if v is not None}
        if "person" in groups and any(h.start < m.end("person") and m.start("person") < h.end for h in hits):
            return None  # a known spokesman is the actor's cue, not an official's
        values, ctype = {}, cue.claimant_type
        for k in groups:
            s, e = m.span(k)
            values[k] = " ".join(text[s:e].split())
        # A group with no mention at its start is a sentinel character typed in the text itself: no cue.
        if "actor" in groups:
            h = next((h for s, e, h in layers["actor"] if s == m.start("actor")), None)
            if h is None:
                return None
            values["actor"] = h.claimant or h.entry.short
            ctype = h.entry.claimant_type if ctype == "{actor}" else ctype
        if "outlet" in groups:
            name, otype = next((p for s, e, p in layers["outlet"] if s == m.start("outlet")), (None, None))
            if name is None:
                return None
            values["outlet"] = name
            ctype = otype if ctype == "{outlet}" else ctype
        if "title" in groups and ctype == "{title}":
            inside = [p for s, e, p in layers["title"] if m.start("title") <= s < m.end("title")]
            if not inside:
                return None
            ctype = inside[-1]  # the last title types the speaker: "army spokesman Maj Gen X" is military
        if "{group}" in cue.claimant:
            prior = [h for h in hits if h.end <= m.start() and h.entry.inter in ARMED and h.claimant is None]
            if prior:
                values["group"] = prior[-1].claimant or prior[-1].entry.short
            elif cue.fallback:
                values["group"] = cue.fallback
            else:
                return None
        who = re.sub(r"\{(\w+)\}", lambda g: values.get(g[1], ""), cue.claimant)
        return " ".join(who.split()), ctype

    def country_name(self, code: str) -> str:
        """Display name of an ISO2 country code ("PK" -> "Pakistan")."""
        if code in self.countries:
            return self.countries[code]["name"]
        try:
            import pycountry  # only for countries actors.json does not list

            found = pycountry.countries.get(alpha_2=code)
            return getattr(found, "common_name", None) or found.name if found else code
        except ImportError:
            return code


def _with_name(name: str, aliases: list[str]) -> list[str]:
    """A name is matched like an alias, unless an alias spells it already (perhaps as "=CoBRA", exact case)."""
    return aliases if name in {a.lstrip("=") for a in aliases} else [name] + aliases


def _cc(country: str | None) -> str | None:
    return country.upper() if country else None


def _mask(text: str, layers: dict[str, list]) -> str:
    """*text* with each mention of the given layers overwritten by its sentinel run (same length)."""
    chars = list(text)
    taken = [False] * len(text)
    for name, spans in layers.items():
        first, rest = _SENTINEL[name]
        for s, e, _ in spans:
            if any(taken[s:e]):
                continue
            chars[s:e] = first + rest * (e - s - 1)
            taken[s:e] = [True] * (e - s)
    return "".join(chars)


def _resolve(payloads: list[_Payload], country: str | None):
    """Pick what a matched name means in a text about *country*: (payload, mention country) or None."""
    for p in payloads:
        if p.scope == "local" and country in p.entry.local_in:
            return p, p.entry.country
    named = [p for p in payloads if p.scope in ("alias", "media")]
    if named:
        p = next((p for p in named if (p.fixed or p.entry.country) == country), named[0])
        return p, p.fixed or p.entry.country
    for p in payloads:
        if p.scope == "generic":
            return p, p.fixed or country
    if country is None:
        local = {p.entry.id: p for p in payloads if p.scope == "local"}
        if len(local) == 1:
            p = next(iter(local.values()))
            return p, p.entry.country
    return None


@lru_cache(maxsize=256)
def _resolved(lex: Lexicon, text: str, country: str | None) -> tuple[_Hit, ...]:
    """Every resolved actor and media match in *text*, overlaps included (cached: both finders use it)."""
    out = []
    for s, e, payloads in lex.actors.scan(_folds(text)):
        got = _resolve(payloads, country)
        if got:
            p, where = got
            out.append(_Hit(s, e, p.entry, p.unit, where, p.claimant))
    return tuple(out)


@lru_cache(maxsize=256)
def _selected(lex: Lexicon, text: str, country: str | None, media: bool) -> tuple[_Hit, ...]:
    """The leftmost-longest hits (media arms only if *media*), with two kinds of neighbours merged.

    "IDF troops" or "FARDC soldiers" is one mention of the named force, not a
    named and a generic one; "Islamic State West Africa Province (ISWAP)" is one
    mention too, so "... (ISWAP) has claimed" reads as the group's claim.
    """
    out: list[_Hit] = []
    for h in _longest([h for h in _resolved(lex, text, country) if media or h.claimant is None], _hit_span):
        prev = out[-1] if out else None
        gap = text[prev.end:h.start] if prev else None
        if (prev and h.entry.generic and not prev.entry.generic and prev.claimant is None
                and prev.entry.inter in (1, 8) and not gap.strip()):
            out[-1] = _Hit(prev.start, h.end, prev.entry, prev.unit, prev.country, None)
        elif prev and h.entry is prev.entry and h.claimant == prev.claimant and _OPEN.fullmatch(gap) and (
                close := _CLOSE.match(text, h.end)):
            out[-1] = _Hit(prev.start, close.end(), prev.entry, prev.unit or h.unit, prev.country, prev.claimant)
        else:
            out.append(h)
    return tuple(out)


_OPEN, _CLOSE = re.compile(r"\s*\(\s*"), re.compile(r"\s*\)")


@cache
def lexicon() -> Lexicon:
    """The packaged lexicon, loaded and checked once."""
    return Lexicon.load()


def find_actors(text: str, *, country: str | None = None) -> list[ActorMention]:
    """Armed groups, units and state forces named in *text*, in order.

    *country* (ISO2) is the document's country: it decides what "army",
    "police", "FC" or "Taliban" mean, and is the country of generic mentions.

    Example:
        >>> [(m.surface, m.name, m.inter) for m in find_actors("Police and Nigerian troops repelled ISWAP.", country="NG")]
        [('Police', 'Nigeria Police Force', 1), ('Nigerian troops', 'Military Forces of Nigeria', 1), ('ISWAP', 'Islamic State West Africa Province', 2)]
    """
    return lexicon().find_actors(text, country=country)


def find_claimants(text: str, *, country: str | None = None) -> list[ClaimantMention]:
    """Who the text says asserts something: cues such as "police said", "according to the BLA".

    Example:
        >>> [(c.claimant, c.claimant_type) for c in find_claimants("Interior Minister Mohsin Naqvi said 10 died, residents said.")]
        [('Interior Minister Mohsin Naqvi', 'government'), ('residents', 'witnesses')]
    """
    return lexicon().find_claimants(text, country=country)


def actor_by_id(actor_id: str) -> dict:
    """The actors.json entry (or generic entry) with this id, as a new dict; KeyError if unknown.

    Example:
        >>> actor_by_id("bla")["inter"]
        2
    """
    return json.loads(json.dumps(lexicon().entries[actor_id].raw))


def candidate_organisations(doc, *, country: str | None = None) -> list[str]:
    """ORG and NORP entities of a spaCy *doc* that the lexicons do not know, in order, once each.

    They are kept as candidates for a person to add to actors.json, not thrown away.

    Example:
        >>> # doc.ents: "Baloch Liberation Army" (ORG), "Lashkar-e-Khorasan" (ORG)
        >>> candidate_organisations(doc)  # doctest: +SKIP
        ['Lashkar-e-Khorasan']
    """
    lex = lexicon()
    out, seen = [], set()
    for ent in doc.ents:
        if ent.label_ not in ("ORG", "NORP"):
            continue
        name = re.sub(r"^(?i:the)\s+|['’]s$", "", ent.text.strip()).strip()
        key = name.casefold()
        if not name or key in seen:
            continue
        seen.add(key)
        if lex._hits(name, _cc(country)) or lex.outlets.scan(_folds(name)):
            continue
        out.append(name)
    return out
