# Sourced by ./run-tests before Maven runs: a throwaway PostgreSQL for the store contract and multi-node tests.
#
# bin/pg-cluster.sh (which installs Debian's server binaries when missing, as root) creates a cluster in a fresh
# temp dir and starts it on a free loopback port; this exports what it prints:
#   GATEHOUSE_TEST_PG_URL, GATEHOUSE_TEST_PG_USER, GATEHOUSE_TEST_PG_PASSWORD
# The cluster is stopped and deleted when run-tests exits (at_exit). Without binaries it prints a note and the
# PostgreSQL tests skip. Fault tests that stop PostgreSQL start clusters of their own with the same script.
# Set GATEHOUSE_TEST_PG=off to skip, or set GATEHOUSE_TEST_PG_URL yourself to use an existing database.

gh_pg_note() { echo "test-env/postgres: $*" >&2; }

gh_pg_start() {
  local start_ns out dir
  start_ns=$(date +%s%N)
  dir=$(mktemp -d /tmp/gatehouse-pg.XXXXXX) || return 0
  at_exit "bin/pg-cluster.sh destroy $dir"
  if ! out=$(bin/pg-cluster.sh start "$dir"); then
    gh_pg_note "no PostgreSQL could be started: PostgreSQL tests will be skipped"
    return 0
  fi
  # Should run-tests itself be killed (no EXIT trap then), a watchdog stops the server once it is gone.
  local parent=$$
  ( trap '' INT HUP; while kill -0 "$parent" 2>/dev/null; do sleep 2; done; bin/pg-cluster.sh destroy "$dir" ) \
    </dev/null >/dev/null 2>&1 &
  at_exit "kill $! 2>/dev/null"
  while IFS='=' read -r k v; do export "$k=$v"; done <<<"$out"
  gh_pg_note "PostgreSQL on ${GATEHOUSE_TEST_PG_URL#jdbc:postgresql://} ready in $(( ($(date +%s%N) - start_ns) / 1000000 )) ms ($dir, removed on exit)"
}

if [ "${GATEHOUSE_TEST_PG:-on}" = off ]; then
  gh_pg_note "GATEHOUSE_TEST_PG=off: PostgreSQL tests will be skipped"
elif [ -n "${GATEHOUSE_TEST_PG_URL:-}" ]; then
  gh_pg_note "using the given GATEHOUSE_TEST_PG_URL"
else
  gh_pg_start || true
fi
