"""The pipeline, built in one place: ordered stages, then the output files.

`run` is what ``sitrep run`` calls. Stages receive records and return records;
this module is the only place that moves them between the stages and the
store, so the engines (local, Ray) can swap how stages run without touching
what they do.
"""

from __future__ import annotations

import collections
import datetime as dt
import functools
import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .engine import batched, check_engine, map_documents
from .errors import NoInputError, OutputError
from .export import write_atomic, write_jsonl, write_quarantine
from .extract import embed_leads, extract_batch, unembedded
from .ingest import read_file, scan
from .lock import LOCK, hold
from .records import Document, Problem
from .settings import Settings
from .store import Store

log = logging.getLogger(__name__)

# progress(stage, done, total, note): called as work advances; total None when unknown.
Progress = Callable[[str, int, int | None, str], None]

STAGING = ".sitrep-writing"  # a run's outputs are written here, then swapped into the output folder
MANIFEST = "manifest.json"   # written last: the run that wrote the output files, and each file's hash


def new_run_id() -> str:
    """An id that names one run: its UTC start time and a random suffix, e.g. ``20260310T091500Z-3fa2c1``."""
    return f"{dt.datetime.now(dt.timezone.utc):%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:6]}"


@dataclass
class RunReport:
    """What a run did, for the CLI to print and tests to check."""

    out_dir: Path
    db_url: str
    files: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    stored: int = 0
    claims: int = 0
    stories: int = 0
    events: int = 0
    problems: list[Problem] = field(default_factory=list)   # found in this run
    quarantined: int = 0                                     # in quarantine.jsonl (all runs into this store)
    outputs: list[Path] = field(default_factory=list)
    seconds: float = 0.0
    run_id: str = field(default_factory=new_run_id)


def tally(report: "RunReport | UpdateReport", status: str) -> None:
    """Count one document `Store.add_documents` returned with *status*; a near-duplicate is new too."""
    if status == "duplicate":
        report.duplicates += 1
        status = "new"
    setattr(report, status, getattr(report, status) + 1)


def ingest(files: list[Path], store: Store, settings: Settings, report: RunReport,
           progress: Progress | None = None, skipped: list[Problem] = ()) -> None:
    """Read *files* into *store* in batches; problems go to the quarantine table.

    *skipped* are the paths the folder walk did not read (link loops, unreadable folders).
    """
    batch: list[Document] = []
    found: list[Problem] = list(skipped)
    for problem in skipped:  # replaced, not repeated, on every run that skips them again
        store.clear_problems(problem.path)

    def flush():
        for _doc, status in store.add_documents(batch, threshold=settings.dedup_threshold,
                                                num_perm=settings.dedup_num_perm,
                                                shingle=settings.dedup_shingle):
            tally(report, status)
        store.add_problems(found)
        report.problems.extend(found)
        batch.clear()
        found.clear()

    had_problems = store.problem_paths()
    for i, path in enumerate(files, 1):
        if str(path) in had_problems:
            store.clear_problems(str(path))
        for item in read_file(path, settings.max_document_bytes, settings.max_file_bytes):
            (found if isinstance(item, Problem) else batch).append(item)
            if len(batch) >= settings.batch_size:
                flush()
        if found or len(batch) >= settings.batch_size:
            flush()
        if progress:
            progress("ingest", i, len(files), path.name)
    flush()


