#!/usr/bin/env bash
# Gatehouse benchmark: starts the server on a fresh data dir, registers clients and a user, measures launch
# to first token, then drives each scenario at several concurrencies and prints a table:
# req/s, p50/p99 latency, server CPU ms per request (from /proc), server RSS, non-2xx count.
#
# Usage: bench/bench.sh [SCENARIO ...]      (default: all scenarios, in the order below)
#        bench/bench.sh --vs-peers [--keycloak]   Gatehouse beside node-oidc-provider (and Keycloak): bench/vs-peers.sh
# Scenarios (driver: wrk + wrk.lua unless noted; see bench/README.md):
#   rs256 es256 eddsa opaque  POST /oauth2/token client_credentials (Basic), one client per token type
#   std-same    POST /oauth2/token client_credentials (Basic) with client bench-same: the baseline for the
#               dialect scenarios (same client, so same alg RS256, same claims, same secret check)
#   app-key     POST /oauth/token/get {"app_id","app_key"} (seed 000) with client bench-same
#   json-cc     POST /v1/api/oauth/token {"grant_type","scope","client_id","client_secret"} (seed 001),
#               client bench-same
#   product     GET /product/get?id=1 with a valid Bearer JWT (client bench-api, 24 h TTL): token validation
#   admin       GET /admin/api/v1/clients?limit=20 with a cached admin token (client bench-admin, scope
#               gatehouse:admin, 24 h TTL) over 20+ registered clients: admin API reads (target >= 5,000 req/s at c=8)
#   discovery   GET /.well-known/openid-configuration (no crypto, no DB: the HTTP floor)
#   login       FlowLoad.java: one request = a whole sign-in (authorize -> POST /login (Argon2id) ->
#               authorize -> code -> POST /oauth2/token), PKCE S256, fresh cookies; client bench-web
#   refresh     FlowLoad.java: grant_type=refresh_token with rotation (each worker uses its newest token)
# With login, bench/Argon2Cost.java times one Argon2id check (the server's parameters and JVM flags) just before
# and just after the login rows, and the run ends with "sign-in CPU = X.XXx one Argon2id check (target <= 1.3x)".
# After the table, when std-same and a dialect ran at the same concurrency, prints the dialect's CPU per
# token relative to std-same ("dialect overhead: app-key +2.1 %, ..."). A scenario named twice is measured
# twice and the line uses the mean, e.g. `bench/bench.sh rs256 std-same app-key json-cc std-same`.
# Env: CONCURRENCY="1 8 64"  WARMUP=5  DURATION=15 (seconds)  THREADS=1 (wrk threads)  PORT=9100
#      GATEHOUSE_JAVA_OPTS (JVM flags for the server, see ./gatehouse)
# Extra scenarios: bench/scenarios.d/*.sh are sourced with "setup" (before the server starts) and with
# "run NAME" (return 0 if NAME was handled, using the run function).
# Results: table on stdout, TSV in bench/results/. The machine is shared: compare ratios from one run.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
. "$ROOT/bin/jdk.sh"
. "$HERE/lib.sh"
if [ "${1:-}" = --vs-peers ]; then shift; exec "$HERE/vs-peers.sh" "$@"; fi
. "$ROOT/bin/jvm-opts.sh"   # SERVE_OPTS: the server's default JVM flags (Argon2Cost runs with the same)
CONCURRENCY=${CONCURRENCY:-"1 8 64"}; WARMUP=${WARMUP:-5}; DURATION=${DURATION:-15}; THREADS=${THREADS:-1}
PORT=${PORT:-9100}; BASE=http://127.0.0.1:$PORT
LOGIN_MAX_CONCURRENCY=8   # below the attempt limiter's 10 sign-ins in flight per account and address
ALL="rs256 es256 eddsa opaque std-same app-key json-cc product admin discovery login refresh"
SCENARIOS=${*:-$ALL}

ensure_wrk

"$ROOT/gatehouse" --version >/dev/null   # builds the distribution if needed
DATA=$(mktemp -d /tmp/gatehouse-bench.XXXXXX)
SERVER_PID=
# (wait returns the server's 143; under set -e that used to end the trap before rm, leaking the data dir)
cleanup() { if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null || true; fi; rm -rf "$DATA"; }
trap cleanup EXIT

