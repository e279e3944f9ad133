#!/bin/bash
# usage: fwd.sh jardir model batch threads rounds ms
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
D=$1; shift
nice -n 19 flock /tmp/feint-bench.lock $J --add-modules jdk.incubator.vector -XX:+UseParallelGC -Xmx3g -Xmn512m -Xss8m -XX:+UseTransparentHugePages $JOPTS -cp $D/feint.jar:/tmp/r18jit/cls Fwd /tmp/benchmodels/$1.onnx $2 $3 $4 $5 2>&1 | grep -v WARNING
