"""Where the parse says an act happened: the places an act word governs.

The per-document stage parses the sentences that may hold a figure; for each
place in them this module reads the dependency tree upwards from the place:

- "attacked Kalat", "Kalat was stormed": the place is what the act befell;
- "an attack on a bus in Reasi", "fired at a convoy near Dikwa": a preposition
  ties the place to the act, directly or through the thing attacked;
- "the minister said in Nairobi", "taken to hospitals in Jammu", "a bus on its
  way to Katra", "travelling from Kano": the place is where words were said,
  where the wounded went, or a route, so it is no place of the act.

Anything else is left undecided, and fusion falls back on the word windows of
`nlp.violence`. The verdicts are stored with the place mentions; fusion reads
them and never parses again.
"""

from __future__ import annotations

import re

from .speech import hedges
from .violence import VIOLENCE

# Words a place hangs from that make it where something else happened.
_ELSEWHERE = {"hospital", "statement", "conference", "interview", "briefing", "meeting", "speech", "court",
              "headquarters", "office", "parliament", "summit", "visit", "capital"}
_MOTION = {"travel", "head", "return", "leave", "go", "come", "drive", "fly", "move", "flee", "escape", "bind",
           "evacuate", "rush", "bring", "transfer", "refer", "airlift", "admit", "ply", "journey", "way", "route",
           "trip", "enroute"}
_ROUTE = {"to", "towards", "toward", "via", "from"}  # with a verb of motion: a route or a destination
_NP = {"flat", "appos", "conj", "cc"}       # the place's own phrase ("Kalat and Mastung", "X, a town")
_MODIFIER = {"compound", "nmod", "poss", "amod"}  # "Somalia soldiers", "Somalia's capital": no place of the act
_LANDMARK = {"near", "outside", "off", "beyond", "past", "around"}  # a point of reference: left undecided
_STEPS = 6


# Verbs of harm the place-of-violence windows leave out (they would mark too many places there).
_HARM = re.compile(r"shoot|shot|beat|beaten|stab\w*|hack\w*|behead\w*|execut\w*|murder\w*|rap(e|ed)|"
                   r"lynch\w*|gun(ned)?|massacre\w*|ambush\w*|open", re.IGNORECASE)


def _act(tok) -> bool:
    return bool(VIOLENCE.fullmatch(tok.text) or VIOLENCE.fullmatch(tok.lemma_) or _HARM.fullmatch(tok.lemma_)
                and (tok.lemma_.lower() != "open" or any(c.lower_ == "fire" for c in tok.children)))


def _said(tok) -> bool:
    """A verb of saying ("said in Nairobi"), or a noun for where words are said or the wounded go."""
    lemma = tok.lemma_.lower()
    return lemma in hedges() if tok.pos_ in {"VERB", "AUX"} else tok.pos_ == "NOUN" and lemma in _ELSEWHERE


def verdict(tok) -> bool | None:
    """True when the parse ties the place whose head token is *tok* to an act, False when to words said,
    a destination or a route, None when it says neither."""
    t = tok
    for _ in range(_STEPS):
        head = t.head
        if head.i == t.i:
            return None
        if t.dep_ in _NP:
            t = head
            continue
        if t.dep_ in _MODIFIER or t.dep_ == "pobj" and head.lower_ in _LANDMARK:
            return None
        if t.dep_ == "pobj" and head.dep_ in {"prep", "agent"}:
            gov = head.head
            if gov.i == head.i:
                return None
            if _said(gov) or gov.lemma_.lower() in _MOTION and head.lower_ in _ROUTE | {"for", "in", "at"}:
                return False
            if _act(gov):
                return True
            t = gov  # "a bus in Reasi": what happened to the bus says
            continue
        if t.dep_ in {"dobj", "nsubjpass", "attr"} and _act(head):
            return True
        if t.dep_ == "nsubj" and _said(head):
            return False
        return None
    return None


def role(tok) -> str | None:
    """"agent" when the actor whose head token is *tok* did an act ("militants attacked", "killed by
    soldiers"), "patient" when an act befell it ("attacked the army", "soldiers were killed", "an attack
    on police"), else None."""
    t = tok
    while t.dep_ in _NP | {"compound"} and t.head.i != t.i:
        t = t.head  # "Al-Shabaab fighters": the fighters
    head = t.head
    if t.dep_ == "nsubj" and _act(head):
        return "agent"
    if t.dep_ == "pobj" and head.dep_ == "agent" and _act(head.head):
        return "agent"  # "killed by soldiers"
    if t.dep_ in {"dobj", "nsubjpass"} and _act(head):
        return "patient"
    if t.dep_ == "pobj" and head.lower_ in {"on", "against", "at", "upon"} and _act(head.head):
        return "patient"  # "an attack on police", "opened fire at soldiers"
    return None


def actor_roles(analysis, parsed: dict) -> dict[int, str]:
    """Actor mention start offset -> "agent" or "patient", for the actors of parsed sentences the parse
    places on either side of an act."""
    out: dict[int, str] = {}
    for i, sent in parsed.items():
        offset = analysis.sentences[i][0]
        for m in analysis.in_sentence(analysis.actors, i):
            toks = [t for t in sent if m.start <= offset + t.idx < m.end]
            if toks:
                ids = {t.i for t in toks}
                r = role(next((t for t in toks if t.head.i not in ids or t.head.i == t.i), toks[-1]))
                if r is not None:
                    out[m.start] = r
    return out


def act_places(analysis, parsed: dict) -> dict[int, bool]:
    """Place mention start offset -> the parse's verdict, for the places of parsed sentences it decides."""
    out: dict[int, bool] = {}
    for i, sent in parsed.items():
        offset = analysis.sentences[i][0]
        for m in analysis.in_sentence(analysis.places, i):
            toks = [t for t in sent if m.start <= offset + t.idx < m.end]
            if not toks:
                continue
            ids = {t.i for t in toks}
            head = next((t for t in toks if t.head.i not in ids or t.head.i == t.i), toks[-1])
            v = verdict(head)
            if v is not None:
                out[m.start] = v
    return out
