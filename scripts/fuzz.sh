#!/usr/bin/env bash
# Coverage-guided fuzzing of one parser with Jazzer.
#
# Usage: scripts/fuzz.sh TARGET SECONDS      TARGET: safetensors, json, architecture, npy, idx, idxGz, cifar, image, onnx
#
# Runs ParsersFuzzTest#TARGET (onnx: feint-onnx's OnnxFuzzTest#onnx) in Jazzer's fuzzing mode for SECONDS. The corpus Jazzer grows is
# kept in .cifuzz-corpus/ (not in git); a finding (any exception but FeintException, out of
# memory, or an input slower than Jazzer's per-input timeout) is written to
# feint-core/src/test/resources/dev/feint/fuzz/ParsersFuzzTestInputs/TARGET/crash-*: fix it, keep
# the file under a telling name (it then replays in every build) and add a test for it.
# The fork's heap is 1 GB: a parser that needs more for a small input is a finding too.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: scripts/fuzz.sh TARGET SECONDS}
seconds=${2:?usage: scripts/fuzz.sh TARGET SECONDS}
case "$target" in
    safetensors|json|architecture|npy|idx|idxGz|cifar|image) modules=(-pl feint-core) test="ParsersFuzzTest#$target" ;;
    onnx) modules=(-pl feint-onnx -am) test="OnnxFuzzTest#onnx" ;;
    *) echo "unknown target '$target' (expected safetensors, json, architecture, npy, idx, idxGz, cifar, image or onnx)" >&2; exit 2 ;;
esac
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export JAZZER_FUZZ=1 JAZZER_MAX_DURATION="${seconds}s"
# Overrides the build's -Xmx4g in the test fork (and Maven's own JVM, which needs far less).
export _JAVA_OPTIONS="-Xmx1g"
# Only the default execution: the kernel re-runs of feint-core/pom.xml would fuzz again.
./mvnw -B -ntp "${modules[@]}" test-compile surefire:test@default-test -Dfeint.buildDir="${FEINT_BUILD_DIR:-target-fuzz}" \
    -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false -Djacoco.skip=true \
    2>&1 | tee "${TMPDIR:-/tmp}/feint-fuzz-$target.log" | grep -E "^#[0-9]+.*(DONE|pulse|NEW)|Done [0-9]+ runs|==|Tests run|FAIL|crash-" | tail -n 40