cli() { "$ROOT/gatehouse" "$@" --data "$DATA" >/dev/null; }
# Secrets through standard input, never on the command line (ps).
client() { local id=$1; shift; printf '%s\n' bench-secret | cli client add "$id" --secret-stdin "$@"; }
client bench-rs256 --scope "read write"
client bench-es256 --scope "read write" --signing-alg ES256
client bench-eddsa --scope "read write" --signing-alg EdDSA
client bench-opaque --scope "read write" --token-format opaque
# One client for std-same, app-key and json-cc, so they differ only in the wire format.
client bench-same --grant client_credentials --scope api --claim tenant=bench
client bench-api --grant client_credentials --scope api --access-token-ttl 86400
client bench-admin --grant client_credentials --scope gatehouse:admin --access-token-ttl 86400
# Code flow: first-party (no consent page), PKCE, refresh tokens; a user with a production Argon2id hash.
WEB_REDIRECT=http://127.0.0.1/cb; USER_PASSWORD='bench-password-1'
client bench-web --grant authorization_code --refresh-tokens --first-party \
    --require-pkce --redirect-uri "$WEB_REDIRECT" --scope api
printf '%s\n' "$USER_PASSWORD" | cli user add bench-user --password-stdin
for f in "$HERE"/scenarios.d/*.sh; do [ -e "$f" ] && . "$f" setup; done

# Launch to first token: server process start to the first 200 from the token endpoint.
t0=$(now_ms)
# management listener (health, metrics) on a free port: the default 9001 may be taken by a server of ones own
GATEHOUSE_MANAGEMENT_PORT=0 "$ROOT/gatehouse" serve --port "$PORT" --data "$DATA" > "$DATA/server.log" 2>&1 &
SERVER_PID=$!
AUTH="Authorization: Basic $(basic bench-rs256 bench-secret)"
LAUNCH_MS=$(first_token_ms "$t0" "$BASE/oauth2/token" "$AUTH" "$SERVER_PID" "$DATA/server.log")
JPID=$(pgrep -P "$SERVER_PID" java || echo "$SERVER_PID")   # ./gatehouse execs java, so usually the same pid

cpu_ticks() { tree_ticks "$JPID"; }
rss_mib() { tree_rss_mib "$JPID"; }
OUT=$HERE/results/bench-$(date -u +%Y%m%dT%H%M%SZ).tsv
mkdir -p "$HERE/results"
printf 'scenario\tconc\trps\tp50_ms\tp99_ms\tcpu_ms_per_req\trss_mib\tnon2xx\n' > "$OUT"

machine_header
echo "# wrk -t$THREADS, warm-up ${WARMUP}s, measure ${DURATION}s"
echo "# $(grep -o 'crypto provider: .*' "$DATA/server.log" || true)"
echo "# launch to first token: ${LAUNCH_MS} ms   RSS after start: $(rss_mib) MiB"
printf '%-14s %5s %10s %9s %9s %11s %8s %7s\n' scenario conc req/s p50_ms p99_ms cpu_ms/req rss_MiB non2xx

declare -A CPR CPRN   # "label c" -> mean server CPU ms per request (and how many runs), for the overhead line
declare -A HASH_MS    # c -> CPU ms of the server's argon2-N threads per sign-in (the checks as run in the server)

# report LABEL C RESULT_LINE CPU_TICKS: one table row and one TSV row
report() {
  local label=$1 c=$2 line=$3 ticks=$4 cpr
  parse_result "$line"
  cpr=$(cpu_ms_per_req "$ticks" "$r_requests")
  local n=${CPRN["$label $c"]:-0}   # a scenario named twice (before and after others) is averaged
  CPR["$label $c"]=$(awk -v m="${CPR["$label $c"]:-0}" -v n="$n" -v x="$cpr" 'BEGIN { printf "%.3f", (m * n + x) / (n + 1) }')
  CPRN["$label $c"]=$((n + 1))
  printf '%-14s %5s %10s %9s %9s %11s %8s %7s\n' "$label" "$c" "$r_rps" "$r_p50_ms" "$r_p99_ms" "$cpr" "$(rss_mib)" "$r_non2xx"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$c" "$r_rps" "$r_p50_ms" "$r_p99_ms" "$cpr" "$(rss_mib)" "$r_non2xx" >> "$OUT"
}

# run LABEL METHOD PATH CONTENT_TYPE BODY [HEADER]
run() {
  local label=$1 method=$2 path=$3 ctype=$4 body=$5 header=${6:-"X-Bench: 1"} c
  export WRK_METHOD=$method WRK_BODY=$body WRK_CONTENT_TYPE=$ctype
  # sanity: one request must succeed
  local code
  if [ "$method" = POST ]; then code=$(curl -s -o /dev/null -w '%{http_code}' -H "$header" -H "Content-Type: $ctype" --data-binary "$body" "$BASE$path")
  else code=$(curl -s -o /dev/null -w '%{http_code}' -H "$header" "$BASE$path"); fi
  [ "$code" = 200 ] || { echo "bench: $label: $method $path answered $code" >&2; return 1; }
  for c in $CONCURRENCY; do
    wrk_window "$c" "$BASE$path" "$header" "$JPID"
    report "$label" "$c" "$RESULT" "$TICKS"
  done
}

# run_flow LABEL MODE: the code flow (login) or the refresh grant (refresh), driven by FlowLoad.java. It does
# its own set-up, warm-up and sanity check, and reads the server's /proc stat at the edges of its measured
# window (so its JVM start and set-up sign-ins are not charged to the server).
run_flow() {
  local label=$1 mode=$2 c line
  for c in $CONCURRENCY; do
    if [ "$mode" = login ] && [ "$c" -gt "$LOGIN_MAX_CONCURRENCY" ]; then
      # One user from one address: the attempt limiter counts sign-ins in flight against the 10 per account and address
      # (so parallel guessing gets no more checks than serial), and answers the rest 429 "ask again in a moment".
      echo "# login at c=$c skipped (at most $LOGIN_MAX_CONCURRENCY): the attempt limiter refuses (429) more than 10 sign-ins of one user from one address at once, by design"
      continue
    fi
    line=$("$JAVA_HOME/bin/java" "$HERE/FlowLoad.java" mode="$mode" base="$BASE" concurrency="$c" warmup="$WARMUP" \
        duration="$DURATION" client=bench-web secret=bench-secret user=bench-user password="$USER_PASSWORD" \
        redirect_uri="$WEB_REDIRECT" scope=openid cpu_stat="/proc/$JPID/stat" | grep '^RESULT') \
      || { echo "bench: $label: FlowLoad failed" >&2; return 1; }
    report "$label" "$c" "$line" "$(echo "$line" | sed -n 's/.*cpu_ticks=\([0-9-]*\).*/\1/p')"
    if [ "$mode" = login ]; then HASH_MS["$c"]=$(cpu_ms_per_req "${r_hash_ticks:-0}" "$r_requests"); fi
  done
}

