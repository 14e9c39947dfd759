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
    """True when the words say the victims are civilians (a wedding, pilgrims, protesters) and name no
    combatant target (an army base, a checkpoint), whose dead may be anyone's."""
    low = text.lower()
    words = set(_WORD.findall(low))
    return bool(words & vocab().civilian_context) and not any(
        re.search(rf"\b{re.escape(w)}\b", low) for w in vocab().combatant_context)


def specify(claims: list[Claim], anchors: list[str | None], text: str) -> list[Claim]:
    """*claims* with `people` narrowed to `civilians` where the article supports it.

    *anchors* holds, per claim, the lemma of the counted noun (None when the
    figure counts no noun, as in "the toll rose to 27"); *text* is what the
    article says about its own incident (its background sentences left out).
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
