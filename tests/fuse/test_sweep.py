"""The windowed rebuild (`fuse.sweep`) makes the stories `stories.cluster` makes, holding only open stories.

Hand-made `DocInfo`s (no model): towns of northern Burkina Faso, leads of chosen similarity, days
spread so that windows open and close, and documents without a date, which `cluster` places last
against every story, also the closed ones.
"""

from __future__ import annotations

import datetime as dt
import random

import numpy as np
import pytest

from sitrep.fuse.docs import DocInfo, Town
from sitrep.fuse.stories import WINDOW_DAYS, cluster
from sitrep.fuse.sweep import Spill, windowed

DAY = dt.date(2025, 11, 8)
TOWNS = {"djibo": ("Djibo", 14.10, -1.63, "Sahel"), "dori": ("Dori", 14.03, -0.03, "Est"),
         "village": ("Village", 14.28, -1.63, "Sahel"), "kaya": ("Kaya", 13.09, -1.08, "Centre-Nord")}


TOPICS = [(1, 0, 0, 0), (0, 1, 0, 0), (0, 0, 1, 0), (0, 0, 0, 1), (0.7, 0.7, 0, 0)]   # leads of a few kinds


def town(key: str, violent: bool) -> Town:
    name, lat, lon, admin1 = TOWNS[key]
    return Town(id=key, name=name, latitude=lat, longitude=lon, admin1=admin1, admin2=None, country="BF",
                geonameid=None, surfaces={name}, violent=violent, sentences=[f"Gunmen attacked {name}."] * violent)


def corpus(seed: int, n: int = 120, undated: float = 0.1) -> list[DocInfo]:
    rng = random.Random(seed)
    docs = []
    for i in range(n):
        day = None if rng.random() < undated else DAY + dt.timedelta(days=rng.randrange(40))
        towns = [town(k, rng.random() < 0.7) for k in rng.sample(sorted(TOWNS), rng.randrange(0, 3))]
        v = np.array(TOPICS[rng.randrange(len(TOPICS))], dtype=np.float32) + \
            np.array([rng.gauss(0, 0.15) for _ in range(4)], dtype=np.float32)
        docs.append(DocInfo(doc_id=f"d{i:03d}", published=day, title=None, source=None, lead=f"lead {i}",
                            event_date=day, date_precision=1, towns={t.id: t for t in towns}, country="BF",
                            groups=[{"id": g, "name": g, "short": g, "inter": 2}
                                    for g in rng.sample(["jnim", "isgs"], rng.randrange(0, 2))],
                            vector=v / np.linalg.norm(v)))
    return docs


def swept(docs: list[DocInfo]) -> tuple[dict[int, list[str]], list[str]]:
    """The stories `windowed` gives (a story given again replaces the first) and the dated documents it saw."""
    out, seen = {}, []
    with Spill() as spill:
        spill.add_docs(docs)
        for n, story in windowed(spill, any(d.event_date is None for d in docs), seen=lambda d: seen.append(d.doc_id)):
            out[n] = [d.doc_id for d in story.docs]
    return out, seen


@pytest.mark.parametrize("seed,undated", [(1, 0.0), (2, 0.1), (3, 0.3), (4, 1.0)])
def test_the_sweep_makes_cluster_s_stories_with_their_documents_in_cluster_s_order(seed, undated):
    docs = corpus(seed, undated=undated)
    want = [[d.doc_id for d in s.docs] for s in cluster(corpus(seed, undated=undated))]
    got, seen = swept(docs)
    assert list(got.values()) != [] and sorted(got.values()) == sorted(want)
    assert [got[n] for n in sorted(got)] == want                 # numbered in the order they began
    dated = sorted((d for d in docs if d.event_date), key=lambda d: (d.event_date, d.doc_id))
    assert seen == [d.doc_id for d in dated]


def test_a_story_is_given_as_soon_as_a_document_beyond_its_window_comes_not_at_the_end():
    # one document a day at the same town: one story per window, each closed when the window has passed
    docs = [DocInfo(doc_id=f"d{i:03d}", published=DAY + dt.timedelta(days=i), title=None, source=None, lead="x",
                    event_date=DAY + dt.timedelta(days=i), date_precision=1, towns={"djibo": town("djibo", True)},
                    country="BF", vector=np.array([1.0, 0.0, 0.0], dtype=np.float32)) for i in range(60)]
    order = []
    with Spill() as spill:
        spill.add_docs(docs)
        it = windowed(spill, False, seen=lambda d: order.append(("seen", d.doc_id)))
        for n, story in it:
            order.append(("story", n, story.docs[0].doc_id, story.docs[-1].doc_id))
    stories = [o for o in order if o[0] == "story"]
    assert len(stories) == 60 // (WINDOW_DAYS + 1)
    assert all(int(last[1:]) - int(first[1:]) == WINDOW_DAYS for _, _, first, last in stories)
    # the first story comes when the first document beyond its window is placed (then seen), not at the end
    first_story = order.index(stories[0])
    assert order[first_story - 1:first_story + 2:2] == [("seen", f"d{WINDOW_DAYS:03d}"),
                                                        ("seen", f"d{WINDOW_DAYS + 1:03d}")]


def test_an_undated_document_as_like_two_closed_stories_joins_the_earlier_as_in_cluster():
    def one(doc_id, day):
        return DocInfo(doc_id=doc_id, published=day, title=None, source=None, lead="x", event_date=day,
                       date_precision=1, towns={"djibo": town("djibo", True)}, country="BF",
                       vector=np.array([1.0, 0.0, 0.0, 0.0], dtype=np.float32))
    docs = [one("b-later", DAY + dt.timedelta(days=20)), one("a-earlier", DAY), one("undated", None)]
    want = [[d.doc_id for d in s.docs] for s in cluster([one(d.doc_id, d.event_date) for d in docs])]
    assert want == [["a-earlier", "undated"], ["b-later"]]
    got, _ = swept(docs)
    assert [got[n] for n in sorted(got)] == want
