"""What the fuzz tests share: the input counter, the network guard, strategies and invariants.

Every test in tests/fuzz adds the inputs it generated or built by hand to `COUNTS`;
tests/fuzz/conftest.py prints the total at the end of the session.
"""

from __future__ import annotations

import collections
import csv
import datetime as dt
import io
import ipaddress
import json
import os
import socket
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from sitrep.records import Document, Problem

COUNTS: collections.Counter[str] = collections.Counter()

# A fixed seed (the same examples on every run: a failure reproduces, the suite never flakes), no
# example database, no deadline (no test here asserts how fast anything is).
settings.register_profile(
    "sitrep-fuzz", derandomize=True, database=None, deadline=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
settings.load_profile("sitrep-fuzz")
SCALE = float(os.environ.get("SITREP_FUZZ_SCALE", "1"))


def examples(n: int) -> settings:
    """`@examples(300)`: run 300 generated examples (times SITREP_FUZZ_SCALE, for a longer hunt)."""
    return settings(max_examples=max(1, int(n * SCALE)))


def counted(area: str, n: int = 1) -> None:
    """Record that *n* inputs of *area* ("numbers", "readers", ...) went through a test."""
    COUNTS[area] += n


# ---------------------------------------------------------------- no network

class NetworkBlocked(OSError):
    """Raised instead of opening a connection to anything but this machine."""


def _loopback(address) -> bool:
    if not isinstance(address, tuple) or not address:
        return True  # AF_UNIX paths and other local families
    host = address[0]
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False  # a host name: resolving it would already use the network


class NetworkGuard:
    """Patches socket connects so that only loopback connections go through; records the others."""

    def __init__(self):
        self.attempts: list[str] = []

    def install(self, monkeypatch) -> "NetworkGuard":
        real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex
        real_create = socket.create_connection
        guard = self

        def check(address):
            if not _loopback(address):
                guard.attempts.append(repr(address))
                raise NetworkBlocked(f"sitrep's tests open no network connection (tried {address!r})")

        def connect(self, address):
            check(address)
            return real_connect(self, address)

        def connect_ex(self, address):
            check(address)
            return real_connect_ex(self, address)

        def create_connection(address, *args, **kwargs):
            check(address)
            return real_create(address, *args, **kwargs)

        monkeypatch.setattr(socket.socket, "connect", connect)
        monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
        monkeypatch.setattr(socket, "create_connection", create_connection)
        return self


# ---------------------------------------------------------------- strategies

# Whitespace and punctuation a news text can carry, with the odd ones (NBSP, thin space, dashes, quotes).
_PUNCT = list(" \t\n\n.,;:!?-–—()[]\"'“”’/%$€£+#@&*\u00a0\u2009")
# Text without the characters that str.splitlines() splits on besides \n and \r (a known reader bug,
# exercised on its own in test_fuzz_readers.py) and without lone surrogates (st.text's default).
_SPLITLINES_ONLY = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
SAFE_TEXT = st.text(st.characters(blacklist_characters=_SPLITLINES_ONLY + "\x00",
                                  blacklist_categories=("Cs", "Cc")), max_size=80)

_QUALIFIERS = ["at least", "more than", "over", "up to", "nearly", "almost", "about", "some", "around",
               "as many as", "close to", "between", "from", "an estimated", "fewer than", "at most", ""]
_CONNECT = [" to ", " and ", " or ", "-", "–", " or more", " or so", "+", "-plus", "-odd", " ", ""]
_WORDS = ["one", "two", "three", "seven", "ten", "twelve", "nineteen", "twenty", "twenty-three",
          "ninety nine", "a hundred", "one hundred and five", "a thousand", "two million", "a dozen",
          "dozens", "scores", "hundreds", "several", "many", "a few", "a couple of", "lakh", "crore",
          "zero", "no", "none", "billion", "half"]
_NOUNS = ["soldiers", "people", "civilians", "militants", "police", "were killed", "dead", "injured",
          "homes", "km", "years old", "a.m.", "percent", "%", "of its fighters", "of the most", "rupees",
          "January", "2026", "Phase", "times", "hours", "", "fighters, officials said."]
_DIGITS = st.one_of(
    st.integers(0, 100).map(str),
    st.integers(0, 10**7).map(lambda n: f"{n:,}"),
    st.integers(0, 10**12).map(str),
    st.decimals(0, 1000, places=2, allow_nan=False, allow_infinity=False).map(str),
    st.integers(1900, 2100).map(str),
    st.sampled_from(["1.5", "0", "00", "007", "1,2", "1,23,456", "10:30", "6.30", "2.0", "3/4", "1e9", "٣", "１２"]),
)
NUMBER_PART = st.one_of(_DIGITS, st.sampled_from(_WORDS))


@st.composite
def number_sentences(draw) -> str:
    """A sentence built from the number grammar's own pieces, shuffled, with noise between them."""
    parts = []
    for _ in range(draw(st.integers(1, 6))):
        parts += [draw(st.sampled_from(_QUALIFIERS)), draw(NUMBER_PART)]
        if draw(st.booleans()):
            parts += [draw(st.sampled_from(_CONNECT)), draw(NUMBER_PART)]
        parts.append(draw(st.sampled_from(_NOUNS)))
        if draw(st.integers(0, 3)) == 0:
            parts.append(draw(st.text(st.sampled_from(_PUNCT + list("aZ9")), max_size=6)))
    sep = draw(st.sampled_from([" ", "  ", "\n", " , ", "\u00a0"]))
    return sep.join(p for p in parts if p)


_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_MONTHS = ["January", "Jan", "Jan.", "February", "Feb", "March", "May", "June", "Sept.", "Sept", "December", "Dec."]
_DATE_BITS = [
    "yesterday", "last night", "the day before yesterday", "today", "on", "early", "late", "last", "next", "this",
    "week", "month", "a day earlier", "two days later", "the next day", "the previous day", "ago", "days ago",
    "weeks ago", "months ago", "a few days ago", "three weeks ago", "10 days ago", "99 days ago", "night",
    "morning", "evening", "of", "the", "st", "nd", "th", ",", "-", "–", "/", "earlier this month", "past week",
]


@st.composite
def date_sentences(draw) -> str:
    """Weekdays, months, days, years and relative phrases in any order, with noise."""
    bit = st.one_of(
        st.sampled_from(_WEEKDAYS), st.sampled_from(_MONTHS), st.sampled_from(_DATE_BITS),
        st.integers(0, 40).map(str), st.integers(1890, 2110).map(str),
        st.builds(lambda y, m, d: f"{y:04d}-{m:02d}-{d:02d}", st.integers(0, 9999), st.integers(0, 13), st.integers(0, 32)),
        st.builds(lambda d, m, y: f"{d:02d}/{m:02d}/{y}", st.integers(0, 35), st.integers(0, 13), st.integers(1890, 2110)),
        st.text(st.sampled_from(_PUNCT + list("ab7")), max_size=4),
    )
    return " ".join(draw(st.lists(bit, min_size=1, max_size=12)))


PUBLISHED = st.one_of(st.none(), st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)))

