#!/usr/bin/env bash
# Cross-encoder throughput at max length 256, SearchRerank (C#, official ONNX Runtime C# API, ORT 1.31.0) vs
# transformers.js (onnxruntime-node, ORT 1.30.0), same pairs (BM25 top 100 of SciFact test queries, title + " " + text),
# same 2 threads, each model in float32 and with int8 weights (`searchrerank model quantize`; transformers.js runs the
# same int8 file as its dtype q8), and how far the int8 scores drift from the float ones. Also ORT's fp32 GEMM rate on
# this machine, with ORT allocating the output and with a pre-allocated one. Each run holds /work/cpu.lock when it
# exists and starts with the load average. Results go to docs/benchmarks.md by hand.
# Usage: bench/run-throughput.sh [WORK_DIR]   (env: PAIRS=1000 PAIRS_LARGE=96 REPEAT=3; SKIP_RUNS=1 only prepares
# the pairs and models; SHARED=DIR when ../shared is elsewhere)
# SMOKE=1: no build (the solution's Release build must exist; SEARCHRERANK_DLL may name the tool), the first 500
# SciFact documents, 40 pairs, a 1 × 64 model in place of 6 × 384, GEMM 128², one pass each, 1×2 threading only
# (2×1 is the same command with other numbers); transformers.js only
# when bench/node/node_modules is already installed (a clean machine has no npm packages: one line says it is
# skipped); checks that every run printed its figures. WORK_DIR defaults to a new temporary folder.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
smoke=${SMOKE:-0}
if [ "$smoke" = 1 ]; then work=${1:-$(mktemp -d)}; else work=${1:-/tmp/searchrerank-bench}; fi
shared=${SHARED:-$(cd "$root/../shared" && pwd)}
mkdir -p "$work"
cd "$root"
corpus=$shared/data/scifact/corpus.jsonl index=$work/scifact queries_count=10 repeat=${REPEAT:-3} gemm=2048
large=(--layers 6 --hidden 384 --heads 12 --intermediate 1536)
if [ "$smoke" = 1 ]; then
  head -n 500 "$corpus" > "$work/corpus-smoke.jsonl"
  corpus=$work/corpus-smoke.jsonl index=$work/scifact-smoke queries_count=2 repeat=1 gemm=128
  large=(--layers 1 --hidden 64 --heads 2 --intermediate 128)
  : "${PAIRS:=40}" "${PAIRS_LARGE:=8}"
fi

lock() { if [ -e /work/cpu.lock ]; then flock /work/cpu.lock "$@"; else "$@"; fi; }
timed() { lock sh -c 'echo "load average $(cut -d" " -f1-3 /proc/loadavg)"; exec "$@"' sh "$@"; }
if [ "$smoke" != 1 ]; then
  lock dotnet build src/Cli -c Release -nologo -v quiet -clp:ErrorsOnly
  lock dotnet build bench/Bench -c Release -nologo -v quiet -clp:ErrorsOnly
fi
cli="dotnet ${SEARCHRERANK_DLL:-src/Cli/bin/Release/net10.0/searchrerank.dll}"
bench="dotnet bench/Bench/bin/Release/net10.0/searchrerank-bench.dll"

# First stage: SciFact index and BM25 top 100 of the 300 test queries.
[ -d "$index" ] || lock $cli index --corpus "$corpus" --index "$index"
[ -f "$work/bm25.run" ] || lock $cli search --index "$index" --queries "$shared/data/scifact/queries.jsonl" \
  --qrels "$shared/data/scifact/qrels/test.tsv" -k 100 --out "$work/bm25.run"
$bench pairs --index "$index" --queries "$shared/data/scifact/queries.jsonl" --run "$work/bm25.run" \
  --queries-count "$queries_count" --depth 100 --out "$work/pairs.jsonl"
head -n "${PAIRS:-1000}" "$work/pairs.jsonl" > "$work/pairs-small-model.jsonl"
head -n "${PAIRS_LARGE:-96}" "$work/pairs.jsonl" > "$work/pairs-large-model.jsonl"

# The 6-layer, 384-hidden, 12-head, 1536-intermediate BERT with random weights, exported by the project's own exporter.
[ -f "$work/minilm6/model.onnx" ] || lock $cli model init "${large[@]}" \
  --vocab "$shared/reference/tiny-bert-ce" --out "$work/minilm6" --seed 42
