#!/usr/bin/env bash
# Packs everything a GPU machine without Java, Maven or network needs to run latte.cuda.GpuCheck
# and the cuda module's tests into .gpu/bundle.tar.xz (about 20 MB, within the device tool's
# carry limit):
#   jre/      a jlink'ed JDK 25 runtime (java.base, java.logging, jdk.unsupported, jdk.zipfs, jdk.incubator.vector)
#   lib/      latte-core, latte-cuda, jcuda and the test libraries (JUnit console launcher, AssertJ)
#   natives/  lib/libJCudaDriver-*.so only (JCuda's other natives are 25 MB the driver API never loads)
#   test-classes/  the cuda module's compiled tests
# See docs/cuda.md for the commands to run on the GPU machine.
#
# Usage: scripts/gpu-bundle.sh     (from any directory; needs Maven Central once, for the jars)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
stage="$tmp/latte-gpu"
mkdir -p "$stage/lib" "$stage/natives/lib" "$stage/test-classes"

junit=$(grep -o '<junit.version>[^<]*' pom.xml | cut -d'>' -f2)
console="1${junit#5}" # junit-platform 1.x pairs with jupiter 5.x
mvn -B -q -pl core,cuda package dependency:copy-dependencies -DskipTests \
    -DincludeScope=test -DoutputDirectory="$stage/lib"
mvn -B -q -N dependency:copy -Dartifact="org.junit.platform:junit-platform-console-standalone:$console" \
    -DoutputDirectory="$stage/lib"
cp core/target/latte-core-*.jar cuda/target/latte-cuda-*.jar "$stage/lib/"
rm -f "$stage"/lib/latte-*-tests.jar
# The driver API's native library alone, on the class path where JCuda's LibUtils looks for it.
natives=$(ls "$stage"/lib/jcuda-natives-*.jar)
unzip -q -j -o "$natives" 'lib/libJCudaDriver-*' -d "$stage/natives/lib"
rm "$natives"
# JUnit's own jars are inside the console launcher; drop the duplicates.
rm -f "$stage"/lib/junit-jupiter-*.jar "$stage"/lib/junit-platform-{commons,engine,launcher}-*.jar \
      "$stage"/lib/opentest4j-*.jar "$stage"/lib/apiguardian-*.jar
cp -r cuda/target/test-classes/. "$stage/test-classes/"

# A JDK 25 (the classes are compiled for it): JAVA25_HOME, else JAVA_HOME if it is 25, else /usr/lib/jvm/*25*.
java_home="${JAVA25_HOME:-${JAVA_HOME:-}}"
grep -q '^JAVA_VERSION="25' "$java_home/release" 2>/dev/null || java_home=$(ls -d /usr/lib/jvm/*25* 2>/dev/null | head -1)
grep -q '^JAVA_VERSION="25' "$java_home/release" || { echo "gpu-bundle: no JDK 25 found; set JAVA25_HOME" >&2; exit 1; }
"$java_home/bin/jlink" --add-modules java.base,java.logging,jdk.unsupported,jdk.zipfs,jdk.incubator.vector \
    --strip-debug --no-header-files --no-man-pages --output "$stage/jre" 2>&1 | grep -v '^WARNING: Using incubator' || true

mkdir -p .gpu
tar -C "$tmp" -cJf .gpu/bundle.tar.xz latte-gpu
echo "wrote .gpu/bundle.tar.xz ($(du -h .gpu/bundle.tar.xz | cut -f1)): $(ls "$stage/lib" | tr '\n' ' ')"
