#!/usr/bin/env python3
"""Fault tests of a primary, two read replicas and HAProxy on loopback (deploy/haproxy.cfg, deploy/cluster.py), under
client load through the balancer, printing a Markdown table of the counts (docs/deploy.md records a run).

Usage: deploy/fault-test.py [--smoke] [--model DIR] [--work DIR] [--requests N] [--port-offset N]

1. replication lag: documents written through the balancer (to the primary), each timed until a search on every
   replica finds it;
2. `kill -9` one replica under load, restart it: failed client requests (target 0: HAProxy replays reads on the other
   replica), HAProxy's retries, and whether the restarted replica caught up with the primary's revision and took
   requests again;
3. a new model version, rolled out replica by replica under load (SIGTERM with --drain-delay, restart with the new
   --model, wait for /readyz): failed requests (target 0), and the model each replica then serves;
4. `kill -9` the primary in the middle of a bulk import (NDJSON chunks through the balancer) under read load: what the
   replicas serve meanwhile (a whole revision: CheckIndex on their folders), the restarted primary resuming the import
   (the chunk in flight is resent: writes are idempotent by document id), and the document counts converging.

SciFact's corpus (../shared/data/scifact) is cut into a seed index and an import; the model defaults to the
random-weight reference cross-encoder (load, not quality, is the point). Exit code 1 when any check fails, 2 when
haproxy is missing. --smoke: small counts, for the test suite (tests/Cli.Tests/ClusterFaultTests.cs).
"""
import argparse, http.client, json, os, random, shutil, signal, socket, statistics, subprocess, sys, tempfile, threading, time, urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cluster import APP, Cluster, get_json  # noqa: E402
from load import Load  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(ROOT, "..", "shared")
NAME = "scifact"


def load_average():
    return " ".join(open("/proc/loadavg").read().split()[:3])


def free_offset():
    """A port offset whose five ports (balancer, stats, three services) are all free."""
    for _ in range(50):
        offset = random.randrange(100, 4000) * 10
        ports = [8090 + offset, 8091 + offset, 8092 + offset, 8093 + offset, 8099 + offset]
        if all(port_free(p) for p in ports):
            return offset
    sys.exit("fault-test: found no free block of ports")


