#!/bin/bash
# usage: cb.sh jar threads rounds per [flush]
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
jar=$1; shift
nice -n 19 flock /tmp/feint-bench.lock $J --add-modules jdk.incubator.vector -XX:+UseParallelGC -Xmx1g -XX:+UseTransparentHugePages -cp $jar:/tmp/r18conv/cb ConvBench "$@" 2>&1 | grep -v WARNING
