#!/usr/bin/env bash
# Behaviour unchanged? Builds the tool at an earlier commit (git worktree) and at this tree, runs the same pipeline with
# each — index SciFact, BM25 top 1000, re-rank the top 100 with the reference model (raw logits) and with MODEL (fused),
# fuse, eval — and compares every output byte for byte. Exit 1 when any differs.
# Usage: scripts/same-runs.sh OLD_COMMIT [MODEL]   (MODEL defaults to models/quickstart; WORK=/tmp/same-runs)
# Commits before 'search --out' wrote the run with --run; the script asks the old tool which one it takes.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
old=${1:?usage: scripts/same-runs.sh OLD_COMMIT [MODEL]}
model=$(cd "${2:-$root/models/quickstart}" && pwd)
shared=$(cd "$root/../shared" && pwd)
work=${WORK:-/tmp/same-runs}
data=$shared/data/scifact
rm -rf "$work"; mkdir -p "$work"
git -C "$root" worktree add --detach "$work/old-tree" "$old" >/dev/null
trap 'git -C "$root" worktree remove --force "$work/old-tree"' EXIT
dotnet build "$work/old-tree/src/Cli" -c Release -nologo -v quiet -clp:ErrorsOnly
dotnet build "$root/src/Cli" -c Release -nologo -v quiet -clp:ErrorsOnly
for side in old new; do
  tree=$root; [ "$side" = old ] && tree=$work/old-tree
  app="dotnet $tree/src/Cli/bin/Release/net10.0/searchrerank.dll"
  out=--out; $app search --help | grep -q -- '--out' || out=--run
  w=$work/$side; mkdir -p "$w"
  $app index --corpus "$data/corpus.jsonl" --index "$w/index" --quiet
  $app search --index "$w/index" --queries "$data/queries.jsonl" --qrels "$data/qrels/test.tsv" -k 1000 $out "$w/bm25.run" --quiet
  $app rerank --run "$w/bm25.run" --queries "$data/queries.jsonl" --index "$w/index" --model "$shared/reference/tiny-bert-ce" \
    --depth 100 --no-fusion --out "$w/reference.run" --quiet
  $app rerank --run "$w/bm25.run" --queries "$data/queries.jsonl" --index "$w/index" --model "$model" --depth 100 --out "$w/model.run" --quiet
  $app fuse --run "$w/bm25.run" --ce-run "$w/reference.run" --alpha 0.3 --depth 100 --out "$w/fused.run" --quiet
  $app eval --qrels "$data/qrels/test.tsv" --run "$w/bm25.run" --run "$w/model.run" --run "$w/fused.run" --metrics ndcg_cut_10,recall_100,map > "$w/eval.txt"
done
status=0
for f in bm25.run reference.run model.run fused.run eval.txt; do
  if cmp -s "$work/old/$f" "$work/new/$f"; then
    echo "same      $f ($(wc -l < "$work/new/$f") lines, sha256 $(sha256sum < "$work/new/$f" | cut -c1-16))"
  else
    echo "DIFFERENT $f"; status=1
  fi
done
exit $status
