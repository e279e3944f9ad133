#!/bin/bash
# prof.sh THREADS TAG JAR: JFR of the madry-cnn step (../train-2026-12-03/MadryStepTimeRecycle.java, batch 128, 40 calls x 5 rounds)
ROOT="$(cd "$(dirname "$0")/../../.." && pwd)"
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java; mkdir -p /tmp/stepadj
nice -n 19 flock /tmp/feint-bench.lock $J --add-modules jdk.incubator.vector -XX:+UseParallelGC -Xmx3g -Xmn512m -XX:+UseTransparentHugePages \
  -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints -XX:StartFlightRecording=filename=/tmp/stepadj/$2.jfr,settings=profile \
  -cp $3 $ROOT/docs/runs/train-2026-12-03/MadryStepTimeRecycle.java 128 40 5 $1 2>&1 | grep -v jfr
