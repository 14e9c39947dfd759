"""Import GeoNames dump files into the imported gazetteer (`sitrep gazetteer import`).

Rows are read a line at a time and written in batches, each batch committed with how far its file
got: an interrupted import goes on from there, and a file imported whole before (same path, size and
modification time) is skipped. Rows replace the rows of the same geonameid, so importing cities500
after NG.zip, or a file twice, duplicates nothing. Files may be given in any order; they are read
country info and admin codes first, then places, then alternate names (which attach to places).

Which features are kept, and as what, is data: ``sitrep/data/geonames_features.tsv``. After the
files, `finish` makes the indexes, gives admin areas that only the admin code files name a point
(the centre of the places inside them), and gives each section of a town and each site (camp,
airport, market) the town it belongs to.
"""

from __future__ import annotations

import datetime as dt
import math
import sqlite3
import zlib
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .. import data
from ..errors import DataFileError, InputError, StoreError
from ..nlp.gazetteer import base_names, distance_km, name_key, spelling_variants
from . import formats
from .db import INDEXES, LEVEL_COLUMNS, SCHEMA, default_path

FEATURES_FILE = "geonames_features.tsv"
BATCH = 20_000
ORDER = {"countries": 0, "admin1": 1, "admin2": 2, "places": 3, "alternates": 4}
# Alternate-name "languages" that are links, codes or postcodes, not names; historic names are skipped too.
NOT_NAMES = frozenset("link wkdt post iata icao faac tcid unlc abbr phon piny fr_1793".split())
MIN_KEY = 3          # Latin-script keys shorter than this are initials and codes, as in the bundled gazetteer
PARENT_KM = 20.0     # a section or site belongs to the most populous town this close
_CELL = 0.25         # degrees: grid cells for the search of that town

Progress = Callable[[str, int, int], None]  # (file name, bytes read, bytes in all)


@dataclass
class FileReport:
    """What one file gave: rows kept, rows skipped (features not kept), malformed lines."""

    path: str
    name: str
    kind: str
    status: str = "imported"  # imported | resumed | unchanged
    rows: int = 0
    skipped: int = 0
    malformed: int = 0
    first_malformed: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    path: str
    files: list[FileReport]
    notes: list[str] = field(default_factory=list)  # what the user should do next


def import_files(paths: Iterable[str | Path], db_path: str | Path | None = None,
                 progress: Progress | None = None) -> ImportReport:
    """Import GeoNames dump files into the gazetteer at *db_path* (default: sitrep's cache).

    Every path is checked before anything is written: a missing file or one that is no GeoNames
    dump raises InputError naming it."""
    items = []
    for p in map(Path, paths):
        if not p.is_file():
            raise InputError(str(p), "no such file")
        items.append((p, formats.kind_of(p)))
    target = Path(db_path) if db_path is not None else default_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(target)
    try:
        _prepare(conn, target)
        report = ImportReport(str(target), [])
        for p, kind in sorted(items, key=lambda pk: ORDER[pk[1]]):
            report.files.append(_import_file(conn, p, kind, progress))
        if any(f.status != "unchanged" for f in report.files):
            finish(conn)
        if any(f.kind == "places" and f.status != "unchanged" for f in report.files):
            report.notes += _stale_alternates(conn, {f.path for f in report.files})
        return report
    finally:
        conn.close()


def _prepare(conn: sqlite3.Connection, target: Path) -> None:
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA cache_size=-65536")   # 64 MB of pages, whatever the file's size
        conn.executescript(SCHEMA)
        conn.execute("SELECT path, lines_done, complete FROM files LIMIT 1").fetchall()
    except sqlite3.Error as e:
        raise StoreError(f"{target}: not a gazetteer sitrep can import into ({e}); remove it or give "
                         "another --db") from None


