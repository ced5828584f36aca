#!/usr/bin/env bash
# The Java SDK as Maven Central would receive it (packages/java, issue 16):
#   1. `mvn -Prelease -DskipUpload=true deploy` (tests skipped: scripts/test-java.sh runs them; no
#      [WARNING] allowed in its log) builds the jar, the -sources and -javadoc jars (javadoc with
#      doclint on: any warning fails the build), signs every artefact with a throwaway GPG key made
#      here in a temporary GNUPGHOME (maven-gpg-plugin), and has org.sonatype.central:central-publishing-maven-plugin write the bundle it would upload
#      (target/central-publishing/central-bundle.zip; checksums are the plugin's own).
#   2. Checks the bundle as the Central Portal's validation does (the plugin itself cannot validate
#      offline: that happens on Central after upload, so this is the equivalent): the layout
#      io/modelwire/modelwire-client/<version>/; pom, jar, -sources.jar and -javadoc.jar present and
#      non-empty; an .asc signature that verifies (against the public key only, in a second fresh
#      GNUPGHOME) and .md5/.sha1 checksums that match, for each; the pom's groupId, artifactId,
#      version (not a SNAPSHOT), name, description, url, licenses (name and url), developers and scm
#      (connection, developerConnection, url).
#   3. Contents: META-INF/LICENSE (= the root LICENSE) in the jar and the sources jar; no generated
#      low-level API/invoker class (io/modelwire/client/generated/api|invoker) anywhere; the javadoc
#      has the public packages and none of io.modelwire.client.internal; no slf4j or resilience4j in
#      the pom's dependencies.
#   4. First use prints nothing on stderr: a fresh Maven project outside the repo depends on the jar
#      just installed, resolves its runtime classpath as a user's build would (no slf4j on it), and a
#      tiny program makes one call against a closed port; its stderr must be empty (the control run
#      shows the check catches slf4j 1.7's "SLF4J: Failed to load class" warning).
#   5. Copies the API reference to docs/api/java (index.html).
# Needs Java 17+, Maven, gpg (Debian: gnupg), unzip and python3. Maven runs online (the
# central-publishing goal requires it) but downloads nothing once its cache is warm.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PKG="$ROOT/packages/java"
API_OUT="$ROOT/docs/api/java"
start=$SECONDS

fail() { echo "test-java-package: FAIL: $*" >&2; exit 1; }
if ! command -v gpg >/dev/null 2>&1 || ! command -v unzip >/dev/null 2>&1; then
  echo "test-java-package: installing gnupg and unzip with apt-get (Debian)" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gnupg unzip >/dev/null
fi
for tool in mvn java javac gpg gpgconf unzip python3; do
  command -v "$tool" >/dev/null 2>&1 || fail "$tool is missing"
done

