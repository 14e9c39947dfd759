"""An XSS corpus through `sitrep run` into report.html and report.md.

Payloads ride in ids, titles, sources, urls, article text and file names. In Debian's chromium
(Playwright), with dialog, console, page-error and request listeners: no payload runs, no dialog
opens, nothing is fetched (the report works offline). report.md carries no raw HTML that would run.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fuzzkit import counted
from sitrep.cli import app

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
pytestmark = [pytest.mark.slow, pytest.mark.nlp]

FLAG = "window.__xss=1"
PAYLOADS = [
    f"<script>{FLAG}</script>",
    f'<img src=x onerror="{FLAG}">',
    f"<img src=x onerror={FLAG};alert(1)>",
    f'<svg onload="{FLAG}"><script>{FLAG}</script></svg>',
    f'<svg><a xlink:href="javascript:{FLAG}"><text x="0" y="15">svg link</text></a></svg>',
    f"</textarea><script>{FLAG}</script>",
    f"</title><script>{FLAG}</script>",
    f'</script><script>{FLAG}</script>',
    f'"><script>{FLAG}</script>',
    f"'><img src=x onerror={FLAG}>",
    f'<iframe src="javascript:{FLAG}"></iframe>',
    f'<a href="javascript:{FLAG}">read more</a>',
    f'<math><mtext><table><mglyph><style><img src=x onerror="{FLAG}">',
    f'<details open ontoggle="{FLAG}">',
    f'<object data="data:text/html,<script>{FLAG}</script>"></object>',
    f'<link rel=stylesheet href="http://203.0.113.7/x.css"><img src="https://203.0.113.7/pixel.gif">',
    f'<base href="http://203.0.113.7/">',
    f'<meta http-equiv="refresh" content="0;url=javascript:{FLAG}">',
    f"[click](javascript:{FLAG}) ![img](http://203.0.113.7/a.png)",
    f"{{{{ 7*7 }}}} ${{{FLAG}}} `{FLAG}`",
    f"&lt;script&gt;{FLAG}&lt;/script&gt; &#60;script&#62;",
    f"\u2028<script>{FLAG}</script>\u2029",
]
URLS = [f"javascript:{FLAG}", f"JaVaScRiPt:{FLAG}", f" javascript:{FLAG}", f"data:text/html,<script>{FLAG}</script>",
        f"vbscript:{FLAG}", "http://203.0.113.7/article", f'http://x/"><script>{FLAG}</script>']
FILE_NAMES = [f"<svg onload={FLAG}>.txt", f'"><img src=x onerror={FLAG}>.txt', f"</textarea><script>x</script>.txt",
              "javascript:alert(1).txt"]


def hostile_folder(tmp_path: Path) -> Path:
    d = tmp_path / "in"
    d.mkdir()
    lead = "Gunmen attacked a police post in Bannu on Tuesday, killing at least four officers, police said. "
    lines = []
    for i, p in enumerate(PAYLOADS):
        lines.append(json.dumps({
            "id": f"x{i}{p}"[:120], "published": "2026-03-10", "title": p, "source": p, "url": URLS[i % len(URLS)],
            "text": f"{lead}{p}\n\nResidents said {i + 2} people died in Bannu. {p} Visit {URLS[i % len(URLS)]}"}))
    (d / "wire.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for name in FILE_NAMES:
        (d / name.replace("/", "%")).write_text(f"date 2026-03-10 {lead}{PAYLOADS[0]}", encoding="utf-8")
    items = "".join(f"<item><guid>{i}</guid><title><![CDATA[{p}]]></title><link>{URLS[i % len(URLS)]}</link>"
                    f"<description><![CDATA[<p>{lead}</p>{p}]]></description></item>" for i, p in enumerate(PAYLOADS))
    (d / "feed.xml").write_text(f"<?xml version='1.0'?><rss version='2.0'><channel><title><![CDATA[{PAYLOADS[1]}]]>"
                                f"</title>{items}</channel></rss>", encoding="utf-8")
    counted("xss", len(PAYLOADS) * 2 + len(FILE_NAMES))
    return d


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("xss")
    out = tmp / "out"
    res = CliRunner().invoke(app, ["run", str(hostile_folder(tmp)), "--out", str(out), "--no-progress"])
    assert res.exit_code == 0, res.output
    return out


def test_report_html_runs_nothing_and_fetches_nothing(report):
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is absent: install it with `apt-get install chromium`")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed: `make install`")
    seen = {"dialogs": [], "console": [], "errors": [], "requests": []}
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
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
            browser.close()
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
