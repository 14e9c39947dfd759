"""The `sitrep` command: thin wrappers over the library, errors turned into messages here."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape
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
    console.print(f"[bold red]error:[/] {escape(str(e))}", highlight=False)  # "sitrep[ray]" is no markup
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
    engine: Optional[str] = typer.Option(None, "--engine", help="How recognition and claims run: local (worker "
                                         "processes on this machine, the default) or ray (actors of a Ray "
                                         "cluster; needs sitrep[ray])."),
    workers: Optional[int] = typer.Option(None, "--workers", min=1, help="Worker processes, or Ray actors "
                                          "(default 2)."),
    ray_address: Optional[str] = typer.Option(None, "--ray-address", help="With --engine ray: the Ray cluster "
                                              "to join (auto, ray://HOST:10001). Default: $RAY_ADDRESS, else a "
                                              "Ray started on this machine with --workers CPUs."),
):
    """Run every stage on PATHS and write the output files (SPEC §2) to --out.

    Unreadable inputs go to OUT/quarantine.jsonl with the reason; the run goes on.
    Running again on the same inputs adds nothing twice.
    """
    from .pipeline import run as run_pipeline

    try:
        settings = load_settings(config, db=db, strict=strict or None, progress=progress, engine=engine,
                                 workers=workers, ray_address=ray_address)
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

    from .engine import check_engine
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
        check_engine(settings.engine)  # --config's engine: a bulk of arrivals is extracted with it
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
    """List the places found in each document, with coordinates, admin names, the gazetteer that answered
    and the spellings seen.

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
            table = Table("name", "kind", "geonameid", "lat", "lon", "precision", "admin1", "admin2", "country",
                          "gazetteer", "seen as", title=f"{item.doc_id}: {len(rows)} places", title_justify="left")
            for r in rows:
                table.add_row(r["name"], r["kind"], str(r["geonameid"] or r["id"]), f"{r['latitude']:.4f}",
                              f"{r['longitude']:.4f}", str(r["precision"]), r["admin1"] or "", r["admin2"] or "",
                              r["country"], r["gazetteer"], ", ".join(r["variants"]))
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


# -- the analyst's desk: the same queries as `sitrep.desk`, the web API and `sitrep.open`, same names --------

LimitOpt = typer.Option(50, "--limit", min=0, help="Items to show (table and json).")
OffsetOpt = typer.Option(0, "--offset", min=0, help="Items to skip first (table and json).")
StoryOpt = typer.Option(None, "--story-id", help="Only those of this story.")


def _open_store(out_dir: Optional[Path], db: Optional[str]):
    from .store import Store

    return Store(_store_url(out_dir, db))


def _print_page(page, fmt: str, columns: list[tuple[str, str]], title: str) -> None:
    """A page as JSON (the API's shape) or as a table of *columns* (key, heading), with the count."""
    if fmt == "json":
        print(json.dumps(page.as_dict(), ensure_ascii=False, default=str))
        return
    table = Table(title=title, title_justify="left")
    for i, (key, heading) in enumerate(columns):
        # the first column is the id a person copies into the next command: never cut or wrapped
        width = max([len(str(item.get(key) or "")) for item in page.items] + [len(heading)]) if i == 0 else None
        table.add_column(heading, no_wrap=i == 0, min_width=width)
    for item in page.items:
        table.add_row(*("" if item.get(k) is None else str(item.get(k)) for k, _ in columns))
    out.print(table)
    shown = f"{page.offset + 1}-{page.offset + len(page.items)}" if page.items else "none"
    out.print(f"{shown} of {page.total}" + (" (--offset to see more)" if page.offset + len(page.items) < page.total
                                             else ""), highlight=False)


def _stream_out(chunks) -> None:
    for chunk in chunks:
        sys.stdout.write(chunk)
    sys.stdout.flush()


def _check_format(fmt: str, allowed: tuple[str, ...]) -> str:
    if fmt not in allowed:
        _fail(SitrepError(f"--format must be one of {', '.join(allowed)}, not {fmt!r}"))
    return fmt


@app.command()
def stories(
    out_dir: Optional[Path] = StoreOutOpt,
    db: Optional[str] = DbOpt,
    limit: int = LimitOpt,
    offset: int = OffsetOpt,
    since: Optional[str] = typer.Option(None, "--since", help="Only stories changed at or after this ISO 8601 time."),
    fmt: str = typer.Option("table", "--format", help="table or json."),
):
    """List the stored stories, latest first: counts, fatalities, and whether each changed in the last build."""
    from . import desk

    _check_format(fmt, ("table", "json"))
    try:
        page = desk.stories(_open_store(out_dir, db), limit=limit, offset=offset, since=since)
    except SitrepError as e:
        _fail(e)
    for s in page.items:
        s["changed"] = "changed" if s["changed"] and fmt == "table" else s["changed"] if fmt == "json" else ""
    _print_page(page, fmt, [("id", "id"), ("title", "title"), ("date_start", "from"), ("date_end", "to"),
                            ("documents", "sources"), ("events", "events"), ("fatalities", "fatalities"),
                            ("changed", "")], "stories")