# An article's body: mostly a readable sentence, sometimes noise of any kind.
ARTICLE_TEXT = st.one_of(
    number_sentences(), date_sentences(), SAFE_TEXT,
    st.builds(lambda a, b: f"{a} {b}", number_sentences(), date_sentences()),
)


# ---------------------------------------------------------------- invariants

QUALIFIERS = {"exact", "approximately", "at_least", "more_than", "up_to", "range", "vague"}


def _is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def check_quantities(text: str, found) -> None:
    assert isinstance(found, list)
    for q in found:
        assert 0 <= q.start < q.end <= len(text), (text, q)
        assert text[q.start:q.end] == q.text_value, (text, q)
        assert q.end <= q.head_end <= len(text), (text, q)
        assert q.qualifier in QUALIFIERS, q
        for v in (q.low, q.high):
            assert v is None or (_is_int(v) and v >= 0), (text, q)
        if q.low is not None and q.high is not None:
            assert q.low <= q.high, (text, q)


def check_dates(text: str, found) -> None:
    assert isinstance(found, list)
    for m in found:
        assert 0 <= m.start < m.end <= len(text), (text, m)
        assert text[m.start:m.end] == m.text, (text, m)
        assert m.date is None or (isinstance(m.date, dt.date) and not isinstance(m.date, dt.datetime)), m
        assert m.precision in (1, 2, 3), m
        assert m.weekday is None or m.weekday in _WEEKDAYS, m
        assert isinstance(m.weekday_mismatch, bool), m
        if m.weekday_mismatch:
            assert m.weekday and m.date is not None, m


