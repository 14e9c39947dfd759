"""Folding and the Aho-Corasick name index.

The text is folded to a copy of the same length (spaces, dashes and slashes to
" ", quotes to "'", accents off, optionally lower case), so offsets in the
folded copy are offsets in the text. Acronyms match with exact case, other
names ignore it; every match must start and end on a word boundary.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import ahocorasick


class _Fold(dict):
    """A str.translate table: one character in, one character out."""

    def __init__(self, lower: bool):
        super().__init__()
        self.lower = lower

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        if ch.isspace() or ch in "-‐‑‒–—/_":
            out = " "
        elif ch in "’‘ʼ`´":
            out = "'"
        else:
            base = unicodedata.normalize("NFKD", ch)[0]
            out = base if base.isascii() and base.isalpha() else ch
            if self.lower and len(out.lower()) == 1:
                out = out.lower()
        self[code] = out
        return out


EXACT, FREE = _Fold(lower=False), _Fold(lower=True)


def key(alias: str, exact: bool) -> str:
    """The folded form a name is indexed under."""
    return " ".join(alias.translate(EXACT if exact else FREE).split())


def is_exact(alias: str) -> tuple[str, bool]:
    """("=Levies" -> "Levies", True); an alias without lower-case letters is exact too."""
    if alias.startswith("="):
        return alias[1:], True
    return alias, not any(c.islower() for c in alias)


def with_name(name: str, aliases: list[str]) -> list[str]:
    """A name is matched like an alias, unless an alias spells it already (perhaps as "=CoBRA", exact case)."""
    return aliases if name in {a.lstrip("=") for a in aliases} else [name] + aliases


@lru_cache(maxsize=512)
def folds(text: str) -> tuple[str, str]:
    """(exact-case fold, lower-case fold) of *text*, both as long as *text*."""
    return text.translate(EXACT), text.translate(FREE)


class Index:
    """Two Aho-Corasick automata (exact case, any case) mapping names to payload lists."""

    def __init__(self):
        self.keys: tuple[dict, dict] = ({}, {})

    def add(self, alias: str, payload, exact: bool | None = None) -> None:
        alias, auto = is_exact(alias)
        exact = auto if exact is None else exact
        k = key(alias, exact)
        if k:
            self.keys[not exact].setdefault(k, []).append(payload)

    def build(self) -> "Index":
        self.autos = []
        for keys in self.keys:
            auto = ahocorasick.Automaton()
            for k, payloads in keys.items():
                auto.add_word(k, (len(k), k[0].isalnum(), k[-1].isalnum(), payloads))
            if keys:
                auto.make_automaton()
            self.autos.append(auto if keys else None)
        return self

    def scan(self, folded: tuple[str, str]) -> list[tuple[int, int, list]]:
        """Every word-bounded match as (start, end, payloads), overlaps included."""
        out = []
        for auto, text in zip(self.autos, folded):
            if auto is None:
                continue
            n = len(text)
            for last, (size, head, tail, payloads) in auto.iter(text):
                start = last - size + 1
                if head and start > 0 and text[start - 1].isalnum():
                    continue
                if tail and last + 1 < n and text[last + 1].isalnum():
                    continue
                out.append((start, last + 1, payloads))
        return out


def longest(items, span=lambda x: (x[0], x[1])):
    """Leftmost-longest non-overlapping subset of *items*, whose (start, end) *span* gives; ties keep the first."""
    out, end = [], -1
    for item in sorted(items, key=lambda x: (span(x)[0], -span(x)[1])):
        start, stop = span(item)
        if start >= end:
            out.append(item)
            end = stop
    return out
