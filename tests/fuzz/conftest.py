"""Fuzz tests: a fixed seed, bounded example counts, no network, and a count of the inputs they ran.

The hypothesis profile is derandomized (the same examples on every run, so a failure is reproducible
and the suite never flakes), keeps no example database and has no deadline: no test here asserts
how fast anything is. `SITREP_FUZZ_SCALE=10 pytest tests/fuzz` runs ten times the examples.
"""

from __future__ import annotations

import os

import pytest

from fuzzkit import COUNTS, NetworkGuard  # also loads the fixed-seed hypothesis profile

def pytest_collection_modifyitems(config, items):
    here = os.path.dirname(__file__)
    for item in items:
        if str(item.fspath).startswith(here):
            item.add_marker(pytest.mark.fuzz)


@pytest.fixture(autouse=True, scope="module")
def no_network():
    """Every fuzz test runs with connections to anything but loopback refused and recorded."""
    with pytest.MonkeyPatch.context() as mp:
        guard = NetworkGuard().install(mp)
        yield guard
    assert guard.attempts == [], f"a fuzz test tried to open network connections: {guard.attempts}"


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not COUNTS:
        return
    total = sum(COUNTS.values())
    parts = ", ".join(f"{area} {n}" for area, n in sorted(COUNTS.items()))
    terminalreporter.write_sep("-", f"fuzz: {total} inputs ran ({parts})")