# argon2_cost: server CPU ms of one Argon2id check (SecretHasher's parameters, the server's JVM flags, its own JVM
# while the server idles), from bench/Argon2Cost.java; appended to ARGON2_MS
ARGON2_MS=
argon2_cost() {
  local line
  # shellcheck disable=SC2086
  line=$("$JAVA_HOME/bin/java" ${GATEHOUSE_JAVA_OPTS:-$SERVE_OPTS} -cp "$ROOT/target/gatehouse.jar" "$HERE/Argon2Cost.java" \
      | grep '^RESULT') || { echo "bench: Argon2Cost failed" >&2; return 1; }
  ARGON2_MS="$ARGON2_MS $(echo "$line" | sed -n 's/.*argon2_cpu_ms=\([0-9.]*\).*/\1/p')"
  echo "# argon2id check: $(echo "$line" | sed -n 's/.*argon2_cpu_ms=\([0-9.]*\).*/\1/p') ms CPU" \
    "(of which GC $(echo "$line" | sed -n 's/.*argon2_gc_ms=\([0-9.]*\).*/\1/p') ms; bench/Argon2Cost.java with the" \
    "$([ -n "${GATEHOUSE_JAVA_OPTS:-}" ] && echo GATEHOUSE_JAVA_OPTS || echo "server's default") JVM flags)"
}

