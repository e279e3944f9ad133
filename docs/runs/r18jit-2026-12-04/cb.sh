#!/bin/bash
# usage: cb.sh jar tag threads rounds per  -> prints ConvBench lines; compile log in /tmp/r18jit/comp-TAG.txt
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
jar=$1; tag=$2; shift 2
nice -n 19 flock /tmp/feint-bench.lock $J --add-modules jdk.incubator.vector -XX:+UseParallelGC -Xmx1g -XX:+UseTransparentHugePages -XX:+UnlockDiagnosticVMOptions -XX:+PrintCompilation -XX:+LogVMOutput -XX:-DisplayVMOutput -XX:LogFile=/tmp/r18jit/comp-$tag.txt $JOPTS -cp $jar:/tmp/r18jit/cb ConvBench "$@" 2>&1 | grep checksum | sed "s/^/$tag /"
