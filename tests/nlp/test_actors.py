"""Tests for sitrep.nlp.actors: who is named, who speaks, and words that only look like either."""

from __future__ import annotations

import json
import random

import pytest

from sitrep import data
from sitrep.errors import DataFileError
from sitrep.nlp.actors import (
    CLAIMANT_TYPES, Lexicon, actor_by_id, candidate_organisations, find_actors, find_claimants, lexicon,
)


def actors(text: str, country: str | None = None) -> list[tuple]:
    return [(m.surface, m.actor_id, m.inter, m.unit) for m in find_actors(text, country=country)]


def claimants(text: str, country: str | None = None) -> list[tuple]:
    return [(c.claimant, c.claimant_type) for c in find_claimants(text, country=country)]


# (sentence, document country, [(surface, actor_id, inter, unit), ...])
ACTORS = [
    # Pakistan: Baloch groups and their units
    ("Fighters of the BLA's Majeed Brigade stormed the compound.", "PK",
     [("BLA", "bla", 2, None), ("Majeed Brigade", "bla", 2, "Majeed Brigade")]),
    ("The Fatah Squad and STOS units were deployed, the statement added.", "PK",
     [("Fatah Squad", "bla", 2, "Fateh Squad"), ("STOS", "bla", 2, "STOS")]),
    ("A ZIRAB bulletin listed the targets.", "PK", [("ZIRAB", "bla", 2, "ZIRAB")]),
    ("The Special Tactical Operations Squad led the assault.", None,
     [("Special Tactical Operations Squad", "bla", 2, "STOS")]),
    ("The Balochistan Liberation Front and BRAS issued a joint claim.", "PK",
     [("Balochistan Liberation Front", "blf", 2, None), ("BRAS", "bras", 2, None)]),
    ("The Baloch Liberation Army (BLA) denied involvement.", "PK",
     [("Baloch Liberation Army (BLA)", "bla", 2, None)]),
    # Pakistan: Islamist groups
    ("Hafiz Gul Bahadur group fighters ambushed a convoy in North Waziristan.", "PK",
     [("Hafiz Gul Bahadur group", "hgb", 2, None)]),
    ("Lashkar-e-Jhangvi has targeted Hazara pilgrims before.", "PK", [("Lashkar-e-Jhangvi", "lej", 3, None)]),
    ("Tehrik-i-Taliban Pakistan commanders met in Kunar.", "AF", [("Tehrik-i-Taliban Pakistan", "ttp", 2, None)]),
    ("Officials blamed Fitna al-Khawarij for the blast.", "PK", [("Fitna al-Khawarij", "ttp", 2, None)]),
    ("The Taliban attacked a checkpoint in Bannu.", "PK", [("Taliban", "ttp", 2, None)]),
    ("The Taliban closed the Torkham crossing.", "AF", [("Taliban", "taliban", 1, None)]),
    ("The Pakistani Taliban denied the report.", "AF", [("Pakistani Taliban", "ttp", 2, None)]),
    # Islamic State and its provinces: a bare "Islamic State" takes the document's province
    ("ISKP claimed the bombing of the bus.", "AF", [("ISKP", "iskp", 2, None)]),
    ("IS-K cells remain active near the border.", None, [("IS-K", "iskp", 2, None)]),
    ("Islamic State fighters attacked a checkpoint near Jalalabad.", "AF", [("Islamic State", "iskp", 2, None)]),
    ("Islamic State fighters attacked a convoy.", None, [("Islamic State", "is", 2, None)]),
    ("Islamic State fighters attacked a convoy near Palmyra.", "SY", [("Islamic State", "is", 2, None)]),
    ("Islamic State gunmen raided the village.", "NG", [("Islamic State", "iswap", 2, None)]),
    ("Islamic State fighters ambushed the patrol near Menaka.", "ML", [("Islamic State", "issp", 2, None)]),
    ("ISIS militants torched the church.", "CD", [("ISIS", "adf", 2, None)]),
    # Lake Chad and the Sahel
    ("Boko Haram and ISWAP fighters fought each other near the lake.", "NG",
     [("Boko Haram", "jas", 2, None), ("ISWAP", "iswap", 2, None)]),
    ("CJTF volunteers guarded the camp.", "NG", [("CJTF", "cjtf", 3, None)]),
    ("JNIM and IS Sahel fighters clashed near the border.", "ML",
     [("JNIM", "jnim", 2, None), ("IS Sahel", "issp", 2, None)]),
    ("The ISGS was active near Tillaberi.", "NE", [("ISGS", "issp", 2, None)]),
    ("Katiba Macina fighters besieged the town.", "ML", [("Katiba Macina", "jnim", 2, "Katiba Macina")]),
    ("Wagner mercenaries and the Africa Corps escorted the convoy.", "ML",
     [("Wagner mercenaries", "wagner", 8, None), ("Africa Corps", "africa_corps", 8, None)]),
    ("VDP auxiliaries were killed in the raid.", "BF", [("VDP", "vdp", 3, None)]),
    # Somalia
    ("Al-Shabaab's Amniyat wing planned the hotel siege.", "SO",
     [("Al-Shabaab", "al_shabaab", 2, None), ("Amniyat", "al_shabaab", 2, "Amniyat")]),
    # "<named force> troops": the name, then a generic mention of the same force's troops
    ("AUSSOM troops and the SNA retook the town.", "SO",
     [("AUSSOM", "aussom", 8, None), ("troops", "aussom", 8, None), ("SNA", "so_sna", 1, None)]),
    ("Danab commandos raided the hideout.", "SO", [("Danab", "so_sna", 1, "Danab")]),
    ("NISA agents arrested two suspects.", "SO", [("NISA", "so_nisa", 1, None)]),
    # Great Lakes
    ("ADF rebels, who also call themselves ISCAP, killed villagers in Beni.", "CD",
     [("ADF", "adf", 2, None), ("ISCAP", "adf", 2, None)]),
    ("FARDC soldiers retreated as M23 advanced.", "CD",
     [("FARDC", "cd_fardc", 1, None), ("soldiers", "cd_fardc", 1, None), ("M23", "m23", 2, None)]),
    # Middle East
    # ACLED codes Houthi forces as "Military Forces of Yemen (2017-) Houthi": state forces
    ("Ansar Allah launched drones at a tanker.", "YE", [("Ansar Allah", "houthis", 1, None)]),
    ("The Izz ad-Din al-Qassam Brigades fired rockets at IDF positions.", "PS",
     [("Izz ad-Din al-Qassam Brigades", "hamas", 3, "Qassam Brigades"), ("IDF", "idf", 1, None)]),
    ("Hezbollah's Radwan Force pulled back from the border.", "LB",
     [("Hezbollah", "hezbollah", 3, None), ("Radwan Force", "hezbollah", 3, "Radwan Force")]),
    ("PKK militants attacked an outpost in Hakkari.", "TR", [("PKK", "pkk", 2, None)]),
    ("HTS fighters entered the city as the SDF withdrew.", "SY", [("HTS", "hts", 2, None), ("SDF", "sdf", 2, None)]),
    ("Kataib Hezbollah denied firing at the base.", "IQ", [("Kataib Hezbollah", "kataib_hezbollah", 3, None)]),
    # Colombia and India
    ("The ELN bombed a pipeline in Arauca.", "CO", [("ELN", "eln", 2, None)]),
    ("Segunda Marquetalia commanders met the FARC dissidents.", "CO",
     [("Segunda Marquetalia", "farc_dissidents", 2, "Segunda Marquetalia"), ("FARC dissidents", "farc_dissidents", 2, None)]),
    ("CRPF and DRG personnel killed Maoists in Bijapur.", "IN",
     [("CRPF", "in_crpf", 1, None), ("DRG", "in_police", 1, "District Reserve Guard"), ("Maoists", "cpi_maoist", 2, None)]),
    # Pakistani state forces
    ("Frontier Corps and Levies personnel cordoned off the area.", "PK",
     [("Frontier Corps", "pk_fc", 1, None), ("Levies personnel", "pk_levies", 1, None)]),
    ("CTD officials arrested three suspects.", "PK", [("CTD", "pk_ctd", 1, None)]),
    ("Sindh Rangers patrolled the streets.", "PK", [("Sindh Rangers", "pk_rangers", 1, None)]),
    ("The ISI was briefed on the attack.", "PK", [("ISI", "pk_isi", 1, None)]),
    ("Nigerian Air Force jets and DSS operatives were involved.", "NG",
     [("Nigerian Air Force", "ng_naf", 1, None), ("DSS", "ng_dss", 1, None)]),
]


