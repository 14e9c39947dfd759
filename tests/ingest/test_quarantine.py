"""Every kind of unusable input ends in quarantine with its reason; nothing else is lost."""

from __future__ import annotations

import pytest

from sitrep.errors import InputError
from sitrep.ingest import read_file, read_paths
from sitrep.records import Document, Problem


@pytest.mark.parametrize("name, raw, reason", [
    ("image.png", b"\x89PNG\r\n\x1a\n" + bytes(200), "binary file"),
    ("report.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "binary file"),
    ("nul.txt", b"Ten killed\x00\x00\x00 in Tank", "binary file"),
    ("blob.bin", bytes(range(256)) * 8, "binary file"),
    ("latin1.txt", "Ten killed in Dikwa – résumé".encode("cp1252"), "undecodable text"),
    ("empty.txt", b"", "empty document"),
    ("spaces.txt", b"   \n\n\t  ", "empty document"),
    ("only_marker.txt", b"date 2026-01-31   \n", "empty document"),
    ("only_boilerplate.txt", b"ALSO READ: something else\nAdd Some News as a Preferred Source\n", "empty document"),
    ("bad.jsonl", b"{not json}\n", "malformed JSON line"),
    ("broken.xml", b"<rss><channel><item>", "broken feed"),
    ("empty.atom", b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title></feed>', "empty feed"),
])
def test_unusable_input_is_quarantined_with_reason(tmp_path, name, raw, reason):
    p = tmp_path / name
    p.write_bytes(raw)
    items = list(read_file(p))
    assert len(items) == 1 and isinstance(items[0], Problem)
    assert items[0].reason == reason and items[0].path == str(p)
    assert items[0].detail  # every problem says why in words


def test_undecodable_detail_names_the_byte(tmp_path):
    p = tmp_path / "x.txt"
    p.write_bytes(b"Ten killed \xff here")
    [problem] = list(read_file(p))
    assert "0xff" in problem.detail and "offset 11" in problem.detail


def test_problems_do_not_stop_the_batch(messy_folder):
    items = list(read_paths([messy_folder]))
    got = sorted((p.reason, p.line) for p in items if isinstance(p, Problem))
    assert got == [("binary file", None), ("empty document", None), ("malformed JSON line", 2)]
    assert sorted(d.doc_id for d in items if isinstance(d, Document)) == ["good", "j1", "j3"]


def test_missing_path_is_an_error_naming_it(tmp_path):
    with pytest.raises(InputError, match="nope.txt: no such file or folder"):
        list(read_paths([tmp_path / "nope.txt"]))


def test_skipped_paths_are_quarantined_once_per_store(tmp_path, messy_folder):
    from sitrep.ingest import scan
    from sitrep.pipeline import RunReport, ingest
    from sitrep.settings import Settings
    from sitrep.store import Store

    (messy_folder / "loop").symlink_to(messy_folder, target_is_directory=True)
    store = Store(f"sqlite:///{tmp_path / 'db.sqlite'}")
    try:
        for _ in range(2):  # a rerun replaces the problems it finds again
            files, skipped = scan([messy_folder])
            ingest(files, store, Settings(), RunReport(tmp_path, ""), skipped=skipped)
        loops = [p for p in store.problems() if p.reason == "folder link loop"]
        assert [p.path for p in loops] == [str(messy_folder / "loop")]
        assert store.count_documents() == 3
    finally:
        store.close()
