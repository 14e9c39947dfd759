"""One document's claims: the stages of `sitrep.claims` run over its sentences in order.

Reading (`reading`) finds what each number counts, attribution (`attribution`)
who says it, scope (`scope`) where and whether it is this incident's, victims
(`victims`) whether the dead were civilians; `dedupe` keeps one claim per figure.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..fuse.categories import narrower, related
from ..records import Claim
from .attribution import Attributor
from .reading import read
from .scope import Focus, Scope, earlier_clause, lead_date, locations, sites, subject_places
from .victims import specify


def extract_claims(analysis, parsed: dict[int, object]) -> list[Claim]:
    """Claims of one analysed document; *parsed* maps sentence index to its spaCy parse."""
    from ..nlp.actors import find_sources

    doc, text = analysis.doc, analysis.doc.text
    who = Attributor(analysis, find_sources(text))
    town_of = _town_namer()
    lead = lead_date(analysis.dates, analysis.sentences)
    scope = Scope(analysis.reference_date, lead)
    scopes = [scope.sentence(analysis.paragraphs[i], text[a:b], analysis.in_sentence(analysis.dates, i))
              for i, (a, b) in enumerate(analysis.sentences)]
    focus = Focus(town_of, sites(text, analysis.places, analysis.sentences, scopes, town_of))
    found = []  # (sentence, claim, counted noun, limited to its place, places of the clause's subject, each)
    for i, (a, b) in enumerate(analysis.sentences):
        who.start_sentence(i)
        location, limited = focus.sentence(analysis.paragraphs[i], text, a, b, analysis.places)
        sent = parsed.get(i)
        if sent is not None:
            context = _context_words(text, analysis, i)
            actor_cats = _actor_tokens(sent, a, analysis.in_sentence(analysis.actors, i))
            for r in read(sent, a, list(analysis.quantities[i]), context, actor_cats):
                claimant, kind, hedge = who.claim(r, sent, a, b)
                claim = Claim(
                    doc_id=doc.doc_id, quote=text[r.start:r.end], char_start=r.start, char_end=r.end,
                    predicate=r.predicate, category=r.category, low=r.quantity.low, high=r.quantity.high,
                    qualifier=r.quantity.qualifier, text_value=r.quantity.text_value, claimant=claimant,
                    claimant_type=kind, hedge=hedge, location=location,
                    event_scope="background" if earlier_clause(r.cue, lead or doc.published) else scopes[i],
                    part=r.part,
                    published=doc.published.isoformat() if doc.published else None)
                noun = r.anchor.lemma_.lower() if r.anchor is not None and r.anchor.pos_ == "NOUN" else None
                found.append((i, claim, noun, limited, *subject_places(r, sent, a, text, analysis.places, town_of)))
        who.end_sentence(i)
    # Only an incident with several sites has figures limited to one of them; the sites are the
    # places named where its own figures are given.
    figure_sentences = sorted({i for i, c, *_ in found if c.event_scope == "main"})
    where = sites(text, analysis.places, [analysis.sentences[i] for i in figure_sentences],
                  ["main"] * len(figure_sentences), town_of)
    out, anchors = [], []
    for _, c, noun, limited, places, each in found:
        for place in locations(c, limited, places, each, where):
            out.append(replace(c, location=place))
            anchors.append(noun)
    own = " ".join(text[a:b] for (a, b), scope in zip(analysis.sentences, scopes) if scope == "main")
    return dedupe(specify(out, anchors, own))


def _context_words(text: str, analysis, i: int) -> tuple[list[str], list[str]]:
    """Lower-cased words of the sentence before (same paragraph only) and of the sentence itself."""
    a, b = analysis.sentences[i]
    before: list[str] = []
    if i > 0 and analysis.paragraphs[i - 1] == analysis.paragraphs[i]:
        pa, pb = analysis.sentences[i - 1]
        before = re.findall(r"[a-z][a-z-]*", text[pa:pb].lower())
    return before, re.findall(r"[a-z][a-z-]*", text[a:b].lower())


def _actor_tokens(sent, offset: int, actors) -> dict[int, str]:
    """Token index -> claim category, for tokens inside actor mentions ("BLA fighters", "FC personnel")."""
    out = {}
    for t in sent:
        pos = offset + t.idx
        for m in actors:
            if m.start <= pos < m.end and getattr(m, "category", None):
                out[t.i] = m.category
    return out


def _town_namer():
    """Canonical town name of a place mention; named parts of a town give the town."""
    from ..nlp.gazetteer import town_of

    return lambda m: town_of(m.place).name


def dedupe(claims: list[Claim]) -> list[Claim]:
    """One claim per figure: the same numbers for the same thing from the same kind of source are one.

    An article repeats its figures (headline, lead, a quoted statement) and
    names their source differently each time ("– KNCHR", "according to the
    commission"); the first wording is kept.
    """
    kept: list[Claim] = []
    for c in claims:
        twin = next((k for k in kept if k.predicate == c.predicate and k.low == c.low and k.high == c.high
                     and k.qualifier == c.qualifier and k.claimant_type == c.claimant_type
                     and (k.claimant == c.claimant or c.claimant_type != "unattributed") and k.location == c.location
                     and k.event_scope == c.event_scope and related(k.category, c.category)), None)
        if twin is None:
            kept.append(c)
        elif narrower(twin.category, c.category) != twin.category:
            kept[kept.index(twin)] = _with_category(twin, c.category)
    return kept


def _with_category(c: Claim, category: str) -> Claim:
    return replace(c, category=category)
