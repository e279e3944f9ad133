#!/usr/bin/env bash
# Interleaved THP on/off runs of OrtThp.java (ORT alone in a JVM); run from the repo root under the bench lock.
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
CP=feint-bench/target/feint-bench.jar
H=docs/runs/peerproc-2026-12-03/OrtThp.java
for pair in 1 2 3; do
  for mode in touch plain; do
    for thp in off on; do
      opt=-XX:-UseTransparentHugePages; [ $thp = on ] && opt=-XX:+UseTransparentHugePages
      echo "== pair $pair thp $thp $mode load $(cut -d' ' -f1-3 /proc/loadavg)"
      perf stat -e task-clock,page-faults,context-switches,cpu-migrations -x, -o /tmp/ortthp.perf \
        $J $opt --add-modules jdk.incubator.vector -XX:+UseParallelGC -Xmx8g -Xmn512m -cp $CP $H 128 1 6 $mode 2>&1 | grep -v WARNING
      grep -v '^#' /tmp/ortthp.perf | grep . | awk -F, '{printf "  perf %s=%s\n", $3, $1}'
    done
  done
done
