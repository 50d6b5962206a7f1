#!/usr/bin/env bash
# The GPU kit's call sequence rehearsed on this machine, without a GPU: every command of kit/calls.txt (made by
# pack.sh) verbatim, in order, from the repository root, each with its own emptied $OUT as on the device, the chunks
# gathered into a scratch folder outside the tree; the last call's `run --device cuda` becomes `run --device cpu`
# plus RUN_OPTIONS. The training check uses NuGet's libtorch 2.10 (CPU), the device's is PyTorch's 2.11.
# Usage: bench/gpu-kit/rehearse.sh [SCRATCH]   (default /tmp/searchrerank-gpu-kit-rehearsal, emptied first;
# env RUN_OPTIONS, default "--large-queries 10": the 6 × 384 model scores about 40 pairs/s on two cores)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
scratch=${1:-/tmp/searchrerank-gpu-kit-rehearsal}
cd "$root"
[ -f kit/calls.txt ] || { echo "error: no kit/calls.txt: run bench/gpu-kit/pack.sh first" >&2; exit 1; }
rm -rf "$scratch"
mkdir -p "$scratch"
export KIT_HOME=$scratch/home
TORCH_LIB=$(find ~/.nuget/packages/libtorch-cpu-linux-x64 -path '*runtimes/linux-x64/native' -type d | head -1)
export TORCH_LIB
# Two busy cores are slower than the device's budget for its 600 s call assumes.
export DEADLINE=${DEADLINE:-3600}
start=$SECONDS
call=0
while read -r cmd; do
  call=$((call + 1))
  export OUT=$scratch/out-$call
  mkdir -p "$OUT"
  cmd=${cmd/run --device cuda/run --device cpu ${RUN_OPTIONS:---large-queries 10}}
  echo "== call $call: $cmd"
  nice -n 10 bash -c "$cmd"
done < <(grep -v '^#' kit/calls.txt | grep .)
echo "== rehearsal: $call calls in $((SECONDS - start)) s; the last call's files: $OUT"
