"""Cheap sentence splitting: every sentence of every article, no model.

spaCy's parser is the slowest part of sitrep, so it only sees the sentences
that may hold a claim; this splitter finds all sentences first, at regex
speed. Line breaks always end a sentence (paragraphs, headlines, list items).
"""

from __future__ import annotations

import re

# A sentence ends at . ! ? (optionally followed by closing quotes/brackets) before
# whitespace and an opening capital, digit, quote or bracket.
# Pages that lost their spaces ("the Sahel region.Mali has", "since 2015.”At least") end one too,
# when a word of two lower-case letters or digits stands before the stop and a capitalised word after it.
_BOUNDARY = re.compile(r"""[.!?]["'”’)\]]*(\s+(?=["'“‘(\[]?[A-Z0-9])|(?<=[a-z0-9]{2}[.!?])(?=[A-Z][a-z]{2})"""
                       r"""|(?<=[a-z0-9]{2}[.!?]["”’])(?=[A-Z][a-z]))""")
# Text ending like this before a boundary is an abbreviation, not a sentence end.
_ABBREV = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|Gen|Lt|Col|Maj|Capt|Cpl|Sgt|Brig|Adm|Gov|Sen|Rep|Rev|St|Mt|No|Nos|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|approx|vs|etc|Inc|Ltd|Co|Corp|Dept|Govt)"
    r"|\b[A-Z]|\b(?:[A-Za-z]\.){1,3}[A-Za-z]|\ba\.m|\bp\.m)\.$")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Return (start, end) offsets of the sentences of *text*, whitespace trimmed.

    >>> t = "Ten died. Gen. Khan said so.\\nHeadline"
    >>> [t[a:b] for a, b in split_sentences(t)]
    ['Ten died.', 'Gen. Khan said so.', 'Headline']
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        offset = pos
        pos += len(line) + 1
        if not line.strip():
            continue
        start = 0
        for m in _BOUNDARY.finditer(line):
            if _ABBREV.search(line, start, m.start() + 1):
                continue  # "Gen. Khan", "U.S. troops", "6 a.m. on Friday" do not end a sentence
            spans.append(_trim(line, start, m.start(1), offset))
            start = m.end(1)
        spans.append(_trim(line, start, len(line), offset))
    return [s for s in spans if s[1] > s[0]]


def _trim(line: str, a: int, b: int, offset: int) -> tuple[int, int]:
    while a < b and line[a].isspace():
        a += 1
    while b > a and line[b - 1].isspace():
        b -= 1
    return offset + a, offset + b
