"""The indexed attribute ruler sets exactly what spaCy's own ruler sets."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitrep.nlp import parse
from sitrep.nlp.attributes import NAME, index_attribute_ruler

pytestmark = pytest.mark.nlp

# Sentences written for this test: contractions, pronouns, auxiliaries, "there is", stray spaces and
# the words the ruler's exceptions name ("ain't", "gonna", "let's", "y'all", "gets", "got").
SENTENCES = [
    "Ten soldiers were killed and 14 others wounded when gunmen attacked a checkpoint, the army said.",
    "I ain't sure it was them, but y'all know they're gonna say so anyway.",
    "Let's wait: there is no word yet, and there were reports of more dead.",
    "He gets the figures from the hospital; she got hers from the police.",
    "What they did was wrong, and whoever did it has to answer for it, officials said.",
    "Residents  said   the\tattackers  fled\n\ntowards the hills.",
    "C'mon, that isn't what we were told; you didn't see it and I didn't either.",
    "Those who died had gone to the market, which was busy, because it was Friday.",
    "Gonna be hard, they said — 'twas a long night and we've got to rebuild.",
    "The group, which claimed 84 deaths, did not say how it counted them.",
]


def _attributes(doc) -> list[tuple]:
    return [(t.text, t.tag_, t.pos_, t.lemma_, str(t.morph), t.dep_) for t in doc]


@pytest.fixture(scope="module")
def pipelines():
    import spacy

    name = next(n for n in parse.MODELS if spacy.util.is_package(n))
    plain = spacy.load(name, exclude=["ner"])
    indexed = spacy.load(name, exclude=["ner"])
    assert index_attribute_ruler(indexed)
    return plain, indexed


def test_pipeline_swaps_the_ruler_in_place(pipelines):
    plain, indexed = pipelines
    assert "attribute_ruler" not in indexed.pipe_names
    at = plain.pipe_names.index("attribute_ruler")
    assert indexed.pipe_names[at] == NAME
    assert parse.load_pipeline().pipe_names.count(NAME) == 1


@pytest.mark.parametrize("text", SENTENCES)
def test_same_attributes_as_spacy(pipelines, text):
    plain, indexed = pipelines
    assert _attributes(indexed(text)) == _attributes(plain(text))


def _words(plain) -> list[str]:
    """Words spaCy's ruler names, and ordinary ones around them."""
    words = {"the", "soldiers", "were", "killed", "said", "in", "town", "they", "it", "is", "was", "not",
             "do", "have", "that", "this", "there", "who", "which", "10", ",", ".", "'s", "n't", "na", "ta"}
    for p in plain.get_pipe("attribute_ruler").patterns:
        for pattern in p["patterns"]:
            for token in pattern:
                value = token.get("LOWER")
                if isinstance(value, str):
                    words.add(value)
                elif isinstance(value, dict) and "IN" in value:
                    words.update(value["IN"])
    return sorted(words)


WORDS = None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_same_attributes_on_any_words(pipelines, data):
    global WORDS
    plain, indexed = pipelines
    WORDS = WORDS or _words(plain)
    words = data.draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=14))
    text = " ".join(words)
    assert _attributes(indexed(text)) == _attributes(plain(text))


def test_a_rule_it_cannot_index_keeps_spacys_ruler():
    import spacy

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "very", "OP": "+"}, {"LOWER": "big"}]], {"LEMMA": "big"})
    assert index_attribute_ruler(nlp) is False
    assert nlp.pipe_names == ["attribute_ruler"]


def test_rules_apply_in_the_rulers_order():
    """A later rule overrides an earlier one on the same token, as in spaCy, whatever their filing."""
    import spacy

    def build():
        nlp = spacy.blank("en")
        ruler = nlp.add_pipe("attribute_ruler")
        ruler.add([[{"LOWER": "attack"}]], {"LEMMA": "first"})
        ruler.add([[{"IS_SPACE": False}]], {"LEMMA": "second"})            # filed under no word
        ruler.add([[{"LOWER": {"IN": ["attack", "raid"]}}, {"LOWER": "on"}]], {"LEMMA": "third"}, index=-2)
        ruler.add([[{"LOWER": {"REGEX": "^ra"}}]], {"POS": "NOUN"})
        return nlp

    plain, indexed = build(), build()
    assert index_attribute_ruler(indexed)
    for text in ("the attack on the post", "a raid on a camp", "attack", "on attack raid on"):
        assert _attributes(indexed(text)) == _attributes(plain(text))
    assert [t.lemma_ for t in indexed("the attack on")] == ["second", "third", "second"]
