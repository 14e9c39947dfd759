"""Each reader of SPEC §1, on inputs built by hand."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from sitrep.ingest import read_file, read_paths
from sitrep.records import Document, Problem


def docs(items):
    return [i for i in items if isinstance(i, Document)]


def problems(items):
    return [i for i in items if isinstance(i, Problem)]


@pytest.mark.parametrize("raw, date, first", [
    (" date 2026-01-31 Ten soldiers died.", dt.date(2026, 1, 31), "Ten soldiers died."),
    ("date 2026-02-01\nTen soldiers died.", dt.date(2026, 2, 1), "Ten soldiers died."),
    ("\n  date 2025-12-30   Ten soldiers died.", dt.date(2025, 12, 30), "Ten soldiers died."),
    ("DATE 2026-01-31 Ten soldiers died.", dt.date(2026, 1, 31), "Ten soldiers died."),
    ("Ten soldiers died on date 2026-01-31.", None, "Ten soldiers died on date 2026-01-31."),
    ("QUETTA – Ten soldiers died.", None, "QUETTA – Ten soldiers died."),
    ("updated 2026-01-31 Ten soldiers died.", None, "updated 2026-01-31 Ten soldiers died."),
])
def test_text_date_marker(tmp_path, raw, date, first):
    p = tmp_path / "a.txt"
    p.write_text(raw, encoding="utf-8")
    [doc] = docs(read_file(p))
    assert doc.published == date
    assert doc.text == first
    assert doc.doc_id == "a"


def test_text_invalid_date_marker_is_quarantined_with_line(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("date 2026-02-30 Ten soldiers died.", encoding="utf-8")
    [problem] = list(read_file(p))
    assert isinstance(problem, Problem)
    assert (problem.reason, problem.line) == ("invalid date marker", 1)
    assert "2026-02-30" in problem.detail


def test_text_utf8_bom_is_read(tmp_path):
    p = tmp_path / "bom.txt"
    p.write_bytes("\ufeffdate 2026-01-31 Seven killed.".encode("utf-8"))
    [doc] = docs(read_file(p))
    assert (doc.published, doc.text) == (dt.date(2026, 1, 31), "Seven killed.")


def test_unknown_suffix_is_read_as_text(tmp_path):
    p = tmp_path / "note.md"
    p.write_text("Three policemen were wounded in Tank.", encoding="utf-8")
    [doc] = docs(read_file(p))
    assert doc.fmt == "txt" and doc.doc_id == "note"


HTML = """<!doctype html><html><head><title>Base attacked | Lake Times</title>
<meta property="article:published_time" content="2026-03-10T08:00:00Z">
<meta property="og:site_name" content="Lake Times"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<div class="cookie">We use cookies. Accept all cookies to continue.</div>
<article><h1>Insurgents storm base near Monguno</h1>
<p>At least ten soldiers were killed when insurgents stormed a base near Monguno on Tuesday, the army said in a statement from Maiduguri.</p>
<p>Residents said the toll was higher and that dozens of houses were burned in two nearby villages.</p>
<p>ALSO READ: Floods displace thousands in the north</p>
<p>The group said in a statement that it had seized weapons and vehicles from the base.</p>
</article><footer>Copyright 2026 Lake Times. All rights reserved.</footer></body></html>"""


def test_html_main_text_and_metadata(tmp_path):
    p = tmp_path / "lake.html"
    p.write_text(HTML, encoding="utf-8")
    [doc] = docs(read_file(p))
    assert doc.fmt == "html" and doc.doc_id == "lake"
    assert doc.published == dt.date(2026, 3, 10)
    assert doc.source == "Lake Times"
    assert "At least ten soldiers were killed" in doc.text
    assert "cookies" not in doc.text and "Copyright" not in doc.text
    assert "ALSO READ" not in doc.text  # boilerplate line dropped after extraction


def test_html_without_article_text_is_quarantined(tmp_path):
    p = tmp_path / "blank.html"
    p.write_text("<html><head><title>x</title></head><body><nav>Home</nav></body></html>", encoding="utf-8")
    [problem] = list(read_file(p))
    assert isinstance(problem, Problem) and problem.reason == "empty document"


def test_jsonl_articles_fields_and_ids(tmp_path):
    p = tmp_path / "wire.jsonl"
    rows = [
        {"id": "w1", "text": "Four killed in Jowhar.", "title": "Jowhar", "published": "2026-03-01",
         "source": "Wire", "url": "https://example.org/w1"},
        {"id": 7, "text": "Two hurt in Afgooye.", "published": "2026-03-02T10:00:00+03:00"},
        {"text": "No id here, eleven killed."},
    ]
    p.write_text("\n".join(json.dumps(r) for r in rows) + "\n\n", encoding="utf-8")
    got = docs(read_file(p))
    assert [d.doc_id for d in got][:2] == ["w1", "7"]
    assert got[2].doc_id.startswith("wire_") and len(got[2].doc_id) == len("wire_") + 16
    assert got[0].title == "Jowhar" and got[0].source == "Wire" and got[0].url == "https://example.org/w1"
    assert got[0].published == dt.date(2026, 3, 1) and got[1].published == dt.date(2026, 3, 2)
    assert got[1].origin.endswith("wire.jsonl:2")
    # the generated id is stable across reads
    assert docs(read_file(p))[2].doc_id == got[2].doc_id


@pytest.mark.parametrize("line, reason", [
    ('{"id": "x", "text": "unterminated', "malformed JSON line"),
    ('[1, 2, 3]', "malformed JSON line"),
    ('{"id": "x"}', "empty document"),
    ('{"id": "x", "text": "   "}', "empty document"),
    ('{"id": "x", "text": "Ten killed.", "published": "31/01/2026"}', "invalid published date"),
])
def test_jsonl_bad_line_is_quarantined_and_rest_kept(tmp_path, line, reason):
    p = tmp_path / "mixed.jsonl"
    good = json.dumps({"id": "ok", "text": "Nine killed in Tank."})
    p.write_text(good + "\n" + line + "\n" + good.replace('"ok"', '"ok2"') + "\n", encoding="utf-8")
    items = list(read_file(p))
    assert [d.doc_id for d in docs(items)] == ["ok", "ok2"]
    [problem] = problems(items)
    assert (problem.reason, problem.line, problem.path) == (reason, 2, str(p))


RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Horn Wire</title><link>https://example.org</link><description>news</description>
<item><title>Blast in Jowhar</title><link>https://example.org/a</link><guid>https://example.org/a</guid>
<pubDate>Tue, 10 Mar 2026 08:00:00 +0000</pubDate>
<description>&lt;p&gt;At least six people were killed in Jowhar.&lt;/p&gt;&lt;p&gt;Police said the toll could rise.&lt;/p&gt;</description></item>
<item><title>Second</title><link>https://example.org/b</link><pubDate>Wed, 11 Mar 2026 08:00:00 +0000</pubDate>
<description>Two soldiers were wounded near Afgooye.</description></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Sahel Desk</title><id>urn:x</id><updated>2026-03-10T00:00:00Z</updated>
<entry><title>Raid</title><id>urn:e1</id><updated>2026-03-09T10:00:00Z</updated>
<content type="html">&lt;p&gt;Twelve soldiers were killed in a raid.&lt;/p&gt;</content></entry></feed>"""


