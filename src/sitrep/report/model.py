"""The report as plain data: what each part of the page says, with every number tied to a quote.

`compose.build` fills these records; the HTML and Markdown renderers only lay
them out. Text that mixes sitrep's words with
numbers and citations is a list of `Tok`: plain text, a figure (`q` = the
quote it comes from) or a citation of source `n`. Keeping article strings in
tokens, never in pre-built markup, is what lets the templates escape them all.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ..records import Claim, Document
from .chart import Chart


@dataclass(frozen=True)
class Tok:
    """A piece of running text: kind 'text', 'fig' (a number, `q` its quote) or 'ref' (source `n`)."""

    kind: str
    text: str
    q: int | None = None
    n: int | None = None


def T(text: str) -> Tok:
    return Tok("text", text)


def F(text: str, q: int | None) -> Tok:
    return Tok("fig", text, q=q)


def R(n: int, q: int | None = None) -> Tok:
    return Tok("ref", f"[{n}]", q=q, n=n)


@dataclass
class Quote:
    """A highlighted span of a source text; claims and contradicted wordings are quotes."""

    id: int
    doc_id: str
    n: int
    start: int | None
    end: int | None
    text: str
    claim: Claim | None = None


@dataclass
class Source:
    n: int
    doc_id: str
    label: str
    title: str | None
    outlet: str | None
    published: str | None
    url: str | None
    fmt: str
    copy_of: int | None
    opening: str
    parts: list[tuple[str, tuple[int, ...], tuple[int, ...]]] = field(default_factory=list)  # text, quote ids, starts


@dataclass
class Row:
    claimant: str
    claimant_type: str   # SPEC §3 code, for styling
    type_label: str      # the type as a reader sees it: 'armed group', 'NGO'
    value: list[Tok]
    hedge: str
    location: str | None
    first_seen: str | None
    refs: list[Tok]
    conflict: bool = False


@dataclass
class Figure:
    label: str
    predicate: str
    category: str
    reading: list[Tok]
    rationale: list[Tok]
    rows: list[Row]
    disputed: bool = False
    charts: list[Chart] = field(default_factory=list)  # each claimant's figure over time, where they differ


@dataclass
class Entry:
    at: str | None
    kind: str  # event · claim · revision
    toks: list[Tok]


@dataclass
class StoryView:
    id: str
    title: str
    when: str
    overview: list[list[Tok]]
    tolls: list[list[Tok]]
    contradictions: list[tuple[str, list[Tok]]]
    figures: list[Figure]
    timeline: list[Entry]
    markers: list[dict]
    source_ns: list[int]
    n_events: int


@dataclass
class Report:
    generated: str
    stories: list[StoryView]
    sources: list[Source]
    quotes: list[Quote]
    notices: list[str] = field(default_factory=list)

    @property
    def n_events(self) -> int:
        return sum(s.n_events for s in self.stories)


class Quotes:
    """Every quote the report links to, numbered, with its place in its source text."""

    def __init__(self, claims: list[Claim], docs: dict[str, Document], numbers: dict[str, int]):
        self.docs, self.numbers, self.items = docs, numbers, []
        self._by_text: dict[tuple[str, str], list[int]] = defaultdict(list)
        for c in claims:
            if c.doc_id in numbers:
                self._by_text[(c.doc_id, c.quote)].append(self._add(c.doc_id, c.quote, c.char_start, c.char_end, c))

    def _add(self, doc_id: str, text: str, start: int | None, end: int | None, claim: Claim | None) -> int:
        body = self.docs[doc_id].text
        if start is None or body[start:end] != text:  # offsets are checked, not trusted
            found = body.find(text) if text else -1
            start, end = (found, found + len(text)) if found >= 0 else (None, None)
        self.items.append(Quote(len(self.items), doc_id, self.numbers[doc_id], start, end, text, claim))
        return len(self.items) - 1

    def find(self, doc_id: str, text: str, predicate: str | None = None, category: str | None = None) -> int | None:
        ids = self._by_text.get((doc_id, text), [])
        best = [i for i in ids if self.items[i].claim.predicate == predicate and self.items[i].claim.category == category]
        return (best or ids or [None])[0]

    def matching(self, doc_id: str, predicate: str, category: str, low, high) -> int | None:
        """A claim of *doc_id* stating this figure: revisions name only the earlier value, not its quote."""
        same = [q.id for q in self.items if q.claim and q.doc_id == doc_id and q.claim.predicate == predicate
                and (q.claim.low, q.claim.high) == (low, high)]
        return next((i for i in same if self.items[i].claim.category == category), same[0] if same else None)

    def wording(self, doc_id: str, text: str) -> int | None:
        """A non-claim span to highlight (a contradicted weekday), found by its text."""
        if doc_id not in self.numbers or not text or text not in self.docs[doc_id].text:
            return None
        return self._add(doc_id, text, None, None, None)