@pytest.mark.parametrize("text, country, expected", ACTORS)
def test_finds_groups_units_and_forces(text, country, expected):
    assert actors(text, country) == expected


# Groups, forces and units added for wider coverage: (sentence, country, [(surface, actor_id, inter, unit), ...])
MORE_ACTORS = [
    ("Fighters of the National Resistance Front ambushed a Taliban convoy in Andarab.", "AF",
     [("National Resistance Front", "nrf", 2, None), ("Taliban", "taliban", 1, None)]),
    ("The Afghanistan Freedom Front said it hit an outpost in Parwan.", "AF", [("Afghanistan Freedom Front", "aff", 2, None)]),
    ("Rashtriya Rifles troops cordoned off an orchard in Pulwama.", "IN",
     [("Rashtriya Rifles", "in_army", 1, "Rashtriya Rifles"), ("troops", "in_army", 1, "Rashtriya Rifles")]),
    ("The Chinar Corps said two infiltrators were stopped near Uri.", "IN", [("Chinar Corps", "in_army", 1, "Chinar Corps")]),
    # corps named by pattern, by nickname or number
    ("The Rising Star Corps and 9 Corps held a joint drill.", "IN",
     [("Rising Star Corps", "in_army", 1, "Rising Star Corps"), ("9 Corps", "in_army", 1, "9 Corps")]),
    ("Indian officials said Pakistan's Frontier Corps was on alert.", "IN", [("Frontier Corps", "pk_fc", 1, None)]),
    ("A member of the North Bastar Divisional Committee surrendered in Kanker.", "IN",
     [("North Bastar Divisional Committee", "cpi_maoist", 2, "North Bastar Divisional Committee")]),
    ("The Maoists' Andhra-Odisha Border Special Zonal Committee called a bandh.", "IN",
     [("Maoists", "cpi_maoist", 2, None),
      ("Andhra-Odisha Border Special Zonal Committee", "cpi_maoist", 2, "Andhra-Odisha Border Special Zonal Committee")]),
    ("Les Volontaires pour la défense de la patrie ont repoussé l'attaque.", "BF",
     [("Volontaires pour la défense de la patrie", "vdp", 3, None)]),
    ("US Africa Command said the strike hit al-Shabaab operatives.", "SO",
     [("US Africa Command", "us_africom", 8, None), ("al-Shabaab", "al_shabaab", 2, None)]),
    ("AFRICOM confirmed a second strike near Jilib.", "SO", [("AFRICOM", "us_africom", 8, None)]),
    ("General Service Unit officers and police reservists chased the raiders.", "KE",
     [("General Service Unit", "ke_nps", 1, "General Service Unit"), ("police reservists", "ke_nps", 1, "National Police Reserve")]),
    ("Fano fighters clashed with federal forces near Gondar.", "ET", [("Fano fighters", "fano", 2, None)]),
    ("The OLA denied abducting the traders.", "ET", [("OLA", "ola", 2, None)]),
    ("Tigray Defence Forces commanders met in Mekelle.", "ET", [("Tigray Defence Forces", "tdf", 2, None)]),
    ("SPLM-N fighters shelled Dilling overnight.", "SD", [("SPLM-N", "splm_n", 2, None)]),
    ("RDF troops escorted the convoy to Palma.", "MZ", [("RDF", "rw_rdf", 1, None), ("troops", "rw_rdf", 1, None)]),
    ("Rwanda Defence Force soldiers patrolled Mueda.", "MZ",
     [("Rwanda Defence Force", "rw_rdf", 1, None), ("soldiers", "rw_rdf", 1, None)]),
    ("Ahlu Sunnah Wa-Jama insurgents raided a village near Muidumbe.", "MZ",
     [("Ahlu Sunnah Wa-Jama", "is_mozambique", 2, None)]),
    ("ASWJ fighters were seen near Ancuabe.", "MZ", [("ASWJ", "is_mozambique", 2, None)]),
    ("The Ambazonia Defence Forces claimed the ambush near Kumbo.", "CM", [("Ambazonia Defence Forces", "ambazonia_df", 2, None)]),
    # one acronym, two groups: the document's country decides
    ("ADF fighters torched a school.", "CM", [("ADF", "ambazonia_df", 2, None)]),
    ("ADF fighters torched a school.", "CD", [("ADF", "adf", 2, None)]),
    ("The Rapid Intervention Battalion repelled a raid near Fotokol.", "CM", [("Rapid Intervention Battalion", "cm_bir", 1, None)]),
    ("BIR troops arrested four suspects in Mora.", "CM", [("BIR", "cm_bir", 1, None), ("troops", "cm_bir", 1, None)]),
    ("The KIA and PDF units overran a junta outpost near Waingmaw.", "MM",
     [("KIA", "kia", 2, None), ("PDF", "pdf_myanmar", 2, None)]),
    ("Light Infantry Division 77 and LIB 345 burned houses in Sagaing.", "MM",
     [("Light Infantry Division 77", "mm_military", 1, "Light Infantry Division 77"), ("LIB 345", "mm_military", 1, "LIB 345")]),
    ("The 4th Infantry Division said NPA rebels ambushed a patrol in Bukidnon.", "PH",
     [("4th Infantry Division", "ph_afp", 1, "4th Infantry Division"), ("NPA", "npa", 2, None)]),
    ("Joint Task Force Sulu said an Abu Sayyaf sub-leader had yielded in Indanan.", "PH",
     [("Joint Task Force Sulu", "ph_afp", 1, "Joint Task Force Sulu"), ("Abu Sayyaf", "abu_sayyaf", 2, None)]),
    ("CJNG gunmen fought the Sinaloa Cartel's Chapitos near Mazatlan.", "MX",
     [("CJNG", "cjng", 3, None), ("Sinaloa Cartel", "sinaloa_cartel", 3, None), ("Chapitos", "sinaloa_cartel", 3, "Los Chapitos")]),
    ("The National Guard detained six suspects.", "MX", [("National Guard", "mx_guard", 1, None)]),
    ("The National Guard detained six suspects.", "UA", [("National Guard", "ua_ngu", 1, None)]),
    ("Viv Ansanm and Gran Grif gangs attacked police in Saint-Marc.", "HT",
     [("Viv Ansanm", "viv_ansanm", 3, None), ("Gran Grif", "gran_grif", 3, None), ("police", "ht_pnh", 1, None)]),
    ("The Haitian National Police and the Gang Suppression Force reopened the road.", "HT",
     [("Haitian National Police", "ht_pnh", 1, None), ("Gang Suppression Force", "gsf_haiti", 8, None)]),
    ("The SBU said its drones struck an airfield, and the HUR agreed.", "UA",
     [("SBU", "ua_sbu", 1, None), ("HUR", "ua_hur", 1, None)]),
    ("The 47th Mechanized Brigade and the Azov Brigade held the line.", "UA",
     [("47th Mechanized Brigade", "ua_forces", 1, "47th Mechanized Brigade"), ("Azov Brigade", "ua_ngu", 1, "Azov Brigade")]),
    ("Islamic Resistance in Iraq fighters claimed a drone launch.", "IQ",
     [("Islamic Resistance in Iraq", "islamic_resistance_iraq", 3, None)]),
    ("Popular Mobilisation Forces fighters held the road.", "IQ", [("Popular Mobilisation Forces", "pmf", 1, None)]),
    ("UNIFIL said the Lebanese army had deployed south of the Litani.", "LB",
     [("UNIFIL", "unifil", 8, None), ("Lebanese army", "lb_laf", 1, None)]),
    ("Houthi forces fired a missile at a ship in the Red Sea.", "YE", [("Houthi forces", "houthis", 1, None)]),
]


