"""`make eval`: how well sitrep recognises and extracts, on the project's own test sets.

Recognition (tests/data/recognition.jsonl, hand-annotated sentences from many
countries): precision and recall of places, actors and numbers.

Claims: ../shared/eval/score_claims.py on the seeds (when ../shared is present)
and on the bundled sample corpus's gold file.

    python bench/eval.py [--only recognition|claims] [--show-errors]
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
RECOGNITION = ROOT / "tests" / "data" / "recognition.jsonl"
SAMPLE_GOLD = ROOT / "tests" / "data" / "sample.claims.jsonl"


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


def claims(show: bool) -> dict:
    scorer = SHARED / "eval" / "score_claims.py"
    out = {}
    sets = [("sample", ROOT / "src" / "sitrep" / "data" / "sample", SAMPLE_GOLD)]
    if (SHARED / "seeds").is_dir():
        sets.insert(0, ("seeds", SHARED / "seeds", SHARED / "gold" / "seeds.claims.jsonl"))
    if not scorer.exists():
        return {"_note": "../shared/eval/score_claims.py is absent; claims not scored"}
    for name, corpus, gold in sets:
        if not gold.exists():
            out[name] = {"_note": f"{gold.relative_to(ROOT)} is missing"}
            continue
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run([sys.executable, "-m", "sitrep.cli", "run", str(corpus), "--out", tmp, "--no-progress"],
                           check=True, capture_output=True)
            res = subprocess.run([sys.executable, str(scorer), str(gold), str(Path(tmp) / "claims.jsonl"), "--json"],
                                 capture_output=True, text=True)
            r = json.loads(res.stdout)
            if show:
                for m in r["missed"]:
                    print("missed", json.dumps(m, ensure_ascii=False))
                for f in r["false"]:
                    print("false ", json.dumps(f, ensure_ascii=False))
            out[name] = {k: r[k] for k in ("gold", "predicted", "precision", "recall", "f1", "strict_f1")}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", choices=["recognition", "claims"])
    ap.add_argument("--show-errors", action="store_true")
    a = ap.parse_args()
    from rich.console import Console
    from rich.table import Table

    console = Console()
    if a.only in (None, "recognition"):
        r = recognition(a.show_errors)
        t = Table("kind", "gold", "predicted", "precision", "recall",
                  title=f"recognition on {r.pop('_sentences')} hand-annotated sentences")
        for kind, v in r.items():
            t.add_row(kind, str(v["gold"]), str(v["predicted"]), f"{v['precision']:.3f}", f"{v['recall']:.3f}")
        console.print(t)
    if a.only in (None, "claims"):
        r = claims(a.show_errors)
        t = Table("corpus", "gold", "predicted", "precision", "recall", "F1", "strict F1", title="claims (score_claims.py)")
        for name, v in r.items():
            if name.startswith("_") or "_note" in v:
                console.print(f"{name}: {v if name.startswith('_') else v['_note']}")
                continue
            t.add_row(name, str(v["gold"]), str(v["predicted"]), f"{v['precision']:.3f}", f"{v['recall']:.3f}",
                      f"{v['f1']:.3f}", f"{v['strict_f1']:.3f}")
        console.print(t)


if __name__ == "__main__":
    main()
