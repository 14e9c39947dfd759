"""Who asserts a figure, and how firmly (SPEC §3 claimant, claimant_type, hedge).

In order: a quoted social-media post speaks for its author; a reporting verb
governing the figure ("ISPR reported that …", "…, residents said", "according
to the BLA") names its subject; a hedge word with no speaker ("reportedly")
means unnamed reports; a sentence that continues a statement ("The group
also …", "In addition, …") keeps the speaker of the paragraph; anything else
is the outlet's own voice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .vocab import vocab

OUTLET = ("outlet", "unattributed")
_WITNESS = {"resident", "residents", "witness", "witnesses", "eyewitness", "eyewitnesses", "local", "locals",
            "villager", "villagers", "survivor", "survivors", "bystander", "neighbour", "neighbor", "shopkeeper"}
TITLE_TYPES = _TITLES = {
    "minister": "government", "ministry": "government", "governor": "government", "commissioner": "government",
    "official": "government", "officials": "government", "government": "government", "spokesman": None,
    "spokesperson": None, "spokeswoman": None, "president": "government", "mayor": "government",
    "administrator": "government", "chief": None, "police": "police", "policeman": "police", "sp": "police",
    "inspector": "police", "army": "military", "military": "military", "general": "military", "colonel": "military",
    "major": "military", "brigadier": "military", "commander": None, "hospital": "government",
    "doctor": "government", "doctors": "government", "medic": "government", "medics": "government",
    "health": "government", "constable": "police", "superintendent": "police",
    "resident": "witnesses", "shopkeeper": "witnesses", "witness": "witnesses", "elder": "witnesses",
}
# "officer" and "captain" are left out on purpose: the force is the word before them ("a police officer").


@dataclass
class Speaker:
    claimant: str
    claimant_type: str
    hedge: str | None = None     # the hedge the reporting verb itself implies


@dataclass
class DocState:
    """What attribution remembers while walking a document's sentences in order."""

    paragraph: int = -1
    speaker: Speaker | None = None          # the paragraph's current speaker
    last_speaker: Speaker | None = None     # the document's last named speaker
    last_group: Speaker | None = None       # the last armed group named


def default_hedge(claimant_type: str, verb_hedge: str | None) -> str:
    if claimant_type == "armed_group":
        return "claimed" if verb_hedge not in {"alleged", "denied"} else verb_hedge
    if claimant_type == "unattributed" and verb_hedge is None:
        return "asserted"
    return verb_hedge or "reported"


def speaker_in(start: int, end: int, claimants, actors, state: DocState, text: str) -> Speaker | None:
    """The speaker named between document offsets *start* and *end* (a reporting verb's subject)."""
    # The name nearest the verb speaks: "Official Claims: the military's wing, the ISPR, reported" is ISPR.
    inside = [c for c in claimants if c.start < end and c.end > start]
    if inside:
        c = max(inside, key=lambda c: c.end)
        return Speaker(c.claimant, c.claimant_type)
    inside = [a for a in actors if a.start < end and a.end > start]
    if inside:
        return actor_speaker(max(inside, key=lambda a: a.end))
    words = [w.lower() for w in re.findall(r"[\w'-]+", text[start:end])]
    v = vocab()
    if any(w in _WITNESS for w in words):
        return Speaker("residents", "witnesses")
    for w in words:
        if w in v.unattributed:
            local = "local " if "local" in words else ""
            return Speaker(f"{local}{v.unattributed[w]}", "unattributed")
    if words and (words[-1] in v.continuation or (words[0] in {"the", "this", "its"} and words[-1] in v.continuation)):
        group_words = {"group", "outfit", "militants", "organisation", "organization", "movement", "insurgents", "rebels"}
        if words[-1] in group_words and state.last_group is not None:
            return state.last_group
        return state.speaker or state.last_speaker
    for w in words:
        if w in _TITLES and _TITLES[w]:
            # "Dr Faadumo Ali Hirsi, head of health services": the name, typed by the title
            name = text[start:end].strip(" ,").split(", ")[0]
            return Speaker(name, _TITLES[w])
    return None


def actor_speaker(a) -> Speaker:
    """A named actor as the speaker of a claim: its short name ("BLA", "police") and claimant type."""
    from ..nlp.actors import actor_by_id

    try:
        entry = actor_by_id(a.actor_id)
    except KeyError:
        entry = {}
    name = entry.get("short") or a.name
    kind = entry.get("claimant_type")
    if kind is None:
        if getattr(a, "inter", 2) == 1:
            kind = "police" if a.category == "police" else "military"
        else:
            kind = "armed_group"
    return Speaker(name, kind)
