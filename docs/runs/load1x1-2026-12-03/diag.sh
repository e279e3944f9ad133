#!/bin/bash
# usage: diag.sh <tree> b th rounds iters
T=$1; shift
cd $T && nice -n 19 flock /tmp/feint-bench.lock /usr/lib/jvm/temurin-25-jdk-amd64/bin/java --add-modules jdk.incubator.vector -XX:+UseParallelGC -Xmx3g -Xmn512m -Xss8m --enable-native-access=ALL-UNNAMED ${DIAG_OPTS:-} -cp feint-cli/target/feint.jar:feint-bench/target/feint-bench.jar:${DIAG_CP:-/tmp/load1x1/diag/out} dev.feint.bench.${DIAG_MAIN:-Diag} "$@" 2>&1 | grep -v "WARNING: Using incubator"
