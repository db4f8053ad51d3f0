# Sourced by ./run-tests: makes the openssl command available for the key import tests (KeyImportTest,
# KeyImportFormatsTest), which make keys, certificates and PKCS#12 files with it as an operator would.
# Installs Debian's openssl package with apt-get when it is missing and we are root. Never fails the sourcing
# script: without openssl those tests are skipped and say why.

gh_openssl_note() { echo "test-env/openssl: $*" >&2; }

if ! command -v openssl >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    gh_openssl_note "installing openssl with apt-get (one time)..."
    DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -q --no-install-recommends openssl >/dev/null 2>&1 \
      || { timeout 300 apt-get update -q >/dev/null 2>&1 \
           && DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -q --no-install-recommends openssl \
                >/dev/null 2>&1; } \
      || gh_openssl_note "could not install openssl: the key import tests will be skipped"
  else
    gh_openssl_note "openssl not found and cannot install it (not root or no apt-get): the key import tests will be skipped"
  fi
fi
command -v openssl >/dev/null 2>&1 && gh_openssl_note "$(openssl version 2>/dev/null)"
unset -f gh_openssl_note
true