@app.command()
def events(
    out_dir: Optional[Path] = StoreOutOpt,
    db: Optional[str] = DbOpt,
    country: Optional[str] = typer.Option(None, "--country", help="ACLED country name, any case: Nigeria."),
    admin1: Optional[str] = typer.Option(None, "--admin1", help="First-level region, any case: Borno."),
    date_from: Optional[str] = typer.Option(None, "--date-from", help="Events on or after this day (YYYY-MM-DD)."),
    date_to: Optional[str] = typer.Option(None, "--date-to", help="Events on or before this day."),
    actor: Optional[str] = typer.Option(None, "--actor", help="Part of actor1 or actor2, any case: ISWAP."),
    event_type: Optional[str] = typer.Option(None, "--event-type", help="ACLED event type: Battles."),
    min_fatalities: Optional[int] = typer.Option(None, "--min-fatalities", min=0, help="At least this many fatalities."),
    place: Optional[str] = typer.Option(None, "--place", help="Part of the location's name, any case."),
    story_id: Optional[str] = StoryOpt,
    limit: int = LimitOpt,
    offset: int = OffsetOpt,
    fmt: str = typer.Option("table", "--format", help="table, json (one page), csv or geojson (every match, as "
                                                      "events.csv and places.geojson write them)."),
):
    """List the stored events that match the filters, newest day first; or export them as CSV or GeoJSON."""
    from . import desk

    _check_format(fmt, ("table", "json", "csv", "geojson"))
    filters = dict(date_from=date_from, date_to=date_to, country=country, admin1=admin1, place=place, actor=actor,
                   event_type=event_type, min_fatalities=min_fatalities, story_id=story_id)
    try:
        store = _open_store(out_dir, db)
        if fmt in ("csv", "geojson"):
            _stream_out((desk.events_csv if fmt == "csv" else desk.events_geojson)(store, **filters))
            return
        page = desk.events(store, **filters, limit=limit, offset=offset)
    except SitrepError as e:
        _fail(e)
    _print_page(page, fmt, [("event_id_cnty", "id"), ("event_date", "date"), ("event_type", "type"),
                            ("actor1", "actor1"), ("actor2", "actor2"), ("location", "location"),
                            ("admin1", "admin1"), ("country", "country"), ("fatalities", "fatalities")], "events")


@app.command()
def claims(
    out_dir: Optional[Path] = StoreOutOpt,
    db: Optional[str] = DbOpt,
    predicate: Optional[str] = typer.Option(None, "--predicate", help="killed, injured, captured, … (SPEC §3)."),
    category: Optional[str] = typer.Option(None, "--category", help="civilians, military, police, militants, …"),
    claimant_type: Optional[str] = typer.Option(None, "--claimant-type", help="armed_group, military, government, …"),
    hedge: Optional[str] = typer.Option(None, "--hedge", help="asserted, reported, claimed, alleged, confirmed, …"),
    doc_id: Optional[str] = typer.Option(None, "--doc-id", help="Claims of this document."),
    story_id: Optional[str] = StoryOpt,
    limit: int = LimitOpt,
    offset: int = OffsetOpt,
    fmt: str = typer.Option("table", "--format", help="table, json (one page) or jsonl (every match, as claims.jsonl)."),
):
    """List the stored claims that match the filters: each figure, who claims it, and its quote."""
    from . import desk

    _check_format(fmt, ("table", "json", "jsonl"))
    filters = dict(predicate=predicate, category=category, claimant_type=claimant_type, hedge=hedge, doc_id=doc_id,
                   story_id=story_id)
    try:
        store = _open_store(out_dir, db)
        if fmt == "jsonl":
            _stream_out(desk.claims_jsonl(store, **filters))
            return
        page = desk.claims(store, **filters, limit=limit, offset=offset)
    except SitrepError as e:
        _fail(e)
    _print_page(page, fmt, [("doc_id", "document"), ("text_value", "figure"), ("predicate", "predicate"),
                            ("category", "category"), ("claimant", "claimant"), ("claimant_type", "type"),
                            ("hedge", "hedge"), ("quote", "quote")], "claims")