def test_rss_entries_become_articles(tmp_path):
    p = tmp_path / "horn.xml"
    p.write_text(RSS, encoding="utf-8")
    got = docs(read_file(p))
    assert len(got) == 2
    assert got[0].text == "At least six people were killed in Jowhar.\nPolice said the toll could rise."
    assert got[0].published == dt.date(2026, 3, 10) and got[0].source == "Horn Wire"
    assert got[0].title == "Blast in Jowhar" and got[0].url == "https://example.org/a"
    assert got[0].doc_id != got[1].doc_id and got[0].doc_id.startswith("horn_")


def test_atom_entries_become_articles(tmp_path):
    p = tmp_path / "sahel.atom"
    p.write_text(ATOM, encoding="utf-8")
    [doc] = docs(read_file(p))
    assert doc.text == "Twelve soldiers were killed in a raid." and doc.published == dt.date(2026, 3, 9)


def test_broken_feed_is_quarantined(tmp_path):
    p = tmp_path / "broken.rss"
    p.write_text("<rss><channel><item><title>cut off", encoding="utf-8")
    [problem] = list(read_file(p))
    assert isinstance(problem, Problem) and problem.reason == "broken feed"


def test_folders_are_read_recursively_and_hidden_files_skipped(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "one.txt").write_text("One killed.", encoding="utf-8")
    (tmp_path / "a" / "b" / "two.txt").write_text("Two killed.", encoding="utf-8")
    (tmp_path / "a" / ".hidden.txt").write_text("Hidden.", encoding="utf-8")
    (tmp_path / "a" / ".git").mkdir()
    (tmp_path / "a" / ".git" / "x.txt").write_text("Git.", encoding="utf-8")
    got = docs(read_paths([tmp_path / "a"]))
    assert sorted(d.doc_id for d in got) == ["one", "two"]


def test_same_file_given_twice_is_read_once(tmp_path):
    p = tmp_path / "one.txt"
    p.write_text("One killed.", encoding="utf-8")
    assert len(docs(read_paths([p, tmp_path]))) == 1


def _jsonl(tmp_path, *lines: str, name="wire.jsonl"):
    p = tmp_path / name
    p.write_bytes("\n".join(lines).encode("utf-8", "surrogatepass") + b"\n")
    return p


GOOD = json.dumps({"id": "ok", "text": "Nine soldiers were killed in Tank."})


