"""Find the dates a news text mentions and resolve them against its publication date.

Absolute dates ("January 31, 2026", "31 January", "Jan. 31", "2026-01-31",
"Saturday, January 31") and relative ones ("on Saturday", "yesterday", "Friday
night", "a day earlier", "last week", "early Saturday", "two days ago") are found
with compiled patterns; only "N days/weeks/months ago" goes to `dateparser`
(imported lazily, cached), because everything else is faster and more
predictable by hand: dateparser reads a bare "Saturday" published on a Saturday
as a week earlier, while news means that same day.

Choices for ambiguous cases:
- A missing year comes from `published`: the latest such date no more than a
  week after publication (reports look back, but may announce "talks on
  February 5"). Without `published`, such a date is None (the mention stays).
- A bare weekday is the day in the five days up to `published` or the day
  after it (dates of publication often lag a day: "as of Sunday morning" in a
  text dated Saturday); "last Friday" is strictly before `published`, "next
  Friday" strictly after it.
- "a day earlier", "the next day", "two days later" count from the previous
  day-precise date in the text, else from `published`.
- precision is ACLED's time_precision: 1 day, 2 week, 3 month. A week stands
  for its Wednesday and a month for its 15th ("early"/"late" month: 5th/25th),
  never later than `published` when the period contains it. "January 30-31"
  is the first day with precision 2.
- Numeric dates are day-first ("05/02/2026" is 5 February) unless that is impossible.

Example:
    >>> m = find_dates("Friday, January 31 saw attacks.", datetime.date(2026, 2, 1))[0]
    >>> m.text, m.date, m.weekday, m.weekday_mismatch
    ('Friday, January 31', datetime.date(2026, 1, 31), 'Friday', True)
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from functools import lru_cache

Date = datetime.date


@dataclass(frozen=True, slots=True)
class DateMention:
    """One date mention: its span, the resolved date (or None) and what it says."""

    start: int
    end: int
    text: str
    date: Date | None
    precision: int
    weekday: str | None
    weekday_mismatch: bool


_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_MONTH_NAMES = ["January Jan", "February Feb", "March Mar", "April Apr", "May", "June Jun", "July Jul",
                "August Aug", "September Sept Sep", "October Oct", "November Nov", "December Dec"]
_MONTHS = {name: i for i, names in enumerate(_MONTH_NAMES, 1) for name in names.split()}
_FULL_MONTHS = {names.split()[0] for names in _MONTH_NAMES}
_GRACE = datetime.timedelta(days=7)  # how far ahead a date without a year may lie ("talks on February 5")
_SMALL = {w: i for i, w in enumerate("one two three four five six seven eight nine ten".split(), 1)}
_SMALL["a"] = _SMALL["an"] = 1

# Month and weekday names are case-sensitive: "may", "march" and "sun" are words too.
_WD = r"(?P<wd>" + "|".join(_WEEKDAYS) + r")\b"
# Only abbreviations take a dot, so "in August." leaves the full stop alone; "in Marawi" is no month.
_MON = r"(?P<mon>" + "|".join(
    re.escape(n) + (r"\b" if n in _FULL_MONTHS else r"(?:\.|\b)")
    for n in sorted(_MONTHS, key=len, reverse=True)) + ")"
_DAYNUM = r"(?:[12]\d|3[01]|0?[1-9])"
_DAY = rf"(?<!\d)(?P<day>{_DAYNUM})(?:st|nd|rd|th)?(?P<span>[-–]{_DAYNUM})?(?![\d:])"
_YEAR = r"(?P<year>(?:19|20)\d\d)(?!\d)"
_NUMBER = r"(?P<n>an?|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})"

# Every pattern below needs one of these; most sentences have none and skip the 13 scans.
_HINT = re.compile(r"\d|(?i:day|night|week|month|morning|afternoon|evening)"
                   r"|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec")

# (kind, pattern); where two mentions overlap, the one starting first wins, then the longer.
_PATTERNS = [(kind, re.compile(rx)) for kind, rx in [
    ("iso", rf"(?<![\d/-]){_YEAR}[-/](?P<m>0?[1-9]|1[0-2])[-/](?P<d>[0-3]?\d)(?![\d/-])"),
    ("numeric", rf"(?<![\d/.])(?P<a>[0-3]?\d)[/.](?P<b>[0-3]?\d)[/.]{_YEAR}"),
    ("mdy", rf"(?:{_WD},?\s+(?:the\s+)?)?{_MON}\s+{_DAY}(?:,?\s+{_YEAR})?"),
    ("dmy", rf"(?:{_WD},?\s+)?(?:the\s+)?{_DAY}\s+(?:of\s+)?{_MON}(?:,?\s+{_YEAR})?"),
    ("month", rf"(?:(?P<part>(?i:early|mid|late))[-\s]+)?{_MON},?\s+{_YEAR}"),
    ("month", rf"(?i:\b(?:in|during|since|until|till|by|of)\s+)(?P<x>{_MON})(?!\s*\d)"),
    ("month", rf"(?P<x>(?P<part>(?i:early|mid|late))[-\s]+{_MON})(?!\s*\d)"),
    ("weekday", rf"(?:(?P<rel>(?i:last|this|next|early|late))\s+)?{_WD}"
                rf"(?:\s+(?P<part>(?i:morning|afternoon|evening|night)))?"),
    ("dayword", r"(?i)\b(?:the\s+day\s+before\s+yesterday|yesterday|today|tonight|last\s+night"
                r"|this\s+(?:morning|afternoon|evening))\b"),
    ("anchored", rf"(?i)\b(?:{_NUMBER}\s+days?\s+(?P<dir>earlier|later)"
                 r"|the\s+(?P<dir2>previous|next|following)\s+day"
                 r"|the\s+day\s+(?P<dir3>before|after)(?!\s+(?:the|a|an|his|her|their|its|yesterday)\b))\b"),
    ("ago", rf"(?i)\b(?:{_NUMBER}|a\s+few|several|a\s+couple\s+of)\s+(?P<unit>day|week|month)s?\s+ago\b"),
    ("week", r"(?i)\b(?:(?:earlier|later)\s+(?:this|in\s+the)\s+week|(?P<this>this)\s+week"
             r"|(?P<last>last|the\s+previous)\s+week|(?P<past>the\s+past)\s+week)\b"),
    ("month_rel", r"(?i)\b(?:(?:earlier|later)\s+(?P<this2>this)\s+month|(?P<this>this)\s+month"
                  r"|(?:last|the\s+previous|the\s+past)\s+month)\b"),
]]


def find_dates(text: str, published: Date | None) -> list[DateMention]:
    """Return the date mentions in *text*, in order, resolved against *published*.

    Example:
        >>> [(m.text, m.date) for m in find_dates("On Saturday, gunmen attacked; a day earlier ...",
        ...                                      datetime.date(2026, 2, 1))]
        [('Saturday', datetime.date(2026, 1, 31)), ('a day earlier', datetime.date(2026, 1, 30))]
    """
    if isinstance(published, datetime.datetime):
        published = published.date()
    if not _HINT.search(text):
        return []
    found = []
    for order, (kind, rx) in enumerate(_PATTERNS):
        for m in rx.finditer(text):
            s, e = m.span("x") if "x" in rx.groupindex and m["x"] else m.span()
            found.append((s, -e, order, kind, m))
    found.sort(key=lambda f: f[:3])
    out: list[DateMention] = []
    end = 0
    anchor = published
    for s, neg_e, _, kind, m in found:
        if s < end:
            continue
        end = -neg_e
        g = {**m.groupdict(), "text": m.group()}
        try:
            date, precision, weekday = _RESOLVE[kind](g, published, anchor)
        except (OverflowError, ValueError):  # "yesterday" against 1 January of year 1: no such day
            date, precision, weekday = None, 3, None
        mismatch = bool(date and weekday and kind in ("mdy", "dmy")
                        and _WEEKDAYS[date.weekday()] != weekday)
        out.append(DateMention(s, end, text[s:end], date, precision, weekday, mismatch))
        if date and precision == 1:
            anchor = date
    return out


def _absolute(g, published, anchor):
    """"January 31, 2026", "Saturday, 31 January", "Jan. 31"."""
    month, day = _MONTHS[g["mon"].rstrip(".")], int(g["day"])
    precision = 2 if g.get("span") else 1
    if g.get("year"):
        return _safe(int(g.get("year")), month, day), precision, g.get("wd")
    return _recent(published, month, day), precision, g.get("wd")


def _iso(g, published, anchor):
    return _safe(int(g.get("year")), int(g.get("m")), int(g.get("d"))), 1, None


def _numeric(g, published, anchor):
    a, b = int(g.get("a")), int(g.get("b"))
    day, month = (b, a) if b > 12 else (a, b)  # day-first unless impossible
    return _safe(int(g.get("year")), month, day), 1, None


def _month(g, published, anchor):
    """"January 2026", "in January", "mid-January": the month's middle (or early/late day)."""
    month = _MONTHS[g["mon"].rstrip(".")]
    day = {"early": 5, "late": 25}.get((g.get("part") or "").lower(), 15)
    year = int(g["year"]) if g.get("year") else (first := _recent(published, month, 1)) and first.year
    date = _safe(year, month, day) if year else None
    if date and published and (date.year, date.month) == (published.year, published.month):
        date = min(date, published)
    return date, 3, None


