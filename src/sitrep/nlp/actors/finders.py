"""Resolving name matches and finding actors in a text with a loaded `Lexicon`.

Choices for ambiguous cases:
- A word that only means a state force inside its own country ("army",
  "police", "FC", "CTD") resolves with the document's `country`. With no
  country, a generic word becomes a generic state-force mention ("Police
  Forces", country None), and a word only one country uses ("FC") becomes that
  country's force; one used in several ("SNA": Somalia and Syria) is dropped.
- Common nouns ("troops", "security forces", "policemen", "Malian soldiers")
  come back as `generic` mentions: they say which force, not a name. So does a
  bare force word that modifies a noun ("a police station", "army recruits").
- A capitalised "Army" ending an unknown name ("the Zomi Revolutionary Army")
  is not the document's army: it is dropped.
- "<named force> troops" is the named force (span of the name) and a generic
  mention of its troops; for claimant cues it stays one span ("IDF troops said").
- Media arms and spokesmen ("Amaq", "ISPR", "Jeeyand Baloch") are claimants,
  never actor mentions; a claimant span covers the whole cue ("police said").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .index import folds, key, longest
from .mentions import ActorMention


@dataclass(frozen=True, slots=True)
class Hit:
    start: int
    end: int
    entry: object  # loader.Entry
    unit: str | None
    country: str | None
    claimant: str | None  # set for media hits only
    generic: bool = False
    common: bool = False  # a common noun, not a modifier use


def cc(country: str | None) -> str | None:
    return country.upper() if country else None


def resolve(payloads: list, country: str | None):
    """Pick what a matched name means in a text about *country*: (payload, mention country) or None."""
    for p in payloads:
        if p.scope == "local" and country in p.entry.local_in:
            return p, p.entry.country
    named = [p for p in payloads if p.scope in ("alias", "media")]
    if named:
        p = next((p for p in named if (p.fixed or p.entry.country) == country), named[0])
        return p, p.fixed or p.entry.country
    for p in payloads:
        if p.scope == "generic":
            return p, p.fixed or country
    if country is None:
        local = {p.entry.id: p for p in payloads if p.scope == "local"}
        if len(local) == 1:
            p = next(iter(local.values()))
            return p, p.entry.country
    return None


_NEXT = re.compile(r"[ \t]+([^\W\d_][\w'’-]*)")
_FUNCTION = frozenset("The A An Its Their His Her Our This That These Those And Or But Both When While After "
                      "Before As If Then Meanwhile However Yesterday Today".split())


def _modifies(attributive: frozenset, text: str, end: int) -> bool:
    """Whether the force word ending at *end* modifies the next word ("police station", "army patrols")."""
    m = _NEXT.match(text, end)
    if not m:
        return False
    w = key(m.group(1), False)
    return w in attributive or w[-1:] == "s" and (w[:-1] in attributive or w[-2:] == "es" and w[:-2] in attributive)


def _inside_name(lex, text: str, start: int) -> bool:
    """Whether a capitalised force word at *start* ends an unknown name ("Arakan Army", "New People's Army")."""
    if not text[start:start + 1].isupper():
        return False
    j = start
    while j > 0 and text[j - 1] in " \t":
        j -= 1
    k = j
    while k > 0 and (text[k - 1].isalnum() or text[k - 1] in "'’-"):
        k -= 1
    word = text[k:j]
    if j == start or not word[:1].isupper() or word in _FUNCTION:
        return False
    base = re.sub(r"['’]s?$", "", word)
    return not (base != word and key(base, False) in lex.demonyms)  # "Ukraine's Army" is Ukraine's


@lru_cache(maxsize=256)
def resolved(lex, text: str, country: str | None) -> tuple[Hit, ...]:
    """Every resolved actor, unit-pattern and media match in *text*, overlaps included (both finders use it)."""
    out = []
    for s, e, payloads in lex.actors.scan(folds(text)):
        got = resolve(payloads, country)
        if not got:
            continue
        p, where = got
        generic = p.common
        if p.force:
            if p.fixed is None and p.scope != "alias" and p.entry.category == "military" and _inside_name(lex, text, s):
                continue
            generic = _modifies(lex.attributive, text, e)
        out.append(Hit(s, e, p.entry, p.unit, where, p.claimant, generic, p.common))
    for pat in lex.patterns.get(country, ()):
        if any(w in text for w in pat.words):
            for m in pat.rx.finditer(text):
                out.append(Hit(m.start(), m.end(), pat.entry, " ".join(m.group().split()), pat.entry.country, None))
    return tuple(out)


_OPEN, _CLOSE = re.compile(r"\s*\(\s*"), re.compile(r"\s*\)")


@lru_cache(maxsize=256)
def selected(lex, text: str, country: str | None, media: bool) -> tuple[Hit, ...]:
    """The leftmost-longest hits (media arms only if *media*), with two kinds of neighbours joined.

    "IDF troops" or "FARDC soldiers" names the force once: for claimant cues
    (*media*) it is one span, for actor mentions the name and a generic mention
    of the same force's troops. "Islamic State West Africa Province (ISWAP)" is
    one mention too, so "... (ISWAP) has claimed" reads as the group's claim.
    """
    out: list[Hit] = []
    for h in longest([h for h in resolved(lex, text, country) if media or h.claimant is None], lambda h: (h.start, h.end)):
        prev = out[-1] if out else None
        gap = text[prev.end:h.start] if prev else None
        if (prev and h.common and not prev.entry.generic and not prev.generic and prev.claimant is None
                and not gap.strip()):
            if media:
                out[-1] = Hit(prev.start, h.end, prev.entry, prev.unit, prev.country, None)
            else:
                out.append(Hit(h.start, h.end, prev.entry, prev.unit, prev.country, None, True, True))
        elif prev and h.entry is prev.entry and h.claimant == prev.claimant and _OPEN.fullmatch(gap) and (
                close := _CLOSE.match(text, h.end)):
            out[-1] = Hit(prev.start, close.end(), prev.entry, prev.unit or h.unit, prev.country, prev.claimant,
                          prev.generic, prev.common)
        else:
            out.append(h)
    return tuple(out)


_THE = re.compile(r"\b(United|Republic|Kingdom|States|Emirates|Islands|Federation|Philippines|Netherlands|Gambia|"
                  r"Comoros|Maldives|Bahamas|Congo)\b")


def _with_article(country: str) -> str:
    """ACLED's form of a country in an actor name: "Military Forces of the United States", "of Kenya"."""
    return f"the {country}" if _THE.search(country) and not country.startswith("the ") else country


def find_actors(lex, text: str, country: str | None) -> list[ActorMention]:
    out = []
    for h in selected(lex, text, cc(country), False):
        e = h.entry
        name = f"{e.name} of {_with_article(lex.country_name(h.country))}" if e.generic and h.country else e.name
        out.append(ActorMention(h.start, h.end, text[h.start:h.end], e.id, name, e.kind, e.inter,
                                h.country, h.unit, e.category, h.generic))
    return out
