"""`sitrep gazetteer import` on small synthetic files in each GeoNames dump format, written by the tests."""

from __future__ import annotations

import json
import multiprocessing
import sqlite3
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sitrep.cli import app
from sitrep.errors import InputError
from sitrep.geonames import GeoNamesDB, import_files
from sitrep.geonames import importer


def place(gid, name, lat, lon, fclass="P", fcode="PPL", cc="NG", a1="23", a2="", a3="", pop=0, alternates=""):
    return "\t".join([str(gid), name, name, alternates, str(lat), str(lon), fclass, fcode, cc, "", a1, a2, a3, "",
                      str(pop), "", "500", "Africa/Lagos", "2024-05-01"])


NG = [
    place(100, "Kaduna", 10.52, 7.44, fcode="PPLA", a2="19009", pop=1_500_000),
    place(101, "Ungwan Zomo", 10.31, 8.12, a2="19014", alternates="Angwan Zomo,Унгван Зомо"),
    place(102, "Tudun Zomo", 10.53, 7.45, fcode="PPLX"),
    place(103, "Zomo Camp", 10.60, 7.40, fclass="S", fcode="CMPRF"),
    place(104, "Kauru", 10.40, 8.10, fclass="A", fcode="ADM2", a2="19014", pop=220_000),
    place(105, "Zomo Stream", 10.30, 8.10, fclass="H", fcode="STM"),
    place(106, "Old Zomo", 10.32, 8.13, fcode="PPLQ"),
    place(107, "Kaduna State", 10.33, 7.72, fclass="A", fcode="ADM1", pop=6_000_000),
    place(108, "Garin Tsauni", 10.05, 7.95, a2="19099", pop=3000),
    place(109, "Kasa Camp", 10.95, 8.60, fclass="S", fcode="CMP", a2="19014"),   # no town within 20 km
]
# The same village name in another country, and a town with an Arabic alternate name.
SD = [place(200, "Ungwan Zomo", 13.0, 30.0, cc="SD", a1="29"),
      place(201, "Kutum", 14.2, 24.66, cc="SD", a1="49", pop=20_000, alternates="كتم")]
ADMIN1 = ["NG.23\tKaduna\tKaduna\t107", "SD.29\tKhartoum\tKhartoum\t300"]
ADMIN2 = ["NG.23.19014\tKauru\tKauru\t104", "NG.23.19099\tTsauni\tTsauni\t9100",
          "NG.23.19100\tEmpty\tEmpty\t9101"]
COUNTRIES = ["# ISO\tISO3\t...", "\t".join(["NG", "NGA", "566", "NI", "Nigeria", "Abuja", "923768", "1", "AF", ".ng",
                                            "NGN", "Naira", "234", "", "", "en-NG", "2328926", "", ""])]
ALTERNATES = ["1\t101\tha\tUnguwar Zomo\t\t\t\t\t\t", "2\t101\tlink\thttps://example.org/zomo\t\t\t\t\t\t",
              "3\t101\t\tOld Zomo Town\t\t\t\t1\t\t", "4\t999999\ten\tNowhere\t\t\t\t\t\t",
              "5\t201\tru\tКутум\t\t\t\t\t\t"]


def write(path: Path, lines: list[str], zipped: bool = False) -> Path:
    text = "\n".join(lines) + "\n"
    if zipped:
        with zipfile.ZipFile(path, "w") as z:
            z.writestr(path.stem + ".txt", text)
            z.writestr("readme.txt", "about this file\n")
    else:
        path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def dumps(tmp_path) -> list[Path]:
    return [write(tmp_path / "NG.zip", NG, zipped=True), write(tmp_path / "SD.txt", SD),
            write(tmp_path / "admin1CodesASCII.txt", ADMIN1), write(tmp_path / "admin2Codes.txt", ADMIN2),
            write(tmp_path / "countryInfo.txt", COUNTRIES), write(tmp_path / "alternateNamesV2.zip", ALTERNATES, True)]


@pytest.fixture
def db(tmp_path, dumps) -> GeoNamesDB:
    # Alternate names first on purpose: the importer reads them after the places they name.
    import_files([dumps[-1], *dumps[:-1]], tmp_path / "g.sqlite")
    return GeoNamesDB(tmp_path / "g.sqlite")


def test_every_format_is_read(db):
    s = db.status()
    assert {f["name"]: f["kind"] for f in s["files"]} == {
        "NG.zip": "places", "SD.txt": "places", "admin1CodesASCII.txt": "admin1", "admin2Codes.txt": "admin2",
        "countryInfo.txt": "countries", "alternateNamesV2.zip": "alternates"}
    assert all(f["complete"] for f in s["files"])
    # The stream and the abandoned village are not kept; Khartoum and Tsauni, which only the code files
    # name, are at the places they hold.
    assert s["places"] == {"admin1": 2, "admin2": 2, "city": 5, "part": 1, "site": 2}
    assert s["admin_codes"] == 5
    assert s["countries"] == ["NG", "SD"]


