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


# ---------------------------------------------------------------- the encoder, traced into the cache

LEADS = ["Gunmen killed twelve villagers in a night raid, officials said on Sunday.",
         "Rebels seized the river port on Friday.", "", "Protesters clashed with police outside parliament " * 6]


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("SITREP_CACHE_DIR", str(tmp_path))
    return tmp_path


@pytest.mark.nlp
def test_the_traced_encoder_gives_sentence_transformers_vectors(cache):
    """The trace made in the cache, and the trace read back from it, embed as sentence-transformers does."""
    np = pytest.importorskip("numpy")
    st = pytest.importorskip("sentence_transformers")
    from sitrep.nlp.embed import MAX_TOKENS, Embedder, _model_dir

    reference = st.SentenceTransformer(str(_model_dir()), device="cpu")
    reference.max_seq_length = MAX_TOKENS
    want = reference.encode(LEADS, normalize_embeddings=True)
    made = Embedder()
    assert [p.name for p in cache.glob("minilm-*.pt")], "no trace in the cache"
    read = Embedder()
    for got in (made(LEADS), read(LEADS)):
        assert got.shape == (len(LEADS), 384)
        assert np.abs(got - want).max() < 1e-5


@pytest.mark.nlp
def test_a_damaged_trace_is_made_again(cache):
    from sitrep.nlp.embed import Embedder

    first = Embedder()(LEADS[:1])
    [trace] = cache.glob("minilm-*.pt")
    trace.write_bytes(b"not a torchscript archive")
    again = Embedder()
    assert (again(LEADS[:1]) == first).all()
    assert trace.read_bytes()[:2] == b"PK"   # a zip archive, written again
