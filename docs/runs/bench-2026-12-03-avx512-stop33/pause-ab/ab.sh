#!/bin/sh
# interleaved contention runs: main, pause, main, pause, ...
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
for i in 1 2 3; do
  (cd /work/main && ./feint bench --contention --quick --threads 2 > /tmp/lead/ab-main$i.txt 2>&1)
  (cd /work/wt/pause && ./feint bench --contention --quick --threads 2 > /tmp/lead/ab-pause$i.txt 2>&1)
done
