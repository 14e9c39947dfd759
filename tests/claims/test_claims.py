"""Claim extraction end to end on hand-written sentences (spaCy parse, real lexicons and gazetteer)."""

from __future__ import annotations

import datetime as dt

import pytest

from sitrep.claims import extract_claims
from sitrep.nlp import analyse, parse_candidates
from sitrep.records import Document


# Loads spaCy (and, for a run, the embedding model): `make test-fast` leaves it out.
pytestmark = pytest.mark.nlp


def claims_of(text: str, published=dt.date(2026, 3, 10)):
    doc = Document(doc_id="t", text=text, origin="t.txt", published=published)
    a = analyse(doc)
    return extract_claims(a, parse_candidates(a))


def row(c):
    return (c.predicate, c.category, c.low, c.high, c.qualifier)


@pytest.mark.parametrize("text, want", [
    ("Militants killed 12 soldiers and three policemen in Bannu on Tuesday, police said.",
     [("killed", "military", 12, 12, "exact"), ("killed", "police", 3, 3, "exact")]),
    ("At least 7 civilians were wounded in the blast, hospital officials said.",
     [("injured", "civilians", 7, None, "at_least")]),
    ("Five gunmen killed two guards in the town.", [("killed", "security_forces", 2, 2, "exact")]),
    ("The army said it had neutralised between 20 and 25 insurgents near Marte.",
     [("killed", "militants", 20, 25, "range")]),
    ("More than 15 houses were set on fire and over 10 vehicles were torched.",
     [("damaged_property", "property", 15, None, "more_than"), ("burned_vehicles", "vehicles", 10, None, "more_than")]),
    ("The raid led to the escape of some 200 inmates from the district jail.",
     [("escaped", "prisoners", 200, 200, "approximately")]),
    ("The militants attacked four villages overnight.", [("attacked_places", "places", 4, 4, "exact")]),
    ("Dozens of villagers were reportedly abducted near Gwoza.", [("captured", "civilians", None, None, "vague")]),
    ("The death toll from the bombing rose to 27, police said.", [("killed", "people", 27, 27, "exact")]),
    ("Troops rescued 14 hostages from a forest camp.", [("rescued", "people", 14, 14, "exact")]),
    ("The group said it lost one of its fighters in the clash.", [("killed", "militants", 1, 1, "exact")]),
    ("Up to 50 people were injured or killed in the crossfire.", [("killed_or_injured", "people", None, 50, "up_to")]),
    ("The group took District Commissioner Ali Musa hostage near the highway.",
     [("captured", "officials", 1, 1, "exact")]),
])
def test_what_is_counted(text, want):
    assert [row(c) for c in claims_of(text)] == want


@pytest.mark.parametrize("text", [
    "The siege lasted ten hours and ended at 6 a.m. on Friday.",
    "The group first attacked the town in 2024 during Phase 2 of its campaign.",
    "Officials said $5 million in aid had arrived for 40 percent of families.",
    "Dozens of armed men entered the town and fired into the air.",
    "Several districts reported heavy rain.",
])
def test_numbers_that_are_not_claims(text):
    assert claims_of(text) == []


@pytest.mark.parametrize("text, claimant, kind, hedge", [
    ("At least 9 soldiers were killed, the army said.", None, "military", "reported"),
    ("According to ISWAP, 40 soldiers died in the raid.", "ISWAP", "armed_group", "claimed"),
    ("Police confirmed that six officers were killed.", "police", "police", "confirmed"),
    ("Residents said 11 people were killed in the market.", "residents", "witnesses", "reported"),
    ("Reports indicate that 30 soldiers were killed.", None, "unattributed", "reported"),
    ("Eight soldiers were allegedly killed in the ambush.", None, "unattributed", "alleged"),
    ("Twelve civilians were killed in the raid.", None, "unattributed", "asserted"),
])
def test_who_says_it(text, claimant, kind, hedge):
    [c] = claims_of(text)
    assert (c.claimant_type, c.hedge) == (kind, hedge)
    if claimant:
        assert c.claimant == claimant


