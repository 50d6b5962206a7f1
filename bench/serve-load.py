#!/usr/bin/env python3
"""Load on `searchrerank serve` over loopback, bounded in requests and time, next to the offline `rerank` command on
the same pairs, and an optional RSS soak. Prints a Markdown table (docs/serving.md records its figures).

Usage: bench/serve-load.py [--model DIR] [--levels 1,4,16,64] [--requests 200] [--seconds 60] [--soak 0]
                           [--max-queued-pairs 4096] [--smoke]

It indexes SciFact into a scratch folder (once), starts `serve` on 127.0.0.1 with a free port, and for each
concurrency level sends search-only and search + re-rank (top 100) requests from that many threads, each on its own
keep-alive connection, until the level's request count or time bound is reached: requests/s, pairs/s, p50/p95/p99,
errors and 429s. Then it re-ranks the same queries' BM25 top 100 with the offline `rerank` command (same model, same
pairs) for the pairs/s the service is measured against. With --soak S it then sends re-rank requests at concurrency 16
for S seconds and samples the server's RSS every 10 s. It stops the server it started in every case.
--smoke: tiny bounds (a few requests at levels 1 and 4, no soak), so the test suite checks that the script runs.
"""
import argparse, http.client, json, os, re, signal, statistics, subprocess, sys, tempfile, threading, time, urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
APP = os.environ.get("SEARCHRERANK_DLL", os.path.join(ROOT, "src/Cli/bin/Release/net10.0/searchrerank.dll"))
SHARED = os.path.join(ROOT, "..", "shared")


def load_average():
    return " ".join(open("/proc/loadavg").read().split()[:3])


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(p * len(ordered) + 0.5)) - 1))] if ordered else float("nan")


