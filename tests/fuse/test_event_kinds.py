"""ACLED's sub-event types from what a sentence says happened (data/event_types.json)."""

from __future__ import annotations

import pytest

from sitrep.fuse.events import classify_one, kinds
from sitrep.nlp.violence import violent_context


@pytest.mark.parametrize("sentence, sub_event", [
    ("Police fired tear gas to disperse students protesting fee rises in the capital.", "Protest with intervention"),
    ("Security forces opened fire on protesters, killing three of them.", "Excessive force against protesters"),
    ("Protesters burnt tyres and blocked the main road into town.", "Violent demonstration"),
    ("Youths rioted after the election results were announced.", "Violent demonstration"),
    ("An angry mob lynched a man accused of theft.", "Mob violence"),
    ("Traders marched to the governor's office to protest new taxes.", "Peaceful protest"),
    ("Teachers went on strike over unpaid salaries.", "Peaceful protest"),
    ("Two soldiers died when their truck hit a landmine.", "Remote explosive/landmine/IED"),
    ("Jets carried out airstrikes on positions outside the city.", "Air/drone strike"),
    ("Troops recaptured the town after a week of fighting.", "Government regains territory"),
    ("Police arrested a local councillor accused of funding the militia.", "Arrests"),
    ("Gunmen abducted five farmers from their fields.", "Abduction/forced disappearance"),
    ("Air force jets bomb a rebel convoy near the river.", "Air/drone strike"),
    ("A minibus hit a land mine on the road to the market.", "Remote explosive/landmine/IED"),
    ("A widow and an elderly man were shot with arrows over a land dispute.", "Attack"),
    ("Unidentified gunmen attacked the village at night.", "Attack"),
    ("Militants attacked an army checkpoint at dawn.", "Armed clash"),
    ("The court sentenced the opposition leader to three years in jail.", "Change to group/activity"),
    # crowds, not armed groups, clashing; tyres burnt; looters
    ("Supporters of the two candidates clashed outside the polling station.", "Violent demonstration"),
    ("Police and street vendors clashed in the old market.", "Violent demonstration"),
    ("Villagers set tyres on fire across the highway.", "Violent demonstration"),
    ("Police fought running battles with looters near the mall.", "Violent demonstration"),
    ("A bank was torched by angry customers after it ran out of cash.", "Mob violence"),
    # soldiers clashing with rebels stay a battle
    ("Soldiers and rebels clashed near the river crossing.", "Armed clash"),
    # labour and civic action
    ("Dock workers launched a two-day strike over pay.", "Peaceful protest"),
    ("Nurses began a strike to demand back pay.", "Peaceful protest"),
    ("Residents held a march to the town hall.", "Peaceful protest"),
    ("Hundreds waved placards outside the court.", "Peaceful protest"),
    ("Farmers blocked the main road with their tractors.", "Peaceful protest"),
    # a lone victim of any kind
    ("Masked men beat a trader over a debt.", "Attack"),
    ("Rivals attacked the newly elected mayor at his home.", "Attack"),
    ("A militia executed a shopkeeper accused of theft.", "Attack"),
    ("A party member was shot dead outside the hall.", "Attack"),
    # air raids by whatever name; bombs by whatever name
    ("Two died in an air raid on the market.", "Air/drone strike"),
    ("Navy air forces struck a camp south of the river.", "Air/drone strike"),
    ("A road-side bomb hit the patrol.", "Remote explosive/landmine/IED"),
    ("A bomb blast wounded a customs officer.", "Remote explosive/landmine/IED"),
    # ACLED codes violence against state forces as a battle, even one-sided
    ("Gunmen killed a police sergeant at his gate.", "Armed clash"),
    ("A soldier died of wounds from the ambush.", "Armed clash"),
])
def test_a_sentence_gives_acled_s_sub_event_type(sentence, sub_event):
    k = classify_one(sentence)
    assert k is not None and k.sub_event_type == sub_event, (k and k.sub_event_type)


