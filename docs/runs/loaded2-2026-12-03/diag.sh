#!/bin/bash
# usage: diag.sh <tree> args...   (DIAG_MAIN, DIAG_OPTS, DIAG_CP as in load1x1's)
T=$1; shift
cd $T && nice -n 19 flock /tmp/feint-bench.lock /usr/lib/jvm/temurin-25-jdk-amd64/bin/java --add-modules jdk.incubator.vector -XX:+UseParallelGC -Xmx3g -Xmn512m -Xss8m --enable-native-access=ALL-UNNAMED ${DIAG_OPTS:-} -cp feint-cli/target/feint.jar:feint-bench/target/feint-bench.jar:${DIAG_CP:-/tmp/loaded2/diag/out} dev.feint.bench.${DIAG_MAIN:-Trace} "$@" 2>&1 | grep -v "WARNING: Using incubator"
