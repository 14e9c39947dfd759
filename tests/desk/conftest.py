"""The hand-made store of tests/deskkit.py, built anew for each test (a test may change it)."""

from __future__ import annotations

import pytest

from deskkit import build_hand_store


@pytest.fixture
def hand_store(store_urls):
    store = build_hand_store(store_urls("hand"))
    yield store
    store.close()
