#!/bin/sh
# run-b1.sh TREE THREADS CALLS OUT [JAVA OPTS]: B1Split on TREE's jars, alone (no load), trace on.
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
t=$1; th=$2; n=$3; out=$4; shift 4
CP=$t/feint-cli/target/feint.jar:$t/feint-bench/target/feint-bench.jar:/tmp/b1split/h
echo "start $(date -u +%H:%M:%S) $(uptime) tree $t opts: $*" > "$out"
"$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -XX:+UseParallelGC -Xmx3g -Xmn512m -XX:+UseTransparentHugePages -Xss8m \
  --enable-native-access=ALL-UNNAMED -Dfeint.parallel.trace=true "$@" -cp $CP dev.feint.bench.B1Split $th $n >> "$out" 2>&1
echo "end $(date -u +%H:%M:%S) $(uptime)" >> "$out"
