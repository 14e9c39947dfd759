"""Find input files and turn their bytes into text, or say why not."""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import InputError

TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
FEED_SUFFIXES = {".xml", ".rss", ".atom"}

# Control bytes that never occur in text; more than a few percent means binary.
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13))
_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\x1f\x8b", b"\x7fELF")


def kind_of(path: Path) -> str:
    """Return the reader name for *path*: txt, html, jsonl or feed."""
    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in FEED_SUFFIXES:
        return "feed"
    return "txt"  # unknown suffixes are tried as plain text; binary ones are quarantined


def walk(paths: list[str | Path]) -> list[Path]:
    """Expand *paths* (files and folders, recursively) into a sorted file list.

    Hidden files and folders are skipped. A path that does not exist is an
    error raised before anything is read, so a typo never yields a silent
    empty run.
    """
    out: list[Path] = []
    for p in map(Path, paths):
        if not p.exists():
            raise InputError(str(p), "no such file or folder")
        if p.is_dir():
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                out.extend(Path(root) / f for f in sorted(files) if not f.startswith("."))
        else:
            out.append(p)
    seen: set[Path] = set()
    unique = []
    for p in out:
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return unique


def looks_binary(raw: bytes) -> bool:
    """True when *raw* is clearly not text (NUL bytes, file magic, control bytes)."""
    head = raw[:8192]
    if not head:
        return False
    if head.startswith(_BINARY_MAGIC) or b"\x00" in head:
        return True
    controls = sum(head.count(bytes([b])) for b in _CONTROL)
    return controls / len(head) > 0.05


def decode(raw: bytes) -> str:
    """Decode UTF-8 text (with or without BOM); raise UnicodeDecodeError otherwise."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    return raw.decode("utf-8")


def describe_decode_error(e: UnicodeDecodeError) -> str:
    bad = e.object[e.start:e.start + 1].hex()
    return f"byte 0x{bad} at offset {e.start} is not valid UTF-8; re-save the file as UTF-8"
