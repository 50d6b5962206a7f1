#!/usr/bin/env python3
"""Seed table of trained recipes from scripts/eval-models.sh outputs.

Reads OUT/{collection}-eval.json of every eval-models.sh output folder given, groups the runs of models named
RECIPE-sSEED by recipe, and prints one Markdown table per collection: per run kind (cross-encoder alone, fused at the
model's α, fused at fixed α) the mean over seeds ± half the range, then each seed's value. ▲/▼ mark a seed's run
significantly better/worse than BM25: the two-sided paired t-test p-values `eval` stored, Holm–Bonferroni over every
run of the table (one family per collection and metric), p < 0.05. Every folder must hold the same BM25 run.
Usage: scripts/seed-table.py [--metric ndcg_cut_10] DIR...
"""
import argparse, json, re, sys
from collections import defaultdict
from pathlib import Path

KINDS = [("ce", "CE alone"), ("fused", "fused, own α"), ("fused0.5", "fused α 0.5"), ("fused0.7", "fused α 0.7")]


def holm(pvalues):
    order = sorted(range(len(pvalues)), key=lambda i: pvalues[i])
    adjusted, running = [0.0] * len(pvalues), 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (len(pvalues) - rank) * pvalues[i]))
        adjusted[i] = running
    return adjusted


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--metric", default="ndcg_cut_10")
    parser.add_argument("dirs", nargs="+")
    args = parser.parse_args()
    for collection in ("scifact", "cranfield"):
        values = {}   # (recipe, seed, kind) -> (value, p)
        baseline = None
        for folder in args.dirs:
            path = Path(folder) / f"{collection}-eval.json"
            if not path.exists():
                continue
            report = json.loads(path.read_text())
            base = report["runs"][report["baseline"]]["metrics"][args.metric]
            if baseline is not None and abs(base - baseline) > 1e-12:
                sys.exit(f"{path}: BM25 {args.metric} {base:.4f} differs from the other folders' {baseline:.4f}")
            baseline = base
            for name, run in report["runs"].items():
                m = re.fullmatch(rf"{collection}-(.+)-s(\d+)-(ce|fused(?:[0-9.]+)?)\.run", name)
                if not m:
                    continue
                recipe, seed, kind = m.group(1), int(m.group(2)), m.group(3)
                values[(recipe, seed, kind)] = (run["metrics"][args.metric], run["significance"][args.metric]["p_value"])
        if not values:
            continue
        keys = list(values)
        adjusted = dict(zip(keys, holm([values[k][1] for k in keys])))
        kinds = [(k, label) for k, label in KINDS if any(key[2] == k for key in keys)]
        print(f"\n{collection} test, BM25 top 100, {args.metric}; BM25 {baseline:.4f}; Holm over {len(keys)} runs\n")
        print("| recipe | seeds | " + " | ".join(label for _, label in kinds) + " |")
        print("| --- | --- | " + " | ".join("---:" for _ in kinds) + " |")
        recipes = sorted({k[0] for k in keys})
        for recipe in recipes:
            seeds = sorted({k[1] for k in keys if k[0] == recipe})
            cells = []
            for kind, _ in kinds:
                got = [(s, values[(recipe, s, kind)]) for s in seeds if (recipe, s, kind) in values]
                if not got:
                    cells.append("")
                    continue
                vs = [v for _, (v, _) in got]
                mean, half = sum(vs) / len(vs), (max(vs) - min(vs)) / 2
                marks = []
                for s, (v, _) in got:
                    sig = adjusted[(recipe, s, kind)] < 0.05
                    marks.append(f"{v:.4f}{('▲' if v > baseline else '▼') if sig else ''}")
                cells.append(f"**{mean:.4f} ± {half:.4f}** ({' / '.join(marks)})")
            print(f"| {recipe} | {', '.join(map(str, seeds))} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
