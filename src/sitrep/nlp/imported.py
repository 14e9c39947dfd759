"""Places from an imported GeoNames gazetteer, for the names the bundled one lacks.

`sitrep gazetteer import` fills an SQLite gazetteer from the GeoNames dumps (`sitrep.geonames`). The
recogniser (`nlp.places`) asks it about one kind of name only: a capitalised name the bundled
gazetteer does not know that a cue already makes a place ("the village of X", "X district", "in X,
Y", "near X"). A lookup never adds a place by itself, so importing 13 million names does not turn
every capitalised word into a village; it puts the places that cues find at their own coordinates
instead of at their district's or province's centre.

Which database: ``$SITREP_GEONAMES_DB`` (a path, or ``off``), else the default one in sitrep's cache
when something was imported. Each process opens its own connection when it first asks.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Collection, Sequence
from pathlib import Path

from .gazetteer import Place, base_names, distance_km, name_key

log = logging.getLogger(__name__)
ENV = "SITREP_GEONAMES_DB"
OFF = frozenset({"off", "none", "0", "no", "false"})
# Kinds an imported entry may have, as the bundled gazetteer's kinds (admin3/admin4, such as
# townships and communes, are placed like districts; sites like named parts of a town).
KIND = {"city": "city", "part": "part", "site": "part", "admin1": "admin1", "admin2": "admin2",
        "admin3": "admin2", "admin4": "admin2", "country": "country"}
# Geo precision of an entry of this kind when it differs from its bundled kind's.
PRECISION = {"admin3": 2, "admin4": 2}
# What a cue asks for, best first: "the village of X" a populated place or a site (else a
# township or commune of that name), "X district" an admin area.
WANTED = {"town": ("city", "part", "site", "admin3", "admin4"), "part": ("part", "site", "city"),
          "area": ("admin2", "admin3", "admin4", "admin1")}
NEAR_KM = 60.0  # "X, near Gao": an entry this close to the anchoring town is the one meant

_open: dict[str, object] = {}


def database():
    """The imported gazetteer this process reads, or None (nothing imported, or switched off)."""
    value = os.environ.get(ENV, "").strip()
    if value and value.lower() in OFF:
        return None
    from ..geonames import GeoNamesDB

    key = f"{os.getpid()}:{value}"
    if key not in _open:
        db = (GeoNamesDB(Path(value)) if Path(value).exists() else None) if value else GeoNamesDB.open_default()
        if db is not None:
            try:
                db.conn.execute("SELECT key, geonameid FROM names LIMIT 1").fetchall()
            except sqlite3.Error as e:   # not a gazetteer sitrep made, or a damaged one: runs go on without it
                log.warning("imported gazetteer %s not used: %s; import the files again with "
                            "`sitrep gazetteer import`", db.path, e)
                db = None
        _open[key] = db
    return _open[key]


def to_place(entry) -> Place:
    """An imported entry as the recogniser's Place (its source names the file it came from)."""
    return Place(id=f"gn:{entry.geonameid}", geonameid=entry.geonameid, name=entry.name,
                 latitude=entry.latitude, longitude=entry.longitude, admin1=entry.admin1_name,
                 admin2=entry.admin2_name if entry.kind not in ("admin1", "country") else None,
                 country=entry.country, kind=KIND.get(entry.kind, "city"), population=entry.population,
                 parent=f"gn:{entry.parent}" if entry.parent and entry.kind in ("part", "site") else None,
                 precision=PRECISION.get(entry.kind), source=f"geonames:{entry.source}")


def parent_town(place: Place) -> Place | None:
    """The imported town a named part or site of a town belongs to, if the imported gazetteer has it."""
    db = database()
    if db is None or not place.parent or not place.parent.startswith("gn:"):
        return None
    entry = db.get(int(place.parent[3:]))
    return to_place(entry) if entry is not None else None


def find(name: str, want: str, *, countries: Collection[str], holder: Place | None = None,
         holder_codes: tuple[str | None, str | None] = (None, None), admin1_context: Sequence[str] = ()):
    """The imported entry a cued name stands for, or None.

    *want* is the cue's "town", "part" (of a town) or "area". With a *holder* (the known place the phrase puts the name
    in: "the village of X in Y district", "X, near Gao"), only entries it holds count: same district
    or province by code or name, within `NEAR_KM` of a town, inside a country. Without one, only
    entries in the text's *countries* count. Among those, entries in the provinces the text is
    about (*admin1_context*, codes) come first, then the kinds the cue asks for in `WANTED`'s order,
    the nearest to the holder and the most populous.
    """
    db = database()
    if db is None:
        return None
    key = name_key(name)
    scope = [holder.country] if holder is not None else list(countries)
    if not key or not scope:
        return None
    entries = db.lookup(key, countries=scope, kinds=WANTED[want])
    if holder is not None:
        entries = [e for e in entries if _held(e, holder, holder_codes)]
    if not entries:
        return None
    rank = {a: n for n, a in enumerate(admin1_context)}
    kinds = WANTED[want]
    return min(entries, key=lambda e: (rank.get(e.admin1, len(rank)), kinds.index(e.kind), _distance(e, holder),
                                       -e.population, e.geonameid))


def _held(entry, holder: Place, codes: tuple[str | None, str | None]) -> bool:
    """Does the known place *holder* hold the imported *entry*?"""
    if entry.country != holder.country:
        return False
    if holder.kind == "country":
        return True
    a1, a2 = codes
    if holder.kind in ("admin2",):
        return (a2 is not None and entry.admin2 == a2) or _same_name(entry.admin2_name, holder.name) \
            or _same_name(entry.admin2_name, holder.admin2)
    if holder.kind == "admin1":
        return (a1 is not None and entry.admin1 == a1) or _same_name(entry.admin1_name, holder.name)
    # A town or a part of one: near it.
    return _distance(entry, holder) <= NEAR_KM


def _same_name(a: str | None, b: str | None) -> bool:
    """Do two admin names name one area, with or without a suffix ("Kech District" = "Kech")?"""
    if not a or not b:
        return False
    return {name_key(a), *base_names(a)} & {name_key(b), *base_names(b)} != set()


def _distance(entry, holder: Place | None) -> float:
    """Km between an entry and a holder (0 without a holder)."""
    return 0.0 if holder is None else distance_km(entry.latitude, entry.longitude, holder.latitude, holder.longitude)
