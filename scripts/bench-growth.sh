#!/usr/bin/env bash
# Growth benchmark of the BM25 first stage (Lucene.Net): for synthetic Zipfian corpora of each size, index build time
# (import, then optimize), index size and single-thread top-1000 query latency, appended as rows to docs/growth.tsv.
# docs/growth-fts5.tsv holds the same measurements of the SQLite FTS5 first stage this one replaced.
# Usage: scripts/bench-growth.sh [SIZE ...]   (default: 10000 100000 1000000)
# SEARCHRERANK (or SEARCHRERANK_DLL) may point at a built searchrerank.dll to run instead of ./searchrerank.
# SMOKE=1: two corpora of 200 and 400 documents (5 queries) in a scratch folder (WORK, default a new temporary one),
# rows to WORK/growth.tsv instead of docs/, then plot-growth.py draws them; checks the rows and the SVG (seconds).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dll=${SEARCHRERANK:-${SEARCHRERANK_DLL:-}}
run() { if [ -n "$dll" ]; then dotnet "$dll" "$@"; else "$root/searchrerank" "$@"; fi; }
smoke=${SMOKE:-0}
sizes=("$@")
if [ "$smoke" = 1 ]; then
  work=${WORK:-$(mktemp -d)}
  table="$work/growth.tsv"
  queries=5
  [ ${#sizes[@]} -gt 0 ] || sizes=(200 400)
else
  work="$root/artifacts/growth"
  table="$root/docs/growth.tsv"
  queries=100
  [ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000 1000000)
fi
[ -f "$table" ] || printf 'docs\tbuild_s\tdocs_per_s\toptimize_s\tsize_mib\tp50_ms\tp99_ms\tload_avg\n' > "$table"
for n in "${sizes[@]}"; do
  data="$work/$n"
  [ -f "$data/corpus.jsonl" ] || python3 "$root/scripts/gen-zipf-corpus.py" "$n" "$data" --queries "$queries"
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
if [ "$smoke" = 1 ]; then
  # Every row of this run must be numbers (a changed summary line of 'index' or 'search' shows up here), and the plot
  # must be well-formed SVG with one circle per size and series.
  tail -n "${#sizes[@]}" "$table" | awk -F'\t' 'NF != 8 { exit 1 } { for (i = 1; i <= 8; i++) if ($i !~ /^[0-9.]+$/) exit 1 }' \
    || { echo "smoke: malformed row in $table" >&2; exit 1; }
  python3 "$root/scripts/plot-growth.py" "$table" "$work/growth.svg" "$root/docs/growth-fts5.tsv"
  python3 - "$work/growth.svg" <<'PY'
import sys, xml.etree.ElementTree as ET
circles = [e for e in ET.parse(sys.argv[1]).iter() if e.tag.endswith("circle")]
sys.exit(0 if len(circles) >= 4 else f"smoke: {sys.argv[1]} has {len(circles)} points")
PY
  echo "smoke: bench-growth ok"
fi
