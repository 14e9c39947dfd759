"""The parse's verdict on whether a place is where an act happened (nlp.acts), on sentences of our own."""

from __future__ import annotations

import datetime as dt

import pytest

from sitrep.nlp import analyse, parse_candidates
from sitrep.nlp.acts import act_places, actor_roles
from sitrep.records import Document


# Loads spaCy (and, for a run, the embedding model): `make test-fast` leaves it out.
pytestmark = pytest.mark.nlp


def by_surface(text: str, read, mentions) -> dict:
    """What *read* (an `nlp.acts` function) says of each mention (`mentions` of the analysis), by surface."""
    a = analyse(Document(doc_id="t", text=text, origin="t.txt", published=dt.date(2026, 3, 1)))
    got = read(a, parse_candidates(a))
    return {text[m.start:m.end]: got.get(m.start) for m in mentions(a)}


def verdicts(text: str) -> dict[str, bool | None]:
    return by_surface(text, act_places, lambda a: a.places)


@pytest.mark.parametrize("text, place, verdict", [
    ("Gunmen attacked a bus in Kaduna, killing 12 passengers.", "Kaduna", True),
    ("Militants stormed Bama overnight and killed 20 villagers.", "Bama", True),
    ("The mayor of Kaduna said 12 people were killed in the raid.", "Kaduna", False),
    ("The 30 wounded were airlifted to Maiduguri after the ambush.", "Maiduguri", False),
    ("Gunmen killed 9 pilgrims on a bus on its way to Jos.", "Jos", False),
    # "post" is a noun here, not a verb of saying
    ("Militants attacked a police post in Dori, killing seven officers, an official said.", "Dori", True),
])
def test_the_parse_ties_a_place_to_the_act_or_to_something_else(text, place, verdict):
    assert verdicts(text)[place] is verdict


def test_a_place_that_only_modifies_a_noun_is_left_to_the_word_windows():
    assert verdicts("Seven Kenya soldiers were killed in the ambush.").get("Kenya") is None


def roles(text: str) -> dict[str, str | None]:
    return by_surface(text, actor_roles, lambda a: a.actors)


@pytest.mark.parametrize("text, actor, role", [
    ("Police shot dead two traders in Kisumu.", "Police", "agent"),
    ("Three soldiers were killed by al-Shabaab militants near Afgoye.", "al-Shabaab", "agent"),
    ("Three soldiers were killed by al-Shabaab militants near Afgoye.", "soldiers", "patient"),
    ("Boko Haram fighters attacked a market, killing 9 villagers.", "Boko Haram", "agent"),
    ("Gunmen killed 3 police officers at a checkpoint, police said.", "police officers", "patient"),
    ("Gunmen killed 3 traders at a checkpoint, police said.", "police", None),
])
def test_the_parse_says_who_did_the_act_and_whom_it_befell(text, actor, role):
    assert roles(text)[actor] == role
