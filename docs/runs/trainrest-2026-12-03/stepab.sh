#!/bin/bash
# stepab.sh OUT PAIRS: one- and two-thread madry-cnn step (MadryStepTimeRecycle 128 10 7), base (/tmp/trainrest/base,
# start commit 9c78211) and the branch alternating, each run under the bench lock; THP on as the launcher does.
ROOT="$(cd "$(dirname "$0")/../../.." && pwd)"   # the repository (the step harness is kept once, in ../train-2026-12-03/)
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java; H=$ROOT/docs/runs/train-2026-12-03/MadryStepTimeRecycle.java
for r in $(seq 1 $2); do for t in 1 2; do for b in base branch; do
  d=/work/wt/trainrest; [ $b = base ] && d=/tmp/trainrest/base
  echo "$b r$r $(date -u +%T) load $(cut -d' ' -f1 /proc/loadavg): $(nice -n 19 flock /tmp/feint-bench.lock $J --add-modules jdk.incubator.vector -XX:+UseParallelGC -Xmx3g -Xmn512m -XX:+UseTransparentHugePages -cp $d/feint-bench/target/feint-bench.jar $H 128 10 7 $t 2>&1 | grep madry)"
done; done; done | tee -a $1