@dataclass
class UpdateReport:
    """What `update` did: the documents it stored, and the stories it built again."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    claims: int = 0
    problems: list[Problem] = field(default_factory=list)
    doc_ids: list[str] = field(default_factory=list)          # the documents stored new or changed
    stories: list[str] = field(default_factory=list)          # the ids of the stories built again
    rebuilt: bool = False                                     # every story was built again
    seconds: float = 0.0
    fuse_seconds: float = 0.0                                 # of which building the stories again


def update(store: Store, items, settings: Settings | None = None, progress: Progress | None = None,
           fusion=None) -> UpdateReport:
    """Add *items* (documents, and problems met reading them) to an open *store*, extract the new
    documents' claims, and build again only the stories they can belong to (`sitrep.fuse.live`).

    What ``sitrep watch`` and the web app's ingest route call; the output files are not rewritten.
    *fusion* is a `LiveFusion` that keeps documents' fusion records between calls (watch holds one).
    """
    from .fuse.live import LiveFusion

    settings = settings or Settings()
    started = time.perf_counter()
    report = UpdateReport()
    docs, problems = [], []
    for item in items:
        (problems if isinstance(item, Problem) else docs).append(item)
    for batch in batched(docs, settings.batch_size):
        for doc, status in store.add_documents(batch, threshold=settings.dedup_threshold,
                                               num_perm=settings.dedup_num_perm, shingle=settings.dedup_shingle):
            tally(report, status)
            if status in ("new", "updated", "duplicate"):
                report.doc_ids.append(doc.doc_id)
    if problems:
        store.add_problems(problems)
        report.problems += problems
    run_report = RunReport(out_dir=Path("."), db_url=store.url)
    # Another sitrep extracted the stored claims: extract() reads every document again, so every story changes.
    stale = store.meta_value("extractor") not in (None, extractor_fingerprint())
    extract(store, settings.replace(workers=1) if len(report.doc_ids) < settings.parallel_from else settings,
            run_report, progress)
    report.claims = run_report.claims
    report.problems += run_report.problems
    if report.doc_ids or stale or store.meta_value("fused_at") is None:
        fusing = time.perf_counter()
        fusion = fusion or LiveFusion(store)
        report.stories, report.rebuilt = fusion.refresh(report.doc_ids, updated=report.updated > 0 or stale)
        report.fuse_seconds = time.perf_counter() - fusing
    report.seconds = time.perf_counter() - started
    return report


def load_shared() -> None:
    """Load what every worker needs and can share with this process once forked: the libraries, the
    gazetteer and the lexicons. The workers then load only the spaCy model. spaCy comes without torch
    (`parse.import_spacy`): no worker needs it."""
    from .nlp import gazetteer
    from .nlp.actors import lexicon
    from .nlp.parse import import_spacy

    import_spacy()
    gazetteer.load()
    lexicon()


def warm_up_workers() -> None:
    """Load the gazetteer, lexicons and spaCy in this process now: what `extract_batch` needs."""
    from .nlp import analyse, parse_candidates

    parse_candidates(analyse(Document(doc_id="warm-up", origin="-", text="Ten soldiers were killed in Quetta.")))


def warm_up_models() -> None:
    """`warm_up_workers`, and the embedding model too: everything extraction in this process needs."""
    from .nlp.embed import Embedder

    warm_up_workers()
    Embedder.shared()


@functools.lru_cache(maxsize=1)  # the code a process runs does not change under it
def extractor_fingerprint() -> str:
    """What the claims a store holds depend on: sitrep's code and vocabularies. A store written by
    another version (or a changed vocabulary) has its documents read again, never stale claims kept."""
    root = Path(__file__).resolve().parent
    h = hashlib.sha256(__version__.encode())
    for path in sorted([*root.rglob("*.py"), *(root / "data").glob("*.*")]):
        if "sample" not in path.parts and path.is_file():
            h.update(path.relative_to(root).as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:16]


def extract(store: Store, settings: Settings, report: RunReport, progress: Progress | None = None,
            pool=None) -> None:
    """Recognise and extract claims from every stored document not yet done (resumes a killed run).

    When the store's claims were extracted by another sitrep (its fingerprint differs), every document
    is read again first. *pool* is a started `engine.local.Workers` (see `start_workers`); without
    one, workers are started here when there are enough documents to pay for them.
    """
    from .nlp.embed import Embedder

    fingerprint = extractor_fingerprint()
    if store.meta_value("extractor") != fingerprint:
        again = store.reextract_all()
        if again:
            log.info("sitrep changed since this store's claims were extracted: reading %d documents again", again)
        store.set_meta("extractor", fingerprint)
    # "failed" is retried: a fixed sitrep (or vocabulary) should not need a fresh store.
    total = store.count_stage("ingest", "failed")
    if not total:
        return
    workers = settings.workers if total >= settings.parallel_from else 1
    own = None
    if pool is None and workers > 1 and settings.engine == "local":
        from .engine.local import Workers

        pool = own = Workers(workers)
    embedding = getattr(pool, "embedding", None)   # the pool's process that embeds the leads sent back
    if pool is not None and embedding is None:      # else this process embeds them (forked first, then torch)
        Embedder.load_in_background()
    done = 0

    def originals():
        nonlocal done
        for doc in store.iter_documents(stage=("ingest", "failed")):
            if doc.duplicate_of is None:
                yield doc
            else:  # a near-copy's figures are its original's: never count them twice
                store.save_extraction(doc.doc_id, "claims")
                done += 1

    def save(batch: list) -> None:   # one transaction per batch of documents
        nonlocal done
        rows, failed = [], []
        for result in batch:
            if result.error:
                failed.append(Problem(result.doc_id, "extraction failed", detail=result.error))
                rows.append((result.doc_id, "failed"))
            else:
                rows.append((result.doc_id, "claims", result.sentences, result.mentions, result.claims,
                             result.vector))
                report.claims += len(result.claims)
        store.save_extractions(rows, failed)
        report.problems += failed
        done += len(batch)
        if progress and batch:
            progress("claims", done, total, batch[-1].doc_id)

    waiting: collections.deque = collections.deque()   # batches whose leads are with the embedding process

    def embedded(batch: list) -> list:
        leads = unembedded(batch)
        vectors = embedding.receive()
        if vectors is not None and len(vectors) == len(leads):
            for ext, vec in zip(leads, vectors):
                ext.vector = vec.astype("float32").tobytes()
        return batch   # without vectors, fusion embeds these leads itself

    fn = extract_batch if pool is None else functools.partial(extract_batch, embed=False)
    try:
        # A Ray engine loads the models (setup) in each of its actors, which embed the leads too.
        results = map_documents(fn, batched(originals(), EXTRACT_BATCH), engine=settings.engine, workers=workers,
                                pool=pool, chunksize=1, setup=warm_up_models, address=settings.ray_address)
        for batch in results:
            if embedding is not None:
                embedding.send([ext.lead for ext in unembedded(batch)])
                waiting.append(batch)
                while len(waiting) > EMBED_AHEAD:
                    save(embedded(waiting.popleft()))
                continue
            if pool is not None:
                embed_leads(batch)
            save(batch)
        while waiting:
            save(embedded(waiting.popleft()))
    finally:
        if own is not None:
            own.close()


EMBED_AHEAD = 2   # batches whose leads may wait with the embedding process while the next are read


class start_workers:
    """``with start_workers(files, settings) as pool:`` worker processes started now, loading the models
    while this process ingests *files* (None when one process will do: few articles, one worker, or
    another engine). `extract` takes the pool."""

    def __init__(self, files: list[Path], settings: Settings):
        self.pool = None
        if settings.engine == "local" and settings.workers > 1 and \
                _input_bytes(files) >= settings.parallel_from * ARTICLE_BYTES:
            from .engine.local import Workers

            self.pool = Workers(settings.workers)

    def __enter__(self):
        return self.pool

    def __exit__(self, *exc) -> None:
        if self.pool is not None:
            self.pool.close()


ARTICLE_BYTES = 1500   # less text than a short news article: inputs smaller than parallel_from of these
#                        hold too few articles to pay for starting workers early


def _input_bytes(files: list[Path]) -> int:
    total = 0
    for f in files:
        try:
            total += f.stat().st_size
        except OSError:   # reported when it is read
            pass
    return total


def fuse_stage(store: Store, report: RunReport, progress: Progress | None = None) -> None:
    """Rebuild stories and events from every extracted document (they depend on all of them), in date
    order with only the open stories' documents in memory (`sitrep.fuse.live`)."""
    from .fuse.live import LiveFusion

    if progress:
        progress("stories", 0, 1, f"{store.count_stage('claims')} documents")
    stories, events = LiveFusion(store, keep=0).rebuild()   # no later refresh here: keep no records
    report.stories, report.events = len(stories), events
    if progress:
        progress("stories", 1, 1, f"{len(stories)} stories, {events} events")


