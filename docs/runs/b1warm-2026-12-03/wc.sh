#!/bin/bash
# usage: wc.sh model threads rounds [warmupMs timedMs]   (classes in /tmp/b1w, jars from $JARS or the worktree)
R=/work/wt/b1warm
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
CP=${JARS:-$R/feint-cli/target/feint.jar:$R/feint-bench/target/feint-bench.jar}:/tmp/b1w
m=$1; shift
nice -n 19 flock /tmp/feint-bench.lock $J --add-modules jdk.incubator.vector -XX:+UseParallelGC -Xmx3g -Xmn512m -Xss8m -XX:+UseTransparentHugePages --enable-native-access=ALL-UNNAMED -cp $CP WarmCold /tmp/benchmodels/$m.onnx "$@" 2>&1 | grep -v WARNING
