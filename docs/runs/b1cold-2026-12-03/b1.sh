#!/bin/bash
# usage: b1.sh model threads rounds mode [extra jvm opts]
cd /work/wt/b1cold
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
CP=${CPJ:-/tmp/b1c/jars/feint.jar:/tmp/b1c/jars/feint-bench.jar}:/tmp/b1c
m=$1; t=$2; r=$3; mode=$4; shift 4
echo "== $m t=$t mode=$mode $* $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
nice -n 19 flock /tmp/feint-bench.lock $J --add-modules jdk.incubator.vector -XX:+UseParallelGC -Xmx8g -Xmn512m -Xss8m --enable-native-access=ALL-UNNAMED "$@" -cp $CP B1Rounds /tmp/benchmodels/$m.onnx $t $r $mode 2>&1 | grep -v WARNING
