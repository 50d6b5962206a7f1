#!/usr/bin/env bash
# Growth benchmark of the BM25 first stage (Lucene.Net): for synthetic Zipfian corpora of each size, index build time
# (import, then optimize), index size and single-thread top-1000 query latency, appended as rows to docs/growth.tsv.
# docs/growth-fts5.tsv holds the same measurements of the SQLite FTS5 first stage this one replaced.
# Usage: scripts/bench-growth.sh [SIZE ...]   (default: 10000 100000 1000000)
# SEARCHRERANK may point at a built searchrerank.dll to run instead of ./searchrerank.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
run() { if [ -n "${SEARCHRERANK:-}" ]; then dotnet "$SEARCHRERANK" "$@"; else "$root/searchrerank" "$@"; fi; }
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000 1000000)
work="$root/artifacts/growth"
table="$root/docs/growth.tsv"
[ -f "$table" ] || printf 'docs\tbuild_s\tdocs_per_s\toptimize_s\tsize_mib\tp50_ms\tp99_ms\tload_avg\n' > "$table"
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
  line=$(run search --index "$data/index" --queries "$data/queries.tsv" -k 1000 --threads 1 --out "$data/bm25.trec" | tail -1)
  echo "$line"
  p50=$(sed -E 's/.*p50 ([0-9.]+) ms.*/\1/' <<<"$line")
  p99=$(sed -E 's/.*p99 ([0-9.]+) ms.*/\1/' <<<"$line")
  load=$(cut -d' ' -f1 /proc/loadavg)
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$build" "$rate" "$optimize" "$size" "$p50" "$p99" "$load" >> "$table"
done
column -t "$table"
