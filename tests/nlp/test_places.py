"""Tests for sitrep.nlp.places: finding, resolving and geocoding places in news text.

Reference coordinates are GeoNames' for each town (and the extra file's for
Tump and Buleda, which GeoNames lacks); a place counts as found when its
coordinates lie within 25 km of the reference.
"""

from __future__ import annotations

import math
import random

import pytest

from sitrep.errors import DataFileError
from sitrep.nlp import gazetteer
from sitrep.nlp.places import Place, PlaceMention, document_places, find_places

QUETTA_ID = "gn:1167528"
TRUE = {
    "Quetta": (30.18414, 67.00141),
    "Nushki": (29.55218, 66.02288),
    "Mastung": (29.79966, 66.84553),
    "Dalbandin": (28.88846, 64.40616),
    "Kalat": (29.02663, 66.59361),
    "Kharan": (28.58459, 65.41501),
    "Gwadar": (25.12163, 62.32541),
    "Pasni": (25.26302, 63.46921),
    "Dadhar": (29.47489, 67.65167),
    "Tump": (26.117, 62.367),
    "Buleda": (26.13, 62.78),
    "Maiduguri": (11.84692, 13.15712),
    "Monguno": (12.67059, 13.61224),
    "Dikwa": (12.03609, 13.91815),
    "Mogadishu": (2.03711, 45.34375),
    "Beledweyne": (4.73583, 45.20361),
    "Jowhar": (2.78087, 45.50048),
    "Qalat": (32.10575, 66.90833),
}


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in km."""
    la1, lo1, la2, lo2 = map(math.radians, (*a, *b))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(h))


def by_surface(text: str, **kw) -> dict[str, PlaceMention]:
    return {m.surface: m for m in find_places(text, **kw)}


def near(m: PlaceMention, town: str, limit: float = 25.0) -> bool:
    return km((m.place.latitude, m.place.longitude), TRUE[town]) <= limit


# ---------------------------------------------------------------- whole texts

PK_TEXT = (
    "QUETTA: Over 80 soldiers and civilians were reported dead after coordinated raids across "
    "Balochistan on Saturday. Police said gunmen struck a Frontier Corps camp in Noshki and a bus "
    "terminal in Mastung before dawn. Separate assaults hit Dalbadin, Kalat and Kharan, while the "
    "coastal towns of Gwadar and Pasni came under rocket fire. In Dhadar a railway bridge was damaged. "
    "The military's media wing said fighters also attacked Levies posts in Tump and Buleda in Kech "
    "district. Inmates of the Central Jail were moved, and a Faysal Bank branch on Sariab Road in Quetta "
    "was set alight, Commander Bashir Zeb claimed, while Mohammad Hussain, a trader, said shops stayed shut."
)
PK_EXPECTED = {
    "QUETTA": "Quetta", "Quetta": "Quetta", "Noshki": "Nushki", "Mastung": "Mastung",
    "Dalbadin": "Dalbandin", "Kalat": "Kalat", "Kharan": "Kharan", "Gwadar": "Gwadar",
    "Pasni": "Pasni", "Dhadar": "Dadhar", "Tump": "Tump", "Buleda": "Buleda",
}
PK_ALSO_OK = {"Balochistan", "Kech", "Sariab Road"}  # real places, checked elsewhere

NG_TEXT = (
    "Insurgents shelled Monguno late on Tuesday and then advanced on Dikwa, residents told reporters "
    "in Maiduguri, the capital of Borno State. Police said the army repelled the attackers and "
    "Sources put the death toll at 14."
)
NG_EXPECTED = {"Monguno": "Monguno", "Dikwa": "Dikwa", "Maiduguri": "Maiduguri"}

SO_TEXT = (
    "Al-Shabaab fighters ambushed a convoy outside Beledweyne, the main town of Hiiraan, on Monday. "
    "Officials in Mogadishu said reinforcements were sent from Jowhar. Residents of Belet Weyne said "
    "markets stayed closed."
)
SO_EXPECTED = {"Beledweyne": "Beledweyne", "Belet Weyne": "Beledweyne", "Mogadishu": "Mogadishu",
               "Jowhar": "Jowhar"}


@pytest.mark.parametrize("surface,town", sorted(PK_EXPECTED.items()))
def test_pakistani_text_town_found_near_truth(surface, town):
    found = by_surface(PK_TEXT)
    assert surface in found, f"{surface} not found; got {sorted(found)}"
    assert near(found[surface], town), found[surface].place


def test_pakistani_text_has_no_false_places():
    extra = set(by_surface(PK_TEXT)) - set(PK_EXPECTED) - PK_ALSO_OK
    assert not extra, extra


@pytest.mark.parametrize("surface,town", sorted(NG_EXPECTED.items()))
def test_nigerian_text_town_found_near_truth(surface, town):
    found = by_surface(NG_TEXT)
    assert surface in found and near(found[surface], town), found.get(surface)


def test_nigerian_text_state_and_nothing_else():
    found = by_surface(NG_TEXT)
    assert found["Borno State"].place.kind == "admin1"
    assert found["Borno State"].place.id == "adm1:NG.27"
    assert set(found) == set(NG_EXPECTED) | {"Borno State"}


@pytest.mark.parametrize("surface,town", sorted(SO_EXPECTED.items()))
def test_somali_text_town_found_near_truth(surface, town):
    found = by_surface(SO_TEXT)
    assert surface in found and near(found[surface], town), found.get(surface)


def test_somali_text_region_and_nothing_else():
    found = by_surface(SO_TEXT)
    assert found["Hiiraan"].place.kind == "admin1"
    assert found["Hiiraan"].place.country == "SO"
    assert set(found) == set(SO_EXPECTED) | {"Hiiraan"}


def test_every_place_in_the_pakistani_text_is_in_balochistan():
    for m in find_places(PK_TEXT):
        assert m.place.country == "PK"
        assert m.place.admin1 == "Balochistan"


# ---------------------------------------------------------------- spelling variants

VARIANTS = [
    # (text, surface, town the surface must resolve to)
    ("Fighting spread across Balochistan. Gunmen attacked Noshki overnight.", "Noshki", "Nushki"),
    ("Rockets hit Dalbadin, a town in Chagai district of Balochistan.", "Dalbadin", "Dalbandin"),
    ("Quetta police said the train was stopped near Dhadar.", "Dhadar", "Dadhar"),
    ("In Quetta, a blast on Saryab Road hurt five people.", "Saryab Road", "Quetta"),
    ("Shops near the Saryab market in Quetta stayed shut.", "Saryab", "Quetta"),
    ("Troops in Borno State, Nigeria, retook Mungono after a night of fighting.", "Mungono", "Monguno"),
    ("Hundreds fled to Maidugiri after the raid in Borno State.", "Maidugiri", "Maiduguri"),
    ("Gunmen attacked Kalat and Mastung in Pakistan's Baluchistan province.", "Baluchistan", None),
]


@pytest.mark.parametrize("text,surface,town", VARIANTS)
def test_variant_resolves_with_context(text, surface, town):
    found = by_surface(text)
    assert surface in found, f"{surface} not found in {sorted(found)}"
    if town:
        assert near(found[surface], town), found[surface].place
    else:
        assert found[surface].place.id == "adm1:PK.02"


@pytest.mark.parametrize("text,surface,wrong_country", [
    ("Militants attacked Noshki near Maiduguri in Borno State, Nigeria.", "Noshki", "PK"),
    ("Al-Shabaab seized Dalbadin, north of Mogadishu, Somalia.", "Dalbadin", "PK"),
    ("Herders clashed with farmers in Dhadar, Borno State, Nigeria.", "Dhadar", "PK"),
    ("Police in Balochistan said Mungono was calm.", "Mungono", "NG"),
    ("Gunmen attacked Noshki overnight.", "Noshki", "PK"),  # no context at all
])
def test_variant_not_matched_outside_its_country(text, surface, wrong_country):
    m = by_surface(text).get(surface)
    assert m is None or (m.how != "fuzzy" and m.place.country != wrong_country), m


def test_fuzzy_mentions_say_so():
    found = by_surface(PK_TEXT)
    assert found["Dalbadin"].how == "fuzzy"
    assert 0.7 <= found["Dalbadin"].score < 1.0
    assert found["Mastung"].how == "exact" and found["Mastung"].score == 1.0
    assert found["Noshki"].place.name == "Nushki"


def test_alternate_names_are_marked_alternate():
    found = by_surface(SO_TEXT)
    assert found["Mogadishu"].how == "exact"
    assert found["Jowhar"].how == "alternate"  # GeoNames calls it Jawhar


# ---------------------------------------------------------------- disambiguation


@pytest.mark.parametrize("text,town,country", [
    ("Gunmen stormed a Levies post in Kalat, Balochistan, killing four.", "Kalat", "PK"),
    ("In Balochistan, gunmen attacked Kalat and Mastung.", "Kalat", "PK"),
    ("Kalat and Mastung were cut off after the attack, Quetta officials said.", "Kalat", "PK"),
    ("Taliban fighters entered Kalat, the capital of Zabul province in Afghanistan.", "Qalat", "AF"),
])
def test_kalat_follows_the_context(text, town, country):
    m = by_surface(text)["Kalat"]
    assert m.place.country == country
    assert near(m, town)


def test_country_hint_decides_a_lone_ambiguous_name():
    assert by_surface("Fighting in Kalat continued.", country_hint="AF")["Kalat"].place.country == "AF"
    assert by_surface("Fighting in Kalat continued.", country_hint="Pakistan")["Kalat"].place.country == "PK"


@pytest.mark.parametrize("text,surface,kind,country", [
    ("Violence rose in Balochistan last year.", "Balochistan", "admin1", "PK"),
    ("Violence rose in Khyber Pakhtunkhwa last year.", "Khyber Pakhtunkhwa", "admin1", "PK"),
    ("Attacks in Sindh and Punjab, Pakistan, were also reported.", "Punjab", "admin1", "PK"),
    ("Attacks in Punjab, India, were also reported.", "Punjab", "admin1", "IN"),
    ("Schools closed across Borno State.", "Borno State", "admin1", "NG"),
    ("Drought hit Hiiraan and Bakool regions of Somalia.", "Hiiraan", "admin1", "SO"),
    ("Pakistan blamed India for the attack.", "Pakistan", "country", "PK"),
    ("Pakistan blamed India for the attack.", "India", "country", "IN"),
    ("Refugees crossed from Nigeria into Cameroon.", "Cameroon", "country", "CM"),
    ("Talks between Somalia and Kenya resumed.", "Somalia", "country", "SO"),
    ("The U.S. embassy in Islamabad issued a warning.", "U.S.", "country", "US"),
])
def test_provinces_and_countries_have_their_kind(text, surface, kind, country):
    m = by_surface(text)[surface]
    assert (m.place.kind, m.place.country) == (kind, country)


def test_a_province_resolves_to_the_country_in_context_not_another():
    m = by_surface("Quetta and Gwadar are in Balochistan, and Lahore is in Punjab.")["Punjab"]
    assert m.place.id == "adm1:PK.04"


# ---------------------------------------------------------------- parts of a city


def test_named_part_of_a_city_maps_to_its_city():
    found = by_surface("Protesters blocked Sariab Road and the Eastern Bypass in Quetta.")
    for surface in ("Sariab Road", "Eastern Bypass"):
        p = found[surface].place
        assert p.kind == "part" and p.parent == QUETTA_ID and p.country == "PK"
        assert near(found[surface], "Quetta", 10)


@pytest.mark.parametrize("surface", ["Hazar Ganji", "Hazarganji", "Red Zone"])
def test_parts_of_quetta(surface):
    m = by_surface(f"Police in Quetta sealed {surface} after the blast.")[surface]
    assert m.place.parent == QUETTA_ID


def test_a_part_needs_its_city_or_province_in_the_text():
    found = by_surface("Protesters gathered in Islamabad's Red Zone outside parliament.")
    assert "Red Zone" not in found
    assert found["Islamabad"].place.admin1 == "Islamabad"


# ---------------------------------------------------------------- not places

CONTEXT = "Gunmen attacked a checkpoint in Mastung, Balochistan. "


@pytest.mark.parametrize("sentence", [
    "Over 80 soldiers were killed, officials said.",
    "Police said the attackers fled on motorcycles.",
    "The military's media wing said five soldiers died.",
    "The ISPR Media Wing issued a statement on Saturday.",
    "Inmates of the Central Jail were shifted overnight.",
    "A Faysal Bank branch was set on fire.",
    "The Frontier Corps said the post was attacked.",
    "The Army Chief visited the injured at the Combined Military Hospital.",
    "Reports from Sources in the Commander's office were denied in January.",
    "The Brigade and a Squad of the Counter Terrorism Department joined the Post.",
    "The Express Tribune and the Daily Times reported the toll.",
    "Mohammad Hussain, a shopkeeper, said he heard three blasts.",
    "Commander Bashir Zeb claimed the attack.",
    "Allah Nazar and Bashir Zeb are wanted by the authorities.",
    "Nawab Aslam Raisani criticised Jam Kamal Khan Alyani.",
    "Hassan Sheikh Mohamud, the president, vowed to respond.",
    "Justice Qazi Faez Isa heard the petition in the Supreme Court.",
    "Bugti told reporters that Marri tribesmen were involved.",
    "The Islamic State West Africa Province claimed the ambush.",
    "The Red Cross evacuated the wounded.",
    "The BLA and the TTP were named, along with the CTD and the FC.",
])
def test_words_that_are_not_places(sentence):
    found = [m.surface for m in find_places(CONTEXT + sentence) if m.start >= len(CONTEXT)]
    assert found == []


def test_ordinary_word_capitalised_at_sentence_start_is_not_a_place():
    text = "Over the weekend, police said. Over 80 people died in Quetta."
    assert [m.surface for m in find_places(text)] == ["Quetta"]


def test_lowercase_words_are_never_places():
    assert find_places("police said the media wing over the road reported it from quetta") == []


def test_all_capitals_headline_is_read():
    found = by_surface("GUNMEN KILL SIX IN QUETTA, BALOCHISTAN")
    assert found["QUETTA"].place.id == QUETTA_ID and "KILL" not in found and "SIX" not in found


# ---------------------------------------------------------------- API shape


def test_mentions_point_at_their_surface():
    for text in (PK_TEXT, NG_TEXT, SO_TEXT):
        for m in find_places(text):
            assert text[m.start:m.end] == m.surface
            assert isinstance(m.place, Place)
            assert m.how in ("exact", "alternate", "fuzzy")


def test_possessive_and_hyphen_forms():
    found = by_surface("Quetta's markets shut, and Gilgit-Baltistan saw protests.")
    assert found["Quetta"].place.id == QUETTA_ID
    assert found["Gilgit-Baltistan"].place.kind == "admin1"


def test_place_ids_and_fields():
    found = by_surface(PK_TEXT)
    q = found["Quetta"].place
    assert (q.id, q.geonameid, q.kind, q.country, q.admin1) == (QUETTA_ID, 1167528, "city", "PK", "Balochistan")
    assert q.population > 1_000_000
    tump = found["Tump"].place
    assert tump.id == "x:tump" and tump.geonameid is None and tump.admin2 == "Kech District"
    assert found["Kech"].place.kind == "admin2"


def test_document_places_one_row_per_place():
    rows = document_places(find_places(PK_TEXT))
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids))
    quetta = next(r for r in rows if r["id"] == QUETTA_ID)
    assert quetta["count"] == 2 and quetta["variants"] == ["QUETTA", "Quetta"]
    nushki = next(r for r in rows if r["name"] == "Nushki")
    assert nushki["variants"] == ["Noshki"] and nushki["kind"] == "city"
    assert set(rows[0]) >= {"id", "geonameid", "name", "latitude", "longitude", "admin1", "admin2",
                            "country", "kind", "variants", "count"}


def test_empty_and_placeless_texts():
    assert find_places("") == []
    assert find_places("   \n") == []
    assert find_places("No places are named here at all.") == []
    assert document_places([]) == []


# ---------------------------------------------------------------- gazetteer


def test_fold_keeps_offsets():
    text = "Qalāt, Kharān's “Łódź” — Dera-Ismail Khan"
    assert len(gazetteer.fold(text)) == len(text)
    assert gazetteer.name_key("  Qalāt ") == "qalat"
    assert gazetteer.name_key("Dera-Ismail  Khan") == "dera ismail khan"


def test_extra_file_rows_parse():
    rows = {r["id"]: r for r in gazetteer.read_extra()}
    assert {"x:tump", "x:buleda", "x:quetta-sariab-road", "x:quetta-red-zone"} <= set(rows)
    assert rows["x:quetta-sariab-road"]["parent"] == QUETTA_ID
    assert "Saryab Road" in rows["x:quetta-sariab-road"]["variants"].split("|")


@pytest.mark.parametrize("text,message", [
    ("id\tname\nx:nowhere\t\n", "empty name"),
    ("id\tname\tlatitude\nx:a\tA\tnorth\n", "latitude 'north' is not a number"),
    ("id\tname\tkind\nx:a\tA\tvillage\n", "kind 'village'"),
    ("# a comment\nid\tname\nx:a\tA\tB\n", "3 cells for 2 columns"),
    ("name\tkind\nA\tcity\n", "header lacks column(s) id"),
])
def test_extra_file_errors_name_the_line(text, message):
    with pytest.raises(DataFileError) as err:
        gazetteer.read_extra(text, source="extra.tsv")
    assert message in str(err.value) and "extra.tsv:" in str(err.value)


def test_gazetteer_is_world_wide_and_loaded_once():
    gz = gazetteer.load()
    assert gz is gazetteer.load()
    assert len(gz) > 200_000
    countries = {gz.countries[i] for i in range(0, len(gz), 50)}
    assert len(countries) > 150


@pytest.mark.slow
def test_build_into_a_given_path(tmp_path):
    path = tmp_path / "gz.pkl"
    gz = gazetteer.build(path)
    assert path.stat().st_size > 10_000_000
    again = gazetteer.read(path)
    assert len(again) == len(gz)
    assert by_surface("Blast in Quetta.", index=again)["Quetta"].place.id == QUETTA_ID


# ---------------------------------------------------------------- organisations and persons


def surfaces(text: str, **kw) -> list[str]:
    return [m.surface for m in find_places(text, **kw)]


@pytest.mark.parametrize("text,org,place", [
    # an organisation word later in the same capitalised run
    ("The Sindh Liberation Army claimed the blast in Hyderabad.", "Sindh", "Hyderabad"),
    ("The Somaliland National Army moved troops towards Las Anod.", None, "Las Anod"),
    ("Troops of the Kenya Defence Forces patrolled Garissa.", "Kenya", "Garissa"),
    ("The Punjab Police said it arrested six men in Multan.", "Punjab", "Multan"),
    ("The Sindh Rangers patrolled Karachi overnight.", "Sindh", "Karachi"),
    ("The Kharkiv Independent said drones hit Izium.", "Kharkiv", "Izium"),
    ("The Kandahar Province Police Headquarters was hit in a raid in Spin Boldak.", "Kandahar", "Spin Boldak"),
    # a head word right before, or "<organisation> of (the)"
    ("State-run Radio Kabul said three people died in Khost.", "Kabul", "Khost"),
    ("Fighters of the Islamic State Mozambique raided Mocímboa da Praia.", "Mozambique", "Mocímboa da Praia"),
    ("The Armed Forces of Ukraine said they held Pokrovsk.", "Ukraine", "Pokrovsk"),
    ("Students of the University of Maiduguri fled to Damaturu.", "Maiduguri", "Damaturu"),
    # a lowercase organisation word right after
    ("Members of the Sinaloa cartel were arrested in Culiacán.", "Sinaloa", "Culiacán"),
    ("A Donetsk brigade said it repelled an assault on Toretsk.", "Donetsk", "Toretsk"),
    ("The Saba news agency said jets struck Hodeidah.", "Saba", "Hodeidah"),
    ("The al-Masirah channel said a strike hit Hajjah.", "Masirah", "Hajjah"),
])
def test_place_inside_an_organisation_name_is_no_mention(text, org, place):
    found = surfaces(text)
    assert place in found
    assert org is None or org not in found


def test_lowercase_police_after_a_place_keeps_the_place():
    assert surfaces("Punjab police said they arrested six men in Multan.") == ["Punjab", "Multan"]


def test_organisation_name_still_says_which_country_the_text_is_about():
    found = by_surface("The Khyber Pakhtunkhwa Police said five officers died in Lakki Marwat.")
    assert list(found) == ["Lakki Marwat"] and found["Lakki Marwat"].place.country == "PK"


@pytest.mark.parametrize("text,org", [
    ("The Tehrik-i-Taliban Pakistan claimed the attack in Bannu.", "Tehrik-i-Taliban Pakistan"),
    ("Fighters of the Islamic Resistance in Iraq claimed a drone attack on Erbil.", "Islamic Resistance in Iraq"),
    ("The Balochistan Awami Party won seats in Quetta.", "Balochistan Awami Party"),
])
def test_exclude_spans_drop_places_inside_them(text, org):
    start = text.index(org)
    found = find_places(text, exclude_spans=[(start, start + len(org))])
    assert found and all(m.end <= start or m.start >= start + len(org) for m in found), found


def test_exclude_spans_keep_the_other_places():
    text = "Radio Dalbadin reported that gunmen struck Noshki and Kharan in Balochistan."
    assert "Noshki" in surfaces(text, exclude_spans=[(0, 14)])
    assert "Dalbadin" not in surfaces(text, exclude_spans=[(0, 14)])


@pytest.mark.parametrize("text,person_part", [
    ("A farmer named Musa Maiduguri said gunmen burned his house in Damaturu.", "Maiduguri"),
    ("A trader named Yusuf Mardan said shops in Peshawar stayed shut.", "Mardan"),
    ("Police identified the bomber as Ali Bannu, a resident of Karak.", "Bannu"),
])
def test_name_after_named_is_a_person(text, person_part):
    assert person_part not in surfaces(text)


def test_a_single_word_after_named_can_be_a_town():
    assert "Bama" in surfaces("Insurgents attacked a town named Bama in Borno State, Nigeria.")


@pytest.mark.parametrize("text,word", [
    ("The Saudi embassy in Khartoum was closed, Sudanese officials said.", "Saudi"),
    ("Mexican soldiers killed five gunmen in Culiacán, Sinaloa.", "Mexican"),
    ("Maoist rebels ambushed a patrol near Gadchiroli, Maharashtra police said.", "Maoist"),
    ("Islamist fighters attacked a village near Diffa, Niger.", "Islamist"),
    ("Nigerien troops and Chadian soldiers clashed with militants near Diffa, Niger.", "Chadian"),
])
def test_demonyms_and_adjectives_are_not_places(text, word):
    assert word not in surfaces(text)


# ---------------------------------------------------------------- admin designators


@pytest.mark.parametrize("text,surface,kind,country", [
    ("Gunmen killed three shepherds in the Kech district of Balochistan.", "Kech", "admin2", "PK"),
    ("Two soldiers were killed in Bannu and Lakki Marwat districts.", "Bannu", "admin2", "PK"),
    ("Two soldiers were killed in Bannu and Lakki Marwat districts.", "Lakki Marwat", "admin2", "PK"),
    ("Attacks in Ghazni province killed four policemen, Afghan officials said.", "Ghazni", "admin1", "AF"),
    ("Gunmen attacked a bank in Ghazni, Afghanistan, on Monday.", "Ghazni", "city", "AF"),
    ("Ukrainian drones hit a depot in the Belgorod region of Russia.", "Belgorod", "admin1", "RU"),
    ("Drones were downed over the Kyiv region, Ukraine's air force said.", "Kyiv", "admin1", "UA"),
    ("Officials in Jolo, Sulu, said the hostages were freed in the Philippines.", "Sulu", "admin2", "PH"),
    ("Houthi drones hit Marib city, Yemeni officials said.", "Marib", "city", "YE"),
])
def test_designator_word_picks_the_admin_level(text, surface, kind, country):
    m = by_surface(text)[surface]
    assert (m.place.kind, m.place.country) == (kind, country), m.place


def test_region_is_the_oblast_not_the_city_state():
    m = by_surface("Drones were downed over the Kyiv region, Ukraine's air force said.")["Kyiv"]
    assert m.place.name == "Kyivska oblast"


def test_region_named_after_its_main_town():
    m = by_surface("Shelling hit villages across the Zaporizhzhia region of Ukraine.")["Zaporizhzhia"]
    assert m.place.kind == "admin1" and m.place.admin1 == "Zaporizka oblast"


@pytest.mark.parametrize("text,surface,kind,country", [
    ("Floods displaced thousands in the Bay region of Somalia.", "Bay", "admin1", "SO"),
    ("The army sent reinforcements to the North region of Cameroon.", "North", "admin1", "CM"),
    ("Troops fought militants across the Centre region of Burkina Faso.", "Centre", "admin1", "BF"),
])
def test_common_word_before_a_designator_is_the_admin_unit(text, surface, kind, country):
    m = by_surface(text)[surface]
    assert (m.place.kind, m.place.country) == (kind, country)


@pytest.mark.parametrize("text", [
    "Rain fell on the Bay before dawn.",
    "The North and the Centre of the country stayed calm.",
])
def test_common_word_without_a_designator_stays_a_word(text):
    assert surfaces(text, country_hint="SO") == []


def test_town_comma_admin_and_lists_of_towns():
    found = by_surface("Officials in Jolo, Sulu, said the hostages were freed in the Philippines.")
    assert found["Jolo"].place.kind == "city" and found["Sulu"].place.kind == "admin2"
    listed = find_places("Troops were deployed to Quetta, Pasni, Gwadar and Turbat after the attacks.")
    assert [(m.surface, m.place.kind) for m in listed] == [
        ("Quetta", "city"), ("Pasni", "city"), ("Gwadar", "city"), ("Turbat", "city")]


def test_admin1_named_in_the_text_decides_between_same_named_towns():
    m = by_surface("Police in Bijapur, Chhattisgarh, recovered two bodies from the forest.")["Bijapur"]
    assert m.place.admin1 == "Chhattīsgarh" and m.place.country == "IN"


@pytest.mark.parametrize("text,surface,country", [
    ("An Israeli raid on Tubas killed two men, Palestinian officials said.", "Tubas", "PS"),
    ("Israeli troops raided Tulkarm and the Nur Shams camp in the West Bank.", "Tulkarm", "PS"),
    ("Two men died in Saada after an airstrike, Yemeni officials said.", "Saada", "YE"),
])
def test_bare_admin_name_resolves_to_its_seat_town(text, surface, country):
    m = by_surface(text)[surface]
    assert (m.place.kind, m.place.country) == ("city", country), m.place


@pytest.mark.parametrize("province", ["Laghman", "Samangan"])
def test_bare_province_name_stays_the_province_when_its_main_town_has_another_name(province):
    m = by_surface(f"Fighting spread across {province}, Afghan officials said.")[province]
    assert m.place.kind == "admin1", m.place


# ---------------------------------------------------------------- spellings


@pytest.mark.parametrize("text,surface,name,country", [
    ("Houthi fighters shelled Ma'rib overnight, Yemeni officials said.", "Ma'rib", "Ma'rib", "YE"),
    ("Houthi fighters shelled Marib overnight, Yemeni officials said.", "Marib", "Ma'rib", "YE"),
    ("Clashes were reported in Debre Markos, Ethiopia.", "Debre Markos", "Debre Mark’os", "ET"),
    ("Militants attacked a checkpoint near D.I. Khan on Sunday.", "D.I. Khan", "Dera Ismail Khan", "PK"),
    ("Islamic State fighters attacked a checkpoint near Deir ez-Zor, Syria.", "Deir ez-Zor", "Deir ez-Zor", "SY"),
    ("Forty families fled Tal Abyad after Turkish shelling in Syria.", "Tal Abyad", "Tall Abyaḑ", "SY"),
    ("Gangs burned houses in Port-au-Prince, Haiti.", "Port-au-Prince", "Port-au-Prince", "HT"),
    ("Gunmen attacked a market in Beled Weyne, Somalia.", "Beled Weyne", "Beledweyne", "SO"),
    ("A curfew was imposed in Pétion-Ville, Haiti.", "Pétion-Ville", "Pétionville", "HT"),
])
def test_punctuation_article_and_spacing_variants(text, surface, name, country):
    m = by_surface(text)[surface]
    assert (m.place.name, m.place.country) == (name, country), m.place


@pytest.mark.parametrize("text,surface,name", [
    ("Shells hit a hospital in el-Fasher, Sudan.", "Fasher", "El Fasher"),
    ("Police raided homes in Ramadi and Hawija, Iraq.", "Hawija", "Al Ḩawījah"),
])
def test_arabic_article_and_spelling_variants(text, surface, name):
    found = by_surface(text)
    assert found[surface].place.name == name


# ---------------------------------------------------------------- outside the context


def test_small_foreign_town_needs_a_locative():
    assert "Fano" not in surfaces("Fano fighters attacked Debre Tabor and Woldia.", country_hint="ET")
    found = by_surface("Hezbollah fired rockets at Metula and Safed.", country_hint="LB")
    assert found["Safed"].place.country == "IL"


def test_foreign_town_by_a_multiword_alternate_after_a_locative():
    m = by_surface("Rockets hit a base near Kiryat Shmona, the group said.", country_hint="LB")["Kiryat Shmona"]
    assert m.place.country == "IL"


def test_half_of_a_hyphenated_name_is_no_foreign_province():
    assert "Mayo" not in surfaces("Refugees fled the Mayo-Danay department of Cameroon after the floods.")


def test_title_case_headline_has_no_spelling_guesses():
    found = surfaces("Six Killed As Gunmen Storm Levies Post In Kalat", country_hint="PK")
    assert found == ["Kalat"]


# ---------------------------------------------------------------- extra places


@pytest.mark.parametrize("text,surface,country,lat,lon", [
    ("Jihadists attacked Barsalogho, Burkina Faso, at dawn.", "Barsalogho", "BF", 13.42, -1.06),
    ("The attack on Kolofata in Cameroon was the third this month.", "Kolofata", "CM", 11.17, 14.01),
    ("JNIM fighters besieged Léré, a town north of Niafunké in Mali.", "Léré", "ML", 15.72, -4.92),
    ("Congolese troops retook Kamanyola, in South Kivu near the Rwandan border.", "Kamanyola", "CD", -2.76, 29.0),
    ("Insurgents burned houses in Quissanga, Cabo Delgado.", "Quissanga", "MZ", -12.42, 40.49),
    ("Gangs attacked Pont-Sondé in Haiti's Artibonite.", "Pont-Sondé", "HT", 19.15, -72.61),
    ("Troops clashed with the TNLA around Namhsan in Myanmar's Shan State.", "Namhsan", "MM", 22.96, 97.16),
])
def test_towns_added_by_hand(text, surface, country, lat, lon):
    m = by_surface(text)[surface]
    assert m.place.country == country
    assert km((m.place.latitude, m.place.longitude), (lat, lon)) <= 25


@pytest.mark.parametrize("text,surface,name", [
    ("The Oromo Liberation Army attacked buses in West Shewa zone, Ethiopia.", "West Shewa", "West Shewa Zone"),
    ("Boko Haram raided villages in the Mayo-Tsanaga department of Cameroon.", "Mayo-Tsanaga", "Mayo-Tsanaga"),
])
def test_admin_units_added_by_hand(text, surface, name):
    m = by_surface(text)[surface]
    assert (m.place.name, m.place.kind) == (name, "admin2")


# ---------------------------------------------------------------- speed

TOWNS = ["Quetta", "Mastung", "Kalat", "Turbat", "Maiduguri", "Monguno", "Mogadishu", "Jowhar",
         "Peshawar", "Bannu", "Kano", "Kismayo", "Noshki", "Dalbadin"]
NAMES = ["Ahmed Khan", "Bashir Zeb", "Amina Yusuf", "Hassan Ali", "John Smith", "Fatima Bibi"]
FRAMES = [
    "Gunmen killed {n} people in {t} on {d}, police said.",
    "{p}, a local official in {t}, said {n} soldiers were wounded.",
    "Over {n} militants attacked a checkpoint near {t} and {u}, the military's media wing said.",
    "Residents of {t} told Reuters that the Frontier Corps had sealed the main road.",
]


def test_thousands_of_varied_sentences_give_verbatim_places():
    # Speed is measured by `make bench`; here many unique sentences must give places that are in them.
    gazetteer.load()
    rnd = random.Random(7)
    sentences = [rnd.choice(FRAMES).format(
        n=rnd.randint(2, 90), t=rnd.choice(TOWNS), u=rnd.choice(TOWNS), p=rnd.choice(NAMES),
        d=rnd.choice(["Monday", "Friday", "Saturday"])) + f" Case {i}." for i in range(2000)]
    found = 0
    for s in sentences:
        for m in find_places(s):
            assert s[m.start:m.end] == m.surface and m.surface in TOWNS, (s, m.surface)
            found += 1
    assert found > len(sentences)


def test_a_town_named_exactly_beats_a_bigger_town_with_that_alternate_name():
    # India's Tonk lists "Tank" among its alternate names; Pakistan's Tank is called exactly that.
    got = [(m.surface, m.place.name, m.place.country)
           for m in find_places("Shops in Tank city stayed shut. Families fled to Dera Ismail Khan.")]
    assert ("Tank", "Tank", "PK") in got


def test_a_named_part_of_a_town_stands_for_its_town_and_a_town_for_itself():
    from sitrep.nlp import gazetteer

    gz = gazetteer.load()
    part = gz.place(gz.index_of("x:quetta-sariab-road"))
    assert part.kind == "part" and gazetteer.town_of(part).name == "Quetta"
    town = gazetteer.town_of(part)
    assert gazetteer.town_of(town) is town


# ---------------------------------------------------------------- places no gazetteer knows

def _unlisted(text: str, country_hint: str | None = None) -> dict[str, PlaceMention]:
    return {m.surface: m for m in find_places(text, country_hint=country_hint) if m.how == "unlisted"}


def _km(a, b) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (*a, *b))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 6371 * 2 * math.asin(math.sqrt(h))


@pytest.mark.parametrize("text,name,kind,holder,precision", [
    ("Gunmen burned the village of Kantoroba in the Mopti region on Friday.", "Kantoroba", "city", "adm1:", 3),
    ("Raiders attacked Kantoroba village near the town of Gao.", "Kantoroba", "city", "gn:", 2),
    ("Soldiers overran the Wardhiigley base, 30 kilometres (19 miles) from Mogadishu.", "Wardhiigley", "city",
     "gn:", 2),
    ("Herders clashed in the Kantoroba area of Mopti region.", "Kantoroba", "admin2", "adm1:", 3),
    ("Kantoroba, a farming village 25 km from Gao, was shelled overnight.", "Kantoroba", "city", "gn:", 2),
    ("Police shot two men in Kabiruini, Nairobi, late on Friday.", "Kabiruini", "city", "gn:", 2),
    ("Police shot two men in Kabiruini in Nairobi late on Friday.", "Kabiruini", "city", "gn:", 2),
    ("A convoy was ambushed near Warmahan, south of Mogadishu.", "Warmahan", "city", "gn:", 2),
])
def test_a_name_held_by_a_cue_is_an_unlisted_place_at_its_holder(text, name, kind, holder, precision):
    found = _unlisted(text)
    assert list(found) == [name]
    p = found[name].place
    assert (p.kind, p.precision, p.geonameid) == (kind, precision, None)
    assert p.parent.startswith(holder) and p.name == name and p.id.startswith("u:")


def test_an_unlisted_place_takes_the_coordinates_of_the_town_that_holds_it():
    p = _unlisted("Gunmen stormed the village of Kantoroba, 40 km from the town of Gao.")["Kantoroba"].place
    gao = next(m.place for m in find_places("Gunmen stormed Gao.") if m.surface == "Gao")
    assert _km((p.latitude, p.longitude), (gao.latitude, gao.longitude)) < 1 and p.country == "ML"


def test_a_chain_of_unlisted_places_ends_at_a_known_one():
    found = _unlisted("Fighters struck a base in the vicinity of Ceelgaab, near Warmahan, south of Mogadishu.")
    assert set(found) == {"Ceelgaab", "Warmahan"}
    assert found["Ceelgaab"].place.parent == found["Warmahan"].place.parent


def test_a_village_in_an_unlisted_area_is_placed_in_the_district_the_text_names():
    text = "Militants fired on a bus near Dhorali village in Sunkot area of Reasi district."
    found = _unlisted(text)
    assert {n: m.place.kind for n, m in found.items()} == {"Dhorali": "city", "Sunkot": "admin2"}
    assert all(m.place.admin2 and m.place.precision == 2 for m in found.values())


def test_without_a_place_in_the_phrase_the_text_s_context_holds_it():
    found = _unlisted("Boko Haram raided Gawuri village, killing two. Nigeria's army said it pursued them.")
    assert found["Gawuri"].place.country == "NG" and found["Gawuri"].place.precision == 3


def test_a_plural_designator_holds_every_name_of_its_list():
    found = _unlisted("Gunmen attacked Ukpabi, Mbakor and Tse-Ayu villages in Benue state.")
    assert {"Ukpabi", "Mbakor"} <= set(found)


def test_later_mentions_of_a_cued_name_count_too():
    text = "Militants attacked the Qoryoley-Bari base in Somalia. The fighting in Bariire lasted hours. " \
           "Troops later retook Bariire base."
    found = [m.surface for m in find_places(text) if m.how == "unlisted"]
    assert found.count("Bariire") == 2


@pytest.mark.parametrize("text", [
    "Fighters attacked a convoy near Hassan on Sunday.",                     # "near" alone is no cue
    "Somali soldiers retook the base. The Somali base was shelled in Somalia.",  # a demonym
    "Fulani herders attacked farmers in Benue. The Fulani camp was empty.",   # a people
    "The Kenyan Defence Forces said the Wagner camp in Mali was struck.",    # organisations and groups
    "Speaking in Swahili, the president said troops were deployed in Kenya.",
    "Residents said the Monday market in Mali was closed.",                  # a weekday
    "The minister met Mr Kantoroba in Bamako. He toured the camp.",          # a person, no cue
])
def test_capitalised_words_without_a_cue_stay_unplaced(text):
    from sitrep.nlp import recognise

    assert [m.surface for m in recognise(text)[0] if m.how == "unlisted"] == []


def test_unlisted_places_keep_their_precision_in_document_rows():
    rows = document_places(find_places("Gunmen burned the village of Kantoroba in the Mopti region."))
    row = next(r for r in rows if r["name"] == "Kantoroba")
    assert row["precision"] == 3 and row["kind"] == "city"


def test_a_named_district_of_a_city_is_held_by_the_city():
    found = find_places("Shelling hit the Garsalla district of Benghazi overnight.")
    held = next(m for m in found if m.how == "unlisted")
    city = next(m for m in found if m.surface == "Benghazi")
    assert held.surface == "Garsalla" and city.place.kind == "city" and held.place.parent == city.place.id


def test_a_spelling_guess_in_another_province_gives_way_to_the_phrase_that_places_the_name():
    found = _unlisted("Militants fired on a bus near Dhorali village in Sunkot area of Reasi district.")
    assert set(found) == {"Dhorali", "Sunkot"}
    assert found["Dhorali"].place.admin2 == "Sunkot"


def test_a_region_named_before_town_of_is_no_unlisted_place():
    assert _unlisted("A policeman in the Northern Sinai town of Arish was shot dead.") == {}


def test_a_capitalised_area_designator_ends_the_name_it_holds():
    found = _unlisted("Rebels attacked troops in Dobane in Kulema District, killing four.", country_hint="ET")
    assert {n: m.place.kind for n, m in found.items()} == {"Dobane": "city", "Kulema": "admin2"}
    assert _unlisted("The Area Council met in Bamako.") == {}


def test_a_named_quarter_of_a_town_is_a_part_of_that_town():
    found = _unlisted("Gunmen opened fire in the Bulabulin Ngarnam quarter of Maiduguri on Sunday.")
    quarter = found["Bulabulin Ngarnam"].place
    town = next(m.place for m in find_places("Gunmen opened fire in Maiduguri.") if m.surface == "Maiduguri")
    assert quarter.kind == "part" and quarter.parent == town.id
    assert document_places([found["Bulabulin Ngarnam"]])[0]["precision"] == 1
    assert gazetteer.town_of(quarter) == town

