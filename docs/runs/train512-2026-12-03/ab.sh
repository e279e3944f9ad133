#!/bin/bash
# ab.sh THREADS ROUNDS : interleaved madry step time, base vs branch
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java; JOPTS="--add-modules jdk.incubator.vector -XX:+UseParallelGC -Xmx3g -Xmn512m"
for r in $(seq $2); do for b in base train512; do
  d=/work/wt/$b; [ $b = base ] && d=/work/wt/train512-base
  echo -n "$b "; nice -n 19 flock /tmp/feint-bench.lock $J $JOPTS -cp $d/feint-bench/target/feint-bench.jar /tmp/t512/MadryStepTime.java 128 10 5 $1 2>&1 | grep madry
done; done