EXTRACT_BATCH = 16  # documents per worker task: their leads are embedded together


def writable_folder(out_dir: Path) -> Path:
    """*out_dir*, created if missing, once a file could be made in it; else `OutputError` naming it."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=out_dir, prefix=".sitrep-probe."):
            pass
    except OSError as e:
        raise OutputError(out_dir, e.strerror or str(e)) from e
    return out_dir


def clean_leftovers(out_dir: Path) -> None:
    """Remove what a killed run left in *out_dir*: its staging folder and sitrep's hidden ``.*.tmp`` files."""
    shutil.rmtree(out_dir / STAGING, ignore_errors=True)
    for tmp in out_dir.glob(".*.tmp"):  # write_atomic's names: .claims.jsonl.k2j3h4.tmp
        if not tmp.name.startswith(LOCK):  # another run's lock, being written
            tmp.unlink(missing_ok=True)


def write_outputs(store: Store, out_dir: Path, report_stories: int = 25, run_id: str | None = None) -> list[Path]:
    """Write every SPEC §2 file this version of sitrep produces, and manifest.json naming *run_id*.

    The files are written into ``out_dir/.sitrep-writing`` and moved into *out_dir* only once
    all are written, manifest.json last: a run stopped while writing leaves the previous
    run's files as they were. Returns the paths in *out_dir* (manifest.json not among them).

    The report shows the *report_stories* stories told by most documents (a
    person reads a page, not a corpus); every story is in stories.json.
    """
    run_id = run_id or new_run_id()
    started = dt.datetime.now(dt.timezone.utc)
    staging = out_dir / STAGING
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        written = _write_staged(store, out_dir, report_stories)
        files = {}
        for p in written:   # read a block at a time: stories.json of a large corpus is hundreds of MB
            h = hashlib.sha256()
            with p.open("rb") as fh:
                for block in iter(lambda: fh.read(1 << 20), b""):
                    h.update(block)
            files[p.name] = {"sha256": h.hexdigest(), "bytes": p.stat().st_size}
        manifest = {"run_id": run_id, "sitrep": __version__, "started": started.isoformat(timespec="seconds"),
                    "finished": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), "files": files}
        write_atomic(staging / MANIFEST, lambda fh: json.dump(manifest, fh, indent=1))
        final = []
        for p in written:  # renames within one folder: the old and the new set are mixed for microseconds only
            os.replace(p, out_dir / p.name)
            final.append(out_dir / p.name)
        os.replace(staging / MANIFEST, out_dir / MANIFEST)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return final


