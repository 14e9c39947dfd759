"""Finding input files: links, loops, unreadable folders and special files are skipped with a reason."""

from __future__ import annotations

import os
import threading

import pytest

from sitrep.ingest import read_file, read_paths, scan
from sitrep.records import Document, Problem

ARTICLE = "Six soldiers were killed in an ambush near Tank, officials said."


def folder(tmp_path):
    d = tmp_path / "in"
    (d / "sub").mkdir(parents=True)
    (d / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (d / "sub" / "b.txt").write_text(ARTICLE.replace("Six", "Seven"), encoding="utf-8")
    return d


def test_a_folder_link_loop_is_reported_and_everything_else_read(tmp_path):
    d = folder(tmp_path)
    (d / "sub" / "up").symlink_to(d, target_is_directory=True)
    items = list(read_paths([d]))
    assert sorted(x.doc_id for x in items if isinstance(x, Document)) == ["a", "b"]
    [problem] = [x for x in items if isinstance(x, Problem)]
    assert (problem.path, problem.reason) == (str(d / "sub" / "up"), "folder link loop")
    assert str(d) in problem.detail


def test_a_file_link_loop_is_quarantined_and_everything_else_read(tmp_path):
    d = folder(tmp_path)
    os.symlink(d / "y.txt", d / "x.txt")
    os.symlink(d / "x.txt", d / "y.txt")
    items = list(read_paths([d]))
    assert sorted(x.doc_id for x in items if isinstance(x, Document)) == ["a", "b"]
    assert sorted((x.path, x.reason) for x in items if isinstance(x, Problem)) == [
        (str(d / "x.txt"), "symlink loop"), (str(d / "y.txt"), "symlink loop")]


def test_a_linked_folder_is_read(tmp_path):
    d = folder(tmp_path)
    other = tmp_path / "elsewhere"
    other.mkdir()
    (other / "c.txt").write_text(ARTICLE.replace("Six", "Eight"), encoding="utf-8")
    (d / "linked").symlink_to(other, target_is_directory=True)
    files, skipped = scan([d])
    assert [f.name for f in files] == ["a.txt", "c.txt", "b.txt"] and skipped == []


def test_a_broken_link_is_quarantined(tmp_path):
    d = folder(tmp_path)
    (d / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    problems = [x for x in read_paths([d]) if isinstance(x, Problem)]
    assert [(p.reason, p.path) for p in problems] == [("broken link", str(d / "gone.txt"))]
    assert "nowhere.txt" in problems[0].detail


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every folder")
def test_an_unreadable_folder_is_reported(tmp_path):
    d = folder(tmp_path)
    (d / "sub").chmod(0)
    try:
        items = list(read_paths([d]))
    finally:
        (d / "sub").chmod(0o755)
    assert [x.doc_id for x in items if isinstance(x, Document)] == ["a"]
    assert [(x.reason, x.path) for x in items if isinstance(x, Problem)] == [("unreadable folder", str(d / "sub"))]


def test_the_same_folder_given_twice_is_read_once_without_a_problem(tmp_path):
    d = folder(tmp_path)
    files, skipped = scan([d, d])
    assert len(files) == 2 and skipped == []


@pytest.mark.parametrize("make", ["fifo", "dev_zero", "dev_null"])
def test_pipes_and_devices_are_skipped_with_a_reason_never_read(tmp_path, make):
    d = folder(tmp_path)
    special = d / "special.txt"
    if make == "fifo":
        os.mkfifo(special)
    else:
        special.symlink_to("/dev/zero" if make == "dev_zero" else "/dev/null")
    result: list = []
    reader = threading.Thread(target=lambda: result.extend(read_paths([d])), daemon=True)
    reader.start()
    reader.join(60)  # not a timing assertion: a reader stuck on the pipe would never return
    assert not reader.is_alive(), "reading blocked on a special file"
    [problem] = [x for x in result if isinstance(x, Problem)]
    assert (problem.path, problem.reason) == (str(special), "not a regular file")
    assert ("named pipe" if make == "fifo" else "character device") in problem.detail
    assert sorted(x.doc_id for x in result if isinstance(x, Document)) == ["a", "b"]


def test_a_link_to_a_file_outside_the_folder_is_read(tmp_path):
    d = folder(tmp_path)
    (tmp_path / "outside.txt").write_text(ARTICLE, encoding="utf-8")
    (d / "c.txt").symlink_to(tmp_path / "outside.txt")
    assert [x.text for x in read_file(d / "c.txt")] == [ARTICLE]
