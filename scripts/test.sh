#!/usr/bin/env bash
# Sets everything up, builds, and runs the whole test suite; ends with one summary line.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh" || exit 1
# The .editorconfig conventions are part of the build: a change that breaks one fails here, before any test runs.
if ! dotnet format "$root/SearchRerank.sln" --verify-no-changes --severity warn --no-restore -v q; then
    echo "formatting differs from .editorconfig: run 'dotnet format SearchRerank.sln --severity warn'" >&2
    exit 1
fi
log=$(mktemp)
dotnet test "$root/SearchRerank.sln" -c Release --no-build -nologo 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -oE 'Skipped: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
rm -f "$log"
echo "tests: $passed passed, $failed failed, $skipped skipped"
if [ "$rc" -eq 0 ] && [ "$passed" -eq 0 ]; then echo "no test ran" >&2; exit 1; fi
exit "$rc"
