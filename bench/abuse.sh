#!/usr/bin/env bash
# Abuse scenario: legitimate client_credentials throughput and p99, first on a quiet server, then while an attacker
# floods the token endpoint with wrong secrets and unknown client ids and holds stalled uploads open.
# Target: the legitimate p99 under abuse stays within 2x its quiet value.
#
#   bench/abuse.sh
# The legitimate client and the attacker come from different addresses, as they would in production: the server
# trusts 127.0.0.1 as a proxy (trusted-proxies) and each side sends its own X-Forwarded-For.
# Env: ALG=ES256 (the legitimate client's signing algorithm)  C=8 (its connections)  DURATION=10  WARMUP=5
#      FLOOD_C=32 (attacker connections)  STALLED=300 (stalled uploads held open)  PORT=9100
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
ALG=${ALG:-ES256}; C=${C:-8}; DURATION=${DURATION:-10}; WARMUP=${WARMUP:-5}
FLOOD_C=${FLOOD_C:-32}; STALLED=${STALLED:-300}; PORT=${PORT:-9100}; BASE=http://127.0.0.1:$PORT
command -v wrk >/dev/null || { echo "abuse: needs wrk (apt-get install wrk)" >&2; exit 1; }
command -v python3 >/dev/null || { echo "abuse: needs python3 (stalled uploads)" >&2; exit 1; }
"$ROOT/gatehouse" --version >/dev/null

DATA=$(mktemp -d /tmp/gatehouse-abuse.XXXXXX); GH=""; PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -n "$GH" ] && kill "$GH" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$DATA"
}
trap cleanup EXIT
printf '{"trusted-proxies": ["127.0.0.1/32"]}\n' > "$DATA/gatehouse.json"
"$ROOT/gatehouse" client add legit --secret legit-secret --signing-alg "$ALG" --data "$DATA" >/dev/null 2>&1
"$ROOT/gatehouse" client add victim --secret victim-secret --data "$DATA" >/dev/null 2>&1
GATEHOUSE_MANAGEMENT_PORT=0 "$ROOT/gatehouse" serve --port "$PORT" --data "$DATA" --config "$DATA/gatehouse.json" > "$DATA/server.log" 2>&1 &
GH=$!
until curl -s -o /dev/null -u legit:legit-secret -d grant_type=client_credentials "$BASE/oauth2/token"; do
  kill -0 "$GH" 2>/dev/null || { cat "$DATA/server.log" >&2; exit 1; }
  sleep 0.05
done

export WRK_METHOD=POST WRK_BODY=grant_type=client_credentials WRK_CONTENT_TYPE=application/x-www-form-urlencoded
basic() { printf '%s:%s' "$1" "$2" | base64 -w0; }
legit() {  # DURATION -> the RESULT line of the legitimate load
  wrk -t1 -c"$C" -d"$1s" --latency -H "Authorization: Basic $(basic legit legit-secret)" \
      -H "X-Forwarded-For: 10.0.0.1" -s "$HERE/wrk.lua" "$BASE/oauth2/token" | grep '^RESULT'
}
field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }

legit "$WARMUP" >/dev/null
quiet=$(legit "$DURATION")

# The attacker: wrong secrets for an existing client and unknown client ids, from its own address ...
wrk -t1 -c"$FLOOD_C" -d"$((DURATION + WARMUP + 5))s" -H "Authorization: Basic $(basic victim wrong-guess)" \
    -H "X-Forwarded-For: 10.0.0.66" -s "$HERE/wrk.lua" "$BASE/oauth2/token" >/dev/null 2>&1 &
PIDS+=($!)
wrk -t1 -c"$FLOOD_C" -d"$((DURATION + WARMUP + 5))s" -H "Authorization: Basic $(basic no-such-client whatever)" \
    -H "X-Forwarded-For: 10.0.0.67" -s "$HERE/wrk.lua" "$BASE/oauth2/token" >/dev/null 2>&1 &
PIDS+=($!)
# ... and stalled uploads: most of a declared body, then nothing.
python3 - "$PORT" "$STALLED" "$((DURATION + WARMUP + 5))" <<'PY' &
import socket, sys, time
port, n, hold = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
socks = []
for i in range(n):
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=2)
        s.sendall(b"POST /oauth2/token HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 10.0.0.68\r\n"
                  b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 65536\r\n\r\n" + b"a" * 64000)
        socks.append(s)
    except OSError:
        pass
print(f"stalled uploads held: {len(socks)}", file=sys.stderr)
time.sleep(hold)
PY
PIDS+=($!)
sleep "$WARMUP"
abused=$(legit "$DURATION")

echo "# $(date -u +%FT%TZ) legitimate client ($ALG, c=$C) quiet vs under abuse ($((FLOOD_C * 2)) flooding connections, $STALLED stalled uploads)"
printf '%-12s %10s %9s %9s %8s\n' phase req/s p50_ms p99_ms non2xx
for phase in quiet abused; do
  line=${!phase}
  printf '%-12s %10s %9s %9s %8s\n' "$phase" "$(field "$line" rps)" "$(field "$line" p50_ms)" "$(field "$line" p99_ms)" \
      "$(field "$line" non2xx)"
done
awk -v q="$(field "$quiet" p99_ms)" -v a="$(field "$abused" p99_ms)" \
  'BEGIN { printf "# legitimate p99 under abuse: %.2fx the quiet value (target <= 2x)\n", a / q }'
echo "# server log lines during the run: $(wc -l < "$DATA/server.log") (ERROR: $(grep -c ' ERROR ' "$DATA/server.log" || true))"
