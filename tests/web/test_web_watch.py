"""The app answers while `sitrep watch` writes to its store (loads spaCy): on SQLite and on PostgreSQL, readers
in threads get whole answers (no error, no "database is locked", a page's total its items' count) while a
`Watcher` reads new articles and builds their stories again."""

from __future__ import annotations

import json
import threading

import pytest
from fastapi.testclient import TestClient

from sitrep.settings import Settings
from sitrep.store import Store
from sitrep.watch import Watcher
from sitrep.web import create_app

pytestmark = pytest.mark.nlp

JOIN = 300   # seconds a thread may take before the test fails (never reached when all goes well)

# Articles written for these tests: two incidents, each told by several outlets, and one on its own.
ARTICLES = [
    {"id": "gwoza-1", "source": "Sahel Sentinel", "title": "Gunmen attack Gwoza market", "published": "2026-04-20",
     "text": "Gunmen attacked the main market in Gwoza, Borno State, on Monday, killing nine traders, police said. "
             "Residents said the attackers arrived on motorcycles and set fire to stalls before fleeing towards "
             "the Mandara hills."},
    {"id": "chaman-1", "source": "Frontier Ledger", "title": "Blast at Chaman checkpoint", "published": "2026-04-22",
     "text": "A roadside bomb struck a paramilitary vehicle near a checkpoint in Chaman on Wednesday, killing three "
             "Frontier Corps soldiers, officials said. No group claimed the attack."},
    {"id": "gwoza-2", "source": "Lake Chad Courier", "title": "Gwoza market toll", "published": "2026-04-20",
     "text": "Residents of Gwoza in Borno State said 14 people were killed when gunmen stormed the town's market on "
             "Monday. A local vigilante leader said six others were wounded in the attack on the market."},
    {"id": "chaman-2", "source": "Quetta Evening Post", "title": "Chaman toll rises", "published": "2026-04-23",
     "text": "The toll from Wednesday's roadside bombing near Chaman rose to five soldiers after two wounded men died "
             "in hospital in Quetta, a security official said on Thursday."},
    {"id": "menaka-1", "source": "Desert Dispatch", "title": "Clash near Menaka", "published": "2026-04-25",
     "text": "Militants ambushed an army patrol near Menaka on Saturday, and the army said seven soldiers and twelve "
             "assailants were killed in the fighting."},
]

READS = ["/api/v1/stories?limit=1000", "/api/v1/events?limit=1000", "/api/v1/claims?limit=1000", "/api/v1/stamp",
         "/api/v1/events.csv", "/api/v1/stories.json", "/api/v1/claims.jsonl", "/api/v1/events.geojson",
         "/api/v1/facets", "/", "/events", "/claims", "/events?country=nigeria"]


def drop(folder, article: dict) -> None:
    (folder / f"{article['id']}.jsonl").write_text(json.dumps(article) + "\n", encoding="utf-8")


def test_readers_get_whole_answers_while_the_watch_writes(store_urls, tmp_path):
    url = store_urls("live")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    writer = Store(url)                      # the watch, as its own process would, with its own engine
    watcher = Watcher([inbox], writer, Settings(progress=False, workers=1), settle=0)
    drop(inbox, ARTICLES[0])
    assert watcher.poll().update.new == 1    # the model is loaded: the writes below come fast
    failures: list[str] = []
    done = threading.Event()
    reads = [0]

    app = create_app(url)                    # the app reads through an engine of its own
    with TestClient(app) as client:
        def get(path, *ok):
            r = client.get(path)
            reads[0] += 1
            if r.status_code != 200 and r.status_code not in ok:
                failures.append(f"{path}: {r.status_code} {r.text[:300]}")
            return r

        def read():
            try:
                rounds = 0
                while not done.is_set() or rounds < 2:     # and two whole rounds after the last write
                    rounds = rounds + 1 if done.is_set() else 0
                    for path in READS:
                        r = get(path)
                        if r.status_code == 200 and path.endswith("limit=1000"):
                            body = r.json()
                            if body["total"] != len(body["items"]):
                                failures.append(f"{path}: total {body['total']}, {len(body['items'])} items")
                    for s in client.get("/api/v1/stories?limit=1000").json()["items"]:
                        # a story may join another between the list and the page: then it is 404, never 500
                        get(f"/api/v1/stories/{s['id']}", 404)
                        get(f"/api/v1/stories/{s['id']}/stamp", 404)
                        get(f"/stories/{s['id']}", 404)
                        get(f"/api/v1/events?story_id={s['id']}")
            except Exception as e:  # noqa: BLE001 - a reader that breaks fails the test
                failures.append(f"reader: {type(e).__name__}: {e}")

        readers = [threading.Thread(target=read, daemon=True) for _ in range(3)]
        for t in readers:
            t.start()
        try:
            for article in ARTICLES[1:]:
                drop(inbox, article)
                cycle = watcher.poll()
                assert cycle.update is not None and cycle.update.new == 1, cycle
        finally:
            done.set()
            for t in readers:
                t.join(JOIN)
        assert not any(t.is_alive() for t in readers)

        assert failures == []
        assert reads[0] > 0
        stories = client.get("/api/v1/stories?limit=1000").json()["items"]
        listed = {d for s in stories for d in client.get(f"/api/v1/stories/{s['id']}").json()["doc_ids"]}
        assert listed == {a["id"] for a in ARTICLES}
        gwoza = next(s for s in stories if "gwoza-1" in client.get(f"/api/v1/stories/{s['id']}").json()["doc_ids"])
        assert "gwoza-2" in client.get(f"/api/v1/stories/{gwoza['id']}").json()["doc_ids"]
    app.state.desk.store.close()
    writer.close()
