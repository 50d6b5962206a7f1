#!/usr/bin/env bash
# Device side of the GPU kit (issue #34; the whole sequence is in docs/benchmarks.md, "The GPU kit"). It runs where
# there is no .NET: the kit carries a self-contained publish of the console tool.
#
#   device.sh gather CALLDIR   one call's chunk (and the manifest, and with the first call the zstd tool) into
#                              $KIT_HOME/chunks, outside the tree, where the next call on the warm machine finds it
#   device.sh unpack           check every chunk held, reassemble, unpack into $KIT_HOME/kit (run does this first)
#   device.sh probe            the GPU, and where the CUDA 13 libraries and libtorch of the Python environment are
#   device.sh run [--device cuda|cpu] [--queries N] [--large-queries N] [--no-train]
#                              check every chunk, reassemble, unpack, and measure: rerank on the CPU and on the device
#                              asked for (cuda means `--device cuda!`: no silent CPU fallback), both models, fp32 and
#                              fp16 where the device's onnxruntime Python package can convert the model; then the
#                              optional TorchSharp training check. `--device cpu` is the rehearsal without a GPU.
#
# Everything printed also lands in $OUT (log.txt, summary.md, summary.json, probe.txt, train.txt, and logs.tar.gz with
# each command's own --verbose log: at most 8 files come back).
# Env: KIT_HOME (default ~/searchrerank-gpu-kit), RUN_TIMEOUT seconds per command (240), DEADLINE seconds after
# which no further re-ranking or training starts (420; the call's limit is 600), TORCH_LIB (libtorch folder
# for the training check; default: torch/lib of python3's torch), BATCHES (GPU batch sizes, "32 100").
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
home=${KIT_HOME:-${HOME:-/root}/searchrerank-gpu-kit}
store=$home/chunks
kit=$home/kit
work=$home/work
out=${OUT:-$home/out}
mkdir -p "$out"
exec > >(tee -a "$out/log.txt") 2>&1

die() { echo "error: $*" >&2; exit 1; }
stamp() { echo "== $* ($(date -u +%H:%M:%S), load average $(cut -d' ' -f1-3 /proc/loadavg))"; }

# Every site-packages python3 sees: the CUDA 13 wheels put their libraries in nvidia/<name>/lib.
site_dirs() {
  python3 -c 'import site, sys; print("\n".join(p for p in site.getsitepackages() + [site.getusersitepackages()] + sys.path if p.endswith("-packages")))' 2>/dev/null | sort -u
}