def _staged(path: Path) -> Path:
    """Where the output file *path* is written before it is swapped in."""
    return path.parent / STAGING / path.name


def _write_staged(store: Store, out_dir: Path, report_stories: int) -> list[Path]:
    """Write every output file into the staging folder; returns their staged paths.

    Stories and events are streamed from the store in file order, a batch at a time, all from one
    snapshot of it: memory holds the report's stories, not the corpus's."""
    from .export.acled import write_events_csv, write_events_jsonl
    from .export.geo import write_geojson, write_stories
    from .export import ucdp
    from .report import write_report
    from .store.query import snapshot

    with snapshot(store) as c:
        # The report shows the stories told by most documents; ties go to the earlier story.
        shown = store.top_stories(report_stories, c)
        shown_ids = {s["id"] for s in shown}
        shown_events = store.events_of(shown_ids, c)
        shown = sorted(shown, key=lambda s: (s["date_start"] is not None, s["date_start"] or "", s["id"]))
        # The report shows each cited source's stored text, which claim offsets point into.
        cited = dict.fromkeys(d for s in shown for d in [*s["doc_ids"], *(s.get("copies") or {})])
        cited.update(dict.fromkeys(d for e in shown_events for d in e["doc_ids"]))
        documents = {d: doc for d in cited if (doc := store.get_document(d)) is not None}
        shown_claims: list = []

        def every_claim():  # one pass over the store: all claims to the file, the report's kept aside
            for claim in store.iter_claims():
                if claim.doc_id in documents:
                    shown_claims.append(claim)
                yield claim.as_dict()

        return [
            write_jsonl(_staged(out_dir / "claims.jsonl"), every_claim()),
            write_events_csv(_staged(out_dir / "events.csv"), store.iter_events(c), ordered=True),
            write_events_jsonl(_staged(out_dir / "events.jsonl"), store.iter_events(c), ordered=True),
            ucdp.write_ged_groups(_staged(out_dir / "ged.csv"), store.iter_story_events(c)),
            write_geojson(_staged(out_dir / "places.geojson"), store.iter_events(c), ordered=True),
            write_stories(_staged(out_dir / "stories.json"), store.iter_stories(c)),
            *write_report(out_dir / STAGING, shown, shown_events, shown_claims, documents),
            write_quarantine(_staged(out_dir / "quarantine.jsonl"), store.iter_problems(c)),
        ]


def run(paths: list[str | Path], out_dir: str | Path, settings: Settings | None = None,
        progress: Progress | None = None) -> RunReport:
    """Run every stage on the articles under *paths*; write the outputs to *out_dir*.

    Re-running on the same inputs adds nothing twice; a run that was killed is
    completed by the next one. Raises `InputError` for a missing path and
    `NoInputError` when *paths* hold no file (both before anything is written),
    `OutputError` when *out_dir* cannot be written.

    >>> report = run(["articles/"], "out/")   # doctest: +SKIP
    >>> report.stored, [p.name for p in report.outputs]   # doctest: +SKIP
    (18, ['quarantine.jsonl'])
    """
    settings = settings or Settings()
    check_engine(settings.engine)  # an unknown engine, or Ray missing, fails before anything is read
    started = time.perf_counter()
    files, skipped = scan(paths)  # a missing path fails here, before anything is written
    if not files and not skipped:
        raise NoInputError(paths)
    out_dir = writable_folder(Path(out_dir))
    report = RunReport(out_dir=out_dir, db_url=settings.db_url(out_dir), files=len(files))
    with hold(out_dir):  # one run at a time per output folder
        clean_leftovers(out_dir)
        store = Store(report.db_url)
        try:
            with start_workers(files, settings) as pool:   # they load the models while this process ingests
                ingest(files, store, settings, report, progress, skipped)
                extract(store, settings, report, progress, pool)
            fuse_stage(store, report, progress)
            try:
                report.outputs = write_outputs(store, out_dir, settings.report_stories, report.run_id)
            except OSError as e:  # a full disk, a folder made read-only during the run
                raise OutputError(e.filename or out_dir, e.strerror or str(e)) from e
            report.stored = store.count_documents()
            report.quarantined = store.count_problems()
        finally:
            store.close()
    report.seconds = time.perf_counter() - started
    return report