def port_free(port):
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def request(port, method, path, body=None, key=None, content_type="application/json", timeout=120):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        headers = {"Content-Type": content_type}
        if key:
            headers["Authorization"] = f"Bearer {key}"
        connection.request(method, path, body=body.encode() if isinstance(body, str) else body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def hits(cluster, member, query):
    status, body = get_json(cluster.url(member) + f"/v1/{NAME}/search?query={urllib.parse.quote(query)}&hits=3")
    return [c["docid"] for c in body["candidates"]] if status == 200 else []


def retries(cluster):
    backend = cluster.balancer_stats()[("replicas", "BACKEND")]
    return int(backend["wretr"] or 0) + int(backend["wredis"] or 0)


def served(cluster, member):
    return int(cluster.balancer_stats()[("replicas", member)]["stot"] or 0)


def check_index(folder):
    result = subprocess.run(["dotnet", APP, "stats", "--index", folder, "--check"], capture_output=True, text=True)
    return result.stdout.strip().splitlines()[-1] if result.returncode == 0 else f"exit {result.returncode}: {result.stderr.strip()[:200]}"


def wait_until(condition, timeout, what):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    raise RuntimeError(f"not within {timeout} s: {what}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=os.path.join(SHARED, "reference", "tiny-bert-ce"))
    ap.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "searchrerank-fault-test"))
    ap.add_argument("--requests", type=int, default=400, help="client requests per load scenario")
    ap.add_argument("--port-offset", type=int, help="added to every port of deploy/haproxy.cfg (default: a free block)")
    ap.add_argument("--smoke", action="store_true")
    a = ap.parse_args()
    if shutil.which("haproxy") is None:
        print("fault-test: haproxy is not installed: run scripts/setup.sh as root (it installs Debian's haproxy), or 'apt-get install haproxy'", file=sys.stderr)
        sys.exit(2)
    seed_n, import_n, chunk, lag_writes, depth, kill_after = (300, 1200, 200, 5, 10, 2) if a.smoke else (1000, 4183, 500, 20, 20, 3)
    requests = 120 if a.smoke else a.requests
    shutil.rmtree(a.work, ignore_errors=True)
    os.makedirs(a.work)

    corpus = open(os.path.join(SHARED, "data/scifact/corpus.jsonl")).read().splitlines()[: seed_n + import_n]
    seed, rest = corpus[:seed_n], corpus[seed_n:]
    with open(os.path.join(a.work, "seed.jsonl"), "w") as f:
        f.write("\n".join(seed) + "\n")
    queries = [json.loads(l)["text"] for l in open(os.path.join(SHARED, "data/scifact/queries.jsonl"))][:200]
    passages = [json.loads(l)["text"][:600] for l in corpus[:400]]
    primary_index = os.path.join(a.work, "primary-index")
    subprocess.run(["dotnet", APP, "index", "--corpus", os.path.join(a.work, "seed.jsonl"), "--index", primary_index, "--quiet"], check=True)
    model_v2 = os.path.join(a.work, "models", "reranker-v2")
    shutil.copytree(a.model, model_v2)

    cluster = Cluster(primary_index, NAME, a.model, os.path.join(a.work, "run"), port_offset=a.port_offset if a.port_offset is not None else free_offset())
    key = cluster.api_key
    rows, failures = [], []

    def check(ok, message):
        if not ok:
            failures.append(message)

    try:
        cluster.start()

        # 1. Replication lag: write through the balancer, time until every replica's search finds the document.
        before = load_average()
        lags = []
        for i in range(lag_writes):
            token = f"lagprobe{i}x{random.randrange(10**6)}"
            started = time.perf_counter()
            status, body = request(cluster.front_port, "PUT", f"/v1/{NAME}/doc/lag-{i}", json.dumps({"text": f"{token} replication probe"}), key)
            check(status == 200, f"lag write {i}: {status} {body[:200]!r}")
            for member in cluster.replicas():
                wait_until(lambda: hits(cluster, member, token) == [f"lag-{i}"], 10, f"lag-{i} on {member}")
            lags.append(time.perf_counter() - started)
        rows.append(("write → visible on both replicas", f"{lag_writes} writes", "–", "–",
                     f"median {statistics.median(lags) * 1000:.0f} ms, max {max(lags) * 1000:.0f} ms (PUT answered after the commit; replicas poll every {cluster.poll_interval} s)",
                     f"{before} → {load_average()}"))
        check(max(lags) <= 2.0, f"replication lag {max(lags):.2f} s exceeds 2 s")

        # 2. kill -9 a replica under load; restart it; it catches up and takes requests again.
        before, retried = load_average(), retries(cluster)
        load = Load(cluster.front_port, NAME, queries, passages, threads=4, requests=requests, depth=depth).start()
        wait_until(lambda: load.progress() >= requests // 4, 120, "a quarter of the load")
        cluster.kill("replica1")
        wait_until(lambda: load.progress() >= requests // 2, 120, "half of the load")
        cluster.start_member("replica1")
        primary_revision = cluster.ready("primary")[1]["indexes"][NAME]["published_revision"]
        replica_revision = cluster.ready("replica1")[1]["indexes"][NAME]["replication"]["revision"]
        wait_until(lambda: cluster.balancer_status("replica1") == "UP", 10, "replica1 UP in HAProxy")
        rejoined = served(cluster, "replica1")
        load.wait()
        after = served(cluster, "replica1") - rejoined
        summary = load.summary()
        rows.append(("`kill -9` replica1 under load, restart", f"{summary['sent']} requests", str(summary["failed"]), str(retries(cluster) - retried),
                     f"restarted replica1 at revision {replica_revision} = primary's {primary_revision}; {after} requests served after it rejoined",
                     f"{before} → {load_average()}"))
        check(summary["failed"] == 0, f"replica kill: {summary['failed']} failed requests: {load.failures[:3]}")
        check(replica_revision == primary_revision, f"replica1 came back at {replica_revision}, primary at {primary_revision}")
        check(after > 0, "replica1 took no request after it rejoined")

        # 3. Rolling model update, replica by replica, under load.
        before, retried = load_average(), retries(cluster)
        load = Load(cluster.front_port, NAME, queries, passages, threads=4, requests=requests, depth=depth).start()
        for member in cluster.replicas():
            wait_until(lambda: load.progress() >= requests // 5, 120, "load under way")
            cluster.stop_member(member)
            cluster.start_member(member, model=model_v2)
            wait_until(lambda: cluster.balancer_status(member) == "UP", 10, f"{member} UP in HAProxy")
        load.wait()
        summary = load.summary()
        models = {m: cluster.ready(m)[1]["model"] for m in cluster.replicas()}
        rows.append(("rolling model update (SIGTERM + drain, restart with --model v2), both replicas", f"{summary['sent']} requests", str(summary["failed"]),
                     str(retries(cluster) - retried), "models now: " + ", ".join(f"{m} {v}" for m, v in models.items()), f"{before} → {load_average()}"))
        check(summary["failed"] == 0, f"rolling update: {summary['failed']} failed requests: {load.failures[:3]}")
        check(set(models.values()) == {"reranker-v2"}, f"models after the rollout: {models}")

        # 4. kill -9 the primary in the middle of a bulk import, under read load.
        before, retried = load_average(), retries(cluster)
        base = cluster.documents("primary")
        load = Load(cluster.front_port, NAME, queries, passages, threads=2, requests=10**6, depth=depth, seconds=300).start()
        chunks = [rest[i:i + chunk] for i in range(0, len(rest), chunk)]

        resent = []

        def send(number, retry=True):
            # An importer's loop: a chunk the balancer could not place (the primary down: 502/503, or no answer) is sent
            # again until the primary is back; resending a committed chunk only replaces its documents by id.
            deadline = time.time() + 60
            while True:
                try:
                    status, body = request(cluster.front_port, "POST", f"/v1/{NAME}/bulk", "\n".join(chunks[number]) + "\n", key, "application/x-ndjson")
                except OSError as error:
                    status, body = None, repr(error).encode()
                if status == 200 or not retry or time.time() > deadline:
                    return status, body
                resent.append(number)
                time.sleep(0.2)

        for number in range(kill_after):
            status, body = send(number)
            check(status == 200, f"bulk chunk {number}: {status} {body[:200]!r}")
        in_flight = {}
        thread = threading.Thread(target=lambda: in_flight.update(result=send(kill_after, retry=False)))
        thread.start()
        time.sleep(0.05)
        cluster.kill("primary")
        thread.join()
        cut_off = in_flight.get("result", (None,))[0]
        time.sleep(1)
        during = {m: cluster.ready(m) for m in cluster.replicas()}
        whole = [base + n * chunk for n in range(len(chunks) + 1)]
        for member, (status, body) in during.items():
            check(status == 200, f"{member} not ready with the primary down: {status}")
            check(body["indexes"][NAME]["documents"] in whole, f"{member} holds {body['indexes'][NAME]['documents']} documents: not a whole chunk count")
        checks = {m: check_index(cluster.replica_folder(m)) for m in cluster.replicas()}
        checks["primary"] = check_index(primary_index)
        for member, line in checks.items():
            check(line.startswith("CheckIndex: clean"), f"{member}: {line}")
        committed = int(subprocess.run(["dotnet", APP, "stats", "--index", primary_index], capture_output=True, text=True).stdout.split("documents")[1].split("│")[1].strip().replace(",", ""))
        cluster.start_member("primary")
        for number in range(kill_after, len(chunks)):
            status, body = send(number)
            check(status == 200, f"bulk chunk {number} after the restart: {status} {body[:200]!r}")
        expected = base + len(rest)
        try:
            wait_until(lambda: all(cluster.documents(m) == expected for m in ["primary", *cluster.replicas()]), 30, "replicas converging")
        except RuntimeError as error:
            failures.append(str(error))
        load.stop()
        summary = load.summary()
        found = {m: cluster.documents(m) for m in ["primary", *cluster.replicas()]}
        rows.append(("`kill -9` primary mid-import (chunks of %d), restart, resume" % chunk, f"{summary['sent']} reads during it", str(summary["failed"]),
                     str(retries(cluster) - retried),
                     f"chunk {kill_after + 1} of {len(chunks)} cut off (answer: {cut_off}), resent {len(resent)} times until the restarted primary took it; with the primary down the replicas served "
                     + ", ".join(f"{m} {b['indexes'][NAME]['documents']}" for m, (_, b) in during.items())
                     + f" documents (primary's last commit: {committed}); CheckIndex: " + ", ".join(f"{m} {l.split(' (')[0].replace('CheckIndex: ', '')}" for m, l in checks.items())
                     + f"; documents expected {expected}, found " + ", ".join(f"{m} {n}" for m, n in found.items()),
                     f"{before} → {load_average()}"))
        check(summary["failed"] == 0, f"reads during the primary's outage: {summary['failed']} failed: {load.failures[:3]}")
    except Exception as error:
        failures.append(f"{type(error).__name__}: {error}")
    finally:
        cluster.stop()

    print(f"fault test{' (smoke)' if a.smoke else ''}: SciFact seed {seed_n} + import {import_n} documents, model {os.path.basename(a.model.rstrip('/'))}, "
          f"search + re-rank depth {depth} and /v1/rerank of 10 passages, 4 client threads through HAProxy; {os.cpu_count()} cores")
    print()
    print("| fault | sent | failed | retried by HAProxy | outcome | load average before → after |")
    print("| --- | ---: | ---: | ---: | --- | --- |")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    if failures:
        print("\nFAILED:\n- " + "\n- ".join(failures))
        sys.exit(1)
    print("\nall checks passed")


if __name__ == "__main__":
    main()