@app.command()
def serve(
    out_dir: Optional[Path] = StoreOutOpt,
    db: Optional[str] = DbOpt,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on; only this machine by default."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port to listen on."),
    allow_ingest: bool = typer.Option(False, "--allow-ingest", help="Accept articles at POST /api/v1/articles; "
                                      "needs a token ($SITREP_INGEST_TOKEN or ingest_token in --config)."),
    config: Optional[Path] = typer.Option(None, "--config", help="TOML settings file (ingest_token, "
                                          "max_document_bytes, ...)."),
):
    """Serve the store as web pages (stories, events, claims, sources) and a JSON API under /api/v1.

    Read-only unless --allow-ingest is given with a token. The pages refresh themselves as the store changes.
    """
    from .web import serve as run_server

    try:
        settings = load_settings(config, db=db)
        run_server(_store_url(out_dir, db), host=host, port=port, settings=settings, allow_ingest=allow_ingest,
                   echo=lambda line: out.print(line, highlight=False))
    except SitrepError as e:
        _fail(e)


gazetteer_app = typer.Typer(help="Import full GeoNames gazetteers and see what is imported.", no_args_is_help=True,
                            rich_markup_mode=None)
app.add_typer(gazetteer_app, name="gazetteer")
GeoDbOpt = typer.Option(None, "--db", help="The imported gazetteer's SQLite file. Default: geonames.sqlite in "
                                           "sitrep's cache ($SITREP_CACHE_DIR or ~/.cache/sitrep), which every "
                                           "run then uses.")


@gazetteer_app.command("import")
def gazetteer_import(
    files: list[Path] = typer.Argument(..., help="GeoNames dump files: a country file (NG.zip), allCountries.zip, "
                                       "cities500.zip ..., alternateNamesV2.zip, admin1CodesASCII.txt, "
                                       "admin2Codes.txt, countryInfo.txt."),
    db: Optional[Path] = GeoDbOpt,
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Show a progress bar."),
):
    """Import GeoNames dump files (https://download.geonames.org/export/dump/) for the place recogniser.

    Resumable: an interrupted import goes on where it stopped; a file already imported whole is skipped.
    """
    from .geonames import import_files

    bars = Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
                    TimeElapsedColumn(), console=console, disable=not progress, transient=True)
    tasks: dict[str, int] = {}

    def advance(name: str, done: int, total: int) -> None:
        if name not in tasks:
            tasks[name] = bars.add_task(f"importing {name}", total=total or None)
        bars.update(tasks[name], completed=done)

    try:
        with bars:
            report = import_files(files, db, progress=advance)
    except SitrepError as e:
        _fail(e)
    table = Table("file", "kind", "status", "rows kept", "skipped", "malformed lines",
                  title=f"imported into {report.path}", title_justify="left")
    for f in report.files:
        table.add_row(f.name, f.kind, f.status, f"{f.rows:,}", f"{f.skipped:,}", f"{f.malformed:,}")
    out.print(table)
    for f in report.files:
        for line in f.first_malformed:
            console.print(f"[yellow]malformed[/] {escape(line)}", highlight=False)
    for note in report.notes:
        console.print(f"[yellow]note[/] {escape(note)}", highlight=False)


@gazetteer_app.command("status")
def gazetteer_status(
    db: Optional[Path] = GeoDbOpt,
    as_json: bool = typer.Option(False, "--json", help="One JSON object instead of tables."),
):
    """Say what is imported: files, when, places by kind, names and countries."""
    from .geonames import GeoNamesDB, default_path

    path = db or default_path()
    if not path.exists():
        if as_json:
            print(json.dumps({"path": str(path), "files": [], "places_total": 0}))
        else:
            out.print(f"nothing imported ({path} does not exist); the bundled gazetteer is used", highlight=False)
        return
    import sqlite3

    try:
        status = GeoNamesDB(path).status()
    except sqlite3.Error as e:
        _fail(SitrepError(f"{path}: not a gazetteer sitrep made ({e}); import the files again into a new --db"))
    if as_json:
        print(json.dumps(status, ensure_ascii=False))
        return
    table = Table("file", "kind", "rows kept", "skipped", "malformed lines", "complete", "imported at",
                  title=f"{path}", title_justify="left")
    for f in status["files"]:
        table.add_row(f["name"], f["kind"], f"{f['rows']:,}", f"{f['skipped']:,}", f"{f['malformed']:,}",
                      "yes" if f["complete"] else "no (import it again to go on)", f["imported_at"] or "")
    out.print(table)
    kinds = ", ".join(f"{k} {n:,}" for k, n in status["places"].items())
    out.print(f"{status['places_total']:,} places ({kinds}), {status['names']:,} names, "
              f"{status['admin_codes']:,} admin codes, {len(status['countries'])} countries", highlight=False)


if __name__ == "__main__":  # pragma: no cover
    app()
