"""The two vocabularies, loaded, checked and indexed: `Lexicon.load()` reads the packaged files.

actors.json lists groups and state forces (aliases, local words, units, unit
patterns, media arms), the generic force words and the countries' demonyms;
claimants.json lists cue patterns, titles and outlets. Their ``_format`` keys
document the formats; a malformed entry raises `DataFileError` naming the file
and line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ... import data
from . import claimants, cues, finders
from .checks import Checker, element_lines, read
from .grammar import Cue
from .index import Index, is_exact, key, with_name
from .mentions import ARMED, CATEGORIES, CLAIMANT_TYPES, ActorMention, ClaimantMention

_ACTOR_KEYS = ("id", "name", "short", "aliases", "kind", "inter", "country", "category", "claimant_type",
               "local", "local_in", "units", "patterns", "media", "note")
_GENERIC_KEYS = ("id", "name", "short", "aliases", "common", "kind", "inter", "category", "claimant_type",
                 "after_demonym", "note")
_ID = re.compile(r"[a-z0-9_]+")


@dataclass(slots=True, eq=False)
class Entry:
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
    generic: bool  # an entry of the "generic" list ("Police Forces"), not a named actor
    raw: dict


@dataclass(frozen=True, slots=True)
class Payload:
    scope: str  # alias | local | generic | media
    entry: Entry
    unit: str | None = None
    fixed: str | None = None  # country set by a demonym ("Somali police")
    claimant: str | None = None  # media arms: who they speak for
    common: bool = False  # a common noun ("troops", "Malian soldiers"): its mentions are generic
    force: bool = False  # a bare force word ("army", "police"): generic when it modifies a noun


@dataclass(frozen=True, slots=True)
class UnitPattern:
    rx: re.Pattern
    words: tuple[str, ...]  # the text must contain one of them for the regex to run
    entry: Entry


def default_claimant_type(inter: int, category: str) -> str:
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


def _fold(word: str) -> str:
    return key(is_exact(word)[0], False)


class Lexicon:
    """Both vocabularies, checked and indexed.

    Example:
        >>> lex = Lexicon.load()
        >>> lex.find_actors("Police said", country="NG")[0].actor_id
        'ng_police'
    """

    def __init__(self, actors_path: Path, claimants_path: Path):
        self.entries: dict[str, Entry] = {}
        self.countries: dict[str, dict] = {}
        self.demonyms: frozenset[str] = frozenset()
        self.common: set[str] = set()  # folded common nouns ("troops", "security forces")
        self.force: set[str] = set()  # folded bare force words ("army", "police")
        self.attributive: frozenset[str] = frozenset()  # nouns a force word can modify ("station", "patrol")
        self.patterns: dict[str, list[UnitPattern]] = {}  # document country -> unit patterns
        self.actors = Index()
        self._load_actors(Path(actors_path))
        self.actors.build()
        self.titles, self.outlets = Index(), Index()
        self.cues: list[Cue] = []
        self._seen: dict[frozenset, list[Cue]] = {}
        cues.load(self, Path(claimants_path))
        self.titles.build()
        self.outlets.build()

    @classmethod
    def load(cls, actors: str | Path | None = None, claimants: str | Path | None = None) -> "Lexicon":
        """Read and check the two files (default: the packaged ones)."""
        return cls(Path(actors) if actors else data.path("actors.json"),
                   Path(claimants) if claimants else data.path("claimants.json"))

    # -- actors.json --

    def _load_actors(self, path: Path) -> None:
        doc, text = read(path)
        c = Checker(path, text)
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
        self.demonyms = frozenset(_fold(d) for info in self.countries.values() for d in info["demonyms"] + [info["name"]])
        c.where, c.line = '"attributive"', None
        self.attributive = frozenset(_fold(w) for w in c.strings(doc.get("attributive", []), "attributive"))
        generic_lines, actor_lines = element_lines(text, "generic"), element_lines(text, "actors")
        raws = doc.get("generic") or []
        for i, raw in enumerate(raws):  # first every common noun and force word, so local words can be told apart
            c.at("generic", i, generic_lines).keys(raw, _GENERIC_KEYS, ("id", "name", "aliases", "kind", "inter", "category"))
            common = c.strings(raw.get("common", []), "common") + c.strings(raw.get("after_demonym", []), "after_demonym")
            self.common.update(_fold(w) for w in common)
            self.force.update(_fold(w) for w in with_name(c.string(raw["name"], "name"), c.strings(raw["aliases"], "aliases")))
        self.force -= self.common
        for i, raw in enumerate(raws):
            c.at("generic", i, generic_lines)
            e = self._entry(c, raw, generic=True)
            aliases, common = raw["aliases"], raw.get("common", [])
            for word in with_name(e.name, aliases + common):
                flag = word in common or word not in aliases and _fold(word) in self.common
                self.actors.add(word, Payload("generic", e, common=flag, force=not flag))
            for code, info in self.countries.items():
                for word in aliases + common + raw.get("after_demonym", []):
                    flag = word not in aliases
                    self._add_demonym(info["demonyms"], word, Payload("generic", e, fixed=code, common=flag, force=not flag))
        for i, raw in enumerate(doc["actors"]):
            c.at("actors", i, actor_lines).keys(raw, _ACTOR_KEYS, ("id", "name", "aliases", "kind", "inter", "country", "category"))
            self._actor(c, raw)

    def _payload(self, scope: str, e: Entry, word: str, **kw) -> Payload:
        k = _fold(word)
        return Payload(scope, e, common=k in self.common, force=k in self.force, **kw)

    def _entry(self, c: Checker, raw: dict, generic: bool) -> Entry:
        if not isinstance(raw["id"], str) or not _ID.fullmatch(raw["id"]):
            c.fail(f'"id" must use lower-case letters, digits and _ only, not {raw["id"]!r}')
        if raw["id"] in self.entries:
            c.fail(f'duplicate id "{raw["id"]}"')
        inter, category = c.inter(raw["inter"]), c.choice(raw["category"], CATEGORIES, "category")
        country = None if generic else c.country(raw["country"])
        local_in = tuple(c.country(x, "local_in") for x in raw.get("local_in", [country] if country else []))
        if (raw.get("local") or raw.get("patterns")) and not local_in:
            c.fail('"local" words and "patterns" need a "country" or "local_in"')
        ctype = raw.get("claimant_type") or default_claimant_type(inter, category)
        e = Entry(raw["id"], c.string(raw["name"], "name"), c.string(raw.get("short", raw["name"]), "short"),
                  c.string(raw["kind"], "kind"), inter, country, category,
                  c.choice(ctype, CLAIMANT_TYPES, "claimant_type"), local_in, generic, raw)
        self.entries[e.id] = e
        return e

    def _actor(self, c: Checker, raw: dict) -> None:
        e = self._entry(c, raw, generic=False)
        for alias in with_name(e.name, c.strings(raw["aliases"], "aliases")):
            self.actors.add(alias, Payload("alias", e))
        for word in c.strings(raw.get("local", []), "local"):
            self.actors.add(word, self._payload("local", e, word))
            for code in e.local_in:
                if code in self.countries:  # "Somali police", "Pakistani Taliban"
                    self._add_demonym(self.countries[code]["demonyms"], word, self._payload("alias", e, word, fixed=code))
        for unit in raw.get("units", []):
            c.keys(unit, ("name", "aliases", "note"), ("name",))
            name = c.string(unit["name"], "units name")
            for alias in with_name(name, c.strings(unit.get("aliases", []), "units aliases")):
                self.actors.add(alias, Payload("alias", e, unit=name))
        for pat in raw.get("patterns", []):
            c.keys(pat, ("regex", "words", "local_in", "note"), ("regex", "words"))
            rx = re.compile(r"(?<![\w'’])(?:%s)(?![\w'’])" % c.regex(pat["regex"], "regex").pattern)
            words = tuple(c.strings(pat["words"], "words")) or c.fail('"words" must list at least one word')
            for code in (c.country(x, "local_in") for x in pat.get("local_in", e.local_in)):
                self.patterns.setdefault(code, []).append(UnitPattern(rx, words, e))
        for media in raw.get("media", []):
            if isinstance(media, str):
                media = {"name": media}
            c.keys(media, ("name", "aliases", "claimant", "note"), ("name",))
            name = c.string(media["name"], "media name")
            who = c.string(media.get("claimant", e.short), "media claimant")
            for alias in with_name(name, c.strings(media.get("aliases", []), "media aliases")):
                self.actors.add(alias, Payload("media", e, claimant=who))

    def _add_demonym(self, demonyms: list[str], word: str, payload: Payload) -> None:
        word, word_exact = is_exact(word)
        for d in demonyms:
            d, d_exact = is_exact(d)
            self.actors.add(f"{d} {word}", payload, exact=word_exact or d_exact)

    # -- finding --

    def _hits(self, text: str, country: str | None):
        return finders.resolved(self, text, country)

    def find_actors(self, text: str, *, country: str | None = None) -> list[ActorMention]:
        """Actors named in *text*, in order; see `sitrep.nlp.actors.find_actors`."""
        return finders.find_actors(self, text, country)

    def find_claimants(self, text: str, *, country: str | None = None) -> list[ClaimantMention]:
        """Attribution cues in *text*, in order; see `sitrep.nlp.actors.find_claimants`."""
        return claimants.find_claimants(self, text, country)

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