@pytest.mark.parametrize("text, country, expected", MORE_ACTORS)
def test_finds_added_groups_forces_and_unit_patterns(text, country, expected):
    assert actors(text, country) == expected


# Common nouns are generic mentions; bare force words name the force unless they modify a noun.
# (sentence, country, [(surface, generic), ...])
GENERIC = [
    ("Soldiers and policemen guarded the ballot boxes.", "NG", [("Soldiers", True), ("policemen", True)]),
    ("The army said its troops had secured the highway.", "PK", [("army", False), ("troops", True)]),
    ("Police said the police station was hit twice.", "IN", [("Police", False), ("police", True)]),
    ("Security forces and government forces fought the militia.", "SY", [("Security forces", True), ("government forces", True)]),
    ("Malian soldiers and Rwandan forces were deployed.", "ML", [("Malian soldiers", True), ("Rwandan forces", True)]),
    ("The paramilitary and the gendarmerie were put on alert.", "BF", [("paramilitary", True), ("gendarmerie", True)]),
    ("Gunmen attacked a gendarmerie post, the Gendarmerie said.", "NE", [("gendarmerie", True), ("Gendarmerie", False)]),
    ("An army patrol and a military convoy were ambushed.", "NE", [("army", True), ("military", True)]),
    ("Army recruits were queuing at the gate.", "SO", [("Army", True)]),
    ("The military's statement was brief.", "ET", [("military", False)]),
    ("The air force bombed the hills, and warplanes returned at night.", "SD", [("air force", False), ("warplanes", True)]),
    ("Two police officers and a soldier were hurt, the military said.", "KE",
     [("police officers", True), ("soldier", True), ("military", False)]),
    ("The Israeli army said Israeli troops had withdrawn.", "LB", [("Israeli army", False), ("Israeli troops", True)]),
    ("Taliban soldiers seized the crossing.", "AF", [("Taliban", False), ("soldiers", True)]),
    ("RSF troops looted the market.", "SD", [("RSF", False), ("troops", True)]),
    ("Frontier Corps soldiers were unhurt.", "PK", [("Frontier Corps", False), ("soldiers", True)]),
]


