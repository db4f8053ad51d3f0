#!/usr/bin/env bash
# Run by `./gatehouse dist` after the build: the self-contained distribution
#   $BUILD/gatehouse-VERSION-linux-x64.tar.gz
#     gatehouse-VERSION/bin/gatehouse              launcher (/bin/sh; runs runtime/bin/java, no JDK needed)
#     gatehouse-VERSION/runtime/                   Java runtime made by jlink with the modules below only
#     gatehouse-VERSION/app/gatehouse.jar, lib/    the application and its libraries
#     gatehouse-VERSION/app/native/                SQLite's native library (loaded from here, never unpacked to /tmp)
#     gatehouse-VERSION/app/gatehouse-serve.aot    start-up cache of `serve`, trained by runtime/bin/java itself
#     gatehouse-VERSION/app/gatehouse-cli.aot      start-up cache of the other commands (client, user, keys, ...)
#     gatehouse-VERSION/systemd/gatehouse.service  systemd unit (dedicated user, StateDirectory, hardening)
#     gatehouse-VERSION/etc/gatehouse.json         example config
#     gatehouse-VERSION/README.md                  docs/distribution.md
# Env: ROOT (source tree), BUILD (build directory with gatehouse.jar, lib/, native/), JAVA_HOME (a JDK 25 with jlink).
set -euo pipefail
note() { echo "gatehouse: $*" >&2; }
fail() { echo "gatehouse: dist failed: $*" >&2; exit 1; }
: "${ROOT:?}" "${BUILD:?}" "${JAVA_HOME:?}"
. "$ROOT/bin/jvm-opts.sh"
. "$ROOT/bin/aot-train.sh"

# The modules of the runtime. jdeps (below) must find nothing outside MODULES and UNUSED, so that a new
# library's needs are seen at the next dist instead of as a NoClassDefFoundError in production.
# java.transaction.xa and java.security.sasl come in with java.sql and java.naming. jdk.crypto.ec is not listed:
# since JDK 22 it is an empty module and EC lives in java.base.
MODULES=java.base,java.logging,java.management,java.naming,java.security.jgss,java.sql,java.xml,jdk.management,jdk.unsupported
# Referenced by classes Gatehouse never loads; leaving java.desktop out saves 24 MB of runtime:
#   java.desktop: java.awt.Point in PostgreSQL's PGpoint (geometric types), java.beans in Micrometer's
#   Log4j2Metrics, and Jackson's optional java.beans support (it checks for the module and goes on without it).
UNUSED=java.desktop

[ -x "$JAVA_HOME/bin/jlink" ] && [ -x "$JAVA_HOME/bin/jdeps" ] || fail "$JAVA_HOME has no jlink/jdeps (a full JDK 25 is needed)"
command -v curl >/dev/null || fail "curl is needed to train the start-up cache"
version=$(sed -n 's/^version=//p' "$BUILD/maven-archiver/pom.properties" 2>/dev/null)
[ -n "$version" ] || fail "no $BUILD/maven-archiver/pom.properties (build first)"
case $(uname -m) in x86_64) arch=x64 ;; aarch64) arch=aarch64 ;; *) arch=$(uname -m) ;; esac
name=gatehouse-$version
stage=$BUILD/dist/$name
tarball=$BUILD/$name-linux-$arch.tar.gz
native=$BUILD/native/org/sqlite/native/Linux/$(uname -m)/libsqlitejdbc.so
[ -f "$native" ] || fail "no SQLite native library at $native"
# The libraries the jar's manifest names (Class-Path: lib/...), not whatever else lies in $BUILD/lib: a build directory
# kept across dependency changes still holds the jars of dependencies that were removed since.
libs=()
mf=$(mktemp -d) || fail "cannot create a temporary directory"
(cd "$mf" && "$JAVA_HOME/bin/jar" xf "$BUILD/gatehouse.jar" META-INF/MANIFEST.MF) || fail "cannot read the jar's manifest"
for entry in $(sed -e 's/\r$//' "$mf/META-INF/MANIFEST.MF" \
    | awk '/^Class-Path: / { on = 1; printf "%s", substr($0, 13); next } on && /^ / { printf "%s", substr($0, 2); next } { on = 0 }'); do
  [ -f "$BUILD/$entry" ] || fail "the jar's Class-Path names $entry, which is not in $BUILD"
  libs+=("$BUILD/$entry")
