#!/bin/sh
# B32Turns (this folder) on the worktree's jars: turns.sh OUTFILE ROUNDS PEER [ARG] [JAVA OPTIONS...]
# Compile first: javac --add-modules jdk.incubator.vector -cp feint-cli/target/feint.jar:feint-bench/target/feint-bench.jar -d /tmp/turn32-h B32Turns.java
set -e
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
out=$1; rounds=$2; peer=$3; arg=$4; shift 4
CP=feint-cli/target/feint.jar:feint-bench/target/feint-bench.jar:/tmp/turn32-h
"$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -XX:+UseParallelGC -Xmx3g -Xmn512m -XX:+UseTransparentHugePages -Xss8m \
  --enable-native-access=ALL-UNNAMED -Dfeint.parallel.trace=true "$@" -cp $CP dev.feint.bench.B32Turns $rounds $peer $arg $LOAD > "$out" 2>&1
