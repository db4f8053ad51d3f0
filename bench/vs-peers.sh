#!/usr/bin/env bash
# Gatehouse beside node-oidc-provider 9.13 (and Keycloak with --keycloak), in one run, measured the same way:
# client_credentials at the token endpoint (HTTP Basic, same wrk.lua and body) with RS256 JWTs, ES256 JWTs and
# opaque tokens, at each concurrency. Every server is started fresh for every scenario and concurrency (its own
# launch to first token, no JIT or GC state carried over), in the order scenario > concurrency > server.
#
# Usage: bench/bench.sh --vs-peers [--keycloak]     (or bench/vs-peers.sh [--keycloak])
# Env: CONCURRENCY="8 64"  WARMUP=5  DURATION=10 (seconds)  THREADS=1 (wrk threads)  SCENARIOS="rs256 es256 opaque"
#      PEERS=../shared/peers  PORT (Gatehouse), NODE_PORT (default: a free port picked at each start)  KC_PORT=18080
#      GATEHOUSE_JAVA_OPTS
# Output: table and ratio lines (Gatehouse / node-oidc-provider against the issue 13 targets) on stdout,
# bench/results/vs-peers-<UTC time>.tsv and .svg (chart drawn by bench/chart.awk). Exit 2 when the peers are missing.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
. "$ROOT/bin/jdk.sh"
. "$HERE/lib.sh"
PEERS=${PEERS:-$ROOT/../shared/peers}
CONCURRENCY=${CONCURRENCY:-"8 64"}; WARMUP=${WARMUP:-5}; DURATION=${DURATION:-10}; THREADS=${THREADS:-1}
SCENARIOS=${SCENARIOS:-"rs256 es256 opaque"}
PORT=${PORT:-}; NODE_PORT=${NODE_PORT:-}; export KC_PORT=${KC_PORT:-18080}
SERVERS="gatehouse node-oidc-provider"
for a in "$@"; do
  case $a in
    --keycloak) SERVERS="$SERVERS keycloak" ;;
    *) echo "usage: bench/bench.sh --vs-peers [--keycloak]" >&2; exit 2 ;;
  esac
done
OP_DIR=$PEERS/oidc-provider
[ -f "$OP_DIR/server.mjs" ] || {
  echo "vs-peers: no peers directory at $PEERS (needs oidc-provider/server.mjs); set PEERS=/path/to/shared/peers" >&2
  exit 2; }
