#!/usr/bin/env bash
# Training throughput of the C++ libtorch engine (libsrtrain, as the project had it before issue #11) and of the
# TorchSharp trainer (this tree), on the bench/TrainSpeed workload: 2 layers x 128, vocab 30,522, 4 groups x 8 pairs
# x 192 tokens per step, LCE, AdamW, dropout 0.1. Runs alternate between the engines (the order flips every round), so
# both see the same machine; every line carries the load average. Results: docs/training.md.
#
#   bench/compare-train-engines.sh [ROUNDS=3 STEPS=10 OLD_REF=adb8875 WORK=/tmp/train-engines]
#
# The old engine is built from git (OLD_REF, the last commit that had it) and needs what it needed then: Debian's
# libtorch-dev, libopenblas0-pthread, cmake and g++. Part 2 repeats the two-thread runs beside one busy process
# (`yes > /dev/null`, a stand-in for a shared machine) with OpenMP's wait policy ACTIVE and PASSIVE.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rounds=${ROUNDS:-3}
steps=${STEPS:-10}
old_ref=${OLD_REF:-adb8875}
work=${WORK:-/tmp/train-engines}
export MSBUILDDISABLENODEREUSE=1

mkdir -p "$work"
if [ ! -f "$work/old/bench/TrainSpeed/bin/Release/net10.0/TrainSpeed.dll" ]; then
  rm -rf "$work/old" && mkdir -p "$work/old"
  git -C "$root" archive "$old_ref" | tar -x -C "$work/old"
  dotnet build "$work/old/bench/TrainSpeed" -c Release -nologo -v quiet -clp:ErrorsOnly >&2
fi
dotnet build "$root/bench/TrainSpeed" -c Release -nologo -v quiet -clp:ErrorsOnly >&2
old="$work/old/bench/TrainSpeed/bin/Release/net10.0/TrainSpeed.dll"
new="$root/bench/TrainSpeed/bin/Release/net10.0/TrainSpeed.dll"

# One run: prints engine, threads, policy, pairs/s, pairs per CPU-second, peak RSS (MB), load average.
run() { # engine dll threads [extra env]
  local engine=$1 dll=$2 threads=$3; shift 3
  local out rss
  out=$(env "$@" /usr/bin/time -f "rss_kb=%M" dotnet "$dll" --threads "$threads" --steps "$steps" 2>&1)
  rss=$(grep -o 'rss_kb=[0-9]*' <<<"$out" | cut -d= -f2)
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$engine" "$threads" "${OMP_POLICY_LABEL:-default}" \
    "$(grep -oE '[0-9.]+ pairs/s' <<<"$out" | cut -d' ' -f1)" "$(grep -oE '[0-9.]+ pairs/CPU-s' <<<"$out" | cut -d' ' -f1)" \
    "$((rss / 1024))" "$(cut -d' ' -f1-3 /proc/loadavg)"
}

printf 'engine\tthreads\tomp_wait_policy\tpairs_per_s\tpairs_per_cpu_s\tpeak_rss_mb\tloadavg\n'
for threads in 1 2; do
  for round in $(seq "$rounds"); do
    if [ $((round % 2)) = 1 ]; then order="old new"; else order="new old"; fi
    for engine in $order; do
      if [ "$engine" = old ]; then run libsrtrain "$old" "$threads"; else run torchsharp "$new" "$threads"; fi
    done
  done
done

# Part 2: a loaded machine. One busy process competes for the two cores.
yes > /dev/null &
busy=$!
trap 'kill "$busy" 2>/dev/null || true' EXIT
for round in $(seq "$rounds"); do
  run libsrtrain "$old" 2 | sed 's/\tdefault\t/\tloaded\t/'
  OMP_POLICY_LABEL=loaded-ACTIVE run torchsharp "$new" 2 OMP_WAIT_POLICY=ACTIVE
  OMP_POLICY_LABEL=loaded-PASSIVE run torchsharp "$new" 2 OMP_WAIT_POLICY=PASSIVE
  OMP_POLICY_LABEL=loaded-PASSIVE run torchsharp "$new" 1 OMP_WAIT_POLICY=PASSIVE
done
