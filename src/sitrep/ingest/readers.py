"""One reader per input form (SPEC §1). Each yields Documents or Problems.

Readers never raise for bad content: a file or line that cannot be used
becomes a `Problem` with the path, line and reason, and reading goes on.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import logging
import re
import warnings
from collections.abc import Iterator
from pathlib import Path

from ..records import Document, Problem
from .countries import country_code
from .files import bom_encoding, decode, describe_decode_error
from .normalize import clean_field, clean_text, find_embedded_posts

Item = Document | Problem
log = logging.getLogger(__name__)

# "date 2026-01-31" at the very start, possibly after whitespace, possibly followed by text on the same line.
_DATE_MARKER = re.compile(r"\A\s*date[ \t]+(\d{4}-\d{2}-\d{2})\b[ \t]*\n?", re.IGNORECASE)
_MIN_HTML_WORDS = 5
_MAX_BYTES = 2 * 1024 * 1024  # Settings.max_document_bytes; read_file passes the configured value
_BLOCK_TAGS = ("p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr")


def short_hash(text: str, n: int = 16) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:n]


def make_document(doc_id: str, raw_text: str, origin: str, fmt: str, line: int | None = None,
                  path: str = "", **meta) -> Item:
    """Clean *raw_text* and wrap it, or return an 'empty document' Problem."""
    text = clean_text(raw_text)
    if not text:
        return Problem(path=path or origin, line=line, reason="empty document",
                       detail="no article text left after removing whitespace and boilerplate")
    meta = {k: clean_field(v) if isinstance(v, str) else v for k, v in meta.items()}
    return Document(doc_id=clean_field(doc_id), text=text, origin=clean_field(origin), fmt=fmt,
                    embedded_posts=find_embedded_posts(text), **meta)


def parse_published(value) -> dt.date | None:
    """ISO 8601 date or datetime (a trailing Z allowed) to a date; ValueError if malformed."""
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise ValueError(f"expected an ISO 8601 string, got {type(value).__name__}")
    value = value.strip()
    if len(value) == 10:
        return dt.date.fromisoformat(value)
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).date()


def too_large(path: Path, size: int, max_bytes: int, line: int | None = None) -> Problem:
    return Problem(str(path), "document too large", line=line,
                   detail=f"{size:,} bytes, above the limit of {max_bytes:,} bytes per article set by "
                          "max_document_bytes in the settings; shorten the article or raise the limit")


def read_text(path: Path, raw: bytes, max_bytes: int = _MAX_BYTES) -> Iterator[Item]:
    """A plain-text article; an optional leading ``date YYYY-MM-DD`` marker is its date."""
    try:
        text = decode(raw)
    except UnicodeDecodeError as e:
        yield Problem(str(path), "undecodable text", detail=describe_decode_error(e))
        return
    published = None
    m = _DATE_MARKER.match(text)
    if m:
        try:
            published = dt.date.fromisoformat(m.group(1))
        except ValueError:
            yield Problem(str(path), "invalid date marker", line=1,
                          detail=f"'{m.group(1)}' is not a real date; write it as YYYY-MM-DD")
            return
        text = text[m.end():]
    yield make_document(path.stem, text, str(path), "txt", path=str(path), published=published)


def read_html(path: Path, raw: bytes, max_bytes: int = _MAX_BYTES) -> Iterator[Item]:
    """A web page: trafilatura extracts the main text, title, date and site name."""
    import trafilatura  # slow import; only pay for it when there is HTML

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            found = trafilatura.bare_extraction(
                raw, with_metadata=True, include_comments=False,
                date_extraction_params={"extensive_search": False, "original_date": True})
        except Exception as e:  # trafilatura raises many kinds on broken markup
            yield Problem(str(path), "unreadable HTML", detail=f"{type(e).__name__}: {e}")
            return
    # Pages with no article make trafilatura fall back to menus ("Home"): demand a sentence's worth.
    if found is None or len((found.text or "").split()) < _MIN_HTML_WORDS:
        yield Problem(str(path), "empty document", detail="no article text found in the HTML page")
        return
    published = None
    if found.date:
        try:
            published = parse_published(found.date)
        except ValueError:
            published = None
    yield make_document(path.stem, found.text, str(path), "html", path=str(path), published=published,
                        title=found.title, source=found.sitename, url=found.url)


def read_jsonl(path: Path, raw: bytes, max_bytes: int = _MAX_BYTES) -> Iterator[Item]:
    """One article per line: ``{"id", "text", "title"?, "published"?, "source"?, "url"?, "country"?}``.

    Lines end at "\\n" only: U+2028, U+2029 and NEL may stand inside JSON strings.
    ``country`` (a name or an ISO code) is only a hint for places: one that
    names no country is dropped (and logged), never a reason to quarantine.
    """
    if bom_encoding(raw) in (None, "utf-8-sig"):
        yield from read_jsonl_stream(path, io.BytesIO(raw), max_bytes)
        return
    try:
        text = decode(raw)
    except UnicodeDecodeError as e:
        yield Problem(str(path), "undecodable text", detail=describe_decode_error(e))
        return
    for n, line in enumerate(text.split("\n"), 1):
        if len(line) > max_bytes // 4 and (size := len(line.encode("utf-8", "surrogatepass"))) > max_bytes:
            yield too_large(path, size, max_bytes, n)
        else:
            yield from _jsonl_line(path, n, line)


def read_jsonl_stream(path: Path, f, max_bytes: int = _MAX_BYTES, first_line: int = 1) -> Iterator[Item]:
    """`read_jsonl` on an open binary UTF-8 file, one line in memory at a time; its first line is
    line *first_line* of the file (a watch reads what was appended to a file it read before)."""
    n = first_line - 1
    while line := f.readline(max_bytes + 1):
        n += 1
        if n == 1 and line.startswith(b"\xef\xbb\xbf"):
            line = line[3:]
        body = line.rstrip(b"\n")
        if len(body) > max_bytes:
            size = len(body)
            while not line.endswith(b"\n") and (line := f.readline(1 << 20)):  # skip the rest, unkept
                size += len(line.rstrip(b"\n"))
            yield too_large(path, size, max_bytes, n)
            continue
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as e:
            yield Problem(str(path), "undecodable text", line=n, detail=describe_decode_error(e))
            continue
        yield from _jsonl_line(path, n, text)


def read_jsonl_line(path: Path, n: int, line: str) -> Iterator[Item]:
    """One JSONL line (line *n* of *path*) as a Document, or a Problem saying why not; a blank line yields
    nothing. What the web app's ingest route reads a posted article with, so the same rules apply."""
    return _jsonl_line(path, n, line)


