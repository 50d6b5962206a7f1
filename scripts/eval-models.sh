#!/usr/bin/env bash
# Re-ranks BM25's top 100 with each trained model on SciFact test and on Cranfield (a collection none was trained
# on), cross-encoder alone and fused with BM25 (α from the model's fusion.json, and the fixed α values in
# ALPHAS, default 0.5 and 0.7: the weights an unlabelled collection would fall back to), then evaluates every run against BM25 in one table per collection
# (paired t-test, Holm–Bonferroni). Runs go to OUT/runs, tables to stdout.
# Usage: scripts/eval-models.sh OUT MODEL_DIR...      e.g. scripts/eval-models.sh artifacts/best models/scifact-best-s*
# SMOKE=1 [OUT]: the reference model (as ref-s1, with a fusion.json of α 0.4) on the first 400 documents and first
# 4 test queries of each collection, top 20, ALPHAS=0.5, indexes under OUT; then seed-table.py and prior-split.py
# read the output, as they would a real one, and every table is checked. OUT defaults to a new temporary folder.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
smoke=${SMOKE:-0}
if [ "$smoke" = 1 ]; then out=${1:-$(mktemp -d)}; [ $# -gt 0 ] && shift; else out=${1:?usage: $0 OUT MODEL_DIR...}; shift; fi
app=${SEARCHRERANK_DLL:-"$root/src/Cli/bin/Release/net10.0/searchrerank.dll"}   # a copy, to evaluate while the tree rebuilds
data="$root/../shared/data"
alphas=${ALPHAS:-"0.5 0.7"}
depth=100
mkdir -p "$out/runs"
if [ "$smoke" = 1 ]; then
  depth=20 alphas=0.5 m="$out/models/ref-s1"
  mkdir -p "$m"
  for f in "$data/../reference/tiny-bert-ce"/*; do ln -sfn "$f" "$m/"; done
  echo '{"alpha": 0.4, "normalization": "zscore"}' > "$m/fusion.json"
  set -- "$m"
fi
[ $# -ge 1 ] || { echo "usage: $0 OUT MODEL_DIR..." >&2; exit 1; }
for c in scifact cranfield; do
  index="$root/index/$c" corpus="$data/$c/corpus.jsonl" queries="$data/$c/queries.jsonl" qrels="$data/$c/qrels/test.tsv"
  if [ "$smoke" = 1 ]; then
    index="$out/index/$c" small="$out/data/$c"; mkdir -p "$small"
    head -n 400 "$corpus" > "$small/corpus.jsonl"; corpus="$small/corpus.jsonl"
    { head -n 1 "$qrels"; tail -n +2 "$qrels" | awk -F'\t' '!seen[$1]++ { n++ } n <= 4'; } > "$small/test.tsv"; qrels="$small/test.tsv"
    grep -F -f <(tail -n +2 "$qrels" | cut -f1 | sort -u | sed 's/.*/"_id": "&"/') "$queries" > "$small/queries.jsonl"; queries="$small/queries.jsonl"
  fi
  [ -d "$index" ] || dotnet "$app" index --corpus "$corpus" --index "$index" --quiet
  bm25="$out/runs/$c-bm25.run"
  dotnet "$app" search --index "$index" --queries "$queries" --qrels "$qrels" -k $depth --out "$bm25" --quiet
  runs=(--run "$bm25")
  for model in "$@"; do
    name=$(basename "$model")
    ce="$out/runs/$c-$name-ce.run"
    dotnet "$app" rerank --run "$bm25" --queries "$queries" --index "$index" --model "$model" \
      --depth $depth --threads 1 --concurrent-batches 2 --no-fusion --quiet --out "$ce"
    # Scored once; every fused run is the same cross-encoder run at another α (fuse = rerank's fused run, score for score).
    dotnet "$app" fuse --run "$bm25" --ce-run "$ce" --model "$model" --depth $depth --quiet --out "$out/runs/$c-$name-fused.run"
    runs+=(--run "$ce" --run "$out/runs/$c-$name-fused.run")
    for a in $alphas; do
      dotnet "$app" fuse --run "$bm25" --ce-run "$ce" --alpha "$a" --depth $depth --quiet --out "$out/runs/$c-$name-fused$a.run"
      runs+=(--run "$out/runs/$c-$name-fused$a.run")
    done
  done
  echo "== $c test, BM25 top $depth re-ranked"
  dotnet "$app" eval --qrels "$qrels" --metrics ndcg_cut_10,recip_rank_10 "${runs[@]}" --json "$out/$c-eval.json"
done
if [ "$smoke" = 1 ]; then
  # The consumers of this output: one seed-table row (recipe ref, seed 1, three kinds) per collection, and one
  # prior-split row per run.
  python3 "$root/scripts/seed-table.py" "$out" | tee "$out/seed-table.md"
  [ "$(grep -cE '^\| ref \| 1 \|( \*\*[0-9.]+ ± [0-9.]+\*\* \([^|]+\) \|){3}$' "$out/seed-table.md")" = 2 ] \
    || { echo "smoke: seed-table.py did not print one 'ref' row of three cells per collection" >&2; exit 1; }
  python3 "$root/scripts/prior-split.py" --train-qrels "$data/scifact/qrels/train.tsv" --test-qrels "$data/scifact/qrels/test.tsv" \
    "$out/scifact-eval.json" | tee "$out/prior-split.md"
  [ "$(grep -cE '^\| scifact-[^|]+ \| [0-9.]+ \| [0-9.]+ \| [0-9.]+ \|$' "$out/prior-split.md")" = 4 ] \
    || { echo "smoke: prior-split.py did not print 4 run rows" >&2; exit 1; }
  echo "smoke: eval-models, seed-table, prior-split ok"
fi
