#!/usr/bin/env bash
# End-to-end latency of one SciFact query: BM25 search + cross-encoder re-rank of the top 100, p50/p99 per query,
# through the console tool (`search --rerank`), which also reports the execution provider (--verbose). The timed run
# holds /work/cpu.lock when it exists and is framed by the load average.
# Usage: bench/run-latency.sh [WORK_DIR] [MODEL_DIR] [QUERIES]   (env: SHARED=DIR when ../shared is elsewhere)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-/tmp/searchrerank-bench}
shared=${SHARED:-$(cd "$root/../shared" && pwd)}
model=${2:-$shared/reference/tiny-bert-ce}
count=${3:-30}
mkdir -p "$work"
cd "$root"
lock() { if [ -e /work/cpu.lock ]; then flock /work/cpu.lock "$@"; else "$@"; fi; }
lock dotnet build src/Cli -c Release -nologo -v quiet -clp:ErrorsOnly
cli="dotnet src/Cli/bin/Release/net10.0/searchrerank.dll"
[ -d "$work/scifact" ] || lock $cli index --corpus "$shared/data/scifact/corpus.jsonl" --index "$work/scifact"

# The first $count test queries (qrels order), as a BEIR queries file.
tail -n +2 "$shared/data/scifact/qrels/test.tsv" | cut -f1 | awk '!seen[$0]++' | head -n "$count" > "$work/latency-qids.txt"
grep -F -f <(sed 's/.*/"_id": "&"/' "$work/latency-qids.txt") "$shared/data/scifact/queries.jsonl" > "$work/latency-queries.jsonl"

echo "== $(wc -l < "$work/latency-queries.jsonl") queries, model $model"
lock sh -c 'echo "load average $(cut -d" " -f1-3 /proc/loadavg)"; "$@"; echo "load average $(cut -d" " -f1-3 /proc/loadavg)"' sh \
  $cli search --index "$work/scifact" --queries "$work/latency-queries.jsonl" -k 100 --rerank --rerank-depth 100 \
  --model "$model" --out "$work/latency.run" --verbose
