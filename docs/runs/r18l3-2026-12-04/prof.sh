#!/bin/bash
# usage: prof.sh jardir model threads blocks callsPerBlock tag   (Prof.java / prof.py from docs/runs/b1warm-2026-12-03)
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
D=$1; shift
CP=$D/feint.jar:$D/feint-bench.jar:/tmp/r18jit/cls
m=$1; t=$2; b=$3; n=$4; tag=$5
mkdir -p /tmp/r18l3/prof
out=$(nice -n 19 flock /tmp/feint-bench.lock $J --add-modules jdk.incubator.vector -XX:+UseParallelGC -Xmx3g -Xmn512m -Xss8m -XX:+UseTransparentHugePages $JOPTS --enable-native-access=ALL-UNNAMED -cp $CP Prof /tmp/benchmodels/$m.onnx $t $b $n /tmp/r18l3/prof/$tag 2>&1 | grep -v WARNING)
echo "$out" | grep -v "ORT profile"
f=$(echo "$out" | sed -n 's/ORT profile: //p')
/usr/bin/python3 /work/wt/r18l3/docs/runs/b1warm-2026-12-03/prof.py $f $((b*n)) 2>&1 | grep -E 'sum-of|model_run'
