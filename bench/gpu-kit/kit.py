#!/usr/bin/env python3
"""GPU kit helper (issue #34), standard library only: it runs on this machine and on the device, whose Python has
no package of ours.

  split ARCHIVE OUTDIR --chunk-bytes N   cut ARCHIVE into OUTDIR/cNN/<name>.partNN, one per call, each folder with
                                         the manifest (sizes, SHA-256), so every call can check what it carried
  gather CALLDIR STORE                   copy one call's chunk and manifest into STORE, checking the chunk on arrival
  assemble STORE                         check every chunk, then write the archive to stdout
  subset RUN QRELS N OUTDIR              the first N queries of a run (run order), with their qrels
  report SPECS BASELINE... --out FILE    the figures of the re-ranking runs listed in SPECS (JSON lines)
"""
import argparse
import hashlib
import json
import os
import re
import shutil
import sys

MANIFEST = "manifest.json"
BLOCK = 1 << 20


class KitError(Exception):
    pass


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(BLOCK), b""):
            digest.update(block)
    return digest.hexdigest()


def split(archive, outdir, chunk_bytes):
    if chunk_bytes < 1:
        raise KitError("--chunk-bytes must be positive")
    name = os.path.basename(archive)
    total = os.path.getsize(archive)
    count = max(1, -(-total // chunk_bytes))
    chunks = []
    whole = hashlib.sha256()
    with open(archive, "rb") as src:
        for i in range(1, count + 1):
            call = f"c{i:02d}"
            part = f"{name}.part{i:02d}"
            os.makedirs(os.path.join(outdir, call), exist_ok=True)
            digest = hashlib.sha256()
            left = chunk_bytes
            with open(os.path.join(outdir, call, part), "wb") as dst:
                while left > 0:
                    block = src.read(min(BLOCK, left))
                    if not block:
                        break
                    digest.update(block)
                    whole.update(block)
                    dst.write(block)
                    left -= len(block)
            chunks.append({"name": part, "call": i, "folder": call, "bytes": chunk_bytes - left,
                           "sha256": digest.hexdigest()})
    manifest = {"archive": name, "bytes": total, "sha256": whole.hexdigest(), "chunks": chunks}
    for chunk in chunks:
        write_json(os.path.join(outdir, chunk["folder"], MANIFEST), manifest)
    return manifest


def write_json(path, value):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(value, f, indent=2)
        f.write("\n")
    os.replace(tmp, path)


def read_manifest(folder):
    path = os.path.join(folder, MANIFEST)
    if not os.path.isfile(path):
        raise KitError(f"{path}: no manifest (was this folder carried with the call?)")
    with open(path) as f:
        return json.load(f)


def gather(calldir, store):
    carried = read_manifest(calldir)
    os.makedirs(store, exist_ok=True)
    if os.path.isfile(os.path.join(store, MANIFEST)):
        held = read_manifest(store)
        if held["sha256"] != carried["sha256"]:
            raise KitError(f"{store} holds chunks of another kit (archive {held['sha256'][:12]}, this call carries "
                           f"{carried['sha256'][:12]}): remove {store} or set KIT_HOME elsewhere")
    else:
        write_json(os.path.join(store, MANIFEST), carried)
    arrived = [c for c in carried["chunks"] if os.path.isfile(os.path.join(calldir, c["name"]))]
    if not arrived:
        raise KitError(f"{calldir}: carries no chunk of {carried['archive']}")
    for chunk in arrived:
        src = os.path.join(calldir, chunk["name"])
        check_chunk(chunk, src, "carried")
        tmp = os.path.join(store, chunk["name"] + ".tmp")
        shutil.copyfile(src, tmp)
        os.replace(tmp, os.path.join(store, chunk["name"]))
    tools = os.path.join(calldir, "tools")
    if os.path.isdir(tools):
        shutil.copytree(tools, os.path.join(store, "tools"), dirs_exist_ok=True)
    have, missing = inventory(carried, store)
    names = ", ".join(c["name"] for c in arrived)
    print(f"gather: {names} checked and stored in {store}; {len(have)}/{len(carried['chunks'])} chunks held"
          + (f", missing {describe(missing)}" if missing else ", complete"))


def check_chunk(chunk, path, what):
    size = os.path.getsize(path)
    if size != chunk["bytes"]:
        raise KitError(f"chunk {chunk['name']} ({what} by call {chunk['call']}): {size} bytes, manifest says "
                       f"{chunk['bytes']}: carry {chunk['folder']} again")
    actual = sha256_of(path)
    if actual != chunk["sha256"]:
        raise KitError(f"chunk {chunk['name']} ({what} by call {chunk['call']}): SHA-256 {actual[:16]}…, manifest "
                       f"says {chunk['sha256'][:16]}…: carry {chunk['folder']} again")


def inventory(manifest, store):
    have, missing = [], []
    for chunk in manifest["chunks"]:
        (have if os.path.isfile(os.path.join(store, chunk["name"])) else missing).append(chunk)
    return have, missing


def describe(chunks):
    return ", ".join(f"{c['name']} (call {c['call']}, {c['folder']})" for c in chunks)


def assemble(store, out):
    manifest = read_manifest(store)
    _, missing = inventory(manifest, store)
    if missing:
        raise KitError(f"{store}: missing {describe(missing)}")
    for chunk in manifest["chunks"]:
        check_chunk(chunk, os.path.join(store, chunk["name"]), "stored, carried")
    whole = hashlib.sha256()
    for chunk in manifest["chunks"]:
        with open(os.path.join(store, chunk["name"]), "rb") as f:
            for block in iter(lambda: f.read(BLOCK), b""):
                whole.update(block)
                out.write(block)
    out.flush()
    if whole.hexdigest() != manifest["sha256"]:
        raise KitError(f"{manifest['archive']}: reassembled SHA-256 differs from the manifest's")
    print(f"assemble: {len(manifest['chunks'])} chunks, {manifest['bytes']:,} bytes, SHA-256 matches", file=sys.stderr)


def read_run(path):
    run = {}
    with open(path) as f:
        for line in f:
            fields = line.split()
            if len(fields) >= 5:
                run.setdefault(fields[0], []).append((fields[2], int(fields[3]), float(fields[4])))
    for entries in run.values():
        entries.sort(key=lambda e: e[1])
    return run


def subset(run_path, qrels_path, count, outdir):
    order = []
    with open(run_path) as f:
        lines = f.readlines()
    for line in lines:
        qid = line.split()[0]
        if qid not in order:
            order.append(qid)
    keep = set(order[:count])
    os.makedirs(outdir, exist_ok=True)
    with open(os.path.join(outdir, "first-stage.run"), "w") as f:
        f.writelines(line for line in lines if line.split()[0] in keep)
    with open(qrels_path) as src, open(os.path.join(outdir, "qrels.tsv"), "w") as dst:
        for i, line in enumerate(src):
            if i == 0 and line.startswith("query-id"):
                dst.write(line)  # BEIR's header row
            elif line.split("\t")[0] in keep:
                dst.write(line)
    print(f"subset: {len(keep)} of {len(order)} queries")


SUMMARY = re.compile(r"re-ranked ([\d,]+) queries, ([\d,]+) pairs in ([\d.]+) s \(([\d.]+) pairs/s\); "
                     r"per query p50 ([\d.]+) ms, p99 ([\d.]+) ms")
PROVIDER = re.compile(r"runs on (\w+ExecutionProvider) \(ONNX Runtime ([\d.]+)\)")


def parse_log(path):
    with open(path, errors="replace") as f:
        text = f.read()
    found = {}
    summary = SUMMARY.search(text)
    if summary:
        found.update(queries=int(summary[1].replace(",", "")), pairs=int(summary[2].replace(",", "")),
                     seconds=float(summary[3]), pairs_per_s=float(summary[4]), p50_ms=float(summary[5]),
                     p99_ms=float(summary[6]))
    provider = PROVIDER.search(text)
    if provider:
        found.update(provider=provider[1], ort=provider[2])
    return found


def ndcg10(eval_json):
    if not eval_json or not os.path.isfile(eval_json):
        return None
    with open(eval_json) as f:
        runs = json.load(f)["runs"]
    return [r["metrics"].get("ndcg_cut_10") for r in runs.values()][-1]


def compare(run, baseline):
    """Largest |score difference| over the pairs both runs scored, and how many queries keep their order."""
    largest, pairs, same_top10, same_all = 0.0, 0, 0, 0
    for qid, entries in baseline.items():
        other = run.get(qid, [])
        scores = {doc: score for doc, _, score in other}
        for doc, _, score in entries:
            if doc in scores:
                largest = max(largest, abs(scores[doc] - score))
                pairs += 1
        mine = [doc for doc, _, _ in other]
        theirs = [doc for doc, _, _ in entries]
        same_top10 += mine[:10] == theirs[:10]
        same_all += mine == theirs
    return {"max_abs_diff": largest, "pairs_compared": pairs, "queries": len(baseline),
            "same_top10": same_top10, "same_ranking": same_all}


def report(specs_path, out_md, out_json):
    with open(specs_path) as f:
        specs = [json.loads(line) for line in f if line.strip()]
    rows = []
    for spec in specs:
        row = dict(spec)
        row.update(parse_log(spec["log"]))
        if not os.path.isfile(spec["run"]):
            row["error"] = last_error(spec["log"])
            rows.append(row)
            continue
        row["ndcg_cut_10"] = ndcg10(spec.get("eval"))
        row["fused_ndcg_cut_10"] = ndcg10(spec.get("fused_eval"))
        if spec.get("baseline") and os.path.isfile(spec["baseline"]) and spec["baseline"] != spec["run"]:
            row.update(compare(read_run(spec["run"]), read_run(spec["baseline"])))
        rows.append(row)
    with open(out_json, "w") as f:
        json.dump(rows, f, indent=2)
        f.write("\n")
    lines = ["| model | device asked | provider used | precision | batch × length | queries | pairs | pairs/s | p50 ms "
             "| p99 ms | nDCG@10 | fused nDCG@10 | max abs diff vs CPU | same top 10 | same top 100 | load average |",
             "| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    for r in rows:
        shape = f"{r['batch']} × {r.get('max_length', '?')}"
        if "error" in r:
            lines.append(f"| {r['model']} | {r['device']} | failed: {r['error']} | {r['precision']} | {shape} "
                         f"| | | | | | | | | | | {r.get('load', '')} |")
            continue
        lines.append("| " + " | ".join([
            r["model"], r["device"], r.get("provider", "?"), r["precision"], shape,
            fmt(r.get("queries"), "{:,}"), fmt(r.get("pairs"), "{:,}"), fmt(r.get("pairs_per_s"), "{:.1f}"),
            fmt(r.get("p50_ms"), "{:.1f}"), fmt(r.get("p99_ms"), "{:.1f}"), fmt(r.get("ndcg_cut_10"), "{:.4f}"),
            fmt(r.get("fused_ndcg_cut_10"), "{:.4f}"), fmt(r.get("max_abs_diff"), "{:.2e}"),
            fmt_share(r, "same_top10"), fmt_share(r, "same_ranking"), r.get("load", "")]) + " |")
    text = "\n".join(lines) + "\n"
    with open(out_md, "w") as f:
        f.write(text)
    print(text, end="")
    return rows


def fmt(value, pattern):
    return "–" if value is None else pattern.format(value)


def fmt_share(row, key):
    return f"{row[key]}/{row['queries']}" if key in row else "–"


def last_error(log):
    if not os.path.isfile(log):
        return "no log"
    with open(log, errors="replace") as f:
        errors = [line.strip() for line in f if "error" in line.lower()]
    return (errors[-1] if errors else "no run written").replace("|", "/")[:200]


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("split")
    p.add_argument("archive")
    p.add_argument("outdir")
    p.add_argument("--chunk-bytes", type=int, required=True)
    p = sub.add_parser("gather")
    p.add_argument("calldir")
    p.add_argument("store")
    p = sub.add_parser("assemble")
    p.add_argument("store")
    p = sub.add_parser("subset")
    p.add_argument("run")
    p.add_argument("qrels")
    p.add_argument("count", type=int)
    p.add_argument("outdir")
    p = sub.add_parser("report")
    p.add_argument("specs")
    p.add_argument("--out", required=True)
    p.add_argument("--json", required=True)
    args = parser.parse_args(argv)
    try:
        if args.command == "split":
            manifest = split(args.archive, args.outdir, args.chunk_bytes)
            for c in manifest["chunks"]:
                print(f"{c['folder']}/{c['name']}\t{c['bytes']}\t{c['sha256']}")
        elif args.command == "gather":
            gather(args.calldir, args.store)
        elif args.command == "assemble":
            assemble(args.store, sys.stdout.buffer)
        elif args.command == "subset":
            subset(args.run, args.qrels, args.count, args.outdir)
        else:
            report(args.specs, args.out, args.json)
    except KitError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
