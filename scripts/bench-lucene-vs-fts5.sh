#!/usr/bin/env bash
# Old and new first stage side by side: the SQLite FTS5 searcher of commit $OLD_COMMIT (built from git into
# artifacts/fts5) against this checkout's Lucene.Net searcher, on the same corpora, runs alternating old/new.
# Per round and system: build time (wall clock of 'index', optimize included), index size, and 1-thread top-1000
# latency p50/p99 of 'search --queries'; then quality (nDCG@10, R@100 via 'eval', both runs in one table) on
# SciFact test and Cranfield. Rows go to docs/lucene-vs-fts5.tsv, a summary (medians, new/old) to stdout.
# Usage: scripts/bench-lucene-vs-fts5.sh [ROUNDS]   (default 3; OLD_COMMIT defaults to the last FTS5 commit)
# Environment is passed on to both tools, e.g. DOTNET_TieredCompilation=0 for steady-state JIT in both.
# SYSTEMS=new measures this checkout alone (the old tree's build needs the C++ trainer's CMake + libtorch 1.13.1 set-up,
# which a fresh machine no longer has); the medians then compare with the old rows already in the table.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rounds=${1:-3}
old_commit=${OLD_COMMIT:-adb8875}
work="$root/artifacts/fts5"
table="$root/docs/lucene-vs-fts5.tsv"
shared="$root/../shared/data"

systems=${SYSTEMS:-old new}
old_src="$work/src-$old_commit"
if [[ " $systems " == *" old "* ]] && [ ! -f "$old_src/src/Cli/bin/Release/net10.0/searchrerank.dll" ]; then
  rm -rf "$old_src" && mkdir -p "$old_src"
  git -C "$root" archive "$old_commit" | tar -x -C "$old_src"
  dotnet build "$old_src/src/Cli/SearchRerank.Cli.csproj" -c Release -nologo -v quiet -clp:ErrorsOnly
fi
dotnet build "$root/src/Cli/SearchRerank.Cli.csproj" -c Release -nologo -v quiet -clp:ErrorsOnly
tool() { case "$1" in old) echo "$old_src/src/Cli/bin/Release/net10.0/searchrerank.dll" ;; new) echo "$root/src/Cli/bin/Release/net10.0/searchrerank.dll" ;; esac; }

zipf="$root/artifacts/growth/100000"
[ -f "$zipf/corpus.jsonl" ] || python3 "$root/scripts/gen-zipf-corpus.py" 100000 "$zipf"
declare -A corpus=([scifact]="$shared/scifact/corpus.jsonl" [zipf100k]="$zipf/corpus.jsonl")
declare -A queries=([scifact]="$shared/scifact/queries.jsonl" [zipf100k]="$zipf/queries.tsv")

[ -f "$table" ] || printf 'corpus\tsystem\tround\tbuild_s\tsize_mib\tp50_ms\tp99_ms\tload_avg\tjit\n' > "$table"
jit=$([ "${DOTNET_TieredCompilation:-1}" = 0 ] && echo "tc=0" || echo "default")
for r in $(seq 1 "$rounds"); do
  order=(old new); [ $((r % 2)) = 0 ] && order=(new old)
  [ "$systems" = new ] && order=(new)
  for c in scifact zipf100k; do
    for s in "${order[@]}"; do
      index="$work/index-$c-$s"
      rm -rf "$index"
      start=$(date +%s.%N)
      dotnet "$(tool $s)" index --corpus "${corpus[$c]}" --index "$index" > /dev/null
      build=$(echo "$(date +%s.%N) - $start" | bc)
      size=$(du -sm "$index" | cut -f1)
      line=$(dotnet "$(tool $s)" search --index "$index" --queries "${queries[$c]}" -k 1000 --threads 1 --run "$work/$c-$s.trec" | tail -1)
      p50=$(sed -E 's/.*p50 ([0-9.]+) ms.*/\1/' <<<"$line")
      p99=$(sed -E 's/.*p99 ([0-9.]+) ms.*/\1/' <<<"$line")
      load=$(cut -d' ' -f1 /proc/loadavg)
      printf '%s\t%s\t%s\t%.2f\t%s\t%s\t%s\t%s\t%s\n' "$c" "$s" "$r" "$build" "$size" "$p50" "$p99" "$load" "$jit" | tee -a "$table"
    done
  done
done

echo "== medians over $rounds rounds ($jit JIT), new/old"
python3 - "$table" "$jit" "$rounds" <<'EOF'
import csv, statistics, sys
rows = [r for r in csv.DictReader(open(sys.argv[1]), delimiter="\t") if r["jit"] == sys.argv[2]]
rounds = int(sys.argv[3])
for c in ("scifact", "zipf100k"):
    # The latest rounds of each system: a SYSTEMS=new run compares with the old rows of an earlier run.
    latest = {s: [r for r in rows if r["corpus"] == c and r["system"] == s][-rounds:] for s in ("old", "new")}
    med = {s: {k: statistics.median(float(r[k]) for r in latest[s])
               for k in ("build_s", "size_mib", "p50_ms", "p99_ms")} for s in ("old", "new")}
    print(c, "  ".join(f"{k}: old {med['old'][k]:.2f} new {med['new'][k]:.2f} ({med['new'][k] / med['old'][k]:.2f}x)" for k in med["old"]))
EOF

echo "== quality (old = FTS5 default BM25, new = Lucene default BM25)"
for c in scifact cranfield; do
  for s in $systems; do
    index="$work/index-$c-$s"
    [ -d "$index" ] || dotnet "$(tool $s)" index --corpus "$shared/$c/corpus.jsonl" --index "$index" > /dev/null
    dotnet "$(tool $s)" search --index "$index" --queries "$shared/$c/queries.jsonl" --qrels "$shared/$c/qrels/test.tsv" -k 1000 --run "$work/$c-test-$s.trec" > /dev/null
  done
  runs=(); for s in $systems; do runs+=(--run "$work/$c-test-$s.trec"); done
  dotnet "$(tool new)" eval --qrels "$shared/$c/qrels/test.tsv" --metrics ndcg_cut_10,recall_100,recall_1000,map "${runs[@]}"
done
