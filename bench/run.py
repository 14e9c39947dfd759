"""`make bench`: throughput and peak memory of sitrep's stages, printed as a table.

Each benchmark runs in a fresh child process so its peak RSS is its own (the larger of the main
process's and its largest worker's). The corpora are generated articles of news length
(bench/corpus.py, realistic=True) at each size; flat memory means the peaks of `sitrep run` at
the smallest and the largest size stay close, and their ratio is printed. "stages" gives the
per-article CPU of each per-document stage on the real articles of ../shared (seeds and dev).
fusion_memory is fusion and the output files alone on the largest store and on ten times its
documents (bench/fusion.py). gazetteer_import imports a synthetic allCountries-format GeoNames file
of 2,000,000 rows (bench/geonames_dump.py), once.

    python bench/run.py [--sizes 1000,10000,30000] [--only end_to_end|compare] [--skip live,load] [--compare 600] [--engine ray]

Last, `sitrep run` and the plain spaCy script a user would write instead (bench/peer.py) run on
the same generated corpus of news length, alternated three times, each timed from outside its
process (interpreter, imports and model loading included), and the ratio of the medians is printed."""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def bench_ingest(corpus: Path, work: Path) -> dict:
    """Ingestion alone: read, normalise, deduplicate and store every article."""
    from sitrep.ingest import walk
    from sitrep.pipeline import RunReport, ingest
    from sitrep.settings import Settings
    from sitrep.store import Store

    settings = Settings(progress=False)
    store = Store(settings.db_url(work))
    report = RunReport(out_dir=work, db_url=store.url)
    started = time.perf_counter()
    ingest(walk([corpus]), store, settings, report)
    seconds = time.perf_counter() - started
    return {"articles": store.count_documents(), "seconds": seconds, "near_dups": report.duplicates}


def bench_recognition(corpus: Path, work: Path) -> dict:
    """The cheap scanners on every sentence (places, actors, claimants, numbers, dates), one process."""
    from sitrep.ingest import read_paths
    from sitrep.nlp import analyse
    from sitrep.records import Document

    docs = [d for d in read_paths([corpus]) if isinstance(d, Document)]
    analyse(docs[0])  # load the gazetteer and lexicons outside the timing
    started = time.perf_counter()
    sentences = candidates = 0
    for d in docs:
        a = analyse(d)
        sentences += len(a.sentences)
        candidates += len(a.candidates())
    seconds = time.perf_counter() - started
    return {"articles": len(docs), "seconds": seconds, "sentences/s": round(sentences / seconds),
            "parsed share": f"{candidates / max(sentences, 1):.0%}"}


def bench_end_to_end(corpus: Path, work: Path) -> dict:
    """`sitrep run` with default settings: every stage, every output file (with --engine ray: on a Ray
    started on this machine, its start and the actors' model loading included; peak memory is then the
    driver's only, Ray's actors being no children of it)."""
    from sitrep.pipeline import run
    from sitrep.settings import Settings

    engine = os.environ.get("SITREP_BENCH_ENGINE", "local")
    started = time.perf_counter()
    report = run([corpus], work / "out", Settings(progress=False, engine=engine))
    seconds = time.perf_counter() - started
    return {"articles": report.stored, "seconds": seconds, "claims": report.claims,
            "run MB": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            "worker MB": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024),
            **({"engine": engine} if engine != "local" else {})}


def bench_fusion_memory(corpus: Path, work: Path) -> dict:
    """Fusion and the output files alone, on the corpus's store and on a store of ten times its documents
    made by copying them (bench/fusion.py: dates moved by whole weeks into the same span, so the larger
    store is as dense in time as a real corpus of its size); each measured in a fresh process. Flat
    memory: the two peaks stay close. Not a whole run: ingestion and extraction are left out."""
    from fusion import measure, scale_store

    db = corpus_store(corpus, work)
    out = {}
    for copies in (1, 10):
        folder = work / f"x{copies}"
        folder.mkdir()
        out[copies] = measure(scale_store(db, folder / "scaled.db", copies), folder)
    big = out[10]
    return {"articles": big["documents"], "seconds": big["fuse_s"] + big["outputs_s"],
            "1x MB": out[1]["peak_mb"], "10x MB": big["peak_mb"], "1x fuse s": out[1]["fuse_s"],
            "10x fuse s": big["fuse_s"], "10x outputs s": big["outputs_s"], "10x stories": big["stories"],
            "10x events": big["events"]}


def corpus_store(corpus: Path, work: Path) -> Path:
    """The store end_to_end wrote for this corpus (work folders are named benchmark-size), else a new one."""
    from sitrep.pipeline import run
    from sitrep.settings import Settings

    db = work.parent / f"end_to_end-{work.name.rsplit('-', 1)[1]}" / "out" / "sitrep.db"
    if not db.exists():
        db = run([corpus], work / "out", Settings(progress=False)).out_dir / "sitrep.db"
    return db


