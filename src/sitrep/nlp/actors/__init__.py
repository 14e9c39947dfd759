"""Find armed groups, state forces and claimants ("police said", "ISPR") in a text.

The vocabularies are data: ``sitrep/data/actors.json`` lists groups and state
forces with their aliases, units, unit patterns and media arms;
``sitrep/data/claimants.json`` lists claimant cues, official titles and news
outlets. Names are found with Aho-Corasick automata over a folded copy of the
text (same length, so offsets survive): acronyms such as "BLA", "FC", "ISI"
match with exact case, other names ignore it; every match must start and end
on a word boundary, and the longest match wins. `finders` documents the
choices for ambiguous words; mentions of common nouns ("soldiers", "security
forces") are returned with ``generic=True``.

Modules: `mentions` (what is returned), `index` (folding, automata),
`checks` (reading and checking the files), `loader` (the `Lexicon`, loading actors.json),
`grammar` and `cues` (the cue grammar, loading claimants.json), `finders`
(resolving and finding actors), `claimants` (finding claimant cues).

Example:
    >>> [(m.surface, m.actor_id, m.inter, m.unit) for m in find_actors("The BLA's Majeed Brigade hit an FC camp.", country="PK")]
    [('BLA', 'bla', 2, None), ('Majeed Brigade', 'bla', 2, 'Majeed Brigade'), ('FC', 'pk_fc', 1, None)]
    >>> [(c.claimant, c.claimant_type) for c in find_claimants("Six soldiers died, ISPR said.")]
    [('ISPR', 'military')]
"""

from __future__ import annotations

import json
import re
from functools import cache

from . import claimants
from .finders import cc
from .index import folds
from .loader import Lexicon
from .mentions import CLAIMANT_TYPES, ActorMention, ClaimantMention

__all__ = ["ActorMention", "ClaimantMention", "CLAIMANT_TYPES", "Lexicon", "actor_by_id", "candidate_organisations",
           "find_actors", "find_claimants", "find_sources", "lexicon"]


@cache
def lexicon() -> Lexicon:
    """The packaged lexicon, loaded and checked once."""
    return Lexicon.load()


def find_actors(text: str, *, country: str | None = None) -> list[ActorMention]:
    """Armed groups, units and state forces named in *text*, in order.

    *country* (ISO2) is the document's country: it decides what "army",
    "police", "FC" or "Taliban" mean, and is the country of generic mentions.

    Example:
        >>> [(m.surface, m.name, m.generic) for m in find_actors("Police and Nigerian troops repelled ISWAP.", country="NG")]
        [('Police', 'Nigeria Police Force', False), ('Nigerian troops', 'Military Forces of Nigeria', True), ('ISWAP', 'Islamic State West Africa Province', False)]
    """
    return lexicon().find_actors(text, country=country)


def find_claimants(text: str, *, country: str | None = None) -> list[ClaimantMention]:
    """Who the text says asserts something: cues such as "police said", "according to the BLA".

    Example:
        >>> [(c.claimant, c.claimant_type) for c in find_claimants("Interior Minister Mohsin Naqvi said 10 died, residents said.")]
        [('Interior Minister Mohsin Naqvi', 'government'), ('residents', 'witnesses')]
    """
    return lexicon().find_claimants(text, country=country)


def find_sources(text: str) -> list[tuple[int, int, str, str]]:
    """Outlets and organisations named in *text*, as (start, end, name, claimant type).

    Example:
        >>> find_sources("Amnesty International and the UN said so.")
        [(0, 21, 'Amnesty International', 'ngo'), (30, 32, 'United Nations', 'international')]
    """
    return claimants.find_sources(lexicon(), text)


def actor_by_id(actor_id: str) -> dict:
    """The actors.json entry (or generic entry) with this id, as a new dict; KeyError if unknown.

    Example:
        >>> actor_by_id("bla")["inter"]
        2
    """
    return json.loads(json.dumps(lexicon().entries[actor_id].raw))


def candidate_organisations(doc, *, country: str | None = None) -> list[str]:
    """ORG and NORP entities of a spaCy *doc* that the lexicons do not know, in order, once each.

    They are kept as candidates for a person to add to actors.json, not thrown away.

    Example:
        >>> # doc.ents: "Baloch Liberation Army" (ORG), "Lashkar-e-Khorasan" (ORG)
        >>> candidate_organisations(doc)  # doctest: +SKIP
        ['Lashkar-e-Khorasan']
    """
    lex = lexicon()
    out, seen = [], set()
    for ent in doc.ents:
        if ent.label_ not in ("ORG", "NORP"):
            continue
        name = re.sub(r"^(?i:the)\s+|['’]s$", "", ent.text.strip()).strip()
        key = name.casefold()
        if not name or key in seen:
            continue
        seen.add(key)
        if lex._hits(name, cc(country)) or lex.outlets.scan(folds(name)):
            continue
        out.append(name)
    return out
