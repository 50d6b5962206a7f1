#!/usr/bin/env bash
# Sets SearchRerank up on a fresh machine: everything it needs comes from NuGet with the build (Lucene.Net, ONNX
# Runtime, TorchSharp + libtorch) except Debian's chromium and chromium-driver for the search page's browser test and
# haproxy for the replication fault test, which it installs with apt-get when run as root; the only other prerequisite is the .NET 10 SDK. Idempotent: a second run is an
# incremental build that takes seconds.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

say() { printf '[setup] %s\n' "$*" >&2; }

if ! command -v dotnet >/dev/null || ! dotnet --list-sdks | grep -q '^10\.'; then
  say "the .NET 10 SDK is required (https://dotnet.microsoft.com/download); 'dotnet --list-sdks' shows none"
  exit 1
fi

# The search page's browser test drives Debian's Chromium through its WebDriver (tests/Server.Tests/SearchPageTests.cs).
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing Debian's chromium and chromium-driver (for the search page's browser test)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq chromium chromium-driver >/dev/null
  else
    say "chromium and chromium-driver are missing and this is not root: the search page's browser test will fail; install them with 'sudo apt-get install chromium chromium-driver'"
  fi
fi

# The replication fault test puts Debian's HAProxy in front of a primary and two replicas (deploy/, docs/deploy.md).
if ! command -v haproxy >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing Debian's haproxy (for the replication fault test)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq haproxy >/dev/null
  else
    say "haproxy is missing and this is not root: the replication fault test will fail; install it with 'sudo apt-get install haproxy'"
  fi
fi

if [ "${SETUP_SKIP_BUILD:-0}" != 1 ]; then
  say "building SearchRerank.sln (Release)"
  dotnet build "$root/SearchRerank.sln" -c Release -nologo -v quiet -clp:ErrorsOnly
fi
