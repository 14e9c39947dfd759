"""The per-document stage: recognition then claim extraction, as one picklable function.

Engines map `extract_document` over documents; the pipeline stores what it returns.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from .nlp.embed import Embedder, lead_text
from .records import Claim, Document

log = logging.getLogger(__name__)


@dataclass
class Extraction:
    """What one document yields: its sentences, recognised mentions and claims."""

    doc_id: str
    sentences: list[tuple[int, int]] = field(default_factory=list)
    mentions: list[dict] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    vector: bytes | None = None     # float32 lead embedding, for grouping documents into stories
    error: str | None = None
    lead: str | None = None         # the text embedded as `vector` (title and first sentence)


def extract_document(doc: Document) -> Extraction:
    """Recognise and extract one document; a failure is reported, never raised, so the batch goes on."""
    return extract_batch([doc])[0]


_FAILURES = {
    OverflowError: "the article holds a figure too large to compute with; check its numbers",
    RecursionError: "the article is nested too deeply to analyse (lists or quotes inside each other); "
                    "simplify or split it",
    MemoryError: "the article is too large to analyse in memory; split it or lower max_document_bytes",
}


def describe_failure(e: BaseException) -> str:
    """Say in words why extraction failed on an article, the exception kept at the end for a bug report."""
    why = next((words for kind, words in _FAILURES.items() if isinstance(e, kind)),
               "an internal error stopped the analysis; the article is kept and retried on the next run, "
               "report it with the article if it recurs")
    return f"sitrep could not extract claims: {why} ({type(e).__name__}: {e})"


def extract_batch(docs: list[Document], embed: bool = True) -> list[Extraction]:
    """`extract_document` for several documents; their candidate sentences are parsed in one call and
    their leads embedded in one call (both far cheaper). With *embed* False, the leads are left for
    the caller to embed (`embed_leads`): worker processes leave it to the main one."""
    from .claims import extract_claims
    from .nlp import analyse
    from .nlp.acts import act_places, actor_roles

    out: list[Extraction] = []
    analyses: dict[int, object] = {}     # position in *docs* -> its analysis
    for k, doc in enumerate(docs):
        out.append(Extraction(doc.doc_id))
        try:
            analyses[k] = analyse(doc)
        except Exception as e:  # one broken article must not stop a newswire batch
            _failed(out[k], doc, e)
    parsed = _parse(analyses)
    for k, analysis in analyses.items():
        doc = docs[k]
        try:
            if isinstance(parsed[k], Exception):
                raise parsed[k]
            claims = extract_claims(analysis, parsed[k])
            rows = mention_rows(analysis, act_places(analysis, parsed[k]), actor_roles(analysis, parsed[k])) + \
                candidate_rows(analysis, parsed[k])
        except Exception as e:
            _failed(out[k], doc, e)
            continue
        out[k] = Extraction(doc.doc_id, list(analysis.sentences), rows, claims,
                            lead=lead_text(doc.title, doc.text, analysis.sentences))
    if embed:
        embed_leads(out)
    return out


def unembedded(batch: list[Extraction]) -> list[Extraction]:
    """The extractions of *batch* with a lead and no vector yet."""
    return [ext for ext in batch if ext.lead is not None and ext.vector is None]


def embed_leads(batch: list[Extraction]) -> None:
    """Set the `vector` of each extraction in *batch* from its lead, in one call of the embedder."""
    leads = unembedded(batch)
    if not leads:
        return
    try:
        vectors = Embedder.shared()([ext.lead for ext in leads])
    except Exception as e:  # stories can still form from words; say why once per batch
        log.warning("lead embeddings failed (%s); stories will embed leads later", e)
        return
    for ext, vec in zip(leads, vectors):
        ext.vector = vec.astype("float32").tobytes()


def _failed(ext: Extraction, doc: Document, e: Exception) -> None:
    log.warning("%s (%s): extraction failed", doc.doc_id, doc.origin, exc_info=True)
    ext.error = describe_failure(e)


def _parse(analyses: dict[int, object]) -> dict[int, object]:
    """The parses of the documents' candidate sentences, all in one spaCy call; when that call fails,
    each document's alone, so that only the article spaCy fails on fails (with its exception)."""
    from .nlp import parse_many

    try:
        return dict(zip(analyses, parse_many(list(analyses.values()))))
    except Exception:
        found: dict[int, object] = {}
        for k, analysis in analyses.items():
            try:
                found[k] = parse_many([analysis])[0]
            except Exception as e:
                found[k] = e
        return found


