#!/usr/bin/env bash
# Imports a large generated contact file, then exports it whole, with Dromedary's heap capped, against the
# real services the tests use; then imports rows of 1 MB each followed by a quote left open for 200 MB.
# Prints rows/s, the most heap in use after a GC, and the peak RSS of each.
# Usage: scripts/large-import-export.sh [ROWS (1000000)] [HEAP (256m)] [BIG_ROWS (5000)]
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-1000000}"
heap="${2:-256m}"
big_rows="${3:-5000}"
./mvnw -q package -DskipTests
./mvnw -q verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=LargeImportExportIT \
  -Dlarge.rows="$rows" -Dlarge.bigrows="$big_rows" -Dlarge.heap="$heap" | grep -E "LARGE (IMPORT|EXPORT|BIG)|Tests run|FAIL" || true
grep -h "LARGE" target/failsafe-reports/*LargeImportExportIT-output.txt 2>/dev/null || true
