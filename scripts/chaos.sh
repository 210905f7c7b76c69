#!/usr/bin/env bash
# The fault suite (src/test/java/dev/dromedary/chaos/ChaosIT.java) at full size, on services of its own: each round
# imports ROWS contacts and exports the companies through one fault, and the last fault drains JOBS no-op jobs and a
# 6-partition import on three instances while one is SIGKILLed. Prints the table, also in target/chaos-report.md;
# exits non-zero when a round lost, repeated or miscounted anything.
# Usage: scripts/chaos.sh [--rounds N (10)] [--rows ROWS (200000)] [--jobs JOBS (1000)] [--faults ID,ID (all)] [--seed S]
# Fault ids: sigkill, postgres-restart, postgres-backends, pool, elasticsearch, s3, instances, mirror (a mirror import
# SIGKILLed while it deletes the tenth of the rows its file lacks, and resumed).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=10 rows=200000 jobs=1000 faults="" seed=""
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --rows) rows="$2"; shift 2 ;;
    --jobs) jobs="$2"; shift 2 ;;
    --faults) faults="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    *) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
  esac
done
./mvnw -q package -DskipTests
rm -f target/chaos-report.md
status=0
./mvnw -q verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=ChaosIT -Dchaos.rounds="$rounds" \
  -Dchaos.rows="$rows" -Dchaos.jobs="$jobs" -Dchaos.faults="$faults" ${seed:+-Dchaos.seed="$seed"} \
  | grep --line-buffered -E "^CHAOS ROUND|Tests run:|<<< FAIL|BUILD FAILURE" || status=$?
cat target/chaos-report.md 2>/dev/null || true
exit "$status"
