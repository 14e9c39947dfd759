"""Streaming readers for the GeoNames dump files (https://download.geonames.org/export/dump/).

Every reader yields one record per line and holds one line at a time, so a 1.5 GB allCountries.txt
reads in constant memory. A `.zip` is read through its one `.txt` member (its readme is ignored).
A line with the wrong number of columns is yielded as a `Malformed` record naming its file and
line, never raised: one bad line must not stop a 13-million-line import.

File kinds, told apart by name (as GeoNames names them) and checked against the first line's
columns:

* ``places``: the geoname table of a country file (``NG.zip``), ``allCountries.zip`` and
  ``cities500/1000/5000/15000.zip``: 19 columns.
* ``alternates``: ``alternateNamesV2.zip`` (10 columns) or the older ``alternateNames.zip`` (8).
* ``admin1``: ``admin1CodesASCII.txt``; ``admin2``: ``admin2Codes.txt`` (code, name, ascii name,
  geonameid).
* ``countries``: ``countryInfo.txt`` (comment lines start with ``#``; 19 columns).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError

KINDS = ("places", "admin1", "admin2", "countries", "alternates")
COLUMNS = {"places": (19,), "alternates": (10, 8), "admin1": (4,), "admin2": (4,), "countries": (19, 18)}
_NAMES = [(re.compile(r"^admin1codes", re.I), "admin1"), (re.compile(r"^admin2codes", re.I), "admin2"),
          (re.compile(r"^countryinfo", re.I), "countries"), (re.compile(r"^alternatenames", re.I), "alternates"),
          (re.compile(r"^(allcountries|cities\d+|[a-z]{2})$", re.I), "places")]


@dataclass(frozen=True, slots=True)
class Malformed:
    """A line no reader could use: where it is and why."""

    path: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.reason}"


class Counted(io.RawIOBase):
    """A binary stream that counts the bytes read from it (for a progress bar over a file)."""

    def __init__(self, raw):
        self.raw, self.done = raw, 0

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        data = self.raw.read(len(b))
        b[:len(data)] = data
        self.done += len(data)
        return len(data)

    def close(self) -> None:
        self.raw.close()
        super().close()


def kind_of(path: Path) -> str:
    """The dump kind of *path* by its name ("NG.zip" -> "places"); InputError for any other file."""
    stem = path.name.split(".")[0]
    for pattern, kind in _NAMES:
        if pattern.match(stem):
            return kind
    raise InputError(str(path), "not a GeoNames dump file sitrep reads: expected a country file (NG.zip), "
                                "allCountries, cities500/1000/5000/15000, alternateNamesV2, admin1CodesASCII.txt, "
                                "admin2Codes.txt or countryInfo.txt")


def open_dump(path: Path) -> tuple[Counted, int]:
    """The binary stream of a dump's text (inside its zip if zipped) and its size in bytes."""
    try:
        if path.suffix.lower() == ".zip":
            z = zipfile.ZipFile(path)
            members = [i for i in z.infolist() if i.filename.lower().endswith(".txt")
                       and not i.filename.lower().startswith("readme")]
            if not members:
                raise InputError(str(path), "the zip holds no GeoNames .txt file")
            member = max(members, key=lambda i: i.file_size)
            return Counted(z.open(member)), member.file_size
        return Counted(open(path, "rb")), path.stat().st_size
    except zipfile.BadZipFile as e:
        raise InputError(str(path), f"not a readable zip file: {e}") from None
    except OSError as e:
        raise InputError(str(path), f"cannot read: {e.strerror or e}") from None


def lines(path: Path, stream: Counted, kind: str) -> Iterator[tuple[int, list[str]] | Malformed]:
    """(line number, columns) for each data line of a dump of *kind*; Malformed for a bad line."""
    expected = COLUMNS[kind]
    text = io.TextIOWrapper(io.BufferedReader(stream, 1 << 20), encoding="utf-8", errors="replace", newline="\n")
    checked = False
    for n, line in enumerate(text, 1):
        line = line.rstrip("\n").rstrip("\r")
        if not line or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) not in expected:
            if not checked:
                raise InputError(str(path), f"line {n} has {len(cols)} tab-separated columns; a GeoNames "
                                            f"{kind} file has {' or '.join(map(str, expected))}")
            yield Malformed(path.name, n, f"expected {' or '.join(map(str, expected))} tab-separated columns, "
                                          f"found {len(cols)}")
            continue
        checked = True
        yield n, cols
