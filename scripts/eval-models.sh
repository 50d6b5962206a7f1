#!/usr/bin/env bash
# Re-ranks BM25's top 100 with each trained model on SciFact test and on Cranfield (a collection none was trained
# on), cross-encoder alone and fused with BM25 (α from the model's fusion.json, and the fixed α values in
# ALPHAS, default 0.5 and 0.7: the weights an unlabelled collection would fall back to), then evaluates every run against BM25 in one table per collection
# (paired t-test, Holm–Bonferroni). Runs go to OUT/runs, tables to stdout.
# Usage: scripts/eval-models.sh OUT MODEL_DIR...      e.g. scripts/eval-models.sh artifacts/best models/scifact-best-s*
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=$1; shift
[ $# -ge 1 ] || { echo "usage: $0 OUT MODEL_DIR..." >&2; exit 1; }
app=${SEARCHRERANK_DLL:-"$root/src/Cli/bin/Release/net10.0/searchrerank.dll"}   # a copy, to evaluate while the tree rebuilds
data="$root/../shared/data"
alphas=${ALPHAS:-"0.5 0.7"}
mkdir -p "$out/runs"
for c in scifact cranfield; do
  index="$root/index/$c"
  [ -d "$index" ] || dotnet "$app" index --corpus "$data/$c/corpus.jsonl" --index "$index" --quiet
  bm25="$out/runs/$c-bm25.run"
  dotnet "$app" search --index "$index" --queries "$data/$c/queries.jsonl" --qrels "$data/$c/qrels/test.tsv" -k 100 --out "$bm25" --quiet
  runs=(--run "$bm25")
  for model in "$@"; do
    name=$(basename "$model")
    ce="$out/runs/$c-$name-ce.run"
    dotnet "$app" rerank --run "$bm25" --queries "$data/$c/queries.jsonl" --index "$index" --model "$model" \
      --depth 100 --threads 1 --concurrent-batches 2 --no-fusion --quiet --out "$ce"
    # Scored once; every fused run is the same cross-encoder run at another α (fuse = rerank's fused run, score for score).
    dotnet "$app" fuse --run "$bm25" --ce-run "$ce" --model "$model" --depth 100 --quiet --out "$out/runs/$c-$name-fused.run"
    runs+=(--run "$ce" --run "$out/runs/$c-$name-fused.run")
    for a in $alphas; do
      dotnet "$app" fuse --run "$bm25" --ce-run "$ce" --alpha "$a" --depth 100 --quiet --out "$out/runs/$c-$name-fused$a.run"
      runs+=(--run "$out/runs/$c-$name-fused$a.run")
    done
  done
  echo "== $c test, BM25 top 100 re-ranked"
  dotnet "$app" eval --qrels "$data/$c/qrels/test.tsv" --metrics ndcg_cut_10,recip_rank_10 "${runs[@]}" --json "$out/$c-eval.json"
done