def rss_mib(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def run_level(port, paths, concurrency, requests, seconds):
    """Sends up to `requests` GETs (cycling through `paths`) from `concurrency` threads for at most `seconds`."""
    lock = threading.Lock()
    state = {"next": 0, "latencies": [], "errors": 0, "rejected": 0, "pairs": 0}
    deadline = time.time() + seconds

    def worker():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        while True:
            with lock:
                if state["next"] >= requests or time.time() > deadline:
                    break
                path = paths[state["next"] % len(paths)]
                state["next"] += 1
            started = time.perf_counter()
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                body = response.read()
                elapsed = time.perf_counter() - started
                with lock:
                    if response.status == 200:
                        state["latencies"].append(elapsed)
                        if "rerank=true" in path:
                            # Every SciFact test query has at least `depth` BM25 hits, so each request scores `depth` pairs.
                            json.loads(body)
                            state["pairs"] += int(re.search(r"depth=(\d+)", path).group(1))
                    elif response.status == 429:
                        state["rejected"] += 1
                    else:
                        state["errors"] += 1
            except (OSError, http.client.HTTPException):
                with lock:
                    state["errors"] += 1
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    lat = state["latencies"]
    return {
        "requests": len(lat) + state["errors"] + state["rejected"], "ok": len(lat), "errors": state["errors"], "429": state["rejected"],
        "rps": len(lat) / wall, "pairs_s": state["pairs"] / wall,
        "p50": percentile(lat, 0.50) * 1000, "p95": percentile(lat, 0.95) * 1000, "p99": percentile(lat, 0.99) * 1000,
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=os.path.join(ROOT, "models", "quickstart"))
    ap.add_argument("--levels", default="1,4,16,64")
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--soak", type=float, default=0)
    ap.add_argument("--max-queued-pairs", type=int, default=4096)
    ap.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "searchrerank-serve-load"))
    ap.add_argument("--smoke", action="store_true")
    a = ap.parse_args()
    if a.smoke:
        a.levels, a.requests, a.seconds, a.soak = "1,4", 8, 20, 0
    if not os.path.isdir(a.model):
        sys.exit(f"serve-load: no model at {a.model}; run ./searchrerank quickstart or give --model DIR")
    os.makedirs(a.work, exist_ok=True)
    index = os.path.join(a.work, "scifact")
    if not os.path.isdir(index):
        subprocess.run(["dotnet", APP, "index", "--corpus", os.path.join(SHARED, "data/scifact/corpus.jsonl"), "--index", index, "--quiet"], check=True)
    queries = [json.loads(l) for l in open(os.path.join(SHARED, "data/scifact/queries.jsonl"))]
    judged = {l.split("\t")[0] for l in open(os.path.join(SHARED, "data/scifact/qrels/test.tsv")).read().splitlines()[1:]}
    test = [q for q in queries if q["_id"] in judged]
    depth = 100

    server = subprocess.Popen(["dotnet", APP, "serve", "--index", f"scifact={index}", "--model", a.model, "--urls", "http://127.0.0.1:0",
                               "--max-queued-pairs", str(a.max_queued_pairs)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = server.stdout.readline()
        match = re.search(r"serving http://127\.0\.0\.1:(\d+)", line)
        if not match:
            sys.exit(f"serve-load: the server did not start: {line}{server.stderr.read()}")
        port = int(match.group(1))
        search = [f"/v1/scifact/search?query={urllib.parse.quote(q['text'])}&hits=10" for q in test]
        rerank = [p + f"&rerank=true&depth={depth}" for p in search]
        rows = []
        # Warm-up: JIT and ONNX Runtime's first runs are not the service's speed.
        run_level(port, rerank, 2, 10, 30)
        for kind, paths in (("search", search), ("search + re-rank top 100", rerank)):
            for level in [int(x) for x in a.levels.split(",")]:
                before = load_average()
                r = run_level(port, paths, level, a.requests, a.seconds)
                rows.append((kind, level, r, before, load_average()))
                print(f"{kind} c={level}: {r}", file=sys.stderr)
        soak = []
        if a.soak > 0:
            end = time.time() + a.soak
            while time.time() < end:
                run_level(port, rerank, 16, 10**9, min(10, end - time.time()))
                soak.append(rss_mib(server.pid))
        rss = rss_mib(server.pid)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()

    # The offline command on the same pairs: each test query's BM25 top 100.
    bm25 = os.path.join(a.work, "bm25.run")
    qfile = os.path.join(a.work, "test-queries.jsonl")
    with open(qfile, "w") as f:
        for q in test:
            f.write(json.dumps(q) + "\n")
    subprocess.run(["dotnet", APP, "search", "--index", index, "--queries", qfile, "-k", str(depth), "--out", bm25, "--quiet"], check=True)
    limit = min(len(test), a.requests)
    if limit < len(test):
        keep = {q["_id"] for q in test[:limit]}
        with open(bm25) as f:
            lines = [l for l in f if l.split()[0] in keep]
        with open(bm25, "w") as f:
            f.writelines(lines)
    before = load_average()
    offline = subprocess.run(["dotnet", APP, "rerank", "--run", bm25, "--queries", qfile, "--index", index, "--model", a.model,
                              "--depth", str(depth), "--out", os.path.join(a.work, "ce.run")], capture_output=True, text=True, check=True)
    offline_rate = float(re.search(r"\(([\d.]+) pairs/s\)", offline.stdout).group(1))

    print(f"| workload | concurrency | requests (ok / 429 / errors) | requests/s | pairs/s | × offline | p50 / p95 / p99 ms | load average before → after |")
    print("| --- | ---: | --- | ---: | ---: | ---: | --- | --- |")
    for kind, level, r, before_level, after_level in rows:
        ratio = f"{r['pairs_s'] / offline_rate:.2f}" if r["pairs_s"] else "–"
        print(f"| {kind} | {level} | {r['requests']} ({r['ok']} / {r['429']} / {r['errors']}) | {r['rps']:.1f} | {r['pairs_s']:.0f} | {ratio} | "
              f"{r['p50']:.1f} / {r['p95']:.1f} / {r['p99']:.1f} | {before_level} → {after_level} |")
    print(f"\noffline `rerank` on {limit} queries × top {depth}: {offline_rate:.1f} pairs/s (load average {before} → {load_average()})")
    print(f"server RSS at the end: {rss:.0f} MiB" + (f"; soak at concurrency 16, every 10 s: {', '.join(f'{x:.0f}' for x in soak)} MiB" if soak else ""))


if __name__ == "__main__":
    main()
