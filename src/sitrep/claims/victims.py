"""Whose dead: a count of "people" becomes `civilians` when the article says the victims were civilians.

SPEC's category is the most specific the text supports. "Twenty people were
killed" in an article about a wedding, a pilgrim bus, a protest or a migrant
centre counts civilians; the same words in an article that also counts dead
soldiers or fighters count people of mixed or unknown kind, and stay `people`.
The test is per predicate: two gang members among the injured keep the injured
`people`, not the dead.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..records import Claim
from .vocab import PEOPLE, vocab

COMBATANTS = (PEOPLE - {"people", "civilians", "officials", "prisoners"})
_WORD = re.compile(r"[a-z]+")
# Arrests, abductions and disappearances count the people they happened to; "six individuals were
# detained for questioning" counts suspects, whose kind the text does not say.
EVENT_CAPTURES = {"arrest", "abduction", "disappearance", "kidnapping", "detention"}


def civilian_article(text: str) -> bool:
    """True when the article's words say its victims are civilians (a wedding, pilgrims, protesters)."""
    words = set(_WORD.findall(text.lower()))
    return bool(words & vocab().civilian_context)


def specify(claims: list[Claim], anchors: list[str | None], text: str) -> list[Claim]:
    """*claims* with `people` narrowed to `civilians` where the article supports it.

    *anchors* holds, per claim, the lemma of the counted noun (None when the
    figure counts no noun, as in "the toll rose to 27").
    """
    if not civilian_article(text):
        return claims
    mixed = {c.predicate for c in claims if c.event_scope == "main" and c.category in COMBATANTS}
    if "killed" in mixed or "injured" in mixed:
        mixed.add("killed_or_injured")
    out = []
    for c, anchor in zip(claims, anchors):
        if c.category == "people" and c.event_scope == "main" and c.predicate not in mixed and (
                c.predicate in {"killed", "injured", "killed_or_injured"}
                or c.predicate == "captured" and anchor in EVENT_CAPTURES):
            c = replace(c, category="civilians")
        out.append(c)
    return out
