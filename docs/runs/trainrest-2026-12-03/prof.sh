#!/bin/bash
# prof.sh THREADS TAG [jar dir]: JFR of the madry-cnn step (MadryStepTimeRecycle, batch 128, 40 calls x 5 rounds)
ROOT="$(cd "$(dirname "$0")/../../.." && pwd)"   # the repository (the step harness is kept once, in ../train-2026-12-03/)
d=${3:-/work/wt/trainrest}
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
nice -n 19 flock /tmp/feint-bench.lock $J --add-modules jdk.incubator.vector -XX:+UseParallelGC -Xmx3g -Xmn512m -XX:+UseTransparentHugePages \
  -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints -XX:StartFlightRecording=filename=/tmp/trainrest/$2.jfr,settings=profile \
  -cp $d/feint-bench/target/feint-bench.jar $ROOT/docs/runs/train-2026-12-03/MadryStepTimeRecycle.java 128 40 5 $1 2>&1 | grep -v jfr
