"""The lead that stands for an article when stories are formed."""

from __future__ import annotations

import pytest

from sitrep.nlp.embed import lead_text
from sitrep.nlp.segment import split_sentences


@pytest.mark.parametrize("text, lead", [
    ("WORLD\n3 MIN READ\nGunmen stormed a police post in the hills overnight.\nMore follows.",
     "Gunmen stormed a police post in the hills overnight."),
    ("Loading...\nTroops repelled an attack on the camp.", "Troops repelled an attack on the camp."),
    ("Rebels seized the river port on Friday. Residents fled.", "Rebels seized the river port on Friday."),
    ("BREAKING", "BREAKING"),  # nothing better: the first line stays
    ("", ""),
])
def test_the_lead_skips_page_debris_before_the_first_sentence(text, lead):
    assert lead_text(None, text, split_sentences(text)) == lead


def test_the_lead_is_the_title_then_the_first_sentence():
    text = "NEWS\nA bomb hit the market at noon, killing four."
    assert lead_text("Market bombing", text, split_sentences(text)) == \
        "Market bombing A bomb hit the market at noon, killing four."