def _import_file(conn: sqlite3.Connection, path: Path, kind: str, progress: Progress | None) -> FileReport:
    ident, st = str(path.resolve()), path.stat()
    rep = FileReport(ident, path.name, kind)
    row = conn.execute("SELECT size, mtime, lines_done, complete, rows, skipped, malformed FROM files WHERE path = ?",
                       (ident,)).fetchone()
    start = 0
    if row is not None and row[0] == st.st_size and row[1] == st.st_mtime and (row[3] or row[2]):
        if row[3]:
            rep.status, rep.rows, rep.skipped, rep.malformed = "unchanged", row[4], row[5], row[6]
            return rep
        start, rep.status, rep.rows, rep.skipped, rep.malformed = row[2], "resumed", row[4], row[5], row[6]
    else:   # new, changed, or to be read again from its start
        conn.execute("INSERT OR REPLACE INTO files (path, name, kind, size, mtime) VALUES (?, ?, ?, ?, ?)",
                     (ident, path.name, kind, st.st_size, st.st_mtime))
        conn.commit()
    stream, total = formats.open_dump(path)
    write = _WRITERS[kind]
    batch: list[list[str]] = []
    last = start

    def flush() -> None:
        kept, skipped, bad = write(conn, batch, path.name) if batch else (0, 0, [])
        rep.rows += kept
        rep.skipped += skipped
        for n, why in bad:
            _malformed(rep, formats.Malformed(path.name, n, why))
        conn.execute("UPDATE files SET lines_done = ?, rows = ?, skipped = ?, malformed = ? WHERE path = ?",
                     (last, rep.rows, rep.skipped, rep.malformed, ident))
        conn.commit()
        batch.clear()
        if progress is not None:
            progress(path.name, stream.done, total)

    try:
        with stream:
            for item in formats.lines(path, stream, kind):
                if isinstance(item, formats.Malformed):
                    if item.line > start:
                        _malformed(rep, item)
                    continue
                n, cols = item
                if n <= start:
                    continue
                cols.append(n)   # the line number, for a value that does not parse
                batch.append(cols)
                last = n
                if len(batch) >= BATCH:
                    flush()
            flush()
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as e:
        conn.commit()
        raise InputError(str(path), f"stopped reading after line {last}: {e}; what was read is kept, and "
                                    "importing the file again goes on from there") from None
    conn.execute("UPDATE files SET complete = 1, imported_at = ? WHERE path = ?",
                 (dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), ident))
    conn.commit()
    return rep


def _stale_alternates(conn: sqlite3.Connection, this_run: set[str]) -> list[str]:
    """Alternate-name files imported in an earlier run attach names only to the places there were
    then: after new places, they are marked for reading again, and the user is told."""
    stale = [(path, name) for path, name in conn.execute(
        "SELECT path, name FROM files WHERE kind = 'alternates' AND complete = 1").fetchall() if path not in this_run]
    conn.executemany("UPDATE files SET complete = 0, lines_done = 0 WHERE path = ?", [(p,) for p, _ in stale])
    conn.commit()
    return [f"{name} was imported before these places: import it again to give them its names ({path})"
            for path, name in stale]


def _malformed(rep: FileReport, m: formats.Malformed) -> None:
    rep.malformed += 1
    if len(rep.first_malformed) < 5:
        rep.first_malformed.append(str(m))


# ---------------------------------------------------------------- writers, one per file kind