def check_item(item, path: Path) -> None:
    """A reader's output is a Document with usable text or a Problem that says why."""
    assert isinstance(item, (Document, Problem)), item
    if isinstance(item, Problem):
        assert item.path == str(path) and isinstance(item.reason, str) and item.reason.strip(), item
        assert item.line is None or (_is_int(item.line) and item.line >= 1), item
        json.dumps(item.as_dict())  # it goes to quarantine.jsonl
        return
    assert isinstance(item.doc_id, str) and item.doc_id, item
    assert isinstance(item.text, str) and item.text.strip(), item
    assert item.origin.startswith(str(path)), item
    assert item.published is None or isinstance(item.published, dt.date), item
    for p in item.embedded_posts:
        assert 0 <= p.start <= p.end <= len(item.text), (item, p)


def check_outputs(out: Path) -> dict[str, object]:
    """Every output file parses whole: JSON, JSON lines, CSV with one width, and a complete report."""
    parsed: dict[str, object] = {}
    for path in sorted(out.iterdir()):
        if path.suffix in (".json", ".geojson"):
            parsed[path.name] = json.loads(path.read_text(encoding="utf-8"))
        elif path.suffix == ".jsonl":
            parsed[path.name] = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
                                 if line.strip()]
        elif path.suffix == ".csv":
            rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
            assert rows, f"{path.name} is empty (not even a header)"
            assert {len(r) for r in rows} == {len(rows[0])}, f"{path.name} has rows of different widths"
            parsed[path.name] = rows
        elif path.name == "report.html":
            html = path.read_text(encoding="utf-8")
            assert html.rstrip().endswith("</html>"), "report.html is cut short"
        elif path.name == "report.md":
            assert path.read_text(encoding="utf-8").strip(), "report.md is empty"
    for name in ("claims.jsonl", "events.csv", "stories.json", "quarantine.jsonl", "report.html", "report.md"):
        assert (out / name).exists(), f"{name} was not written"
    return parsed


def accounted(out: Path, units: list[tuple[str, int | None]]) -> list[tuple[str, int | None]]:
    """The input units (path, line or entry number) neither stored nor quarantined: silently lost."""
    import sqlite3

    with sqlite3.connect(out / "sitrep.db") as c:
        origins = {row[0] for row in c.execute("select origin from documents")}
    problems = [json.loads(line) for line in (out / "quarantine.jsonl").read_text(encoding="utf-8").splitlines()
                if line.strip()]
    files_with_problem = {p["path"] for p in problems if p.get("line") is None}
    any_problem = {p["path"] for p in problems}
    lines_with_problem = {(p["path"], p["line"]) for p in problems}
    lost = []
    for path, n in units:
        if n is None:  # a whole file: itself, or any entry or line of it
            stored = path in origins or any(o.startswith(path + ":") for o in origins) or path in any_problem
        else:
            stored = f"{path}:{n}" in origins or f"{path}:entry {n}" in origins
        if stored or path in files_with_problem or (path, n) in lines_with_problem:
            continue
        lost.append((path, n))
    return lost
