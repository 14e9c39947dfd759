"""The `sitrep` command: thin wrappers over the library, errors turned into messages here."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from . import __version__
from .errors import NoInputError, SitrepError
from .settings import load_settings

app = typer.Typer(
    help="sitrep: turn conflicting news reports about political violence into a sourced situation report.",
    no_args_is_help=True, add_completion=False, rich_markup_mode=None,
)
console = Console(stderr=True, soft_wrap=True)
out = Console(soft_wrap=True)

# Options shared by several commands, defined once.
OutOpt = typer.Option(..., "--out", "-o", help="Output folder (created if missing); holds the store unless --db is given.")
DbOpt = typer.Option(None, "--db", help="SQLAlchemy database URL, e.g. postgresql+psycopg://user@host/db. "
                                         "Default: sqlite file sitrep.db in the output folder.")
StoreOutOpt = typer.Option(None, "--out", "-o", help="Output folder of an earlier `sitrep run` (its store is read).")


def _fail(e: Exception) -> None:
    console.print(f"[bold red]error:[/] {e}", highlight=False)
    raise typer.Exit(2)


def _store_url(out_dir: Optional[Path], db: Optional[str]) -> str:
    if db:
        return db
    if out_dir is None:
        _fail(SitrepError("give --out DIR (an output folder of `sitrep run`) or --db URL"))
    db_file = out_dir / "sitrep.db"
    if not db_file.exists():
        _fail(SitrepError(f"{db_file} does not exist; run `sitrep run PATH --out {out_dir}` first"))
    return f"sqlite:///{db_file.resolve()}"


@app.callback(invoke_without_command=True)
def main(version: bool = typer.Option(False, "--version", help="Print the version and exit.")):
    """sitrep reads articles, finds who claims what numbers, and writes a sourced situation report."""
    if version:
        out.print(f"sitrep {__version__}")
        raise typer.Exit()


@app.command()
def run(
    paths: list[Path] = typer.Argument(..., help="Article files or folders: .txt, .html, .jsonl, .xml/.rss/.atom."),
    out_dir: Path = OutOpt,
    db: Optional[str] = DbOpt,
    strict: bool = typer.Option(False, "--strict", help="Exit with status 1 when any input was quarantined."),
    config: Optional[Path] = typer.Option(None, "--config", help="TOML settings file (keys as in sitrep.settings.Settings)."),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Show a progress bar."),
):
    """Run every stage on PATHS and write the output files (SPEC §2) to --out.

    Unreadable inputs go to OUT/quarantine.jsonl with the reason; the run goes on.
    Running again on the same inputs adds nothing twice.
    """
    from .pipeline import run as run_pipeline

    try:
        settings = load_settings(config, db=db, strict=strict or None, progress=progress)
        if settings.progress and sys.stderr.isatty():
            with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                          TimeElapsedColumn(), TextColumn("{task.fields[note]}"), console=console,
                          transient=True) as bar:
                tasks: dict[str, int] = {}

                def advance(stage, done, total, note):
                    if stage not in tasks:
                        tasks[stage] = bar.add_task(stage, total=total, note="")
                    bar.update(tasks[stage], completed=done, total=total, note=note[:40])

                report = run_pipeline(paths, out_dir, settings, advance)
        else:
            report = run_pipeline(paths, out_dir, settings)
    except NoInputError as e:  # like grep finding nothing: not a usage error, but not a success a script should trust
        console.print(f"[bold red]error:[/] {e}", highlight=False)
        raise typer.Exit(1)
    except SitrepError as e:
        _fail(e)
    except KeyboardInterrupt:
        store = "the store (--db)" if db else str(out_dir / "sitrep.db")
        console.print(f"[bold yellow]interrupted:[/] the documents read and the claims extracted so far are kept in "
                      f"{store}, and the next `sitrep run` on the same --out goes on from there; the output files "
                      f"in {out_dir} are still those of the last finished run.", highlight=False)
        raise typer.Exit(130)
    console.print(
        f"{report.files} files read in {report.seconds:.1f} s: {report.new} new documents "
        f"({report.duplicates} near-duplicates of others), {report.updated} updated, "
        f"{report.unchanged} already stored; {report.stored} in the store.", highlight=False)
    for p in report.problems:
        where = f"{p.path}:{p.line}" if p.line else p.path
        console.print(f"[yellow]quarantined[/] {where}: {p.reason}" + (f" ({p.detail})" if p.detail else ""),
                      highlight=False)
    if report.problems:
        console.print(f"[yellow]warning:[/] {len(report.problems)} input(s) quarantined; "
                      f"see {report.out_dir / 'quarantine.jsonl'}", highlight=False)
    for path in report.outputs:
        out.print(f"wrote {path}", highlight=False)
    if settings.strict and report.problems:
        raise typer.Exit(1)


@app.command()
def watch(
    paths: list[Path] = typer.Argument(..., help="Folders, article files and feed files (.xml/.rss/.atom, .jsonl) to watch."),
    out_dir: Optional[Path] = typer.Option(None, "--out", "-o", help="Output folder: holds the store unless --db is "
                                           "given, and gets the output files written again after changes."),
    db: Optional[str] = DbOpt,
    interval: float = typer.Option(2.0, "--interval", min=0.1, help="Seconds between looks at the paths."),
    settle: float = typer.Option(1.0, "--settle", min=0.0, help="A file last written this many seconds ago is "
                                 "read at once; a newer one once it has stopped changing."),
    write_every: float = typer.Option(60.0, "--write-every", min=0.0, help="With --out: write the output files "
                                      "again at most this often (and when the watch stops)."),
    cycles: Optional[int] = typer.Option(None, "--cycles", min=1, help="Stop after this many looks (default: until Ctrl-C)."),
    config: Optional[Path] = typer.Option(None, "--config", help="TOML settings file (keys as in sitrep.settings.Settings)."),
):
    """Watch PATHS and keep the store's stories and events up to date as articles appear.

    New or changed files, and new entries of feed and JSONL files, are read as they appear; only
    the new articles are extracted and only the stories they can belong to are built again. Runs
    until Ctrl-C; `sitrep serve` on the same --out or --db shows the stories as they change.
    """
    import contextlib
    import datetime as dt

    from .errors import InputError
    from .lock import hold
    from .pipeline import clean_leftovers, writable_folder
    from .store import Store
    from .watch import Watcher

    if out_dir is None and not db:
        _fail(SitrepError("give --out DIR (the store and output files go there) or --db URL"))
    for p in paths:
        if not p.exists():
            _fail(InputError(str(p), "no such file or folder"))
    try:
        settings = load_settings(config, db=db)
        if out_dir is not None:
            out_dir = writable_folder(out_dir)
        with (hold(out_dir) if out_dir is not None else contextlib.nullcontext()):
            if out_dir is not None:
                clean_leftovers(out_dir)
            store = Store(settings.db_url(out_dir) if out_dir is not None else db)
            watcher = Watcher(paths, store, settings, out_dir=out_dir, settle=settle, write_every=write_every)
            console.print("loading the language model ...", highlight=False)
            watcher.warm_up()
            console.print(f"watching {', '.join(map(str, paths))} every {interval:g} s; store {store.url}"
                          + ("" if cycles else "; Ctrl-C stops"), highlight=False)

            def said(cycle):
                stamp = dt.datetime.now().strftime("%H:%M:%S")
                u = cycle.update
                if u is not None and (u.doc_ids or u.problems or u.unchanged):
                    what = "every story built again" if u.rebuilt else \
                        f"{len(u.stories)} stor{'y' if len(u.stories) == 1 else 'ies'} updated"
                    console.print(f"{stamp} {len(cycle.files)} file(s) read: {u.new} new article(s) "
                                  f"({u.duplicates} near-copies), {u.updated} changed, {u.unchanged} already stored; "
                                  f"{u.claims} claims; {what} in {u.seconds:.2f} s", highlight=False)
                    for p in u.problems:
                        where = f"{p.path}:{p.line}" if p.line else p.path
                        console.print(f"[yellow]quarantined[/] {where}: {p.reason}" +
                                      (f" ({p.detail})" if p.detail else ""), highlight=False)
                for path in cycle.wrote[:1]:
                    console.print(f"{stamp} output files written again in {path.parent}", highlight=False)

            try:
                watcher.run(interval=interval, cycles=cycles, report=said)
            finally:
                store.close()
    except KeyboardInterrupt:
        console.print("stopped: everything read so far is in the store" +
                      (f", and the output files in {out_dir} are up to date" if out_dir else ""), highlight=False)
    except SitrepError as e:
        _fail(e)


@app.command()
def places(
    paths: list[Path] = typer.Argument(..., help="Article files or folders, as for `sitrep run`."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per document instead of tables."),
    country: Optional[str] = typer.Option(None, "--country", help="Country hint (ISO code or name) for every document."),
):
    """List the places found in each document, with coordinates, admin names and the spellings seen.

    For people checking the gazetteer, and for evaluation. Nothing is stored.
    """
    from .ingest import read_paths
    from .nlp import document_places_of
    from .records import Problem

    try:
        for item in read_paths(paths):
            if isinstance(item, Problem):
                console.print(f"[yellow]skipped[/] {item.path}: {item.reason}", highlight=False)
                continue
            rows = document_places_of(item, country)
            if as_json:
                print(json.dumps({"doc_id": item.doc_id, "places": rows}, ensure_ascii=False))
                continue
            table = Table("name", "kind", "geonameid", "lat", "lon", "admin1", "admin2", "country", "seen as",
                          title=f"{item.doc_id}: {len(rows)} places", title_justify="left")
            for r in rows:
                table.add_row(r["name"], r["kind"], str(r["geonameid"] or r["id"]), f"{r['latitude']:.4f}",
                              f"{r['longitude']:.4f}", r["admin1"] or "", r["admin2"] or "", r["country"],
                              ", ".join(r["variants"]))
            out.print(table)
    except SitrepError as e:
        _fail(e)


@app.command()
def docs(
    out_dir: Optional[Path] = StoreOutOpt,
    db: Optional[str] = DbOpt,
    as_json: bool = typer.Option(False, "--json", help="One JSON object per line instead of a table."),
):
    """List the stored documents: id, publication date, format, origin, original if a near-copy."""
    from .store import Store

    try:
        store = Store(_store_url(out_dir, db))
        rows = [{"doc_id": d.doc_id, "published": d.published.isoformat() if d.published else None,
                 "fmt": d.fmt, "origin": d.origin, "duplicate_of": d.duplicate_of, "chars": len(d.text)}
                for d in store.iter_documents()]
    except SitrepError as e:
        _fail(e)
    if as_json:
        for r in rows:
            print(json.dumps(r, ensure_ascii=False))
        return
    table = Table("doc_id", "published", "fmt", "chars", "duplicate_of", "origin")
    for r in rows:
        table.add_row(r["doc_id"], r["published"] or "-", r["fmt"], str(r["chars"]), r["duplicate_of"] or "",
                      r["origin"])
    out.print(table)


@app.command()
def text(
    doc_id: str = typer.Argument(..., help="A document id, as listed by `sitrep docs`."),
    out_dir: Optional[Path] = StoreOutOpt,
    db: Optional[str] = DbOpt,
):
    """Print a document's stored text: the text every claim's char_start/char_end refer to."""
    from .store import Store

    try:
        doc = Store(_store_url(out_dir, db)).get_document(doc_id)
    except SitrepError as e:
        _fail(e)
    if doc is None:
        _fail(SitrepError(f"no document {doc_id!r} in the store; `sitrep docs` lists them"))
    sys.stdout.write(doc.text + "\n")


if __name__ == "__main__":  # pragma: no cover
    app()
