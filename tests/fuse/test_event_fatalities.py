"""Fatalities per event by ACLED's rule (fuse.events._place_fatalities), on hand-made documents."""

from __future__ import annotations

import datetime as dt

from sitrep.fuse.docs import DocInfo, Town
from sitrep.fuse.events import Event, _place_fatalities, kinds
from sitrep.records import Claim

DAY = dt.date(2026, 5, 4)


def town(name: str) -> Town:
    return Town(id=f"t:{name}", name=name, latitude=0.0, longitude=0.0, admin1=None, admin2=None, country="KE",
                geonameid=None, violent=True)


def killed(doc: str, n: int, category="civilians", location=None, scope="main", who=("police", "police")) -> Claim:
    return Claim(doc_id=doc, quote=f"{n} killed", char_start=0, char_end=1, predicate="killed", category=category,
                 low=n, high=n, qualifier="exact", text_value=str(n), claimant=who[0], claimant_type=who[1],
                 hedge="reported", location=location, event_scope=scope)


def doc(doc_id: str, towns: list[Town], claims: list[Claim]) -> DocInfo:
    return DocInfo(doc_id=doc_id, published=DAY, title=None, source=None, lead="", towns={t.id: t for t in towns},
                   claims=claims)


def events_for(*docs: DocInfo) -> dict[str, Event]:
    kind = kinds()[0]
    out: dict[str, Event] = {}
    for d in docs:
        for t in d.towns.values():
            out.setdefault(t.name, Event(t, DAY, 1, kind)).docs.append(d)
    _place_fatalities(list(out.values()))
    return {name: e.located_deaths for name, e in out.items()}


def test_a_report_about_one_town_gives_it_its_totals():
    a, b = town("Kisumu"), town("Eldoret")
    got = events_for(doc("d1", [a], [killed("d1", 4)]), doc("d2", [b], [killed("d2", 7)]))
    assert got == {"Kisumu": 4, "Eldoret": 7}


def test_a_total_over_several_towns_is_not_padded_onto_a_town_with_its_own_figure():
    a, b, c = town("Kisumu"), town("Eldoret"), town("Nakuru")
    got = events_for(doc("d1", [a, b, c], [killed("d1", 12), killed("d1", 5, location="Kisumu")]))
    assert got == {"Kisumu": 5, "Eldoret": 0, "Nakuru": 0}


def test_a_total_over_several_towns_with_no_own_figures_is_split_evenly():
    a, b, c = town("Kisumu"), town("Eldoret"), town("Nakuru")
    got = events_for(doc("d1", [a, b, c], [killed("d1", 10)]))
    assert sorted(got.values()) == [3, 3, 4] and sum(got.values()) == 10


def test_background_figures_never_count():
    a = town("Kisumu")
    assert events_for(doc("d1", [a], [killed("d1", 3), killed("d1", 40, scope="background")])) == {"Kisumu": 3}


def test_the_conservative_figure_wins_between_sources():
    a = town("Kisumu")
    got = events_for(doc("d1", [a], [killed("d1", 9)]),
                     doc("d2", [a], [killed("d2", 6, who=("residents", "witnesses"))]))
    assert got == {"Kisumu": 6}


def test_a_story_names_its_one_place_as_written_and_its_protests_as_protests():
    from sitrep.fuse import title

    a = town("Kisumu")
    a.surfaces = {"Kisumu town"}
    d = doc("d1", [a], [])
    assert title(None, [d], [], DAY, [("Protests", 2)]) == "Protests in Kisumu town, 4 May 2026"
    assert title({"short": "JNIM", "name": "JNIM"}, [d], [], DAY, [("Battles", 1)]).startswith("JNIM attack in Kisumu")


def test_a_town_with_its_own_figure_is_a_place_of_the_story():
    from sitrep.fuse import places

    a, b = town("Kisumu"), town("Eldoret")
    b.violent = False
    d = doc("d1", [a, b], [killed("d1", 2, location="Eldoret")])
    assert {p["name"] for p in places([d])} == {"Kisumu", "Eldoret"}


def test_a_state_s_forces_abroad_are_external_forces():
    from sitrep.fuse import actors

    d = doc("d1", [town("Kisumu")], [])
    d.country = "KE"
    d.forces = [{"id": "us_military", "name": "Military Forces of the United States", "inter": 1, "country": "US",
                 "surface": "US troops"},
                {"id": "ke_police", "name": "Police Forces of Kenya", "inter": 1, "country": "KE", "surface": "police"}]
    got = {a["name"]: a["inter"] for a in actors([d])}
    assert got == {"Military Forces of the United States": 8, "Police Forces of Kenya": 1}


def built(*docs: DocInfo) -> list[dict]:
    from sitrep.fuse.events import build_events

    return build_events("s1", list(docs), [], DAY, [])


def said(t: Town, *sentences: str) -> Town:
    t.sentences = list(sentences)
    return t


def test_reports_that_name_the_means_and_reports_that_say_attack_are_one_event():
    strike = doc("d1", [said(town("Kisumu"), "An air strike hit the market in Kisumu.")], [killed("d1", 30)])
    attack = doc("d2", [said(town("Kisumu"), "Gunmen attacked the market in Kisumu, killing traders.")],
                 [killed("d2", 30, who=("residents", "witnesses"))])
    [event] = built(strike, attack)
    assert event["sub_event_type"] == "Air/drone strike" and event["fatalities"] == 30
    assert sorted(event["doc_ids"]) == ["d1", "d2"]


def test_a_report_placing_the_act_only_in_the_country_joins_the_towns_event():
    a = said(town("Kisumu"), "Gunmen attacked the market in Kisumu, killing traders.")
    vague = doc("d2", [], [killed("d2", 5)])
    vague.place = Town(id="country:KE", name="Kenya", latitude=0.0, longitude=0.0, admin1=None, admin2=None,
                       country="KE", geonameid=None, violent=True, precision=3,
                       sentences=["Gunmen attacked a market in Kenya, killing traders."])
    [event] = built(doc("d1", [a], [killed("d1", 5)]), vague)
    assert event["location"] == "Kisumu" and sorted(event["doc_ids"]) == ["d1", "d2"]


def test_a_report_s_totals_go_to_the_town_its_lead_tells_not_to_towns_named_on_the_way():
    home, route = said(town("Kisumu"), "Gunmen attacked a bus in Kisumu."), said(town("Eldoret"), "x")
    d = doc("d1", [home, route], [killed("d1", 9)])
    d.lead = "Gunmen attacked a bus in Kisumu on Sunday."
    got = {e["location"]: e["fatalities"] for e in built(d)}
    assert got["Kisumu"] == 9 and got.get("Eldoret", 0) == 0
