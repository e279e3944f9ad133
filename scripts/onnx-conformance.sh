#!/usr/bin/env bash
# Runs the ONNX node tests (Debian's libonnx-testdata) through Feint's importer and writes the
# per-op pass rates to docs/ONNX.md. Usage: scripts/onnx-conformance.sh [NODE_TEST_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/find-java.sh
feint_find_java
dir=${1:-/usr/share/libonnx-testdata/data/node}
./mvnw -B -ntp -q -pl feint-onnx -am -Dfeint.buildDir=target-conformance package -DskipTests
cp=feint-onnx/target-conformance/classes:feint-core/target-conformance/classes:feint-attacks/target-conformance/classes
cp=$cp:$(find ~/.m2/repository/com/google/protobuf/protobuf-java/4.36.2 -name 'protobuf-java-4.36.2.jar')
"$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -cp "$cp" dev.feint.onnx.NodeConformance "$dir" docs/ONNX.md 2>/dev/null
echo "wrote docs/ONNX.md"