def test_a_statement_continues_into_the_next_sentence():
    text = ("In a statement, al-Shabaab said its fighters stormed the base at dawn. "
            "The group also said 25 soldiers were killed. In addition, 6 vehicles were burned.")
    got = claims_of(text)
    assert [(c.claimant, c.claimant_type, c.hedge) for c in got] == [("al-Shabaab", "armed_group", "claimed")] * 2


def test_a_new_paragraph_ends_the_statement():
    text = "In a statement, al-Shabaab said its fighters stormed the base.\nTwelve civilians were killed in the raid."
    [c] = claims_of(text)
    assert c.claimant_type == "unattributed"


def test_place_limited_figures_and_background():
    text = ("Gunmen attacked villages across Borno State on Saturday. In Dikwa alone, nine civilians were killed. "
            "Police said 20 people died in all.\n"
            "Last year, a similar attack on the same villages killed 30 people.")
    got = {c.low: c for c in claims_of(text)}
    assert got[9].location == "Dikwa" and got[20].location is None
    assert got[9].event_scope == "main" and got[30].event_scope == "background"


def test_in_a_raid_on_several_towns_a_sentence_about_one_town_sets_the_location():
    text = ("Fighters stormed police posts in Bannu and Lakki Marwat before dawn, killing six officers.\n"
            "In Bannu, the attackers overran a checkpoint. Four officers were injured, police said.")
    got = {c.low: c for c in claims_of(text)}
    assert got[4].location == "Bannu" and got[6].location is None


@pytest.mark.parametrize("text", [
    "Fighters stormed a police post in Bannu before dawn. Four officers were injured, police said.",
    "Gunmen opened fire on a market near Bannu, killing six traders.",
    "Six traders were killed when gunmen attacked a market 30 km from Bannu.",
])
def test_a_single_site_incident_has_no_location(text):
    [c] = claims_of(text)
    assert c.location is None


def test_a_background_figure_keeps_its_place():
    text = ("Gunmen killed four villagers in Dikwa on Monday.\n"
            "In 2019, an attack on Bama killed 30 people.")
    got = {c.low: c for c in claims_of(text)}
    assert (got[4].location, got[4].event_scope) == (None, "main")
    assert (got[30].location, got[30].event_scope) == ("Bama", "background")


def test_the_same_figure_twice_is_one_claim():
    text = ("ISWAP claimed that 40 soldiers were killed. The group's statement repeated that "
            "ISWAP fighters killed 40 soldiers.")
    assert len(claims_of(text)) == 1


def test_quotes_are_verbatim_with_offsets():
    text = "date-free text. At least 84 personnel were killed, with many others wounded and 18 taken captive."
    got = claims_of(text)
    assert [row(c)[:3] for c in got] == [("killed", "security_forces", 84), ("injured", "security_forces", None),
                                         ("captured", "security_forces", 18)]
    for c in got:
        assert text[c.char_start:c.char_end] == c.quote and c.text_value in c.quote


def test_embedded_post_speaks_for_its_author():
    text = ("Officials said the town was calm.\n"
            "\U0001F6A8 Fighters have killed 7 soldiers at the checkpoint. pic.twitter.com/Ab12\n"
            "\u2014 Border Watch (@borderwatch) March 10, 2026")
    doc = Document(doc_id="t", text=text, origin="t", published=dt.date(2026, 3, 10),
                   embedded_posts=__import__("sitrep.ingest.normalize", fromlist=["x"]).find_embedded_posts(text))
    a = analyse(doc)
    [c] = extract_claims(a, parse_candidates(a))
    assert (c.claimant, c.claimant_type, c.hedge) == ("@borderwatch", "media", "claimed")


