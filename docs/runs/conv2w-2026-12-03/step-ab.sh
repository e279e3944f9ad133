#!/bin/bash
# step-ab.sh TAG PAIRS: MadryStepTime (batch 128, 10 calls x 5 rounds, 1 thread) base (/tmp/c2w/basetree, 9c78211) vs branch, interleaved, under the bench lock
ROOT="$(cd "$(dirname "$0")/../../.." && pwd)"   # the repository (the step harness is kept once, in ../train-2026-12-03/)
out=/work/wt/conv2w/docs/runs/conv2w-2026-12-03; J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
JOPTS="--add-modules jdk.incubator.vector -XX:+UseParallelGC -Xmx3g -Xmn512m"
for i in $(seq 1 $2); do for b in base branch; do
  d=/work/wt/conv2w; [ $b = base ] && d=/tmp/c2w/basetree
  nice -n 19 flock /tmp/feint-bench.lock bash -c "echo \"$b $i load \$(cut -d' ' -f1-3 /proc/loadavg)\"; $J $JOPTS -cp $d/feint-bench/target/feint-bench.jar $ROOT/docs/runs/train-2026-12-03/MadryStepTime.java 128 10 5 ${3:-1} 2>&1 | grep madry"
done; done | tee $out/step-$1.txt
