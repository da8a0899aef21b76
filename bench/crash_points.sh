#!/usr/bin/env bash
# Kill -9 at random points (issue 14, Build-this item 4), 100 iterations of each scenario instead of
# make test's 20: `certs import`, `certs rollback`, a SIGHUP reload that regenerates certificates, and
# `acme renew` against Pebble (the ACME save). After every kill the store must load and every
# certificate be its old or its new version, whole. Usage: bench/crash_points.sh [ITERATIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
iterations="${1:-100}"
swift build --build-tests
PORTCULLIS_CRASH_ITERATIONS="$iterations" swift test --skip-build \
    --filter 'CrashDuringImportTests|CrashDuringStoreWritesTests|CrashDuringACMESaveTests' 2>&1 |
    grep -E 'CrashDuring|✔|✘|error'
