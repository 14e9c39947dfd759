"""Places that only an imported GeoNames file knows: found through the cues that make a name a place.

The files are small synthetic dumps in GeoNames' own format, written by the tests. Kaduna and its
district Kauru are in the bundled gazetteer; the villages, a district and a quarter below are not.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from sitrep.cli import app
from sitrep.geonames import import_files
from sitrep.nlp import gazetteer, imported
from sitrep.nlp.places import document_places, find_places

KADUNA = 2335727          # the bundled gazetteer's Kaduna (a GeoNames id)


def row(gid, name, lat, lon, fclass, fcode, a1="23", a2="", pop=0, alternates=""):
    cols = [str(gid), name, name, alternates, f"{lat}", f"{lon}", fclass, fcode, "NG", "", a1, a2, "", "",
            str(pop), "", "600", "Africa/Lagos", "2024-01-01"]
    return "\t".join(cols)


ROWS = [
    row(KADUNA, "Kaduna", 10.52641, 7.43879, "P", "PPLA", a2="19009", pop=1582102),
    row(9100001, "Ungwan Zomo", 10.31, 8.12, "P", "PPL", a2="19014", alternates="Angwan Zomo"),
    row(9100002, "Garin Tsauni", 10.05, 7.95, "P", "PPL", a2="19099"),
    row(9100003, "Tsauni", 10.07, 7.97, "A", "ADM2", a2="19099", pop=80000),
    row(9100004, "Tudun Zomo", 10.535, 7.45, "P", "PPLX"),
    # Same name in another province: the text's province decides.
    row(9100005, "Ungwan Zomo", 11.9, 8.6, "P", "PPL", a1="21"),
]
ADMIN2 = "NG.23.19099\tTsauni\tTsauni\t9100003\nNG.23.19014\tKauru\tKauru\t2334747\n"
ADMIN1 = "NG.23\tKaduna\tKaduna\t2335722\nNG.21\tKano\tKano\t2335196\n"


@pytest.fixture
def geonames(tmp_path, monkeypatch):
    """An imported gazetteer made from the synthetic files, used by the recogniser."""
    (tmp_path / "NG.txt").write_text("\n".join(ROWS) + "\n", encoding="utf-8")
    (tmp_path / "admin2Codes.txt").write_text(ADMIN2, encoding="utf-8")
    (tmp_path / "admin1CodesASCII.txt").write_text(ADMIN1, encoding="utf-8")
    db = tmp_path / "geonames.sqlite"
    import_files([tmp_path / "NG.txt", tmp_path / "admin1CodesASCII.txt", tmp_path / "admin2Codes.txt"], db)
    monkeypatch.setenv(imported.ENV, str(db))
    return db


def only(mentions, surface):
    found = [m for m in mentions if m.surface == surface]
    assert found, f"{surface!r} not found in {[m.surface for m in mentions]}"
    return found[0]


def test_bundled_gazetteer_lacks_the_test_villages():
    gz = gazetteer.load()
    assert all(gz.key_id(k) is None for k in ("ungwan zomo", "garin tsauni", "tsauni", "tudun zomo"))


def test_village_with_a_cue_is_placed_at_its_own_coordinates(geonames):
    text = "Gunmen killed seven farmers in the village of Ungwan Zomo in Kaduna State on Sunday, police said."
    m = only(find_places(text), "Ungwan Zomo")
    assert m.how == "imported"
    assert (m.place.latitude, m.place.longitude) == (10.31, 8.12)   # not Kano's Ungwan Zomo
    assert (m.place.admin1, m.place.admin2, m.place.country) == ("Kaduna", "Kauru", "NG")
    row = next(r for r in document_places(find_places(text)) if r["name"] == "Ungwan Zomo")
    assert row["precision"] == 1 and row["gazetteer"] == "geonames:NG.txt"


def test_without_the_import_the_village_sits_at_its_province(monkeypatch, geonames):
    monkeypatch.setenv(imported.ENV, "off")
    text = "Gunmen killed seven farmers in the village of Ungwan Zomo in Kaduna State on Sunday, police said."
    row = next(r for r in document_places(find_places(text)) if r["name"] == "Ungwan Zomo")
    assert row["gazetteer"] == "none" and row["precision"] == 3


def test_alternate_spelling_finds_the_village(geonames):
    m = only(find_places("Troops reached the village of Angwan Zomo in Kaduna State."), "Angwan Zomo")
    assert m.place.geonameid == 9100001


def test_name_after_in_needs_the_province_the_text_is_about(geonames):
    about_kaduna = "Kaduna State police said bandits struck in Ungwan Zomo overnight."
    assert only(find_places(about_kaduna), "Ungwan Zomo").place.geonameid == 9100001
    elsewhere = "Lagos State police said bandits struck in Garin Tsauni overnight."
    assert not [m for m in find_places(elsewhere) if m.surface == "Garin Tsauni"]


def test_imported_district_holds_an_unknown_village_at_precision_2(geonames):
    text = "Armed men raided the village of Dalori Hausari in Tsauni district of Kaduna State on Monday."
    rows = {r["name"]: r for r in document_places(find_places(text))}
    district, village = rows["Tsauni"], rows["Dalori Hausari"]
    assert district["kind"] == "admin2" and district["gazetteer"] == "geonames:NG.txt"
    assert village["gazetteer"] == "none" and village["precision"] == 2
    assert (village["latitude"], village["longitude"]) == (district["latitude"], district["longitude"])


def test_bundled_district_holds_an_unknown_village_at_precision_2(geonames):
    text = "Armed men raided the village of Dalori Hausari in Kauru district of Kaduna State on Monday."
    rows = {r["name"]: r for r in document_places(find_places(text))}
    assert rows["Dalori Hausari"]["precision"] == 2
    assert rows["Dalori Hausari"]["parent"] == rows["Kauru"]["id"]


def test_lga_designator_takes_the_imported_admin_area(geonames):
    text = "Residents of Tsauni LGA in Kaduna State fled after the attack."
    m = only(find_places(text), "Tsauni")
    assert m.place.kind == "admin2" and m.place.geonameid == 9100003


@pytest.mark.parametrize("text", ["A bomb went off in the Tudun Zomo neighbourhood of Kaduna on Friday.",
                                  "A bomb went off in Tudun Zomo, a busy neighbourhood of Kaduna, on Friday."])
def test_section_of_a_city_belongs_to_its_city(geonames, text):
    m = only(find_places(text), "Tudun Zomo")
    assert m.place.kind == "part" and m.place.name == "Tudun Zomo"
    assert (m.place.latitude, m.place.longitude) == (10.535, 7.45)
    assert gazetteer.town_of(m.place).geonameid == KADUNA


def test_places_command_says_which_gazetteer_answered(geonames, tmp_path):
    article = tmp_path / "article.txt"
    article.write_text("Gunmen killed seven farmers in the village of Ungwan Zomo in Kaduna State on Sunday.",
                       encoding="utf-8")
    result = CliRunner().invoke(app, ["places", str(article), "--json"])
    assert result.exit_code == 0, result.output
    rows = {r["name"]: r for r in json.loads(result.output.splitlines()[0])["places"]}
    assert rows["Ungwan Zomo"]["gazetteer"] == "geonames:NG.txt"
    assert rows["Kaduna"]["gazetteer"] == "bundled"
    assert rows["Ungwan Zomo"]["admin2"] == "Kauru"


def test_region_word_sends_a_name_to_the_imported_gazetteer_only(geonames, monkeypatch):
    text = "Herders clashed with farmers in the Tsauni region of Kaduna State on Monday."
    assert only(find_places(text), "Tsauni").place.geonameid == 9100003
    monkeypatch.setenv(imported.ENV, "off")   # no gazetteer has it: "region" alone makes no place
    assert not [m for m in find_places(text) if m.surface == "Tsauni"]


@pytest.mark.nlp
def test_a_run_codes_the_event_at_the_imported_village(geonames, tmp_path):
    import csv

    from sitrep.pipeline import run
    from sitrep.settings import Settings

    articles = tmp_path / "in"
    articles.mkdir()
    (articles / "a.txt").write_text(
        "Bandits kill seven in Kaduna village\n\nGunmen killed seven farmers in the village of Ungwan Zomo "
        "in Kaduna State on Sunday, police said. Residents said the attackers came on motorcycles.\n",
        encoding="utf-8")
    run([articles], tmp_path / "out", Settings(progress=False))
    rows = list(csv.DictReader(open(tmp_path / "out" / "events.csv", encoding="utf-8")))
    village = [r for r in rows if r["location"] == "Ungwan Zomo"]
    assert village, [r["location"] for r in rows]
    assert (float(village[0]["latitude"]), float(village[0]["longitude"])) == (10.31, 8.12)
    assert village[0]["geo_precision"] == "1" and village[0]["admin2"] == "Kauru"


def test_a_damaged_gazetteer_file_is_left_out_with_a_warning(tmp_path, monkeypatch, caplog):
    bad = tmp_path / "geonames.sqlite"
    bad.write_bytes(b"this is not an SQLite database at all" * 100)
    monkeypatch.setenv(imported.ENV, str(bad))
    text = "Gunmen killed seven farmers in the village of Ungwan Zomo in Kaduna State on Sunday."
    row = next(r for r in document_places(find_places(text)) if r["name"] == "Ungwan Zomo")
    assert row["gazetteer"] == "none"
    assert "not used" in caplog.text
