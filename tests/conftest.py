"""Shared fixtures: small corpora built by hand, and the optional ../shared folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture
def shared() -> Path:
    """The project's ../shared folder; tests using it skip in a user's clone, which has none."""
    if not (SHARED / "seeds").is_dir():
        pytest.skip("../shared/seeds is absent (only CI and developers have it)")
    return SHARED


ARTICLE = ("date 2026-03-10 Gunmen attacked a police post in Bannu on Tuesday, killing at least four officers, "
           "police said. Residents said six people died.\n\nThe army said the attackers had fled.")


@pytest.fixture
def messy_folder(tmp_path: Path) -> Path:
    """One good article, a binary file, an empty file and a JSONL file with one bad line."""
    d = tmp_path / "in"
    d.mkdir()
    (d / "good.txt").write_text(ARTICLE, encoding="utf-8")
    (d / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + bytes(range(256)) * 4)
    (d / "empty.txt").write_text("", encoding="utf-8")
    lines = [
        json.dumps({"id": "j1", "text": "Five soldiers were killed in Tank, officials said.", "published": "2026-03-11"}),
        '{"id": "j2", "text": "broken',
        json.dumps({"id": "j3", "text": "Two civilians were wounded in Lakki Marwat.", "published": "2026-03-11T09:30:00Z"}),
    ]
    (d / "wire.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return d
