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
hyphenated modifiers ("a 10-member team"), numbers glued by an operator ("10^100"),
and figures above `MAX_COUNT` (no plausible count of people; logged). Values are
exact integers: digits are never read through a float. The cue words live in
`sitrep/data/number_words.json`; add to its lists to extend the grammar.

Choices for ambiguous cases:
- Articles are never numbers ("a soldier"), but "one" is 1 ("one of its
  fighters") unless it is a pronoun ("no one", "one of the most daring acts").
- "nearly/almost/close to N" is `up_to` N; "10 or more" `at_least`; "20-odd",
  "100 or so" `approximately`; "50+", "30-plus" `more_than`; "a dozen" approximately 12,
  "a couple of" and "a few" vague.
- "two or three", "10-12", "from 10 to 12" are ranges, "at least 10 to 12" too;
  "rose from 10 to 12" is two numbers, and so is "10 and 12" without "between".
- A bare 1900-2100 is a year ("the 2026 offensive"); it counts only after a cue
  and before a plain noun ("over 2000 protesters"). Counts written "2,000" are fine.

Example:
    >>> [(q.text_value, q.qualifier, q.low, q.high) for q in
    ...  find_quantities("at least 10 soldiers and 3 police were killed")]
    [('at least 10', 'at_least', 10, None), ('3', 'exact', 3, 3)]
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from fractions import Fraction
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
MAX_COUNT: int = int(_VOCAB["max_count"])
"""Largest figure read as a count (``max_count`` in number_words.json); larger ones are dropped."""
log = logging.getLogger(__name__)


def _norm(phrase: str) -> str:
    return " ".join(phrase.lower().split())


def _alt(phrases, reverse: bool = False) -> str:
    """A regex matching any of *phrases* (longest first), any spacing between words.

    The phrases are folded into a trie, so a failing match costs one look per
    character instead of one per phrase. With *reverse*, each phrase is spelled
    backwards, to match the reversed text that ends where a number starts.
    """
    trie: dict = {}
    for p in phrases:
        node = trie
        for ch in " ".join(p.split())[::-1 if reverse else 1]:
            node = node.setdefault(ch, {})
        node[""] = {}  # end of a phrase
    return _render(trie, start=True)


def _render(node: dict, start: bool = False, prev: str = "") -> str:
    branches = []
    for ch, child in sorted(node.items(), key=lambda kv: kv[0] == ""):  # longer phrases first
        if ch == "":
            # A phrase ending in a letter or digit must end a word; "$" or "Rs." need not.
            branches.append(r"(?!\w)" if prev.isalnum() else "")
            continue
        # Likewise, a phrase starting with a letter or digit must start a word.
        head = r"(?<!\w)" if start and ch.isalnum() else ""
        branches.append(head + (r"\s+" if ch == " " else re.escape(ch)) + _render(child, prev=ch))
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


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
# Digits glued to an operator ("10^100", "2**64", "4×5") are notation, not counts.
_DIGITS_CORE = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\w%/^*×]|[.,:]\d)"
# Digits glued to a letter, symbol or separator are ids, handles, money, times or parts of dates.
_DIGITS = r"(?<![\w$€£₹₦¥@#/.,:+\-–^*×])" + _DIGITS_CORE
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

# Context checks. Those about the words *before* a number run on the reversed text
# that ends at the number, so each is one anchored match instead of a search.
_MONTHS = ("Jan Jan. January Feb Feb. February Mar Mar. March Apr Apr. April May Jun Jun. June Jul Jul. "
           "July Aug Aug. August Sep Sep. Sept Sept. September Oct Oct. October Nov Nov. November "
           "Dec Dec. December").split()
# Months are matched case-sensitively: "10 may die" is not a date. ("eht" is "the" reversed.)
_MONTH_BEFORE = re.compile(rf"\s+(?:eht\s+)?,?{_alt(_MONTHS, reverse=True)}")
_MONTH_AFTER = re.compile(rf"(?:st|nd|rd|th)?\s+(?:of\s+)?{_alt(_MONTHS)}")
_YEAR_BEFORE = re.compile(rf"\s+{_alt(_VOCAB['year_context'], reverse=True)}", re.I)
# A year-like number after a cue counts if a plain lowercase word follows: "over 2000 protesters".
_YEAR_COUNT_AFTER = re.compile(rf"\s+(?!{_alt(_VOCAB['year_after'])})[a-z]")
# One match each for the checks every number needs: money, labels ("Phase 2"), ages,
# phone digit groups ("300 1234567") before; hyphen compounds ("10-member"), units,
# money and phone digit groups after.
_NOT_COUNT_BEFORE = re.compile(
    rf"\s*\.?{_alt(_VOCAB['currency_before'], reverse=True)}"
    rf"|\s*{_alt(_VOCAB['labels'], reverse=True)}"
    rf"|\s+{_alt(_VOCAB['ages'], reverse=True)}"
    r"|[ \t]\d", re.I)
