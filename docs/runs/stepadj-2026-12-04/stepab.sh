#!/bin/bash
# stepab.sh OUT ROUNDS LABEL=JAR[:OPTS] ...: one- and two-thread madry-cnn step (../train-2026-12-03/MadryStepTimeRecycle.java
# 128 10 7: median of 7 rounds of 10 steps), the configurations alternating; each round (every configuration at 1 and
# 2 threads, ~2 min) is one run under the bench lock; THP on as the launcher does. OPTS: extra JVM options, comma-separated.
ROOT="$(cd "$(dirname "$0")/../../.." && pwd)"
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java; H=$ROOT/docs/runs/train-2026-12-03/MadryStepTimeRecycle.java
out=$1; rounds=$2; shift 2
round() {
  for t in 1 2; do for cfg in "$@"; do
    label=${cfg%%=*}; rest=${cfg#*=}; jar=${rest%%:*}; opts=""; [ "$rest" != "$jar" ] && opts=$(echo ${rest#*:} | tr ',' ' ')
    echo "$label r$r t$t $(date -u +%T) load $(cut -d' ' -f1 /proc/loadavg) $($J --add-modules jdk.incubator.vector -XX:+UseParallelGC -Xmx3g -Xmn512m -XX:+UseTransparentHugePages $opts -cp $jar $H 128 10 7 $t 2>&1 | grep madry)"
  done; done
}
export -f round; export J H
for r in $(seq 1 $rounds); do export r; nice -n 19 flock /tmp/feint-bench.lock bash -c 'round "$@"' _ "$@"; done | tee -a $out