def _jsonl_line(path: Path, n: int, line: str) -> Iterator[Item]:
    if not line.strip():
        return
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as e:
        yield Problem(str(path), "malformed JSON line", line=n, detail=f"{e.msg} at column {e.colno}")
        return
    except RecursionError:
        yield Problem(str(path), "malformed JSON line", line=n,
                      detail="arrays or objects nested too deeply to read; an article is one flat JSON object")
        return
    if not isinstance(obj, dict):
        yield Problem(str(path), "malformed JSON line", line=n,
                      detail=f"expected an object, got {type(obj).__name__}")
        return
    body = obj.get("text")
    if not isinstance(body, str) or not body.strip():
        yield Problem(str(path), "empty document", line=n, detail="no 'text' field or it is empty")
        return
    try:
        published = parse_published(obj.get("published"))
    except ValueError as e:
        yield Problem(str(path), "invalid published date", line=n, detail=clean_field(str(e)))
        return
    doc_id = str(obj.get("id") or f"{path.stem}_{short_hash(body)}")
    hint = obj.get("country")
    country = country_code(hint)
    if country is None and hint not in (None, ""):
        log.info("%s:%d: country %r names no country; the article is read without a country hint",
                 path, n, hint)
    yield make_document(doc_id, body, f"{path}:{n}", "jsonl", line=n, path=str(path),
                        published=published, title=_str(obj.get("title")),
                        source=_str(obj.get("source")), url=_str(obj.get("url")), country=country)


def read_feed(path: Path, raw: bytes, max_bytes: int = _MAX_BYTES) -> Iterator[Item]:
    """An RSS or Atom feed: every entry is an article."""
    import feedparser

    # Never let feedparser fetch anything: it only ever sees these bytes.
    feed = feedparser.parse(raw, resolve_relative_uris=False, sanitize_html=True)
    why = feed.get("bozo_exception") if feed.get("bozo") else None
    bodies = [_entry_body(e) for e in feed.entries]
    if not any(b.strip() for b in bodies) and why is not None:
        yield Problem(str(path), "broken feed", detail=f"{type(why).__name__}: {why}")
        return
    if not feed.entries:
        yield Problem(str(path), "empty feed", detail="the feed has no entries")
        return
    for n, (entry, body) in enumerate(zip(feed.entries, bodies), 1):
        if len(body) > max_bytes // 4 and (size := len(body.encode("utf-8", "surrogatepass"))) > max_bytes:
            yield too_large(path, size, max_bytes, n)
            continue
        key = entry.get("id") or entry.get("link") or entry.get("title") or body
        published = None
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        if stamp:
            published = dt.date(stamp.tm_year, stamp.tm_mon, stamp.tm_mday)
        yield make_document(f"{path.stem}_{short_hash(key)}", html_to_text(body), f"{path}:entry {n}", "feed",
                            line=n, path=str(path), published=published, title=_str(entry.get("title")),
                            source=_str(feed.feed.get("title")), url=_str(entry.get("link")))


def _entry_body(entry) -> str:
    body = entry.content[0].get("value", "") if entry.get("content") else ""
    return body or entry.get("summary", "") or entry.get("description", "")


def html_to_text(fragment: str) -> str:
    """Text of an HTML fragment (feed entry), one line per block element."""
    if "<" not in fragment:
        return fragment
    import lxml.html

    try:
        root = lxml.html.fromstring(fragment)
    except Exception:  # lxml raises ParserError on empty or odd fragments
        return re.sub(r"<[^>]+>", " ", fragment)
    for el in root.iter(*_BLOCK_TAGS):
        el.tail = "\n" + (el.tail or "")
    return root.text_content()


def _str(v) -> str | None:
    return str(v).strip() or None if v is not None else None


READERS = {"txt": read_text, "html": read_html, "jsonl": read_jsonl, "feed": read_feed}
