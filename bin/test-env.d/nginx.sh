# Sourced by ./run-tests: makes nginx available for the reverse-proxy test (ReverseProxyTest), which runs Debian's
# nginx with its default proxy settings (proxy_pass speaks HTTP/1.0 to the backend) in front of a Gatehouse process.
#
# Installs Debian's nginx package with apt-get when `nginx` is missing and we are root, without letting Debian start
# its nginx service (a policy-rc.d that forbids starting services while apt-get runs, as haproxy.sh does). The test
# starts its own nginx in the foreground on loopback ports (`-p DIR -c DIR/nginx.conf`, everything in a temp dir) and
# stops it itself. Exports GATEHOUSE_TEST_NGINX=/path/to/nginx when one works. Never fails the sourcing script:
# without nginx the test is skipped (and fails under CI when nginx is installed but does not run).
# GATEHOUSE_TEST_NGINX=off skips it (nothing is installed, the test skips).

gh_nginx_note() { echo "test-env/nginx: $*" >&2; }

gh_nginx_find() {
  GH_NGINX=$(command -v nginx 2>/dev/null || true)
  [ -z "$GH_NGINX" ] && [ -x /usr/sbin/nginx ] && GH_NGINX=/usr/sbin/nginx
  [ -n "$GH_NGINX" ] && timeout 10 "$GH_NGINX" -v >/dev/null 2>&1
}

gh_nginx_install() {
  [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 || {
    gh_nginx_note "nginx not found and cannot install it (not root or no apt-get): the nginx test will be skipped"
    return 0
  }
  gh_nginx_note "installing nginx with apt-get (one time)..."
  # Debian's package starts its nginx service once installed (on port 80): forbid starting services while it
  # installs (invoke-rc.d asks policy-rc.d; 101 = action forbidden). An existing policy-rc.d is left as it is.
  local policy=/usr/sbin/policy-rc.d made_policy=''
  if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && made_policy=1; fi
  DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -q --no-install-recommends nginx >/dev/null 2>&1 \
    || { timeout 300 apt-get update -q >/dev/null 2>&1 \
         && DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -q --no-install-recommends nginx \
              >/dev/null 2>&1; } \
    || gh_nginx_note "could not install nginx: the nginx test will be skipped"
  [ -n "$made_policy" ] && rm -f "$policy"
  return 0
}

if [ "${GATEHOUSE_TEST_NGINX:-}" = off ]; then
  gh_nginx_note "GATEHOUSE_TEST_NGINX=off: the nginx test will be skipped"  # the test reads it
elif [ -n "${GATEHOUSE_TEST_NGINX:-}" ]; then
  gh_nginx_note "using the given GATEHOUSE_TEST_NGINX=$GATEHOUSE_TEST_NGINX"
else
  gh_nginx_find || { gh_nginx_install; gh_nginx_find; } || true
  if [ -n "${GH_NGINX:-}" ] && timeout 10 "$GH_NGINX" -v >/dev/null 2>&1; then
    export GATEHOUSE_TEST_NGINX="$GH_NGINX"
    gh_nginx_note "$("$GH_NGINX" -v 2>&1 | head -n1)"
  fi
fi
unset GH_NGINX
unset -f gh_nginx_note gh_nginx_find gh_nginx_install
