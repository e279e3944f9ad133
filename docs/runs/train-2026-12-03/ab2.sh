#!/bin/bash
# ab2.sh: as ab.sh, each build's headline bench and one-thread step time in one lock hold (the lock
# queue was long: two waits per build and round did not fit the time). Slots in order: the base's
# step time of round 1 (its bench ran in ab.sh), then train 1, base 2, train 2, base 3, train 3.
out=/work/wt/train/docs/runs/train-2026-12-03
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java; JOPTS="--add-modules jdk.incubator.vector -XX:+UseParallelGC -Xmx3g -Xmn512m"
slot() {  # slot BUILD ROUND BENCH(0/1)
  local b=$1 r=$2 d=/work/wt/train h=MadryStepTimeRecycle
  [ $b = base ] && { d=/tmp/trainbase; h=MadryStepTime; }
  local f=$out/$b-$r.txt s=$out/step-$b-$r.txt
  [ $3 = 1 ] && echo "start $(date -u +%T) $(uptime)" > $f
  nice -n 19 flock /tmp/feint-bench.lock bash -c "
    cd $d
    if [ $3 = 1 ]; then echo \"locked \$(date -u +%T) \$(uptime)\" >> $f; ./feint bench --threads 2 --no-scaling >> $f 2>&1; echo \"end \$(date -u +%T) \$(uptime)\" >> $f; fi
    echo \"start \$(date -u +%T) \$(uptime)\" > $s
    $J $JOPTS -cp $d/feint-bench/target/feint-bench.jar $out/$h.java 128 10 5 1 2>&1 | grep madry >> $s
    echo \"end \$(date -u +%T) \$(uptime)\" >> $s"
  [ $3 = 1 ] && echo "$b $r: $(grep -E 'training|PGD|vs ONNX' $f | tr -s ' ' | tr '\n' '|')"
  echo "  step $b $r: $(grep madry $s)"
}
slot base 1 0
for r in 1 2 3; do
  [ $r -gt 1 ] && slot base $r 1
  slot train $r 1
done
