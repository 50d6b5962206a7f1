#!/usr/bin/env python3
"""Draws docs/growth.svg from docs/growth.tsv (Lucene.Net, written by bench-growth.sh) and docs/growth-fts5.tsv (the
SQLite FTS5 first stage it replaced): build time (import + optimize) and p50 / p99 query latency against corpus size,
log-log, as plain SVG with no plotting library.
Usage: plot-growth.py [TSV] [SVG] [FTS5_TSV]"""
import csv, math, os, sys

def read(path):
    return list(csv.DictReader(open(path, encoding="utf-8"), delimiter="\t")) if os.path.exists(path) else []

def main():
    tsv = sys.argv[1] if len(sys.argv) > 1 else "docs/growth.tsv"
    svg = sys.argv[2] if len(sys.argv) > 2 else "docs/growth.svg"
    old = read(sys.argv[3] if len(sys.argv) > 3 else os.path.join(os.path.dirname(tsv), "growth-fts5.tsv"))
    rows = read(tsv)
    def line(rs, name, value, colour):
        return (name, [(float(r["docs"]), value(r)) for r in rs], colour)
    build = lambda r: float(r["build_s"]) + float(r["optimize_s"])
    panels = [
        ("index build time, import + optimize (s)", [
            line(rows, "Lucene.Net", build, "#1f77b4"),
            line(old, "SQLite FTS5 (before)", build, "#7f7f7f"),
        ]),
        ("query latency, top 1000, 1 thread (ms)", [
            line(rows, "Lucene.Net p50", lambda r: float(r["p50_ms"]), "#d62728"),
            line(rows, "Lucene.Net p99", lambda r: float(r["p99_ms"]), "#ff9896"),
            line(old, "FTS5 own BM25 p50 (before)", lambda r: float(r["bm25_p50_ms"]), "#7f7f7f"),
            line(old, "FTS5 own BM25 p99 (before)", lambda r: float(r["bm25_p99_ms"]), "#c7c7c7"),
        ]),
    ]
    docs = sorted({d for _, title_series in panels for _, points, _ in title_series for d, _ in points})
    width, height, margin = 420, 300, 60
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{2 * width}" height="{height}" font-family="sans-serif" font-size="12">',
           f'<rect width="{2 * width}" height="{height}" fill="white"/>']
    for p, (title, series) in enumerate(panels):
        x0 = p * width + margin
        plot_w, plot_h = width - margin - 20, height - 2 * margin
        values = [v for _, points, _ in series for _, v in points if v > 0]
        lo_x, hi_x = math.log10(min(docs)), math.log10(max(docs))
        lo_y, hi_y = math.floor(math.log10(min(values))), math.ceil(math.log10(max(values)))
        if hi_x == lo_x: hi_x += 1
        if hi_y == lo_y: hi_y += 1
        sx = lambda d: x0 + (math.log10(d) - lo_x) / (hi_x - lo_x) * plot_w
        sy = lambda v: margin + plot_h - (math.log10(v) - lo_y) / (hi_y - lo_y) * plot_h
        out.append(f'<text x="{x0 + plot_w / 2}" y="{margin - 25}" text-anchor="middle" font-weight="bold">{title}</text>')
        out.append(f'<rect x="{x0}" y="{margin}" width="{plot_w}" height="{plot_h}" fill="none" stroke="#333"/>')
        for e in range(lo_y, hi_y + 1):
            y = sy(10 ** e)
            out.append(f'<line x1="{x0}" x2="{x0 + plot_w}" y1="{y}" y2="{y}" stroke="#ddd"/>')
            out.append(f'<text x="{x0 - 5}" y="{y + 4}" text-anchor="end">{10 ** e:g}</text>')
        for d in docs:
            out.append(f'<text x="{sx(d)}" y="{margin + plot_h + 16}" text-anchor="middle">{int(d):,}</text>')
        out.append(f'<text x="{x0 + plot_w / 2}" y="{margin + plot_h + 34}" text-anchor="middle">documents (log scale)</text>')
        for i, (name, data, colour) in enumerate(series):
            points = " ".join(f"{sx(d):.1f},{sy(v):.1f}" for d, v in data if v > 0)
            out.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>')
            for d, v in data:
                if v > 0:
                    out.append(f'<circle cx="{sx(d):.1f}" cy="{sy(v):.1f}" r="3" fill="{colour}"><title>{name}: {v:g} at {int(d):,} docs</title></circle>')
            out.append(f'<text x="{x0 + 8}" y="{margin + 16 + 14 * i}" fill="{colour}">{name}</text>')
    out.append("</svg>")
    with open(svg, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")

if __name__ == "__main__":
    main()
