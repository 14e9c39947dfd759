"""The readers (txt, JSONL, RSS/Atom, HTML) on generated files: every input unit comes back as a
Document or a Problem with a reason, in order, and nothing raises. No spaCy: this runs in test-fast.
"""

from __future__ import annotations

import itertools
import json
import os
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from fuzzkit import ARTICLE_TEXT, SAFE_TEXT, check_item, counted, examples
from sitrep.ingest import read_file, read_paths
from sitrep.ingest.normalize import clean_field
from sitrep.records import Document, Problem

# feedparser warns about its own updated/published fallback on every dated Atom entry.
pytestmark = pytest.mark.filterwarnings("ignore:To avoid breaking existing software:DeprecationWarning")
_NAMES = itertools.count()


@pytest.fixture(scope="module")
def folder():
    with tempfile.TemporaryDirectory(prefix="sitrep-fuzz-") as d:
        yield Path(d)


def unit(item) -> int | None:
    """The line (JSONL) or entry (feed) number an item stands for."""
    if isinstance(item, Problem):
        return item.line
    tail = item.origin.rsplit(":", 1)[-1].removeprefix("entry ")
    return int(tail) if tail.isdigit() and ":" in item.origin else None


BOM = b"\xef\xbb\xbf"
# Found by this suite, in no other branch's list: a .jsonl file holding only a UTF-8 BOM (and blank lines)
# passes read_file's emptiness check, then read_jsonl finds no line: nothing is stored or quarantined.


def bom_only_jsonl(raw: bytes, suffix: str) -> bool:
    return suffix == ".jsonl" and raw.startswith(BOM) and not raw[3:].decode("utf-8", "replace").strip()


def write(folder: Path, suffix: str, data: bytes) -> Path:
    p = folder / f"f{next(_NAMES)}{suffix}"
    p.write_bytes(data)
    return p


# ---------------------------------------------------------------- txt

ENCODED = st.sampled_from(["utf-8", "utf-8-sig"])
MARKER = st.sampled_from(["", "date 2026-03-10\n", "DATE 2026-02-30 ", "date 2026-13-01\n", "  date 1999-01-01 x",
                          "date 0001-01-01\n", "date 9999-12-31\n"])


@examples(250)
@given(MARKER, ARTICLE_TEXT, ENCODED, st.sampled_from(["\n", "\r\n", "\r"]))
def test_a_text_file_is_one_document_or_one_problem(folder, marker, body, encoding, newline):
    path = write(folder, ".txt", (marker + body).replace("\n", newline).encode(encoding))
    counted("readers")
    items = list(read_file(path))
    assert len(items) == 1, items
    check_item(items[0], path)


@examples(100)
@given(st.binary(max_size=300), st.sampled_from([".txt", ".jsonl", ".xml", ".md", ".dat", ""]))
def test_random_bytes_are_read_or_quarantined(folder, raw, suffix):
    assume(not bom_only_jsonl(raw, suffix))  # test_a_jsonl_file_of_only_a_bom_is_not_lost
    path = write(folder, suffix, raw)
    counted("readers")
    items = list(read_file(path))
    assert items, "nothing came back for a file"
    for item in items:
        check_item(item, path)


# ---------------------------------------------------------------- JSONL

JSON_SCALAR = st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20),
                        st.floats(allow_nan=False, allow_infinity=False), SAFE_TEXT)
JSON_ANY = st.recursive(JSON_SCALAR, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                             st.dictionaries(SAFE_TEXT, inner, max_size=3)),
                        max_leaves=8)
PUBLISHED_FIELD = st.one_of(st.sampled_from(["2026-03-10", "2026-03-11T09:30:00Z", "2026-02-30", "yesterday", "",
                                             "2026-03-10T25:00:00", "0001-01-01", "9999-12-31T23:59:59+14:00"]),
                            JSON_ANY)


