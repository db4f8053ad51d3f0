#!/usr/bin/env bash
# Fault script: SIGKILL `gatehouse serve` under load, many rounds, on SQLite and on PostgreSQL, and check that every
# acknowledged write survived (tokens, revocations, refresh rotations, clients added by the CLI). It runs the suite's
# KillUnderLoadTest with more rounds; see that class for what is loaded and checked.
#
#   bench/kill-under-load.sh [ROUNDS]        default 20 rounds per database
# PostgreSQL: a throwaway cluster from bin/pg-cluster.sh (skipped with a note when none can be started), or your
# own through GATEHOUSE_TEST_PG_URL / _USER / _PASSWORD.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
. bin/jdk.sh
ROUNDS=${1:-20}
if [ -z "${GATEHOUSE_TEST_PG_URL:-}" ]; then
  PGDIR=$(mktemp -d /tmp/gatehouse-pg.XXXXXX)
  trap 'bin/pg-cluster.sh destroy "$PGDIR" >/dev/null 2>&1 || true' EXIT
  if out=$(bin/pg-cluster.sh start "$PGDIR"); then
    while IFS='=' read -r k v; do export "$k=$v"; done <<<"$out"
  else
    echo "kill-under-load: no PostgreSQL could be started; running SQLite only" >&2
  fi
fi
start=$(date +%s)
./mvnw -B -ntp -q test -Dtest=KillUnderLoadTest -Dgatehouse.kill.rounds="$ROUNDS" -Dsurefire.failIfNoSpecifiedTests=false \
  || { echo "kill-under-load: FAILED (see target/surefire-reports/io.gatehouse.store.jdbc.KillUnderLoadTest*.txt)" >&2; exit 1; }
cat target/surefire-reports/io.gatehouse.store.jdbc.KillUnderLoadTest-output.txt
echo "kill-under-load: $ROUNDS rounds per database passed in $(( $(date +%s) - start )) s"