@pytest.mark.parametrize("text, want", [
    ("Eleven killed, 40 injured, says the district police chief",
     [("killed", "people", 11, 11, "exact"), ("injured", "people", 40, 40, "exact")]),
    ("The ministry said 44 killed and 19 injured.",
     [("killed", "people", 44, 44, "exact"), ("injured", "people", 19, 19, "exact")]),
    ("The 12 injured were taken to a clinic.", [("injured", "people", 12, 12, "exact")]),
    ("The raid killed dozens.", [("killed", "people", None, None, "vague")]),
    ("Several others were wounded.", [("injured", "people", None, None, "vague")]),
    ("The toll of the wounded has climbed to 48.", [("injured", "people", 48, 48, "exact")]),
    ("There have been at least 70 arrests.", [("captured", "people", 70, None, "at_least")]),
    ("The panel counted 14 cases of enforced disappearances.", [("captured", "people", 14, 14, "exact")]),
    ("The blast caused the deaths of 8 traders and injuries to 15 others.",
     [("killed", "civilians", 8, 8, "exact"), ("injured", "civilians", 15, 15, "exact")]),
])
def test_bare_numbers_lists_and_event_nouns(text, want):
    assert [row(c) for c in claims_of(text)] == want


def test_distributive_lists_give_one_claim_per_place():
    text = ("The commission said Mombasa had 6 deaths, while Kisumu, Nakuru and Eldoret recorded 2 deaths each.\n"
            "Kisii and Narok each reported 1 death.")
    got = sorted((c.low, c.location) for c in claims_of(text))
    assert got == [(1, "Kisii"), (1, "Narok"), (2, "Eldoret"), (2, "Kisumu"), (2, "Nakuru"), (6, "Mombasa")]


@pytest.mark.parametrize("text, kind", [
    ("A group of human rights organisations said 14 protesters were killed.", "ngo"),
    ("Amnesty International said 9 people were killed at the rally.", "ngo"),
    ("According to the UN, 31 villagers were killed.", "international"),
    ("Two local officials said 18 villagers were killed.", "government"),
    ("A Malian army officer told reporters that 6 soldiers died.", "military"),
    ("The Teachers Association of Ghana said 3 protesters were shot dead.", "ngo"),
])
def test_who_speaks_is_typed_by_how_it_is_described(text, kind):
    [c] = claims_of(text)
    assert c.claimant_type == kind


def test_he_said_is_the_person_introduced_earlier_across_paragraphs():
    text = ("A police officer in the town told AFP that fighting broke out at dawn.\n"
            "He asked not to be named.\n"
            "Four policemen and 9 gunmen were killed in the clashes, he said.")
    got = claims_of(text)
    assert {(c.claimant_type, c.hedge) for c in got} == {("police", "reported")}


def test_a_quotation_takes_the_speaker_named_after_it():
    text = ("The federation said on Monday that its monitors had visited the district.\n"
            "\u201cWe have confirmed the following. Twelve people were killed. "
            "Thirty others were hurt.\u201d The statement said.")
    got = claims_of(text)
    assert [c.claimant_type for c in got] == ["ngo", "ngo"]


def test_a_headline_credit_names_the_speaker():
    text = ("Only 12 people died in the clashes - Ndayishimiye says\n"
            "President Evariste Ndayishimiye spoke on state radio on Sunday.")
    got = claims_of(text)
    assert got and all(c.claimant_type == "government" and "Ndayishimiye" in c.claimant for c in got)


def test_a_denial_of_reports_credits_the_reports():
    [c] = claims_of("The governor dismissed reports that over 30 people had died in the riots.")
    assert (c.claimant, c.claimant_type, c.hedge) == ("reports", "unattributed", "denied")


def test_a_group_named_as_perpetrator_does_not_speak():
    text = ("A Somali army officer told Reuters the base was attacked at dawn.\n"
            "Eight soldiers and 12 al-Shabaab fighters were killed, he said.")
    got = claims_of(text)
    assert got and all(c.claimant_type == "military" for c in got)