@st.composite
def jsonl_line(draw, n: int) -> str:
    kind = draw(st.sampled_from(["article", "article", "article", "junk", "not an object", "blank", "no text"]))
    if kind == "blank":
        return draw(st.sampled_from(["", "   ", "\t"]))
    if kind == "junk":
        return draw(st.sampled_from(['{"id": "x", "text": "broken', "{", "]", "nul", '{"text": 1,}'])) + draw(SAFE_TEXT)
    if kind == "not an object":
        return json.dumps(draw(st.one_of(JSON_SCALAR, st.lists(JSON_SCALAR, max_size=3))))
    obj = {"id": draw(st.one_of(st.just(f"line-{n}"), st.none(), st.just(""), st.integers(0, 10**6).map(lambda i: f"{n}-{i}"))),
           "text": draw(ARTICLE_TEXT) if kind == "article" else draw(st.one_of(st.none(), st.just(" "), JSON_SCALAR))}
    for key, value in (("published", PUBLISHED_FIELD), ("title", JSON_ANY), ("source", JSON_ANY),
                       ("url", JSON_ANY), ("country", st.one_of(st.sampled_from(["PK", "Nigeria", "xx", "Narnia"]), JSON_ANY)),
                       ("extra", JSON_ANY)):
        if draw(st.booleans()):
            obj[key] = draw(value)
    return json.dumps(obj, ensure_ascii=draw(st.booleans()))


@st.composite
def jsonl_files(draw) -> list[str]:
    return [draw(jsonl_line(n)) for n in range(1, draw(st.integers(1, 8)) + 1)]


@examples(200)
@given(jsonl_files(), st.sampled_from(["\n", "\r\n"]), ENCODED, st.booleans())
def test_every_jsonl_line_is_a_document_or_a_problem_with_its_number(folder, lines, newline, encoding, final):
    path = write(folder, ".jsonl", (newline.join(lines) + (newline if final else "")).encode(encoding))
    units = [n for n, line in enumerate(lines, 1) if line.strip()]
    assume(units or encoding == "utf-8")  # test_a_jsonl_file_of_only_a_bom_is_not_lost
    counted("readers", max(len(units), 1))
    items = list(read_file(path))
    for item in items:
        check_item(item, path)
    if not units:
        assert [i.reason for i in items] == ["empty document"]
        return
    assert [unit(i) for i in items] == units, (lines, items)


@pytest.mark.parametrize("raw", [BOM, BOM + b"\n\n", BOM + b" \r\n\t\n"])
def test_a_jsonl_file_of_only_a_bom_is_not_lost(folder, raw):
    path = write(folder, ".jsonl", raw)
    counted("nasty")
    items = list(read_file(path))
    assert [i.reason for i in items] == ["empty document"], items


# Bugs found by an adversarial user (issue 11), each kept as a regression test.


@pytest.mark.parametrize("sep", ["\u2028", "\u2029", "\x85"])
def test_a_line_separator_inside_a_json_string_keeps_the_line_whole(folder, sep):
    line = json.dumps({"id": "ls", "text": f"Ten soldiers{sep}were killed in Bannu, police said."}, ensure_ascii=False)
    path = write(folder, ".jsonl", (line + "\n").encode("utf-8"))
    counted("nasty")
    items = list(read_file(path))
    assert [type(i).__name__ for i in items] == ["Document"], items


@pytest.mark.parametrize("escaped", ["\\ud800", "\\udfff", "\\ud83d", "x\\udc00y"])
def test_a_lone_surrogate_never_reaches_a_document(folder, escaped):
    path = write(folder, ".jsonl", ('{"id": "s", "text": "Ten soldiers were killed ' + escaped + ' in Bannu."}\n').encode())
    counted("nasty")
    (item,) = read_file(path)
    check_item(item, path)
    if isinstance(item, Document):
        item.text.encode("utf-8")  # the store, the hash and every output file need this


@pytest.mark.parametrize("shape", ["[", '{"a":'])
def test_deeply_nested_json_is_a_problem_and_the_next_line_is_read(folder, shape):
    close = "]" if shape == "[" else "}"
    deep = shape * 100_000 + "1" + close * 100_000
    good = json.dumps({"id": "after", "text": "Ten soldiers were killed in Bannu, police said."})
    path = write(folder, ".jsonl", f"{deep}\n{good}\n".encode())
    counted("nasty")
    items = list(read_file(path))
    assert [(type(i).__name__, unit(i)) for i in items] == [("Problem", 1), ("Document", 2)], items


# ---------------------------------------------------------------- RSS and Atom