@pytest.mark.parametrize("text, country, expected", GENERIC)
def test_generic_flag_marks_common_nouns(text, country, expected):
    assert [(m.surface, m.generic) for m in find_actors(text, country=country)] == expected


def test_troops_of_a_named_force_belong_to_it():
    got = find_actors("Taliban soldiers crossed the river.", country="AF")
    assert [(m.surface, m.actor_id, m.generic, m.category) for m in got] == [
        ("Taliban", "taliban", False, "military"), ("soldiers", "taliban", True, "military")]
    got = find_actors("RSF troops and army soldiers were seen.", country="SD")
    assert [(m.surface, m.actor_id, m.generic, m.category) for m in got] == [
        ("RSF", "rsf", False, "militants"), ("troops", "rsf", True, "militants"),
        ("army", "sd_saf", False, "military"), ("soldiers", "sd_saf", True, "military")]
    # for claimant cues the name and its troops stay one span
    assert claimants("IDF troops said two rockets were fired.", "IL") == [("IDF", "military")]


# Words that only mean a force in context: (sentence, country, (surface, actor_id, mention country, name, inter))
RESOLVED = [
    ("Police said the attackers fled.", "PK", ("Police", "pk_police", "PK", "Police Forces of Pakistan", 1)),
    ("Police said the attackers fled.", "NG", ("Police", "ng_police", "NG", "Nigeria Police Force", 1)),
    ("Police said the attackers fled.", None, ("Police", "police", None, "Police Forces", 1)),
    ("Police said the attackers fled.", "KE", ("Police", "police", "KE", "Police Forces of Kenya", 1)),
    ("The army sealed the road.", "PK", ("army", "pk_army", "PK", "Pakistan Army", 1)),
    ("The army sealed the road.", "SO", ("army", "so_sna", "SO", "Somali National Army", 1)),
    ("The army sealed the road.", None, ("army", "military", None, "Military Forces", 1)),
    ("FC personnel were unhurt.", "PK", ("FC", "pk_fc", "PK", "Frontier Corps", 1)),
    ("FC personnel were unhurt.", None, ("FC", "pk_fc", "PK", "Frontier Corps", 1)),
    ("CTD raided a house.", None, ("CTD", "pk_ctd", "PK", "Counter-Terrorism Department", 1)),
    ("SNA units advanced.", "SO", ("SNA", "so_sna", "SO", "Somali National Army", 1)),
    ("SNA units advanced.", "SY", ("SNA", "syrian_national_army", "SY", "Syrian National Army", 2)),
    ("Security forces cordoned off the area.", "PK", ("Security forces", "state_forces", "PK", "Security Forces of Pakistan", 1)),
    ("Security forces cordoned off the area.", None, ("Security forces", "state_forces", None, "Security Forces", 1)),
    ("Troops repelled the attack.", "NG", ("Troops", "military", "NG", "Military Forces of Nigeria", 1)),
    ("Soldiers returned fire.", "ML", ("Soldiers", "military", "ML", "Military Forces of Mali", 1)),
    ("Nigerian troops crossed into the area.", "CM", ("Nigerian troops", "military", "NG", "Military Forces of Nigeria", 1)),
    ("Somali police sealed the market.", "KE", ("Somali police", "so_police", "SO", "Somali Police Force", 1)),
    ("Afghan forces fired mortars.", "PK", ("Afghan forces", "af_army", "AF", "Afghan Armed Forces", 1)),
    ("Pakistani forces responded.", "AF", ("Pakistani forces", "state_forces", "PK", "Security Forces of Pakistan", 1)),
    ("US troops left the base.", "SO", ("US troops", "military", "US", "Military Forces of the United States", 1)),
]