def _places(conn: sqlite3.Connection, batch: list[list], source: str):
    kinds = feature_kinds()
    rows, names, bad, skipped = [], [], [], 0
    for c in batch:
        fclass, fcode, cc = c[6], c[7], c[8]
        kind = kinds.get(f"{fclass}.{fcode}", kinds.get(f"{fclass}.*", "skip"))
        if kind == "skip":
            skipped += 1
            continue
        try:
            gid, lat, lon = int(c[0]), float(c[4]), float(c[5])
            pop = int(c[14]) if c[14] else 0
        except ValueError:
            bad.append((c[-1], "geonameid, latitude, longitude or population is no number"))
            continue
        if not (-90 <= lat <= 90 and -180 <= lon <= 180) or len(cc) != 2:
            bad.append((c[-1], "coordinates out of range or no two-letter country code"))
            continue
        codes = _codes(cc, c[10:14])
        rows.append((gid, c[1], lat, lon, fclass, fcode, cc, *codes, pop, kind, None, source))
        names += [(k, gid, 1) for k in keys(c[1], cc, kind, True)]
        for alt in (c[2], *c[3].split(",")):
            names += [(k, gid, 0) for k in keys(alt, cc, kind, False)]
    conn.executemany("INSERT OR REPLACE INTO places VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    _names(conn, names)
    return len(rows), skipped, bad


def _codes(cc: str, parts: list[str]) -> list[str | None]:
    """Full admin codes from a row's admin1..admin4 columns: "23", "19014" -> "NG.23", "NG.23.19014"."""
    out, prefix = [], cc
    for p in parts:
        prefix = f"{prefix}.{p}" if p and prefix else None
        out.append(prefix)
    return out


def _with_ids(batch: list[list], column: int, row) -> tuple[list[tuple], list[tuple[int, str]]]:
    """row(columns, geonameid) for each line whose geonameid *column* is a number or empty."""
    rows, bad = [], []
    for c in batch:
        try:
            rows.append(row(c, int(c[column]) if c[column] else None))
        except ValueError:
            bad.append((c[-1], "geonameid is no number"))
    return rows, bad


def _admin(conn: sqlite3.Connection, batch: list[list], source: str):
    rows, bad = _with_ids(batch, 3, lambda c, gid: (c[0], c[1], gid, source))
    conn.executemany("INSERT OR REPLACE INTO admin_names VALUES (?, ?, ?, ?)", rows)
    return len(rows), 0, bad


def _countries(conn: sqlite3.Connection, batch: list[list], source: str):
    rows, bad = _with_ids(batch, 16, lambda c, gid: (c[0], c[1], c[4], gid))
    conn.executemany("INSERT OR REPLACE INTO countries VALUES (?, ?, ?, ?)", rows)
    return len(rows), 0, bad


def _alternates(conn: sqlite3.Connection, batch: list[list], source: str):
    wanted, bad, skipped = [], [], 0
    for c in batch:
        if c[2] in NOT_NAMES or (len(c) > 8 and c[7] == "1"):
            skipped += 1
            continue
        try:
            wanted.append((int(c[1]), c[3]))
        except ValueError:
            bad.append((c[-1], "geonameid is no number"))
    known: dict[int, tuple[str, str]] = {}
    ids = list({gid for gid, _ in wanted})
    for i in range(0, len(ids), 900):
        chunk = ids[i:i + 900]
        known.update((g, (cc, kind)) for g, cc, kind in conn.execute(
            f"SELECT geonameid, country, kind FROM places WHERE geonameid IN ({', '.join('?' * len(chunk))})", chunk))
    names, kept = [], 0
    for gid, name in wanted:
        if gid not in known:   # a feature not kept (a stream, a hotel) or not imported
            skipped += 1
            continue
        kept += 1
        names += [(k, gid, 0) for k in keys(name, *known[gid], False)]
    _names(conn, names)
    return kept, skipped, bad


def _names(conn: sqlite3.Connection, names: list[tuple[str, int, int]]) -> None:
    conn.executemany("INSERT INTO names VALUES (?, ?, ?) ON CONFLICT (key, geonameid) "
                     "DO UPDATE SET canonical = max(canonical, excluded.canonical)", names)


_WRITERS = {"places": _places, "admin1": _admin, "admin2": _admin, "countries": _countries,
            "alternates": _alternates}


def keys(name: str, country: str, kind: str, canonical: bool) -> list[str]:
    """The lookup keys of one name of a place: the recogniser's key, its spelling variants and, for
    an admin area, the name without its suffix ("Kech District" -> "kech"). None for codes and
    names with digits, which news does not use as place names."""
    if not name or any(ch.isdigit() for ch in name) or not any(ch.isalpha() for ch in name):
        return []
    if not canonical and name.isupper() and len(name) <= 5:   # IATA-like codes among the alternates
        return []
    key = name_key(name)
    out = {key, *spelling_variants(name, country)}
    if kind.startswith("admin"):
        out.update(base_names(name))
    return [k for k in out if len(k) >= (MIN_KEY if k.isascii() else 2)]


@lru_cache(maxsize=1)
def feature_kinds() -> dict[str, str]:
    """CLASS.CODE (or CLASS.*) -> kind, from geonames_features.tsv."""
    allowed = {"city", "part", "site", "admin1", "admin2", "admin3", "admin4", "country", "skip"}
    out: dict[str, str] = {}
    rows = data.lines(FEATURES_FILE)
    for n, line in rows[1:]:   # the first line is the header
        cols = line.split("\t")
        if len(cols) < 2 or "." not in cols[0] or cols[1] not in allowed:
            raise DataFileError(str(data.path(FEATURES_FILE)), f"expected CLASS.CODE, a kind among "
                                                               f"{', '.join(sorted(allowed))} and a note", n)
        out[cols[0]] = cols[1]
    return out


# ---------------------------------------------------------------- after the files


def finish(conn: sqlite3.Connection) -> None:
    """Indexes, points for admin areas only the code files name, and the towns of sections and sites."""
    conn.executescript(INDEXES)
    for level in (1, 2):
        column = LEVEL_COLUMNS[level - 1]
        rows = conn.execute(
            f"SELECT a.geonameid, a.name, avg(p.latitude), avg(p.longitude), sum(p.population), p.country, a.code, "
            f"a.source FROM admin_names a JOIN places p ON p.{column} = a.code "
            f"WHERE a.geonameid IS NOT NULL AND NOT EXISTS (SELECT 1 FROM places q WHERE q.kind = 'admin{level}' AND q.{column} = a.code) "
            f"GROUP BY a.code").fetchall()
        kind = f"admin{level}"
        places, names = [], []
        for gid, name, lat, lon, pop, cc, code, source in rows:
            codes = code.split(".")
            full = [".".join(codes[:i + 2]) for i in range(level)] + [None] * (4 - level)
            places.append((gid, name, lat, lon, "A", f"ADM{level}", cc, *full, pop or 0, kind, None, source))
            names += [(k, gid, 1) for k in keys(name, cc, kind, True)]
        conn.executemany("INSERT OR IGNORE INTO places VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", places)
        _names(conn, names)
    conn.commit()
    countries = [cc for (cc,) in conn.execute(
        "SELECT DISTINCT country FROM places WHERE kind IN ('part', 'site') AND parent IS NULL")]
    for cc in countries:
        _parents(conn, cc)
        conn.commit()


def _parents(conn: sqlite3.Connection, cc: str) -> None:
    """Give each section of a town and each site in country *cc* its town: the most populous populated
    place within PARENT_KM (the nearest among equals), else the smallest admin area holding it that
    has an entry. One country's towns are in memory at a time."""
    grid: dict[tuple[int, int], list[tuple[float, float, int, int]]] = {}
    for gid, lat, lon, pop in conn.execute(
            "SELECT geonameid, latitude, longitude, population FROM places WHERE country = ? AND kind = 'city'", (cc,)):
        grid.setdefault((math.floor(lat / _CELL), math.floor(lon / _CELL)), []).append((lat, lon, pop, gid))
    areas = {code: gid for gid, code in conn.execute(
        "SELECT geonameid, coalesce(admin4, admin3, admin2, admin1) FROM places WHERE country = ? "
        "AND kind IN ('admin1', 'admin2', 'admin3', 'admin4')", (cc,))}
    updates = []
    for gid, lat, lon, *codes in conn.execute(
            "SELECT geonameid, latitude, longitude, admin4, admin3, admin2, admin1 FROM places WHERE country = ? "
            "AND kind IN ('part', 'site') AND parent IS NULL", (cc,)).fetchall():
        y, x = math.floor(lat / _CELL), math.floor(lon / _CELL)
        best = None
        for dy in (-1, 0, 1):
            for dx in (-1, 0, 1):
                for tlat, tlon, pop, tid in grid.get((y + dy, x + dx), ()):
                    d = distance_km(lat, lon, tlat, tlon)
                    if d <= PARENT_KM and (best is None or (pop, -d) > best[0]):
                        best = ((pop, -d), tid)
        if best is not None:
            updates.append((best[1], gid))
            continue
        area = next((areas[c] for c in codes if c in areas), None)
        if area is not None:
            updates.append((area, gid))
    conn.executemany("UPDATE places SET parent = ? WHERE geonameid = ?", updates)
