# Sourced by ./gatehouse after a build: a short training run of `serve` that writes the JDK's ahead-of-time
# cache (JEP 483/514/515: loaded and linked classes plus method profiles) to $BUILD/gatehouse-serve.aot, which
# later starts use with -XX:AOTCache. Takes ~10 s once per build; on any failure the cache is simply absent
# and the server starts without it. Needs curl.
aot_train() {
  local out=$1 jar=$2; shift 2
  command -v curl >/dev/null || return 0
  local tmp; tmp=$(mktemp -d "${TMPDIR:-/tmp}/gatehouse-aot.XXXXXX") || return 0
  rm -f "$out" "$out.config"
  "$JAVA_HOME/bin/java" "$@" -XX:TieredStopAtLevel=1 -jar "$jar" client add aot-train --secret aot-train-secret \
      --data "$tmp/data" >/dev/null 2>&1 || { rm -rf "$tmp"; return 0; }
  "$JAVA_HOME/bin/java" "$@" -XX:AOTCacheOutput="$out" -Xlog:aot=off -Xlog:cds=off -jar "$jar" serve --port 0 \
      --management-port 0 --data "$tmp/data" > "$tmp/log" 2>&1 &
  local pid=$! url="" mgmt="" i
  for i in $(seq 1 300); do
    url=$(sed -n 's/.*Gatehouse ready at \(http:[^ ]*\).*/\1/p' "$tmp/log" | head -n1)
    [ -n "$url" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if [ -n "$url" ]; then
    mgmt=$(sed -n 's/.*management listener at \(http:[^ ]*\).*/\1/p' "$tmp/log" | head -n1)
    for i in $(seq 1 40); do
      curl -s -o /dev/null -u aot-train:aot-train-secret -d grant_type=client_credentials "$url/oauth2/token"
      # a few wrong secrets (the failure path), fewer than the attempt limit (10 per client and address): past it
      # the right secret would be refused with 429 too, and the training would profile the refusal, not the token
      if [ "$i" -le 5 ]; then curl -s -o /dev/null -u aot-train:wrong -d grant_type=client_credentials "$url/oauth2/token"; fi
      curl -s -o /dev/null "$url/.well-known/openid-configuration"
      curl -s -o /dev/null "$url/jwks"
      if [ -n "$mgmt" ] && [ $((i % 8)) = 0 ]; then
        curl -s -o /dev/null "$mgmt/health/ready"
        curl -s -o /dev/null "$mgmt/metrics"
      fi
    done
  fi
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true   # 143 after SIGTERM is no failure (the launcher runs with set -e)
  rm -rf "$tmp"
  return 0
}
