#!/usr/bin/env python3
"""Renders an HTML report in headless Chromium and checks the screenshot the way a reader would look at it:
the page drew text, every per-query chart drew green (better) and red (worse) bars, and the dashed mean line.

Usage: scripts/check-report.py REPORT.html SCREENSHOT.png [--width 1100] [--height 1400]
       scripts/check-report.py --smoke [DIR]   (the test suite's check: writes two runs of 40 SciFact test queries, one
       better and one worse by turns, makes their report with `searchrerank eval --html` (SEARCHRERANK_DLL or the
       Release build) and checks it as above; DIR defaults to a new temporary folder)
Needs Debian's chromium (apt-get install chromium); exits 1 with one line saying what is missing from the picture.
"""
import argparse, os, shutil, struct, subprocess, sys, tempfile, zlib
from pathlib import Path

BAR_GREEN, BAR_RED, MEAN_BLUE = (0x2E, 0x7D, 0x32), (0xC6, 0x28, 0x28), (0x15, 0x65, 0xC0)


def read_png(path):
    """Decodes an 8-bit, non-interlaced RGB/RGBA PNG (what Chromium writes) into rows of (r, g, b) tuples."""
    data = Path(path).read_bytes()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        sys.exit(f"{path}: not a PNG file")
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    width, height, depth, color, _, _, interlace = header
    if depth != 8 or color not in (2, 6) or interlace:
        sys.exit(f"{path}: unsupported PNG layout (depth {depth}, colour type {color}, interlace {interlace})")
    channels = 3 if color == 2 else 4
    raw, stride = zlib.decompress(idat), width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b = previous[i]
            c = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append([tuple(line[x * channels:x * channels + 3]) for x in range(width)])
        previous = line
    return width, height, rows


def near(pixel, target, tolerance=24):
    return all(abs(p - t) <= tolerance for p, t in zip(pixel, target))


def smoke_report(folder):
    """Two runs over the first 40 SciFact test queries: the baseline puts each query's relevant document at rank 1 for
    even and rank 5 for odd queries, the other run the reverse, so the chart has green and red bars and a mean."""
    root = Path(__file__).resolve().parent.parent
    folder = Path(folder or tempfile.mkdtemp(prefix="check-report-"))
    folder.mkdir(parents=True, exist_ok=True)
    qrels = root.parent / "shared" / "data" / "scifact" / "qrels" / "test.tsv"
    relevant, judged = {}, []
    for line in qrels.read_text(encoding="utf-8").splitlines()[1:]:
        query, doc, grade = line.split("\t")
        if int(grade) > 0 and query not in relevant and len(relevant) < 40:
            relevant[query] = doc
        if query in relevant:
            judged.append(line)
    qrels = folder / "test.tsv"
    qrels.write_text("query-id\tcorpus-id\tscore\n" + "\n".join(judged) + "\n", encoding="utf-8")
    runs = []
    for name, first in (("a", 0), ("b", 1)):
        lines = []
        for i, (query, doc) in enumerate(relevant.items()):
            ranked = [f"filler{k}" for k in range(9)]
            ranked.insert(0 if i % 2 == first else 4, doc)
            lines += [f"{query} Q0 {d} {r + 1} {10 - r} {name}" for r, d in enumerate(ranked)]
        path = folder / f"{name}.run"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        runs += ["--run", str(path)]
    app = os.environ.get("SEARCHRERANK_DLL", str(root / "src/Cli/bin/Release/net10.0/searchrerank.dll"))
    report = folder / "report.html"
    subprocess.run(["dotnet", app, "eval", "--qrels", str(qrels), *runs, "--metrics", "ndcg_cut_10", "--html", str(report), "--quiet"],
                   check=True, stdout=subprocess.DEVNULL, timeout=120)
    return str(report), str(folder / "report.png")


def main():
    if sys.argv[1:2] == ["--smoke"]:
        sys.argv[1:] = [*smoke_report(sys.argv[2] if len(sys.argv) > 2 else None), "--width", "1000", "--height", "800"]
    parser = argparse.ArgumentParser()
    parser.add_argument("report")
    parser.add_argument("screenshot")
    parser.add_argument("--width", type=int, default=1100)
    parser.add_argument("--height", type=int, default=1000)
    args = parser.parse_args()
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        sys.exit("chromium not found: apt-get install chromium")
    report = Path(args.report).resolve()
    if not report.is_file():
        sys.exit(f"{report}: not found")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                        f"--user-data-dir={profile}", f"--window-size={args.width},{args.height}",
                        f"--screenshot={Path(args.screenshot).resolve()}", report.as_uri()],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
    width, height, rows = read_png(args.screenshot)
    counts = {"text": 0, "green": 0, "red": 0, "blue": 0}
    for row in rows:
        for pixel in row:
            if max(pixel) < 80:
                counts["text"] += 1
            elif near(pixel, BAR_GREEN):
                counts["green"] += 1
            elif near(pixel, BAR_RED):
                counts["red"] += 1
            elif near(pixel, MEAN_BLUE):
                counts["blue"] += 1
    charts = report.read_text(encoding="utf-8").count("<svg")
    problems = [name for name, minimum in (("text", 2000), ("green", 200 * charts), ("red", 50 * charts), ("blue", 150 * charts))
                if counts[name] < minimum]
    summary = ", ".join(f"{k} {v}" for k, v in counts.items())
    if charts == 0:
        sys.exit(f"{report}: no chart in the report (one run only?)")
    if problems:
        sys.exit(f"{args.screenshot}: too few {', '.join(problems)} pixels for {charts} chart(s) ({summary})")
    print(f"{args.screenshot}: {width}x{height}, {charts} chart(s), pixels: {summary}")


if __name__ == "__main__":
    main()