done
rm -rf "$mf"
[ ${#libs[@]} -gt 0 ] || fail "the jar's manifest names no libraries"

note "checking the runtime modules against jdeps..."
found=$("$JAVA_HOME/bin/jdeps" --print-module-deps --ignore-missing-deps --multi-release 25 \
        "$BUILD/gatehouse.jar" "${libs[@]}" 2>/dev/null) || fail "jdeps failed"
expanded=$("$JAVA_HOME/bin/java" --limit-modules "$MODULES" --list-modules | sed 's/@.*//' | tr '\n' ' ')
for m in ${found//,/ }; do
  case " $expanded ${UNUSED//,/ } " in *" $m "*) ;; *)
    fail "jdeps says the application needs module $m, which the runtime lacks: add it to MODULES in bin/dist.sh (or to UNUSED, with the reason)" ;;
  esac
done

note "linking a Java runtime ($MODULES)..."
rm -rf "$BUILD/dist" "$tarball"
mkdir -p "$stage"/{bin,app/lib,app/native,systemd,etc}
"$JAVA_HOME/bin/jlink" --add-modules "$MODULES" --strip-debug --no-man-pages --no-header-files \
  --output "$stage/runtime" >/dev/null || fail "jlink failed"

cp "$BUILD/gatehouse.jar" "$stage/app/"
cp "${libs[@]}" "$stage/app/lib/"
. "$ROOT/bin/unsign-jars.sh"   # already done by the launcher's build; a jar built by Maven alone may still be signed
unsign_jars "$stage/app/lib" || fail "could not rewrite the signed libraries"
cp "$native" "$stage/app/native/"
# sqlite-jdbc carries its native library for 20 platforms (12 MB); this platform's one is in app/native, where the
# launcher points it, so the jar goes without them.
slim_sqlite_jar() {  # JAR
  local tmp; tmp=$(mktemp -d)
  (cd "$tmp" && "$JAVA_HOME/bin/jar" xf "$1") && rm -rf "$tmp/org/sqlite/native" && rm -f "$1" \
    && "$JAVA_HOME/bin/jar" --create --file "$1" --manifest "$tmp/META-INF/MANIFEST.MF" -C "$tmp" . \
    || fail "could not rewrite $1"
  rm -rf "$tmp"
}
for jar in "$stage"/app/lib/sqlite-jdbc-*.jar; do slim_sqlite_jar "$jar"; done
sed -e "s|@SERVE_OPTS@|$SERVE_OPTS|" -e "s|@CLI_OPTS@|$CLI_OPTS|" "$ROOT/packaging/gatehouse" >"$stage/bin/gatehouse"
chmod 755 "$stage/bin/gatehouse"
cp "$ROOT/packaging/gatehouse.service" "$stage/systemd/"
cp "$ROOT/packaging/gatehouse.json" "$stage/etc/"
cp "$ROOT/docs/distribution.md" "$stage/README.md"

# The cache must come from the runtime that will use it, with the launcher's flags and the same jar paths
# relative to one another (the JVM accepts the whole directory moved elsewhere, e.g. unpacked under /opt).
note "training the start-up caches with the bundled runtime (~20 s)..."
(JAVA_HOME=$stage/runtime
 # shellcheck disable=SC2086
 aot_train "$stage/app/gatehouse-serve.aot" "$stage/app/gatehouse.jar" $SERVE_OPTS \
   "-Dorg.sqlite.lib.path=$stage/app/native" -Dorg.sqlite.lib.name=libsqlitejdbc.so)
[ -s "$stage/app/gatehouse-serve.aot" ] || fail "the start-up cache was not written (see bin/aot-train.sh)"
# The CLI's cache: one `client add` on a throwaway database (opening it, migrations, Argon2id, picocli).
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gatehouse-aot.XXXXXX")
# shellcheck disable=SC2086
printf '%s' aot-cli-secret | "$stage/runtime/bin/java" $CLI_OPTS -XX:AOTCacheOutput="$stage/app/gatehouse-cli.aot" \
  -Xlog:aot=off -Xlog:cds=off "-Dorg.sqlite.lib.path=$stage/app/native" -Dorg.sqlite.lib.name=libsqlitejdbc.so \
  -jar "$stage/app/gatehouse.jar" client add aot-cli --secret-stdin --data "$tmp/data" >"$tmp/log" 2>&1 \
  || { cat "$tmp/log" >&2; rm -rf "$tmp"; fail "the CLI's start-up cache could not be trained"; }
rm -rf "$tmp"
[ -s "$stage/app/gatehouse-cli.aot" ] || fail "the CLI's start-up cache was not written"

note "packing $tarball..."
tar -C "$BUILD/dist" --owner=0 --group=0 --numeric-owner -czf "$tarball" "$name"
size=$(du -m "$tarball" | cut -f1)
note "built $tarball (${size} MB; unpacked $(du -sm "$stage" | cut -f1) MB)"
