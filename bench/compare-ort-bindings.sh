#!/usr/bin/env bash
# Cross-encoder throughput of the official ONNX Runtime C# API (this tree's last commit) against the project's former binding of the
# ORT C API (src/Rerank/Native at git revision $OWN_REV, ORT 1.30.0 from the npm package onnxruntime-node), on the same
# pairs, models and threads, in alternating runs: each round runs every build once per model and configuration, the
# order of the builds flipping from round to round, so slow drifts of the machine's load hit all of them alike. The
# official API is built twice: with ORT 1.30.0 (the binding's version: the API alone differs) and with this tree's ORT.
# Every run holds /work/cpu.lock when it exists (the machine is shared) and is logged with the load average.
# Usage: bench/compare-ort-bindings.sh [WORK_DIR]   (env: ROUNDS=3 REPEAT=3 PAIRS=1000 PAIRS_LARGE=96 OWN_REV=adb8875)
# Needs the pairs and models of bench/run-throughput.sh in WORK_DIR (it makes them when missing).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-/tmp/searchrerank-bench}
shared=$(cd "$root/../shared" && pwd)
own_rev=${OWN_REV:-adb8875}
rounds=${ROUNDS:-3}
repeat=${REPEAT:-3}
mkdir -p "$work"
work=$(cd "$work" && pwd)
lock() { if [ -e /work/cpu.lock ]; then flock /work/cpu.lock "$@"; else "$@"; fi; }
log="$work/compare-ort-bindings.log"

# The builds: own binding at $own_rev (its bench reads libonnxruntime.so.1 from .deps/, as its setup.sh fetched it),
# the official API at ORT 1.30.0 and at this tree's version, each in a source copy of its own.
build() { # name, source dir, extra msbuild arguments...
  local name=$1 src=$2; shift 2
  [ -f "$work/$name/bin/searchrerank-bench.dll" ] && return
  lock dotnet build "$src/bench/Bench" -c Release -nologo -v quiet -clp:ErrorsOnly -o "$work/$name/bin" "$@"
}
if [ ! -d "$work/own-src" ]; then
  mkdir -p "$work/own-src"
  git -C "$root" archive "$own_rev" | tar -x -C "$work/own-src"
fi
if [ ! -f "$work/own-src/.deps/onnxruntime/libonnxruntime.so.1" ]; then
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent onnxruntime-node@1.30.0 >/dev/null)
  tar -xzf "$tmp/onnxruntime-node-1.30.0.tgz" -C "$tmp" package/bin/napi-v6/linux/x64/libonnxruntime.so.1
  echo "ffb75a925ba05e47b235bb66e3e3911714a80b328a9c9425539feb204aa32a23  $tmp/package/bin/napi-v6/linux/x64/libonnxruntime.so.1" | sha256sum -c --quiet
  mkdir -p "$work/own-src/.deps/onnxruntime"
  mv "$tmp/package/bin/napi-v6/linux/x64/libonnxruntime.so.1" "$work/own-src/.deps/onnxruntime/"
  rm -rf "$tmp"
fi
# Two snapshots of this tree's last commit, so editing the tree while the runs go on changes nothing.
for copy in official-src official-1.30-src; do
  if [ ! -d "$work/$copy" ]; then
    mkdir -p "$work/$copy"
    git -C "$root" archive HEAD | tar -x -C "$work/$copy"
  fi
done
build own "$work/own-src"
build official-1.30 "$work/official-1.30-src" -p:OnnxRuntimeVersion=1.30.0
build official "$work/official-src"

# Pairs and models, as bench/run-throughput.sh makes them.
if [ ! -f "$work/pairs-large-model.jsonl" ] || [ ! -f "$work/minilm6-int8/model.onnx" ] || [ ! -f "$work/tiny-bert-ce-int8/model.onnx" ]; then
  SKIP_RUNS=1 SHARED="$shared" "$work/official-src/bench/run-throughput.sh" "$work"
fi

variants=(
  "reference-fp32:$shared/reference/tiny-bert-ce:$work/pairs-small-model.jsonl"
  "reference-int8:$work/tiny-bert-ce-int8:$work/pairs-small-model.jsonl"
  "6x384-fp32:$work/minilm6:$work/pairs-large-model.jsonl"
  "6x384-int8:$work/minilm6-int8:$work/pairs-large-model.jsonl"
)
configs=("1 2" "2 1") # intra-op threads × concurrent batches
builds=(own official-1.30 official)
echo "== $(date -u +%FT%TZ) $(nproc) cores, rounds $rounds, repeat $repeat, own binding at $own_rev" | tee -a "$log"
results="$work/compare-ort-bindings.tsv"
[ -f "$results" ] || printf 'round\tbuild\tvariant\tthreads\tconcurrency\tpairs_per_s\tbest_pairs_per_s\tloadavg\n' > "$results"
for round in $(seq 1 "$rounds"); do
  order=("${builds[@]}")
  if [ $((round % 2)) = 0 ]; then order=(official official-1.30 own); fi
  for spec in "${variants[@]}"; do
    IFS=: read -r variant model pairs <<< "$spec"
    for config in "${configs[@]}"; do
      read -r threads concurrency <<< "$config"
      for b in "${order[@]}"; do
        out=$(lock sh -c 'cat /proc/loadavg; exec dotnet "$0/bin/searchrerank-bench.dll" throughput --model "$1" --pairs "$2" --threads "$3" --concurrency "$4" --batch 32 --max-length 256 --repeat "$5"' \
          "$work/$b" "$model" "$pairs" "$threads" "$concurrency" "$repeat")
        load=$(echo "$out" | head -1 | cut -d' ' -f1-3)
        median=$(echo "$out" | sed -n 's/^throughput (median pass): \([0-9.]*\) pairs\/s; best pass \([0-9.]*\).*/\1/p')
        best=$(echo "$out" | sed -n 's/^throughput (median pass): \([0-9.]*\) pairs\/s; best pass \([0-9.]*\).*/\2/p')
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$b" "$variant" "$threads" "$concurrency" "$median" "$best" "$load" | tee -a "$results"
        echo "$out" >> "$log"
      done
    done
  done
done

# Median over rounds per build, and the ratios official / own and official-1.30 / own.
python3 - "$results" <<'EOF'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter='\t'))
table = {}
for r in rows:
    table.setdefault((r['variant'], r['threads'], r['concurrency']), {}).setdefault(r['build'], []).append(float(r['pairs_per_s']))
print('| model | threads × batches | own binding (ORT 1.30.0) | official API, ORT 1.30.0 | official API, ORT 1.31.0 | 1.30 / own | 1.31 / own |')
print('| --- | --- | ---: | ---: | ---: | ---: | ---: |')
for (variant, threads, concurrency), by in table.items():
    m = {b: statistics.median(v) for b, v in by.items()}
    own, o130, o131 = m.get('own'), m.get('official-1.30'), m.get('official')
    ratio = lambda x: f'{x / own:.2f}×' if x and own else '–'
    print(f'| {variant} | {threads}×{concurrency} | {own:.1f} | {o130:.1f} | {o131:.1f} | {ratio(o130)} | {ratio(o131)} |')
loads = [float(r['loadavg'].split()[0]) for r in rows]
print(f'\n{len(rows)} runs; 1-minute load average {min(loads):.2f}–{max(loads):.2f}')
EOF
