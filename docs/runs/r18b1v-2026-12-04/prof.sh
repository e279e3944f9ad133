#!/bin/bash
# usage: prof.sh REPO model threads blocks callsPerBlock tag  -> per node, Feint (F) and ORT (O) alternating
# (Prof.java / prof.py copied from docs/runs/b1warm-2026-12-03; classes compiled into /tmp/r18b1v/cls)
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
D=$1; shift
CP=$D/feint-cli/target/feint.jar:$D/feint-bench/target/feint-bench.jar:/tmp/r18b1v/cls
m=$1; t=$2; b=$3; n=$4; tag=$5
mkdir -p /tmp/r18b1v/prof
echo "start $(date -u +%T) $(uptime)"
out=$(nice -n 19 flock /tmp/feint-bench.lock $J --add-modules jdk.incubator.vector -XX:+UseParallelGC -Xmx3g -Xmn512m -Xss8m -XX:+UseTransparentHugePages $JOPTS --enable-native-access=ALL-UNNAMED -cp $CP Prof /tmp/benchmodels/$m.onnx $t $b $n /tmp/r18b1v/prof/$tag 2>&1 | grep -v WARNING)
echo "$out" | grep -v "ORT profile"
f=$(echo "$out" | sed -n 's/ORT profile: //p')
/usr/bin/python3 $(dirname $0)/prof.py $f $((b*n)) 2>&1
echo "end $(date -u +%T) $(uptime)"