def _weekday(g, published, anchor):
    """"Saturday", "last Friday", "Friday night", "early Saturday"."""
    if not published:
        return None, 1, g.get("wd")
    back = (published.weekday() - _WEEKDAYS.index(g.get("wd"))) % 7
    rel = (g.get("rel") or "").lower()
    if rel == "last":
        back = back or 7
    elif rel == "next":
        back -= 7
    elif back == 6:
        back = -1  # "Sunday" in a text dated Saturday: publication dates run a day behind more often
    return published - datetime.timedelta(days=back), 1, g.get("wd")


def _dayword(g, published, anchor):
    word = " ".join(g["text"].lower().split())
    back = {"yesterday": 1, "last night": 1, "the day before yesterday": 2}.get(word, 0)
    return _shift(published, -back), 1, None


def _anchored(g, published, anchor):
    """"a day earlier", "two days later", "the previous day": from the last dated mention."""
    n = _count(g.get("n")) if g.get("n") else 1
    direction = (g.get("dir") or g.get("dir2") or g.get("dir3")).lower()
    sign = -1 if direction in ("earlier", "previous", "before") else 1
    return _shift(anchor, sign * n), 1, None


def _ago(g, published, anchor):
    unit = g.get("unit").lower()
    precision = {"day": 1, "week": 2, "month": 3}[unit]
    if not published or not g.get("n"):
        return None, precision, None  # "a few days ago": no single date
    return _dateparser(f"{_count(g.get('n'))} {unit}s ago", published), precision, None


