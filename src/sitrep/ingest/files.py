"""Find input files and turn their bytes into text, or say why not."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from ..errors import InputError
from ..records import Problem

TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
FEED_SUFFIXES = {".xml", ".rss", ".atom"}

# Control bytes that never occur in text; more than a few percent means binary.
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13))
_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\x1f\x8b", b"\x7fELF")
# Byte-order marks of the UTF encodings sitrep decodes; UTF-32 first, as its LE mark starts like UTF-16's.
BOMS = ((b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe\x00\x00", "utf-32"), (b"\xfe\xff", "utf-16"),
        (b"\xff\xfe", "utf-16"), (b"\xef\xbb\xbf", "utf-8-sig"))
_SPECIAL = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a character device"),
            (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


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
    """The files under *paths*, as `scan` finds them (paths it skips are left out)."""
    return scan(paths)[0]


def scan(paths: list[str | Path]) -> tuple[list[Path], list[Problem]]:
    """Expand *paths* (files and folders, recursively) into files to read and paths skipped.

    Hidden files and folders are skipped silently. Folder links are followed,
    but a folder already being read (a link loop, or a second link to it) is
    skipped, as is a folder that cannot be listed: each becomes a `Problem`
    with its reason. A path given that does not exist is an error raised
    before anything is read, so a typo never yields a silent empty run.
    Files come in the order of ``os.walk``: a folder's files (sorted), then
    its subfolders.
    """
    files: list[Path] = []
    skipped: list[Problem] = []
    seen: dict[tuple[int, int], Path] = {}  # (device, inode) of every folder entered
    for p in map(Path, paths):
        if not os.path.lexists(p):
            raise InputError(str(p), "no such file or folder")
        if not p.is_dir():
            files.append(p)  # a broken or looping link is quarantined when read
            continue
        stack = [p]
        while stack:
            folder = stack.pop()
            subfolders = _enter(folder, seen, files, skipped)
            stack.extend(reversed(subfolders))
    unique, keys = [], set()
    for p in files:
        key = os.path.realpath(p)  # never raises, unlike Path.resolve on a link loop
        if key not in keys:
            keys.add(key)
            unique.append(p)
    return unique, skipped


def _enter(folder: Path, seen: dict, files: list[Path], skipped: list[Problem]) -> list[Path]:
    """List *folder* into *files*; return its subfolders (sorted). Problems go to *skipped*."""
    try:
        st = folder.stat()
        key = (st.st_dev, st.st_ino)
        if key in seen:
            if folder != seen[key]:  # the same folder given twice is read once, without a word
                loop = str(folder).startswith(str(seen[key]) + os.sep)
                skipped.append(Problem(
                    str(folder), "folder link loop" if loop else "folder already read",
                    detail=f"it leads to {seen[key]}, which is already read; skipped so that nothing is read "
                           "twice" + (" and the walk ends" if loop else "")))
            return []
        seen[key] = folder
        with os.scandir(folder) as it:
            entries = sorted((e for e in it if not e.name.startswith(".")), key=lambda e: e.name)
    except OSError as e:
        skipped.append(Problem(str(folder), "unreadable folder",
                               detail=f"cannot list it ({e.strerror or e}); check that it exists and that "
                                      "you may read it"))
        return []
    subfolders = []
    for entry in entries:
        try:
            is_dir = entry.is_dir()  # follows links; a looping link is no folder and is quarantined when read
        except OSError:
            is_dir = False
        (subfolders if is_dir else files).append(Path(entry.path))
    return subfolders


def not_readable(path: Path) -> Problem | None:
    """A Problem when *path* is no regular file sitrep may open (special file, broken or looping link)."""
    try:
        st = os.stat(path)
    except OSError as e:
        if e.errno == errno.ELOOP:
            return Problem(str(path), "symlink loop", detail="the link leads back to itself; fix or remove it")
        if e.errno == errno.ENOENT and os.path.islink(path):
            return Problem(str(path), "broken link", detail=f"the link points to {os.readlink(path)}, "
                                                              "which does not exist")
        return Problem(str(path), "unreadable file", detail=f"{e.strerror or e}; check that you may read it")
    return special_file(path, st.st_mode)


def special_file(path: Path, mode: int) -> Problem | None:
    """A Problem when *mode* is not a regular file's: pipes and devices are never read (they may never end)."""
    if stat.S_ISREG(mode):
        return None
    what = next((name for test, name in _SPECIAL if test(mode)), "not a regular file")
    return Problem(str(path), "not a regular file",
                   detail=f"it is {what}; sitrep reads only regular files, so it was not opened")


def looks_binary(raw: bytes) -> bool:
    """True when *raw* is clearly not text (NUL bytes, file magic, control bytes)."""
    head = raw[:8192]
    if not head:
        return False
    if head.startswith(_BINARY_MAGIC) or b"\x00" in head:
        return True
    controls = sum(head.count(bytes([b])) for b in _CONTROL)
    return controls / len(head) > 0.05


def bom_encoding(raw: bytes) -> str | None:
    """The encoding a byte-order mark at the start of *raw* announces, or None."""
    return next((enc for bom, enc in BOMS if raw.startswith(bom)), None)


def decode(raw: bytes) -> str:
    """Decode UTF-8 text, or UTF-16/32 with a byte-order mark; raise UnicodeDecodeError otherwise."""
    return raw.decode(bom_encoding(raw) or "utf-8")


def describe_decode_error(e: UnicodeDecodeError) -> str:
    bad = e.object[e.start:e.start + 1].hex()
    enc = "UTF-8" if e.encoding.replace("-", "").lower().startswith("utf8") else e.encoding.upper()
    return f"byte 0x{bad} at offset {e.start} is not valid {enc}; re-save the file as UTF-8"
