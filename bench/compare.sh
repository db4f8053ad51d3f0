#!/usr/bin/env bash
# Compare client_credentials throughput of this working tree against another commit, in one run, on the same
# machine: both are built, then measured alternately (A B A B ...) so that drift of a shared machine hits both.
#
#   bench/compare.sh REV [SCENARIO ...]      default scenarios: rs256 es256 opaque
# Env: ROUNDS=2 (A/B pairs per scenario)  C=8 (connections)  WARMUP=5  DURATION=10  PORT=9100
# Prints req/s, p99 and server CPU ms per request of each side, and the change of the means (B vs A).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
REV=${1:?usage: bench/compare.sh REV [SCENARIO ...]}; shift
SCENARIOS=${*:-"rs256 es256 opaque"}
ROUNDS=${ROUNDS:-2}; C=${C:-8}; WARMUP=${WARMUP:-5}; DURATION=${DURATION:-10}; PORT=${PORT:-9100}
command -v wrk >/dev/null || { echo "compare: needs wrk (apt-get install wrk)" >&2; exit 1; }

BASE=$(mktemp -d /tmp/gatehouse-compare.XXXXXX)
DATA=$(mktemp -d /tmp/gatehouse-compare-data.XXXXXX)
GH=""
cleanup() {
  [ -n "$GH" ] && kill "$GH" 2>/dev/null; wait 2>/dev/null || true
  git -C "$ROOT" worktree remove --force "$BASE/tree" >/dev/null 2>&1 || true
  rm -rf "$BASE" "$DATA"
}
trap cleanup EXIT
git -C "$ROOT" worktree add -q --detach "$BASE/tree" "$REV"
echo "# building $REV and the working tree" >&2
(cd "$BASE/tree" && ./gatehouse --version >/dev/null)
"$ROOT/gatehouse" --version >/dev/null
declare -A LAUNCHER=([A]="$BASE/tree/gatehouse" [B]="$ROOT/gatehouse")

serve() {  # SIDE: a fresh data dir with the bench clients, the server of that side on $PORT
  rm -rf "$DATA"; mkdir -m 700 "$DATA"
  local g=${LAUNCHER[$1]}
  "$g" client add bench-rs256 --secret bench-secret --data "$DATA" >/dev/null
  "$g" client add bench-es256 --secret bench-secret --signing-alg ES256 --data "$DATA" >/dev/null
  "$g" client add bench-opaque --secret bench-secret --token-format opaque --data "$DATA" >/dev/null
  GATEHOUSE_MANAGEMENT_PORT=0 "$g" serve --port "$PORT" --data "$DATA" > "$DATA/server.log" 2>&1 &
  GH=$!
  until curl -s -o /dev/null -u bench-rs256:bench-secret -d grant_type=client_credentials "http://127.0.0.1:$PORT/oauth2/token"; do
    kill -0 "$GH" 2>/dev/null || { cat "$DATA/server.log" >&2; exit 1; }
    sleep 0.05
  done
}

measure() {  # SIDE SCENARIO -> "rps p99 cpu_ms"
  local auth; auth="Authorization: Basic $(printf 'bench-%s:bench-secret' "$2" | base64 -w0)"
  export WRK_METHOD=POST WRK_BODY=grant_type=client_credentials WRK_CONTENT_TYPE=application/x-www-form-urlencoded
  wrk -t1 -c"$C" -d"${WARMUP}s" -H "$auth" -s "$HERE/wrk.lua" "http://127.0.0.1:$PORT/oauth2/token" >/dev/null
  local t0; t0=$(awk '{print $14+$15}' "/proc/$GH/stat")
  local line; line=$(wrk -t1 -c"$C" -d"${DURATION}s" --latency -H "$auth" -s "$HERE/wrk.lua" "http://127.0.0.1:$PORT/oauth2/token" | grep '^RESULT')
  local t1; t1=$(awk '{print $14+$15}' "/proc/$GH/stat")
  eval "$(echo "${line#RESULT }" | tr ' ' '\n' | sed 's/^/r_/')"
  awk -v rps="$r_rps" -v p99="$r_p99_ms" -v d=$((t1 - t0)) -v n="$r_requests" -v tck="$(getconf CLK_TCK)" \
    'BEGIN { printf "%s %s %.3f\n", rps, p99, d * 1000 / tck / n }'
}

declare -A SUM
echo "# $(date -u +%FT%TZ) A = $REV, B = working tree; c=$C, warm-up ${WARMUP}s, measure ${DURATION}s, $ROUNDS rounds"
printf '%-8s %-2s %5s %10s %9s %11s\n' scenario s round req/s p99_ms cpu_ms/req
for r in $(seq 1 "$ROUNDS"); do
  for side in A B; do
    serve "$side"
    for sc in $SCENARIOS; do
      read -r rps p99 cpu <<<"$(measure "$side" "$sc")"
      printf '%-8s %-2s %5s %10s %9s %11s\n' "$sc" "$side" "$r" "$rps" "$p99" "$cpu"
      SUM[$sc.$side]=$(awk -v a="${SUM[$sc.$side]:-0}" -v b="$rps" 'BEGIN { print a + b }')
    done
    kill "$GH"; wait "$GH" 2>/dev/null || true; GH=""
  done
done
for sc in $SCENARIOS; do
  awk -v a="${SUM[$sc.A]}" -v b="${SUM[$sc.B]}" -v s="$sc" -v n="$ROUNDS" \
    'BEGIN { printf "# %s: A %.0f req/s, B %.0f req/s (mean of %d): B is %+.1f %%\n", s, a / n, b / n, n, (b - a) * 100 / a }'
done
