"""The XSS corpus (tests/xsskit.py) through `sitrep run` into report.html and report.md.

Payloads ride in ids, titles, sources, urls, article text and file names. In Debian's chromium
(Playwright), with dialog, console, page-error and request listeners: no payload runs, no dialog
opens, nothing is fetched (the report works offline). report.md carries no raw HTML that would run.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import xsskit
from fuzzkit import counted
from xsskit import FILE_NAMES, PAYLOADS
from sitrep.cli import app

pytestmark = [pytest.mark.slow, pytest.mark.nlp]


def hostile_folder(tmp_path: Path) -> Path:
    counted("xss", len(PAYLOADS) * 2 + len(FILE_NAMES))
    return xsskit.hostile_folder(tmp_path / "in")


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("xss")
    out = tmp / "out"
    res = CliRunner().invoke(app, ["run", str(hostile_folder(tmp)), "--out", str(out), "--no-progress"])
    assert res.exit_code == 0, res.output
    return out


def test_report_html_runs_nothing_and_fetches_nothing(report, browser):
    seen = {"dialogs": [], "console": [], "errors": [], "requests": []}
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
        page.on("console", lambda m: seen["console"].append(m.text) if "xss" in m.text.lower() else None)
        page.on("pageerror", lambda e: seen["errors"].append(str(e)))
        page.on("request", lambda r: None if r.url.startswith(("file:", "data:", "about:", "blob:"))
                else seen["requests"].append(r.url))
        page.route(re.compile(r"^(https?|wss?|ftp)://"), lambda route: route.abort())
        page.goto((report / "report.html").resolve().as_uri())
        page.wait_for_load_state("load")
        for details in page.locator("details").all():
            details.evaluate("d => d.open = true")
        for link in page.locator("main a.fig, main a.ref").all()[:80]:  # the report's own links
            if link.is_visible():
                link.click()
                page.keyboard.press("Escape")  # the source panel would cover the next link
        for marker in page.locator("path.sitrep-marker").all():
            marker.click(force=True)
        flag = page.evaluate("window.__xss")
        hostile = page.locator('[onerror], [onload], [ontoggle], a[href^="javascript:" i], iframe, object, embed, '
                               'base, meta[http-equiv="refresh" i], link[href^="http"], img[src^="http"], img[src="x"]').count()
        svg_scripts = page.locator("svg script").count()
        text = page.locator("body").inner_text()
    finally:
        context.close()
    assert flag is None
    assert seen == {"dialogs": [], "console": [], "errors": [], "requests": []}
    assert hostile == 0 and svg_scripts == 0
    assert "<script>window.__xss=1</script>" in text  # shown as text, not run


def test_report_md_carries_no_raw_html_that_would_run(report):
    md = (report / "report.md").read_text(encoding="utf-8")
    assert "onerror" in md  # the hostile sources are in the report, as text
    for raw in (r"<script", r"<img\b", r"<svg\b", r"<iframe", r"<object", r"<base\b", r"<meta\b", r"<link\b",
                r"</textarea", r"<details\b", r"<math\b", r"<[a-z][^>]*\son\w+\s*=", r"(?<!\\)\]\(\s*(javascript|data|vbscript):",
                r"<a\s[^>]*href", r"(?<!\\)!\[[^\]]*(?<!\\)\]\(https?:"):
        # Markdown links and images count only when unescaped: "\\[click\\](javascript:...)" is text.
        hits = [m.group(0) for m in re.finditer(raw, md, re.I)]
        assert not hits, f"report.md carries raw {raw!r}: {hits[:3]}"