# json FIELD...: a JSON object of alternating keys and values (values here never need escaping)
json() { local s= sep=; while [ $# -gt 1 ]; do s="$s$sep\"$1\":\"$2\""; sep=,; shift 2; done; printf '{%s}' "$s"; }

FORM=application/x-www-form-urlencoded
for s in $SCENARIOS; do
  case $s in
    rs256|es256|eddsa|opaque)
      run "$s" POST /oauth2/token $FORM "grant_type=client_credentials" "Authorization: Basic $(basic "bench-$s" bench-secret)" ;;
    std-same)
      run std-same POST /oauth2/token $FORM "grant_type=client_credentials" "Authorization: Basic $(basic bench-same bench-secret)" ;;
    app-key)
      run app-key POST /oauth/token/get application/json "$(json app_id bench-same app_key bench-secret)" ;;
    json-cc)
      run json-cc POST /v1/api/oauth/token application/json \
        "$(json grant_type client_credentials scope api client_id bench-same client_secret bench-secret)" ;;
    product)
      TOKEN=$(curl -s -H "Authorization: Basic $(basic bench-api bench-secret)" -d grant_type=client_credentials \
        "$BASE/oauth2/token" | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
      [ -n "$TOKEN" ] || { echo "bench: product: no token for bench-api" >&2; exit 1; }
      run product GET "/product/get?id=1" "" "" "Authorization: Bearer $TOKEN" ;;
    admin)
      TOKEN=$(curl -s -H "Authorization: Basic $(basic bench-admin bench-secret)" -d grant_type=client_credentials \
        "$BASE/oauth2/token" | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
      [ -n "$TOKEN" ] || { echo "bench: admin: no token for bench-admin" >&2; exit 1; }
      for i in $(seq -w 1 15); do   # a page of 20 needs more clients than the set-up registered
        curl -s -o /dev/null -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
          -d "{\"client_id\":\"bench-admin-$i\",\"scope\":\"api\"}" "$BASE/admin/api/v1/clients"
      done
      run admin GET "/admin/api/v1/clients?limit=20" "" "" "Authorization: Bearer $TOKEN" ;;
    discovery)
      run discovery GET /.well-known/openid-configuration "" "" ;;
    login)
      argon2_cost; run_flow login login; argon2_cost ;;
    refresh)
      run_flow refresh refresh ;;
    *)
      handled=
      for f in "$HERE"/scenarios.d/*.sh; do [ -e "$f" ] && . "$f" run "$s" && handled=1 && break; done
      [ -n "$handled" ] || { echo "bench: unknown scenario $s" >&2; exit 2; } ;;
  esac
done
for c in $CONCURRENCY; do
  std=${CPR["std-same $c"]:-}; [ -n "$std" ] || continue
  parts=
  for d in app-key json-cc; do
    v=${CPR["$d $c"]:-}; [ -n "$v" ] || continue
    parts="$parts${parts:+, }$d $(awk -v d="$v" -v s="$std" 'BEGIN { if (s > 0) printf "%+.1f %%", (d / s - 1) * 100; else printf "n/a" }')"
  done
  [ -n "$parts" ] && echo "# dialect overhead: $parts CPU per token vs standard (std-same $std ms) at c=$c"
done
if [ -n "$ARGON2_MS" ]; then
  a=$(echo "$ARGON2_MS" | awk '{ for (i = 1; i <= NF; i++) s += $i; printf "%.1f", s / NF }')
  for c in $CONCURRENCY; do
    v=${CPR["login $c"]:-}; [ -n "$v" ] || continue
    echo "# sign-in CPU = $(awk -v v="$v" -v a="$a" 'BEGIN { printf "%.2f", v / a }')x one Argon2id check (target <= 1.3x): login $v ms vs check $a ms (mean of$ARGON2_MS) at c=$c"
    h=${HASH_MS["$c"]:-}; [ -n "$h" ] || continue
    echo "# in the server's own window: $(awk -v v="$v" -v h="$h" 'BEGIN { printf "%.2f", (h > 0 ? v / h : 0) }')x: login $v ms, of which the argon2-N threads (the check as run in the server) $h ms at c=$c"
  done
fi
echo "# RSS at end: $(rss_mib) MiB   results: $OUT"
