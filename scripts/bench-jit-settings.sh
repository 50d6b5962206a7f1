#!/usr/bin/env bash
# JIT settings side by side for the console tool's short processes: alternating fresh processes per round, each
# building the SciFact index (index + optimize, wall clock) and running all 1,109 SciFact queries at top 1000 on it and
# 100 queries on the 100k Zipf index of bench-lucene-vs-fts5.sh (p50/p99 as 'search' reports them), 1 thread.
# Usage: scripts/bench-jit-settings.sh [ROUNDS]   (default 3; modes: default, pgo1, pgo0, pgo0-delay0)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rounds=${1:-3}
app="$root/src/Cli/bin/Release/net10.0/searchrerank.dll"
data="$root/../shared/data/scifact"
zipf_index="$root/artifacts/fts5/index-zipf100k-new"
zipf_queries="$root/artifacts/growth/100000/queries.tsv"
[ -d "$zipf_index" ] || { echo "run SYSTEMS=new scripts/bench-lucene-vs-fts5.sh first (it builds $zipf_index)" >&2; exit 1; }
dotnet build "$root/src/Cli/SearchRerank.Cli.csproj" -c Release -nologo -v quiet -clp:ErrorsOnly
latency() { sed -E 's/.*(p50 [0-9.]+ ms, p99 [0-9.]+ ms).*/\1/' <<<"$1"; }
for r in $(seq 1 "$rounds"); do
  for mode in default pgo1 pgo0 pgo0-delay0; do
    case $mode in
      default) envs=() ;;                       # whatever the runtimeconfig says
      pgo1) envs=(DOTNET_TieredPGO=1) ;;
      pgo0) envs=(DOTNET_TieredPGO=0) ;;
      pgo0-delay0) envs=(DOTNET_TieredPGO=0 DOTNET_TC_CallCountingDelayMs=0) ;;
    esac
    index=$(mktemp -d)
    start=$(date +%s.%N)
    env "${envs[@]}" dotnet "$app" index --corpus "$data/corpus.jsonl" --index "$index" --quiet
    build=$(echo "$(date +%s.%N) - $start" | bc)
    scifact=$(env "${envs[@]}" dotnet "$app" search --index "$index" --queries "$data/queries.jsonl" -k 1000 --threads 1 --out /dev/null 2>/dev/null | tail -1)
    zipf=$(env "${envs[@]}" dotnet "$app" search --index "$zipf_index" --queries "$zipf_queries" -k 1000 --threads 1 --out /dev/null 2>/dev/null | tail -1)
    rm -rf "$index"
    printf '%s\t%s\tbuild %.2f s\tscifact %s\t100k %s\tload %s\n' "$r" "$mode" "$build" "$(latency "$scifact")" "$(latency "$zipf")" "$(cut -d' ' -f1 /proc/loadavg)"
  done
done