# Int8 copies, and folders in transformers.js layout (onnx/model.onnx, onnx/model_quantized.onnx for dtype q8).
[ -d "$work/tiny-bert-ce-int8" ] || lock $cli model quantize --model "$shared/reference/tiny-bert-ce" --out "$work/tiny-bert-ce-int8"
[ -d "$work/minilm6-int8" ] || lock $cli model quantize --model "$work/minilm6" --out "$work/minilm6-int8"
for m in tiny-bert-ce minilm6; do
  src=$work/$m; [ $m = tiny-bert-ce ] && src=$shared/reference/tiny-bert-ce
  mkdir -p "$work/js/$m/onnx"
  for f in config.json tokenizer.json tokenizer_config.json special_tokens_map.json vocab.txt; do
    [ -f "$src/$f" ] && ln -sf "$src/$f" "$work/js/$m/$f"
  done
  ln -sf "$(ls "$src/model.onnx" "$src/onnx/model.onnx" 2>/dev/null | head -1)" "$work/js/$m/onnx/model.onnx"
  ln -sf "$work/$m-int8/model.onnx" "$work/js/$m/onnx/model_quantized.onnx"
done

[ "${SKIP_RUNS:-0}" = 1 ] && exit 0
# transformers.js and its onnxruntime-node: the only part of the project that needs npm.
js=1
if [ ! -d bench/node/node_modules/@huggingface/transformers ]; then
  if [ "$smoke" = 1 ]; then js=0; echo "transformers.js: skipped (bench/node/node_modules is not installed; 'npm ci' there needs the npm registry)"
  else (cd bench/node && npm ci --no-audit --no-fund); fi
fi

{
echo "== machine"; nproc; uptime
echo "== GEMM"; timed $bench gemm --size $gemm --threads 2 --repeat 5
for spec in "tiny-bert-ce:$shared/reference/tiny-bert-ce:$work/pairs-small-model.jsonl" "minilm6:$work/minilm6:$work/pairs-large-model.jsonl"; do
  IFS=: read -r name model pairs <<< "$spec"
  for variant in fp32 int8; do
    dir=$model; dtype=fp32
    [ $variant = int8 ] && dir=$work/$name-int8 && dtype=q8
    echo "== $name $variant"
    timed $bench throughput --model "$dir" --pairs "$pairs" --threads 1 --concurrency 2 --batch 32 --max-length 256 --repeat "$repeat"
    [ "$smoke" = 1 ] || timed $bench throughput --model "$dir" --pairs "$pairs" --threads 2 --concurrency 1 --batch 32 --max-length 256 --repeat "$repeat"
    if [ $js = 1 ]; then
      (cd bench/node && timed node throughput.mjs --model "$work/js/$name" --dtype $dtype --pairs "$pairs" --threads 2 --batch 32 --max-length 256 --repeat "$repeat")
    fi
  done
  timed $bench drift --model "$work/$name-int8" --baseline "$model" --pairs "$pairs" --max-length 256
done
} 2>&1 | tee "$work/throughput.log"
[ "${PIPESTATUS[0]}" = 0 ] || exit 1

if [ "$smoke" = 1 ]; then
  # 2 models × 2 variants (1×2 only; + transformers.js when installed), 2 drift reports, the GEMM line.
  want=$((4 + 4 * js))
  got=$(grep -cE '^throughput \(median pass\): [0-9.]+ pairs/s|^throughput: [0-9.]+ pairs/s' "$work/throughput.log" || true)
  drift=$(grep -cE '^\|score difference\|: max [0-9.]+' "$work/throughput.log" || true)
  gemms=$(grep -cE 'MatMul [0-9]+x[0-9]+ fp32' "$work/throughput.log" || true)
  if [ "$got" != "$want" ] || [ "$drift" != 2 ] || [ "$gemms" -lt 1 ]; then
    echo "smoke: expected $want throughput lines, 2 drift reports and a GEMM line; got $got, $drift, $gemms" >&2; exit 1
  fi
  echo "smoke: run-throughput ok ($got throughput runs)"
fi