def test_victims_of_a_wedding_attack_are_civilians_but_mixed_dead_are_people():
    wedding = claims_of("Gunmen attacked a wedding in the village, killing 25 people.")
    mixed = claims_of("At least 30 people were killed when fighters stormed a base. "
                      "Twelve soldiers and 18 fighters died.")
    assert [c.category for c in wedding] == ["civilians"]
    assert next(c for c in mixed if c.low == 30).category == "people"
    base = claims_of("Gunmen stormed an army base near the market, and 14 people were killed.")
    assert [c.category for c in base] == ["people"]  # a combatant target: the dead may be anyone's


@pytest.mark.parametrize("text", [
    "The assault comes after gunmen attacked a hotel in the capital, killing five people.",
    "In 2019, a similar raid on the town killed 40 people.",
])
def test_earlier_incidents_are_background(text):
    [c] = claims_of(text)
    assert c.event_scope == "background"


@pytest.mark.parametrize("text, claimant, kind", [
    ("Reuters quoted two district officials as saying that gunmen killed 14 villagers.", "district officials",
     "government"),
    ("As per police, 4 people died in the clash.", "police", "police"),
    ("Per the Daily Herald, three passengers died of their wounds.", "Daily Herald", "media"),
    ("According to Captain Ali Musa, a police officer in the town, 5 guards were wounded.", "Captain Ali Musa",
     "police"),
    ("A rights group, the Lake Peace Forum, said it had documented 11 civilian deaths.", None, "ngo"),
    ("Several wounded villagers were taken to the capital, a health worker at the hospital said.", None,
     "witnesses"),
    ("The hospital's director, Dr. Amina Bello, said 14 patients had died.", None, "government"),
])
def test_relays_appositions_and_owners_name_the_speaker(text, claimant, kind):
    [c] = claims_of(text)
    assert c.claimant_type == kind
    if claimant:
        assert c.claimant == claimant


def test_a_role_named_later_keeps_its_type():
    text = ("Nine people were killed, the spokeswoman of the regional human rights commission told AFP.\n"
            "\u201cWe recorded 9 deaths,\u201d declared Amina Yusuf.")
    got = claims_of(text)
    assert got and all(c.claimant_type == "government" for c in got)


def test_a_word_for_word_quotation_does_not_carry_into_the_narration():
    text = ("The governor visited the wounded and said, 'The gunmen attacked the convoy, killing four guards.' "
            "Seven suspects have been arrested.")
    got = {c.low: c for c in claims_of(text)}
    assert got[4].claimant_type == "government"
    assert (got[7].claimant_type, got[7].hedge) == ("unattributed", "asserted")


def test_a_subject_talked_about_is_no_speaker():
    text = "The gang is said to be the most violent in the region. Its members killed six officers in 2023."
    [c] = claims_of(text, published=dt.date(2026, 3, 10))
    assert c.claimant_type == "unattributed"


@pytest.mark.parametrize("text", [
    "A CCTV video has surfaced in which three gunmen were captured near the bridge.",
    "The gunmen burned 40 houses, forcing thousands of residents to flee.",
])
def test_recordings_and_displacement_are_not_captured_or_escaped(text):
    assert [c.predicate for c in claims_of(text)] in ([], ["damaged_property"])


def test_killed_and_injured_one_count_is_killed_or_injured():
    assert [row(c) for c in claims_of("The strike killed and injured dozens of workers.")] == [
        ("killed_or_injured", "civilians", None, None, "vague")]
    assert [row(c)[:3] for c in claims_of("The raid killed 14 people and injured 30 others.")] == [
        ("killed", "people", 14), ("injured", "people", 30)]


def test_a_late_report_about_an_incident_months_ago_is_about_that_incident():
    text = ("An air strike on a prison in May 2026 killed at least 40 detainees.\n"
            "The investigators said in May 2026 the strike also wounded 25 guards.")
    got = claims_of(text, published=dt.date(2026, 11, 20))
    assert {c.event_scope for c in got} == {"main"}