def bench_live(corpus: Path, work: Path) -> dict:
    """`sitrep watch` on a store of the corpus: one new article at a time (bench/live.py)."""
    from live import measure

    db = corpus_store(corpus, work)
    started = time.perf_counter()
    r = measure(db, 50, 1000)
    seconds = time.perf_counter() - started
    return {"articles": r["arrivals"] + 1000, "seconds": seconds, "stored": r["stored"],
            "p50 ms": round(r["p50_s"] * 1000), "p95 ms": round(r["p95_s"] * 1000),
            "max ms": round(r["max_s"] * 1000), "rebuilt all": r["rebuilt_every_story"],
            "RSS after 100 MB": round(r["rss_after_100_mb"]), "RSS after 1000 MB": round(r["rss_after_1000_mb"])}


def bench_load(corpus: Path, work: Path) -> dict:
    """20 API readers for 30 s while `sitrep watch` ingests 200 articles, on a store of the corpus (bench/load.py)."""
    from load import load

    r = load(corpus_store(corpus, work), 20, 30, 200)
    return {"articles": r["articles_ingested"], "seconds": r["seconds"], "requests": r["requests"],
            "errors": r["errors"], "404 merged stories": r["story_gone_404"], "p50 ms": r["p50_ms"], "p95 ms": r["p95_ms"], "max ms": r["max_ms"],
            "dropped": r["articles_dropped"], **({"error samples": r["error_samples"]} if r["errors"] else {})}


