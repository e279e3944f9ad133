#!/bin/bash
# usage: cb.sh REPO threads  : ConvBench on resnet18's batch-1 convolutions (one JVM each), under the bench lock
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
D=$1; t=$2; shift 2
CP=$D/feint-cli/target/feint.jar:/tmp/r18b1v/cls
run() { $J --add-modules jdk.incubator.vector -XX:+UseParallelGC -Xmx1g $JOPTS --enable-native-access=ALL-UNNAMED -cp $CP ConvBench $t "$@" 2>&1 | grep -v WARNING; }
echo "start $(date -u +%T) $(uptime)"
nice -n 19 flock /tmp/feint-bench.lock bash -c "$(declare -f run); J=$J; CP=$CP; t=$t; JOPTS='$JOPTS'
run stem 3 32 64 7 2 3
run l1 64 8 64 3 1 1
run l2.0c1 64 8 128 3 2 1
run l2 128 4 128 3 1 1
run l3 256 2 256 3 1 1"
echo "end $(date -u +%T) $(uptime)"