@pytest.mark.parametrize("text", [
    "NAIROBI, Kenya, Jul 2 \u2013 At least 12 people were killed in Mombasa and Kisumu on Tuesday.",
    "Gunmen attacked a bus in Kenya's Kisumu county, killing nine passengers. The injured are at Kisumu Hospital.",
])
def test_datelines_containers_and_hospital_names_do_not_locate_figures(text):
    assert all(c.location is None for c in claims_of(text))


@pytest.mark.parametrize("text, want", [
    ("A soldier was killed in the ambush.", [("killed", "military", 1, 1, "exact")]),
    ("The commander of the base was killed.", [("killed", "military", 1, 1, "exact")]),
    ("Gunmen shot dead a police officer and wounded a teacher.",
     [("killed", "police", 1, 1, "exact"), ("injured", "civilians", 1, 1, "exact")]),
    ("A police officer said the road had been closed.", []),
    ("The governor condemned the attack.", []),
])
def test_one_victim_told_with_an_article_is_a_figure_of_one(text, want):
    assert [row(c) for c in claims_of(text)] == want


def test_labelled_lines_and_bullets():
    text = "Toll of the raid\nKilled: 12\nInjured: 30\n- Abducted: 4\nPopulation: 40000"
    assert [row(c) for c in claims_of(text)] == [
        ("killed", "people", 12, 12, "exact"), ("injured", "people", 30, 30, "exact"),
        ("captured", "people", 4, 4, "exact")]


def test_a_total_of_mixed_people_stays_people():
    got = claims_of("The attack killed 30 people, including 21 civilians and 4 soldiers.")
    assert [(c.category, c.low) for c in got] == [("people", 30), ("civilians", 21), ("military", 4)]


@pytest.mark.parametrize("text, want", [
    ("The ministry said 30 Palestinians were killed.", [("killed", "people", 30, 30, "exact")]),
    ("Two Americans were abducted on the highway.", [("captured", "people", 2, 2, "exact")]),
    ("The envoy met 3 Kenyans at the airport.", []),
    ("The killing of 5 traders sparked riots.", [("killed", "civilians", 5, 5, "exact")]),
    ("Twelve people were hurt when a suicide bomber struck a checkpoint.", [("injured", "people", 12, 12, "exact")]),
    ("Raiders struck the village, killing one and injuring several.",
     [("killed", "people", 1, 1, "exact"), ("injured", "people", None, None, "vague")]),
    ("Two army conscripts died in the blast.", [("killed", "military", 2, 2, "exact")]),
])
def test_nationals_killings_and_bystanding_bombers(text, want):
    assert [row(c) for c in claims_of(text)] == want


@pytest.mark.parametrize("text, want", [
    ("Local elders put the death toll at about 35.", [("killed", "people", 35, 35, "approximately")]),
    ("The number of fatalities has increased to 19.", [("killed", "people", 19, 19, "exact")]),
    ("Eleven soldiers were martyred in the clash.", [("killed", "military", 11, 11, "exact")]),
    ("Nine policemen lost their lives in the blast.", [("killed", "police", 9, 9, "exact")]),
    ("Troops eliminated 17 insurgents near the border.", [("killed", "militants", 17, 17, "exact")]),
    ("Six villagers were gunned down at the well.", [("killed", "civilians", 6, 6, "exact")]),
    ("Police detained 40 protesters after the march.", [("captured", "civilians", 40, 40, "exact")]),
    ("Four gang members were shot dead by police.", [("killed", "militants", 4, 4, "exact")]),
    ("The attack on the pilgrims' bus killed 8 pilgrims and 2 migrants.",
     [("killed", "civilians", 8, 8, "exact"), ("killed", "civilians", 2, 2, "exact")]),
])
def test_tolls_euphemisms_and_who_was_counted(text, want):
    assert [row(c) for c in claims_of(text)] == want


@pytest.mark.parametrize("text", [
    "The town of 250,000 people lies 40 km from the border.",
    "The 45-year-old driver was paid 3,000 dollars in 2024.",
    "Call the helpline on 0800 123 4567 for news of relatives.",
    "The findings rest on interviews with 15 survivors.",
    "The district is home to 2 million residents.",
])
def test_populations_ages_money_distances_and_interviews_are_not_claims(text):
    assert claims_of(text) == []


