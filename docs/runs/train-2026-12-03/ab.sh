#!/bin/bash
# ab.sh FROM TO: per round, the headline bench then the one-thread step time, base (7f1f8f6 in
# /tmp/trainbase) and the branch alternating; each run under the bench lock.
# Step time: base as its bench steps (zeroGrad), the branch as its bench steps (recycleGrads).
out=/work/wt/train/docs/runs/train-2026-12-03
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java; JOPTS="--add-modules jdk.incubator.vector -XX:+UseParallelGC -Xmx3g -Xmn512m"
for r in $(seq $1 $2); do for b in base train; do
  d=/work/wt/train; h=MadryStepTimeRecycle; [ $b = base ] && { d=/tmp/trainbase; h=MadryStepTime; }
  f=$out/$b-$r.txt
  (cd $d && echo "start $(date -u +%T) $(uptime)" > $f && nice -n 19 flock /tmp/feint-bench.lock ./feint bench --threads 2 --no-scaling >> $f 2>&1; echo "end $(date -u +%T) $(uptime)" >> $f)
  echo "$b $r: $(grep -E 'training|PGD|vs ONNX' $f | tr -s ' ' | tr '\n' '|')"
  s=$out/step-$b-$r.txt
  echo "start $(date -u +%T) $(uptime)" > $s
  nice -n 19 flock /tmp/feint-bench.lock $J $JOPTS -cp $d/feint-bench/target/feint-bench.jar $out/$h.java 128 10 5 1 2>&1 | grep madry >> $s
  echo "end $(date -u +%T) $(uptime)" >> $s
  echo "  step $b $r: $(grep madry $s)"
done; done
