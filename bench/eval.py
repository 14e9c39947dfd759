"""`make eval`: how well sitrep recognises and extracts, on the project's own test sets.

Recognition (tests/data/recognition.jsonl, hand-annotated sentences from many
countries): precision and recall of places, actors and numbers.

Claims: one table row per corpus, scored by ../shared/eval/score_claims.py --json
(P, R, F1, strict F1 and the share of matched claims with each field right):
  seeds          sitrep run ../shared/seeds, against ../shared/gold/seeds.claims.jsonl
  <incident>     one sitrep run on all of ../shared/dev/clean, each incident against
                 ../shared/dev/gold/<incident>.claims.jsonl (the scorer keeps the gold's doc_ids)
  dev (all six)  that run against the six gold files together
  sample         sitrep run src/sitrep/data/sample, against tests/data/sample.claims.jsonl
Stories: ../shared/eval/check_story.py on the seeds' and each incident's story gold,
checks passed/total.
ACLED: the notes of ../shared/dev/acled/*.csv turned into articles (acled_to_jsonl.py, one note
each with its country hint), one sitrep run, and score_acled.py's comparison of the events with
ACLED's own coding (fatalities, place within 25 km, event type).
A part of ../shared that is absent gets a one-line note.

    python bench/eval.py [--only recognition|claims|acled] [--show-errors]

--show-errors prints each row's missed and false claims and failed story checks.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
RECOGNITION = ROOT / "tests" / "data" / "recognition.jsonl"
SAMPLE = ROOT / "src" / "sitrep" / "data" / "sample"
SAMPLE_GOLD = ROOT / "tests" / "data" / "sample.claims.jsonl"
DEV = SHARED / "dev"
SCORER = SHARED / "eval" / "score_claims.py"
STORY_CHECK = SHARED / "eval" / "check_story.py"
ACLED_TO_JSONL = SHARED / "eval" / "acled_to_jsonl.py"
ACLED_SCORER = SHARED / "eval" / "score_acled.py"
ACLED_MEASURES = {"fatalities_exact": "fatalities equal", "fatalities_exact_where_acled_nonzero": "… where ACLED > 0",
                  "all_zero_guess": "(all-zero guess)", "place_within_25km_where_named": "place within 25 km",
                  "event_type": "event type"}
# score_claims.py's fields, abbreviated so the table fits about 160 columns
FIELDS = {"predicate": "predic.", "category": "categ.", "qualifier": "qual.", "claimant_type": "cl.type",
          "claimant": "claimant", "location": "loc.", "hedge": "hedge", "event_scope": "scope"}


def fold(s: str | None) -> str:
    """Compare names without accents, case, punctuation or an Arabic article ("Ma'rib" = "Marib", "As-Suwayda" = "Suwayda")."""
    s = unicodedata.normalize("NFKD", (s or "").replace("-", " "))
    s = "".join(c for c in s if (c.isalnum() and not unicodedata.combining(c)) or c == " ").lower()
    for article in ("al ", "as ", "ad ", "ar ", "el ", "an ", "at "):
        if s.startswith(article):
            s = s[len(article):]
    return s.replace(" ", "")


def km(a, b) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 6371 * 2 * math.asin(math.sqrt(h))


def overlap(a0, a1, b0, b1) -> bool:
    return a0 < b1 and b0 < a1


def spans(text: str, surface: str) -> list[tuple[int, int]]:
    out, i = [], text.find(surface)
    while i >= 0:
        out.append((i, i + len(surface)))
        i = text.find(surface, i + 1)
    return out


def place_ok(g: dict, p) -> bool:
    """A predicted place is right when it names the same place: same name, or within 25 km of a gold town."""
    if "latitude" in g and g["latitude"] is not None and p.place.kind in {"city", "part"}:
        return km((g["latitude"], g["longitude"]), (p.place.latitude, p.place.longitude)) <= 25
    return fold(g["name"]) == fold(p.place.name) or (
        fold(g["name"]) in fold(p.place.name) or fold(p.place.name) in fold(g["name"])) and \
        (g.get("country") in (None, p.place.country))


def match(gold: list, pred: list, text: str, gold_span, pred_span, same) -> tuple[int, int, list, list]:
    """Greedy one-to-one matching on overlapping spans; returns tp_gold, tp_pred, missed, false."""
    used, missed = set(), []
    for g in gold:
        g_spans = gold_span(g)
        hit = next((j for j, p in enumerate(pred) if j not in used and
                    any(overlap(*s, *pred_span(p)) for s in g_spans) and same(g, p)), None)
        if hit is None:
            missed.append(g)
        else:
            used.add(hit)
    false = [p for j, p in enumerate(pred) if j not in used]
    return len(gold) - len(missed), len(used), missed, false


def recognition(show: bool) -> dict:
    from sitrep.nlp import recognise
    from sitrep.nlp.numbers import find_quantities

    rows = [json.loads(line) for line in RECOGNITION.read_text(encoding="utf-8").splitlines() if line.strip()]
    totals = {k: [0, 0, 0, 0] for k in ("places", "actors", "numbers")}  # tp_gold, gold, tp_pred, pred
    errors = []
    for row in rows:
        text, country = row["text"], row.get("country")
        places, actors, _, _ = recognise(text, country)  # exactly what `sitrep run` does, with the country hint
        kinds = {
            "places": (row.get("places", []), places, place_ok),
            "actors": (row.get("actors", []), [m for m in actors if not m.generic],
                       lambda g, p: g.get("inter") in (None, p.inter)),
            "numbers": (row.get("numbers", []), find_quantities(text),
                        lambda g, p: (g["low"], g["high"], g["qualifier"]) == (p.low, p.high, p.qualifier)),
        }
        for kind, (gold, pred, same) in kinds.items():
            key = "text_value" if kind == "numbers" else "surface"
            tpg, tpp, missed, false = match(gold, pred, text, lambda g: spans(text, g[key]),
                                            lambda p: (p.start, p.end), same)
            t = totals[kind]
            t[0] += tpg
            t[1] += len(gold)
            t[2] += tpp
            t[3] += len(pred)
            errors += [(row["id"], kind, "missed", g[key]) for g in missed]
            errors += [(row["id"], kind, "false", text[p.start:p.end]) for p in false]
    if show:
        for e in errors:
            print("  ".join(e))
    out = {}
    for kind, (tpg, g, tpp, p) in totals.items():
        out[kind] = {"precision": tpp / p if p else 0.0, "recall": tpg / g if g else 0.0, "gold": g, "predicted": p}
    out["_sentences"] = len(rows)
    return out


def rel(p: Path) -> str:
    return os.path.relpath(p, ROOT)


def sitrep_run(corpus: Path, out: Path) -> str | None:
    """`sitrep run CORPUS --out OUT`, exactly as a user runs it; returns None, or why it failed."""
    res = subprocess.run([sys.executable, "-m", "sitrep.cli", "run", str(corpus), "--out", str(out), "--no-progress"],
                         capture_output=True, text=True)
    if res.returncode == 0:
        return None
    # the error is the last line, or what follows rich's traceback box (wrapped at 80 columns)
    lines = res.stderr.strip().splitlines() or ["?"]
    box_end = max((i for i, line in enumerate(lines) if line.startswith("╰")), default=len(lines) - 2)
    why = " ".join(line.strip() for line in lines[box_end + 1:])
    return f"sitrep run {rel(corpus)} failed (exit {res.returncode}): {why}"


def plan() -> tuple[list, list[str]]:
    """The runs to make, as (corpus, [(row, gold claims files)], [(row, story gold)]), and a note per absent part."""
    runs, notes = [], []
    if (SHARED / "seeds").is_dir():
        runs.append((SHARED / "seeds", [("seeds", [SHARED / "gold" / "seeds.claims.jsonl"])],
                     [("seeds", SHARED / "gold" / "seeds.story.json")]))
    else:
        notes.append(f"seeds: {rel(SHARED / 'seeds')} is absent")
    incidents = sorted(p.stem for p in (DEV / "clean").glob("*.jsonl"))
    all_six = "dev (all six)" if len(incidents) == 6 else f"dev (all {len(incidents)})"
    if incidents:  # one run on the whole folder; each incident is scored on its own doc_ids
        golds = [DEV / "gold" / f"{i}.claims.jsonl" for i in incidents]
        runs.append((DEV / "clean", [(i, [g]) for i, g in zip(incidents, golds)] + [(all_six, golds)],
                     [(i, DEV / "gold" / f"{i}.story.json") for i in incidents]))
    else:
        notes.append(f"dev: {rel(DEV / 'clean')} is absent")
    runs.append((SAMPLE, [("sample", [SAMPLE_GOLD])], []))
    return runs, notes


def claims(show: bool) -> tuple[list, list, list[str], bool]:
    """Claim scores (score_claims.py --json) and story checks (check_story.py) per row.

    Returns (claim rows, story rows, notes, whether a sitrep run failed)."""
    runs, notes = plan()
    if not SCORER.exists():
        notes.append(f"claims: {rel(SCORER)} is absent, so no claims are scored (not even the sample's)")
    if not STORY_CHECK.exists():
        notes.append(f"stories: {rel(STORY_CHECK)} is absent, so no stories are checked")
    scored, stories, failed = [], [], False
    with tempfile.TemporaryDirectory() as tmp:
        for n, (corpus, claim_rows, story_rows) in enumerate(runs):
            claim_rows = claim_rows if SCORER.exists() else []
            story_rows = story_rows if STORY_CHECK.exists() else []
            if not claim_rows and not story_rows:
                continue
            out = Path(tmp) / str(n)
            why = sitrep_run(corpus, out)
            if why:
                notes.append(why)
                failed = True
                continue
            for name, golds in claim_rows:
                if missing := [g for g in golds if not g.exists()]:
                    notes.append(f"{name}: {rel(missing[0])} is absent")
                    continue
                gold = golds[0]
                if len(golds) > 1:  # the scorer takes one gold file: concatenate
                    gold = out / "gold.claims.jsonl"
                    text = "".join(g.read_text(encoding="utf-8").strip() + "\n" for g in golds)
                    gold.write_text(text, encoding="utf-8")
                res = subprocess.run([sys.executable, str(SCORER), str(gold), str(out / "claims.jsonl"), "--json"],
                                     capture_output=True, text=True)
                try:
                    r = json.loads(res.stdout)
                except ValueError:
                    notes.append(f"{name}: score_claims.py failed: {res.stderr.strip()}")
                    continue
                if show and len(golds) == 1:  # the "all" row's errors are the incidents' errors again
                    for kind in ("missed", "false"):
                        for c in r[kind]:
                            print(f"{name:<20}{kind:<7}", json.dumps(c, ensure_ascii=False))
                scored.append((name, r))
            for name, gold in story_rows:
                if not gold.exists():
                    notes.append(f"{name}: {rel(gold)} is absent")
                    continue
                res = subprocess.run([sys.executable, str(STORY_CHECK), str(gold), str(out / "stories.json")],
                                     capture_output=True, text=True)
                m = re.search(r"story checks passed (\d+/\d+)", res.stdout)  # its last line: "... passed 7/9 = 0.78"
                if not m:
                    notes.append(f"{name}: check_story.py failed: {res.stderr.strip()}")
                    continue
                if show:
                    for line in res.stdout.splitlines():
                        if line.startswith("FAIL"):
                            print(f"{name:<20}story  ", line[6:])
                stories.append((name, rel(gold), m.group(1)))
    return scored, stories, notes, failed


def acled() -> tuple[list, list[str]]:
    """score_acled.py --json for each ACLED export in ../shared/dev/acled: (rows, notes)."""
    csvs = sorted((DEV / "acled").glob("*.csv"))
    if not csvs or not ACLED_TO_JSONL.exists() or not ACLED_SCORER.exists():
        return [], [f"acled: {rel(DEV / 'acled')} or the ACLED scripts in {rel(SHARED / 'eval')} are absent"]
    rows, notes = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for n, csv in enumerate(csvs):
            notes_jsonl, out = Path(tmp) / f"{n}.jsonl", Path(tmp) / str(n)
            subprocess.run([sys.executable, str(ACLED_TO_JSONL), str(csv), str(notes_jsonl)], check=True,
                           capture_output=True)
            why = sitrep_run(notes_jsonl, out)
            if why:
                notes.append(why)
                continue
            res = subprocess.run([sys.executable, str(ACLED_SCORER), str(csv), str(out / "events.jsonl"), "--json"],
                                 capture_output=True, text=True)
            try:  # the JSON object, then a one-line summary
                rows.append((csv.name, json.JSONDecoder().raw_decode(res.stdout.lstrip())[0]))
            except ValueError:
                notes.append(f"{csv.name}: score_acled.py failed: {res.stderr.strip()}")
    return rows, notes


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", choices=["recognition", "claims", "acled"])
    ap.add_argument("--show-errors", action="store_true")
    a = ap.parse_args()
    from rich.console import Console
    from rich.table import Table

    console = Console(width=None if sys.stdout.isatty() else 160)  # rich assumes 80 columns in a pipe
    if a.only in (None, "recognition"):
        r = recognition(a.show_errors)
        t = Table("kind", "gold", "predicted", "precision", "recall",
                  title=f"recognition on {r.pop('_sentences')} hand-annotated sentences")
        for kind, v in r.items():
            t.add_row(kind, str(v["gold"]), str(v["predicted"]), f"{v['precision']:.3f}", f"{v['recall']:.3f}")
        console.print(t)
    if a.only in (None, "claims"):
        scored, stories, notes, failed = claims(a.show_errors)
        t = Table("corpus", "gold", "predicted", "P", "R", "F1", "strict F1", *FIELDS.values(),
                  title="claims (score_claims.py); field columns: share of matched claims with that field right")
        for name, r in scored:
            t.add_row(name, str(r["gold"]), str(r["predicted"]),
                      *(f"{r[k]:.3f}" for k in ("precision", "recall", "f1", "strict_f1")),
                      *(f"{r['field_accuracy'][f]:.2f}" for f in FIELDS))
        if scored:
            console.print(t)
        if stories:
            t = Table("corpus", "story gold", "checks passed", title="stories (check_story.py)")
            for row in stories:
                t.add_row(*row)
            console.print(t)
        for note in notes:
            print(note)
        if failed:
            sys.exit(1)
    if a.only in (None, "acled"):
        rows, notes = acled()
        t = Table("ACLED export", "rows", "with events", *ACLED_MEASURES.values(),
                  title="ACLED dev notes coded as ACLED did (score_acled.py)")
        for name, r in rows:
            t.add_row(name, str(r["rows"]), str(r["rows_with_events"]), *(f"{r[k]:.3f}" for k in ACLED_MEASURES))
        if rows:
            console.print(t)
        for note in notes:
            print(note)


if __name__ == "__main__":
    main()
