"""Continuous ingest: watch folders and feed files, and keep the store's stories up to date.

Every *interval* seconds the watched paths are walked again. A file is read when it is new or
its size or modification time changed, once it has stopped changing (the same size and time on
two looks, or last written more than *settle* seconds ago), so a file still being written is
not read half-way. A feed is read whole again when it changes: the entries already stored are
recognised as such (``unchanged``) and only new ones are extracted. A JSONL file that grew is
read from where the last read ended, complete lines only (a line still being written waits);
one rewritten from the start is read whole again.
What was read goes through `pipeline.update`: the new articles' claims, then only the stories
they can belong to (`sitrep.fuse.live`).

With an output folder, the output files are written again after changes, at most every
*write_every* seconds, and once more when the watch stops.

>>> w = Watcher(["inbox/"], store, settings)   # doctest: +SKIP
>>> w.poll()                                    # one look: what was read and what changed
"""

from __future__ import annotations

import io
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .fuse.live import LiveFusion
from .ingest import read_file, scan
from .ingest.files import bom_encoding, kind_of
from .ingest.readers import read_jsonl_stream
from .pipeline import UpdateReport, update, warm_up_models, write_outputs
from .records import Problem
from .settings import Settings
from .store import Store

log = logging.getLogger(__name__)


@dataclass
class Cycle:
    """One look at the watched paths: the files read and what `pipeline.update` did with them."""

    files: list[Path] = field(default_factory=list)
    update: UpdateReport | None = None
    wrote: list[Path] = field(default_factory=list)


class Watcher:
    """Watches *paths* (folders, files, feed files) and brings *store* up to date with what appears."""

    def __init__(self, paths: list[str | Path], store: Store, settings: Settings | None = None, *,
                 out_dir: Path | None = None, settle: float = 1.0, write_every: float = 60.0,
                 clock: Callable[[], float] = time.time):
        self.paths = [Path(p) for p in paths]
        self.store = store
        self.settings = settings or Settings()
        self.out_dir = out_dir
        self.settle = settle
        self.write_every = write_every
        self.clock = clock
        self.fusion = LiveFusion(store)
        self._read: dict[Path, tuple[int, int]] = {}      # path -> (size, mtime_ns) when last read
        self._seen: dict[Path, tuple[int, int]] = {}      # path -> (size, mtime_ns) at the last look
        self._tail: dict[Path, tuple[int, int, bytes]] = {}   # JSONL files: where the last read ended
        self._skipped: set[str] = set()                  # paths the walk could not enter, reported once
        self._pending_write = False
        self._written_at = 0.0

    def warm_up(self) -> None:
        """Load the language model, gazetteer and embedder, and the latest stories' documents, now:
        not on the first article."""
        warm_up_models()
        self.fusion.warm()

    def changed_files(self) -> tuple[list[Path], list[Problem]]:
        """The files to read now: new or changed since last read, and no longer changing."""
        files, skipped = scan([p for p in self.paths if os.path.lexists(p)])  # a watched folder may come and go
        ready, now = [], self.clock()
        seen = {}
        for path in files:
            try:
                st = os.stat(path)
            except OSError:
                continue  # gone between the walk and now
            state = (st.st_size, st.st_mtime_ns)
            seen[path] = state
            if self._read.get(path) == state:
                continue
            steady = self._seen.get(path) == state or now - st.st_mtime_ns / 1e9 >= self.settle
            if steady:
                ready.append(path)
        self._seen = seen
        for gone in set(self._read) - set(seen):
            del self._read[gone]   # a file deleted: its articles stay in the store
        return ready, skipped

    def poll(self) -> Cycle:
        """Look once: read what is new or changed, update the store, write the outputs when due."""
        files, skipped = self.changed_files()
        cycle = Cycle(files=files)
        items: list = [p for p in skipped if p.path not in self._skipped]
        self._skipped |= {p.path for p in skipped}
        for path in files:
            try:
                st = os.stat(path)
            except OSError:
                continue
            appended = self._appended(path, st.st_size)
            if appended is None:
                self.store.clear_problems(str(path))
                items.extend(read_file(path, self.settings.max_document_bytes, self.settings.max_file_bytes))
                self._tail.pop(path, None)
                if kind_of(path) == "jsonl" and (mark := self._mark(path, st.st_size)) is not None:
                    self._tail[path] = mark
            else:
                items.extend(appended)
            self._read[path] = (st.st_size, st.st_mtime_ns)
        if items:
            cycle.update = update(self.store, items, self.settings, fusion=self.fusion)
            if cycle.update.doc_ids or cycle.update.problems:
                self._pending_write = True
        if self.out_dir is not None and self._pending_write and self.clock() - self._written_at >= self.write_every:
            cycle.wrote = self.write()
        return cycle

    # A JSONL file a desk appends to is read from where the last read ended, not whole again.
    _HEAD = 4096

    def _mark(self, path: Path, size: int) -> tuple[int, int, bytes] | None:
        """Where a whole read of *path* ended: (bytes up to its last complete line, lines, first bytes)."""
        try:
            with open(path, "rb") as f:
                head = f.read(self._HEAD)
                f.seek(0)
                end = lines = 0
                while chunk := f.read(1 << 20):
                    lines += chunk.count(b"\n")
                    if b"\n" in chunk:
                        end = f.tell() - len(chunk) + chunk.rindex(b"\n") + 1
        except OSError:
            return None
        if bom_encoding(head) not in (None, "utf-8-sig"):
            return None   # UTF-16/32: read whole each time
        return end, lines, head[:end] if end < self._HEAD else head

    def _appended(self, path: Path, size: int):
        """The items of the complete lines appended to a JSONL file since it was last read, or None when
        it must be read whole (never read, shrunk, or rewritten at the start)."""
        mark = self._tail.get(path)
        if mark is None or size < mark[0]:
            return None
        end, lines, head = mark
        try:
            with open(path, "rb") as f:
                if f.read(len(head)) != head:
                    return None
                f.seek(end)
                chunk = f.read(size - end)
        except OSError:
            return None
        complete = chunk[:chunk.rindex(b"\n") + 1] if b"\n" in chunk else b""
        if len(head) < self._HEAD:   # the head grew with the file: keep it whole for the next check
            with open(path, "rb") as f:
                head = f.read(min(self._HEAD, end + len(complete)))
        self._tail[path] = (end + len(complete), lines + complete.count(b"\n"), head)
        return list(read_jsonl_stream(path, io.BytesIO(complete), self.settings.max_document_bytes,
                                      first_line=lines + 1))

    def write(self) -> list[Path]:
        """Write the output files now (when watching into an output folder)."""
        if self.out_dir is None:
            return []
        self._pending_write = False
        self._written_at = self.clock()
        return write_outputs(self.store, self.out_dir, self.settings.report_stories)

    def run(self, interval: float = 2.0, cycles: int | None = None,
            report: Callable[[Cycle], None] | None = None) -> None:
        """Poll every *interval* seconds (*cycles* times, or until interrupted); outputs written at the end."""
        n = 0
        try:
            while cycles is None or n < cycles:
                started = self.clock()
                cycle = self.poll()
                if report:
                    report(cycle)
                n += 1
                if cycles is not None and n >= cycles:
                    break
                time.sleep(max(0.0, interval - (self.clock() - started)))
        finally:
            if self._pending_write:
                self.write()
