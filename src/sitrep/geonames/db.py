"""The imported gazetteer: an SQLite file in sitrep's cache, filled by `sitrep gazetteer import`.

Tables: ``places`` (one row per kept GeoNames feature, admin codes written out in full, "NG.23"
and "NG.23.19014"), ``names`` (lookup key -> place; the keys are the recogniser's own, made with
`sitrep.nlp.gazetteer.name_key` and its spelling rules), ``admin_names`` (the admin code files),
``countries``, and ``files`` (what was imported, how far, when).

It is a cache, not the store: plain sqlite3, one connection per process (opened on first use, so a
forked worker opens its own), read-only for the recogniser.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path

FILE_NAME = "geonames.sqlite"
SCHEMA = """
CREATE TABLE IF NOT EXISTS places (
    geonameid INTEGER PRIMARY KEY, name TEXT NOT NULL, latitude REAL NOT NULL, longitude REAL NOT NULL,
    feature_class TEXT NOT NULL, feature_code TEXT NOT NULL, country TEXT NOT NULL,
    admin1 TEXT, admin2 TEXT, admin3 TEXT, admin4 TEXT, population INTEGER NOT NULL DEFAULT 0,
    kind TEXT NOT NULL, parent INTEGER, source TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS names (
    key TEXT NOT NULL, geonameid INTEGER NOT NULL, canonical INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (key, geonameid)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS admin_names (
    code TEXT PRIMARY KEY, name TEXT NOT NULL, geonameid INTEGER, source TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS countries (
    code TEXT PRIMARY KEY, iso3 TEXT, name TEXT NOT NULL, geonameid INTEGER);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, size INTEGER NOT NULL,
    mtime REAL NOT NULL, lines_done INTEGER NOT NULL DEFAULT 0, complete INTEGER NOT NULL DEFAULT 0,
    rows INTEGER NOT NULL DEFAULT 0, skipped INTEGER NOT NULL DEFAULT 0, malformed INTEGER NOT NULL DEFAULT 0,
    imported_at TEXT);
"""
# Made after a bulk load rather than kept up row by row (see importer.finish).
INDEXES = """
CREATE INDEX IF NOT EXISTS ix_places_country_kind ON places (country, kind);
CREATE INDEX IF NOT EXISTS ix_places_admin1 ON places (admin1);
CREATE INDEX IF NOT EXISTS ix_places_admin2 ON places (admin2);
CREATE INDEX IF NOT EXISTS ix_places_admin3 ON places (admin3);
CREATE INDEX IF NOT EXISTS ix_places_admin4 ON places (admin4);
"""
LEVEL_COLUMNS = ("admin1", "admin2", "admin3", "admin4")


def default_path() -> Path:
    """Where `sitrep gazetteer import` puts the gazetteer: sitrep's cache ($SITREP_CACHE_DIR)."""
    from ..nlp.gazetteer import cache_dir

    return cache_dir() / FILE_NAME


@dataclass(frozen=True, slots=True)
class Entry:
    """One imported place. Admin codes are GeoNames' written out in full ("NG.23.19014")."""

    geonameid: int
    name: str
    latitude: float
    longitude: float
    country: str
    feature_class: str
    feature_code: str
    kind: str  # city | part | site | admin1 | admin2 | admin3 | admin4 | country
    admin1: str | None
    admin2: str | None
    admin3: str | None
    admin4: str | None
    admin1_name: str | None
    admin2_name: str | None
    population: int
    parent: int | None  # part or site: the town it belongs to
    source: str  # the file it came from ("NG.zip")


_COLUMNS = ("geonameid, name, latitude, longitude, country, feature_class, feature_code, kind, "
            "admin1, admin2, admin3, admin4, population, parent, source")


class GeoNamesDB:
    """Read access to an imported gazetteer."""

    def __init__(self, path: str | os.PathLike | None = None):
        self.path = Path(path) if path is not None else default_path()
        self._conn: sqlite3.Connection | None = None
        self._pid = None
        self._admin_names: dict[str, str | None] = {}

    @classmethod
    def open_default(cls) -> "GeoNamesDB | None":
        """The gazetteer in sitrep's cache, or None when nothing was imported there."""
        path = default_path()
        return cls(path) if path.exists() else None

    @property
    def conn(self) -> sqlite3.Connection:
        """This process's connection (a forked child opens its own)."""
        if self._conn is None or self._pid != os.getpid():
            self._conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            self._pid = os.getpid()
            self._admin_names = {}
        return self._conn

    def close(self) -> None:
        if self._conn is not None and self._pid == os.getpid():
            self._conn.close()
        self._conn = None

    def lookup(self, key: str, countries: Collection[str] | None = None, kinds: Collection[str] | None = None,
               limit: int = 50) -> list[Entry]:
        """Places with the name key *key* (`sitrep.nlp.gazetteer.name_key`), in *countries* and of *kinds*
        when given: those of that very name first, then the most populous."""
        sql = [f"SELECT {', '.join('p.' + c.strip() for c in _COLUMNS.split(','))} FROM names n "
               "JOIN places p ON p.geonameid = n.geonameid WHERE n.key = ?"]
        args: list = [key]
        for column, values in (("country", countries), ("kind", kinds)):
            if values is not None:
                values = list(values)
                sql.append(f"AND p.{column} IN ({', '.join('?' * len(values))})")
                args += values
        sql.append("ORDER BY n.canonical DESC, p.population DESC, p.geonameid LIMIT ?")
        return [self._entry(r) for r in self.conn.execute(" ".join(sql), [*args, limit])]

    def has_keys(self, keys: Iterable[str]) -> set[str]:
        """Which of *keys* some imported place has, in one query."""
        keys = list(dict.fromkeys(keys))
        if not keys:
            return set()
        found: set[str] = set()
        for i in range(0, len(keys), 500):
            chunk = keys[i:i + 500]
            found.update(k for (k,) in self.conn.execute(
                f"SELECT DISTINCT key FROM names WHERE key IN ({', '.join('?' * len(chunk))})", chunk))
        return found

    def get(self, geonameid: int) -> Entry | None:
        """The imported place *geonameid*, or None."""
        row = self.conn.execute(f"SELECT {_COLUMNS} FROM places WHERE geonameid = ?", (geonameid,)).fetchone()
        return self._entry(row) if row is not None else None

    def admin_area(self, code: str) -> Entry | None:
        """The admin area of a full code ("NG.23.19014" is an admin2), or None."""
        level = code.count(".")
        if not 1 <= level <= 4:
            return None
        row = self.conn.execute(f"SELECT {_COLUMNS} FROM places WHERE kind = ? AND {LEVEL_COLUMNS[level - 1]} = ? "
                                "ORDER BY population DESC LIMIT 1", (f"admin{level}", code)).fetchone()
        return self._entry(row) if row is not None else None

    def status(self) -> dict:
        """What is imported: the files, places by kind, names, countries, and where the file is."""
        c = self.conn
        files = [dict(zip(("path", "name", "kind", "rows", "skipped", "malformed", "complete", "imported_at"), r))
                 for r in c.execute("SELECT path, name, kind, rows, skipped, malformed, complete, imported_at "
                                    "FROM files ORDER BY imported_at, path")]
        for f in files:
            f["complete"] = bool(f["complete"])
        kinds = dict(c.execute("SELECT kind, count(*) FROM places GROUP BY kind ORDER BY kind").fetchall())
        countries = [cc for (cc,) in c.execute("SELECT DISTINCT country FROM places ORDER BY country")]
        return {"path": str(self.path), "files": files, "places": kinds, "places_total": sum(kinds.values()),
                "names": c.execute("SELECT count(*) FROM names").fetchone()[0],
                "admin_codes": c.execute("SELECT count(*) FROM admin_names").fetchone()[0],
                "countries": countries}

    def admin_name(self, code: str | None) -> str | None:
        """The name of an admin code: from the admin code files, else from the area's own row."""
        if not code:
            return None
        if code not in self._admin_names:
            row = self.conn.execute("SELECT name FROM admin_names WHERE code = ?", (code,)).fetchone()
            if row is None:
                level = code.count(".")
                row = self.conn.execute(f"SELECT name FROM places WHERE kind = ? AND {LEVEL_COLUMNS[level - 1]} = ? "
                                        "LIMIT 1", (f"admin{level}", code)).fetchone() if 1 <= level <= 4 else None
            self._admin_names[code] = row[0] if row is not None else None
        return self._admin_names[code]

    def _entry(self, r) -> Entry:
        (gid, name, lat, lon, country, fclass, fcode, kind, a1, a2, a3, a4, pop, parent, source) = r
        return Entry(geonameid=gid, name=name, latitude=lat, longitude=lon, country=country, feature_class=fclass,
                     feature_code=fcode, kind=kind, admin1=a1, admin2=a2, admin3=a3, admin4=a4,
                     admin1_name=self.admin_name(a1), admin2_name=self.admin_name(a2), population=pop or 0,
                     parent=parent, source=source)