cuda_lib_path() {
  local dirs=() sp d
  while read -r sp; do
    for d in "$sp"/nvidia/*/lib; do [ -d "$d" ] && dirs+=("$d"); done
  done < <(site_dirs)
  (IFS=:; echo "${dirs[*]:-}")
}

torch_lib() {
  if [ -n "${TORCH_LIB:-}" ]; then echo "$TORCH_LIB"; return; fi
  local sp
  while read -r sp; do
    [ -f "$sp/torch/lib/libtorch_cpu.so" ] && { echo "$sp/torch/lib"; return; }
  done < <(site_dirs)
}

probe() {
  stamp "probe"
  { if command -v nvidia-smi > /dev/null; then nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>&1 || true
    else echo "nvidia-smi: not on this machine"; fi
    echo "python3: $(command -v python3) $(python3 --version 2>&1)"
    local libs; libs=$(cuda_lib_path)
    echo "CUDA library folders: ${libs:-none found}"
    # What ORT 1.31's CUDA provider links or loads (README, "ONNX Runtime: packages, CUDA, build options").
    for lib in libcudart.so.13 libcublas.so.13 libcublasLt.so.13 libcurand.so.10 libcufft.so.12 libcudnn.so.9; do
      local hit=""
      IFS=: read -ra folders <<< "$libs"
      for d in "${folders[@]}"; do [ -e "$d/$lib" ] && { hit=$d/$lib; break; }; done
      echo "  $lib: ${hit:-NOT FOUND}"
    done
    echo "libtorch: $(torch_lib || true)"
    python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda)' 2>&1 | tail -n 1 || true
  } | tee "$out/probe.txt"
}

gather() {
  [ $# -eq 1 ] || die "usage: device.sh gather CALLDIR"
  stamp "gather $1"
  python3 "$here/kit.py" gather "$1" "$store"
}

unpack() {
  local zstd
  zstd=$(command -v zstd || true)
  if [ -z "$zstd" ]; then
    [ -x "$store/tools/zstd" ] || die "no zstd on this machine and none carried (tools/ comes with call 1)"
    zstd=$store/tools/zstd
  fi
  rm -rf "$kit.tmp"
  mkdir -p "$kit.tmp"
  stamp "reassemble and unpack into $kit"
  LD_LIBRARY_PATH=$store/tools/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} bash -o pipefail -c \
    'python3 "$1" assemble "$2" | "$3" -d -q -c | tar -x -C "$4"' sh "$here/kit.py" "$store" "$zstd" "$kit.tmp"
  rm -rf "$kit"
  mv "$kit.tmp" "$kit"
  du -sh "$kit"
}

rerank() {
  local name=$1 model=$2 device=$3 precision=$4 batch=$5 length=$6 qdir=$7 baseline=$8
  local log=$work/$name.log run=$work/$name.run
  stamp "rerank $name: $(basename "$model"), --device $device, $precision, batch $batch, max length $length"
  local fused_eval="" load
  if [ $((SECONDS - started)) -gt "$deadline" ]; then
    echo "rerank $name: skipped, the run is past its ${deadline} s budget (DEADLINE)"
    return
  fi
  load=$(cut -d' ' -f1 /proc/loadavg)
  if timeout "$timeout" "$app" rerank --run "$qdir/first-stage.run" --queries "$kit/data/scifact/queries.jsonl" \
      --index "$work/index" --model "$model" --out "$run" --depth 100 --no-fusion --device "$device" \
      --batch-size "$batch" --max-length "$length" --verbose > "$log" 2>&1; then
    grep -E "runs on|re-ranked|warning" "$log" || true
    "$app" eval --qrels "$qdir/qrels.tsv" --run "$run" --metrics ndcg_cut_10 --json "$work/$name.eval.json" --quiet
    if [ -f "$model/fusion.json" ]; then
      "$app" fuse --run "$qdir/first-stage.run" --ce-run "$run" --model "$model" --depth 100 --out "$work/$name.fused.run" --quiet
      "$app" eval --qrels "$qdir/qrels.tsv" --run "$work/$name.fused.run" --metrics ndcg_cut_10 \
        --json "$work/$name.fused.eval.json" --quiet
      fused_eval=$work/$name.fused.eval.json
    fi
  else
    echo "rerank $name failed (exit $?):"; tail -n 5 "$log"
    rm -f "$run"
  fi
  python3 -c 'import json, sys; print(json.dumps(dict(zip(["name", "model", "device", "precision", "batch", "max_length", "load", "log", "run", "eval", "fused_eval", "baseline"], sys.argv[1:]))))' \
    "$name" "$(basename "$model")" "$device" "$precision" "$batch" "$length" "$load → $(cut -d' ' -f1 /proc/loadavg)" \
    "$log" "$run" "$work/$name.eval.json" "$fused_eval" "$baseline" >> "$work/specs.jsonl"
}

# fp16 copy by onnxruntime's own converter (onnxruntime.transformers.float16), when python3 has it: the project's
# exporter writes fp32 only. Inputs (int64) and the logit output stay as they are (keep_io_types).
fp16_copy() {
  local src=$1 dst=$2
  rm -rf "$dst"
  cp -r "$src" "$dst"
  python3 - "$src/model.onnx" "$dst/model.onnx" <<'EOF'
import sys
import onnx
from onnxruntime.transformers.float16 import convert_float_to_float16
model = convert_float_to_float16(onnx.load(sys.argv[1]), keep_io_types=True)
onnx.save(model, sys.argv[2])
EOF
}

train_check() {
  local device=$1 lib
  lib=$(torch_lib || true)
  stamp "training check: TorchSharp 0.107 (built for libtorch 2.10) on ${lib:-no libtorch found}"
  {
    if [ -z "$lib" ]; then echo "train: not run: no libtorch found (TORCH_LIB, or torch/lib of python3's torch)"; return; fi
    echo "libtorch: $lib ($(python3 -c 'import torch; print(torch.__version__)' 2>/dev/null || echo "version unknown"))"
    local d status devices=(cpu)
    [ "$device" = cpu ] || devices+=("$device")
    for d in "${devices[@]}"; do
      rm -rf "$work/train-$d"
      status=0
      LD_LIBRARY_PATH=$lib:$cuda_libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} timeout "$timeout" "$app" train \
        --recipe "$kit/train/recipe.json" --index "$work/index" --queries "$kit/data/scifact/queries.jsonl" \
        --qrels "$kit/data/scifact/qrels/train.tsv" --out "$work/train-$d" --device "$d" \
        > "$work/train-$d.log" 2>&1 || status=$?
      if [ $status -ne 0 ]; then
        echo "train --device $d: does not load or run (exit $status): $(grep -m1 -iE "error|undefined symbol|exception" "$work/train-$d.log" || tail -n 1 "$work/train-$d.log")"
        # TorchSharp's message does not name what the loader missed; ldd -r on its shim does (symbol or library).
        if command -v ldd > /dev/null; then
          LD_LIBRARY_PATH=$lib:$cuda_libs ldd -r "$kit/app/libLibTorchSharp.so" 2>&1 | grep -E "undefined symbol|not found" | head -n 5 || true
        fi
      else
        echo "train --device $d: $(tail -n 1 "$work/train-$d.log")"
      fi
    done
    python3 - "$work"/train-*/train_log.jsonl <<'EOF'
import json, os, sys
runs = {os.path.basename(os.path.dirname(p))[len("train-"):]: [r["loss"] for r in map(json.loads, open(p)) if r.get("type") == "step"]
        for p in sys.argv[1:] if os.path.isfile(p)}
runs = {device: losses for device, losses in runs.items() if losses}
for device, losses in runs.items():
    print(f"train --device {device}: {len(losses)} steps, loss first {losses[0]:.6f}, last {losses[-1]:.6f}")
if "cpu" in runs and len(runs) == 2:
    other = next(v for k, v in runs.items() if k != "cpu")
    diffs = [abs(a - b) for a, b in zip(runs["cpu"], other)]
    print(f"largest |CPU - GPU| loss over {len(diffs)} steps: {max(diffs):.2e}")
EOF
  } 2>&1 | tee "$out/train.txt"
}

