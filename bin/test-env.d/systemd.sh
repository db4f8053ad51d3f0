# Sourced by ./run-tests: makes `systemd-analyze` available for DistributionTest, which checks the distribution's
# systemd unit with `systemd-analyze verify` (nothing is started: systemd need not be running).
# Installs Debian's systemd package (without recommends) with apt-get when the tool is missing and we are root,
# without letting the package start services (policy-rc.d, as bin/pg-cluster.sh does). Never fails the sourcing
# script: without the tool that check is skipped and says why. GATEHOUSE_TEST_SYSTEMD=off: nothing is installed.

gh_systemd_note() { echo "test-env/systemd: $*" >&2; }

if [ "${GATEHOUSE_TEST_SYSTEMD:-}" = off ]; then
  gh_systemd_note "GATEHOUSE_TEST_SYSTEMD=off: nothing installed"
elif ! command -v systemd-analyze >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    gh_systemd_note "installing systemd (for systemd-analyze) with apt-get (one time)..."
    gh_policy=/usr/sbin/policy-rc.d gh_made_policy=''
    if [ ! -e "$gh_policy" ]; then printf '#!/bin/sh\nexit 101\n' >"$gh_policy" && chmod +x "$gh_policy" && gh_made_policy=1; fi
    DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -q --no-install-recommends systemd >/dev/null 2>&1 \
      || { timeout 300 apt-get update -q >/dev/null 2>&1 \
           && DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -q --no-install-recommends systemd \
                >/dev/null 2>&1; } \
      || gh_systemd_note "could not install systemd: the unit file check will be skipped"
    [ -n "$gh_made_policy" ] && rm -f "$gh_policy"
    unset gh_policy gh_made_policy
  else
    gh_systemd_note "systemd-analyze not found and cannot install it (not root or no apt-get): the unit file check will be skipped"
  fi
fi
command -v systemd-analyze >/dev/null 2>&1 && gh_systemd_note "$(systemd-analyze --version 2>/dev/null | head -n1)"
unset -f gh_systemd_note
true
