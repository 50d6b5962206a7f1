#!/usr/bin/env bash
# JIT settings side by side for the console tool's short processes: alternating fresh processes per round, each
# building the SciFact index (index + optimize, wall clock) and running all 1,109 SciFact queries at top 1000 on it and
# 100 queries on a 100k-document Zipf index (scripts/gen-zipf-corpus.py, built once under artifacts/growth/100000),
# p50/p99 as 'search' reports them, 1 thread.
# Usage: scripts/bench-jit-settings.sh [ROUNDS]   (default 3; MODES="default pgo1 pgo0 pgo0-delay0")
# SEARCHRERANK_DLL: a built searchrerank.dll to run (no build). SMOKE=1: one round of two modes on 300-document
# Zipf corpora in a scratch folder (WORK) instead of SciFact and 100k; checks every line carries both latencies.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rounds=${1:-3}
smoke=${SMOKE:-0}
modes=${MODES:-default pgo1 pgo0 pgo0-delay0}
app=${SEARCHRERANK_DLL:-"$root/src/Cli/bin/Release/net10.0/searchrerank.dll"}
if [ "$smoke" = 1 ]; then
  rounds=1; modes=${MODES:-default pgo0}
  work=${WORK:-$(mktemp -d)}
  python3 "$root/scripts/gen-zipf-corpus.py" 300 "$work/small" --queries 5
  corpus="$work/small/corpus.jsonl"; queries="$work/small/queries.tsv"
  zipf_data="$work/small"; zipf_index="$work/small-index"
else
  corpus="$root/../shared/data/scifact/corpus.jsonl"; queries="$root/../shared/data/scifact/queries.jsonl"
  zipf_data="$root/artifacts/growth/100000"; zipf_index="$zipf_data/index-jit"
  [ -f "$zipf_data/corpus.jsonl" ] || python3 "$root/scripts/gen-zipf-corpus.py" 100000 "$zipf_data"
fi
[ -n "${SEARCHRERANK_DLL:-}" ] || dotnet build "$root/src/Cli/SearchRerank.Cli.csproj" -c Release -nologo -v quiet -clp:ErrorsOnly
[ -d "$zipf_index" ] || dotnet "$app" index --corpus "$zipf_data/corpus.jsonl" --index "$zipf_index" --quiet
latency() { sed -E 's/.*(p50 [0-9.]+ ms, p99 [0-9.]+ ms).*/\1/' <<<"$1"; }
lines=0
for r in $(seq 1 "$rounds"); do
  for mode in $modes; do
    case $mode in
      default) envs=() ;;                       # whatever the runtimeconfig says
      pgo1) envs=(DOTNET_TieredPGO=1) ;;
      pgo0) envs=(DOTNET_TieredPGO=0) ;;
      pgo0-delay0) envs=(DOTNET_TieredPGO=0 DOTNET_TC_CallCountingDelayMs=0) ;;
      *) echo "unknown mode $mode" >&2; exit 2 ;;
    esac
    index=$(mktemp -d)
    start=$(date +%s.%N)
    env "${envs[@]}" dotnet "$app" index --corpus "$corpus" --index "$index" --quiet
    build=$(echo "$(date +%s.%N) - $start" | bc)
    first=$(env "${envs[@]}" dotnet "$app" search --index "$index" --queries "$queries" -k 1000 --threads 1 --out /dev/null 2>/dev/null | tail -1)
    zipf=$(env "${envs[@]}" dotnet "$app" search --index "$zipf_index" --queries "$zipf_data/queries.tsv" -k 1000 --threads 1 --out /dev/null 2>/dev/null | tail -1)
    rm -rf "$index"
    line=$(printf '%s\t%s\tbuild %.2f s\tscifact %s\tzipf %s\tload %s' "$r" "$mode" "$build" "$(latency "$first")" "$(latency "$zipf")" "$(cut -d' ' -f1-3 /proc/loadavg)")
    echo "$line"
    if [ "$smoke" = 1 ] && ! grep -qE 'scifact p50 [0-9.]+ ms, p99 [0-9.]+ ms	zipf p50 [0-9.]+ ms, p99 [0-9.]+ ms' <<<"$line"; then
      echo "smoke: malformed line (the summary line of 'search' changed?)" >&2; exit 1
    fi
    lines=$((lines + 1))
  done
done
[ "$smoke" = 1 ] && echo "smoke: bench-jit-settings ok ($lines lines)"
exit 0
