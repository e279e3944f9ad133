#!/bin/bash
# togab.sh OUT JAR: StepSweep on the temporary toggles of a scratch build (old code 0, new 1 / skew 0 or 16), 1 and 2 threads,
# each run under the bench lock.
OUT=$1; JAR=$2; cd "$(dirname "$0")"; J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java; K=dev.feint.tensor.kernels
for t in 1 2; do for fv in "$K.ConvReluPool ROUTE_NEW 0 1" "$K.WinogradTiles PAD_NEW 0 1" "$K.WinogradConv GROUP_SKEW 0 16"; do
  set -- $fv
  echo "t$t $(date -u +%T) load $(cut -d' ' -f1 /proc/loadavg)"
  nice -n 19 flock /tmp/feint-bench.lock $J --add-modules jdk.incubator.vector -XX:+UseParallelGC -Xmx3g -Xmn512m -XX:+UseTransparentHugePages \
    -cp $JAR StepSweep.java $1 $2 10 11 $t $3 $4 2>&1 | grep -v WARN
done; done | tee -a $OUT
