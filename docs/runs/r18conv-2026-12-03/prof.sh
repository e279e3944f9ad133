#!/bin/bash
# usage: prof.sh model threads blocks callsPerBlock tag
R=${R:-$(cd "$(dirname "$0")/../../.." && pwd)}
# Prof.java and prof.py are b1warm's (../b1warm-2026-12-03/): compile Prof.java into /tmp/r18conv/cls first.
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
CP=${JARS:-$R/feint-cli/target/feint.jar:$R/feint-bench/target/feint-bench.jar}:/tmp/r18conv/cls
m=$1; t=$2; b=$3; n=$4; tag=$5
mkdir -p /tmp/r18conv/cls/prof
out=$(nice -n 19 flock /tmp/feint-bench.lock $J --add-modules jdk.incubator.vector -XX:+UseParallelGC -Xmx3g -Xmn512m -Xss8m -XX:+UseTransparentHugePages $JOPTS --enable-native-access=ALL-UNNAMED -cp $CP Prof /tmp/benchmodels/$m.onnx $t $b $n /tmp/r18conv/cls/prof/$tag 2>&1 | grep -v WARNING)
echo "$out" | grep -v "ORT profile"
f=$(echo "$out" | sed -n 's/ORT profile: //p')
/usr/bin/python3 $(dirname $0)/../b1warm-2026-12-03/prof.py $f $((b*n - 0)) 2>&1 | tail -n +1
