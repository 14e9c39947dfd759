"""The claimant cue grammar: claimants.json patterns such as "according to the? {actor}" to regexes.

Actors, titles and outlets are found first and masked with sentinel characters
(one per character, so offsets hold); the cue regexes then match the masked text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .index import key
from .mentions import PLACEHOLDERS


@dataclass(slots=True)
class Cue:
    order: int
    rx: re.Pattern
    claimant: str
    claimant_type: str
    country: str | None
    fallback: str | None
    layers: frozenset  # of "actor", "title", "outlet": the masks the pattern needs
    gates: frozenset = field(default_factory=frozenset)  # layers that must have a hit for a match
    needs: tuple = ()  # sets of words: the text must hold one word of each for a match


SENTINEL = {"actor": ("\ue000", "\ue001"), "title": ("\ue002", "\ue003"), "outlet": ("\ue004", "\ue005")}
_PUNCT = {",": ",", ";": ";", ":": ":", "(": r"\(", ")": r"\)", "'s": "['’]s"}
_TOKEN = re.compile(r"\{\w+\}\??|'s|[,;:()]|[^\s,;:(){}]+")
_UPPER, _LOWER = "A-ZÀ-ÖØ-Þ", "a-zß-öø-ÿ"


def _alt(words) -> str:
    return "|".join(re.escape(v).replace(r"\ ", r"\s+") for v in sorted(words, key=len, reverse=True))


class Grammar:
    """Turns claimant cue patterns into regexes; built from claimants.json's word lists.

    A speech verb matches in lower case only: "Official Claims:" is a heading, not a cue.
    """

    def __init__(self, verbs, lead, particles, not_title):
        word = rf"(?:[{_UPPER}][{_LOWER}][\w'’-]*|[{_UPPER}]\.)"
        part = "|".join(re.escape(p) for p in particles)
        stop = "|".join(re.escape(w) for w in not_title)
        mod = rf"(?!(?:{stop})\b)[{_UPPER}][\w'’.-]*" if stop else rf"[{_UPPER}][\w'’.-]*"
        title = "\ue002\ue003*"
        said = rf"(?:{_alt(v.lower() for v in verbs)})"
        self.verbs = [v.lower() for v in verbs]
        self.holes = {
            "actor": "(?P<actor>\ue000\ue001*)",
            "outlet": "(?P<outlet>\ue004\ue005*)",
            "title": rf"(?P<title>(?:(?:{mod}|{title})\s+){{0,3}}{title})",
            "person": rf"(?P<person>{word}(?:\s+(?:(?i:{part})[\s-])?{word}){{0,3}})" if part
            else rf"(?P<person>{word}(?:\s+{word}){{0,3}})",
            "name": rf"(?P<name>[{_UPPER}][\w'’-]*(?:\s+(?:(?:of|and|&)\s+)?[{_UPPER}][\w'’-]*){{0,3}})",
            "word": r"(?P<word>(?i:(?!(?:the|a|an)\b))[^\W\d_][\w'’-]*)",
            "said": rf"(?:(?:{_alt(w.lower() for w in lead)})\s+){{0,2}}{said}" if lead else said,
            "end": r"(?=\s*(?:[.,;:!?\"”’)\]—–-]|$))",
        }

    def compile(self, pattern: str):
        """Return (regex, {placeholder: required}, [set of words the text must contain one of, ...])."""
        pieces, holes, anchors = [], {}, []
        for tok in _TOKEN.findall(pattern):
            optional = tok.endswith("?") and len(tok) > 1
            tok = tok[:-1] if optional else tok
            if tok.startswith("{"):
                name = tok[1:-1]
                if name not in self.holes:
                    raise ValueError(f"unknown placeholder {tok} (known: {', '.join('{%s}' % p for p in PLACEHOLDERS)})")
                if name in holes:
                    raise ValueError(f"{tok} used twice")
                holes[name] = not optional
                pieces.append((self.holes[name], optional, tok))
                if name == "said" and not optional:
                    anchors.append(self.verbs)
            elif tok in _PUNCT:
                pieces.append((_PUNCT[tok], optional, tok))
            else:
                alts = [a for a in tok.split("|") if a]
                pieces.append(("(?:" + "|".join(self._word(a) for a in alts) + ")", optional, "word"))
                if not optional:
                    anchors.append([key(a, False) for a in alts])
        if not pieces:
            raise ValueError("empty pattern")
        context = ""
        if len(pieces) > 1 and pieces[0][2] in (",", ";", ":") and not pieces[0][1]:
            # A leading comma is context, not part of the cue: ", the ISPR, reported" is "the ISPR, reported".
            context, pieces = rf"(?<={pieces[0][0]}\s)", pieces[1:]
        # Optional tokens before the first required one carry the separator after them; others the one before.
        lead = 0
        while lead < len(pieces) - 1 and pieces[lead][1]:
            lead += 1
        body = "".join(f"(?:{rx}{self._sep(kind, pieces[j + 1][2])})?" for j, (rx, _, kind) in enumerate(pieces[:lead]))
        body += pieces[lead][0]
        for i in range(lead + 1, len(pieces)):
            rx, optional, kind = pieces[i]
            piece = self._sep(pieces[i - 1][2], kind) + rx
            body += f"(?:{piece})?" if optional else piece
        regex = re.compile(context + r"(?<![\w\ue000-\ue005])" + body + r"(?!\w)")
        return regex, holes, [frozenset(a) for a in anchors]

    @staticmethod
    def _sep(prev: str, kind: str | None) -> str:
        if kind == "{end}":
            return ""  # a lookahead: it consumes nothing, its own pattern skips spaces
        if kind in (",", ";", ":", ")"):
            return r"\s*"
        if kind == "'s":
            return ""
        if prev == "(":
            return r"\s*"
        return r"\s+"

    @staticmethod
    def _word(word: str) -> str:
        """A pattern word: exact if it has no lower-case letter ("AP"), else any case for its first letter
        ("police", "Police"), written as given or in capitals for the rest ("POLICE")."""
        def rx(w: str) -> str:
            return "".join("['’]" if c == "'" else r"[-‐‑\s]" if c == "-" else re.escape(c) for c in w)
        if not any(c.islower() for c in word) and any(c.isupper() for c in word):
            return rx(word)
        first = f"[{re.escape(word[0].lower())}{re.escape(word[0].upper())}]" if word[0].isalpha() else rx(word[0])
        return f"(?:{first}{rx(word[1:])}|{rx(word.upper())})"


def mask(text: str, layers: dict[str, list]) -> str:
    """*text* with each mention of the given layers overwritten by its sentinel run (same length)."""
    chars = list(text)
    taken = [False] * len(text)
    for name, spans in layers.items():
        first, rest = SENTINEL[name]
        for s, e, _ in spans:
            if any(taken[s:e]):
                continue
            chars[s:e] = first + rest * (e - s - 1)
            taken[s:e] = [True] * (e - s)
    return "".join(chars)
