"""Writers for the files of SPEC §2. Each takes records and a path; none reads the store.

Each file's text is also available as a generator of text chunks (`csv_chunks`, `jsonl_chunks`,
`acled.events_csv_chunks`, `geo.geojson_chunks`, `geo.stories_chunks`): the files are written from
them, and the web app streams the same bytes for a filtered set.
"""

from __future__ import annotations

import csv
import json
import os
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from ..records import Problem


def write_atomic(path: Path, write) -> Path:
    """Call ``write(fh)`` on a temporary file beside *path*, then rename it into place.

    A run killed while writing leaves the previous file intact, never half of one.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            write(fh)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes files private; outputs are for sharing
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def jsonl_chunks(rows: Iterable[dict]) -> Iterator[str]:
    """One JSON object per line, keys in the order given: the lines of a ``.jsonl`` file."""
    for row in rows:
        yield json.dumps(row, ensure_ascii=False, default=str) + "\n"


def write_jsonl(path: Path, rows: Iterable[dict]) -> Path:
    """One JSON object per line, UTF-8, keys in the order given."""
    return write_atomic(path, lambda fh: fh.writelines(jsonl_chunks(rows)))


# OWASP's CSV-injection list: a cell starting with one of these is read as a formula by Excel,
# LibreOffice and Google Sheets. Article metadata (a feed's source name) reaches CSV cells verbatim.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def safe_cell(value):
    """A CSV cell that a spreadsheet shows as text, never runs: ``'`` before a text that starts a formula.

    Numbers (and text that is just a number, such as ``-12.5``) stay as they are, so numeric
    columns stay numeric; None is an empty cell; a carriage return becomes a newline, so the
    cell stays one cell in every reader.

    >>> safe_cell("=HYPERLINK(...)"), safe_cell("Dawn"), safe_cell(-12.5)
    ("'=HYPERLINK(...)", 'Dawn', -12.5)
    """
    if value is None:
        return ""
    if not isinstance(value, str):
        return value
    if value.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(value):
        value = "'" + value
    # csv quotes a cell with "\n" but not one with a lone "\r", which readers take for the end of the row
    return value.replace("\r\n", "\n").replace("\r", "\n")


class _Line:
    """A file-like object that keeps what csv.writer writes, for `csv_chunks` to hand on."""

    def __init__(self):
        self.text = ""

    def write(self, text: str) -> None:
        self.text += text


def csv_chunks(columns: Sequence[str], rows: Iterable[dict], batch: int = 200) -> Iterator[str]:
    """The text of a CSV file with *columns* in order (other keys ignored), every cell passed through
    `safe_cell`, as chunks of the header and then up to *batch* rows each.

    Every CSV of sitrep, written or streamed, goes through here, so none can put a formula in a spreadsheet.
    """
    line = _Line()
    w = csv.writer(line, lineterminator="\n")
    w.writerow(columns)
    n = 0
    for row in rows:
        w.writerow([safe_cell(row.get(c)) for c in columns])
        n += 1
        if n % batch == 0:
            yield line.text
            line.text = ""
    yield line.text


def write_csv(path: Path, columns: Sequence[str], rows: Iterable[dict]) -> Path:
    """A CSV file with *columns* in order (other keys ignored), every cell passed through `safe_cell`."""
    return write_atomic(path, lambda fh: fh.writelines(csv_chunks(columns, rows)))


def write_quarantine(path: Path, problems: Iterable[Problem]) -> Path:
    """``quarantine.jsonl``: one line per unusable input with path, line, reason, detail."""
    return write_jsonl(path, (p.as_dict() for p in problems))


def in_id_order(events: list[dict]) -> list[dict]:
    """Events by day (undated last), then country and running number: PAK2 before PAK10."""
    def key(e: dict):
        m = re.fullmatch(r"(\D*)(\d*)", str(e.get("event_id_cnty") or ""))
        day = e.get("event_date") or ""
        return (day == "", day, m.group(1), int(m.group(2) or 0)) if m else (day == "", day, "", 0)
    return sorted(events, key=key)
