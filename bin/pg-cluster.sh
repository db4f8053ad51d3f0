#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests and fault scripts (never for production).
#
#   bin/pg-cluster.sh start DIR      create the cluster in DIR (once) and start it on a free loopback port; prints
#                                    GATEHOUSE_TEST_PG_URL=..., GATEHOUSE_TEST_PG_USER=..., GATEHOUSE_TEST_PG_PASSWORD=...
#   bin/pg-cluster.sh stop DIR       fast shutdown (clients are disconnected), the cluster stays in DIR
#   bin/pg-cluster.sh kill DIR       immediate shutdown (like a crash of the database server)
#   bin/pg-cluster.sh resume DIR     start a stopped cluster again, on the same port
#   bin/pg-cluster.sh destroy DIR    stop it and delete DIR
#
# Uses the newest /usr/lib/postgresql/*/bin; installs Debian's postgresql package when missing (root with apt-get,
# without letting Debian create or start its own cluster). As root, initdb and pg_ctl run as the `postgres` system
# user (or `nobody`): PostgreSQL refuses to run as root. The cluster has fsync off (it is thrown away) and its unix
# socket inside DIR. Every step has a timeout. Exit status 3: no PostgreSQL binaries and none can be installed.
set -uo pipefail

note() { echo "pg-cluster: $*" >&2; }

bindir() {
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do
    [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
  done
  return 1
}

install_binaries() {
  [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null || return 1
  note "installing PostgreSQL server binaries with apt-get (one time)..."
  # Debian's package creates a 'main' cluster and would start it on port 5432: forbid starting services meanwhile.
  local policy=/usr/sbin/policy-rc.d made_policy='' ok=0
  if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && made_policy=1; fi
  DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -q postgresql >/dev/null 2>&1 \
    || { timeout 300 apt-get update -q >/dev/null 2>&1 \
         && DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -q postgresql >/dev/null 2>&1; } || ok=1
  [ -n "$made_policy" ] && rm -f "$policy"
  return $ok
}

owner() {
  if [ "$(id -u)" != 0 ]; then echo ""; elif id postgres >/dev/null 2>&1; then echo postgres; else echo nobody; fi
}

# Runs a PostgreSQL tool as the cluster's owner (never as root), from / : the caller's working directory (a
# checkout in a 0700 temp directory, say) may be closed to that user, and initdb refuses to start there.
as_owner() {
  local o; o=$(owner)
  if [ -z "$o" ]; then "$@"; else (cd / && runuser -u "$o" -- "$@"); fi
}

free_port() {
  local p i
  for i in $(seq 1 50); do
    p=$(( 20000 + RANDOM % 30000 ))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return 0; }
  done
  return 1
}

pg_start_on() {  # DIR PORT
  as_owner timeout 30 "$BIN/pg_ctl" -D "$1/data" -l "$1/server.log" -w -t 20 \
    -o "-p $2 -k $1/sock -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off \
        -c full_page_writes=off -c max_connections=200 -c shared_buffers=32MB" start >/dev/null 2>&1
}

print_env() {  # DIR
  echo "GATEHOUSE_TEST_PG_URL=jdbc:postgresql://127.0.0.1:$(cat "$1/port")/gatehouse"
  echo "GATEHOUSE_TEST_PG_USER=gatehouse"
  echo "GATEHOUSE_TEST_PG_PASSWORD=$(cat "$1/pw")"
}

cmd_start() {
  local dir=$1 port try
  if [ -f "$dir/port" ] && [ -d "$dir/data" ]; then cmd_resume "$dir" && print_env "$dir"; return; fi
  mkdir -p "$dir/sock" || return 1
  (umask 077; head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$dir/pw"; echo >>"$dir/pw")
  [ -n "$(owner)" ] && chown -R "$(owner)" "$dir"
  chmod 700 "$dir"
  if ! as_owner timeout 60 "$BIN/initdb" -D "$dir/data" -U gatehouse --pwfile="$dir/pw" \
        --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C --no-sync >"$dir/initdb.log" 2>&1; then
    note "initdb failed:"; sed 's/^/  /' "$dir/initdb.log" >&2; return 1
  fi
  for try in 1 2 3; do
    port=$(free_port) || break
    if pg_start_on "$dir" "$port"; then
      echo "$port" >"$dir/port"
      if ! as_owner timeout 20 "$BIN/createdb" -h "$dir/sock" -p "$port" -U gatehouse gatehouse >/dev/null 2>&1; then
        note "createdb failed"; return 1
      fi
      print_env "$dir"
      return 0
    fi
  done
  note "PostgreSQL did not start"; tail -n 20 "$dir/server.log" >&2 2>/dev/null
  return 1
}

cmd_stop() {  # DIR MODE
  [ -f "$1/data/postmaster.pid" ] || return 0
  as_owner timeout 15 "$BIN/pg_ctl" -D "$1/data" -m "$2" -w -t 10 stop >/dev/null 2>&1 || {
    local pid; pid=$(head -n1 "$1/data/postmaster.pid" 2>/dev/null)
    [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
    sleep 0.5
  }
}

cmd_resume() {
  pg_start_on "$1" "$(cat "$1/port")" || { note "PostgreSQL did not start again"; tail -n 20 "$1/server.log" >&2; return 1; }
}

cmd_destroy() {
  cmd_stop "$1" immediate
  rm -rf "$1"
}

[ $# -eq 2 ] || { sed -n '2,12p' "$0" >&2; exit 2; }
BIN=$(bindir) || { install_binaries && BIN=$(bindir); } || { note "no PostgreSQL server binaries and cannot install them"; exit 3; }
[ -z "$(owner)" ] || command -v runuser >/dev/null || { note "running as root without runuser"; exit 3; }
case $1 in
  start) cmd_start "$2" ;;
  stop) cmd_stop "$2" fast ;;
  kill) cmd_stop "$2" immediate ;;
  resume) cmd_resume "$2" ;;
  destroy) cmd_destroy "$2" ;;
  *) sed -n '2,12p' "$0" >&2; exit 2 ;;
esac