_NOT_COUNT_AFTER = re.compile(
    rf"[-–]\w|[ \t]\d"
    rf"|(?:\s+of)?\s*-?\s*{_alt(_VOCAB['units'])}"
    rf"|(?:\s+of)?(?:\s+{_alt(_MULT)})?\s+{_alt(_VOCAB['currency_after'])}", re.I)
_RISE_BEFORE = re.compile(rf"\s+{_alt(_VOCAB['rise_verbs'], reverse=True)}", re.I)
_ONE_BEFORE = re.compile(
    rf"\s+{_alt('no any every each the this that which another by'.split(), reverse=True)}", re.I)
_ONE_AFTER = re.compile(r"\s+(?:another|by\s+one|hand|of\s+the\s+(?:most|\w+est)(?!\w)"
                        r"|or\s+(?:the\s+)?(?:other|another))", re.I)
_MANY_BEFORE = re.compile(rf"\s+{_alt(['how', 'as'], reverse=True)}", re.I)
_BULLET_AFTER = re.compile(r"[.)](?:\s|$)")
_HEAD_OF = re.compile(r"[\"”’']?\s+of(?!\w)", re.I)
_HEAD_DET = re.compile(r"\s+(?:the|its|their|his|her|our|these|those)(?!\w)", re.I)

_WORD = re.compile(r"[^\W\d_]+")
_TOKEN = re.compile(r"\d+|[^\W\d_]+")
_FIRST_WORDS = {_TOKEN.search(p).group() for p in (*_QUALIFIER, *_VAGUE, *_EXACT)} | {
    *f"{_UNITS}|{_TEENS}|{_TENS}|between|from|a".split("|")}
_WINDOW = 30  # characters looked at before a number


def find_quantities(text: str, source: str = "") -> list[Quantity]:
    """Return the counts in *text*, in order.

    A figure above `MAX_COUNT` is no count of people: it is dropped and logged
    as a warning naming *source* (the document it came from).

    Example:
        >>> [(q.text_value, q.qualifier, q.low, q.high) for q in
        ...  find_quantities("killing between 58 and 60 militants; dozens more fled")]
        [('between 58 and 60', 'range', 58, 60), ('dozens', 'vague', None, None)]
    """
    found = []
    pos = 0
    # Trying the big pattern only where a digit run or a cue word starts is ~10x faster than search().
    for t in _TOKEN.finditer(text):
        i, word = t.start(), t.group()
        if i < pos or not (word[0].isdigit() or word.lower() in _FIRST_WORDS):
            continue
        if m := _ATOM.match(text, i):
            q, pos = _read(text, m)
            if q is None:
                continue
            if max(q.low or 0, q.high or 0) > MAX_COUNT:
                log.warning("%s: %r is beyond any plausible count (more than %s); not read as a count",
                            source or "text", q.text_value, f"{MAX_COUNT:,}")
                continue
            found.append(q)
    return found