@pytest.mark.parametrize("text, country, expected", RESOLVED)
def test_ambiguous_words_resolve_by_country(text, country, expected):
    m = find_actors(text, country=country)[0]
    assert (m.surface, m.actor_id, m.country, m.name, m.inter) == expected


def test_generic_words_carry_their_category():
    got = {m.surface: m.category for m in find_actors(
        "Security forces, soldiers, policemen and paramilitary troops were deployed.", country="NG")}
    assert got == {"Security forces": "security_forces", "soldiers": "military", "policemen": "police",
                   "paramilitary troops": "paramilitary"}


def test_state_forces_carry_claim_categories():
    got = {m.actor_id: m.category for m in find_actors(
        "The FC, the CTD, the ISI, the Levies Force and the Pakistan Army joined the BLA hunt.", country="PK")}
    assert got == {"pk_fc": "paramilitary", "pk_ctd": "ctd", "pk_isi": "intelligence", "pk_levies": "police",
                   "pk_army": "military", "bla": "militants"}


# Case and word-boundary traps: nothing (or only the listed surfaces) may be found.
TRAPS = [
    ("The FCC approved the licence.", "PK", []),
    ("FCB fans and the FCC chair filled the stadium.", None, []),
    ("Tourists flew from Isiolo to Isiro.", "KE", []),
    ("Isi and her sister left early.", "PK", []),
    ("Import levies were raised again.", "PK", []),
    ("Park rangers counted the elephants.", "PK", []),
    ("A cobra bit the farmer; fama is fleeting.", "IN", []),
    ("Let us consider the armyworm outbreak.", "PK", []),
    ("The BLAST team and the blame game.", "PK", []),
    ("Tourism is up; it is true.", "SY", []),
    ("ISIS fighters, not the ISI, were blamed.", "SY", [("ISIS", "is"), ("ISI", "pk_isi")]),
    ("The paramilitary took over.", None, [("paramilitary", "paramilitary")]),
    ("The ISIS-K cell was dismantled.", None, [("ISIS-K", "iskp")]),
    ("FC Barcelona won.", "ES", []),
    ("SNA units advanced.", None, []),
    # a capitalised "Army" ending an unknown name is not the document's army
    ("The Zomi Revolutionary Army clashed with the army.", "IN", [("army", "in_army")]),
    ("Ukraine's Army said it repelled the assault.", "UA", [("Army", "ua_forces")]),
    ("Ships crossed the Sea of Azov.", "UA", []),
    ("The Peace Corps and the US Marine Corps sent volunteers.", "IN", []),
    ("Cadets of the National Cadet Corps marched in Delhi.", "IN", []),
]


@pytest.mark.parametrize("text, country, expected", TRAPS)
def test_case_and_word_boundaries(text, country, expected):
    assert [(m.surface, m.actor_id) for m in find_actors(text, country=country)] == expected


def test_media_arms_are_claimants_not_actors():
    text = "Amaq, Umar Media and ISPR all published statements."
    assert find_actors(text) == []
    assert claimants("Amaq said seven soldiers died.") == [("IS", "armed_group")]


