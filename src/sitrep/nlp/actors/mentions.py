"""What the finders return, and the closed vocabularies of the data files."""

from __future__ import annotations

from dataclasses import dataclass

CLAIMANT_TYPES = ("armed_group", "military", "government", "police", "international", "ngo", "media", "witnesses",
                  "unattributed")
CATEGORIES = ("people", "security_forces", "military", "police", "paramilitary", "ctd", "intelligence",
              "militants", "civilians", "officials", "prisoners")
PLACEHOLDERS = ("actor", "outlet", "title", "person", "name", "word", "said", "end")
ARMED = (2, 3, 4)  # inter codes of non-state armed groups


@dataclass(frozen=True, slots=True)
class ActorMention:
    """One actor named in a text; `country` is the force's country (or the document's, for generic words).

    `generic` is True for a common noun that does not name a force: "soldiers",
    "security forces", "policemen", "Malian troops", "the paramilitary", and a
    force word used as a modifier ("a police station", "army recruits"). Such
    mentions still carry the force they most likely belong to and its claim
    category; they are not actor names.
    """

    start: int
    end: int
    surface: str
    actor_id: str
    name: str
    kind: str
    inter: int
    country: str | None
    unit: str | None
    category: str
    generic: bool = False


@dataclass(frozen=True, slots=True)
class ClaimantMention:
    """One attribution cue; `start`/`end` span the cue ("police said"), `claimant` is canonical."""

    start: int
    end: int
    surface: str
    claimant: str
    claimant_type: str
