#!/bin/sh
# LoadTurns (this folder) on a copy of the jars: turns.sh JARDIR OUTFILE ROUNDS BATCH [JAVA OPTIONS...]
# (ORT in its own JVM as the peer, the bench's background load of 2 busy threads on.)
# Compile first: javac --add-modules jdk.incubator.vector -cp JARDIR/feint.jar:JARDIR/feint-bench.jar -d /tmp/b1split/lt LoadTurns.java
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
jars=$1; out=$2; rounds=$3; b=$4; shift 4
CP=$jars/feint-cli/target/feint.jar:$jars/feint-bench/target/feint-bench.jar:/tmp/b1split/lt
echo "start $(date -u +%H:%M:%S) $(uptime) opts: $*" > "$out"
"$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -XX:+UseParallelGC -Xmx3g -Xmn512m -XX:+UseTransparentHugePages -Xss8m \
  --enable-native-access=ALL-UNNAMED -Dfeint.parallel.trace=true -Db=$b "$@" -cp $CP dev.feint.bench.LoadTurns $rounds ort 0 ${LOAD-load} >> "$out" 2>&1
echo "end $(date -u +%H:%M:%S) $(uptime)" >> "$out"