# (sentence, country, [(claimant, claimant_type), ...])
CLAIMANTS = [
    # security forces and their media wings
    ("Police said three constables were wounded.", "PK", [("police", "police")]),
    ("Three constables were wounded, police said.", "NG", [("police", "police")]),
    ("A senior police officer said the gunmen escaped.", "IN", [("police", "police")]),
    ("Two died, said a police official, adding that more were hurt.", "PK", [("police", "police")]),
    ("ISPR said 12 terrorists were killed.", "PK", [("ISPR", "military")]),
    ("According to the Inter-Services Public Relations, the operation continues.", "PK", [("ISPR", "military")]),
    ("The military's media wing said five soldiers were martyred.", "PK", [("ISPR", "military")]),
    ("The military's media wing said five soldiers were killed.", "NG", [("military media wing", "military")]),
    ("Defence Headquarters said troops neutralised 20 fighters.", "NG", [("Defence Headquarters", "military")]),
    ("The army said it had cleared the area.", "PK", [("Pakistan Army", "military")]),
    ("The army said it had cleared the area.", None, [("army", "military")]),
    ("FC officials said four soldiers were hurt.", "PK", [("Frontier Corps", "military")]),
    ("Security officials said the attack was repulsed.", "PK", [("security officials", "military")]),
    ("The DSS said it had arrested the suspects.", "NG", [("DSS", "government")]),
    ("The Colombian Army said six guerrillas died.", "CO", [("Colombian Army", "military")]),
    # named officials keep title and name; the title decides the type
    ("Interior Minister Mohsin Naqvi said 12 attackers were killed.", "PK",
     [("Interior Minister Mohsin Naqvi", "government")]),
    ("Balochistan Chief Minister Sarfraz Bugti told reporters that 18 died.", "PK",
     [("Balochistan Chief Minister Sarfraz Bugti", "government")]),
    ("Police Commissioner Jane Wanjiru told journalists four officers died.", "KE",
     [("Police Commissioner Jane Wanjiru", "police")]),
    ("Governor Babagana Zulum said the village was razed.", "NG", [("Governor Babagana Zulum", "government")]),
    ("Army spokesman Colonel Musa Danladi said 9 insurgents surrendered.", "NG",
     [("Army spokesman Colonel Musa Danladi", "military")]),
    ("Lt Gen Amina Yusuf said the base held.", "NG", [("Lt Gen Amina Yusuf", "military")]),
    ("Mohsin Naqvi, the interior minister, said five died.", "PK", [("interior minister Mohsin Naqvi", "government")]),
    ("Ten were killed, said the deputy commissioner.", "PK", [("deputy commissioner", "government")]),
    # government
    ("Officials said the toll could rise.", "SO", [("officials", "government")]),
    ("The provincial government said 20 civilians were killed.", "PK", [("provincial government", "government")]),
    ("The Ministry of Interior said 31 people died.", "AF", [("Ministry of Interior", "government")]),
    # hospitals: institutions are government, individual medical staff are witnesses
    ("Hospital officials said 14 bodies were brought in.", "PK", [("hospital officials", "government")]),
    ("A medic said nine were in critical condition.", "SO", [("medical staff", "witnesses")]),
    # witnesses
    ("Residents said the shelling lasted all night.", "CD", [("residents", "witnesses")]),
    ("Residents of Beni said the attackers came at dawn.", "CD", [("residents", "witnesses")]),
    ("Eyewitnesses told reporters they saw 30 bodies.", "NG", [("witnesses", "witnesses")]),
    ("A shopkeeper said the blast shattered windows.", "PK", [("witnesses", "witnesses")]),
    ("Tribal elders said 11 men were abducted.", "PK", [("elders", "witnesses")]),
    ("Amina Bello, a trader, saw the gunmen arrive.", "NG", [("Amina Bello", "witnesses")]),
    # armed groups and their spokesmen
    ("BLA spokesperson Jeeyand Baloch said the Fateh Squad led the raid.", "PK",
     [("BLA", "armed_group"), ("BLA", "armed_group")]),
    ("In a statement, the BLA claimed 40 soldiers were killed.", "PK", [("BLA", "armed_group")]),
    ("Major Gwahram Baloch said the fighters returned safely.", "PK", [("BLF", "armed_group")]),
    ("Umar Media said TTP fighters stormed the post.", "PK", [("TTP", "armed_group")]),
    ("Zabihullah Mujahid said Pakistani strikes killed civilians.", "AF", [("Taliban", "government")]),
    ("Houthi military spokesman Yahya Saree said missiles hit two ships.", "YE",
     [("Houthis", "armed_group"), ("Houthis", "armed_group")]),
    ("The SDF said it repelled the offensive.", "SY", [("SDF", "armed_group")]),
    ("The Islamic State West Africa Province (ISWAP) has claimed the raid.", "NG", [("ISWAP", "armed_group")]),
    ("The militants claimed they killed 40 soldiers.", None, [("militants", "armed_group")]),
    ("Al-Shabaab fighters stormed the base; the group said 30 soldiers died.", "SO",
     [("al-Shabaab", "armed_group")]),
    # outlets and unattributed sources
    ("The Balochistan Post reported that seven towns were attacked.", "PK", [("The Balochistan Post", "media")]),
    ("TBP reported heavy fighting in Kalat.", "PK", [("The Balochistan Post", "media")]),
    ("MOGADISHU (Reuters) - Gunmen stormed a hotel.", "SO", [("Reuters", "media")]),
    ("According to AFP, the toll rose to 25.", "ML", [("AFP", "media")]),
    ("Reports indicate that dozens were killed.", "NG", [("reports", "unattributed")]),
    ("Six people were reportedly abducted.", "NG", [("reports", "unattributed")]),
    ("According to local sources, 15 houses burned.", "SO", [("sources", "unattributed")]),
    ("Houthi fighters shelled al-Dhale; the group said 3 soldiers died.", "YE", [("Houthis", "armed_group")]),
    # headings and appositions
    ("Army Statement: the country's military wing, the ISPR, said that soldiers cleared two villages.", "PK",
     [("ISPR", "military")]),
    ("Official Figures: Nigeria's top brass, the Defence Headquarters, reported that troops held Damasak.", "NG",
     [("Defence Headquarters", "military")]),
    ("Official claims put the toll at nine.", "NG", []),
    ("The official said the road was closed.", "PK", [("officials", "government")]),
    # what is not a claim by the thing named
    ("A police official told Reuters that two officers died.", "PK", [("police", "police")]),
    ("He said the BLA attacked a camp.", "PK", []),
    ("The group said it would continue its campaign.", None, []),
    ("The weather was clear and markets reopened.", "PK", []),
]