command -v node >/dev/null || { echo "vs-peers: node is missing (Node 20+ runs node-oidc-provider)" >&2; exit 2; }
ensure_wrk
"$ROOT/gatehouse" --version >/dev/null   # builds the distribution if needed, so no build lands in a launch time
[ -d "$OP_DIR/node_modules/oidc-provider" ] || (cd "$OP_DIR" && npm install --no-audit --no-fund >&2)
port_free() { ! (: < "/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# port_for GIVEN: GIVEN if set, else a port in 20000-32767 nobody listens on (others run servers on this machine)
port_for() {
  local p=$1; [ -n "$p" ] && { echo "$p"; return; }
  while p=$((20000 + RANDOM % 12768)); ! port_free "$p"; do :; done
  echo "$p"
}
for p in $PORT $NODE_PORT $([[ $SERVERS == *keycloak* ]] && echo "$KC_PORT"); do
  port_free "$p" || { echo "vs-peers: port $p is in use (set PORT/NODE_PORT/KC_PORT)" >&2; exit 2; }
done

TMP=$(mktemp -d /tmp/gatehouse-vs-peers.XXXXXX)
SPID=   # the running server (its process tree is stopped)
stop_server() {
  [ -n "$SPID" ] || return 0
  local pids i; pids=$(tree_pids "$SPID")
  kill $pids 2>/dev/null || true
  for i in $(seq 1 100); do kill -0 $pids 2>/dev/null || break; sleep 0.1; done
  kill -9 $pids 2>/dev/null || true
  wait "$SPID" 2>/dev/null || true
  [ -n "${KC_PIDFILE:-}" ] && rm -f "$KC_PIDFILE"
  SPID=; KC_PIDFILE=
}
cleanup() { stop_server; rm -rf "$TMP"; }
trap cleanup EXIT
trap 'exit 130' INT; trap 'exit 143' TERM HUP   # so that Ctrl-C and kill run the cleanup too

AUTH="Authorization: Basic $(basic bench-client bench-secret)"
# start_SERVER SCENARIO LOG: starts the server fresh, sets SPID, URL (token endpoint) and LAUNCH (ms from the process
# start to the first 200 from the token endpoint, polled identically); returns 2 when it has no such scenario
start_gatehouse() {
  local data=$TMP/data-$RANDOM$RANDOM t0 flags=()
  case $1 in es256) flags=(--signing-alg ES256) ;; opaque) flags=(--token-format opaque) ;; esac
  mkdir -m 700 "$data"
  printf '%s\n' bench-secret | "$ROOT/gatehouse" client add bench-client --secret-stdin "${flags[@]}" --data "$data" \
    > "$2" 2>&1 || return 1
  local port; port=$(port_for "$PORT")
  URL=http://127.0.0.1:$port/oauth2/token
  t0=$(now_ms)
  GATEHOUSE_MANAGEMENT_PORT=0 "$ROOT/gatehouse" serve --port "$port" --data "$data" >> "$2" 2>&1 &
  SPID=$!
  LAUNCH=$(first_token_ms "$t0" "$URL" "$AUTH" "$SPID" "$2") || return 1
}
start_node-oidc-provider() {   # as ../shared/peers/start-oidc-provider.sh does, but on its own port, polled like the others
  local fmt=jwt alg=RS256 t0 port
  case $1 in es256) alg=ES256 ;; opaque) fmt=opaque ;; esac
  port=$(port_for "$NODE_PORT")
  URL=http://127.0.0.1:$port/token
  t0=$(now_ms)
  (cd "$OP_DIR" && PORT=$port HOST=127.0.0.1 TOKEN_FORMAT=$fmt SIGN_ALG=$alg WORKERS=1 CLIENT_ID=bench-client \
     CLIENT_SECRET=bench-secret exec node server.mjs) > "$2" 2>&1 < /dev/null &
  SPID=$!
  LAUNCH=$(first_token_ms "$t0" "$URL" "$AUTH" "$SPID" "$2") || return 1
}
start_keycloak() {   # the peers' start script (fresh H2 database, realm and client provisioned, then a first token)
  [ "$1" = opaque ] && return 2   # Keycloak issues JWT access tokens only
  local t0 adm base=http://127.0.0.1:$KC_PORT
  URL=$base/realms/bench/protocol/openid-connect/token
  KC_PIDFILE=$PEERS/run/keycloak.pid
  if [ -f "$KC_PIDFILE" ] && kill -0 "$(cat "$KC_PIDFILE")" 2>/dev/null; then   # someone else's: leave it alone
    echo "vs-peers: a Keycloak is already running (pid $(cat "$KC_PIDFILE"), $KC_PIDFILE)" >&2; KC_PIDFILE=; return 1
  fi
  rm -f "$KC_PIDFILE"   # a stale one, so that after a failed start the file names only our process
  t0=$(now_ms)
  "$PEERS/start-keycloak.sh" > "$2" 2>&1 || { SPID=$(cat "$KC_PIDFILE" 2>/dev/null || true); cat "$2" >&2; return 1; }
  SPID=$(cat "$KC_PIDFILE")
  LAUNCH=$(first_token_ms "$t0" "$URL" "$AUTH" "$SPID" "$2") || return 1
  if [ "$1" = es256 ]; then   # the realm's default signature algorithm (Keycloak adds an ES256 key on demand)
    adm=$(curl -sf -d grant_type=password -d client_id=admin-cli -d username=admin -d password=admin \
      "$base/realms/master/protocol/openid-connect/token" | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
    curl -sf -o /dev/null -X PUT -H "Authorization: Bearer $adm" -H 'Content-Type: application/json' \
      -d '{"defaultSignatureAlgorithm":"ES256"}' "$base/admin/realms/bench"
  fi
}

# token_kind URL: RS256, ES256, ... (the JOSE header's alg) or opaque, from one token request
token_kind() {
  local tok h
  tok=$(curl -s -H "$AUTH" -d grant_type=client_credentials "$1" | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
  [ -n "$tok" ] || { echo none; return; }
  [ "$(printf '%s' "$tok" | tr -cd . | wc -c)" = 2 ] || { echo opaque; return; }
  h=$(printf '%s' "${tok%%.*}" | tr '_-' '/+'); while [ $(( ${#h} % 4 )) != 0 ]; do h="$h="; done
  printf '%s' "$h" | base64 -d 2>/dev/null | sed -n 's/.*"alg":"\([^"]*\)".*/\1/p'
}
want_kind() { case $1 in rs256) echo RS256 ;; es256) echo ES256 ;; *) echo opaque ;; esac; }

if [[ $SERVERS == *keycloak* ]] && ! ls "$PEERS"/dist/keycloak-*/bin/kc.sh >/dev/null 2>&1; then
  echo "# Keycloak is not unpacked yet: one start that is not measured (downloads ~200 MB with Maven)" >&2
  start_keycloak rs256 "$TMP/keycloak-first.log" || { tail -20 "$TMP/keycloak-first.log" >&2; exit 1; }
  stop_server
fi

mkdir -p "$HERE/results"
OUT=$HERE/results/vs-peers-$(date -u +%Y%m%dT%H%M%SZ).tsv
{
  machine_header
  echo "# node: $(node -v), oidc-provider $(node -p "require('$OP_DIR/node_modules/oidc-provider/package.json').version")"
  echo "# wrk -t$THREADS, warm-up ${WARMUP}s, measure ${DURATION}s; client_credentials, HTTP Basic; a fresh server per row"
} > "$OUT"
cat "$OUT"
printf 'server\tscenario\tconc\trps\tp50_ms\tp99_ms\tcpu_ms_per_req\trss_mib\tlaunch_ms\tnon2xx\tsock_err\tload1\n' >> "$OUT"
ROW='%-19s %-7s %5s %10s %9s %9s %11s %8s %10s %7s\n'
printf "$ROW" server scenario conc req/s p50_ms p99_ms cpu_ms/req rss_MiB launch_ms non2xx
export WRK_METHOD=POST WRK_BODY=grant_type=client_credentials WRK_CONTENT_TYPE=application/x-www-form-urlencoded
FAILED=; CRYPTO=
for s in $SCENARIOS; do
  for c in $CONCURRENCY; do
    for srv in $SERVERS; do
      log=$TMP/$srv-$s-$c.log; rc=0
      "start_$srv" "$s" "$log" || rc=$?
      if [ "$rc" = 2 ]; then stop_server; continue; fi
      kind=
      [ "$rc" = 0 ] && kind=$(token_kind "$URL")
      if [ "$rc" != 0 ] || [ "$kind" != "$(want_kind "$s")" ]; then
        echo "vs-peers: $srv $s c=$c: ${kind:+token is $kind, not $(want_kind "$s"); }skipped (log: tail below)" >&2
        tail -20 "$log" >&2; FAILED="$FAILED $srv/$s/$c"; stop_server; continue
      fi
      [ "$srv" = gatehouse ] && [ -z "$CRYPTO" ] && CRYPTO=$(grep -o 'crypto provider: .*' "$log" | head -1 || true)
      load1=$(cut -d' ' -f1 /proc/loadavg)   # the machine is shared: the load when the row started
      wrk_window "$c" "$URL" "$AUTH" "$SPID"
      parse_result "$RESULT"
      row=("$srv" "$s" "$c" "$r_rps" "$r_p50_ms" "$r_p99_ms" "$(cpu_ms_per_req "$TICKS" "$r_requests")" \
           "$(tree_rss_mib "$SPID")" "$LAUNCH" "$r_non2xx" "$r_sock_err" "$load1")
      stop_server
      printf "$ROW" "${row[@]:0:10}"
      (IFS=$'\t'; echo "${row[*]}") >> "$OUT"
    done
  done
done

# Gatehouse / node-oidc-provider against the targets of issue 13; also appended to the TSV as comments
awk -F'\t' '
  /^#/ || $1 == "server" { next }
  { k = $2 " " $3; rps[$1, k] = $4; p99[$1, k] = $6; if (!(k in seen)) { seen[k]; order[++n] = k }
    if ($8 > rss[$1]) rss[$1] = $8; nl[$1]++; launch[$1, nl[$1]] = $9 }
  function median(s,   i, j, t, a, m) { m = nl[s]; for (i = 1; i <= m; i++) a[i] = launch[s, i]
    for (i = 2; i <= m; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
    return m % 2 ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2 }
  function verdict(ok) { return ok ? "met" : "missed" }
  END {
    G = "gatehouse"; N = "node-oidc-provider"; want["rs256"] = 1.3; want["es256"] = 5; want["opaque"] = 1.2
    print "# Gatehouse / node-oidc-provider (issue 13 targets)"
    for (i = 1; i <= n; i++) { k = order[i]; split(k, a, " ")
      if (!((G, k) in rps) || !((N, k) in rps) || rps[N, k] == 0 || p99[N, k] == 0) { printf "# %-6s c=%-3s n/a (a server has no row)\n", a[1], a[2]; continue }
      r = rps[G, k] / rps[N, k]; p = p99[G, k] / p99[N, k]
      printf "# %-6s c=%-3s req/s %5.2fx (target >= %.1fx) %-6s  p99 %5.2fx (target <= 1.5x) %s\n", a[1], a[2], r, want[a[1]],
        verdict(r >= want[a[1]]), p, verdict(p <= 1.5) }
    if (nl[G] && nl[N]) {
      printf "# RSS after load (max of rows)   %d / %d MiB = %.2fx (target <= 1x) %s\n", rss[G], rss[N], rss[G] / rss[N], verdict(rss[G] <= rss[N])
      lg = median(G); ln = median(N)
      printf "# launch to first token (median) %d / %d ms = %.2fx (target <= 1x) %s\n", lg, ln, lg / ln, verdict(lg <= ln) }
  }' "$OUT" | tee -a "$OUT"
{ echo "# loadavg at the end: $(cut -d' ' -f1-3 /proc/loadavg)"; [ -z "$CRYPTO" ] || echo "# gatehouse $CRYPTO"; } | tee -a "$OUT"
SVG=${OUT%.tsv}.svg
awk -F'\t' -f "$HERE/chart.awk" "$OUT" > "$SVG"
echo "# results: $OUT  chart: $SVG"
[ -z "$FAILED" ] || { echo "vs-peers: failed:$FAILED" >&2; exit 1; }
