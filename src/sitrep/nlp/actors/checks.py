"""Reading the data files and reporting mistakes with the file, the entry's line and the fault."""

from __future__ import annotations

import json
import re
from pathlib import Path

from ...errors import DataFileError


def read(path: Path) -> tuple[object, str]:
    """(parsed JSON, raw text) of *path*; DataFileError if it cannot be read or parsed."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise DataFileError(str(path), f"cannot read: {e}") from e
    try:
        return json.loads(text), text
    except json.JSONDecodeError as e:
        raise DataFileError(str(path), f"not valid JSON: {e.msg}", e.lineno) from e


def element_lines(text: str, key: str) -> list[int]:
    """Line number of each element of the list under "key" (for error messages)."""
    m = re.search(r'"%s"\s*:\s*\[' % re.escape(key), text)
    if not m:
        return []
    dec, pos, lines = json.JSONDecoder(), m.end(), []
    try:
        while True:
            while text[pos] in " \t\r\n,":
                pos += 1
            if text[pos] == "]":
                return lines
            lines.append(text.count("\n", 0, pos) + 1)
            pos = dec.raw_decode(text, pos)[1]
    except (IndexError, json.JSONDecodeError):
        return lines


class Checker:
    """Raises DataFileError with the file, the entry's line and what is wrong."""

    ISO2 = re.compile(r"[A-Z]{2}")

    def __init__(self, path: Path, text: str):
        self.path, self.text = str(path), text
        self.line: int | None = None
        self.where = ""

    def at(self, section: str, i: int, lines: list[int]) -> "Checker":
        self.line = lines[i] if i < len(lines) else None
        self.where = f"{section} entry {i + 1}"
        return self

    def fail(self, message: str):
        raise DataFileError(self.path, f"{self.where}: {message}" if self.where else message, self.line)

    def keys(self, entry, allowed: tuple[str, ...], required: tuple[str, ...]):
        if not isinstance(entry, dict):
            self.fail(f"must be an object, not {type(entry).__name__}")
        for k in required:
            if k not in entry:
                self.fail(f'missing "{k}"')
        for k in entry:
            if not k.startswith("_") and k not in allowed:
                self.fail(f'unknown key "{k}" (known: {", ".join(allowed)})')

    def string(self, value, what: str) -> str:
        if not isinstance(value, str) or not value.strip():
            self.fail(f'"{what}" must be a non-empty string')
        return value

    def strings(self, value, what: str) -> list[str]:
        if not isinstance(value, list):
            self.fail(f'"{what}" must be a list of strings')
        return [self.string(v, what) for v in value]

    def choice(self, value, allowed, what: str) -> str:
        if value not in allowed:
            self.fail(f'unknown {what} {value!r} (one of: {", ".join(allowed)})')
        return value

    def inter(self, value) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 8:
            self.fail(f'"inter" must be an ACLED inter code 1-8, not {value!r}')
        return value

    def country(self, value, what: str = "country") -> str | None:
        if value is not None and not (isinstance(value, str) and self.ISO2.fullmatch(value)):
            self.fail(f'"{what}" must be an ISO2 code like "PK" or null, not {value!r}')
        return value

    def regex(self, value, what: str) -> re.Pattern:
        try:
            return re.compile(self.string(value, what))
        except re.error as e:
            self.fail(f'bad "{what}" {value!r}: {e}')