def _week(g, published, anchor):
    if not published:
        return None, 2, None
    if g.get("past"):
        return published - datetime.timedelta(days=3), 2, None
    monday = published - datetime.timedelta(days=published.weekday())
    if g.get("last"):
        monday -= datetime.timedelta(days=7)
    return min(monday + datetime.timedelta(days=2), published), 2, None


def _month_rel(g, published, anchor):
    if not published:
        return None, 3, None
    if g.get("this") or g.get("this2"):
        return min(published.replace(day=15), published), 3, None
    first = published.replace(day=1) - datetime.timedelta(days=1)
    return first.replace(day=15), 3, None


# Each resolver takes the match's groups (and its "text") and returns (date, precision, weekday).
_RESOLVE = {"iso": _iso, "numeric": _numeric, "mdy": _absolute, "dmy": _absolute, "month": _month,
            "weekday": _weekday, "dayword": _dayword, "anchored": _anchored, "ago": _ago,
            "week": _week, "month_rel": _month_rel}


def _count(word: str) -> int:
    return int(word) if word.isdigit() else _SMALL[word.lower()]


def _safe(year: int, month: int, day: int) -> Date | None:
    try:
        return Date(year, month, day)
    except ValueError:  # "February 30"
        return None


def _shift(date: Date | None, days: int) -> Date | None:
    return date + datetime.timedelta(days=days) if date else None


def _recent(published: Date | None, month: int, day: int) -> Date | None:
    """The latest date with this month and day no more than a week after *published*."""
    if not published:
        return None
    limit = published + _GRACE
    for year in range(limit.year, limit.year - 8, -1):  # 8 years reach a February 29
        if (d := _safe(year, month, day)) and d <= limit:
            return d
    return None


@lru_cache(maxsize=1024)
def _dateparser(phrase: str, published: Date) -> Date | None:
    import dateparser  # slow to import; only "N units ago" needs it

    base = datetime.datetime.combine(published, datetime.time())
    parsed = dateparser.parse(phrase, languages=["en"], settings={
        "RELATIVE_BASE": base, "PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False})
    return parsed.date() if parsed else None


def month_or_year(word: str) -> tuple[str, int] | None:
    """("month", 1) for "January" or "Jan", ("year", 2014) for "2014"; None for any other word."""
    if word.capitalize() in _MONTHS and word != "may":
        return "month", _MONTHS[word.capitalize()]
    if re.fullmatch(r"(?:19|20)\d\d", word):
        return "year", int(word)
    return None
