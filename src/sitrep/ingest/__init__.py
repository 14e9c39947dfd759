"""Ingestion: paths in, `Document`s and `Problem`s out (SPEC §1).

>>> from sitrep.ingest import read_paths
>>> items = list(read_paths(["articles/"]))   # doctest: +SKIP
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from ..records import Document, Problem
from ..settings import Settings
from .files import bom_encoding, kind_of, looks_binary, not_readable, scan, special_file, walk
from .readers import READERS, read_jsonl_stream

_HEAD = 8192  # bytes looked at to tell text from binary
MAX_DOCUMENT_BYTES = Settings.max_document_bytes
MAX_FILE_BYTES = Settings.max_file_bytes


def read_file(path: Path, max_bytes: int = MAX_DOCUMENT_BYTES,
              max_file_bytes: int = MAX_FILE_BYTES) -> Iterator[Document | Problem]:
    """Read one file with the reader its suffix calls for; never raises for bad content.

    An article above *max_bytes* (a file, a JSONL line, a feed entry) is
    quarantined unread; so is a feed above *max_file_bytes*, since it is parsed
    whole. JSONL is read line by line. Pipes, devices and sockets are never opened.
    """
    if (problem := not_readable(path)) is not None:
        yield problem
        return
    try:
        # O_NONBLOCK: should the path turn into a pipe after the check above, opening it does not hang.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as e:
        yield Problem(str(path), "unreadable file", detail=f"{e.strerror or e}; check that you may read it")
        return
    with open(fd, "rb") as f:
        if (problem := special_file(path, os.fstat(fd).st_mode)) is not None:
            yield problem
            return
        read = False
        for item in _read_open(path, f, max_bytes, max_file_bytes):
            read = True
            yield item
        if not read:  # a JSONL file of blank lines, or of a byte-order mark alone
            yield Problem(str(path), "empty document", detail="the file holds no article, only blank lines")


def _read_open(path: Path, f, max_bytes: int, max_file_bytes: int) -> Iterator[Document | Problem]:
    kind = kind_of(path)
    head = f.read(_HEAD)
    if not head.strip():
        yield Problem(str(path), "empty document", detail="the file is empty")
        return
    bom = bom_encoding(head)
    if bom in (None, "utf-8-sig") and looks_binary(head):
        yield Problem(str(path), "binary file", detail="contains bytes that never occur in text (NUL, control bytes or file magic)")
        return
    if kind == "jsonl" and bom in (None, "utf-8-sig"):
        f.seek(0)
        yield from read_jsonl_stream(path, f, max_bytes)
        return
    # Everything else is read whole: an article, a feed, or JSONL in UTF-16/32.
    limit, setting = (max_file_bytes, "max_file_bytes") if kind in ("feed", "jsonl") else (max_bytes, "max_document_bytes")
    raw = head + f.read(max(0, limit + 1 - len(head)))
    if len(raw) > limit:
        reason = "file too large" if setting == "max_file_bytes" else "document too large"
        yield Problem(str(path), reason, detail=f"more than {limit:,} bytes, the limit set by {setting} in the "
                                                "settings; split the file or raise the limit")
        return
    yield from READERS[kind](path, raw, max_bytes=max_bytes)


def read_paths(paths: list[str | Path], max_bytes: int = MAX_DOCUMENT_BYTES,
               max_file_bytes: int = MAX_FILE_BYTES) -> Iterator[Document | Problem]:
    """Read every article under *paths* (files and folders, recursively); skipped paths come as Problems."""
    files, skipped = scan(paths)
    yield from skipped
    for path in files:
        yield from read_file(path, max_bytes, max_file_bytes)


__all__ = ["read_file", "read_paths", "scan", "walk"]
