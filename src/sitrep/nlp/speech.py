"""Reporting verbs, loaded once from ``data/reporting_verbs.json``: the one list every stage reads.

The claim reader takes a verb's hedge from its lemma (`hedges`); claimant cues,
attribution without a parse and the place recogniser ("Zehri said": a person,
not a town) read the written forms that name a speaker (`forms`).

>>> hedges()["claim"], forms()["told"]
('claimed', 'tell')
"""

from __future__ import annotations

from functools import lru_cache

from .. import data
from ..errors import DataFileError

FILE = "reporting_verbs.json"
HEDGES = {"asserted", "reported", "claimed", "alleged", "confirmed", "unverified", "denied"}


@lru_cache(maxsize=1)
def _load() -> tuple[dict[str, str], dict[str, str], tuple[str, ...]]:
    raw = data.load_json(FILE)
    where = str(data.path(FILE))
    verbs = raw.get("verbs") if isinstance(raw, dict) else None
    if not isinstance(verbs, dict) or not verbs:
        raise DataFileError(where, 'the file must be an object with a non-empty "verbs" object')
    hedge_of, lemma_of = {}, {}
    for lemma, entry in verbs.items():
        if lemma.startswith("_"):
            continue
        if not isinstance(entry, dict) or entry.get("hedge") not in HEDGES:
            raise DataFileError(where, f"verb {lemma!r} needs a hedge, one of {', '.join(sorted(HEDGES))}")
        unknown = set(entry) - {"hedge", "forms", "note"}
        if unknown:
            raise DataFileError(where, f"verb {lemma!r} has unknown key(s) {sorted(unknown)}")
        hedge_of[lemma.lower()] = entry["hedge"]
        for form in entry.get("forms", []):
            if not isinstance(form, str) or not form.strip() or form != form.lower():
                raise DataFileError(where, f"verb {lemma!r}: forms are lower-case words, not {form!r}")
            if lemma_of.setdefault(form, lemma.lower()) != lemma.lower():
                raise DataFileError(where, f"the form {form!r} is listed under {lemma_of[form]!r} and {lemma!r}")
    lead = raw.get("lead", [])
    if not isinstance(lead, list) or not all(isinstance(w, str) and w.strip() for w in lead):
        raise DataFileError(where, '"lead" must be a list of words')
    return hedge_of, lemma_of, tuple(lead)


def hedges() -> dict[str, str]:
    """Reporting verb lemma -> the hedge of what it reports ("say" -> "reported", "deny" -> "denied")."""
    return _load()[0]


def forms() -> dict[str, str]:
    """Written form that names a speaker -> its lemma ("said" -> "say", "denies" -> "deny")."""
    return _load()[1]


def lead() -> tuple[str, ...]:
    """Words that may stand between a speaker and the verb: "police have also said"."""
    return _load()[2]
