"""Ingestion: paths in, `Document`s and `Problem`s out (SPEC §1).

>>> from sitrep.ingest import read_paths
>>> items = list(read_paths(["articles/"]))   # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..records import Document, Problem
from .files import kind_of, looks_binary, walk
from .readers import READERS


def read_file(path: Path) -> Iterator[Document | Problem]:
    """Read one file with the reader its suffix calls for; never raises for bad content."""
    try:
        raw = path.read_bytes()
    except OSError as e:
        yield Problem(str(path), "unreadable file", detail=e.strerror or str(e))
        return
    if not raw.strip():
        yield Problem(str(path), "empty document", detail="the file is empty")
        return
    if looks_binary(raw):
        yield Problem(str(path), "binary file", detail="contains bytes that never occur in text (NUL, control bytes or file magic)")
        return
    yield from READERS[kind_of(path)](path, raw)


def read_paths(paths: list[str | Path]) -> Iterator[Document | Problem]:
    """Read every article under *paths* (files and folders, recursively)."""
    for path in walk(paths):
        yield from read_file(path)


__all__ = ["read_file", "read_paths", "walk"]
