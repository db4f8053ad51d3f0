# Sourced by ./run-tests before Maven runs: a throwaway PostgreSQL for the store contract and multi-node tests.
#
# When PostgreSQL server binaries exist (/usr/lib/postgresql/<version>/bin, newest first; apt-get installs them
# when missing, as root), this creates a cluster in a fresh temp dir, starts it on a free loopback port with its
# unix socket inside that dir, creates database `gatehouse` and exports
#   GATEHOUSE_TEST_PG_URL, GATEHOUSE_TEST_PG_USER, GATEHOUSE_TEST_PG_PASSWORD
# The cluster is stopped and deleted when run-tests exits (at_exit). Without binaries it prints a note and the
# PostgreSQL tests skip. initdb/pg_ctl refuse to run as root, so as root they run as the `postgres` system user
# (or `nobody`). Every step has a timeout; nothing here may abort the test run.
# Set GATEHOUSE_TEST_PG=off to skip, or set GATEHOUSE_TEST_PG_URL yourself to use an existing database.

gh_pg_note() { echo "test-env/postgres: $*" >&2; }

gh_pg_bindir() {
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do
    [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
  done
  return 1
}

gh_pg_install() {
  [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null || return 1
  gh_pg_note "installing PostgreSQL server binaries with apt-get (one time)..."
  # Debian's package creates a 'main' cluster and would start it on port 5432: forbid starting services meanwhile.
  local policy=/usr/sbin/policy-rc.d made_policy=
  if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && made_policy=1; fi
  local ok=0
  DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -q postgresql >/dev/null 2>&1 \
    || { timeout 300 apt-get update -q >/dev/null 2>&1 \
         && DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -q postgresql >/dev/null 2>&1; } || ok=1
  [ -n "$made_policy" ] && rm -f "$policy"
  return $ok
}

# Runs a PostgreSQL tool as the cluster's owner (never as root).
gh_pg_as() {
  if [ -z "$GH_PG_OWNER" ]; then "$@"; else runuser -u "$GH_PG_OWNER" -- "$@"; fi
}

gh_pg_stop() {
  [ -n "${GH_PG_DIR:-}" ] || return 0
  if [ -f "$GH_PG_DIR/data/postmaster.pid" ]; then
    gh_pg_as timeout 15 "$GH_PG_BIN/pg_ctl" -D "$GH_PG_DIR/data" -m immediate -w -t 10 stop >/dev/null 2>&1 || {
      local pid; pid=$(head -n1 "$GH_PG_DIR/data/postmaster.pid" 2>/dev/null)
      [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
    }
  fi
  rm -rf "$GH_PG_DIR"
  GH_PG_DIR=
}

gh_pg_free_port() {
  local p i
  for i in $(seq 1 50); do
    p=$(( 20000 + RANDOM % 30000 ))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return 0; }
  done
  return 1
}

gh_pg_start() {
  local start_ns; start_ns=$(date +%s%N)
  GH_PG_BIN=$(gh_pg_bindir) || { gh_pg_install && GH_PG_BIN=$(gh_pg_bindir); } || {
    gh_pg_note "no PostgreSQL server binaries (/usr/lib/postgresql/*/bin/initdb) and cannot install them: PostgreSQL tests will be skipped"
    return 0
  }
  GH_PG_OWNER=
  if [ "$(id -u)" = 0 ]; then
    if id postgres >/dev/null 2>&1; then GH_PG_OWNER=postgres; else GH_PG_OWNER=nobody; fi
    command -v runuser >/dev/null || { gh_pg_note "running as root without runuser: PostgreSQL tests will be skipped"; return 0; }
  fi
  GH_PG_DIR=$(mktemp -d /tmp/gatehouse-pg.XXXXXX) || return 0
  at_exit gh_pg_stop
  mkdir -p "$GH_PG_DIR/sock"
  local pw; pw=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
  (umask 077; printf '%s\n' "$pw" >"$GH_PG_DIR/pw")
  [ -n "$GH_PG_OWNER" ] && chown -R "$GH_PG_OWNER" "$GH_PG_DIR"
  chmod 700 "$GH_PG_DIR"
  if ! gh_pg_as timeout 60 "$GH_PG_BIN/initdb" -D "$GH_PG_DIR/data" -U gatehouse --pwfile="$GH_PG_DIR/pw" \
        --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C --no-sync >"$GH_PG_DIR/initdb.log" 2>&1; then
    gh_pg_note "initdb failed: PostgreSQL tests will be skipped"; sed 's/^/  /' "$GH_PG_DIR/initdb.log" >&2
    gh_pg_stop; return 0
  fi
  local port try started=
  for try in 1 2 3; do
    port=$(gh_pg_free_port) || break
    # A throwaway cluster: no fsync (the tests check behaviour, not the disk), small and quick.
    if gh_pg_as timeout 30 "$GH_PG_BIN/pg_ctl" -D "$GH_PG_DIR/data" -l "$GH_PG_DIR/server.log" -w -t 20 \
         -o "-p $port -k $GH_PG_DIR/sock -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off \
             -c full_page_writes=off -c max_connections=200 -c shared_buffers=32MB" start >/dev/null 2>&1; then
      started=1; break
    fi
  done
  if [ -z "$started" ]; then
    gh_pg_note "PostgreSQL did not start: PostgreSQL tests will be skipped"; tail -n 20 "$GH_PG_DIR/server.log" >&2 2>/dev/null
    gh_pg_stop; return 0
  fi
  if ! gh_pg_as timeout 20 "$GH_PG_BIN/createdb" -h "$GH_PG_DIR/sock" -p "$port" -U gatehouse gatehouse >/dev/null 2>&1; then
    gh_pg_note "createdb failed: PostgreSQL tests will be skipped"; gh_pg_stop; return 0
  fi
  # Should run-tests itself be killed (no EXIT trap then), a watchdog stops the server once it is gone.
  local parent=$$
  ( trap '' INT HUP; while kill -0 "$parent" 2>/dev/null; do sleep 2; done; gh_pg_stop ) </dev/null >/dev/null 2>&1 &
  at_exit "kill $! 2>/dev/null"
  export GATEHOUSE_TEST_PG_URL="jdbc:postgresql://127.0.0.1:$port/gatehouse"
  export GATEHOUSE_TEST_PG_USER=gatehouse
  export GATEHOUSE_TEST_PG_PASSWORD=$pw
  gh_pg_note "PostgreSQL $("$GH_PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$port ready in $(( ($(date +%s%N) - start_ns) / 1000000 )) ms ($GH_PG_DIR, removed on exit)"
}

if [ "${GATEHOUSE_TEST_PG:-on}" = off ]; then
  gh_pg_note "GATEHOUSE_TEST_PG=off: PostgreSQL tests will be skipped"
elif [ -n "${GATEHOUSE_TEST_PG_URL:-}" ]; then
  gh_pg_note "using the given GATEHOUSE_TEST_PG_URL"
else
  gh_pg_start || true
fi
