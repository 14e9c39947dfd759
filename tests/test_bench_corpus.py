"""The bench's corpus of news length looks like real reporting in the two ways that set sitrep's cost."""

import random
import re
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from corpus import article, realistic_article  # noqa: E402


def _stats(make, n=200):
    rng = random.Random(3)
    words, digits = [], []
    for i in range(n):
        _, text = make(i, rng)
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]
        words.append(len(text.split()))
        digits.append(sum(bool(re.search(r"\d", s)) for s in sentences) / len(sentences))
    return statistics.median(words), statistics.median(digits)


def test_realistic_articles_have_news_length_and_a_third_of_sentences_with_figures():
    words, digits = _stats(realistic_article)
    assert 400 <= words <= 500          # real news: a median of about 450 words
    assert 0.25 <= digits <= 0.35       # about three in ten sentences carry a digit
    short, _ = _stats(article)
    assert short < 250                  # the short articles the kill tests use stay short


def test_a_realistic_article_keeps_the_figures_of_the_short_one():
    rng_a, rng_b = random.Random(5), random.Random(5)
    day_a, short = article(0, rng_a)
    day_b, long = realistic_article(0, rng_b)
    assert day_a == day_b
    assert short.split("\n\n")[0] == long.split("\n\n")[0]   # the lead with the act and its toll
