"""An XSS corpus: payloads for article ids, titles, sources, urls, text and file names.

Shared by the fuzz suite (through `sitrep run` into report.html) and the web app's tests (every page
and API response). FLAG is what a payload would set if it ever ran: `window.__xss`.
"""

from __future__ import annotations

import json
from pathlib import Path

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
LEAD = "Gunmen attacked a police post in Bannu on Tuesday, killing at least four officers, police said. "
# What a page must never carry unescaped: the start of an element a payload brings.
RAW = ("<script>window", "<img src=x", "<svg onload", "<svg><a", "<iframe", "<object", "<details open", "<base href",
       "<meta http-equiv", "<link rel=stylesheet", "<math>")


def articles() -> list[dict]:
    """One JSONL article per payload, the payload in every field a reader keeps."""
    return [{"id": f"x{i}{p}"[:120], "published": "2026-03-10", "title": p, "source": p, "url": URLS[i % len(URLS)],
             "text": f"{LEAD}{p}\n\nResidents said {i + 2} people died in Bannu. {p} Visit {URLS[i % len(URLS)]}"}
            for i, p in enumerate(PAYLOADS)]


def hostile_folder(d: Path) -> Path:
    """*d* made and filled with the corpus: a JSONL file, text files with hostile names, an RSS feed."""
    d.mkdir()
    (d / "wire.jsonl").write_text("\n".join(json.dumps(a) for a in articles()) + "\n", encoding="utf-8")
    for name in FILE_NAMES:
        (d / name.replace("/", "%")).write_text(f"date 2026-03-10 {LEAD}{PAYLOADS[0]}", encoding="utf-8")
    items = "".join(f"<item><guid>{i}</guid><title><![CDATA[{p}]]></title><link>{URLS[i % len(URLS)]}</link>"
                    f"<description><![CDATA[<p>{LEAD}</p>{p}]]></description></item>" for i, p in enumerate(PAYLOADS))
    (d / "feed.xml").write_text(f"<?xml version='1.0'?><rss version='2.0'><channel><title><![CDATA[{PAYLOADS[1]}]]>"
                                f"</title>{items}</channel></rss>", encoding="utf-8")
    return d


def hostile_pages(client) -> list[str]:
    """Every page of the web app over a store worth opening: the lists, each story, each document, claims highlighted."""
    from urllib.parse import quote

    stories = client.get("/api/v1/stories?limit=1000").json()["items"]
    claims = client.get("/api/v1/claims?limit=1000").json()["items"]
    docs = sorted({c["doc_id"] for c in claims})
    return ["/", "/events", "/claims?limit=500", "/docs", *(f"/stories/{quote(s['id'], safe='')}" for s in stories),
            *(f"/documents/{quote(d, safe='')}" for d in docs),
            *(f"/documents/{quote(c['doc_id'], safe='')}?claim={c['claim_id']}" for c in claims[:20])]
