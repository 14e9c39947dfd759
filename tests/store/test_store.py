"""The store: idempotent adds, updates, near-duplicates, id clashes, quarantine rows."""

from __future__ import annotations

import datetime as dt

import pytest

from sitrep.errors import StoreError
from sitrep.records import Document, Problem
from sitrep.store import Store

BASE = ("Gunmen attacked a police post in Bannu district late on Tuesday, killing at least four officers "
        "and wounding six others, a senior police official said. The attackers used rockets and small arms "
        "and fled towards the mountains before reinforcements arrived, according to residents who spoke by phone. "
        "The provincial government ordered an inquiry and announced compensation for the families of the dead.")


@pytest.fixture
def store(tmp_path):
    s = Store(f"sqlite:///{tmp_path / 'db.sqlite'}")
    yield s
    s.close()


def doc(doc_id, text=BASE, origin=None, published=None):
    return Document(doc_id=doc_id, text=text, origin=origin or f"{doc_id}.txt", published=published)


def test_adding_the_same_documents_twice_adds_nothing(store):
    first = store.add_documents([doc("a"), doc("b", BASE.replace("Bannu", "Tank") + " Other words entirely differ here now.")])
    again = store.add_documents([doc("a"), doc("b", BASE.replace("Bannu", "Tank") + " Other words entirely differ here now.")])
    assert [s for _, s in again] == ["unchanged", "unchanged"]
    assert store.count_documents() == 2
    assert [s for _, s in first][0] == "new"


def test_changed_text_under_same_id_and_origin_is_an_update(store):
    store.add_documents([doc("a")])
    [(_, status)] = store.add_documents([doc("a", "A completely different report about Jowhar.")])
    assert status == "updated"
    assert store.get_document("a").text == "A completely different report about Jowhar."
    assert store.count_documents() == 1


def test_id_clash_from_another_origin_gets_a_suffix(store):
    store.add_documents([doc("a", origin="x/a.txt")])
    [(got, status)] = store.add_documents([doc("a", "Unrelated text about Afgooye and Jowhar.", origin="y/a.txt")])
    assert status == "new" and got.doc_id.startswith("a_") and store.count_documents() == 2


def test_syndicated_copy_points_to_original(store):
    copy = "BANNU (Wire) - " + BASE.replace("a senior police official said", "a senior police officer said")
    out = store.add_documents([doc("orig", published=dt.date(2026, 3, 10)), doc("copy", copy, published=dt.date(2026, 3, 11))])
    assert [s for _, s in out] == ["new", "duplicate"]
    assert store.get_document("copy").duplicate_of == "orig"
    assert store.get_document("orig").duplicate_of is None


def test_earlier_published_copy_becomes_the_original(store):
    copy = "BANNU (Wire) - " + BASE
    store.add_documents([doc("late", published=dt.date(2026, 3, 12))])
    store.add_documents([doc("early", copy, published=dt.date(2026, 3, 10))])
    assert store.get_document("late").duplicate_of == "early"
    assert store.get_document("early").duplicate_of is None


def test_different_articles_are_not_duplicates(store):
    other = ("Al-Shabaab fighters stormed a hotel in Mogadishu on Sunday. The siege lasted eight hours and "
             "security forces said twelve people died, including three guards, while the group claimed forty.")
    store.add_documents([doc("a"), doc("b", other)])
    assert store.get_document("b").duplicate_of is None


def test_iter_documents_in_batches_returns_all(store):
    store.add_documents([doc(f"d{i:03}", f"Report number {i} about a separate incident in place {i}.") for i in range(25)])
    assert [d.doc_id for d in store.iter_documents(batch=7)] == [f"d{i:03}" for i in range(25)]


def test_problems_replace_per_path(store):
    store.add_problems([Problem("a.jsonl", "malformed JSON line", line=3, detail="x")])
    store.add_problems([Problem("b.bin", "binary file")])
    store.clear_problems("a.jsonl")
    assert [p.path for p in store.problems()] == ["b.bin"]


def test_bad_url_is_a_store_error():
    with pytest.raises(StoreError, match="cannot use database URL"):
        Store("nosuchdialect://x")