@pytest.mark.parametrize("text, country, expected", CLAIMANTS)
def test_finds_claimants_with_types(text, country, expected):
    assert claimants(text, country) == expected


def test_spans_are_verbatim_and_in_order():
    text = ("QUETTA (Reuters) - Police said the BLA's Majeed Brigade attacked FC camps; "
            "the BLA said 40 soldiers died, while residents said the FC lost six men.")
    found = find_actors(text, country="PK") + find_claimants(text, country="PK")
    assert found and all(m.surface == text[m.start:m.end] for m in found)
    cl = find_claimants(text, country="PK")
    assert [c.start for c in cl] == sorted(c.start for c in cl)
    assert [(c.surface, c.claimant) for c in cl] == [
        ("(Reuters)", "Reuters"), ("Police said", "police"), ("the BLA said", "BLA"), ("residents said", "residents")]


def test_an_apposition_names_the_speaker_not_a_heading_word():
    text = "Official Claims: the military's public relations office, the ISPR, stated that troops pushed the raiders back"
    got = find_claimants(text, country="PK")
    assert [(c.claimant, c.claimant_type) for c in got] == [("ISPR", "military")]
    assert got[0].start <= text.index("ISPR") < text.index("ISPR") + 4 <= got[0].end
    assert "," not in got[0].surface[:2]  # the comma before the apposition is context, not part of the cue


def test_every_claimant_type_is_reachable_and_valid():
    lex = lexicon()
    fixed = {q.claimant_type for q in lex.cues if not q.claimant_type.startswith("{")}
    from_actors = {e.claimant_type for e in lex.entries.values()}
    from_outlets = {p[1] for keys in lex.outlets.keys for payloads in keys.values() for p in payloads}
    assert fixed | from_actors | from_outlets == set(CLAIMANT_TYPES)


def test_every_name_and_alias_finds_its_own_entry():
    # Guards the data file against two entries claiming one spelling by mistake.
    for e in lexicon().entries.values():
        if e.generic:
            continue
        for alias in [e.name] + [a.lstrip("=") for a in e.raw["aliases"]]:
            got = find_actors(alias, country=e.country)
            assert got and (got[0].actor_id, got[0].surface) == (e.id, alias), (e.id, alias)


def test_actor_by_id_returns_a_copy_of_the_entry():
    bla = actor_by_id("bla")
    assert (bla["inter"], bla["country"], bla["category"]) == (2, "PK", "militants")
    assert {u["name"] for u in bla["units"]} == {"Majeed Brigade", "Fateh Squad", "ZIRAB", "STOS"}
    bla["inter"] = 9
    assert actor_by_id("bla")["inter"] == 2
    assert actor_by_id("police")["inter"] == 1
    with pytest.raises(KeyError):
        actor_by_id("no_such_group")


def test_candidate_organisations_keeps_what_the_lexicon_lacks():
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import Doc, Span

    words = ["The", "Baloch", "Liberation", "Army", "and", "the", "Jaish", "al-Fath", "Brigade", "told", "Reuters",
             "that", "Jaish", "al-Fath", "Brigade", "and", "Baloch", "activists", "met", "Unitaid", "staff", "."]
    doc = Doc(spacy.blank("en").vocab, words=words)
    doc.ents = [Span(doc, 1, 4, "ORG"), Span(doc, 6, 9, "ORG"), Span(doc, 10, 11, "ORG"), Span(doc, 12, 15, "ORG"),
                Span(doc, 16, 17, "NORP"), Span(doc, 19, 20, "ORG")]
    assert candidate_organisations(doc) == ["Jaish al-Fath Brigade", "Baloch", "Unitaid"]


# --- the data files: extensible by editing, and strict about mistakes ---

@pytest.fixture
def copies(tmp_path):
    """Editable copies of both packaged files; returns (actors dict, claimants dict, save)."""
    a = json.loads(data.path("actors.json").read_text(encoding="utf-8"))
    c = json.loads(data.path("claimants.json").read_text(encoding="utf-8"))

    def save() -> Lexicon:
        (tmp_path / "actors.json").write_text(json.dumps(a, indent=1, ensure_ascii=False), encoding="utf-8")
        (tmp_path / "claimants.json").write_text(json.dumps(c, indent=1, ensure_ascii=False), encoding="utf-8")
        return Lexicon.load(tmp_path / "actors.json", tmp_path / "claimants.json")

    return a, c, save


def test_a_user_adds_a_unit_pattern_and_a_common_noun_by_editing_json(copies):
    a, c, save = copies
    bla = next(x for x in a["actors"] if x["id"] == "bla")
    bla["patterns"] = [{"regex": r"Unit \d+", "words": ["Unit"]}]
    next(g for g in a["generic"] if g["id"] == "military")["common"].append("jawans")
    lex = save()
    got = lex.find_actors("Unit 7 ambushed eight jawans near Kech.", country="PK")
    assert [(m.surface, m.actor_id, m.unit, m.generic) for m in got] == [
        ("Unit 7", "bla", "Unit 7", False), ("jawans", "military", None, True)]
    assert lex.find_actors("Unit 7 ambushed them.", country="IN") == []  # patterns apply in the actor's countries


