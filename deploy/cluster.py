#!/usr/bin/env python3
"""A SearchRerank primary, two read replicas and HAProxy on loopback, on the ports deploy/haproxy.cfg names.

Usage: deploy/cluster.py start --index DIR [--name scifact] [--model DIR] [--run DIR] [--api-key KEY]
       deploy/cluster.py status [--run DIR]
       deploy/cluster.py stop [--run DIR]

`start` serves DIR from the primary (`serve --publish`), starts the replicas (`serve --replica-of`) on folders of
their own under the run folder (default /tmp/searchrerank-cluster), waits until each says ready on /readyz, then starts
HAProxy with deploy/haproxy.cfg and returns; the process ids go to RUN/cluster.json. `stop` stops them all (SIGTERM,
then SIGKILL after 20 s). `status` prints each one's /readyz. The services log to RUN/NAME.log.

As a module (deploy/fault-test.py, bench/cluster-load.py): Cluster(...).start() / .stop(), with a port offset so a
test's cluster never meets one an operator runs.
"""
import argparse, json, os, re, shutil, signal, subprocess, sys, time, urllib.error, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
APP = os.environ.get("SEARCHRERANK_DLL", os.path.join(ROOT, "src/Cli/bin/Release/net10.0/searchrerank.dll"))
CONFIG = os.path.join(ROOT, "deploy", "haproxy.cfg")
SERVER = re.compile(r"^\s*server\s+(\S+)\s+127\.0\.0\.1:(\d+)", re.M)


def config_ports(text):
    """The frontend's, the stats page's and each server's port, as haproxy.cfg names them."""
    binds = re.findall(r"^\s*bind\s+127\.0\.0\.1:(\d+)", text, re.M)
    servers = {}
    for name, port in SERVER.findall(text):
        servers[name] = int(port)
    return int(binds[0]), int(binds[1]), servers


def get_json(url, timeout=5):
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")
    except (OSError, ValueError):
        return None, None


