#!/bin/bash
# sweep.sh OUT JAR ROUNDS: StepSweep on the scratch build's temporary toggle (toggle-not-merged.patch): ConvReluPool.ROUTE_VECTOR
# 0 (step43's scalar loop) against 1 (this branch's vector scatter), in one JVM, rounds of 10 steps alternating; 1 and 2
# threads, each run under the bench lock.
OUT=$1; JAR=$2; R=${3:-15}; cd "$(dirname "$0")"; J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
for t in 1 2; do
  echo "t$t $(date -u +%T) load $(cut -d' ' -f1 /proc/loadavg)"
  nice -n 19 flock /tmp/feint-bench.lock $J --add-modules jdk.incubator.vector -XX:+UseParallelGC -Xmx3g -Xmn512m -XX:+UseTransparentHugePages \
    -cp $JAR StepSweep.java dev.feint.tensor.kernels.ConvReluPool ROUTE_VECTOR 10 $R $t 0 1 2>&1 | grep -v WARN
  echo "end $(date -u +%T) load $(cut -d' ' -f1 /proc/loadavg)"
done | tee -a $OUT
