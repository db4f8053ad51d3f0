# Sourced by bench/bench.sh and bench/vs-peers.sh: the helpers both use.
# Needs: HERE (the bench directory), JAVA_HOME (bin/jdk.sh), WARMUP, DURATION, THREADS.

ensure_wrk() {
  command -v wrk >/dev/null && return
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "# installing wrk (Debian package)" >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk) >/dev/null
  else
    echo "bench: wrk is missing (apt-get install wrk)" >&2; exit 1
  fi
}

basic() { printf '%s:%s' "$1" "$2" | base64 -w0; }
now_ms() { date +%s%3N; }

# A process and its descendants; CPU (user + system ticks) and resident memory (MiB) summed over them.
tree_pids() { local p; echo "$1"; for p in $(pgrep -P "$1" || true); do tree_pids "$p"; done; }
tree_ticks() {
  local p t=0
  for p in $(tree_pids "$1"); do [ -r "/proc/$p/stat" ] && t=$((t + $(awk '{print $14+$15}' "/proc/$p/stat" 2>/dev/null || echo 0))); done
  echo "$t"
}
tree_rss_mib() {
  local p k=0
  for p in $(tree_pids "$1"); do k=$((k + $(awk '/VmRSS/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0))); done
  echo $((k / 1024))
}

# first_token_ms T0 URL AUTH_HEADER PID LOG: polls the token endpoint (client_credentials) every 10 ms until it
# answers 200 and prints the ms since T0 (from now_ms); if PID exits first, shows LOG and returns 1.
first_token_ms() {
  local t0=$1 url=$2 auth=$3 pid=$4 log=$5
  until [ "$(curl -s -o /dev/null -w '%{http_code}' -H "$auth" -d grant_type=client_credentials "$url")" = 200 ]; do
    kill -0 "$pid" 2>/dev/null || { echo "bench: server died:" >&2; tail -40 "$log" >&2; return 1; }
    sleep 0.01
  done
  echo $(( $(now_ms) - t0 ))
}

# machine_header: "# " lines with the date (UTC), machine, CPU model, load and the JDK
machine_header() {
  echo "# date: $(date -u +%FT%TZ)"
  echo "# machine: $(nproc) cpus, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)," \
       "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
  echo "# loadavg: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "# java: $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
}

# wrk_window C URL HEADER PID: WARMUP s of load (not measured), then DURATION s measured with wrk.lua (request shape
# from WRK_METHOD, WRK_BODY, WRK_CONTENT_TYPE). Sets RESULT (wrk.lua's line) and TICKS (CPU ticks of PID's tree
# in the measured window).
wrk_window() {
  local c=$1 url=$2 header=$3 pid=$4 t=$THREADS cpu0
  [ "$c" -lt "$t" ] && t=$c
  [ "$WARMUP" = 0 ] || wrk -t"$t" -c"$c" -d"${WARMUP}s" -H "$header" -s "$HERE/wrk.lua" "$url" >/dev/null
  cpu0=$(tree_ticks "$pid")
  RESULT=$(wrk -t"$t" -c"$c" -d"${DURATION}s" --latency -H "$header" -s "$HERE/wrk.lua" "$url" | grep '^RESULT')
  TICKS=$(( $(tree_ticks "$pid") - cpu0 ))
}

# parse_result LINE: wrk.lua's "RESULT k=v ..." as shell variables r_k
parse_result() { eval "$(echo "${1#RESULT }" | tr ' ' '\n' | sed 's/^/r_/')"; }

# cpu_ms_per_req TICKS REQUESTS
cpu_ms_per_req() {
  awk -v d="$1" -v n="$2" -v tck="$(getconf CLK_TCK)" 'BEGIN { printf "%.3f", n ? d * 1000 / tck / n : 0 }'
}
