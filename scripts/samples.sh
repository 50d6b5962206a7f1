#!/usr/bin/env bash
# Packs SearchRerank and checks the packages as an application meets them (docs/packages.md): restores the samples
# from the pack folder (never a stale SearchRerank package from the NuGet cache), builds and runs both and checks what
# they print (sample 2 trains the model sample 1 re-ranks with; its training loading libtorch on Debian 12 proves that
# the Train package's libstdc++ step reaches an application), publishes the Lucene.Net sample CPU-only and checks its
# size and the error it gives without ONNX Runtime's native library, and installs the console tool from the folder
# and runs `searchrerank --help`.
# Usage: scripts/samples.sh [--no-build]   (--no-build: pack what the last Release build made, as scripts/test.sh does)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
say() { printf '[samples] %s\n' "$*" >&2; }
fail() { say "FAILED: $*"; exit 1; }
quietly() { # runs a command, showing its output only when it fails
  "$@" > "$work/step.log" 2>&1 || { cat "$work/step.log" >&2; fail "$*"; }
}
expect() { # expect <file> <fixed text> <what>
  grep -qF -- "$2" "$1" || { cat "$1" >&2; fail "$3: the output has no '$2'"; }
}

version=$(sed -n 's:.*<SearchRerankVersion>\(.*\)</SearchRerankVersion>.*:\1:p' build/Version.props)
feed="$root/artifacts/packages"
cache="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
data="$root/../shared/data/scifact"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
started=$SECONDS

say "packing SearchRerank $version into artifacts/packages"
rm -f "$feed"/SearchRerank.*."$version".nupkg "$feed"/SearchRerank.*."$version".snupkg
quietly dotnet pack SearchRerank.sln -c Release -nologo -v quiet -clp:ErrorsOnly ${1:+"$1"}
(cd "$feed" && ls -l SearchRerank.*."$version".*nupkg | awk '{printf "[samples]   %-36s %8.1f MB\n", $9, $5 / 1048576}' >&2)
# Restores must take these packages, not an earlier pack of the same version that NuGet keeps in its cache.
for package in "$feed"/SearchRerank.*."$version".nupkg; do
  id=$(basename "$package" ".$version.nupkg" | tr '[:upper:]' '[:lower:]')
  rm -rf "${cache:?}/$id/$version"
done

say "sample 2 (first: it trains the model sample 1 uses): index, train, search, re-rank, evaluate from the packages (samples/IndexSearchRerankEval)"
quietly dotnet restore samples/IndexSearchRerankEval --force
quietly dotnet build samples/IndexSearchRerankEval -c Release --no-restore -nologo -v quiet -clp:ErrorsOnly
dotnet samples/IndexSearchRerankEval/bin/Release/net10.0/IndexSearchRerankEval.dll "$data" "$work/sample2" samples/IndexSearchRerankEval/recipe.json > "$work/sample2.txt"
cat "$work/sample2.txt" >&2
expect "$work/sample2.txt" "indexed: 5183 added" "sample 2"
expect "$work/sample2.txt" "trained: 100 steps" "sample 2"
grep -qE '^BM25 +0\.6[0-9]{3} ' "$work/sample2.txt" || fail "sample 2: BM25's nDCG@10 is not SciFact's 0.6x"
grep -qE '^BM25\+CE +0\.[0-9]{4} ' "$work/sample2.txt" || fail "sample 2: no BM25+CE line"

say "sample 1 (with the model sample 2 trained): an existing Lucene.Net application adds CrossEncoderRescorer (samples/LuceneAppRerank)"
quietly dotnet restore samples/LuceneAppRerank --force
quietly dotnet build samples/LuceneAppRerank -c Release --no-restore -nologo -v quiet -clp:ErrorsOnly
dotnet samples/LuceneAppRerank/bin/Release/net10.0/LuceneAppRerank.dll "$data/corpus.jsonl" "$work/sample2/model" > "$work/sample1.txt"
cat "$work/sample1.txt" >&2
expect "$work/sample1.txt" "re-ranked top 5 (CPUExecutionProvider):" "sample 1"
expect "$work/sample1.txt" "misconfigured rescorer: CrossEncoderRescorerOptions.Fields names 'bodyy', which none of the 50 candidates stores" "sample 1"
expect "$work/sample1.txt" "the candidates store 'body', 'headline', 'sku'" "sample 1"

quietly dotnet publish samples/LuceneAppRerank -c Release -r linux-x64 --self-contained false -o "$work/publish" -nologo -v quiet -clp:ErrorsOnly
size=$(du -sm "$work/publish" | cut -f1)
say "sample 1 published CPU-only, framework-dependent, linux-x64: $size MB"
[ "$size" -lt 60 ] || fail "the CPU-only publish is $size MB, not under 60 MB"
[ ! -e "$work/publish/libonnxruntime_providers_cuda.so" ] || fail "the CPU-only publish carries the CUDA provider"
# Without a native ONNX Runtime package the first model load must say which package to add.
rm "$work/publish/libonnxruntime.so"
if dotnet "$work/publish/LuceneAppRerank.dll" "$data/corpus.jsonl" "$work/sample2/model" > "$work/nonative.txt" 2>&1; then
  fail "sample 1 ran without libonnxruntime.so"
fi
expect "$work/nonative.txt" "error: ONNX Runtime's native library is not in this application: add the package Microsoft.ML.OnnxRuntime (CPU)" "sample 1 without the native library"

say "the console tool from the folder: dotnet tool install SearchRerank.Cli"
quietly dotnet tool install --tool-path "$work/tool" SearchRerank.Cli --version "$version" --add-source "$feed"
"$work/tool/searchrerank" --help > "$work/help.txt"
expect "$work/help.txt" "Usage:" "searchrerank --help"
expect "$work/help.txt" "rerank" "searchrerank --help"
say "samples passed in $((SECONDS - started)) s"
