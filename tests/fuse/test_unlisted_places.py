"""Places no gazetteer knows in documents, events and stories: where an act happened, as the reports name it.

Documents are built by hand from stored mention rows (the shape `extract.mention_rows` writes), so
no model runs; one test goes through recognition for the rows.
"""

from __future__ import annotations

import datetime as dt

import pytest

from sitrep.fuse import main_place, places, title
from sitrep.fuse.docs import DocInfo, Town, doc_info
from sitrep.fuse.events import build_events
from sitrep.nlp.violence import act_sentence
from sitrep.records import Document

DAY = dt.date(2026, 3, 9)


def place_row(text: str, surface: str, pid: str, kind: str = "city", how: str = "exact", precision=None,
              lat: float = 14.0, lon: float = -3.0, admin1: str | None = "Mopti") -> dict:
    start = text.index(surface)
    return {"kind": "place", "char_start": start, "char_end": start + len(surface), "label": surface,
            "data": {"id": pid, "geonameid": None, "latitude": lat, "longitude": lon, "admin1": admin1,
                     "admin2": None, "country": "ML", "place_kind": kind, "parent": None, "surface": surface,
                     "how": how, "score": 1.0, "precision": precision}}


def info(text: str, rows: list[dict], doc_id: str = "d1") -> DocInfo:
    return doc_info(Document(doc_id=doc_id, text=text, origin="t.txt", published=DAY), rows, [])


def test_an_unlisted_village_told_with_violence_is_a_place_of_violence_at_its_precision():
    text = "The Kantoroba base, in the north of the country, was briefly occupied by the attackers."
    d = info(text, [place_row(text, "Kantoroba", "u:ML:kantoroba", how="unlisted", precision=3)])
    t = d.towns["u:ML:kantoroba"]
    assert t.violent and t.precision == 3


def test_a_known_town_needs_the_words_of_violence_around_it():
    text = "The Sevare market, in the north of the country, was briefly occupied by the attackers."
    d = info(text, [place_row(text, "Sevare", "gn:1")])
    assert not d.towns["gn:1"].violent


def test_a_cued_place_where_the_wounded_were_taken_is_no_place_of_the_act():
    sentence = "After the raid the wounded were rushed to the Kantoroba camp."
    assert not act_sentence(sentence, sentence.index("Kantoroba"))


def town(pid: str, name: str, precision: int = 1, lat: float = 14.0, violent: bool = True) -> Town:
    return Town(id=pid, name=name, latitude=lat, longitude=-3.0, admin1="Mopti", admin2=None, country="ML",
                geonameid=None, surfaces={name}, violent=violent, sentences=[f"Gunmen attacked {name}."],
                precision=precision)


def doc(doc_id: str, *towns: Town) -> DocInfo:
    return DocInfo(doc_id=doc_id, published=DAY, title=None, source=None, lead="", event_date=DAY,
                   date_precision=1, towns={t.id: t for t in towns}, country="ML")


def test_a_story_lists_an_unlisted_place_where_its_most_precise_report_puts_it():
    far = doc("d1", town("u:ML:kantoroba", "Kantoroba", precision=3, lat=15.0))
    near = doc("d2", town("u:ML:kantoroba", "Kantoroba", precision=2, lat=14.3))
    row = next(p for p in places([far, near]) if p["name"] == "Kantoroba")
    assert row["latitude"] == 14.3 and row["doc_ids"] == ["d1", "d2"]


def test_an_event_at_an_unlisted_place_has_its_name_and_the_most_precise_coordinates():
    far = doc("d1", town("u:ML:kantoroba", "Kantoroba", precision=3, lat=15.0))
    near = doc("d2", town("u:ML:kantoroba", "Kantoroba", precision=2, lat=14.3))
    [event] = build_events("s1", [far, near], [], DAY, [])
    assert (event["location"], event["latitude"], event["geo_precision"]) == ("Kantoroba", 14.3, 2)


def test_the_title_names_the_village_every_report_names_not_the_region():
    reports = [doc(f"d{i}", town("u:ML:kantoroba", "Kantoroba", precision=2)) for i in range(3)]
    reports[0].towns["gn:2"] = town("gn:2", "Bandiagara", lat=14.35)
    assert main_place(reports) == "u:ML:kantoroba"
    got = title({"short": "JNIM", "name": "JNIM"}, reports, [], DAY, [("Battles", 1)])
    assert got.startswith("JNIM attack in Kantoroba, Mopti")


def test_a_story_of_several_places_named_alike_keeps_its_count():
    reports = [doc("d1", town("gn:1", "Sevare"), town("gn:2", "Bandiagara")),
               doc("d2", town("gn:1", "Sevare"), town("gn:2", "Bandiagara"))]
    assert main_place(reports) is None
    assert "attacks across 2 places in Mopti" in title(None, reports, [], DAY, [("Battles", 1)])


def test_recognised_rows_carry_the_unlisted_place_to_the_document():
    from sitrep.extract import mention_rows
    from sitrep.nlp import analyse

    text = "Gunmen killed 12 people in the village of Kantoroba in the Mopti region of Mali on Sunday."
    d = Document(doc_id="d1", text=text, origin="t.txt", published=DAY)
    got = info(text, mention_rows(analyse(d)))
    t = next(t for t in got.towns.values() if t.name == "Kantoroba")
    assert t.violent and t.precision == 3 and t.id.startswith("u:ML:")


def test_a_report_whose_only_place_is_a_cued_village_gives_it_every_sentence_about_the_act():
    text = "Raiders staged an incursion into the village of Kantoroba. Fifteen huts were burned by the attackers."
    d = info(text, [place_row(text, "Kantoroba", "u:ML:kantoroba", how="unlisted", precision=3)])
    assert len(d.towns["u:ML:kantoroba"].sentences) == 2 and d.place is None


def test_a_place_the_parse_found_to_be_where_words_were_said_is_no_place_of_violence():
    text = "Gunmen attacked the market near Sevare, the mayor said."
    row = place_row(text, "Sevare", "gn:1")
    assert info(text, [row]).towns["gn:1"].violent  # the word windows alone
    row["data"]["act"] = False
    assert not info(text, [row]).towns["gn:1"].violent