def test_every_sub_event_type_has_its_acled_event_type():
    by_type = {}
    for k in kinds():
        by_type.setdefault(k.event_type, set()).add(k.sub_event_type)
    assert set(by_type) == {"Battles", "Explosions/Remote violence", "Violence against civilians", "Protests",
                            "Riots", "Strategic developments"}
    assert len({k.sub_event_type for k in kinds()}) == 25


@pytest.mark.parametrize("sentence, place, violent", [
    ("Hundreds protested in Kisumu against the tax.", "Kisumu", True),
    ("Police arrested six suspects in Garissa.", "Garissa", True),
    ("The minister spoke to reporters in Nairobi.", "Nairobi", False),
    # a route names where the victims were going, not where they were attacked
    ("Gunmen fired on a minibus which had left Lokoja heading towards Abuja.", "Abuja", False),
    ("Gunmen ambushed a convoy in Dikwa on its way to Gajiram.", "Dikwa", True),
    ("Gunmen ambushed a convoy in Dikwa on its way to Gajiram.", "Gajiram", False),
    # an act told without a violence word; the wounded's hospitals; "hijacked" is violence
    ("The incident took place around 6.15 pm near Kantoroba village.", "Kantoroba", True),
    ("The 12 injured were referred to various hospitals in Mopti, Sevare and Bandiagara.", "Bandiagara", False),
    ("The 12 injured were referred to various hospitals in Mopti, Sevare and Bandiagara.", "Sevare", False),
    ("A man hijacked a rifle from a guard at Sevare after overpowering him.", "Sevare", True),
])
def test_protests_and_arrests_name_places_of_events(sentence, place, violent):
    start = sentence.index(place)
    assert violent_context(sentence, start, start + len(place)) == violent


@pytest.mark.slow
def test_a_short_report_without_words_around_its_place_still_has_an_event(tmp_path):
    from sitrep.pipeline import run
    from sitrep.settings import Settings
    import json

    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "notes.jsonl").write_text("\n".join(json.dumps(r) for r in [
        {"id": "n1", "text": "Students protested in Kisumu against exam fees.", "published": "2026-05-04",
         "country": "KE"},
        {"id": "n2", "text": "Unknown gunmen killed two herders in Turkana county overnight.", "published": "2026-05-05",
         "country": "KE"},
        {"id": "n3", "text": "The minister will visit the region next week.", "published": "2026-05-05",
         "country": "KE"},
        {"id": "n4", "text": "Herders clashed with farmers in Qwerty Hills village; three people died.",
         "published": "2026-05-06", "country": "KE"},
    ]) + "\n", encoding="utf-8")
    run([inbox], tmp_path / "out", Settings(progress=False))
    events = [json.loads(line) for line in (tmp_path / "out" / "events.jsonl").read_text().splitlines()]
    by_doc = {d: e for e in events for d in e["doc_ids"]}
    assert by_doc["n1"]["event_type"] == "Protests" and by_doc["n1"]["location"] == "Kisumu"
    assert by_doc["n1"]["geo_precision"] == 1
    assert by_doc["n2"]["fatalities"] == 2 and by_doc["n2"]["geo_precision"] in (2, 3)
    assert "n3" not in by_doc  # no act, no event
    # a place no gazetteer knows: the feed's country, at ACLED's coarsest precision
    assert (by_doc["n4"]["country"], by_doc["n4"]["geo_precision"], by_doc["n4"]["fatalities"]) == ("Kenya", 3, 3)


@pytest.mark.parametrize("sentence", [
    "Raiders made an incursion into Tindi village, killing one and injuring several.",
    "The raid on the village of Ndaba left two dead.",
])
def test_a_raid_into_a_village_is_an_attack_on_civilians(sentence):
    from sitrep.fuse.events import classify_one

    assert classify_one(sentence).sub_event_type == "Attack"


@pytest.mark.parametrize("sentence", [
    "Two soldiers were killed in Tindi.",
    "1 policeman killed when security forces intervened on Friday.",
])
def test_soldiers_or_police_killed_is_an_armed_clash(sentence):
    from sitrep.fuse.events import classify_one

    assert classify_one(sentence).sub_event_type == "Armed clash"
