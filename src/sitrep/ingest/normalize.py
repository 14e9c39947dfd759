"""Turn raw article text into the text every later offset refers to.

Steps, in order: lone surrogates (valid in JSON, not in UTF-8) replaced by U+FFFD;
line and paragraph separators (U+2028, U+2029, NEL, VT, FF, FS/GS/RS) made
newlines and other control characters (NUL, C0, DEL, C1) removed, since no
store accepts NUL and none of them is text; Unicode NFC; invisible characters and odd spaces made plain;
whitespace collapsed inside lines and blank-line runs collapsed to one;
boilerplate lines dropped (patterns in ``data/boilerplate.txt``); embedded
social-media posts located so their words are attributed to their author.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .. import data
from ..errors import DataFileError
from ..records import EmbeddedPost

# Zero-width and bidi marks carry no meaning and break offsets and matching.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u202a-\u202e]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_BLANKS = re.compile(r"\n{3,}")
_SURROGATES = re.compile("[\ud800-\udfff]")
_BREAKS = re.compile("\r\n?|[\u2028\u2029\u0085\x0b\x0c\x1c-\x1e]")
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]")

# "— NAME (@handle) January 31, 2026" closes an embedded post (X/Twitter embed).
_POST_BYLINE = re.compile(
    r"[—–-]{1,2}\s*(?P<author>[^\n()—–]{1,80}?)\s*\((?P<handle>@\w{1,30})\)\s*"
    r"(?P<date>[A-Z][a-z]{2,9}\.? \d{1,2}, \d{4})\s*$"
)
_POST_LINK = re.compile(r"\bpic\.twitter\.com/\w+|\bt\.co/\w+")


@lru_cache(maxsize=1)
def boilerplate_patterns() -> tuple[re.Pattern, ...]:
    """Compiled line patterns from ``data/boilerplate.txt``."""
    out = []
    for n, line in data.lines("boilerplate.txt"):
        try:
            out.append(re.compile(line, re.IGNORECASE))
        except re.error as e:
            raise DataFileError(str(data.path("boilerplate.txt")), f"bad pattern: {e}", n) from e
    return tuple(out)


def is_boilerplate(line: str) -> bool:
    return any(p.fullmatch(line) for p in boilerplate_patterns())


def clean_text(raw: str) -> str:
    """Normalise *raw* and drop boilerplate lines; return the stored text.

    >>> clean_text("  Ten  killed.\\r\\n\\r\\n\\r\\nALSO READ: Other story\\nMore. ")
    'Ten killed.\\n\\nMore.'
    """
    text = _CONTROLS.sub("", _BREAKS.sub("\n", _SURROGATES.sub("\ufffd", raw)))
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text))
    kept = []
    for line in text.split("\n"):
        line = _SPACES.sub(" ", line).strip()
        if line and is_boilerplate(line):
            continue
        kept.append(line)
    return _BLANKS.sub("\n\n", "\n".join(kept)).strip()


def clean_field(value: str) -> str:
    """A metadata string (id, title, url, path) safe to store: one line, no lone surrogates, and control
    characters written as escapes ("\\x1f"), so an id or a file name made of them stays distinct and
    never empty."""
    return _CONTROLS.sub(lambda m: f"\\x{ord(m.group()):02x}", _BREAKS.sub(" ", _SURROGATES.sub("\ufffd", value)))


def _starts_like_post(line: str) -> bool:
    # Embedded posts often open with emoji or pictographs, which prose never does.
    return bool(line) and not (line[0].isalnum() or line[0] in "\"'“‘(")


def find_embedded_posts(text: str) -> tuple[EmbeddedPost, ...]:
    """Locate quoted social-media posts in cleaned *text*.

    A post ends with a byline ``— NAME (@handle) Month D, YYYY``. When the
    byline has a line of its own, the post is the line before it plus any
    earlier lines that open like a post (emoji) or carry a post link.
    """
    lines = text.split("\n")
    starts, pos = [], 0
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1
    posts = []
    for i, line in enumerate(lines):
        m = _POST_BYLINE.search(line)
        if not m:
            continue
        end = starts[i] + len(line)
        first = i
        if not line[: m.start()].strip():  # byline alone on its line
            first = i - 1
            while first > 0 and lines[first - 1] and (
                _starts_like_post(lines[first - 1]) or _POST_LINK.search(lines[first - 1])
            ):
                first -= 1
            first = max(first, 0)
        posts.append(EmbeddedPost(start=starts[first], end=end, author=m["author"].strip(),
                                  handle=m["handle"], date=m["date"]))
    return tuple(posts)
