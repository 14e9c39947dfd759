"""Loading claimants.json: claimant cue patterns, official titles and news outlets."""

from __future__ import annotations

import re
from pathlib import Path

import ahocorasick

from .. import speech
from .checks import Checker, element_lines, read
from .grammar import SENTINEL, Cue, Grammar
from .index import with_name
from .mentions import CLAIMANT_TYPES

_CUE_KEYS = ("pattern", "claimant", "claimant_type", "country", "fallback", "note")


def load(lex, path: Path) -> None:
    """Read, check and index claimants.json into *lex*: titles, outlets and organisations, cues and the cue-word filter."""
    doc, text = read(path)
    c = Checker(path, text)
    if not isinstance(doc, dict) or not isinstance(doc.get("cues"), list):
        c.fail('the file must be an object with a "cues" list')
    grammar = Grammar(sorted(speech.forms()),
                      list(speech.lead()),
                      c.strings(doc.get("name_particles", []), "name_particles"),
                      c.strings(doc.get("not_title_words", []), "not_title_words"))
    for moved in ("speech_verbs", "speech_verb_lead"):
        if moved in doc:
            c.fail(f'"{moved}" moved to reporting_verbs.json (the one list of reporting verbs)')
    titles = doc.get("titles") or {}
    if not isinstance(titles, dict):
        c.fail('"titles" must map a claimant type to a list of titles')
    for ctype, words in titles.items():
        if ctype.startswith("_"):
            continue
        c.line = text.count("\n", 0, max(text.find(f'"{ctype}"'), 0)) + 1
        c.where = f'titles "{ctype}"'
        c.choice(ctype, CLAIMANT_TYPES, "claimant type")
        for w in c.strings(words, ctype):
            lex.titles.add(w, ctype)
    # Outlets and organisations are both named sources: {outlet} matches either, typed by its entry.
    for section, default in (("outlets", "media"), ("organisations", None)):
        lines = element_lines(text, section)
        for i, raw in enumerate(doc.get(section) or []):
            required = ("name",) if default else ("name", "claimant_type")
            c.at(section, i, lines).keys(raw, ("name", "aliases", "claimant_type", "note"), required)
            source = (c.string(raw["name"], "name"),
                      c.choice(raw.get("claimant_type", default), CLAIMANT_TYPES, "claimant_type"))
            for alias in with_name(source[0], c.strings(raw.get("aliases", []), "aliases")):
                lex.outlets.add(alias, source)
    lines = element_lines(text, "cues")
    lex.by_word: dict[str, set[int]] = {}
    lex.always: set[int] = set()
    words: set[str] = set()
    for i, raw in enumerate(doc["cues"]):
        c.at("cues", i, lines).keys(raw, _CUE_KEYS, ("pattern", "claimant", "claimant_type"))
        cue, anchor = _cue(c, grammar, i, raw)
        lex.cues.append(cue)
        for word in anchor or ():
            lex.by_word.setdefault(word, set()).add(i)
        if anchor is None:
            lex.always.add(i)
        words.update(*cue.needs)
    # Finds which cue words occur anywhere (not word-bounded: a cheap filter, the regexes decide).
    lex.words = ahocorasick.Automaton()
    for word in words:
        lex.words.add_word(word, word)
    lex.words.make_automaton()

def _cue(c: Checker, grammar: Grammar, i: int, raw: dict):
    pattern, claimant = c.string(raw["pattern"], "pattern"), c.string(raw["claimant"], "claimant")
    try:
        rx, holes, needs = grammar.compile(pattern)
    except (ValueError, re.error) as e:
        c.fail(f"bad pattern {pattern!r}: {e}")
    ctype = raw["claimant_type"]
    if ctype.startswith("{"):
        c.choice(ctype, ("{actor}", "{title}", "{outlet}"), "claimant_type")
        if ctype[1:-1] not in holes:
            c.fail(f"claimant_type {ctype} needs {ctype} in the pattern")
    else:
        c.choice(ctype, CLAIMANT_TYPES, "claimant_type")
    for used in re.findall(r"\{(\w+)\}", claimant):
        if used != "group" and used not in holes:
            c.fail(f"claimant uses {{{used}}}, which the pattern lacks")
    layers = frozenset(h for h in holes if h in SENTINEL)
    gates = frozenset(h for h in layers if holes[h])
    if not needs and not gates:
        c.fail(f"pattern {pattern!r} needs a plain word, {{said}}, {{actor}}, {{title}} or {{outlet}}")
    fallback = raw.get("fallback")
    if fallback is not None:
        c.string(fallback, "fallback")
    cue = Cue(i, rx, claimant, ctype, c.country(raw.get("country")), fallback, layers, gates, tuple(needs))
    # The set with the longest shortest word is the rarest-looking: it indexes the cue.
    return cue, (max(needs, key=lambda a: min(map(len, a))) if needs else None)