def bench_stages(corpus: Path, work: Path) -> dict:
    """Per-article CPU of each per-document stage on the real articles of ../shared (seeds and dev),
    one process, models loaded first: recognition (the scanners), parse (spaCy on the candidate
    sentences), claims, and the lead embedding (on one thread, as a run's embedding process does)."""
    from sitrep.claims import extract_claims
    from sitrep.extract import extract_batch
    from sitrep.ingest import read_paths
    from sitrep.nlp import analyse, parse_many
    from sitrep.nlp.embed import Embedder, lead_text
    from sitrep.records import Document

    shared = HERE.parents[1] / "shared"
    folders = [p for p in (shared / "seeds", shared / "dev" / "clean") if p.exists()]
    if not folders:
        raise SystemExit(f"no real articles: {shared}/seeds and {shared}/dev/clean are absent")
    docs = [d for d in read_paths(folders) if isinstance(d, Document)]
    Embedder.one_thread = True   # as in a run: its embedding process has one core
    extract_batch(docs)   # load the models and fill the lexicons' caches outside the timing: steady state
    cpu = dict.fromkeys(("recognition", "parse", "claims", "embedding"), 0.0)
    started = time.perf_counter()
    for i in range(0, len(docs), 16):
        t = time.process_time()
        analyses = [analyse(d) for d in docs[i:i + 16]]
        cpu["recognition"] += time.process_time() - t
        t = time.process_time()
        parsed = parse_many(analyses)
        cpu["parse"] += time.process_time() - t
        t = time.process_time()
        for a, p in zip(analyses, parsed):
            extract_claims(a, p)
        cpu["claims"] += time.process_time() - t
        leads = [lead_text(a.doc.title, a.doc.text, a.sentences) for a in analyses]
        t = time.process_time()
        Embedder.shared()(leads)
        cpu["embedding"] += time.process_time() - t
    seconds = time.perf_counter() - started
    return {"articles": len(docs), "seconds": seconds,
            "median words": sorted(len(d.text.split()) for d in docs)[len(docs) // 2],
            **{f"{k} ms/article": round(v / len(docs) * 1000, 1) for k, v in cpu.items()}}


def bench_gazetteer_import(corpus: Path, work: Path) -> dict:
    """`sitrep gazetteer import` of a synthetic allCountries-format file of GAZETTEER_ROWS rows
    (bench/geonames_dump.py), into a fresh gazetteer; "articles" are rows here. Peak memory must stay
    bounded whatever the file's size (the real allCountries has about 13 million rows)."""
    from geonames_dump import write

    from sitrep.geonames import GeoNamesDB, import_files

    dump = write(work / "allCountries.txt", GAZETTEER_ROWS)
    started = time.perf_counter()
    report = import_files([dump], work / "geonames.sqlite")
    seconds = time.perf_counter() - started
    status = GeoNamesDB(work / "geonames.sqlite").status()
    f = report.files[0]
    return {"articles": f.rows + f.skipped, "seconds": seconds, "rows kept": f.rows, "skipped": f.skipped,
            "names": status["names"], "file MB": round(dump.stat().st_size / 2**20),
            "db MB": round((work / "geonames.sqlite").stat().st_size / 2**20)}


GAZETTEER_ROWS = 2_000_000


BENCHES = {"ingest": bench_ingest, "recognition": bench_recognition, "end_to_end": bench_end_to_end,
           "fusion_memory": bench_fusion_memory, "live": bench_live, "load": bench_load, "stages": bench_stages,
           "gazetteer_import": bench_gazetteer_import}


def child(name: str, corpus: str, work: str) -> None:
    result = BENCHES[name](Path(corpus), Path(work))
    # Peak RSS of this process and of its largest worker (children are waited for by then).
    result["peak_mb"] = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    print(json.dumps(result))


def compare_with_spacy(folder: Path, work: Path, pairs: int = 3) -> dict:
    """`sitrep run` and the plain spaCy script (bench/peer.py) on *folder*, alternated *pairs* times,
    each in a fresh process: median seconds of each and sitrep's throughput relative to the script's."""
    import statistics

    ours, peer = [], []
    for i in range(pairs):
        out = work / f"compare-{i}"
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "sitrep.cli", "run", str(folder), "--out", str(out), "--no-progress"],
                       check=True, capture_output=True)
        ours.append(time.perf_counter() - started)
        started = time.perf_counter()   # timed from outside like sitrep: interpreter, imports and model load too
        subprocess.run([sys.executable, str(HERE / "peer.py"), str(folder)], check=True, capture_output=True)
        peer.append(time.perf_counter() - started)
    a, b = statistics.median(ours), statistics.median(peer)
    return {"sitrep_s": a, "spacy_s": b, "ratio": b / a, "runs": pairs,
            "sitrep_each_s": [round(x, 1) for x in ours], "spacy_each_s": [round(x, 1) for x in peer]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000,30000", help="corpus sizes, comma-separated")
    ap.add_argument("--skip", default="", help="benchmarks to leave out, comma-separated")
    ap.add_argument("--only", help="run only this benchmark (compare: only sitrep beside the spaCy script)")
    ap.add_argument("--compare", type=int, default=600,
                    help="articles of news length for sitrep vs the plain spaCy script (0: skip)")
    ap.add_argument("--engine", default="local", choices=["local", "ray"],
                    help="engine of the end_to_end benchmark (ray: needs sitrep[ray]; Ray's start is timed too)")
    ap.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        return child(*a.child)
    os.environ["SITREP_BENCH_ENGINE"] = a.engine   # read by the children

    from corpus import write_corpus
    from rich.console import Console
    from rich.table import Table

    sizes = [int(s) for s in a.sizes.split(",")]
    names = [] if a.only == "compare" else [a.only] if a.only else [n for n in BENCHES if n not in a.skip.split(",")]
    peaks: dict[str, dict[int, float]] = {}   # benchmark -> articles -> peak MB
    table = Table("benchmark", "articles", "seconds", "articles/s", "peak MB", "note", title="sitrep benchmarks")
    with tempfile.TemporaryDirectory(prefix="sitrep-bench-") as tmp:
        for size in sizes if names else []:
            corpus = write_corpus(Path(tmp) / f"corpus-{size}", size, realistic=True)
            for name in names:
                if name in ("live", "load", "fusion_memory") and size != max(sizes):
                    continue   # into the largest store only
                if name in ("stages", "gazetteer_import") and size != sizes[0]:
                    continue   # the real articles of ../shared, or a GeoNames file: whatever the size
                work = Path(tmp) / f"{name}-{size}"
                work.mkdir()
                proc = subprocess.run([sys.executable, __file__, "--child", name, str(corpus), str(work)],
                                      capture_output=True, text=True)
                if proc.returncode != 0:
                    table.add_row(name, str(size), "-", "-", "-", "failed: " + proc.stderr.strip()[-80:])
                    continue
                r = json.loads(proc.stdout.strip().splitlines()[-1])
                note = ", ".join(f"{k}={v}" for k, v in r.items() if k not in {"articles", "seconds", "peak_mb"})
                row = (name, str(r["articles"]), f"{r['seconds']:.1f}", f"{r['articles'] / r['seconds']:.0f}",
                       f"{r['peak_mb']:.0f}", note)
                table.add_row(*row)
                peaks.setdefault(name, {})[int(r["articles"])] = r.get("run MB", r["peak_mb"])
                print("  ".join(row), file=sys.stderr, flush=True)  # long runs: show each result as it lands
    Console().print(table)
    runs = peaks.get("end_to_end", {})
    if len(runs) > 1:
        small, large = min(runs), max(runs)
        Console().print(f"sitrep run's peak memory (its own process; each worker's is in the table): {runs[large]:.0f} MB "
                        f"at {large} articles, {runs[small]:.0f} MB at {small}: {runs[large] / runs[small]:.2f}x")
    if a.compare and a.only in (None, "compare"):
        with tempfile.TemporaryDirectory(prefix="sitrep-compare-") as tmp:
            folder = write_corpus(Path(tmp) / "news", a.compare, realistic=True)
            r = compare_with_spacy(folder, Path(tmp))
        Console().print(f"sitrep vs the plain spaCy script (bench/peer.py: en_core_web_sm, nlp.pipe, n_process=2) "
                        f"on {a.compare} generated articles of news length (median about 450 words), "
                        f"median of {r['runs']} alternated pairs: sitrep run {r['sitrep_s']:.1f} s "
                        f"({a.compare / r['sitrep_s']:.1f} articles/s), spaCy script {r['spacy_s']:.1f} s "
                        f"({a.compare / r['spacy_s']:.1f} articles/s): sitrep's throughput is "
                        f"{r['ratio']:.2f}x the script's (each pair, sitrep / script: "
                        + ", ".join(f"{x} / {y} s" for x, y in zip(r["sitrep_each_s"], r["spacy_each_s"])) + ")")


if __name__ == "__main__":
    main()
