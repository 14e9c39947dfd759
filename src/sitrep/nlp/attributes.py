"""spaCy's attribute ruler, applied through an index instead of a Matcher.

en_core_web_sm's ``attribute_ruler`` maps fine-grained tags to parts of speech and morphology and
fixes a few words' lemmas: about 180 one- or two-token patterns. spaCy runs them through a Matcher
that tries every pattern at every token, which costs as much as the parser itself. Nearly every
pattern names the word or the tag its first token must have, so here each pattern is filed under
that word or tag, and a token is checked only against the patterns filed under its own.

The result is the ruler's to the last attribute: every match is found on the parse as it stands
(before any pattern applies), and the matches are applied in the ruler's order, a later rule
overriding an earlier one (`AttributeRuler.match`). A pipeline whose ruler holds a pattern this
index cannot read exactly (an operator such as ``"OP": "+"``, another attribute, a predicate other
than a value, IN, NOT_IN or REGEX) keeps spaCy's ruler.
"""

from __future__ import annotations

import re
from collections import defaultdict

NAME = "sitrep_attribute_ruler"

# Token attributes patterns may test, in the order a token's values are read (`_values`).
# A pattern is filed under the first of these its first token tests with a value or an IN list.
_ATTRS = ("LOWER", "TAG", "DEP", "IS_SPACE")


class Unsupported(ValueError):
    """A pattern the index cannot apply exactly as spaCy's Matcher would."""


def _predicate(attr: str, spec):
    """A test of one token attribute: (position in a token's values, kind, value)."""
    if attr not in _ATTRS:
        raise Unsupported(f"attribute {attr}")
    at = _ATTRS.index(attr)
    if not isinstance(spec, dict):
        if isinstance(spec, (str, bool)):
            return at, "is", spec
        raise Unsupported(f"{attr} value {spec!r}")
    if len(spec) != 1:
        raise Unsupported(f"{attr} predicate {spec!r}")
    (kind, value), = spec.items()
    if kind in ("IN", "NOT_IN"):
        return at, kind, frozenset(value)
    if kind == "REGEX":
        return at, kind, re.compile(value)
    raise Unsupported(f"{attr} predicate {kind}")


def _holds(checks, values) -> bool:
    for at, kind, value in checks:
        got = values[at]
        if kind == "is":
            if got != value:
                return False
        elif kind == "IN":
            if got not in value:
                return False
        elif kind == "NOT_IN":
            if got in value:
                return False
        elif not value.search(got):
            return False
    return True


def _values(token) -> tuple:
    return token.lower_, token.tag_, token.dep_, token.is_space


class IndexedAttributeRuler:
    """The rules of a spaCy ``AttributeRuler``, filed by the word or tag of their first token."""

    def __init__(self, ruler):
        rules = []   # (rule number, index of the token to set, [token checks], normalised attributes)
        for number in range(len(ruler.attrs)):
            for pattern in ruler.matcher.get(str(number))[1]:
                checks = [tuple(_predicate(attr, spec) for attr, spec in token.items()) for token in pattern]
                if not checks or any(not c for c in checks):
                    raise Unsupported(f"pattern {pattern!r}")
                rules.append((number, ruler.indices[number], checks, ruler.attrs[number]))
        # position in a token's values -> value -> rules whose first token needs it
        self.filed: list[tuple[int, dict]] = [(at, defaultdict(list)) for at in range(len(_ATTRS))]
        self.unfiled = []
        for rule in rules:
            first = {at: (kind, value) for at, kind, value in rule[2][0]}
            at = next((a for a in range(len(_ATTRS)) if a in first and first[a][0] in ("is", "IN")), None)
            if at is None:
                self.unfiled.append(rule)
                continue
            kind, value = first[at]
            for key in ([value] if kind == "is" else value):
                self.filed[at][1][key].append(rule)
        self.filed = [(at, dict(rules)) for at, rules in self.filed if rules]

    def __call__(self, doc):
        from spacy.tokens._retokenize import set_token_attrs

        values = [_values(t) for t in doc]
        n = len(values)
        found = []
        for i, mine in enumerate(values):
            for at, rules in self.filed:
                for rule in rules.get(mine[at], ()):
                    self._try(rule, values, i, n, found)
            for rule in self.unfiled:
                self._try(rule, values, i, n, found)
        found.sort(key=lambda m: m[:2])
        for _, _, target, attrs in found:
            set_token_attrs(doc[target], attrs)
        return doc

    @staticmethod
    def _try(rule, values: list, i: int, n: int, found: list) -> None:
        number, index, checks, attrs = rule
        end = i + len(checks)
        if end > n:
            return
        for j, token in enumerate(checks):
            if not _holds(token, values[i + j]):
                return
        target = (i if index >= 0 else end) + index
        if i <= target < end:   # spaCy raises on an index outside the match; such a rule never applies
            found.append((number, i, target, attrs))


def index_attribute_ruler(nlp) -> bool:
    """Replace *nlp*'s ``attribute_ruler`` by the same rules, indexed, at the same place. False (nothing
    changed) when the pipeline has no ruler or its rules hold a pattern the index cannot apply exactly."""
    if "attribute_ruler" not in nlp.pipe_names:
        return False
    try:
        nlp.add_pipe(NAME, before="attribute_ruler")
    except Unsupported:
        return False
    nlp.remove_pipe("attribute_ruler")
    return True


def _register() -> None:
    from spacy.language import Language

    if not Language.has_factory(NAME):
        Language.factory(NAME, func=lambda nlp, name: IndexedAttributeRuler(nlp.get_pipe("attribute_ruler")))


_register()