def test_a_user_adds_a_group_and_a_cue_by_editing_json(copies):
    a, c, save = copies
    a["actors"].append({"id": "ndf", "name": "Northern Defence Front", "short": "NDF", "aliases": ["NDF"], "kind": "rebel_group",
                        "inter": 2, "country": "TD", "category": "militants",
                        "units": [{"name": "Desert Falcons", "aliases": ["Falcons Battalion"]}]})
    c["cues"].append({"pattern": "a|an? communique from the? {actor}", "claimant": "{actor}", "claimant_type": "{actor}"})
    lex = save()
    got = lex.find_actors("The NDF's Falcons Battalion struck a garrison.", country="TD")
    assert [(m.actor_id, m.inter, m.unit) for m in got] == [("ndf", 2, None), ("ndf", 2, "Desert Falcons")]
    cl = lex.find_claimants("A communique from the NDF put the toll at 12.", country="TD")
    assert [(x.claimant, x.claimant_type) for x in cl] == [("NDF", "armed_group")]


BROKEN = [
    ("actors", lambda a: a["actors"][3].pop("id"), 'missing "id"'),
    ("actors", lambda a: a["actors"][5].update(inter=9), '"inter" must be an ACLED inter code 1-8'),
    ("actors", lambda a: a["actors"][5].update(inter=0), '"inter" must be an ACLED inter code 1-8'),
    ("actors", lambda a: a["actors"][5].update(inter="2"), '"inter" must be an ACLED inter code 1-8'),
    ("actors", lambda a: a["actors"][5].update(category="terrorists"), "unknown category 'terrorists'"),
    ("actors", lambda a: a["actors"][5].update(aliasses=["x"]), 'unknown key "aliasses"'),
    ("actors", lambda a: a["actors"][5].update(id="bla"), 'duplicate id "bla"'),
    ("actors", lambda a: a["actors"][5].update(country="Pakistan"), '"country" must be an ISO2 code'),
    ("actors", lambda a: a["actors"][5].update(claimant_type="medical"), "unknown claimant_type 'medical'"),
    ("actors", lambda a: a["actors"][5].update(patterns=[{"regex": "Brigade (", "words": ["Brigade"]}]), 'bad "regex"'),
    ("actors", lambda a: a["actors"][5].update(patterns=[{"regex": "Brigade \\d+", "words": []}]), '"words" must list'),
    ("actors", lambda a: a["generic"][1].update(common="troops"), '"common" must be a list of strings'),
    ("claimants", lambda c: c["cues"][2].update(claimant_type="medical"), "unknown claimant_type 'medical'"),
    ("claimants", lambda c: c["cues"][2].pop("claimant_type"), 'missing "claimant_type"'),
    ("claimants", lambda c: c["cues"][2].update(pattern="{victim} said"), "unknown placeholder {victim}"),
    ("claimants", lambda c: c["cues"][2].update(claimant="{actor}"), "claimant uses {actor}, which the pattern lacks"),
    ("claimants", lambda c: c["cues"][2].update(pattern="{person} {person}"), "{person} used twice"),
    ("claimants", lambda c: c["cues"][2].update(pattern="{person}?"), "needs a plain word"),
    ("claimants", lambda c: c["titles"].update(doctor=["surgeon"]), "unknown claimant type 'doctor'"),
    ("claimants", lambda c: c["organisations"][3].pop("claimant_type"), 'missing "claimant_type"'),
    ("claimants", lambda c: c["organisations"][3].update(claimant_type="charity"), "unknown claimant_type 'charity'"),
]


def test_organisations_are_named_sources_with_their_own_type():
    got = [(c.claimant, c.claimant_type) for c in find_claimants(
        "According to the UN, 30 died. Amnesty International said 12 were hurt. Reuters reported it.")]
    assert got == [("United Nations", "international"), ("Amnesty International", "ngo"), ("Reuters", "media")]


@pytest.mark.parametrize("which, breaks, message", BROKEN)
def test_malformed_entries_name_file_line_and_fault(copies, which, breaks, message):
    a, c, save = copies
    breaks(a if which == "actors" else c)
    with pytest.raises(DataFileError) as err:
        save()
    assert message in str(err.value)
    assert err.value.path.endswith(f"{which}.json") and err.value.line


def test_invalid_json_names_the_line(tmp_path):
    bad = tmp_path / "actors.json"
    bad.write_text('{"actors": [\n  {"id": "x",}\n]}', encoding="utf-8")
    with pytest.raises(DataFileError) as err:
        Lexicon.load(bad)
    assert "not valid JSON" in str(err.value) and err.value.line == 2


def test_thousands_of_shuffled_sentences_keep_their_actors():
    # Unique sentences, so no cache helps; speed is measured by `make bench`, not here.
    parts = ["Police said", "the BLA's Majeed Brigade", "attacked FC camps in Kech,", "according to hospital officials,",
             "while residents said", "Interior Minister Mohsin Naqvi told reporters", "that al-Shabaab fighters",
             "and Nigerian troops", "clashed near the market", "on Saturday."]
    rng = random.Random(7)
    for i in range(3000):
        chosen = rng.sample(parts, 6)
        names = {a.name for a in find_actors(" ".join(chosen) + f" Report {i}.", country="PK")}
        assert ("Baloch Liberation Army" in names) == ("the BLA's Majeed Brigade" in chosen), (chosen, names)