@pytest.mark.parametrize("field", ["text", "id", "title"])
def test_jsonl_lone_surrogate_is_replaced_and_the_article_stored(tmp_path, field):
    from sitrep.store import Store

    row = {"id": "s1", "text": "Six people were killed in Dikwa.", "title": "Dikwa"}
    row[field] = row[field][:3] + "\ud800" + row[field][3:]
    p = _jsonl(tmp_path, GOOD, json.dumps(row))  # json.dumps escapes it: a valid JSON line
    got = docs(read_file(p))
    assert len(got) == 2 and not problems(read_file(p))
    value = {"text": got[1].text, "id": got[1].doc_id, "title": got[1].title}[field]
    assert "\ufffd" in value and "\ud800" not in value
    store = Store(f"sqlite:///{tmp_path / 'db.sqlite'}")
    try:
        list(store.add_documents(got))
        assert store.count_documents() == 2
    finally:
        store.close()


def test_jsonl_deeply_nested_line_is_quarantined_and_rest_kept(tmp_path):
    p = _jsonl(tmp_path, "[" * 100_000, GOOD)
    items = list(read_file(p))
    assert [d.doc_id for d in docs(items)] == ["ok"]
    [problem] = problems(items)
    assert (problem.reason, problem.line) == ("malformed JSON line", 1)
    assert "nested" in problem.detail


@pytest.mark.parametrize("sep", ["\u2028", "\u2029", "\u0085", "\x1c", "\x1d", "\x1e", "\x0b", "\x0c", "\r"])
def test_jsonl_lines_split_on_newline_only(tmp_path, sep):
    inner = json.dumps({"id": "a", "text": f"Four were killed.{sep}Two were hurt."}, ensure_ascii=False)
    p = _jsonl(tmp_path, inner, '{"broken', GOOD)
    items = list(read_file(p))
    assert [d.doc_id for d in docs(items)] == ["a", "ok"]
    assert [(x.reason, x.line) for x in problems(items)] == [("malformed JSON line", 2)]
    assert docs(items)[1].origin.endswith("wire.jsonl:3")


def test_jsonl_line_above_the_size_limit_is_quarantined_and_rest_kept(tmp_path):
    big = json.dumps({"id": "big", "text": "Ten were killed. " * 500})
    p = _jsonl(tmp_path, GOOD, big, GOOD.replace('"ok"', '"ok2"'))
    items = list(read_file(p, max_bytes=1000))
    assert [d.doc_id for d in docs(items)] == ["ok", "ok2"]
    [problem] = problems(items)
    assert (problem.reason, problem.line) == ("document too large", 2)
    assert f"{len(big):,} bytes" in problem.detail and "1,000" in problem.detail and "max_document_bytes" in problem.detail


@pytest.mark.parametrize("name", ["big.txt", "big.html"])
def test_document_file_above_the_size_limit_is_quarantined_unread(tmp_path, name):
    p = tmp_path / name
    p.write_text("Ten soldiers were killed in Tank. " * 100, encoding="utf-8")
    [problem] = list(read_file(p, max_bytes=1000))
    assert problem.reason == "document too large" and "max_document_bytes" in problem.detail


def test_feed_above_the_file_limit_is_quarantined(tmp_path):
    p = tmp_path / "feed.rss"
    p.write_text(RSS, encoding="utf-8")
    [problem] = list(read_file(p, max_bytes=100, max_file_bytes=200))
    assert problem.reason == "file too large" and "max_file_bytes" in problem.detail
    assert len(docs(read_file(p, max_bytes=10_000))) == 2


def test_feed_entry_above_the_size_limit_is_quarantined_and_rest_kept(tmp_path):
    p = tmp_path / "feed.rss"
    p.write_text(RSS, encoding="utf-8")
    items = list(read_file(p, max_bytes=60))
    assert [d.title for d in docs(items)] == ["Second"]
    [problem] = problems(items)
    assert (problem.reason, problem.line) == ("document too large", 1)


@pytest.mark.parametrize("codec", ["utf-16", "utf-32", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
@pytest.mark.parametrize("name", ["a.txt", "a.jsonl"])
def test_utf16_and_utf32_with_bom_are_decoded(tmp_path, codec, name):
    body = "Seven soldiers were killed in Tank – résumé."
    text = body if name.endswith(".txt") else json.dumps({"id": "u", "text": body}, ensure_ascii=False) + "\n"
    bom = {"utf-16-le": "\ufeff", "utf-16-be": "\ufeff", "utf-32-le": "\ufeff", "utf-32-be": "\ufeff"}.get(codec, "")
    p = tmp_path / name
    p.write_bytes((bom + text).encode(codec))
    [doc] = list(read_file(p))
    assert isinstance(doc, Document) and doc.text == body


def test_nul_after_the_first_8_kib_never_reaches_the_text(tmp_path):
    p = tmp_path / "a.txt"
    p.write_bytes(b"Ten soldiers were killed in Tank. " * 300 + b"Four\x00 more\x07 died.")
    [doc] = list(read_file(p))
    assert "\x00" not in doc.text and "\x07" not in doc.text and doc.text.endswith("Four more died.")
