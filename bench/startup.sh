#!/usr/bin/env bash
# Launch to first token, N times (default 5) on a fresh data directory and N times on an existing one:
# `./gatehouse serve` process start until the first 200 from POST /oauth2/token (client_credentials, the client
# registered beforehand with `./gatehouse client add`). Prints every run, the server's start-up line (its phases)
# and the medians.
#   bench/startup.sh [N]        env: PORT (default 18190), THREADS=1 (also each thread's CPU ms at the first token),
#                               LAUNCHER (default ./gatehouse), RESTART_ONLY=1 (one data dir, N restarts)
# "fresh": the data directory `client add` just created (database and schema, no signing keys yet);
# "restart": the same directory again, after a SIGTERM of the first server.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
N=${1:-5}
PORT=${PORT:-18190}
BASE=http://127.0.0.1:$PORT
"$ROOT/gatehouse" --version >/dev/null   # builds when sources changed (not part of any measurement)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/gatehouse-startup.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
now_ms() { date +%s%3N; }

# launch DATA LOG: start the server, poll for the first token; sets LAUNCH_MS, leaves SERVER_PID running
launch() {
  local data=$1 log=$2 t0 code
  t0=$(now_ms)
  GATEHOUSE_MANAGEMENT_PORT=0 "${LAUNCHER:-$ROOT/gatehouse}" serve --port "$PORT" --data "$data" >"$log" 2>&1 &
  SERVER_PID=$!
  until code=$(curl -s -o /dev/null -w '%{http_code}' -u c1:bench-secret -d grant_type=client_credentials \
      "$BASE/oauth2/token") && [ "$code" = 200 ]; do
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "server died:" >&2; cat "$log" >&2; exit 1; }
    sleep 0.005
  done
  LAUNCH_MS=$(( $(now_ms) - t0 ))
  # CPU of the whole process at the first token (all threads, user + system): less noisy than the wall clock on a
  # shared machine
  CPU_MS=$(awk -v tck="$(getconf CLK_TCK)" '{printf "%d", ($14 + $15) * 1000 / tck}' "/proc/$SERVER_PID/stat")
  if [ "${THREADS:-}" = 1 ]; then
    for t in /proc/"$SERVER_PID"/task/*; do
      awk -v tck="$(getconf CLK_TCK)" '{ match($0, /\(.*\)/); name = substr($0, RSTART + 1, RLENGTH - 2);
        n = split(substr($0, RSTART + RLENGTH + 1), f, " "); ms = (f[12] + f[13]) * 1000 / tck;
        if (ms > 0) printf "    %6d ms  %s\n", ms, name }' "$t/stat"
    done | sort -rn
  fi >&2
}
stop() { kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; }
phases() { sed -n 's/.*\(started in .*\)/\1/p; s/.*\(Gatehouse ready at .*\)/\1/p' "$1" | head -n1; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

fresh=() restart=() freshcpu=() restartcpu=()
for i in $(seq 1 "$N"); do
  data=$TMP/data$i
  if [ "${RESTART_ONLY:-}" = 1 ]; then
    data=$TMP/data1
    if [ "$i" = 1 ]; then  # create it, first start (keys), not counted
      printf 'bench-secret\n' | "$ROOT/gatehouse" client add c1 --secret-stdin --data "$data" >/dev/null 2>&1
      launch "$data" "$TMP/first.log"; stop
    fi
  else
    printf 'bench-secret\n' | "$ROOT/gatehouse" client add c1 --secret-stdin --data "$data" >/dev/null 2>&1
    launch "$data" "$TMP/fresh$i.log"; stop; fresh+=("$LAUNCH_MS"); freshcpu+=("$CPU_MS")
    echo "fresh   $i: $LAUNCH_MS ms, cpu $CPU_MS ms   $(phases "$TMP/fresh$i.log")"
  fi
  launch "$data" "$TMP/restart$i.log"; stop; restart+=("$LAUNCH_MS"); restartcpu+=("$CPU_MS")
  echo "restart $i: $LAUNCH_MS ms, cpu $CPU_MS ms   $(phases "$TMP/restart$i.log")"
done
med() { printf '%s\n' "$@" | median; }
[ ${#fresh[@]} = 0 ] || echo "median fresh: $(med "${fresh[@]}") ms (cpu $(med "${freshcpu[@]}") ms)"
echo "median launch to first token: $(med "${restart[@]}") ms (cpu $(med "${restartcpu[@]}") ms); load average $(cut -d' ' -f1-3 /proc/loadavg)"
