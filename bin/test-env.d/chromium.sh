# Sourced by ./run-tests: makes headless Chromium + ChromeDriver available for the browser test.
# Installs Debian's chromium and chromium-driver with apt-get when they are missing and we are root;
# exports GATEHOUSE_CHROMIUM and GATEHOUSE_CHROMEDRIVER when found. Never fails the sourcing script:
# the browser test itself decides (fails under CI=true, skipped otherwise) when Chromium is absent.
gh_find_chromium() {
  GH_CHROMIUM=$(command -v chromium 2>/dev/null || command -v chromium-browser 2>/dev/null || true)
  GH_CHROMEDRIVER=$(command -v chromedriver 2>/dev/null || true)
  [ -z "$GH_CHROMEDRIVER" ] && [ -x /usr/lib/chromium/chromedriver ] && GH_CHROMEDRIVER=/usr/lib/chromium/chromedriver
  [ -n "$GH_CHROMIUM" ] && [ -n "$GH_CHROMEDRIVER" ]
}
if ! gh_find_chromium; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "run-tests: installing chromium and chromium-driver (apt-get)..." >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null 2>&1 || true
    apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null 2>&1 \
      || echo "run-tests: could not install chromium; the browser test will not run" >&2
    gh_find_chromium || true
  else
    echo "run-tests: chromium/chromedriver not found and cannot install (not root or no apt-get)" >&2
  fi
fi
if [ -n "${GH_CHROMIUM:-}" ] && [ -n "${GH_CHROMEDRIVER:-}" ]; then
  export GATEHOUSE_CHROMIUM="$GH_CHROMIUM" GATEHOUSE_CHROMEDRIVER="$GH_CHROMEDRIVER"
fi
unset -f gh_find_chromium