def vague_value(word: str) -> int | None:
    """ACLED's conversion of a vague amount: "several" or "many" 10, "dozens" 12, "hundreds" 100; else None.

    Example:
        >>> vague_value("Dozens"), vague_value("several"), vague_value("a few")
        (12, 10, None)
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
        value, e = _longest_words(text, s, m.end("words"))  # "one two": keep "one"
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
    if not _context_ok(text, s, end, [m["digits"]] if m["digits"] else [], one, bool(qual)):
        return None, end
    if m["btw"]:
        start = s  # "from 10" without "to ...": the number alone
    if post:
        qual = _POSTFIX[_norm(post.group().lstrip("-"))]
    qual = qual or ("approximately" if m["exact"] else "exact")  # "a dozen", "half a dozen": round idioms
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


def _value(m: re.Match) -> tuple[int | None, int, int]:
    """Value and span of the number in match *m* (groups exact/digits/words)."""
    if m["exact"]:
        return _EXACT[_norm(m["exact"])], *m.span("exact")
    if m["digits"]:
        raw = m["digits"].replace(",", "")
        mult = _MULT[_norm(m["dmult"])] if m["dmult"] else 1
        if "." in raw and mult == 1:
            return None, *m.span("digits")  # a measure or a version: "3.5 km", "2.0"
        # Exact arithmetic: a float loses digits and overflows on long digit runs.
        return round(Fraction(raw) * mult), m.start("digits"), m.end()
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


def _longest_words(text: str, s: int, e: int) -> tuple[int | None, int]:
    """Value and end of the longest run of number words from *s* that text2num accepts."""
    for end in reversed([w.end() for w in _WORD.finditer(text, s, e)]):
        if (value := _words(text[s:end])) is not None:
            return value, end
    return None, s


def _reversed_before(text: str, s: int) -> str:
    return text[max(0, s - _WINDOW):s][::-1]


def _range(text, m, low, tail) -> tuple[int, int] | None:
    """(low, high) if *tail* continues atom *m* into a range such as "58 to 60"."""
    high, _, _ = _value(tail)
    sep = tail["sep"].strip().lower()
    if high is None or low is None or high <= low:
        return None
    if (sep == "and") != (m["btw"] or "").lower().startswith("between"):
        return None
    if sep == "or" and m["btw"] or sep == "and" and m["qual"]:
        return None
    if sep == "to" and m["btw"] and _RISE_BEFORE.match(_reversed_before(text, m.start())):
        return None  # "rose from 10 to 12" is a revision, not a range
    if sep in "-–—" and (not m["digits"] or high > 10 * low):
        return None  # "0300-1234567", "111-2222": phone numbers, ids
    return low, high


def _context_ok(text: str, s: int, e: int, raws: list[str], one: bool = False,
                qualified: bool = False) -> bool:
    """False when the number at text[s:e] is a year, date, money, age, label, measure...

    *raws* are the digit strings of the number ([] for words), *one* says it is the
    word "one", *qualified* that a cue such as "over" precedes it.
    """
    if _NOT_COUNT_AFTER.match(text, e):
        return False  # "10-member", "25-year-old", "twenty-first", "ten hours", "500 rupees"
    rev = _reversed_before(text, s)
    if _NOT_COUNT_BEFORE.match(rev):
        return False  # "Rs 500", "Phase 2", "aged 25"
    if one and (_ONE_BEFORE.match(rev) or _ONE_AFTER.match(text, e)):
        return False  # "no one", "one by one", "one of the most daring acts"
    return not raws or _digits_ok(text, s, e, rev, raws, qualified)


def _digits_ok(text: str, s: int, e: int, rev: str, raws: list[str], qualified: bool) -> bool:
    """The checks only numbers written in digits need: ids, phones, lists, dates, years."""
    for r in raws:
        if r[0] == "0" and r[1:2].isdigit() or len(r) >= 7 and "," not in r:
            return False  # "0300...", "1234567": phone numbers and ids
    if _BULLET_AFTER.match(text, e) and not text[text.rfind("\n", 0, s) + 1:s].strip():
        return False  # "1. Overrunning police stations"
    if not all(r.isdigit() for r in raws):
        return True  # "1,200", "1.5"
    values = [int(r) for r in raws]
    if max(values) <= 31 and (_MONTH_BEFORE.match(rev) or _MONTH_AFTER.match(text, e)):
        return False  # "January 31", "31 January", "January 30-31"
    # Counts of a thousand or more are written "2,000"; a bare "2026" is a year
    # ("this new 2026 offensive") unless a cue makes it a count: "over 2000 people".
    if 1900 <= min(values) and max(values) <= 2100 and (
            not qualified or _MONTH_BEFORE.match(rev) or _YEAR_BEFORE.match(rev)
            or not _YEAR_COUNT_AFTER.match(text, e)):
        return False  # "in 2024", "August 2024", "since 2018", "the 2024 attacks"
    return True


def _vague_ok(text: str, s: int, e: int, word: str) -> bool:
    if _norm(word) == "many" and _MANY_BEFORE.match(_reversed_before(text, s)):
        return False  # "how many", "twice as many"
    return not _NOT_COUNT_AFTER.match(text, e)  # "several days", "thousands of rupees"
