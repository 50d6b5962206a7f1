#!/usr/bin/env bash
# Builds the GPU kit of issue #34 on this machine (docs/benchmarks.md, "The GPU kit"): a self-contained linux-x64
# publish of the console tool with ONNX Runtime's CUDA provider (libtorch left out: re-ranking never loads it;
# TorchSharp's own shim stays for the optional training check against the device's libtorch), the SciFact corpus,
# the BM25 top-100 run of the 300 test queries, qrels, models/quickstart and a 6 × 384 model with random weights,
# packed as one tar.zst and cut into chunks that each fit one device call with the working tree. Output: kit/
# (ignored): kit/calls/cNN/ (one folder carried per call), kit/calls.txt (the call sequence), kit/kit.tar.zst.
# Usage: bench/gpu-kit/pack.sh   (env: ZSTD_LEVEL=19, ZSTD_THREADS=2, CHUNK_MIB=56, QUICKSTART_MODEL=models/quickstart,
# SHARED=DIR when ../shared is elsewhere). -19 is what shrinks the 284 MB CUDA provider to 186 MB but takes minutes
# per 100 MB on two cores; -3 or -6 is enough for a rehearsal on the CPU.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
shared=${SHARED:-$(cd "$root/../shared" && pwd)}
kit=$root/kit
level=${ZSTD_LEVEL:-19}
threads=${ZSTD_THREADS:-2}
chunk_mib=${CHUNK_MIB:-56}
quickstart=${QUICKSTART_MODEL:-$root/models/quickstart}
cd "$root"
say() { printf '[pack] %s\n' "$*" >&2; }
n() { nice -n 10 "$@"; }

[ -f "$quickstart/model.onnx" ] || { say "no $quickstart/model.onnx: run ./searchrerank quickstart first (or set QUICKSTART_MODEL)"; exit 1; }
# The framework-dependent build makes the data (model init needs libtorch); the publish's own obj/ files would make
# ./searchrerank's staleness check rebuild the solution on every pack, so any existing build is taken as it is.
cli=(dotnet "$root/src/Cli/bin/Release/net10.0/searchrerank.dll")
[ -f "${cli[1]}" ] || n scripts/setup.sh
stage=$kit/stage
work=$kit/work
rm -rf "$stage" "$kit/calls" "$kit/calls.txt"
mkdir -p "$stage" "$work"

say "publishing src/Cli self-contained for linux-x64 with the CUDA provider"
n dotnet publish src/Cli -c Release -r linux-x64 --self-contained -p:OnnxRuntimeBackend=cuda -nologo -v quiet \
  -clp:ErrorsOnly -o "$work/publish"
