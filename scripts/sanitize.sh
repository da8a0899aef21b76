#!/usr/bin/env bash
# The whole test suite under a sanitizer (docs/SANITIZERS.md):
#
#   scripts/sanitize.sh address [swift test arguments...]    AddressSanitizer + LeakSanitizer
#   scripts/sanitize.sh thread  [swift test arguments...]    ThreadSanitizer
#
# Builds into .build-asan or .build-tsan, so the integration tests start the sanitized `portcullis`
# (ProxyUnderTest looks for it next to the test bundle). Every sanitized process, the test runner and
# each proxy it starts, writes its reports to REPORTS/<kind>.<pid> instead of stderr, where a child's
# report would be lost in a pipe; the run fails when any report was written.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
KIND=${1:?usage: scripts/sanitize.sh address|thread [swift test arguments...]}
shift
case $KIND in
address) SCRATCH=$ROOT/.build-asan ;;
thread) SCRATCH=$ROOT/.build-tsan ;;
*) echo "unknown sanitizer: $KIND" >&2; exit 2 ;;
esac
REPORTS=$SCRATCH/sanitizer-reports
rm -rf "$REPORTS"
mkdir -p "$REPORTS"

swift build --build-tests --sanitize="$KIND" --scratch-path "$SCRATCH"

# Tests that measure memory with RSS know they run under ASan (Tests/TestSupport/SanitizerRun.swift).
export PORTCULLIS_SANITIZER=$KIND
# Reports go to files; the suppressions file names each known, explained report.
# OpenSSL is built without frame pointers: leak stacks through it need the slow unwinder, or the
# suppressions, which match on the frames above OpenSSL, cannot tell our leaks from its one-time ones.
export ASAN_OPTIONS="log_path=$REPORTS/asan:detect_leaks=1:fast_unwind_on_malloc=0:malloc_context_size=30${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export LSAN_OPTIONS="suppressions=$ROOT/scripts/sanitizers/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export TSAN_OPTIONS="log_path=$REPORTS/tsan:halt_on_error=0:second_deadlock_stack=1:suppressions=$ROOT/scripts/sanitizers/tsan.supp${TSAN_OPTIONS:+:$TSAN_OPTIONS}"

set +e
swift test --skip-build --sanitize="$KIND" --scratch-path "$SCRATCH" --parallel --num-workers 2 "$@"
status=$?
set -e

reports=$(find "$REPORTS" -type f | sort)
if [ -n "$reports" ]; then
    echo "== $KIND sanitizer reports ($(echo "$reports" | wc -l) files in $REPORTS):"
    for report in $reports; do
        echo "-- $report"
        grep -E '^(SUMMARY|WARNING: ThreadSanitizer|==[0-9]+==ERROR)' "$report" | sort | uniq -c
    done
    status=${status/#0/1}
fi
exit $status
