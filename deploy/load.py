"""Client load through the balancer for deploy/fault-test.py and bench/cluster-load.py: threads, each on its own
keep-alive connection, sending search + re-rank requests (GET /v1/{index}/search?rerank=true) and re-rank API requests
(POST /v1/rerank, ten passages), counting every answer that is not 200, or no answer at all, as failed."""
import http.client, json, threading, time


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(p * len(ordered) + 0.5)) - 1))] if ordered else float("nan")


class Load:
    def __init__(self, port, index, queries, passages, threads=4, requests=300, depth=20, seconds=600):
        self.port, self.index, self.queries, self.passages = port, index, queries, passages
        self.threads_n, self.requests, self.depth, self.seconds = threads, requests, depth, seconds
        self.lock = threading.Lock()
        self.sent = self.failed = self.pairs = 0
        self.latencies, self.failures = [], []
        self.stopping = threading.Event()
        self.threads = []

    def request(self, n):
        query = self.queries[n % len(self.queries)]
        if n % 2 == 0:
            from urllib.parse import quote
            return "GET", f"/v1/{self.index}/search?query={quote(query)}&hits=10&rerank=true&depth={self.depth}", None, self.depth
        documents = [self.passages[(n * 7 + i) % len(self.passages)] for i in range(10)]
        return "POST", "/v1/rerank", json.dumps({"query": query, "documents": documents, "top_n": 3}), 10

    def worker(self):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        while not self.stopping.is_set():
            with self.lock:
                if self.sent >= self.requests or time.time() > self.deadline:
                    break
                n = self.sent
                self.sent += 1
            method, path, body, pairs = self.request(n)
            started = time.perf_counter()
            try:
                connection.request(method, path, body=body, headers={"Content-Type": "application/json"} if body else {})
                response = connection.getresponse()
                payload = response.read()
                elapsed = time.perf_counter() - started
                with self.lock:
                    if response.status == 200:
                        self.latencies.append(elapsed)
                        self.pairs += pairs
                    else:
                        self.failed += 1
                        self.failures.append(f"{method} {path[:60]}: {response.status} {payload[:120]!r}")
            except (OSError, http.client.HTTPException) as error:
                with self.lock:
                    self.failed += 1
                    self.failures.append(f"{method} {path[:60]}: {error!r}")
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        connection.close()

    def start(self):
        self.deadline = time.time() + self.seconds
        self.started = time.perf_counter()
        self.threads = [threading.Thread(target=self.worker, daemon=True) for _ in range(self.threads_n)]
        for t in self.threads:
            t.start()
        return self

    def progress(self):
        with self.lock:
            return self.sent

    def wait(self):
        for t in self.threads:
            t.join()
        self.wall = time.perf_counter() - self.started
        return self

    def stop(self):
        self.stopping.set()
        return self.wait()

    def summary(self):
        ok = len(self.latencies)
        return {
            "sent": self.sent, "ok": ok, "failed": self.failed, "rps": ok / self.wall, "pairs_s": self.pairs / self.wall,
            "p50": percentile(self.latencies, 0.50) * 1000, "p99": percentile(self.latencies, 0.99) * 1000,
        }
