#!/usr/bin/env bash
# Installs everything SearchRerank needs on a fresh Debian machine, then builds the solution.
# Idempotent: each step checks before it acts, so a second run takes seconds.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

# ONNX Runtime comes from NuGet with the build (src/Rerank/SearchRerank.Rerank.csproj): nothing to install here.

say() { printf '[setup] %s\n' "$*" >&2; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# Libraries are checked as Debian packages; tools by command.
missing=()
for p in libtorch-dev libopenblas0-pthread; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
command -v cmake >/dev/null || missing+=(cmake)
command -v g++ >/dev/null || missing+=(g++)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ "${SETUP_SKIP_BUILD:-0}" != 1 ]; then
  say "building SearchRerank.sln (Release)"
  dotnet build "$root/SearchRerank.sln" -c Release -nologo -v quiet -clp:ErrorsOnly
fi
