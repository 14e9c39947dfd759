"""Sentence splitting without a model."""

from __future__ import annotations

import pytest

from sitrep.nlp.segment import split_sentences


def sents(text):
    return [text[a:b] for a, b in split_sentences(text)]


@pytest.mark.parametrize("text, want", [
    ("Ten died. Five were hurt.", ["Ten died.", "Five were hurt."]),
    ("Gen. Ahmed said ten died. Police agreed.", ["Gen. Ahmed said ten died.", "Police agreed."]),
    ("U.S. officials said 12 died. Others disagreed.", ["U.S. officials said 12 died.", "Others disagreed."]),
    ("It began at 6 a.m. Troops arrived later.", ["It began at 6 a.m. Troops arrived later."]),
    ('"We lost seven men." The commander wept.', ['"We lost seven men."', "The commander wept."]),
    ("He said “they fled.” Then silence.", ["He said “they fled.”", "Then silence."]),
    ("Headline without stop\nBody text here. More.", ["Headline without stop", "Body text here.", "More."]),
    ("Over 80 were killed. 18 were taken.", ["Over 80 were killed.", "18 were taken."]),
    ("Casualties: 3.5 km away, 12 died.", ["Casualties: 3.5 km away, 12 died."]),
    ("They met on Jan. 31 in Quetta. It rained.", ["They met on Jan. 31 in Quetta.", "It rained."]),
    ("Where? In Gao! Then Menaka.", ["Where?", "In Gao!", "Then Menaka."]),
    ("", []),
    ("\n\n  \n", []),
])
def test_split(text, want):
    assert sents(text) == want


def test_offsets_point_into_the_text():
    text = "  First one.  Second one.\n\n Third. "
    spans = split_sentences(text)
    assert [text[a:b] for a, b in spans] == ["First one.", "Second one.", "Third."]


def test_sentences_glued_by_a_page_that_lost_its_spaces_are_split():
    t = "Fighting spread across the region.Officials said the town fell.\u201dAt least 9 died in 2019.\u201dNext"
    assert [t[a:b] for a, b in split_sentences(t)] == [
        "Fighting spread across the region.", "Officials said the town fell.\u201d", "At least 9 died in 2019.\u201d",
        "Next"]
    kept = "The U.S.Army and example.com stayed, said Gen. Khan."
    assert [kept[a:b] for a, b in split_sentences(kept)][0].startswith("The U.S.Army")
