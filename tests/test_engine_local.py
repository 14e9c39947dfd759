"""The local engine: forked workers, and one process of their own for the lead embeddings."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from sitrep.engine import local
from sitrep.pipeline import run
from sitrep.settings import Settings

SAMPLE = Path(__file__).resolve().parents[1] / "src" / "sitrep" / "data" / "sample"
LEADS = [["Gunmen killed nine farmers in a raid on a hamlet before dawn.", "Troops retook the ferry crossing."],
         [], ["Protesters marched on the governor's office for a second day."]]
PARALLEL = Settings(progress=False, workers=2, parallel_from=1)


@pytest.fixture
def fresh(monkeypatch):
    """This process holds no sentence encoder yet, as at the start of `sitrep run`: workers fork an
    embedding process (a process that holds one embeds in it instead)."""
    from sitrep.nlp.embed import Embedder

    monkeypatch.setattr(Embedder, "_shared", None)


def _outputs(folder: Path) -> dict[str, str]:
    """The outputs that depend on the stories and hold no time of writing (events.csv has a timestamp)."""
    return {name: (folder / name).read_text(encoding="utf-8") for name in ("claims.jsonl", "stories.json", "ged.csv")}


@pytest.mark.nlp
def test_the_embedding_process_answers_in_the_order_asked():
    from sitrep.nlp.embed import Embedder

    embedding = local.Embedding()
    try:
        for texts in LEADS:
            embedding.send(texts)
        got = [embedding.receive() for _ in LEADS]
    finally:
        embedding.close()
    here = Embedder()
    for texts, vectors in zip(LEADS, got):
        assert vectors.shape == (len(texts), 384) and vectors.dtype == np.float32
        assert np.allclose(vectors, here(texts), atol=1e-6)
    with pytest.raises(RuntimeError, match="nothing was sent"):
        embedding.receive()


@pytest.mark.nlp
def test_an_error_on_one_list_spares_the_next(monkeypatch, caplog):
    from sitrep.nlp.embed import Embedder

    real = Embedder.__call__

    def fussy(self, texts):
        if any("boom" in t for t in texts):
            raise ValueError("cannot embed this")
        return real(self, texts)

    monkeypatch.setattr(Embedder, "__call__", fussy)   # the process is forked: it runs this too
    embedding = local.Embedding()
    try:
        embedding.send(["a boom in the night"])
        embedding.send(["Troops retook the ferry crossing."])
        with caplog.at_level(logging.WARNING):
            assert embedding.receive() is None
        assert "lead embeddings failed (ValueError: cannot embed this)" in caplog.text
        assert embedding.receive().shape == (1, 384)
    finally:
        embedding.close()


@pytest.mark.nlp
def test_a_run_whose_embedding_process_dies_still_forms_the_same_stories(tmp_path, monkeypatch, caplog, fresh):
    """Without vectors from the embedding process, fusion embeds the leads itself: the same outputs."""
    run([SAMPLE], tmp_path / "ok", PARALLEL)
    monkeypatch.setattr(local, "_serve_embeddings", lambda conn, parent_end: None)   # exits at once
    from sitrep.nlp.embed import Embedder

    monkeypatch.setattr(Embedder, "_shared", None)   # the first run's fusion may have loaded it here
    with caplog.at_level(logging.WARNING):
        report = run([SAMPLE], tmp_path / "dead", PARALLEL)
    assert "the embedding process failed" in caplog.text
    assert report.claims > 0
    assert _outputs(tmp_path / "dead") == _outputs(tmp_path / "ok")
    stories = json.loads((tmp_path / "ok" / "stories.json").read_text(encoding="utf-8"))
    assert stories, "the sample forms stories"


@pytest.mark.nlp
def test_workers_and_one_process_give_the_same_outputs(tmp_path, monkeypatch, fresh):
    from sitrep.nlp.embed import Embedder

    run([SAMPLE], tmp_path / "two", PARALLEL)
    monkeypatch.setattr(Embedder, "_shared", None)
    run([SAMPLE], tmp_path / "one", Settings(progress=False, workers=1))
    assert _outputs(tmp_path / "two") == _outputs(tmp_path / "one")


def test_an_embedding_process_is_forked_only_where_none_is_loaded(monkeypatch):
    from sitrep.nlp.embed import Embedder

    monkeypatch.setattr(Embedder, "_shared", None)
    assert local._fork_embedding()
    monkeypatch.setattr(Embedder, "_shared", object())   # a watch loads its encoder before any batch
    assert not local._fork_embedding()


def test_spacy_is_imported_without_torch():
    """The main process and the workers parse with numpy: importing spaCy leaves torch unloaded, and a
    later `import torch` (the sentence encoder) still works."""
    code = ("import sys\n"
            "from sitrep.nlp.parse import import_spacy\n"
            "import_spacy()\n"
            "assert 'spacy' in sys.modules and 'torch' not in sys.modules, sorted(sys.modules)\n"
            "import torch\n"
            "print(torch.zeros(2).sum().item())\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "0.0"
