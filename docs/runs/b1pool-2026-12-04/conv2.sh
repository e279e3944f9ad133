#!/bin/sh
# conv2.sh TREE OUT: Conv2Pool (10,000 calls x 4 rounds) on TREE's jars, alone.
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
t=$1; out=$2
CP=$t/feint-cli/target/feint.jar:$t/feint-bench/target/feint-bench.jar:/tmp/b1pool/h
echo "start $(date -u +%H:%M:%S) $(uptime) tree $t" > "$out"
"$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -XX:+UseParallelGC -Xmx1g --enable-native-access=ALL-UNNAMED -cp $CP dev.feint.bench.Conv2Pool 10000 4 >> "$out" 2>&1
echo "end $(date -u +%H:%M:%S) $(uptime)" >> "$out"