class Cluster:
    def __init__(self, index, name="scifact", model=None, run="/tmp/searchrerank-cluster", api_key="cluster-key", port_offset=0,
                 drain_delay=1.0, poll_interval=0.25, extra_args=()):
        self.index, self.name, self.model, self.run, self.api_key = index, name, model, run, api_key
        self.drain_delay, self.poll_interval, self.extra_args = drain_delay, poll_interval, list(extra_args)
        os.makedirs(run, exist_ok=True)
        text = open(CONFIG).read()
        if port_offset:
            text = re.sub(r"127\.0\.0\.1:(\d+)", lambda m: f"127.0.0.1:{int(m.group(1)) + port_offset}", text)
        self.config = os.path.join(run, "haproxy.cfg")
        with open(self.config, "w") as f:
            f.write(text)
        self.front_port, self.stats_port, self.ports = config_ports(text)
        self.processes = {}

    # -- addresses ---------------------------------------------------------------------------------------------------
    def url(self, member):
        return f"http://127.0.0.1:{self.ports[member]}"

    @property
    def front(self):
        return f"http://127.0.0.1:{self.front_port}"

    def replica_folder(self, member):
        return os.path.join(self.run, f"{member}-index")

    def replicas(self):
        return [m for m in self.ports if m != "primary"]

    # -- processes ---------------------------------------------------------------------------------------------------
    def command(self, member, model=None):
        model = model or self.model
        args = ["dotnet", APP, "serve", "--urls", self.url(member), "--api-key", self.api_key, "--drain-delay", str(self.drain_delay)]
        args += ["--model", model] if model else ["--no-model"]
        if member == "primary":
            args += ["--publish", "--index", f"{self.name}={self.index}"]
        else:
            args += ["--replica-of", self.url("primary"), "--poll-interval", str(self.poll_interval), "--index", f"{self.name}={self.replica_folder(member)}"]
        return args + self.extra_args

    def start_member(self, member, model=None, wait=True):
        log = open(os.path.join(self.run, f"{member}.log"), "a")
        # A session of its own: a signal meant for the script (Ctrl-C) does not reach the services, and stop() ends each.
        process = subprocess.Popen(self.command(member, model), stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.processes[member] = process
        if wait:
            self.wait_ready(member)
        return process

    def wait_ready(self, member, timeout=90):
        deadline = time.time() + timeout
        while time.time() < deadline:
            process = self.processes.get(member)
            if process is not None and process.poll() is not None:
                raise RuntimeError(f"{member} exited with {process.returncode}; see {self.run}/{member}.log")
            status, _ = get_json(self.url(member) + "/readyz", timeout=2)
            if status == 200:
                return
            time.sleep(0.1)
        raise RuntimeError(f"{member} not ready on {self.url(member)}/readyz within {timeout} s; see {self.run}/{member}.log")

    def start_balancer(self):
        if shutil.which("haproxy") is None:
            raise RuntimeError("haproxy is not installed: run scripts/setup.sh as root (it installs Debian's haproxy), or 'apt-get install haproxy'")
        log = open(os.path.join(self.run, "haproxy.log"), "a")
        self.processes["haproxy"] = subprocess.Popen(["haproxy", "-db", "-f", self.config], stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.time() + 20
        while time.time() < deadline:
            if self.processes["haproxy"].poll() is not None:
                raise RuntimeError(f"haproxy exited with {self.processes['haproxy'].returncode}; see {self.run}/haproxy.log")
            if get_json(self.front + "/readyz", timeout=2)[0] == 200 and all(self.balancer_status(m) == "UP" for m in self.replicas()):
                return
            time.sleep(0.1)
        raise RuntimeError(f"haproxy did not answer on {self.front} with both replicas up within 20 s")

    def start(self):
        self.start_member("primary")
        for member in self.replicas():
            self.start_member(member, wait=False)
        for member in self.replicas():
            self.wait_ready(member)
        self.start_balancer()
        self.save()

    def kill(self, member, sig=signal.SIGKILL):
        process = self.processes[member]
        os.kill(process.pid, sig)
        if sig == signal.SIGKILL:
            process.wait()

    def stop_member(self, member, timeout=20):
        process = self.processes.pop(member, None)
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def stop(self):
        for member in ["haproxy", *self.replicas(), "primary"]:
            self.stop_member(member)
        state = os.path.join(self.run, "cluster.json")
        if os.path.exists(state):
            os.remove(state)

    def save(self):
        with open(os.path.join(self.run, "cluster.json"), "w") as f:
            json.dump({m: p.pid for m, p in self.processes.items()}, f)

    # -- what the balancer and the services say ---------------------------------------------------------------------
    def balancer_stats(self):
        """HAProxy's CSV statistics by (proxy, server): status, requests (stot), retries (wretr), redispatches (wredis)."""
        with urllib.request.urlopen(f"http://127.0.0.1:{self.stats_port}/stats;csv", timeout=5) as response:
            lines = response.read().decode().splitlines()
        header = lines[0].lstrip("# ").split(",")
        rows = {}
        for line in lines[1:]:
            row = dict(zip(header, line.split(",")))
            rows[(row["pxname"], row["svname"])] = row
        return rows

    def balancer_status(self, member):
        try:
            return self.balancer_stats()[("replicas", member)]["status"]
        except (OSError, KeyError):
            return None

    def ready(self, member):
        return get_json(self.url(member) + "/readyz")

    def documents(self, member):
        status, body = self.ready(member)
        return body["indexes"][self.name]["documents"] if body else None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("action", choices=["start", "status", "stop"])
    ap.add_argument("--index", help="the primary's index folder (start)")
    ap.add_argument("--name", default="scifact")
    ap.add_argument("--model")
    ap.add_argument("--run", default="/tmp/searchrerank-cluster")
    ap.add_argument("--api-key", default=os.environ.get("SEARCHRERANK_API_KEY", "cluster-key"))
    a = ap.parse_args()
    state = os.path.join(a.run, "cluster.json")
    if a.action == "start":
        if not a.index:
            sys.exit("cluster: start needs --index DIR (the primary's index)")
        if os.path.exists(state):
            sys.exit(f"cluster: {state} exists: a cluster runs already; 'deploy/cluster.py stop --run {a.run}' first")
        cluster = Cluster(a.index, a.name, a.model, a.run, a.api_key)
        try:
            cluster.start()
        except Exception as error:
            cluster.stop()
            sys.exit(f"cluster: {error}")
        print(f"cluster: HAProxy on {cluster.front} (stats {cluster.front.rsplit(':', 1)[0]}:{cluster.stats_port}/stats); "
              + ", ".join(f"{m} {cluster.url(m)}" for m in cluster.ports) + f"; stop with 'deploy/cluster.py stop --run {a.run}'")
        return
    if not os.path.exists(state):
        sys.exit(f"cluster: no cluster in {a.run} (no cluster.json)")
    pids = json.load(open(state))
    if a.action == "status":
        text = open(os.path.join(a.run, "haproxy.cfg")).read()
        _, _, ports = config_ports(text)
        for member, port in ports.items():
            print(member, get_json(f"http://127.0.0.1:{port}/readyz"))
        return
    for member in ["haproxy", *(m for m in pids if m not in ("haproxy", "primary")), "primary"]:
        if member in pids:
            try:
                os.kill(pids[member], signal.SIGTERM)
            except ProcessLookupError:
                continue
            deadline = time.time() + 20
            while time.time() < deadline and os.path.exists(f"/proc/{pids[member]}") and "zombie" not in open(f"/proc/{pids[member]}/status").read():
                time.sleep(0.1)
            if os.path.exists(f"/proc/{pids[member]}"):
                try:
                    os.kill(pids[member], signal.SIGKILL)
                except ProcessLookupError:
                    pass
    os.remove(state)
    print("cluster: stopped")


if __name__ == "__main__":
    main()
