"""Tests for sitrep.nlp.actors: who is named, who speaks, and words that only look like either."""

from __future__ import annotations

import json
import random
import time

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
    ("AUSSOM troops and the SNA retook the town.", "SO",
     [("AUSSOM troops", "aussom", 8, None), ("SNA", "so_sna", 1, None)]),
    ("Danab commandos raided the hideout.", "SO", [("Danab", "so_sna", 1, "Danab")]),
    ("NISA agents arrested two suspects.", "SO", [("NISA", "so_nisa", 1, None)]),
    # Great Lakes
    ("ADF rebels, who also call themselves ISCAP, killed villagers in Beni.", "CD",
     [("ADF", "adf", 2, None), ("ISCAP", "adf", 2, None)]),
    ("FARDC soldiers retreated as M23 advanced.", "CD",
     [("FARDC soldiers", "cd_fardc", 1, None), ("M23", "m23", 2, None)]),
    # Middle East
    ("Ansar Allah launched drones at a tanker.", "YE", [("Ansar Allah", "houthis", 2, None)]),
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
    ("US troops left the base.", "SO", ("US troops", "military", "US", "Military Forces of United States", 1)),
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
             "that", "Jaish", "al-Fath", "Brigade", "and", "Baloch", "activists", "met", "UNICEF", "staff", "."]
    doc = Doc(spacy.blank("en").vocab, words=words)
    doc.ents = [Span(doc, 1, 4, "ORG"), Span(doc, 6, 9, "ORG"), Span(doc, 10, 11, "ORG"), Span(doc, 12, 15, "ORG"),
                Span(doc, 16, 17, "NORP"), Span(doc, 19, 20, "ORG")]
    assert candidate_organisations(doc) == ["Jaish al-Fath Brigade", "Baloch", "UNICEF"]


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
    ("claimants", lambda c: c["cues"][2].update(claimant_type="medical"), "unknown claimant_type 'medical'"),
    ("claimants", lambda c: c["cues"][2].pop("claimant_type"), 'missing "claimant_type"'),
    ("claimants", lambda c: c["cues"][2].update(pattern="{victim} said"), "unknown placeholder {victim}"),
    ("claimants", lambda c: c["cues"][2].update(claimant="{actor}"), "claimant uses {actor}, which the pattern lacks"),
    ("claimants", lambda c: c["cues"][2].update(pattern="{person} {person}"), "{person} used twice"),
    ("claimants", lambda c: c["cues"][2].update(pattern="{person}?"), "needs a plain word"),
    ("claimants", lambda c: c["titles"].update(doctor=["surgeon"]), "unknown claimant type 'doctor'"),
]


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


def test_scans_thousands_of_sentences_per_second():
    # Unique sentences, so no cache helps. ~10,000/s on a laptop; the bound is lower for slow CI machines.
    parts = ["Police said", "the BLA's Majeed Brigade", "attacked FC camps in Kech,", "according to hospital officials,",
             "while residents said", "Interior Minister Mohsin Naqvi told reporters", "that al-Shabaab fighters",
             "and Nigerian troops", "clashed near the market", "on Saturday."]
    rng = random.Random(7)
    sentences = [" ".join(rng.sample(parts, 6)) + f" Report {i}." for i in range(3000)]
    lexicon()
    t = time.perf_counter()
    for s in sentences:
        find_actors(s, country="PK")
        find_claimants(s, country="PK")
    assert len(sentences) / (time.perf_counter() - t) > 2500
