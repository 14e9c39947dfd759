"""Claims: every numeric figure in a document, with what it counts, who says it and where (SPEC §3).

>>> from sitrep.nlp import analyse, parse_candidates
>>> a = analyse(doc)                                   # doctest: +SKIP
>>> claims = extract_claims(a, parse_candidates(a))    # doctest: +SKIP
"""

from .document import dedupe, extract_claims

__all__ = ["dedupe", "extract_claims"]
