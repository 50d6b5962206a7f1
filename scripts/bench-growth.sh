#!/usr/bin/env bash
# Growth benchmark of the BM25 first stage: for synthetic Zipfian corpora of each size, index build time, index size
# and single-thread query latency (own BM25 and FTS5's bm25()), appended as rows to docs/growth.tsv.
# Usage: scripts/bench-growth.sh [SIZE ...]   (default: 10000 100000 1000000)
# SEARCHRERANK may point at a built searchrerank.dll to run instead of ./searchrerank.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
run() { if [ -n "${SEARCHRERANK:-}" ]; then dotnet "$SEARCHRERANK" "$@"; else "$root/searchrerank" "$@"; fi; }
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000 1000000)
work="$root/artifacts/growth"
table="$root/docs/growth.tsv"
[ -f "$table" ] || printf 'docs\tbuild_s\tdocs_per_s\toptimize_s\tsize_mib\tbm25_p50_ms\tbm25_p99_ms\tfts5_p50_ms\tfts5_p99_ms\tload_avg\n' > "$table"
for n in "${sizes[@]}"; do
  data="$work/$n"
  [ -f "$data/corpus.jsonl" ] || python3 "$root/scripts/gen-zipf-corpus.py" "$n" "$data"
  rm -rf "$data/index"
  summary=$(run index --corpus "$data/corpus.jsonl" --index "$data/index" | tail -1)
  echo "$summary"
  build=$(sed -E 's/.* in ([0-9.]+) s \(.*/\1/' <<<"$summary")
  rate=$(sed -E 's/.*s \(([0-9,]+) docs\/s\).*/\1/; s/,//g' <<<"$summary")
  optimize=$(sed -E 's/.*optimize ([0-9.]+) s.*/\1/' <<<"$summary")
  size=$(du -sm "$data/index" | cut -f1)
  lat=()
  for ranking in Bm25 Fts5Bm25; do
    line=$(run search --index "$data/index" --queries "$data/queries.tsv" -k 1000 --threads 1 --ranking "$ranking" --run "$data/$ranking.trec" | tail -1)
    echo "$line"
    lat+=("$(sed -E 's/.*p50 ([0-9.]+) ms.*/\1/' <<<"$line")" "$(sed -E 's/.*p99 ([0-9.]+) ms.*/\1/' <<<"$line")")
  done
  load=$(cut -d' ' -f1 /proc/loadavg)
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$build" "$rate" "$optimize" "$size" "${lat[@]}" "$load" >> "$table"
done
column -t "$table"
