"""Vocabulary and sample files shipped with sitrep, loaded through `load`."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from ..errors import DataFileError


def path(name: str) -> Path:
    """Return the filesystem path of the packaged data file *name*."""
    return Path(str(resources.files(__package__).joinpath(name)))


def lines(name: str) -> list[tuple[int, str]]:
    """Non-empty, non-comment lines of a packaged text file, with line numbers."""
    p = path(name)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise DataFileError(str(p), f"cannot read: {e}") from e
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if line and not line.startswith("#"):
            out.append((n, line))
    return out


def load_json(name: str):
    """Parse a packaged JSON file, naming the file and line on error."""
    p = path(name)
    try:
        return json.loads(p.read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise DataFileError(str(p), f"not valid JSON: {e.msg}", e.lineno) from e
    except (OSError, UnicodeDecodeError) as e:
        raise DataFileError(str(p), f"cannot read: {e}") from e
