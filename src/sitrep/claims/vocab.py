"""The words claim extraction reads, loaded once: ``data/claim_words.json`` (what is counted and what
happened to it), ``data/reporting_verbs.json`` (through `sitrep.nlp.speech`) and the "roles" section of
``data/claimants.json`` (how a speaker is described)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .. import data
from ..errors import DataFileError

PREDICATES = ("killed", "injured", "killed_or_injured", "captured", "escaped", "rescued",
              "attacked_places", "damaged_property", "burned_vehicles")
CATEGORIES = {"people", "security_forces", "military", "police", "paramilitary", "ctd", "intelligence",
              "militants", "civilians", "officials", "prisoners", "property", "vehicles", "places"}
SECURITY = {"security_forces", "military", "police", "paramilitary", "ctd", "intelligence"}
PEOPLE = SECURITY | {"people", "militants", "civilians", "officials", "prisoners"}
# Which predicates a counted thing can take, most specific first: a town is attacked, not killed,
# and a vehicle set on fire is burned rather than merely damaged.
ALLOWED = {
    **{c: ("killed", "injured", "killed_or_injured", "captured", "escaped", "rescued") for c in PEOPLE},
    "property": ("damaged_property",),
    "vehicles": ("burned_vehicles", "damaged_property"),
    "places": ("attacked_places",),
}
from ..nlp.speech import HEDGES, hedges as reporting_hedges


@dataclass(frozen=True)
class Vocab:
    categories: dict[str, str]
    modifiers: dict[str, str]
    generic: frozenset[str]
    people_context: dict[str, str]
    verbs: dict[str, tuple[str, ...]]      # lemma -> predicates it can express
    words: dict[str, tuple[str, ...]]      # noun/adjective -> predicates
    phrases: dict[str, tuple[str, ...]]    # "set on fire" -> predicates
    reporting: dict[str, str]              # reporting verb lemma -> hedge (reporting_verbs.json)
    hedge_words: dict[str, str]
    background: tuple[str, ...]
    one_person: frozenset[str]         # after "the", one known person: "the commander was killed"
    ranks: frozenset[str]              # a member of some force, which the context names ("personnel", "sergeant")
    collective: frozenset[str]         # person words that name a body, not one person ("army", "family")
    civilian_context: frozenset[str]   # words that say the victims of an incident are civilians
    combatant_context: tuple[str, ...]  # targets that say they may not be ("an army base")


def _index(preds: dict, key: str) -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for pred, cues in preds.items():
        for cue in cues.get(key, []):
            out.setdefault(cue.lower(), []).append(pred)
    return {k: tuple(v) for k, v in out.items()}


@lru_cache(maxsize=1)
def vocab() -> Vocab:
    """Load and check ``claim_words.json``."""
    raw = data.load_json("claim_words.json")
    where = str(data.path("claim_words.json"))
    for word, cat in {**raw["categories"], **raw["modifiers"]}.items():
        if cat not in CATEGORIES:
            raise DataFileError(where, f"{word!r} maps to unknown category {cat!r}; use one of {sorted(CATEGORIES)}")
    unknown = set(raw["predicates"]) - set(PREDICATES)
    if unknown:
        raise DataFileError(where, f"unknown predicate(s) {sorted(unknown)}; use {', '.join(PREDICATES)}")
    for verb, hedge in raw["hedge_words"].items():
        if hedge not in HEDGES:
            raise DataFileError(where, f"{verb!r} maps to unknown hedge {hedge!r}; use one of {sorted(HEDGES)}")
    context = {k: v for k, v in raw["people_context"].items() if not k.startswith("_")}
    return Vocab(
        categories=raw["categories"], modifiers=raw["modifiers"], generic=frozenset(raw["generic"]),
        people_context=context, verbs=_index(raw["predicates"], "verbs"), words=_index(raw["predicates"], "words"),
        phrases=_index(raw["predicates"], "phrases"), reporting=reporting_hedges(), hedge_words=raw["hedge_words"],
        background=tuple(raw["background"]),
        one_person=frozenset(raw.get("one_person", ())), ranks=frozenset(raw.get("ranks", ())),
        collective=frozenset(raw.get("collective", ())), civilian_context=frozenset(raw.get("civilian_context", ())),
        combatant_context=tuple(raw.get("combatant_context", ())),
    )


@dataclass(frozen=True)
class Roles:
    """How a described speaker is typed; the "roles" section of ``claimants.json``."""

    types: dict[str, str | None]     # head noun -> claimant type, or None when a modifier must say it
    modifiers: dict[str, str]        # word before the head (or its owner) -> claimant type
    persons: frozenset[str]          # heads that are one person
    anaphors: frozenset[str]         # heads that, after "the", refer back to a speaker
    group_words: frozenset[str]
    statement_words: frozenset[str]
    institutions: frozenset[str]


@lru_cache(maxsize=1)
def roles() -> Roles:
    """Load and check the "roles" section of ``claimants.json``."""
    from ..nlp.actors import CLAIMANT_TYPES

    doc = data.load_json("claimants.json")
    raw = doc.get("roles") or {}
    where = str(data.path("claimants.json"))
    for section in ("heads", "modifiers"):
        for word, kind in (raw.get(section) or {}).items():
            if kind is not None and kind not in CLAIMANT_TYPES:
                raise DataFileError(where, f'roles {section}: {word!r} maps to unknown claimant type {kind!r}; '
                                           f'use one of {", ".join(CLAIMANT_TYPES)} or null')
    sets = {k: frozenset(w.lower() for w in raw.get(k, [])) for k in
            ("persons", "anaphors", "group_words", "statement_words", "institutions")}
    # An office title types its last word when every title ending so agrees ("deputy commissioner" and
    # "police commissioner" leave "commissioner" to the heads); the heads add and override.
    by_last: dict[str, set[str]] = {}
    for kind, titles in (doc.get("titles") or {}).items():
        for title in titles if not kind.startswith("_") else ():
            by_last.setdefault(title.lower().split()[-1].strip("."), set()).add(kind)
    types = {w: kinds.pop() for w, kinds in by_last.items() if len(kinds) == 1}
    types.update({k.lower(): v for k, v in (raw.get("heads") or {}).items()})
    return Roles(types=types,
                 modifiers={k.lower(): v for k, v in (raw.get("modifiers") or {}).items()}, **sets)


@lru_cache(maxsize=1)
def _background_words() -> re.Pattern | None:
    cues = sorted(vocab().background, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, cues))) if cues else None


def is_background(sentence: str) -> bool:
    """Whether a sentence recalls earlier events rather than telling the act: one of claim_words.json's
    "background" words ("last year", "in a similar attack"...) is written anywhere in it, in any case."""
    rx = _background_words()
    return bool(rx and rx.search(sentence.lower()))
