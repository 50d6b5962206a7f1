#!/usr/bin/env python3
"""Draws learning curves from training logs (train_log.jsonl written by `searchrerank train`): validation nDCG@10
against training pairs seen, one line per run, with the first stage (BM25) on the same validation queries as a
dashed reference. Plain SVG, no plotting library.
Usage: plot-learning-curves.py [--pairs-per-step N] OUT.svg NAME=LOG [NAME=LOG ...]
--pairs-per-step N: for logs written before step entries carried "pairs" (batch x group size x accumulation).
--smoke [DIR]: plots two small logs in the trainer's format (written to DIR, default a temporary folder) and checks
the SVG: well-formed, one point per validation entry."""
import json, sys

COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"]

def curve(path, pairs_per_step):
    seen, points, baseline = 0, [], None
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
            except json.JSONDecodeError as e:
                sys.exit(f"{path}:{number}: malformed JSON: {e}")
            if entry.get("type") == "step":
                if "pairs" in entry:
                    seen += entry["pairs"]
                elif pairs_per_step:
                    seen += pairs_per_step
                else:
                    sys.exit(f"{path}:{number}: step entry without 'pairs' (older trainer): give --pairs-per-step")
            elif entry.get("type") == "validation":
                points.append((seen, entry["ndcg_cut_10"], entry["stage"]))
                baseline = entry["first_stage_ndcg_cut_10"]
    if not points:
        sys.exit(f"{path}: no validation entries")
    return points, baseline

def smoke(folder):
    import os, tempfile, xml.etree.ElementTree as ET
    folder = folder or tempfile.mkdtemp(prefix="learning-curves-")
    os.makedirs(folder, exist_ok=True)
    logs = []
    for run, slope in (("a", 0.01), ("b", 0.02)):
        path = os.path.join(folder, f"{run}.jsonl")
        with open(path, "w", encoding="utf-8") as f:
            for step in range(1, 31):
                f.write(json.dumps({"type": "step", "step": step, "pairs": 32, "loss": 1.0 / step}) + "\n")
                if step % 10 == 0:
                    f.write(json.dumps({"type": "validation", "stage": "C", "step": step, "ndcg_cut_10": 0.6 + slope * step / 10,
                                        "first_stage_ndcg_cut_10": 0.65}) + "\n")
        logs.append(f"{run}={path}")
    svg = os.path.join(folder, "curves.svg")
    sys.argv[1:] = [svg, *logs]
    main()
    circles = [e for e in ET.parse(svg).iter() if e.tag.endswith("circle")]
    if len(circles) != 6:
        sys.exit(f"smoke: {svg} has {len(circles)} points, expected 6")
    print(f"smoke: plot-learning-curves ok ({svg})")

def main():
    args, pairs_per_step = sys.argv[1:], None
    if args[:1] == ["--pairs-per-step"]:
        pairs_per_step, args = int(args[1]), args[2:]
    if len(args) < 2:
        sys.exit(__doc__)
    out, runs = args[0], []
    for arg in args[1:]:
        name, _, path = arg.partition("=")
        if not path:
            sys.exit(f"expected NAME=LOG, got '{arg}'")
        runs.append((name, *curve(path, pairs_per_step)))
    width, height, left, right, top, bottom = 640, 380, 60, 150, 40, 50
    plot_w, plot_h = width - left - right, height - top - bottom
    xs = [x for _, pts, _ in runs for x, _, _ in pts]
    ys = [y for _, pts, _ in runs for _, y, _ in pts] + [b for _, _, b in runs if b is not None]
    hi_x = max(xs) or 1
    lo_y, hi_y = min(ys) - 0.02, max(ys) + 0.02
    sx = lambda x: left + x / hi_x * plot_w
    sy = lambda y: top + plot_h - (y - lo_y) / (hi_y - lo_y) * plot_h
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="{left + plot_w / 2}" y="{top - 15}" text-anchor="middle" font-weight="bold">validation nDCG@10 (cross-encoder alone)</text>',
           f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="none" stroke="#333"/>']
    for i in range(6):
        y = lo_y + (hi_y - lo_y) * i / 5
        svg.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{sy(y):.1f}" y2="{sy(y):.1f}" stroke="#ddd"/>')
        svg.append(f'<text x="{left - 5}" y="{sy(y) + 4:.1f}" text-anchor="end">{y:.3f}</text>')
        x = hi_x * i / 5
        svg.append(f'<text x="{sx(x):.1f}" y="{top + plot_h + 16}" text-anchor="middle">{int(x):,}</text>')
    svg.append(f'<text x="{left + plot_w / 2}" y="{height - 10}" text-anchor="middle">training pairs seen</text>')
    for i, (name, points, baseline) in enumerate(runs):
        colour = COLOURS[i % len(COLOURS)]
        svg.append(f'<polyline points="{" ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y, _ in points)}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for x, y, stage in points:
            svg.append(f'<circle cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="3" fill="{colour}"><title>{name} {stage}: {y:.4f} after {x:,} pairs</title></circle>')
        if baseline is not None:
            svg.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{sy(baseline):.1f}" y2="{sy(baseline):.1f}" stroke="{colour}" stroke-dasharray="5,4"/>')
        svg.append(f'<text x="{left + plot_w + 10}" y="{top + 14 + 16 * i}" fill="{colour}">{name}</text>')
    svg.append(f'<text x="{left + plot_w + 10}" y="{top + 14 + 16 * len(runs)}" fill="#555">dashed: BM25</text>')
    svg.append("</svg>")
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(svg) + "\n")

if __name__ == "__main__":
    if sys.argv[1:2] == ["--smoke"]:
        smoke(sys.argv[2] if len(sys.argv) > 2 else None)
    else:
        main()