cp -a "$work/publish" "$stage/app"
libtorch=$(find ~/.nuget/packages/libtorch-cpu-linux-x64 -path '*runtimes/linux-x64/native' -type d | head -1)
for f in "$libtorch"/*; do rm -f "$stage/app/$(basename "$f")"; done
[ -f "$stage/app/libonnxruntime_providers_cuda.so" ] || { say "the publish holds no libonnxruntime_providers_cuda.so"; exit 1; }

say "data: corpus, queries, qrels, BM25 top 100 of the test queries"
mkdir -p "$stage/data/scifact/qrels" "$stage/runs"
cp "$shared/data/scifact/corpus.jsonl" "$shared/data/scifact/queries.jsonl" "$stage/data/scifact/"
cp "$shared/data/scifact/qrels/test.tsv" "$shared/data/scifact/qrels/train.tsv" "$stage/data/scifact/qrels/"
[ -d "$work/index" ] || n "${cli[@]}" index --corpus "$shared/data/scifact/corpus.jsonl" --index "$work/index" --quiet
n "${cli[@]}" search --index "$work/index" --queries "$shared/data/scifact/queries.jsonl" \
  --qrels "$shared/data/scifact/qrels/test.tsv" -k 100 --out "$stage/runs/bm25-test.run" --quiet

# Only what inference reads: weights for training (safetensors, checkpoints) stay behind.
copy_model() {
  mkdir -p "$2"
  for f in config.json vocab.txt tokenizer.json tokenizer_config.json special_tokens_map.json fusion.json model.onnx; do
    [ -f "$1/$f" ] && cp "$1/$f" "$2/"
  done
  [ -f "$2/model.onnx" ] || { say "$1 has no model.onnx"; exit 1; }
}
say "models: $quickstart, and the 6 × 384 (12 heads, 1536 intermediate) of bench/run-throughput.sh, random weights"
copy_model "$quickstart" "$stage/models/quickstart"
[ -f "$work/minilm6/model.onnx" ] || n "${cli[@]}" model init --layers 6 --hidden 384 --heads 12 --intermediate 1536 \
  --vocab "$shared/reference/tiny-bert-ce" --out "$work/minilm6" --seed 42 --quiet
copy_model "$work/minilm6" "$stage/models/minilm6"

# The training check: recipes/quickstart.json cut to 40 steps, without validation, dropout 0 so that the CPU and the
# GPU losses can be compared step by step.
mkdir -p "$stage/train/tiny-bert"
python3 - "$root/recipes/models/tiny-bert/config.json" "$stage/train/tiny-bert/config.json" <<'EOF'
import json, sys
config = json.load(open(sys.argv[1]))
config.update(hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0)
json.dump(config, open(sys.argv[2], "w"), indent=2)
EOF
cp "$shared/reference/tiny-bert-ce/vocab.txt" "$stage/train/vocab.txt"
cat > "$stage/train/recipe.json" <<'EOF'
{
  "seed": 13,
  "model": { "config": "tiny-bert", "tokenizer": "vocab.txt", "exact_match": true },
  "validation_queries": 0,
  "fusion_alpha": 0.3,
  "checkpoint_interval": 1000,
  "stages": [
    { "name": "contrastive", "objective": "lce", "lr": 3e-4, "warmup": 5, "steps": 40, "batch": 4, "group_size": 8, "max_length": 128 }
  ]
}
EOF

{ echo "SearchRerank GPU kit, commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src || echo '+changes'), packed $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "ONNX Runtime: $(ls "$stage/app" | grep -E '^libonnxruntime' | tr '\n' ' ')"
  (cd "$stage" && du -sh app data runs models train | tr '\t' ' ')
} > "$stage/KIT.txt"

say "packing with zstd -$level -T$threads"
start=$SECONDS
rm -f "$kit/kit.tar.zst"
tar -C "$stage" -cf - . | n zstd -q "-$level" "-T$threads" -o "$kit/kit.tar.zst"
say "$(du -b "$kit/kit.tar.zst" | cut -f1) bytes in $((SECONDS - start)) s"

python3 bench/gpu-kit/kit.py split "$kit/kit.tar.zst" "$kit/calls" --chunk-bytes $((chunk_mib * 1024 * 1024))
# zstd for a device without it: this machine's binary and the libraries it links (glibc is older here than there).
mkdir -p "$kit/calls/c01/tools/lib"
cp "$(command -v zstd)" "$kit/calls/c01/tools/"
ldd "$(command -v zstd)" | awk '/=> \// && $1 !~ /^lib(c|m|pthread|dl)\.so/ {print $3}' | xargs -r cp -t "$kit/calls/c01/tools/lib/"

# The tree travels with every call: tracked plus untracked files git does not ignore.
tree=$(git ls-files -co --exclude-standard -z | xargs -0 du -cb 2>/dev/null | tail -1 | cut -f1)
limit=$((64 * 1024 * 1024))
calls=$(ls "$kit/calls" | wc -l)
{
  echo "# GPU kit calls: $calls, back to back on one warm machine (it goes back 30 s after a call)."
  echo "# Working tree: $tree bytes; 64 MiB = $limit bytes per call."
  for dir in "$kit"/calls/c*; do
    call=$(basename "$dir")
    size=$(du -sb "$dir" | cut -f1)
    total=$((tree + size))
    [ $total -lt $limit ] || { say "call $call would carry $total bytes, over 64 MiB: lower CHUNK_MIB"; exit 1; }
    cmd="bash bench/gpu-kit/device.sh gather kit/calls/$call"
    [ "$call" = c01 ] && cmd="$cmd && bash bench/gpu-kit/device.sh probe"
    [ "$call" = "c$(printf %02d "$calls")" ] && cmd="$cmd && bash bench/gpu-kit/device.sh run --device cuda"
    echo
    echo "# call $call: carry [\"kit/calls/$call\"], $size bytes + tree = $total bytes, timeout_s $([ "$call" = "c$(printf %02d "$calls")" ] && echo 600 || echo 120)"
    echo "$cmd"
  done
} > "$kit/calls.txt"
cat "$kit/calls.txt"
