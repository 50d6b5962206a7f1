#!/usr/bin/env python3
"""Throughput and latency through HAProxy with two read replicas, then one, and straight to one replica without the
balancer, on the same machine (deploy/haproxy.cfg, deploy/cluster.py; docs/deploy.md records a run).

Usage: bench/cluster-load.py [--model DIR] [--requests 300] [--levels 4,16] [--depth 50] [--work DIR]

It indexes SciFact into the primary's folder, starts the primary, two replicas and HAProxy on a free block of ports,
and sends the same mix as deploy/fault-test.py (search + re-rank of the top `depth`, and /v1/rerank of ten passages)
at each concurrency level; then it stops replica2 (SIGTERM, drained) and repeats; then it sends to replica1 directly.
"""
import argparse, json, os, sys, tempfile, time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "deploy"))
import importlib.util  # noqa: E402
from cluster import APP, Cluster  # noqa: E402
from load import Load  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(ROOT, "..", "shared")
spec = importlib.util.spec_from_file_location("fault_test", os.path.join(ROOT, "deploy", "fault-test.py"))
fault_test = importlib.util.module_from_spec(spec)
spec.loader.exec_module(fault_test)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=os.path.join(SHARED, "reference", "tiny-bert-ce"))
    ap.add_argument("--requests", type=int, default=300)
    ap.add_argument("--levels", default="4,16")
    ap.add_argument("--depth", type=int, default=50)
    ap.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "searchrerank-cluster-load"))
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    index = os.path.join(a.work, "scifact")
    if not os.path.isdir(index):
        import subprocess
        subprocess.run(["dotnet", APP, "index", "--corpus", os.path.join(SHARED, "data/scifact/corpus.jsonl"), "--index", index, "--quiet"], check=True)
    queries = [json.loads(l)["text"] for l in open(os.path.join(SHARED, "data/scifact/queries.jsonl"))]
    passages = [json.loads(l)["text"][:600] for l in open(os.path.join(SHARED, "data/scifact/corpus.jsonl")).read().splitlines()[:400]]
    run = os.path.join(a.work, "run")
    import shutil
    shutil.rmtree(run, ignore_errors=True)
    cluster = Cluster(index, "scifact", a.model, run, port_offset=fault_test.free_offset())
    rows = []

    def measure(setup, port):
        for level in [int(x) for x in a.levels.split(",")]:
            before = fault_test.load_average()
            s = Load(port, "scifact", queries, passages, threads=level, requests=a.requests, depth=a.depth, seconds=300).start().wait().summary()
            rows.append(f"| {setup} | {level} | {s['sent']} ({s['ok']} / {s['failed']}) | {s['rps']:.1f} | {s['pairs_s']:.0f} | {s['p50']:.0f} / {s['p99']:.0f} | {before} → {fault_test.load_average()} |")

    try:
        cluster.start()
        measure("HAProxy, 2 replicas", cluster.front_port)
        cluster.stop_member("replica2")
        deadline = time.time() + 10
        while cluster.balancer_status("replica2") not in ("DOWN", "MAINT") and time.time() < deadline:
            time.sleep(0.1)
        measure("HAProxy, 1 replica", cluster.front_port)
        measure("replica1 directly", cluster.ports["replica1"])
    finally:
        cluster.stop()
    print(f"cluster load: SciFact (5,183 documents), model {os.path.basename(a.model.rstrip('/'))}, half search + re-rank of the top {a.depth}, "
          f"half /v1/rerank of 10 passages; {a.requests} requests a level; {os.cpu_count()} cores shared by the services, HAProxy and this client\n")
    print("| setup | concurrency | requests (ok / failed) | requests/s | pairs/s | p50 / p99 ms | load average before → after |")
    print("| --- | ---: | --- | ---: | ---: | --- | --- |")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
