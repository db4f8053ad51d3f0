# Sourced by ./run-tests: makes HAProxy available for the two-node load-balancer test (TwoNodeHaproxyTest).
#
# Installs Debian's haproxy package with apt-get when `haproxy` is missing and we are root, without letting Debian
# start its haproxy service (a policy-rc.d that forbids starting services while apt-get runs, as
# bin/pg-cluster.sh does for PostgreSQL). The test starts its own haproxy in the foreground on loopback ports, as a
# child process, and stops it itself. Exports GATEHOUSE_TEST_HAPROXY=/path/to/haproxy when one works.
# Never fails the sourcing script: without haproxy the test is skipped (and fails under CI when haproxy is
# installed but does not run). GATEHOUSE_TEST_HAPROXY=off skips it (nothing is installed, the test skips).

gh_haproxy_note() { echo "test-env/haproxy: $*" >&2; }

gh_haproxy_find() {
  GH_HAPROXY=$(command -v haproxy 2>/dev/null || true)
  [ -z "$GH_HAPROXY" ] && [ -x /usr/sbin/haproxy ] && GH_HAPROXY=/usr/sbin/haproxy
  [ -n "$GH_HAPROXY" ] && timeout 10 "$GH_HAPROXY" -v >/dev/null 2>&1
}

gh_haproxy_install() {
  [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 || {
    gh_haproxy_note "haproxy not found and cannot install it (not root or no apt-get): the HAProxy test will be skipped"
    return 0
  }
  gh_haproxy_note "installing haproxy with apt-get (one time)..."
  # Debian's package starts its haproxy service once installed: forbid starting services while it installs
  # (invoke-rc.d asks policy-rc.d; 101 = action forbidden). An existing policy-rc.d is left as it is.
  local policy=/usr/sbin/policy-rc.d made_policy=''
  if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && made_policy=1; fi
  DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -q --no-install-recommends haproxy >/dev/null 2>&1 \
    || { timeout 300 apt-get update -q >/dev/null 2>&1 \
         && DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -q --no-install-recommends haproxy \
              >/dev/null 2>&1; } \
    || gh_haproxy_note "could not install haproxy: the HAProxy test will be skipped"
  [ -n "$made_policy" ] && rm -f "$policy"
  return 0
}

if [ "${GATEHOUSE_TEST_HAPROXY:-}" = off ]; then
  gh_haproxy_note "GATEHOUSE_TEST_HAPROXY=off: the HAProxy test will be skipped"  # the test reads it
elif [ -n "${GATEHOUSE_TEST_HAPROXY:-}" ]; then
  gh_haproxy_note "using the given GATEHOUSE_TEST_HAPROXY=$GATEHOUSE_TEST_HAPROXY"
else
  gh_haproxy_find || { gh_haproxy_install; gh_haproxy_find; } || true
  if [ -n "${GH_HAPROXY:-}" ] && timeout 10 "$GH_HAPROXY" -v >/dev/null 2>&1; then
    export GATEHOUSE_TEST_HAPROXY="$GH_HAPROXY"
    gh_haproxy_note "$("$GH_HAPROXY" -v 2>/dev/null | head -n1)"
  fi
fi
unset GH_HAPROXY
unset -f gh_haproxy_note gh_haproxy_find gh_haproxy_install