@st.composite
def feeds(draw) -> tuple[bytes, int, bool]:
    atom = draw(st.booleans())
    n = draw(st.integers(0, 5))
    entries = []
    for i in range(n):
        title = escape(draw(SAFE_TEXT))
        body = draw(ARTICLE_TEXT)
        body = (f"<![CDATA[<p>{body.replace(']]>', '')}</p><script>x()</script>]]>" if draw(st.booleans())
                else escape(body))
        date = draw(st.sampled_from(["", "Tue, 10 Mar 2026 09:00:00 GMT", "2026-03-10T09:00:00Z", "not a date",
                                     "Mon, 31 Feb 2026 25:61:00 +9999"]))
        if atom:
            entries.append(f"<entry><id>urn:e:{i}</id><title>{title}</title><updated>{date}</updated>"
                           f"<content type='html'>{body}</content></entry>")
        else:
            entries.append(f"<item><guid>e-{i}</guid><title>{title}</title><pubDate>{date}</pubDate>"
                           f"<description>{body}</description></item>")
    if atom:
        doc = ("<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'>"
               f"<title>{escape(draw(SAFE_TEXT))}</title>{''.join(entries)}</feed>")
    else:
        doc = (f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>{escape(draw(SAFE_TEXT))}"
               f"</title>{''.join(entries)}</channel></rss>")
    raw = doc.encode("utf-8")
    cut = draw(st.one_of(st.none(), st.integers(0, len(raw))))
    return (raw if cut is None else raw[:cut]), n, cut is not None


@examples(150)
@given(feeds(), st.sampled_from([".xml", ".rss", ".atom"]))
def test_every_feed_entry_is_a_document_or_a_problem(folder, feed, suffix):
    raw, entries, cut = feed
    path = write(folder, suffix, raw)
    counted("readers", max(entries, 1))
    items = list(read_file(path))
    assert items, "a feed gave nothing back"
    for item in items:
        check_item(item, path)
    if not cut and entries:
        assert [unit(i) for i in items] == list(range(1, entries + 1)), items


# ---------------------------------------------------------------- HTML

@st.composite
def pages(draw) -> str:
    paras = "".join(f"<p>{escape(draw(ARTICLE_TEXT))}</p>" for _ in range(draw(st.integers(0, 4))))
    junk = draw(st.sampled_from(["", "<div", "</p></p></div>", "<script>alert(1)</script>", "<!--", "&#xD800;",
                                 "<svg><foreignObject>", "<base href='http://203.0.113.1/'>",
                                 "<img src='http://203.0.113.1/x.png'>", "<link rel=stylesheet href=//203.0.113.1/a.css>"]))
    title = escape(draw(SAFE_TEXT))
    return (f"<!doctype html><html><head><title>{title}</title>"
            f"<meta property='article:published_time' content='{draw(st.sampled_from(['2026-03-10', 'x', '']))}'>"
            f"</head><body>{junk}<article><h1>{title}</h1>{paras}</article>{junk}</body></html>")


@examples(40)
@given(pages(), ENCODED)
def test_an_html_page_is_one_document_or_one_problem(folder, page, encoding):
    path = write(folder, ".html", page.encode(encoding))
    counted("readers")
    items = list(read_file(path))
    assert len(items) == 1, items
    check_item(items[0], path)


# ---------------------------------------------------------------- odd file names

NAME = st.text(st.characters(blacklist_characters="/\x00", blacklist_categories=("Cs",)), min_size=1, max_size=40) \
    .filter(lambda s: not s.startswith(".") and len(s.encode("utf-8")) < 200)


@examples(60)
@given(st.lists(NAME, min_size=1, max_size=5, unique=True),
       st.sampled_from(["", ".txt", ".TXT", ".jsonl", ".html", ".xml", ".txt.bak", ". txt"]))
def test_files_with_odd_names_are_each_read(names, suffix):
    with tempfile.TemporaryDirectory(prefix="sitrep-names-") as d:
        for name in names:
            (Path(d) / (name + suffix)).write_text("Ten soldiers were killed in Bannu on Tuesday, police said.",
                                                   encoding="utf-8")
        counted("readers", len(names))
        items = list(read_paths([d]))
        origins = {os.path.basename(i.origin.split(":")[0] if isinstance(i, Document) and i.fmt != "txt" else
                                    (i.origin if isinstance(i, Document) else i.path)) for i in items}
        # documents carry cleaned origins (control characters as escapes); problems are cleaned when stored
        assert {clean_field(o) for o in origins} == {clean_field(name + suffix) for name in names}, (names, items)
        for item in items:
            assert isinstance(item, (Document, Problem))
