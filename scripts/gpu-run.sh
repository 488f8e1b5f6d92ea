#!/usr/bin/env bash
# Runs on the GPU machine, from the repository root, with .gpu/ carried (see docs/cuda.md):
# unpacks .gpu/bundle.tar.xz (made here by scripts/gpu-bundle.sh), runs the cuda module's tests
# (GPU parity included) with JUnit's console launcher, then latte.cuda.GpuCheck (parity table and
# SGEMM 4096^3 GPU vs CPU). Logs go to $OUT (or ./gpu-out) as tests.txt and gpucheck.txt.
# Extra arguments are passed to GpuCheck (e.g. --size 2048 --reps 5).
# Exit status: the tests' if they fail, else GpuCheck's (0 ok, 1 parity failure, 2 no GPU).
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${OUT:-$root/gpu-out}"
mkdir -p "$out" /tmp/latte-gpu-run
tar -C /tmp/latte-gpu-run -xJf "$root/.gpu/bundle.tar.xz" || exit 3
g=/tmp/latte-gpu-run/latte-gpu
java=("$g/jre/bin/java" --enable-native-access=ALL-UNNAMED --add-modules=jdk.incubator.vector -Xss8m)
cp="$(ls "$g"/lib/latte-*.jar "$g"/lib/jcuda-*.jar | tr '\n' ':')$g/natives"
nvidia-smi --query-gpu=name,driver_version,clocks.max.sm,clocks.sm --format=csv 2>&1 | tee "$out/nvidia-smi.txt"

# PtxUpToDateTest reads cuda/src/main/cuda relative to the module directory.
(cd "$root/cuda" && "${java[@]}" -jar "$g"/lib/junit-platform-console-standalone-*.jar execute \
    --exclude-engine=junit-vintage --disable-banner --details=tree --disable-ansi-colors \
    --class-path "$cp:$(ls "$g"/lib/assertj-*.jar "$g"/lib/byte-buddy-*.jar | tr '\n' ':')$g/test-classes" \
    --select-package latte.cuda) 2>&1 | tee "$out/tests.txt"
tests=${PIPESTATUS[0]}

"${java[@]}" -cp "$cp" latte.cuda.GpuCheck "$@" 2>&1 | tee "$out/gpucheck.txt"
check=${PIPESTATUS[0]}
[ "$tests" -ne 0 ] && exit "$tests"
exit "$check"
