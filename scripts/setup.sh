#!/usr/bin/env bash
# Sets SearchRerank up on a fresh machine: everything it needs comes from NuGet with the build (Lucene.Net, ONNX
# Runtime, TorchSharp + libtorch), so the only prerequisite is the .NET 10 SDK. Idempotent: a second run is an
# incremental build that takes seconds.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

say() { printf '[setup] %s\n' "$*" >&2; }

if ! command -v dotnet >/dev/null || ! dotnet --list-sdks | grep -q '^10\.'; then
  say "the .NET 10 SDK is required (https://dotnet.microsoft.com/download); 'dotnet --list-sdks' shows none"
  exit 1
fi

if [ "${SETUP_SKIP_BUILD:-0}" != 1 ]; then
  say "building SearchRerank.sln (Release)"
  dotnet build "$root/SearchRerank.sln" -c Release -nologo -v quiet -clp:ErrorsOnly
fi