# Last words of an organisation's name: "… Defence Brigade", "… Liberation Front", "Lashkar-e-…".
ORG_HEADS = {"front", "army", "brigade", "brigades", "battalion", "movement", "group", "force", "forces", "party",
             "council", "organisation", "organization", "committee", "network", "militia", "corps", "guard",
             "wing", "squad", "unit", "division", "regiment", "league", "alliance", "union", "coalition",
             "resistance", "mujahideen", "fighters", "jamaat", "tehreek", "tehrik", "lashkar", "jaish", "harakat"}


def candidate_rows(analysis, parsed: dict) -> list[dict]:
    """Organisations named in parsed sentences that the actor lexicon lacks: kept for a person to review.

    A run of proper nouns ending in an organisation word ("Northern Mountain
    Defence Brigade"), not already recognised as a place, actor or claimant.
    """
    from .nlp.actors import find_actors, find_claimants

    known = [(m.start, m.end) for m in (*analysis.places, *analysis.actors, *analysis.claimants)]
    rows, seen = [], set()
    for i, sent in parsed.items():
        offset = analysis.sentences[i][0]
        run: list = []
        for t in list(sent) + [None]:
            if t is not None and t.pos_ == "PROPN" and not t.is_punct:
                run.append(t)
                continue
            if len(run) >= 2 and run[-1].lower_ in ORG_HEADS:
                start, end = offset + run[0].idx, offset + run[-1].idx + len(run[-1].text)
                name = analysis.doc.text[start:end]
                if name not in seen and not any(a < end and start < b for a, b in known) \
                        and not find_actors(name) and not find_claimants(name):
                    seen.add(name)
                    rows.append({"kind": "candidate_actor", "char_start": start, "char_end": end, "label": name,
                                 "data": {"why": "proper name ending in an organisation word"}})
            run = []
    return rows


def _town(p) -> dict:
    """``{"town": ...}``, the place a named part of a town stands for (`gazetteer.town_of`), for fusion;
    empty for any other place."""
    from .nlp.gazetteer import town_of

    town = town_of(p) if p.kind == "part" and p.parent else p
    if town is p:
        return {}
    return {"town": {"name": town.name, "id": town.id, "latitude": town.latitude, "longitude": town.longitude,
                     "admin1": town.admin1, "admin2": town.admin2, "country": town.country,
                     "geonameid": town.geonameid, "place_kind": town.kind, "precision": town.precision}}


def mention_rows(a, acts: dict[int, bool] | None = None, roles: dict[int, str] | None = None) -> list[dict]:
    """Store rows for everything recognised in a document; *acts* is the parse's verdict on whether a
    place (by start offset) is where an act happened, *roles* whether an actor did an act or suffered
    it (`nlp.acts`), stored as the place's "act" and the actor's "role"."""
    rows = []
    acts, roles = acts or {}, roles or {}
    for m in a.places:
        p = m.place
        rows.append({"kind": "place", "char_start": m.start, "char_end": m.end, "label": p.name,
                     "data": {"id": p.id, "geonameid": p.geonameid, "latitude": p.latitude,
                              "longitude": p.longitude, "admin1": p.admin1, "admin2": p.admin2,
                              "country": p.country, "place_kind": p.kind, "parent": p.parent,
                              "surface": m.surface, "how": m.how, "score": m.score, "precision": p.precision,
                              "act": acts.get(m.start), **({"source": p.source} if p.source else {}),
                              **_town(p)}})
    for m in a.actors:
        rows.append({"kind": "actor", "char_start": m.start, "char_end": m.end, "label": m.name,
                     "data": {"actor_id": m.actor_id, "inter": m.inter, "unit": m.unit, "category": m.category,
                              "country": m.country, "surface": m.surface, "role": roles.get(m.start)}})
    for m in a.claimants:
        rows.append({"kind": "claimant", "char_start": m.start, "char_end": m.end, "label": m.claimant,
                     "data": {"claimant_type": m.claimant_type, "surface": m.surface}})
    for qs in a.quantities:
        for q in qs:
            rows.append({"kind": "number", "char_start": q.start, "char_end": q.end, "label": q.text_value,
                         "data": {"low": q.low, "high": q.high, "qualifier": q.qualifier}})
    for d in a.dates:
        rows.append({"kind": "date", "char_start": d.start, "char_end": d.end,
                     "label": d.date.isoformat() if d.date else d.text,
                     "data": {"precision": d.precision, "weekday": d.weekday,
                              "weekday_mismatch": d.weekday_mismatch, "surface": d.text}})
    return rows