WORK="$(mktemp -d "${TMPDIR:-/tmp}/mw-javapkg.XXXXXX")"
export GNUPGHOME="$WORK/gpg"          # the signing key (secret); short path: gpg-agent's socket
VERIFY_HOME="$WORK/gpg-verify"        # the public key only, as Central has it
cleanup() {
  local status=$?
  GNUPGHOME="$WORK/gpg" gpgconf --kill gpg-agent >/dev/null 2>&1 || true
  GNUPGHOME="$VERIFY_HOME" gpgconf --kill gpg-agent >/dev/null 2>&1 || true
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT
mkdir -m 700 "$GNUPGHOME" "$VERIFY_HOME"

# --- 1. a throwaway key, then the release build ---------------------------------------------------
gpg --batch --quiet --passphrase '' --quick-gen-key 'modelwire package test <package-test@modelwire.invalid>' \
  rsa3072 sign 1d 2>/dev/null
KEY="$(gpg --batch --with-colons --list-secret-keys 2>/dev/null | awk -F: '$1 == "fpr" { print $10; exit }')"
[ -n "$KEY" ] || fail "no GPG key was generated"
gpg --batch --armor --export "$KEY" > "$WORK/public.asc"
GNUPGHOME="$VERIFY_HOME" gpg --batch --quiet --import "$WORK/public.asc" 2>/dev/null

cd "$PKG"
log="$WORK/mvn.log"
mvn_args=(-B -Dstyle.color=never -Prelease -DskipTests -DskipUpload=true -Dgpg.keyname="$KEY" clean deploy)
# online: the central-publishing plugin's goal refuses to run offline (even with -DskipUpload; nothing is
# sent); with a warm cache Maven downloads nothing
if ! mvn "${mvn_args[@]}" >"$log" 2>&1; then
  sed -E 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '^\[(ERROR|WARNING)\]|warning:|error:' | head -60 >&2
  fail "mvn -Prelease deploy (javadoc warnings fail it too; see above)"
fi
if grep -E '^\[WARNING\]' "$log" >&2; then fail "the release build logged warnings (above)"; fi
echo "test-java-package: release build ok (jar, sources, javadoc with doclint, signed, bundled) in $((SECONDS - start)) s"

VERSION="$(python3 -c 'import sys, xml.etree.ElementTree as ET
print(ET.parse(sys.argv[1]).getroot().findtext("{http://maven.apache.org/POM/4.0.0}version"))' pom.xml)"
[[ "$VERSION" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "version '$VERSION' is not a release version"
BUNDLE="$PKG/target/central-publishing/central-bundle.zip"
[ -s "$BUNDLE" ] || fail "the central-publishing plugin wrote no bundle ($BUNDLE)"

# --- 2. the bundle as Central validates it ----------------------------------------------------------
B="$WORK/bundle"
mkdir "$B" && unzip -q "$BUNDLE" -d "$B"
DIR="io/modelwire/modelwire-client/$VERSION"
BASE="$B/$DIR/modelwire-client-$VERSION"
[ -d "$B/$DIR" ] || fail "the bundle has no $DIR/ (it has: $(cd "$B" && find . -type d | tr '\n' ' '))"
for suffix in .pom .jar -sources.jar -javadoc.jar; do
  f="$BASE$suffix"
  [ -s "$f" ] || fail "$DIR/$(basename "$f") is missing or empty"
  for sum in md5 sha1; do
    [ -s "$f.$sum" ] || fail "$(basename "$f").$sum is missing"
    want="$(tr -d ' \n' < "$f.$sum")"
    got="$("${sum}sum" "$f" | cut -d' ' -f1)"
    [ "$want" = "$got" ] || fail "$(basename "$f").$sum does not match the file"
  done
  [ -s "$f.asc" ] || fail "$(basename "$f").asc (signature) is missing"
  status="$(GNUPGHOME="$VERIFY_HOME" gpg --batch --status-fd 1 --verify "$f.asc" "$f" 2>/dev/null || true)"
  grep -q "^\[GNUPG:\] VALIDSIG $KEY " <<<"$status" || fail "the signature $(basename "$f").asc does not verify"
  case "$suffix" in *.jar) unzip -tq "$f" >/dev/null || fail "$(basename "$f") is not a valid jar" ;; esac
done
n_files="$(find "$B/$DIR" -maxdepth 1 -type f | wc -l)"

python3 - "$BASE.pom" "$VERSION" <<'PY' || fail "the pom lacks what Central requires (above)"
import sys
import xml.etree.ElementTree as ET

ns = {"m": "http://maven.apache.org/POM/4.0.0"}
pom = ET.parse(sys.argv[1]).getroot()
missing = []

def text(path, node=pom):
    e = node.find(path, ns)
    return (e.text or "").strip() if e is not None else ""

want = {"m:groupId": "io.modelwire", "m:artifactId": "modelwire-client", "m:version": sys.argv[2]}
for path, value in want.items():
    if text(path) != value:
        missing.append(f"{path[2:]} = {value!r} (has {text(path)!r})")
for path in ["m:name", "m:description", "m:url", "m:scm/m:connection", "m:scm/m:developerConnection", "m:scm/m:url"]:
    if not text(path):
        missing.append(path.replace("m:", ""))
licenses = pom.findall("m:licenses/m:license", ns)
if not licenses or not all(text("m:name", l) and text("m:url", l) for l in licenses):
    missing.append("licenses/license with name and url")
developers = pom.findall("m:developers/m:developer", ns)
if not developers or not all(text("m:name", d) or text("m:id", d) for d in developers):
    missing.append("developers/developer with a name or id")
for dep in pom.findall("m:dependencies/m:dependency", ns):
    coords = text("m:groupId", dep) + ":" + text("m:artifactId", dep)
    if text("m:scope", dep) in ("", "compile", "runtime") and ("slf4j" in coords or "resilience4j" in coords):
        missing.append(f"no logging-noise dependency ({coords} is a runtime dependency)")
for m in missing:
    print(f"test-java-package: pom: {m}", file=sys.stderr)
sys.exit(1 if missing else 0)
PY
echo "test-java-package: Central bundle ok: $DIR/ ($n_files files: pom, jar, sources, javadoc, each signed and with md5/sha1; pom metadata complete)"

# --- 3. contents -----------------------------------------------------------------------------------
for suffix in .jar -sources.jar -javadoc.jar; do unzip -Z1 "$BASE$suffix" > "$WORK/list$suffix.txt"; done
for suffix in .jar -sources.jar; do
  f="$BASE$suffix"
  unzip -p "$f" META-INF/LICENSE > "$WORK/LICENSE.jar" 2>/dev/null || fail "$(basename "$f") has no META-INF/LICENSE"
  cmp -s "$WORK/LICENSE.jar" "$ROOT/LICENSE" || fail "META-INF/LICENSE in $(basename "$f") differs from the root LICENSE"
done
for suffix in .jar -sources.jar -javadoc.jar; do
  leaked="$(grep -E '^io/modelwire/client/generated/(api|invoker)/' "$WORK/list$suffix.txt" | head -3 || true)"
  [ -z "$leaked" ] || fail "$(basename "$BASE$suffix") ships generated low-level classes: $leaked"
done
grep -qx 'io/modelwire/client/ModelwireClient.class' "$WORK/list.jar.txt" || fail "the jar has no ModelwireClient"
grep -qx 'io/modelwire/client/generated/model/Job.java' "$WORK/list-sources.jar.txt" \
  || fail "the sources jar lacks the generated models' sources"
for page in index.html io/modelwire/client/ModelwireClient.html io/modelwire/client/errors/ModelwireException.html \
  io/modelwire/client/generated/model/Job.html; do
  grep -qx "$page" "$WORK/list-javadoc.jar.txt" || fail "the javadoc jar has no $page"
done
if grep -q '^io/modelwire/client/internal/' "$WORK/list-javadoc.jar.txt"; then
  fail "the javadoc documents io.modelwire.client.internal (not API)"
fi
echo "test-java-package: contents ok (LICENSE in jar and sources, no generated api/invoker, javadoc without internal)"

# --- 4. first use from a fresh project: nothing on stderr ---------------------------------------------
P="$WORK/consumer"
mkdir -p "$P/src/main/java"
cat > "$P/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>example</groupId>
  <artifactId>consumer</artifactId>
  <version>1</version>
  <dependencies>
    <dependency>
      <groupId>io.modelwire</groupId>
      <artifactId>modelwire-client</artifactId>
      <version>$VERSION</version>
    </dependency>
  </dependencies>
</project>
EOF
cat > "$P/src/main/java/FirstCall.java" <<'EOF'
import io.modelwire.client.ModelwireClient;
import io.modelwire.client.RetryOptions;
import io.modelwire.client.errors.ConnectionException;
import java.util.Map;

public class FirstCall {
  public static void main(String[] args) {
    // nothing listens on port 9: the call goes through the whole pipeline (cache, breaker, …) and fails
    try (ModelwireClient client = ModelwireClient.builder().baseUrl("http://127.0.0.1:9/v1")
        .retry(RetryOptions.defaults().withMaxRetries(0)).build()) {
      client.predict("fraud-score", Map.of("amount", 1));
      System.out.println("unexpected: an answer");
      System.exit(1);
    } catch (ConnectionException e) {
      System.out.println("first call: " + e.code());
    }
  }
}
EOF
dep_plugin=org.apache.maven.plugins:maven-dependency-plugin:3.11.0
( cd "$P" && { mvn -o -B -q "$dep_plugin:build-classpath" -Dmdep.outputFile=cp.txt >"$WORK/dep.log" 2>&1 ||
    mvn -B -q "$dep_plugin:build-classpath" -Dmdep.outputFile=cp.txt >"$WORK/dep.log" 2>&1; } ) ||
  { cat "$WORK/dep.log" >&2; fail "resolving the consumer's classpath"; }
CP="$(cat "$P/cp.txt")"
grep -q "modelwire-client-$VERSION.jar" "$P/cp.txt" || fail "the consumer's classpath has no modelwire-client $VERSION"
if tr ':' '\n' <<<"$CP" | grep -E '/(slf4j|resilience4j)[^/]*\.jar$'; then
  fail "the consumer's runtime classpath has slf4j/resilience4j (above)"
fi
javac -d "$P/classes" -cp "$CP" "$P/src/main/java/FirstCall.java"
java -cp "$P/classes:$CP" FirstCall >"$WORK/out.txt" 2>"$WORK/err.txt" || { cat "$WORK/out.txt" "$WORK/err.txt" >&2; fail "FirstCall failed"; }
grep -q 'first call: CONNECTION_ERROR' "$WORK/out.txt" || { cat "$WORK/out.txt" >&2; fail "FirstCall printed no CONNECTION_ERROR"; }
if [ -s "$WORK/err.txt" ]; then
  cat "$WORK/err.txt" >&2
  fail "the first call printed on stderr (above)"
fi
# Control: the same stderr check catches slf4j 1.7 without a binding (what resilience4j brought).
SLF4J_17="$(find "${HOME}/.m2/repository/org/slf4j/slf4j-api" -name 'slf4j-api-1.7.*.jar' 2>/dev/null | head -1)"
if [ -n "$SLF4J_17" ]; then
  cat > "$P/Slf4jControl.java" <<'EOF'
public class Slf4jControl {
  public static void main(String[] args) {
    org.slf4j.LoggerFactory.getLogger(Slf4jControl.class).debug("first use");
  }
}
EOF
  javac -d "$P/classes" -cp "$SLF4J_17" "$P/Slf4jControl.java"
  java -cp "$P/classes:$SLF4J_17" Slf4jControl 2>"$WORK/control.txt" || true
  grep -q '^SLF4J' "$WORK/control.txt" || fail "control: slf4j 1.7 without a binding printed no SLF4J warning"
fi
echo "test-java-package: first call from a fresh project: $(cat "$WORK/out.txt"), stderr empty, no slf4j on the classpath"

# --- 5. the API reference --------------------------------------------------------------------------
rm -rf "$API_OUT" && mkdir -p "$API_OUT"
unzip -q "$BASE-javadoc.jar" -d "$API_OUT"
rm -rf "$API_OUT/META-INF"
echo "test-java-package: ok in $((SECONDS - start)) s (API reference: docs/api/java/index.html)"
