"""Claims: every numeric figure in a document, with what it counts, who says it and where (SPEC §3).

>>> from sitrep.nlp import analyse, parse_candidates
>>> a = analyse(doc)                                   # doctest: +SKIP
>>> claims = extract_claims(a, parse_candidates(a))    # doctest: +SKIP
"""

from __future__ import annotations

import re

from ..fuse.categories import narrower, related
from ..records import Claim
from .attribution import OUTLET, TITLE_TYPES, DocState, Speaker, actor_speaker, default_hedge, speaker_in
from .reading import Reading, read
from .scope import Focus, Scope, main_town
from .vocab import vocab

_REPORTING_SURFACE = re.compile(
    r"\b(said|says|say|claimed|claims|claim|stated|states|reported|reports|confirmed|confirms|alleged|alleges|"
    r"acknowledged|announced|added|told|insisted|asserted|denied|wrote|noted|tweeted|according to)\b", re.IGNORECASE)


def extract_claims(analysis, parsed: dict[int, object]) -> list[Claim]:
    """Claims of one analysed document; *parsed* maps sentence index to its spaCy parse."""
    doc, text = analysis.doc, analysis.doc.text
    state = DocState()
    town_of = _town_namer()
    focus = Focus(town_of, main_town(text, analysis.places, town_of))
    scope = Scope(analysis.reference_date)
    out: list[Claim] = []
    for i, (a, b) in enumerate(analysis.sentences):
        para = analysis.paragraphs[i]
        if para != state.paragraph:
            state.paragraph, state.speaker = para, None
        claimants = analysis.in_sentence(analysis.claimants, i)
        actors = analysis.in_sentence(analysis.actors, i)
        location = focus.sentence(para, text, a, b, analysis.places)
        event_scope = scope.sentence(para, text[a:b], analysis.in_sentence(analysis.dates, i))
        sent = parsed.get(i)
        if sent is not None:
            context = _context_words(text, analysis, i)
            actor_cats = _actor_tokens(sent, a, actors)
            named = None
            for r in read(sent, a, list(analysis.quantities[i]), context, actor_cats):
                who, kind, hedge = attribute(r, sent, a, b, claimants, actors, state, analysis)
                if kind not in {"unattributed", "media"}:
                    named = Speaker(who, kind)
                out.append(Claim(
                    doc_id=doc.doc_id, quote=text[r.start:r.end], char_start=r.start, char_end=r.end,
                    predicate=r.predicate, category=r.category, low=r.quantity.low, high=r.quantity.high,
                    qualifier=r.quantity.qualifier, text_value=r.quantity.text_value, claimant=who,
                    claimant_type=kind, hedge=hedge, location=location, event_scope=event_scope,
                    published=doc.published.isoformat() if doc.published else None))
            if named is not None:
                state.speaker = state.last_speaker = named
                _update_groups(state, actors)
                continue
        _update_state(state, text, a, b, claimants, actors, sent)
    return dedupe(out)


def attribute(r: Reading, sent, a: int, b: int, claimants, actors, state: DocState, analysis):
    """(claimant, claimant_type, hedge) for one reading."""
    text = analysis.doc.text
    for post in analysis.doc.embedded_posts:
        if post.start <= r.start < post.end:
            return post.handle or post.author, "media", "claimed"
    speaker, verb_hedge = _explicit(r, sent, a, claimants, actors, state, text)
    words = {t.lower_ for t in sent}
    v = vocab()
    marked = [v.hedge_words[w] for w in words if w in v.hedge_words and w != "confirmed"]
    if speaker is None:
        if "allegedly" in words or "alleged" in words:
            speaker = state.speaker or Speaker("reports", "unattributed")
        elif "reportedly" in words or "unverified" in words:
            speaker = Speaker("reports", "unattributed")
            verb_hedge = verb_hedge or "reported"
        elif state.speaker is not None:
            speaker = state.speaker
        else:
            speaker = Speaker(*OUTLET)
            if re.search(r"\breport(ed|s)?\b", text[a:b], re.IGNORECASE):
                speaker, verb_hedge = Speaker("reports", "unattributed"), "reported"
    hedge = default_hedge(speaker.claimant_type, verb_hedge or speaker.hedge)
    for h in ("denied", "alleged", "unverified"):
        if h in marked:
            hedge = h
            break
    return speaker.claimant, speaker.claimant_type, hedge