def test_village_has_its_coordinates_and_admin_names(db):
    [e] = db.lookup("ungwan zomo", countries=["NG"])
    assert (e.latitude, e.longitude, e.kind, e.source) == (10.31, 8.12, "city", "NG.zip")
    assert (e.admin1, e.admin2, e.admin1_name, e.admin2_name) == ("NG.23", "NG.23.19014", "Kaduna", "Kauru")


def test_same_name_in_two_countries(db):
    assert sorted(e.country for e in db.lookup("ungwan zomo")) == ["NG", "SD"]
    assert [e.geonameid for e in db.lookup("ungwan zomo", countries=["SD"])] == [200]


def test_alternate_names_in_several_scripts(db):
    assert [e.geonameid for e in db.lookup("angwan zomo")] == [101]        # from the place row
    assert [e.geonameid for e in db.lookup("унгван зомо")] == [101]        # Cyrillic, from the place row
    assert [e.geonameid for e in db.lookup("unguwar zomo")] == [101]       # from alternateNamesV2
    assert [e.geonameid for e in db.lookup("кутум")] == [201]
    assert [e.geonameid for e in db.lookup("كتم")] == [201]                 # Arabic
    assert db.lookup("old zomo town") == []                                # historic name: skipped
    assert db.lookup("https example org zomo") == []                       # a link, no name


def test_sections_and_sites_belong_to_their_town(db):
    [part] = db.lookup("tudun zomo")
    [camp] = db.lookup("zomo camp")
    assert (part.kind, part.parent) == ("part", 100)
    assert (camp.kind, camp.parent) == ("site", 100)
    [remote] = db.lookup("kasa camp")
    assert remote.parent == 104          # no town near it: it belongs to its district, Kauru


def test_admin_areas_by_code_and_name(db):
    assert db.admin_area("NG.23.19014").geonameid == 104
    assert db.admin_area("NG.23").name == "Kaduna State"
    [kaduna] = db.lookup("kaduna", kinds=["admin1"])          # "Kaduna State" without its suffix
    assert kaduna.geonameid == 107


def test_admin_area_named_only_in_the_code_file_is_at_its_places(db):
    tsauni = db.admin_area("NG.23.19099")
    assert (tsauni.name, tsauni.geonameid, tsauni.kind) == ("Tsauni", 9100, "admin2")
    assert (tsauni.latitude, tsauni.longitude, tsauni.population) == (10.05, 7.95, 3000)
    assert [e.geonameid for e in db.lookup("tsauni", kinds=["admin2"])] == [9100]
    assert db.admin_area("NG.23.19100") is None     # it holds no imported place: nothing to place it at


def test_has_keys(db):
    assert db.has_keys(["kaduna", "ungwan zomo", "nowhere at all"]) == {"kaduna", "ungwan zomo"}
    assert db.has_keys([]) == set()


def test_importing_again_changes_nothing(tmp_path, dumps, db):
    before = db.status()
    again = import_files(dumps, tmp_path / "g.sqlite")
    assert {f.status for f in again.files} == {"unchanged"}
    after = GeoNamesDB(tmp_path / "g.sqlite").status()
    assert (after["places"], after["names"]) == (before["places"], before["names"])


def test_overlapping_files_do_not_duplicate(tmp_path, dumps, db):
    cities = write(tmp_path / "cities500.txt", [NG[0], NG[1]])
    import_files([cities], tmp_path / "g.sqlite")
    fresh = GeoNamesDB(tmp_path / "g.sqlite")
    assert len(fresh.lookup("ungwan zomo", countries=["NG"])) == 1
    assert fresh.status()["places_total"] == db.status()["places_total"]


def test_an_interrupted_import_goes_on_where_it_stopped(tmp_path, monkeypatch):
    monkeypatch.setattr(importer, "BATCH", 3)
    rows = [place(1000 + i, f"Village Number Name{chr(97 + i)}", 10 + i / 100, 8, pop=i) for i in range(10)]
    big = write(tmp_path / "NG.txt", rows)
    calls = []

    def stop_after_first_batch(name, done, total):
        calls.append(done)
        if len(calls) == 1:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        import_files([big], tmp_path / "cut.sqlite", progress=stop_after_first_batch)
    half = GeoNamesDB(tmp_path / "cut.sqlite").status()
    assert half["places_total"] == 3 and not half["files"][0]["complete"]
    resumed = import_files([big], tmp_path / "cut.sqlite")
    assert resumed.files[0].status == "resumed" and resumed.files[0].rows == 10
    import_files([big], tmp_path / "whole.sqlite")
    cut, whole = (sqlite3.connect(tmp_path / n) for n in ("cut.sqlite", "whole.sqlite"))
    query = "SELECT * FROM places ORDER BY geonameid"
    assert cut.execute(query).fetchall() == whole.execute(query).fetchall()
    query = "SELECT * FROM names ORDER BY key, geonameid"
    assert cut.execute(query).fetchall() == whole.execute(query).fetchall()


