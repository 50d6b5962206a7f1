#!/usr/bin/env bash
# End-to-end latency of one SciFact query: BM25 search + cross-encoder re-rank of the top 100, p50/p99 per query,
# through the console tool (`search --rerank`), which also reports the execution provider (--verbose). The timed run
# holds /work/cpu.lock when it exists and is framed by the load average.
# Usage: bench/run-latency.sh [WORK_DIR] [MODEL_DIR] [QUERIES]   (env: SHARED=DIR when ../shared is elsewhere)
# SMOKE=1: no build (SEARCHRERANK_DLL may name the tool), the first 500 SciFact documents, 3 queries, top 20;
# checks the summary line and the provider line. WORK_DIR defaults to a new temporary folder.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
smoke=${SMOKE:-0}
if [ "$smoke" = 1 ]; then work=${1:-$(mktemp -d)}; else work=${1:-/tmp/searchrerank-bench}; fi
shared=${SHARED:-$(cd "$root/../shared" && pwd)}
model=${2:-$shared/reference/tiny-bert-ce}
count=${3:-30}
mkdir -p "$work"
cd "$root"
lock() { if [ -e /work/cpu.lock ]; then flock /work/cpu.lock "$@"; else "$@"; fi; }
corpus=$shared/data/scifact/corpus.jsonl index=$work/scifact depth=100
if [ "$smoke" = 1 ]; then
  head -n 500 "$corpus" > "$work/corpus-smoke.jsonl"
  corpus=$work/corpus-smoke.jsonl index=$work/scifact-smoke depth=20 count=${3:-3}
else
  lock dotnet build src/Cli -c Release -nologo -v quiet -clp:ErrorsOnly
fi
cli="dotnet ${SEARCHRERANK_DLL:-src/Cli/bin/Release/net10.0/searchrerank.dll}"
[ -d "$index" ] || lock $cli index --corpus "$corpus" --index "$index"

# The first $count test queries (qrels order), as a BEIR queries file.
tail -n +2 "$shared/data/scifact/qrels/test.tsv" | cut -f1 | awk '!seen[$0]++' | head -n "$count" > "$work/latency-qids.txt"
grep -F -f <(sed 's/.*/"_id": "&"/' "$work/latency-qids.txt") "$shared/data/scifact/queries.jsonl" > "$work/latency-queries.jsonl"

echo "== $(wc -l < "$work/latency-queries.jsonl") queries, model $model"
lock sh -c 'echo "load average $(cut -d" " -f1-3 /proc/loadavg)"; "$@"; echo "load average $(cut -d" " -f1-3 /proc/loadavg)"' sh \
  $cli search --index "$index" --queries "$work/latency-queries.jsonl" -k $depth --rerank --rerank-depth $depth \
  --model "$model" --out "$work/latency.run" --verbose 2>&1 | tee "$work/latency.log"
[ "${PIPESTATUS[0]}" = 0 ] || exit 1
if [ "$smoke" = 1 ]; then
  grep -qE 'p50 [0-9.]+ ms, p99 [0-9.]+ ms' "$work/latency.log" || { echo "smoke: no p50/p99 line" >&2; exit 1; }
  grep -q 'runs on CPUExecutionProvider' "$work/latency.log" || { echo "smoke: no execution provider line" >&2; exit 1; }
  [ "$(cut -d' ' -f1 "$work/latency.run" | sort -u | wc -l)" = "$count" ] || { echo "smoke: the run does not hold $count queries" >&2; exit 1; }
  echo "smoke: run-latency ok"
fi
