"""A story's names and crowds: what several of its texts call the episode, and who was in the street."""

from __future__ import annotations

import datetime as dt

import pytest

from sitrep.fuse import actors, episode_aliases
from sitrep.fuse.docs import DocInfo, crowds, episode_names


@pytest.mark.parametrize("text, names", [
    ("Riot police fired tear gas as MPs voted on the Water Levy Bill in the capital.", ["Water Levy Bill"]),
    ("Crowds joined the Anti-Water Levy Bill protests on Friday.", ["Water Levy Bill protests"]),
    ("Survivors of the Kora Massacre gathered. The Protection of Journalists Act was cited.",
     ["Kora Massacre", "Protection of Journalists Act"]),
    ("Gunmen attacked the market. Police said 12 died.", []),
])
def test_episode_names_are_capitalised_words_before_a_head_word(text, names):
    assert episode_names(text) == names


def info(doc_id: str, names=(), crowd=None, country="TZ") -> DocInfo:
    return DocInfo(doc_id=doc_id, published=dt.date(2025, 3, 1), title=None, source=None, lead="",
                   names=list(names), crowds=crowd or {}, country=country)


def test_a_story_keeps_the_names_two_of_its_texts_use():
    docs = [info("a", ["Water Levy Bill", "Kora Market"]), info("b", ["Water Levy Bill"]), info("c")]
    assert episode_aliases(docs) == ["Water Levy Bill"]
    assert episode_aliases(docs, ["Water Levy Bill"]) == []     # already listed


def test_crowds_in_the_act_are_the_storys_protesters_named_by_country():
    said = crowds(["Police fired live rounds at protesters in the capital.", "Demonstrators had gathered since dawn.",
                   "Marchers were beaten in the same square last year."], lambda s: "last year" in s)
    assert said == {"Protesters": ["protesters", "Demonstrators"]}   # an earlier incident's marchers are not its
    rows = actors([info("a", crowd=said), info("b", crowd={"Rioters": ["looters"]})])
    assert [(r["name"], r["inter"]) for r in rows] == [("Protesters (Tanzania)", 6), ("Rioters (Tanzania)", 5)]
