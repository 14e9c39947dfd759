"""ACLED's actor1/actor2 and inter codes per event (fuse.events.event_actors), on hand-made events."""

from __future__ import annotations

import datetime as dt

import pytest

from sitrep.fuse.docs import DocInfo, Town
from sitrep.fuse.events import Event, event_actors, kinds
from sitrep.records import Claim

DAY = dt.date(2026, 5, 4)
KIND = {k.sub_event_type: k for k in kinds()}
POLICE = {"id": "ke_police", "name": "Police Forces of Kenya", "inter": 1, "country": "KE"}
FOREIGN = {"id": "us_military", "name": "Military Forces of the United States", "inter": 1, "country": "US"}
GROUP = {"id": "g", "label": "Alpha Front", "inter": 2, "name": "Alpha Front", "short": None}


def event(sub: str, sentence: str, forces=(), civilians_dead=False) -> Event:
    t = Town(id="t:kisumu", name="Kisumu", latitude=0.0, longitude=0.0, admin1=None, admin2=None, country="KE",
             geonameid=None, violent=True, sentences=[sentence])
    claims = [Claim(doc_id="d", quote="3 killed", char_start=0, char_end=8, predicate="killed", category="civilians",
                    low=3, high=3, qualifier="exact", text_value="3", claimant="outlet",
                    claimant_type="unattributed", hedge="asserted")] if civilians_dead else []
    d = DocInfo(doc_id="d", published=DAY, title=None, source=None, lead=sentence, towns={t.id: t}, claims=claims)
    d.forces = [dict(f) for f in forces]
    return Event(t, DAY, 1, KIND[sub], docs=[d], sentences=[sentence])


@pytest.mark.parametrize("sub, sentence, forces, group, want", [
    ("Peaceful protest", "Traders marched in Kisumu.", (), None, ("Protesters (Kenya)", 6, "", "")),
    ("Excessive force against protesters", "Police shot dead protesters in Kisumu.", (POLICE,), None,
     ("Protesters (Kenya)", 6, "Police Forces of Kenya", 1)),
    ("Violent demonstration", "Youths burned tyres in Kisumu.", (), None, ("Rioters (Kenya)", 5, "", "")),
    ("Attack", "Police shot two traders in Kisumu.", (POLICE,), None,
     ("Police Forces of Kenya", 1, "Civilians (Kenya)", 7)),
    # a force the report names beside unnamed attackers is no perpetrator
    ("Attack", "Gunmen shot two traders in Kisumu, police said.", (POLICE,), None,
     ("Unidentified Armed Group (Kenya)", 3, "Civilians (Kenya)", 7)),
    ("Armed clash", "Alpha Front fighters clashed with police in Kisumu.", (POLICE,), GROUP,
     ("Alpha Front", 2, "Police Forces of Kenya", 1)),
    # a foreign state named beside an air strike struck; its forces abroad are external (inter 8)
    ("Air/drone strike", "An air strike hit a market in Kisumu.", (POLICE, FOREIGN), GROUP,
     ("Military Forces of the United States", 8, "Alpha Front", 2)),
])
def test_who_did_what_to_whom(sub, sentence, forces, group, want):
    assert event_actors(event(sub, sentence, forces), group, "Kenya") == want


def test_a_strike_that_killed_civilians_has_them_as_its_target():
    ev = event("Air/drone strike", "An air strike hit a market in Kisumu.", (FOREIGN,), civilians_dead=True)
    assert event_actors(ev, GROUP, "Kenya")[2:] == ("Civilians (Kenya)", 7)


def test_every_event_has_an_actor1():
    for sub in KIND:
        a1, inter1, _, _ = event_actors(event(sub, "Something happened in Kisumu."), None, "Kenya")
        assert a1 and inter1 in range(1, 9), sub


def test_the_force_the_parse_shows_doing_the_act_is_its_perpetrator_whatever_else_is_said():
    ev = event("Attack", "Gunmen fled after police shot two traders in Kisumu.", ())
    ev.docs[0].forces = [dict(POLICE, role="agent")]
    assert event_actors(ev, None, "Kenya") == ("Police Forces of Kenya", 1, "Civilians (Kenya)", 7)


def test_the_group_the_parse_shows_doing_the_act_comes_before_the_one_most_named():
    ev = event("Armed clash", "Beta Brigade fighters stormed a police post in Kisumu.", (POLICE,))
    d = ev.docs[0]
    d.groups = [{"id": "beta", "name": "Beta Brigade", "inter": 3, "role": "agent"}] + \
        [{"id": "alpha", "name": "Alpha Front", "inter": 2, "role": None}] * 3
    assert event_actors(ev, GROUP, "Kenya")[:2] == ("Beta Brigade", 3)