def _explicit(r: Reading, sent, a: int, claimants, actors, state, text):
    """The speaker a reporting verb or 'according to' names for this reading, with the verb's hedge."""
    v = vocab()
    chain = [r.cue] + list(r.cue.ancestors) if r.cue is not None else list(r.anchor.ancestors)
    for t in chain:  # "government statements that five attackers were killed": a statement names its source
        if t.pos_ == "NOUN" and t.lemma_.lower() in STATEMENT_NOUNS:
            owner = [c for c in t.children if c.dep_ in {"compound", "poss", "amod"}]
            if owner:
                found = speaker_in(*_span(owner[0], a), claimants, actors, state, text)
                if found is not None:
                    return found, "reported"
    verb = next((t for t in chain if _is_reporting(t)), None)
    if verb is None:
        acc = _according_to(sent)
        if acc is not None:
            span = _span(acc, a)
            return speaker_in(*span, claimants, actors, state, text), "reported"
        # "Three policemen were wounded, the official said": a reporting verb hanging off the clause
        verb = next((c for t in chain for c in t.children if c.dep_ in {"parataxis", "advcl", "conj"}
                     and _is_reporting(c) and any(g.dep_ == "nsubj" for g in c.children)), None)
    if verb is None:
        verb = next((t for t in sent if t.pos_ == "VERB" and t.dep_ == "ROOT" and t.lemma_.lower() in v.reporting
                     and any(c.dep_ == "nsubj" for c in t.children)), None)
    if verb is None:
        return None, None
    hedge = v.reporting[verb.lemma_.lower()]
    # Several subjects ("Official Claims: the army's wing, the ISPR, reported"): the one nearest the verb.
    subj = next((c for c in reversed(list(verb.children)) if c.dep_ == "nsubj" and c.i < verb.i),
                next((c for c in verb.children if c.dep_ == "nsubj"), None))
    if subj is None and verb.dep_ in {"advcl", "xcomp", "conj", "acl"}:
        # "ISWAP claimed the attack, saying its fighters killed 40": the speaker is the main clause's subject
        subj = next((c for c in verb.head.children if c.dep_ == "nsubj"), None)
    if subj is None:
        acc = _according_to(sent)
        if acc is not None:
            return speaker_in(*_span(acc, a), claimants, actors, state, text), hedge
        return Speaker("reports", "unattributed"), hedge  # "were reported killed", "were confirmed dead"
    found = speaker_in(*_span(subj, a), claimants, actors, state, text) or named_earlier(subj, text, a)
    return (found or Speaker("reports", "unattributed")), hedge


STATEMENT_NOUNS = {"statement", "report", "claim", "announcement", "account", "estimate", "figure", "tally",
                   "count", "toll"}


def _is_reporting(t) -> bool:
    return t.pos_ in {"VERB", "AUX"} and t.lemma_.lower() in vocab().reporting and t.lemma_.lower() != "accord"


def named_earlier(subj, text: str, offset: int) -> Speaker | None:
    """A person quoted by surname is typed by how the article introduced them.

    "Warsame said" after "Captain Abdullahi Hassan Warsame, a police officer in
    the town," is a police claim; the claimant is the full name.
    """
    names = [t for t in subj.subtree if t.pos_ == "PROPN"]
    if not names:
        return None
    surname = names[-1].text
    for m in re.finditer(rf"((?:[A-Z][\w.'-]+ ){{0,4}}{re.escape(surname)})\b,? (?:an? |the )?([^.;]{{0,60}})",
                         text[:offset + subj.idx]):
        words = re.findall(r"[a-z]+", m.group(2).lower())[:8]
        for w in words:
            kind = TITLE_TYPES.get(w)
            if kind:
                return Speaker(m.group(1).strip(), kind)
    return None


def _according_to(sent):
    for t in sent:
        if t.lower_ == "according":
            for c in t.children:
                if c.lower_ == "to":
                    obj = next((g for g in c.children if g.dep_ == "pobj"), None)
                    if obj is not None:
                        return obj
            nxt = t.nbor(1) if t.i + 2 < len(sent) else None
            if nxt is not None and nxt.lower_ == "to":
                return sent[t.i + 2]
    return None


def _span(tok, offset: int) -> tuple[int, int]:
    sub = list(tok.subtree)
    return offset + sub[0].idx, offset + sub[-1].idx + len(sub[-1].text)


def _update_groups(state: DocState, actors) -> None:
    for act in actors:
        if getattr(act, "inter", 1) != 1:
            state.last_group = actor_speaker(act)


def _update_state(state: DocState, text: str, a: int, b: int, claimants, actors, sent) -> None:
    """Remember the sentence's speaker for the sentences that continue its statement."""
    _update_groups(state, actors)
    speaker = None
    sentence = text[a:b]
    for m in _REPORTING_SURFACE.finditer(sentence):
        verb_at = a + m.start()
        if m.group(1).lower() == "according to":
            after = [c for c in claimants if verb_at < c.start <= verb_at + 40] or \
                    [x for x in actors if verb_at < x.start <= verb_at + 40]
        else:
            near = sorted([x for x in list(claimants) + list(actors) if verb_at - 60 <= x.end <= verb_at],
                          key=lambda x: x.end)
            after = near[-1:]
        if after:
            c = after[0]
            speaker = Speaker(c.claimant, c.claimant_type) if hasattr(c, "claimant_type") else actor_speaker(c)
            break
    if speaker is None and sent is not None:
        first = sentence.split(" ", 1)[0].lower()
        if first in {"it", "they", "the"} and _REPORTING_SURFACE.search(sentence) and state.speaker is not None:
            speaker = state.speaker
    if speaker is not None and speaker.claimant_type != "unattributed":
        state.speaker = state.last_speaker = speaker


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
    from ..nlp import gazetteer

    def town(m) -> str:
        p = m.place
        if p.kind == "part" and p.parent:
            gz = gazetteer.load()
            i = gz.index_of(p.parent)
            if i is not None:
                return gz.place(i).name
        return p.name
    return town


def dedupe(claims: list[Claim]) -> list[Claim]:
    """One claim per figure: the same numbers from the same claimant for the same thing are one."""
    kept: list[Claim] = []
    for c in claims:
        twin = next((k for k in kept if k.predicate == c.predicate and k.low == c.low and k.high == c.high
                     and k.qualifier == c.qualifier and k.claimant == c.claimant
                     and k.event_scope == c.event_scope and related(k.category, c.category)), None)
        if twin is None:
            kept.append(c)
        elif narrower(twin.category, c.category) != twin.category:
            kept[kept.index(twin)] = _with_category(twin, c.category)
    return kept


def _with_category(c: Claim, category: str) -> Claim:
    from dataclasses import replace

    return replace(c, category=category)
