#!/usr/bin/env bash
# Storage benchmark: durable opaque tokens beside node-oidc-provider's in-memory opaque tokens, measured the same
# way (../shared/peers/bench.sh: wrk, client_credentials with HTTP Basic), and restart after SIGKILL under load.
#
#   bench/storage.sh
# For each of: node-oidc-provider (TOKEN_FORMAT=opaque, in memory), Gatehouse with durability full (fsync at every
# commit, the default) and Gatehouse with durability process, at CONCURRENCY (default "8 64"):
#   req/s, p99 ms, server CPU ms per token, RSS; then, for Gatehouse, the database file sizes and
#   RESTARTS times "SIGKILL under load, then ./gatehouse serve: process start to the first token".
# Env: CONCURRENCY="8 64" WARMUP=5 DURATION=10 RESTARTS=5 PORT=9100 PEERS=../shared/peers
# Results: a summary table on stdout (the peers' script also writes TSVs into $PEERS/results).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
PEERS=${PEERS:-$ROOT/../shared/peers}
export CONCURRENCY=${CONCURRENCY:-"8 64"} WARMUP=${WARMUP:-5} DURATION=${DURATION:-10}
RESTARTS=${RESTARTS:-5}; PORT=${PORT:-9100}; BASE=http://127.0.0.1:$PORT
[ -x "$PEERS/bench.sh" ] || { echo "storage bench: no peers at $PEERS (set PEERS=...)" >&2; exit 1; }
command -v wrk >/dev/null || { echo "storage bench: needs wrk (apt-get install wrk)" >&2; exit 1; }
"$ROOT/gatehouse" --version >/dev/null   # builds the distribution and its start-up cache when needed

SUMMARY=$(mktemp); DATA=""; GH=""
cleanup() {
  [ -n "$GH" ] && kill -9 "$GH" 2>/dev/null || true
  [ -f "$PEERS/run/oidc-provider.pid" ] && kill "$(cat "$PEERS/run/oidc-provider.pid")" 2>/dev/null || true
  [ -n "$DATA" ] && rm -rf "$DATA"
  rm -f "$SUMMARY"
}
trap cleanup EXIT

# peer_bench LABEL BASE PATH ID SECRET PID: the peers' script, token mode only; keeps the rows for the summary
peer_bench() {
  local out
  out=$(SERVER_PID=$6 MODES=token "$PEERS/bench.sh" "$2" "$3" "$4" "$5" /.well-known/openid-configuration "$1")
  echo "$out"
  echo "$out" | awk -v l="$1" '$1 == "token" { printf "%s\t%s\t%s\t%s\t%s\t%s\n", l, $2, $3, $5, $9, $8 }' >> "$SUMMARY"
}

now_ms() { date +%s%3N; }
first_token_ms() {  # after starting a server at $1 (ms): waits for the first 200, sets FIRST_MS
  local t0=$1
  until [ "$(curl -s -o /dev/null -w '%{http_code}' -u bench-opaque:bench-secret -d grant_type=client_credentials \
            "$BASE/oauth2/token")" = 200 ]; do
    kill -0 "$GH" 2>/dev/null || { echo "storage bench: server died" >&2; cat "$DATA/server.log" >&2; exit 1; }
    sleep 0.005
  done
  FIRST_MS=$(( $(now_ms) - t0 ))
}
start_gatehouse() {  # DURABILITY: starts the server (GH = its pid), FIRST_MS = process start to first token
  local t0; t0=$(now_ms)
  GATEHOUSE_MANAGEMENT_PORT=0 GATEHOUSE_DURABILITY=$1 "$ROOT/gatehouse" serve --port "$PORT" --data "$DATA" >> "$DATA/server.log" 2>&1 &
  GH=$!
  first_token_ms "$t0"
}

echo "# $(date -u +%FT%TZ)  $(nproc) cpus, loadavg $(cut -d' ' -f1-3 /proc/loadavg); warm-up ${WARMUP}s, measure ${DURATION}s"
echo "## node-oidc-provider, opaque tokens in memory (not durable)"
started=$(TOKEN_FORMAT=opaque "$PEERS/start-oidc-provider.sh"); echo "${started%%$'\n'*}"
peer_bench node-opaque http://127.0.0.1:18081 /token bench-client bench-secret "$(cat "$PEERS/run/oidc-provider.pid")"
kill "$(cat "$PEERS/run/oidc-provider.pid")"; rm -f "$PEERS/run/oidc-provider.pid"

RESTART_LINES=""
for durability in full process; do
  echo "## Gatehouse, opaque tokens, durability $durability"
  DATA=$(mktemp -d /tmp/gatehouse-storage.XXXXXX)
  "$ROOT/gatehouse" client add bench-opaque --secret bench-secret --scope "read write" --token-format opaque \
      --data "$DATA" >/dev/null
  start_gatehouse "$durability"
  echo "launch to first token (new data dir): $FIRST_MS ms"
  peer_bench "gatehouse-$durability" "$BASE" /oauth2/token bench-opaque bench-secret "$GH"
  echo "database files after the run: $(cd "$DATA" && ls -l gatehouse.db* | awk '{printf "%s %d KiB  ", $9, $5/1024}')"
  times=""
  for i in $(seq 1 "$RESTARTS"); do
    wrk -t1 -c8 -d3s -H "Authorization: Basic $(printf bench-opaque:bench-secret | base64 -w0)" \
        -s "$PEERS/token.lua" "$BASE/oauth2/token" >/dev/null 2>&1 &
    WRK=$!
    sleep 1.5
    kill -9 "$GH"; wait "$GH" 2>/dev/null || true
    wait "$WRK" 2>/dev/null || true
    start_gatehouse "$durability"
    times="$times $FIRST_MS"
  done
  RESTART_LINES="$RESTART_LINES\n$durability: SIGKILL under load, then process start to first token (ms):$times"
  kill "$GH"; wait "$GH" 2>/dev/null || true; GH=""
  rm -rf "$DATA"; DATA=""
done

echo
echo "## Summary (one run; compare ratios)"
printf '%-18s %5s %10s %9s %11s %8s\n' server conc req/s p99_ms cpu_ms/tok rss_MiB
sort -k2,2n -s "$SUMMARY" | awk -F'\t' '{ printf "%-18s %5s %10s %9s %11s %8s\n", $1, $2, $3, $4, $5, $6 }'
awk -F'\t' '{ rps[$1" "$2] = $3 } END {
  for (k in rps) { split(k, a, " "); if (a[1] != "node-opaque" && rps["node-opaque " a[2]] > 0)
    printf "%s c=%s: %.2fx node-oidc-provider'"'"'s in-memory opaque rate\n", a[1], a[2], rps[k] / rps["node-opaque " a[2]] } }' \
  "$SUMMARY" | sort
printf "$RESTART_LINES\n"
