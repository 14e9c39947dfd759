"""Near-duplicate detection with MinHash and LSH banding.

A syndicated copy differs from its original by a headline, a dateline or a
sentence; counting both would double every figure. Each text gets a MinHash
signature (datasketch); the signature is cut into bands, and two texts that
share any band are candidates, confirmed when the estimated Jaccard
similarity of their word shingles passes the threshold.

The band keys are plain strings so the store can index them: lookups stay
cheap and memory stays flat however many documents are stored.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

import numpy as np
from datasketch import MinHash
from datasketch.lsh import _optimal_param

_WORD = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, k: int) -> set[bytes]:
    """Lower-cased word k-shingles of *text* (the whole text when shorter than k)."""
    words = _WORD.findall(text.lower())
    if len(words) <= k:
        return {" ".join(words).encode("utf-8")}
    return {" ".join(words[i:i + k]).encode("utf-8") for i in range(len(words) - k + 1)}


def signature(text: str, num_perm: int = 128, k: int = 5) -> np.ndarray:
    """MinHash signature of *text* as a uint64 array."""
    template = _template(num_perm)
    m = MinHash(num_perm=num_perm, seed=1, permutations=template.permutations, scheme=template.scheme)
    m.update_batch(list(shingles(text, k)))
    return m.hashvalues.astype(np.uint64)


@lru_cache(maxsize=4)
def _template(num_perm: int) -> MinHash:
    # Building the permutations costs more than hashing a short article: do it once.
    return MinHash(num_perm=num_perm, seed=1)


@lru_cache(maxsize=8)
def bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows) minimising false positives and negatives at *threshold* (datasketch's optimum)."""
    return _optimal_param(threshold, num_perm, 0.5, 0.5)


def band_keys(sig: np.ndarray, threshold: float) -> list[str]:
    """One short key per LSH band; equal keys mean candidate duplicates.

    Bands are tuned for a lower similarity than *threshold* so that pairs just
    above it are almost never missed; candidates are then checked exactly.
    """
    b, r = bands(round(max(0.2, threshold - 0.3), 2), len(sig))
    return [f"{i}:{hashlib.blake2b(sig[i * r:(i + 1) * r].tobytes(), digest_size=8).hexdigest()}"
            for i in range(b)]
