# Sourced by ./gatehouse after a build and by bin/dist.sh: rewrites the signed jars among the libraries (Bouncy
# Castle, the Corretto Crypto Provider) without their signatures. A signed jar's classes cannot go into the JDK's
# start-up cache, every class loaded from it is checked against the signature, and its manifest (one digest section
# per class, ~8,000 in all) stays parsed on the heap. Without them: launch to first token 1.5 -> 1.1 s, ~4.5 MiB less
# live heap, ~1.5 MiB less metaspace (docs/operations.md). Nothing checks the signatures on OpenJDK (a JCE provider
# needs a signed jar only on Oracle's JDK); the jars come from Maven Central over HTTPS like every other library.
# Idempotent: a jar without signature files is left alone (found without starting a JVM: entry names are stored
# uncompressed in the zip directory).
unsign_jars() {  # DIR
  local jar tmp
  for jar in "$1"/*.jar; do
    [ -f "$jar" ] || continue
    LC_ALL=C grep -qaE 'META-INF/[A-Za-z0-9_-]+\.(SF|RSA|DSA|EC)' "$jar" || continue
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/gatehouse-unsign.XXXXXX") || return 1
    # the manifest's main section only: the per-entry sections hold nothing but the signature's digests
    if "$JAVA_HOME/bin/jar" --extract --file "$jar" --dir "$tmp/x" \
        && rm -f "$tmp"/x/META-INF/*.SF "$tmp"/x/META-INF/*.RSA "$tmp"/x/META-INF/*.DSA "$tmp"/x/META-INF/*.EC \
        && sed -e 's/\r$//' -e '/^$/q' "$tmp/x/META-INF/MANIFEST.MF" > "$tmp/manifest" \
        && rm -f "$tmp/x/META-INF/MANIFEST.MF" \
        && "$JAVA_HOME/bin/jar" --create --file "$tmp/new.jar" --manifest "$tmp/manifest" -C "$tmp/x" . \
        && mv "$tmp/new.jar" "$jar"; then
      rm -rf "$tmp"
    else
      rm -rf "$tmp"; echo "gatehouse: could not remove the signature of $jar" >&2; return 1
    fi
  done
}