run() {
  local device=cuda queries=0 large_queries=100 train=1
  while [ $# -gt 0 ]; do
    case $1 in
      --device) device=$2; shift 2 ;;
      --queries) queries=$2; shift 2 ;;
      --large-queries) large_queries=$2; shift 2 ;;
      --no-train) train=0; shift ;;
      *) die "unknown option $1" ;;
    esac
  done
  case $device in cuda) accel="cuda!" ;; cpu) accel=cpu ;; *) die "--device: cuda or cpu, got '$device'" ;; esac
  timeout=${RUN_TIMEOUT:-240}
  # Re-rankings not started by then are skipped, so that a slow device still returns its summary inside the call.
  deadline=${DEADLINE:-420}
  started=$SECONDS
  probe
  cuda_libs=$(cuda_lib_path)
  export LD_LIBRARY_PATH=$cuda_libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
  unpack
  app=$kit/app/searchrerank
  cat "$kit/KIT.txt"
  rm -rf "$work"
  mkdir -p "$work"
  stamp "index SciFact"
  "$app" index --corpus "$kit/data/scifact/corpus.jsonl" --index "$work/index" --quiet

  # Each model on its own query subset (0 = all 300 test queries); the CPU run of the same subset is the baseline.
  # The quickstart model at the length it was trained for, the 6 × 384 at bench/run-throughput.sh's 256.
  local spec name model count length qdir
  for spec in "quickstart:$queries:128" "minilm6:$large_queries:256"; do
    IFS=: read -r name count length <<< "$spec"
    model=$kit/models/$name
    qdir=$work/q-$name
    if [ "$count" -gt 0 ]; then
      python3 "$here/kit.py" subset "$kit/runs/bm25-test.run" "$kit/data/scifact/qrels/test.tsv" "$count" "$qdir"
    else
      mkdir -p "$qdir"
      cp "$kit/runs/bm25-test.run" "$qdir/first-stage.run"
      cp "$kit/data/scifact/qrels/test.tsv" "$qdir/qrels.tsv"
    fi
    local base=$work/$name-cpu.run batch
    rerank "$name-cpu" "$model" cpu fp32 32 "$length" "$qdir" ""
    for batch in ${BATCHES:-32 100}; do
      rerank "$name-$device-b$batch" "$model" "$accel" fp32 "$batch" "$length" "$qdir" "$base"
    done
    if [ "$device" = cuda ]; then
      stamp "fp16 copy of $name"
      if fp16_copy "$model" "$work/$name-fp16" > "$work/$name-fp16.log" 2>&1; then
        for batch in ${BATCHES:-32 100}; do
          rerank "$name-$device-fp16-b$batch" "$work/$name-fp16" "$accel" fp16 "$batch" "$length" "$qdir" "$base"
        done
      else
        echo "fp16: not run for $name: $(tail -n 1 "$work/$name-fp16.log")"
      fi
    fi
    # After each model, so that a call stopped at its limit still brings back what was measured.
    stamp "summary"
    python3 "$here/kit.py" report "$work/specs.jsonl" --out "$out/summary.md" --json "$out/summary.json"
    tar -czf "$out/logs.tar.gz" -C "$work" $(cd "$work" && ls -- *.log)
  done
  if [ $train = 1 ] && [ $((SECONDS - started)) -le "$deadline" ]; then
    train_check "$accel"
  elif [ $train = 1 ]; then
    echo "train: skipped, the run is past its ${deadline} s budget (DEADLINE)" | tee "$out/train.txt"
  fi
  stamp "done in $((SECONDS - started)) s"
}

[ $# -ge 1 ] || die "usage: device.sh gather CALLDIR | unpack | probe | run [--device cuda|cpu] [--queries N] [--large-queries N] [--no-train]"
command=$1
shift
case $command in
  gather) gather "$@" ;;
  unpack) unpack ;;
  probe) probe ;;
  run) run "$@" ;;
  *) die "unknown command '$command' (gather, unpack, probe, run)" ;;
esac
