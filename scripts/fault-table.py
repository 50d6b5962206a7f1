#!/usr/bin/env python3
"""Tries the console tool as a hostile user would, with real processes, and prints the fault table of
docs/robustness.md: each fault, how often it was tried, the exit codes and the one line the tool printed.

Usage: scripts/fault-table.py [--out DIR] [--writers 10] [--signals 3] [--smoke]
--smoke: only the faults that need no process to interrupt (damaged stored fields, bad inputs; one bad score) on the
first 500 SciFact documents, then checks the table's shape: seconds, for the test suite.
Needs the built tool (./searchrerank builds it), ../shared/data/scifact, python3; root for the disk-full row (a 12 MiB
tmpfs is mounted under DIR and unmounted afterwards; without the right to mount, that row says so). Takes about
5 minutes on 2 cores. Everything it makes stays under DIR (default: a new temporary folder), which it removes at the end.
"""
import argparse, os, re, shutil, signal, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
APP = os.environ.get("SEARCHRERANK_DLL", os.path.join(ROOT, "src/Cli/bin/Release/net10.0/searchrerank.dll"))
DATA = os.path.join(ROOT, "..", "shared", "data")
ENV = dict(os.environ, SEARCHRERANK_PROGRESS_SECONDS="1")


def tool(*args):
    return ["dotnet", APP, *args]


