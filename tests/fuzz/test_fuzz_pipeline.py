"""`sitrep run` on generated batches of articles: one run per hypothesis example (spaCy loads once).

Exit 0 without --strict, every input unit stored or quarantined, every output file whole.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from fuzzkit import ARTICLE_TEXT, SAFE_TEXT, accounted, check_outputs, counted, examples
from sitrep.cli import app

pytestmark = [pytest.mark.nlp,
              pytest.mark.filterwarnings("ignore:To avoid breaking existing software:DeprecationWarning")]

LEAD = st.sampled_from(["", "Gunmen killed 12 soldiers in Bannu on Tuesday, police said. ",
                        "Residents said at least 30 civilians were wounded in Quetta on Monday. ",
                        "The army said between 20 and 25 insurgents died near Maiduguri, officials said. "])
BODY = st.builds(lambda lead, rest: lead + rest, LEAD, ARTICLE_TEXT)
DATE = st.sampled_from([None, "2026-03-10", "2026-03-11T09:30:00Z", "2026-02-30", "soon", "1999-12-31"])


@st.composite
def batches(draw) -> list[tuple[str, bytes, list[int | None]]]:
    """Files: (name, bytes, unit numbers: [None] for a whole file, line or entry numbers otherwise)."""
    files = []
    for i in range(draw(st.integers(8, 16))):
        kind = draw(st.sampled_from(["txt", "txt", "jsonl", "feed"]))
        if kind == "txt":
            marker = draw(st.sampled_from(["", "date 2026-03-10\n", "date 2026-02-31\n"]))
            files.append((f"a{i}.txt", (marker + draw(BODY)).encode(), [None]))
        elif kind == "jsonl":
            lines = []
            for n in range(draw(st.integers(1, 4))):
                obj = {"id": f"j{i}-{n}", "text": draw(BODY), "title": draw(SAFE_TEXT), "published": draw(DATE),
                       "country": draw(st.sampled_from([None, "PK", "Nigeria", "zz"]))}
                lines.append(json.dumps(obj) if draw(st.integers(0, 5)) else '{"id": "broken", "text": ')
            files.append((f"w{i}.jsonl", "\n".join(lines).encode(), list(range(1, len(lines) + 1))))
        else:
            k = draw(st.integers(1, 3))
            items = "".join(f"<item><guid>g{i}-{n}</guid><title>{escape(draw(SAFE_TEXT))}</title>"
                            f"<pubDate>Tue, 10 Mar 2026 09:00:00 GMT</pubDate>"
                            f"<description>{escape(draw(BODY))}</description></item>" for n in range(k))
            xml = f"<?xml version='1.0'?><rss version='2.0'><channel><title>Wire {i}</title>{items}</channel></rss>"
            files.append((f"f{i}.xml", xml.encode(), list(range(1, k + 1))))
    return files


@examples(2)
@given(batches())
def test_a_generated_batch_runs_loses_nothing_and_writes_whole_files(batch):
    with tempfile.TemporaryDirectory(prefix="sitrep-fuzz-run-") as d:
        folder, out = Path(d) / "in", Path(d) / "out"
        folder.mkdir()
        units = []
        for name, data, numbers in batch:
            (folder / name).write_bytes(data)
            units += [(str(folder / name), n) for n in numbers]
        counted("pipeline", len(units))
        res = CliRunner().invoke(app, ["run", str(folder), "--out", str(out), "--no-progress"])
        assert res.exception is None or isinstance(res.exception, SystemExit), res.exc_info
        assert res.exit_code == 0, res.output
        check_outputs(out)
        assert accounted(out, units) == []