def test_malformed_lines_are_reported_with_their_line_numbers(tmp_path):
    bad = write(tmp_path / "NG.txt", [NG[0], "107\tBroken\tline", NG[1],
                                     place(108, "Nowhere", "north", 7.0)])
    report = import_files([bad], tmp_path / "g.sqlite")
    f = report.files[0]
    assert (f.rows, f.malformed) == (2, 2)
    assert f.first_malformed == ["NG.txt:2: expected 19 tab-separated columns, found 3",
                                 "NG.txt:4: geonameid, latitude, longitude or population is no number"]


def test_bad_files_are_clear_errors_and_keep_what_was_imported(tmp_path, dumps, db):
    notes = tmp_path / "notes.txt"
    notes.write_text("hello\n")
    with pytest.raises(InputError, match="notes.txt: not a GeoNames dump"):
        import_files([notes], tmp_path / "g.sqlite")
    broken = tmp_path / "PK.zip"
    broken.write_bytes(b"PK\x03\x04 this is no zip")
    with pytest.raises(InputError, match="PK.zip: not a readable zip"):
        import_files([broken], tmp_path / "g.sqlite")
    wrong = write(tmp_path / "ML.txt", ["one\ttwo"])
    with pytest.raises(InputError, match="ML.txt: line 1 has 2 tab-separated columns"):
        import_files([wrong], tmp_path / "g.sqlite")
    assert GeoNamesDB(tmp_path / "g.sqlite").status()["places_total"] == db.status()["places_total"]


def _count_in_child(path, queue):
    queue.put(len(GeoNamesDB(path).lookup("kaduna")))


def test_a_forked_worker_reads_with_its_own_connection(db):
    assert db.lookup("kaduna")       # the parent's connection is open before the fork
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    child = ctx.Process(target=_count_in_child, args=(db.path, queue))
    child.start()
    child.join(30)
    assert queue.get(timeout=5) == len(db.lookup("kaduna"))


def test_cli_import_and_status(tmp_path, dumps, monkeypatch):
    monkeypatch.setenv("SITREP_CACHE_DIR", str(tmp_path / "cache"))
    runner = CliRunner()
    empty = runner.invoke(app, ["gazetteer", "status"])
    assert empty.exit_code == 0 and "nothing imported" in empty.output
    done = runner.invoke(app, ["gazetteer", "import", "--no-progress", *map(str, dumps)])
    assert done.exit_code == 0, done.output
    assert "NG.zip" in done.output and (tmp_path / "cache" / "geonames.sqlite").exists()
    status = json.loads(runner.invoke(app, ["gazetteer", "status", "--json"]).output)
    assert status["places"]["city"] == 5 and len(status["files"]) == 6
    missing = runner.invoke(app, ["gazetteer", "import", str(tmp_path / "nope.zip")])
    assert missing.exit_code == 2 and "nope.zip: no such file" in missing.output


def test_features_file_is_checked(monkeypatch, tmp_path):
    importer.feature_kinds.cache_clear()
    try:
        kinds = importer.feature_kinds()
        assert kinds["P.PPLX"] == "part" and kinds["S.CMPRF"] == "site" and kinds["A.ADM3"] == "admin3"
        assert kinds["P.PPLQ"] == "skip" and "H.STM" not in kinds
    finally:
        importer.feature_kinds.cache_clear()


def test_alternate_names_imported_before_their_places_are_read_again(tmp_path, dumps):
    alternates, ng = dumps[-1], dumps[0]
    db_path = tmp_path / "order.sqlite"
    import_files([alternates], db_path)                  # no places yet: its names attach to nothing
    report = import_files([ng], db_path)
    assert report.notes and "alternateNamesV2.zip was imported before these places" in report.notes[0]
    assert GeoNamesDB(db_path).lookup("unguwar zomo") == []
    again = import_files([alternates], db_path)
    assert again.files[0].status == "imported"
    assert [e.geonameid for e in GeoNamesDB(db_path).lookup("unguwar zomo")] == [101]


def test_a_file_that_is_no_gazetteer_is_a_clear_error(tmp_path, dumps):
    from sitrep.errors import StoreError

    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"not a database" * 200)
    with pytest.raises(StoreError, match="junk.sqlite: not a gazetteer sitrep can import into"):
        import_files([dumps[0]], junk)
    result = CliRunner().invoke(app, ["gazetteer", "status", "--db", str(junk)])
    assert result.exit_code == 2 and "not a gazetteer sitrep made" in result.output
