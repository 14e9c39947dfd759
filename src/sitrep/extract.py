"""The per-document stage: recognition then claim extraction, as one picklable function.

Engines map `extract_document` over documents; the pipeline stores what it returns.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .records import Claim, Document


@dataclass
class Extraction:
    """What one document yields: its sentences, recognised mentions and claims."""

    doc_id: str
    sentences: list[tuple[int, int]] = field(default_factory=list)
    mentions: list[dict] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    error: str | None = None


def extract_document(doc: Document) -> Extraction:
    """Recognise and extract one document; a failure is reported, never raised, so the batch goes on."""
    from .claims import extract_claims
    from .nlp import analyse, parse_candidates

    try:
        analysis = analyse(doc)
        parsed = parse_candidates(analysis)
        claims = extract_claims(analysis, parsed)
        candidates = candidate_rows(analysis, parsed)
    except Exception as e:  # one broken article must not stop a newswire batch
        return Extraction(doc.doc_id, error=f"{type(e).__name__}: {e}")
    return Extraction(doc.doc_id, list(analysis.sentences), mention_rows(analysis) + candidates, claims)


def candidate_rows(analysis, parsed: dict) -> list[dict]:
    """Organisations spaCy found in parsed sentences that the actor lexicon lacks: kept for review."""
    from .nlp.actors import candidate_organisations

    known = [(m.start, m.end) for m in (*analysis.places, *analysis.actors, *analysis.claimants)]
    rows, seen = [], set()
    for i, sent in parsed.items():
        offset = analysis.sentences[i][0]
        for name in candidate_organisations(sent, country=analysis.country):
            ent = next((e for e in sent.ents if name in e.text), None)
            # Names of several words or acronyms only: single capitalised words are mostly
            # demonyms, places or titles the parser mislabels ("Pakistani", "Interior").
            if name in seen or ent is None or ent.label_ != "ORG" or not (" " in name or name.isupper()):
                continue
            start = offset + ent.start_char
            if any(a < start + len(ent.text) and start < b for a, b in known):
                continue
            seen.add(name)
            rows.append({"kind": "candidate_actor", "char_start": start, "char_end": start + len(ent.text),
                         "label": name, "data": {"label": ent.label_}})
    return rows


def mention_rows(a) -> list[dict]:
    """Store rows for everything recognised in a document."""
    rows = []
    for m in a.places:
        p = m.place
        rows.append({"kind": "place", "char_start": m.start, "char_end": m.end, "label": p.name,
                     "data": {"id": p.id, "geonameid": p.geonameid, "latitude": p.latitude,
                              "longitude": p.longitude, "admin1": p.admin1, "admin2": p.admin2,
                              "country": p.country, "place_kind": p.kind, "parent": p.parent,
                              "surface": m.surface, "how": m.how, "score": m.score}})
    for m in a.actors:
        rows.append({"kind": "actor", "char_start": m.start, "char_end": m.end, "label": m.name,
                     "data": {"actor_id": m.actor_id, "inter": m.inter, "unit": m.unit, "category": m.category,
                              "country": m.country, "surface": m.surface}})
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
