"""Finding claimant cues ("police said", "according to the BLA") with a loaded `Lexicon`.

Actors (with their media arms), titles and outlets are found first and masked;
the cue regexes of claimants.json then run over the masked text, each only
around the sentences that hold its words (a cue is told within a sentence; the
sentences either side are searched too, in case one was split wrongly). Between
overlapping matches the longest wins, then the earlier cue.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from ..segment import split_sentences
from .finders import Hit, cc, selected
from .grammar import mask
from .index import folds, longest
from .mentions import ARMED, ClaimantMention


def find_claimants(lex, text: str, country: str | None) -> list[ClaimantMention]:
    country = cc(country)
    folded = folds(text)
    sentences = split_sentences(text)
    starts = [a for a, _ in sentences]
    words: list[set[str]] = [set() for _ in sentences]   # the cue words of each sentence
    for end, w in lex.words.iter(folded[1]):
        words[max(bisect_right(starts, end - len(w) + 1) - 1, 0)].add(w)
    present = frozenset().union(*words)
    cues = [q for q in _candidates(lex, present) if q.country in (None, country)]
    if not cues:
        return []
    hits = selected(lex, text, country, True)
    layers = {"actor": [(h.start, h.end, h) for h in hits]}
    if any("title" in q.layers for q in cues):
        layers["title"] = [(s, e, p[0]) for s, e, p in longest(lex.titles.scan(folded))]
    if any("outlet" in q.layers for q in cues):
        layers["outlet"] = [(s, e, p[0]) for s, e, p in longest(lex.outlets.scan(folded))]
    masks: dict[frozenset, str] = {}
    found = []
    for cue in cues:
        if any(not layers.get(g) for g in cue.gates):
            continue
        if cue.layers not in masks:
            masks[cue.layers] = mask(text, {k: layers[k] for k in cue.layers})
        for a, b in _windows(cue, sentences, words, len(text)):
            for m in cue.rx.finditer(masks[cue.layers], a, b):
                got = _claimant(cue, m, text, layers, hits)
                if got:
                    found.append((m.start(), m.end(), cue.order, got))
    out, taken = [], []
    for s, e, _, (who, ctype) in sorted(found, key=lambda f: (f[0] - f[1], f[2])):
        if all(e <= ts or s >= te for ts, te in taken):
            taken.append((s, e))
            out.append(ClaimantMention(s, e, text[s:e], who, ctype))
    return sorted(out, key=lambda c: c.start)


def _windows(cue, sentences: list[tuple[int, int]], words: list[set[str]], size: int) -> list[tuple[int, int]]:
    """The stretches of text where *cue* can match: each sentence holding a word of every one of its
    word sets, with the sentences either side, overlapping stretches merged. A cue that needs no
    word (only a masked name) searches the whole text."""
    if not cue.needs:
        return [(0, size)]
    hit = [i for i, ws in enumerate(words) if all(not ws.isdisjoint(n) for n in cue.needs)]
    out: list[tuple[int, int]] = []
    last = -2
    for i in hit:
        lo, hi = max(i - 1, 0), min(i + 1, len(sentences) - 1)
        if out and lo <= last + 1:
            out[-1] = (out[-1][0], sentences[hi][1])
        else:
            out.append((sentences[lo][0] if lo else 0, sentences[hi][1]))
        last = hi
    return out


def _candidates(lex, present: frozenset) -> list:
    """Cues whose required words all occur; cached, since few word sets recur across sentences."""
    got = lex._seen.get(present)
    if got is None:
        todo = set(lex.always)
        for w in present:
            todo.update(lex.by_word.get(w, ()))
        got = [q for q in (lex.cues[i] for i in sorted(todo)) if all(not present.isdisjoint(n) for n in q.needs)]
        if len(lex._seen) > 4096:
            lex._seen.clear()
        lex._seen[present] = got
    return got


def _armed(h: Hit) -> bool:
    return h.claimant is None and (h.entry.inter in ARMED or h.entry.claimant_type == "armed_group")


def _claimant(cue, m: re.Match, text: str, layers: dict, hits: tuple[Hit, ...]):
    """(claimant, type) for one regex match, or None when the match is not a cue after all."""
    groups = {k: v for k, v in m.groupdict().items() if v is not None}
    if "person" in groups and any(h.start < m.end("person") and m.start("person") < h.end for h in hits):
        return None  # a known spokesman is the actor's cue, not an official's
    values, ctype = {}, cue.claimant_type
    for k in groups:
        s, e = m.span(k)
        values[k] = " ".join(text[s:e].split())
    # A group with no mention at its start is a sentinel character typed in the text itself: no cue.
    if "actor" in groups:
        h = next((h for s, e, h in layers["actor"] if s == m.start("actor")), None)
        if h is None:
            return None
        values["actor"] = h.claimant or h.entry.short
        ctype = h.entry.claimant_type if ctype == "{actor}" else ctype
    if "outlet" in groups:
        name, otype = next((p for s, e, p in layers["outlet"] if s == m.start("outlet")), (None, None))
        if name is None:
            return None
        values["outlet"] = name
        ctype = otype if ctype == "{outlet}" else ctype
    if "title" in groups and ctype == "{title}":
        inside = [p for s, e, p in layers["title"] if m.start("title") <= s < m.end("title")]
        if not inside:
            return None
        ctype = inside[-1]  # the last title types the speaker: "army spokesman Maj Gen X" is military
    if "{group}" in cue.claimant:
        prior = [h for h in hits if h.end <= m.start() and _armed(h)]
        if prior:
            values["group"] = prior[-1].entry.short
        elif cue.fallback:
            values["group"] = cue.fallback
        else:
            return None
    who = re.sub(r"\{(\w+)\}", lambda g: values.get(g[1], ""), cue.claimant)
    return " ".join(who.split()), ctype


def find_sources(lex, text: str) -> list[tuple[int, int, str, str]]:
    """Outlets and organisations named in *text*: (start, end, canonical name, claimant type), longest first."""
    return [(s, e, p[0][0], p[0][1]) for s, e, p in longest(lex.outlets.scan(folds(text)))]