def test_an_anniversary_and_a_yearly_total_are_background():
    text = ("Gunmen killed 6 villagers in Dikwa on Monday.\n"
            "The raid came on the anniversary of the 2014 massacre in which 60 people were killed.")
    got = {c.low: c.event_scope for c in claims_of(text)}
    assert got == {6: "main", 60: "background"}


@pytest.mark.parametrize("text, want", [
    # a named group counts its members, whatever the tagger makes of the name
    ("At least 15 IS militants died when the army retook the hill.", [("killed", "militants", 15, None, "at_least")]),
    ("Troops killed 20 Boko Haram near the river.", [("killed", "militants", 20, 20, "exact")]),
    ("Eight suspected rebels were killed at the ford.", [("killed", "militants", 8, 8, "exact")]),
    ("Nine armed Islamists were killed in the hills.", [("killed", "militants", 9, 9, "exact")]),
    # the name only modifies what is counted
    ("Several FC and police checkpoints were overrun.", []),
    # a headline or brief note drops its verb's auxiliary and its articles
    ("4 soldiers killed, 2 injured.", [("killed", "military", 4, 4, "exact"), ("injured", "military", 2, 2, "exact")]),
    ("At least one villager reported dead after the raid.", [("killed", "civilians", 1, None, "at_least")]),
    ("Gunmen kill police officer at a market.", [("killed", "police", 1, 1, "exact")]),
    ("Three commanders of the rebel brigade were killed.", [("killed", "militants", 3, 3, "exact")]),
    ("Police arrested the family at dawn.", []),
])
def test_brief_notes_and_named_groups(text, want):
    assert [row(c) for c in claims_of(text)] == want


@pytest.mark.parametrize("text, scope", [
    ("Residents marched against a wave of robberies that had killed six people in the town.", "background"),
    ("Crowds recalled the 2019 siege of the hotel, which killed 21 guests.", "background"),
    ("Crowds recalled the January siege of the hotel, which killed 21 guests.", "background"),
    # the article's own month is no earlier incident
    ("The March 8 siege of the hotel, which killed 21 guests, was claimed by the group.", "main"),
    ("Gunmen stormed the hotel, which left 21 guests dead.", "main"),
    ("Crowds gathered after an earlier shooting in which 4 traders were killed.", "background"),
])
def test_a_clause_about_an_earlier_incident_is_background(text, scope):
    [c] = claims_of(text)
    assert c.event_scope == scope


@pytest.mark.parametrize("text, want", [
    ("Investigators listed 14 villagers, mostly young farmers, who were killed in the raid.",
     [("killed", "civilians", 14, 14, "exact")]),
    ("Police named 3 men who shot the guard.", []),
])
def test_a_relative_clause_after_the_group_says_what_befell_it(text, want):
    assert [row(c) for c in claims_of(text)] == want


@pytest.mark.parametrize("text, parts", [
    ("Eleven people including four children were killed in the raid.", {11: False, 4: True}),
    ("Two of the passengers died of gunshot wounds and the rest in the crash.", {2: True}),
    ("Seven soldiers were killed in the ambush.", {7: False}),
])
def test_a_part_of_a_total_is_marked_as_one(text, parts):
    assert {c.low: c.part for c in claims_of(text)} == parts


@pytest.mark.parametrize("text, want", [
    ("The nephew of a village chief was abducted and killed by bandits.", [("killed", "civilians", 1, 1, "exact")]),
    ("Four soldiers were ambushed and killed near the river.", [("killed", "military", 4, 4, "exact")]),
    ("A farmer wounded in the raid later died in hospital.", [("killed", "civilians", 1, 1, "exact")]),
    ("A gunman opened fire and killed two guards.", [("killed", "security_forces", 2, 2, "exact")]),
])
def test_what_befell_the_subject_of_two_verbs(text, want):
    assert [row(c) for c in claims_of(text)] == want
