#!/usr/bin/env bash
# Installs everything SearchRerank needs on a fresh Debian machine, then builds the solution.
# Idempotent: each step checks before it acts, so a second run takes seconds.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

ORT_VERSION=1.30.0
# sha256 of package/bin/napi-v6/linux/x64/libonnxruntime.so.1 inside onnxruntime-node@1.30.0
ORT_SHA256=ffb75a925ba05e47b235bb66e3e3911714a80b328a9c9425539feb204aa32a23
ORT_DIR="$root/.deps/onnxruntime"

say() { printf '[setup] %s\n' "$*" >&2; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# Training needs nothing from Debian: TorchSharp and libtorch come from NuGet with the build. Tools are checked by
# command, since Node/npm may come from elsewhere.
missing=()
command -v npm >/dev/null || missing+=(nodejs npm)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ ! -f "$ORT_DIR/libonnxruntime.so.1" ] || ! echo "$ORT_SHA256  $ORT_DIR/libonnxruntime.so.1" | sha256sum -c --status; then
  say "fetching ONNX Runtime $ORT_VERSION from npm package onnxruntime-node"
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent "onnxruntime-node@$ORT_VERSION" >/dev/null 2>&1)
  tar -xzf "$tmp/onnxruntime-node-$ORT_VERSION.tgz" -C "$tmp" package/bin/napi-v6/linux/x64/libonnxruntime.so.1
  got=$(sha256sum "$tmp/package/bin/napi-v6/linux/x64/libonnxruntime.so.1" | cut -d' ' -f1)
  if [ "$got" != "$ORT_SHA256" ]; then
    say "checksum mismatch for libonnxruntime.so.1: expected $ORT_SHA256, got $got"
    exit 1
  fi
  mkdir -p "$ORT_DIR"
  mv "$tmp/package/bin/napi-v6/linux/x64/libonnxruntime.so.1" "$ORT_DIR/libonnxruntime.so.1.partial"
  mv "$ORT_DIR/libonnxruntime.so.1.partial" "$ORT_DIR/libonnxruntime.so.1"
fi

if [ "${SETUP_SKIP_BUILD:-0}" != 1 ]; then
  say "building SearchRerank.sln (Release)"
  dotnet build "$root/SearchRerank.sln" -c Release -nologo -v quiet -clp:ErrorsOnly
fi