def start(*args):
    # Signals reset to their defaults: a script started in the background would otherwise pass on an ignored SIGINT.
    return subprocess.Popen(tool(*args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV,
                            preexec_fn=lambda: (signal.signal(signal.SIGINT, signal.SIG_DFL), signal.signal(signal.SIGTERM, signal.SIG_DFL)))


def run(*args, timeout=600):
    p = subprocess.run(tool(*args), capture_output=True, text=True, env=ENV, timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def last_line(text):
    lines = [l for l in text.strip().splitlines() if l.strip()]
    return lines[-1] if lines else ""


def error_lines(stderr):
    return [l for l in stderr.splitlines() if l.startswith("error:") or l.startswith("stopped by") or l.startswith("warning:")]


def documents(index):
    code, out, _ = run("stats", "--index", index)
    m = re.search(r"documents\s+│\s+([\d,]+)", out)
    return int(m.group(1).replace(",", "")) if code == 0 and m else None


def check(index):
    code, out, err = run("stats", "--index", index, "--check")
    return code == 0, last_line(out + err)


def wait_for_commit(index, minimum, limit=60):
    deadline = time.time() + limit
    while time.time() < deadline:
        n = documents(index) if os.path.exists(os.path.join(index, "segments.gen")) else None
        if n is not None and n >= minimum:
            return n
        time.sleep(0.2)
    return None


def short(text, width=150):
    text = text.replace("|", "\\|")
    return text if len(text) <= width else text[:width - 1] + "…"


def interrupted_and_concurrent(a, work, row, scifact):
    """Faults 1-4 (and 7 after the others): processes interrupted or run side by side on 100,000 documents, training
    stopped by signals, a full disk. Minutes, not part of --smoke."""
    corpus = os.path.join(work, "zipf", "corpus.jsonl")
    subprocess.run([sys.executable, os.path.join(ROOT, "scripts/gen-zipf-corpus.py"), "100000", os.path.join(work, "zipf")],
                   check=True, capture_output=True)

    # 1. Two writers on one folder.
    outcomes, lines, intact = [], set(), 0
    for i in range(a.writers):
        index = os.path.join(work, f"two-{i}")
        first = start("index", "--corpus", corpus, "--index", index, "--batch-size", "5000")
        wait_for_commit(index, 1)
        code, _, err = run("index", "--corpus", corpus, "--index", index)
        outcomes.append(code)
        lines.add(re.sub(r"process \d+", "process PID", re.sub(re.escape(index), "DIR", last_line(err))))
        first.communicate()
        ok, _ = check(index)
        intact += first.returncode == 0 and ok and documents(index) == 100_000
        shutil.rmtree(index)
    row("second `index` on a folder being imported (100,000 docs)", a.writers,
        f"second: {sorted(set(outcomes))}", " / ".join(sorted(lines)),
        f"first writer completed a clean 100,000-document index {intact}/{a.writers} times")

    # 2. SIGINT / SIGTERM on index.
    for sig in (signal.SIGINT, signal.SIGTERM):
        index = os.path.join(work, f"sig-{sig.name}")
        codes, stop_times, consistent, line = [], [], 0, ""
        for _ in range(a.signals):
            p = start("index", "--corpus", corpus, "--index", index, "--batch-size", "5000")
            before = documents(index) or 0 if os.path.exists(index) else 0
            wait_for_commit(index, before + 5000)
            sent = time.time()
            p.send_signal(sig)
            _, err = p.communicate()
            stop_times.append(time.time() - sent)
            codes.append(p.returncode)
            line = last_line(err)
            m = re.search(r"\(([\d,]+) documents\)", line)
            ok, _ = check(index)
            consistent += bool(m) and ok and int(m.group(1).replace(",", "")) == documents(index)
        code, out, _ = run("index", "--corpus", corpus, "--index", index)
        row(f"{sig.name} during `index` (100,000 docs, batches of 5,000)", a.signals, f"{sorted(set(codes))}",
            re.sub(re.escape(work), "DIR", line),
            f"stopped within {max(stop_times):.2f} s; the count said = the count found, CheckIndex clean: {consistent}/{a.signals}; "
            f"rerun: {short(re.sub(re.escape(work), 'DIR', last_line(out)), 90)}")
        shutil.rmtree(index)

    # 3. SIGINT / SIGTERM on train (the quickstart recipe on SciFact).
    run("index", "--corpus", os.path.join(DATA, "scifact/corpus.jsonl"), "--index", scifact)
    for sig in (signal.SIGINT, signal.SIGTERM):
        model = os.path.join(work, f"train-{sig.name}")
        codes, exact, line = [], 0, ""
        for attempt in range(a.signals):
            args = ["train", "--recipe", os.path.join(ROOT, "recipes/quickstart.json"), "--index", scifact,
                    "--queries", os.path.join(DATA, "scifact/queries.jsonl"), "--qrels", os.path.join(DATA, "scifact/qrels/train.tsv"),
                    "--out", model, "--threads", "2"] + (["--resume"] if attempt else [])
            p = start(*args)
            log = os.path.join(model, "train_log.jsonl")
            steps_before = sum(1 for l in open(log) if '"type":"step"' in l) if os.path.exists(log) else 0
            deadline = time.time() + 120
            while time.time() < deadline:
                steps = sum(1 for l in open(log) if '"type":"step"' in l) if os.path.exists(log) else 0
                if steps >= steps_before + 15:
                    break
                time.sleep(0.2)
            p.send_signal(sig)
            _, err = p.communicate()
            codes.append(p.returncode)
            line = last_line(err)
            steps = sum(1 for l in open(log) if '"type":"step"' in l)
            m = re.search(r"stage 0 step (\d+)\)", line)
            exact += bool(m) and int(m.group(1)) == steps
        row(f"{sig.name} during `train` (quickstart recipe)", a.signals, f"{sorted(set(codes))}",
            re.sub(re.escape(work), "DIR", line), f"checkpoint step = last logged step (nothing to redo on --resume): {exact}/{a.signals}")

    # 4. Disk full on a 12 MiB tmpfs.
    small = os.path.join(work, "small")
    os.makedirs(small)
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=12m", "tmpfs", small], capture_output=True).returncode == 0:
        try:
            code, _, err = run("index", "--corpus", corpus, "--index", os.path.join(small, "ix"), "--batch-size", "5000")
            ok, report = check(os.path.join(small, "ix"))
            row("`index` onto a full disk (12 MiB tmpfs)", 1, str(code), re.sub(re.escape(work), "DIR", last_line(err)),
                f"index opens at its last commit: {documents(os.path.join(small, 'ix'))} documents; CheckIndex: {'clean' if ok else report}")
        finally:
            subprocess.run(["umount", small])
    else:
        row("`index` onto a full disk", 0, "–", "not run: this user may not mount a tmpfs", "")


def kill_in_merge(work, row):
    corpus = os.path.join(work, "zipf", "corpus.jsonl")
    index = os.path.join(work, "merge")
    p = start("index", "--corpus", corpus, "--index", index, "--batch-size", "5000")
    deadline = time.time() + 120
    while time.time() < deadline and p.poll() is None:
        n = documents(index) if os.path.exists(os.path.join(index, "segments.gen")) else 0
        if n == 100_000:
            break
        time.sleep(0.05)
    p.send_signal(signal.SIGKILL)
    p.communicate()
    code, out, _ = run("index", "--corpus", corpus, "--index", index)
    row("`kill -9` after the last batch's commit (in the final merge), then the same `index`", 1, str(code),
        re.sub(re.escape(work), "DIR", last_line(out)), f"{documents(index)} documents")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out")
    ap.add_argument("--writers", type=int, default=10)
    ap.add_argument("--signals", type=int, default=3)
    ap.add_argument("--smoke", action="store_true")
    a = ap.parse_args()
    work = a.out or tempfile.mkdtemp(prefix="fault-table-")
    os.makedirs(work, exist_ok=True)
    rows = []

    def row(fault, tries, codes, line, result):
        rows.append((fault, str(tries), codes, short(line), result))
        print(f"[{len(rows)}] {fault}: {codes} {line}", file=sys.stderr)

    scifact = os.path.join(work, "scifact")
    if a.smoke:
        small_corpus = os.path.join(work, "scifact-500.jsonl")
        with open(os.path.join(DATA, "scifact/corpus.jsonl"), encoding="utf-8") as f, open(small_corpus, "w", encoding="utf-8") as out:
            out.writelines(line for _, line in zip(range(500), f))
        run("index", "--corpus", small_corpus, "--index", scifact)
    else:
        interrupted_and_concurrent(a, work, row, scifact)

    # 5. Damaged stored fields.
    damaged = os.path.join(work, "damaged")
    shutil.copytree(scifact, damaged)
    run("optimize", "--index", damaged)
    fdt = [f for f in os.listdir(damaged) if f.endswith(".fdt")][0]
    data = bytearray(open(os.path.join(damaged, fdt), "rb").read())
    for i in range(2000, len(data) - 100, 997):
        data[i] ^= 0x5A
    open(os.path.join(damaged, fdt), "wb").write(data)
    code, _, err = run("search", "--index", damaged, "--query", "aspirin heart attack")
    row("`search` on an index with damaged stored fields", 1, str(code), re.sub(re.escape(work), "DIR", last_line(err)), "")

    # 6. Bad inputs.
    bm25 = os.path.join(work, "bm25.run")
    run("search", "--index", scifact, "--queries", os.path.join(DATA, "scifact/queries.jsonl"),
        "--qrels", os.path.join(DATA, "scifact/qrels/test.tsv"), "-k", "100", "--out", bm25)
    lines = open(bm25).read().splitlines()
    for bad in ("NaN",) if a.smoke else ("Infinity", "-Infinity", "NaN", "inf"):
        path = os.path.join(work, f"bad-{bad}.run")
        cols = lines[1].split(" ")
        cols[4] = bad
        open(path, "w").write("\n".join([lines[0], " ".join(cols)] + lines[2:]) + "\n")
        code, _, err = run("fuse", "--run", path, "--ce-run", bm25, "--alpha", "0.5", "--out", os.path.join(work, "fused.run"))
        row(f"`fuse` of a run with score `{bad}`", 1, str(code), re.sub(re.escape(work), "DIR", last_line(err)),
            "no output" if not os.path.exists(os.path.join(work, "fused.run")) else "OUTPUT WRITTEN")
    queries = os.path.join(work, "queries.tsv")
    with open(queries, "wb") as f:
        f.write(b"q1\taspirin\nq2\t \nq3\tcaf\xe9\n")
    code, _, err = run("search", "--index", scifact, "--queries", queries, "--out", os.path.join(work, "q.run"))
    row("`search --queries` with invalid UTF-8", 1, str(code), re.sub(re.escape(work), "DIR", last_line(err)), "")
    with open(queries, "w") as f:
        f.write("q1\taspirin\nq2\t \nq3\tthe of\n")
    code, _, err = run("search", "--index", scifact, "--queries", queries, "--out", os.path.join(work, "q.run"))
    row("`search --queries` with an empty and a stopword-only query", 1, str(code),
        " / ".join(re.sub(re.escape(work), "DIR", l) for l in error_lines(err)), "q1 searched")
    code, _, err = run("search", "--index", scifact, "--query", "aspirin", "--rerank", "--model",
                       os.path.join(ROOT, "..", "shared", "reference", "tiny-bert-ce"), "--fusion-alpha", "7")
    row("`--fusion-alpha 7`", 1, str(code), last_line(err), "")
    code, _, err = run("search", "--index", scifact, "--syntax", "lucene", "--query", "aspirin AND " * 9000 + '"open')
    row("malformed 100 KB `--syntax lucene` query", 1, str(code), last_line(err), f"{len(err)} bytes on stderr")
    code, _, err = run("search", "--index", scifact, "--syntax", "lucene", "--query", "(" * 100_000)
    row("100,000 nested parentheses, `--syntax lucene`", 1, str(code), last_line(err), "")

    # 7. kill -9 in the merge after an import, then the same command again.
    if not a.smoke:
        kill_in_merge(work, row)

    print("| fault | tries | exit codes | what it printed (last line) | outcome |")
    print("| --- | ---: | --- | --- | --- |")
    for r in rows:
        print("| " + " | ".join(r) + " |")
    if a.smoke:
        # Every fault tried once, each with an exit code and a printed line: the table the page records, in small.
        bad = [r for r in rows if not re.fullmatch(r"-?\d+", r[2]) or not r[3]]
        if len(rows) != 7 or bad:
            sys.exit(f"smoke: expected 7 rows with an exit code and a line each; got {len(rows)}, malformed: {bad}")
        print("smoke: fault-table ok", file=sys.stderr)
    if not a.out:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
