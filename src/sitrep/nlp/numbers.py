"""Find the counts in a sentence: "at least 10", "between 58 and 60", "dozens", "seven".

Each count comes back as a `Quantity` with the numbers as stated (SPEC §3):
`exact` and `approximately` have low = high = N, `at_least` and `more_than` only
low, `up_to` only high, `range` both, `vague` neither ("dozens", "several").

Only counts are returned. Skipped on purpose, because no caller counts them:
years ("in 2024", "August 2024", "since 2018"), dates and clock times
("January 31", "31 January", "6 a.m.", "10:30"), ordinals ("second", "2nd"),
names and indexes ("Phase 2", "Operation Herof 2.0", "version 3", "Article 370"),
money ("$5 million", "Rs 500", "10,000 naira", "millions in cash"),
percentages, phone numbers and ids, measures ("3.5 km"), ages ("aged 25",
"25-year-old"), durations ("ten hours", "two days", "three times") and
hyphenated modifiers ("a 10-member team"). Articles are never numbers ("a
soldier" has no count), but "one" is 1 unless it is a pronoun ("no one",
"one of the most ..."). The cue words live in `sitrep/data/number_words.json`.

Example:
    >>> [(q.text_value, q.qualifier, q.low, q.high) for q in
    ...  find_quantities("at least 10 soldiers and 3 police were killed")]
    [('at least 10', 'at_least', 10, None), ('3', 'exact', 3, 3)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from text_to_num import text2num

from .. import data


@dataclass(frozen=True, slots=True)
class Quantity:
    """One count in a text.

    `start`/`end` span the whole phrase with its qualifier words ("at least 10",
    "10 or more"), so `text_value == text[start:end]`. `head_end` (>= end) is where
    the counted noun starts, after a linking "of (the|its ...)": for "seven of its
    fighters" `text[head_end:].lstrip()` starts with "fighters".
    """

    start: int
    end: int
    text_value: str
    low: int | None
    high: int | None
    qualifier: str
    head_end: int


_VOCAB = data.load_json("number_words.json")


def _norm(phrase: str) -> str:
    return " ".join(phrase.lower().split())


def _alt(phrases) -> str:
    """A regex alternation of *phrases*, longest first, any spacing between words."""
    parts = []
    for p in sorted(set(phrases), key=len, reverse=True):
        rx = r"\s+".join(re.escape(w) for w in p.split())
        # Word-like edges need a boundary; "$" or "'s" must not demand one.
        if p[0].isalnum():
            rx = r"(?<!\w)" + rx
        if p[-1].isalnum():
            rx += r"(?!\w)"
        parts.append(rx)
    return "(?:" + "|".join(parts) + ")"


_QUALIFIER = {_norm(p): q for q, ps in _VOCAB["qualifiers"].items() for p in ps}
_POSTFIX = {_norm(p): q for p, q in _VOCAB["postfix"].items()}
_VAGUE = {_norm(k): v for k, v in _VOCAB["vague"].items() if not k.startswith("_")}
_EXACT = {_norm(k): v for k, v in _VOCAB["exact"].items()}
_MULT = {_norm(k): v for k, v in _VOCAB["multipliers"].items()}

_UNITS = "zero|one|two|three|four|five|six|seven|eight|nine"
_TEENS = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_BASIC = rf"(?:(?:{_TENS})(?:[\s-]+(?:{_UNITS}))?|{_TEENS}|{_UNITS})(?!\w)"
_WMULT = "hundred|thousand|million|billion"
# "one hundred and five": "and" only right after a multiplier, so "seven and ten" stays two numbers.
_WORDNUM = (rf"(?:{_BASIC}|a(?=\s+(?:{_WMULT})(?!\w)))"
            rf"(?:[\s-]+(?:{_BASIC}|(?:{_WMULT})(?!\w))"
            rf"|(?:(?<=hundred)|(?<=thousand)|(?<=million)|(?<=billion))\s+and\s+{_BASIC})*")
_DIGITS_CORE = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\w%/]|[.,:]\d)"
# Digits glued to a letter, symbol or separator are ids, handles, money, times or parts of dates.
_DIGITS = r"(?<![\w$€£₹₦¥@#/.,:+\-–])" + _DIGITS_CORE
_NUM = (rf"(?:(?P<exact>{_alt(_EXACT)})"
        rf"|(?P<digits>{{digits}})(?:\s+(?P<dmult>{_alt(_MULT)}))?"
        rf"|(?<!\w)(?P<words>{_WORDNUM})(?:\s+(?P<wdoz>dozen)(?!\w))?)")

_ATOM = re.compile(
    rf"(?:(?P<qual>{_alt(_QUALIFIER)})\s+|(?<!\w)(?P<btw>between|from)\s+)?"
    rf"(?:(?P<vague>{_alt(_VAGUE)})|{_NUM.format(digits=_DIGITS)})",
    re.I)
_RANGE_TAIL = re.compile(
    rf"(?P<sep>\s*[-–—]\s*|\s+(?:to|or|and)\s+){_NUM.format(digits=_DIGITS_CORE)}", re.I)
_POSTFIX_RX = re.compile(
    "|".join(r"\+(?![\w\d])" if p == "+" else r"(?:\s+|-)" + _alt([p]) for p in _POSTFIX), re.I)

_MONTHS = ("Jan|January|Feb|February|Mar|March|Apr|April|May|Jun|June|Jul|July|Aug|August|"
           "Sep|Sept|September|Oct|October|Nov|November|Dec|December")
# Months are matched case-sensitively: "10 may die" is not a date.
_MONTH_BEFORE = re.compile(rf"(?<!\w)(?:{_MONTHS})\.?,?\s+(?:the\s+)?$")
_MONTH_AFTER = re.compile(rf"(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})(?!\w)")
_CURRENCY_BEFORE = re.compile(_alt(_VOCAB["currency_before"]) + r"\.?\s*$", re.I)
_CURRENCY_AFTER = re.compile(
    rf"(?:\s+of)?(?:\s+{_alt(_MULT)})?\s+{_alt(_VOCAB['currency_after'])}", re.I)
_UNIT_AFTER = re.compile(rf"(?:\s+of)?\s*-?\s*{_alt(_VOCAB['units'])}", re.I)
_LABEL_BEFORE = re.compile(_alt(_VOCAB["labels"]) + r"\s*$", re.I)
_AGE_BEFORE = re.compile(_alt(_VOCAB["ages"]) + r"\s+$", re.I)
_YEAR_BEFORE = re.compile(_alt(_VOCAB["year_context"]) + r"\s+$", re.I)
# A year-like number is a count only when a plain lowercase word follows ("2000 protesters").
_YEAR_COUNT_AFTER = re.compile(rf"\s+(?!{_alt(_VOCAB['year_after'])})[a-z]")
_RISE_BEFORE = re.compile(_alt(_VOCAB["rise_verbs"]) + r"\s+$", re.I)
_ONE_BEFORE = re.compile(r"(?<!\w)(?:no|any|every|each|the|this|that|which|another)\s+$", re.I)
_ONE_AFTER = re.compile(r"\s+(?:another|by\s+one|hand|of\s+the\s+(?:most|\w+est)(?!\w)"
                        r"|or\s+(?:the\s+)?(?:other|another))", re.I)
_MANY_BEFORE = re.compile(r"(?<!\w)(?:how|as)\s+$", re.I)
_HYPHEN_AFTER = re.compile(r"[-–]\w")
_SPACED_DIGITS_BEFORE = re.compile(r"\d[ \t]$")
_SPACED_DIGITS_AFTER = re.compile(r"[ \t]\d")
_BULLET_BEFORE = re.compile(r"(?:^|\n)[ \t]*$")
_BULLET_AFTER = re.compile(r"[.)](?:\s|$)")
_HEAD_OF = re.compile(r"[\"”’']?\s+of(?!\w)", re.I)
_HEAD_DET = re.compile(r"\s+(?:the|its|their|his|her|our|these|those)(?!\w)", re.I)

_BASIC_RX = re.compile(_BASIC, re.I)
_WINDOW = 40  # characters of context looked at on each side


def find_quantities(text: str) -> list[Quantity]:
    """Return the counts in *text*, in order.

    Example:
        >>> [(q.text_value, q.qualifier, q.low, q.high) for q in
        ...  find_quantities("killing between 58 and 60 militants; dozens more fled")]
        [('between 58 and 60', 'range', 58, 60), ('dozens', 'vague', None, None)]
    """
    found = []
    pos = 0
    while m := _ATOM.search(text, pos):
        q, pos = _read(text, m)
        if q is not None:
            found.append(q)
    return found


def vague_value(word: str) -> int | None:
    """ACLED's conversion of a vague amount: "tens" 10, "dozens" 12, "hundreds" 100; else None.

    Example:
        >>> vague_value("Dozens"), vague_value("several")
        (12, None)
    """
    key = _norm(word.strip("\"'“”‘’ "))
    for k in (key, key + " of", key.removesuffix(" of")):
        if k in _VAGUE:
            return _VAGUE[k]
    return None


def _read(text: str, m: re.Match) -> tuple[Quantity | None, int]:
    """Turn one atom match into a Quantity (or None) and say where to search next."""
    qual = m["qual"] and _QUALIFIER[_norm(m["qual"])]
    start = m.start()
    if m["vague"]:
        s, e = m.span("vague")
        if not _vague_ok(text, s, e, m["vague"]):
            return None, e
        return _make(text, start, e, None, None, "vague", vague=True), e
    value, s, e = _value(m)
    if value is None:
        if not m["words"]:
            return None, m.end()  # a plain decimal: a measure or a version ("3.5 km", "2.0")
        value, e = _first_word(text, s)  # "one two": text2num says no, keep the first word
        if value is None:
            return None, m.end()
    post = _POSTFIX_RX.match(text, e)
    tail = None if post else _RANGE_TAIL.match(text, e)
    if tail and (rng := _range(text, m, value, tail)):
        end = tail.end()
        raws = [m["digits"], tail["digits"]] if m["digits"] and tail["digits"] else []
        if not _context_ok(text, s, end, raws):
            return None, end
        return _make(text, start, end, *rng, "range"), end
    end = post.end() if post else e
    one = m["words"] is not None and _norm(m["words"]) == "one" and not m["wdoz"]
    if not _context_ok(text, s, end, [m["digits"]] if m["digits"] else [], one):
        return None, end
    if m["btw"]:
        start = s  # "from 10" without "to ...": the number alone
    if post:
        qual = _POSTFIX[_norm(post.group().lstrip("-"))]
    qual = qual or "exact"
    low = None if qual == "up_to" else value
    high = value if qual in ("exact", "approximately", "up_to") else None
    return _make(text, start, end, low, high, qual), end


def _make(text, start, end, low, high, qualifier, vague=False) -> Quantity:
    head = end
    if h := _HEAD_OF.match(text, end):
        head = h.end()
    if head != end or (vague and text[start:end].lower().endswith("of")):
        if d := _HEAD_DET.match(text, head):
            head = d.end()
    return Quantity(start, end, text[start:end], low, high, qualifier, head)


def _value(m: re.Match, prefix: str = "") -> tuple[int | None, int, int]:
    """Value and span of the number in match *m* (groups exact/digits/words)."""
    if m["exact"]:
        return _EXACT[_norm(m["exact"])], *m.span("exact")
    if m["digits"]:
        raw = m["digits"].replace(",", "")
        mult = _MULT[_norm(m["dmult"])] if m["dmult"] else 1
        if "." in raw and mult == 1:
            return None, *m.span("digits")  # a measure or a version, rejected by _context_ok
        return int(round(float(raw) * mult)), m.start("digits"), m.end()
    value = _words(m["words"])
    if value is not None and m["wdoz"]:
        value *= 12
    return value, m.start("words"), m.end()


@lru_cache(maxsize=4096)
def _words(phrase: str) -> int | None:
    phrase = _norm(phrase.replace("-", " "))
    if phrase.startswith("a "):
        phrase = "one" + phrase[1:]
    try:
        return text2num(phrase, "en")
    except ValueError:
        return None


def _first_word(text: str, s: int) -> tuple[int | None, int]:
    w = _BASIC_RX.match(text, s)
    return (_words(w.group()), w.end()) if w else (None, s)


def _range(text, m, low, tail) -> tuple[int, int] | None:
    """(low, high) if *tail* continues atom *m* into a range such as "58 to 60"."""
    high, _, _ = _value(tail)
    sep = tail["sep"].strip().lower()
    if high is None or low is None or high <= low:
        return None
    if (sep == "and") != (m["btw"] or "").lower().startswith("between"):
        return None
    if m["qual"] and sep == "and":
        return None
    if sep == "to" and m["btw"] and _RISE_BEFORE.search(text, max(0, m.start() - _WINDOW), m.start()):
        return None  # "rose from 10 to 12" is a revision, not a range
    if sep in "-–—" and (not m["digits"] or high > 10 * low):
        return None  # "0300-1234567", "111-2222": phone numbers, ids
    if sep == "or" and m["btw"]:
        return None
    return low, high


def _context_ok(text: str, s: int, e: int, raws: list[str], one: bool = False) -> bool:
    """False when the number at text[s:e] is a year, date, money, age, label, measure...

    *raws* are the digit strings of the number ([] for words), *one* says it is the word "one".
    """
    lo = max(0, s - _WINDOW)
    if _HYPHEN_AFTER.match(text, e):
        return False  # "10-member", "25-year-old", "twenty-first", "2024-25"
    if one and (_ONE_BEFORE.search(text, lo, s) or _ONE_AFTER.match(text, e)):
        return False  # "no one", "one of the most daring acts"
    if raws and not _digits_ok(text, s, e, lo, raws):
        return False
    before_checks = (_CURRENCY_BEFORE, _LABEL_BEFORE, _AGE_BEFORE)
    if any(rx.search(text, lo, s) for rx in before_checks):
        return False
    return not (_UNIT_AFTER.match(text, e) or _CURRENCY_AFTER.match(text, e))


def _digits_ok(text: str, s: int, e: int, lo: int, raws: list[str]) -> bool:
    """The checks only numbers written in digits need: ids, phones, dates, years."""
    if any(r[0] == "0" and len(r) > 1 or len(r) >= 7 and "," not in r for r in raws):
        return False  # "0300...", "1234567": phone numbers and ids
    if _SPACED_DIGITS_BEFORE.search(text, lo, s) or _SPACED_DIGITS_AFTER.match(text, e):
        return False  # "+92 300 1234567"
    if _BULLET_BEFORE.search(text, lo, s) and _BULLET_AFTER.match(text, e):
        return False  # "1. Overrunning police stations"
    if all(r.isdigit() and 1 <= int(r) <= 31 for r in raws) and (
            _MONTH_BEFORE.search(text, lo, s) or _MONTH_AFTER.match(text, e)):
        return False  # "January 31", "31 January", "January 30-31"
    if all(len(r) == 4 and r.isdigit() and 1900 <= int(r) <= 2100 for r in raws) and (
            _MONTH_BEFORE.search(text, lo, s) or _YEAR_BEFORE.search(text, lo, s)
            or not _YEAR_COUNT_AFTER.match(text, e)):
        return False  # "in 2024", "August 2024", "since 2018"; "2000 protesters" stays
    return True


def _vague_ok(text: str, s: int, e: int, word: str) -> bool:
    if _norm(word) == "many" and _MANY_BEFORE.search(text, max(0, s - _WINDOW), s):
        return False  # "how many", "twice as many"
    return not (_UNIT_AFTER.match(text, e) or _CURRENCY_AFTER.match(text, e))
