#!/usr/bin/env bash
# Imports a large generated contact file with Dromedary's heap capped, against the real services the
# tests use, and prints rows/s, the most heap in use after a GC, and the peak RSS.
# Usage: scripts/large-import.sh [ROWS (1000000)] [HEAP (256m)]
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-1000000}"
heap="${2:-256m}"
./mvnw -q package -DskipTests
./mvnw -q verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=LargeImportIT \
  -Dlarge.rows="$rows" -Dlarge.heap="$heap" | grep -E "LARGE IMPORT|Tests run|FAIL" || true
grep -h "LARGE IMPORT" target/failsafe-reports/*LargeImportIT-output.txt 2>/dev/null || true
