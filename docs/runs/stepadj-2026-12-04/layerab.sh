#!/bin/bash
# layerab.sh OUT ROUNDS HARNESS LABEL=JAR ...: Conv1.java / Conv2.java (20 calls x 9 rounds) at 1 and 2 threads for each
# jar, alternating; one round per bench-lock hold.
cd "$(dirname "$0")"; J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
out=$1; rounds=$2; h=$3; shift 3
for r in $(seq 1 $rounds); do
  nice -n 19 flock /tmp/feint-bench.lock bash -c '
    for t in 1 2; do for cfg in "$@"; do
      echo "${cfg%%=*} r'$r' t$t $(date -u +%T) load $(cut -d" " -f1 /proc/loadavg) $('$J' --add-modules jdk.incubator.vector -XX:+UseParallelGC -Xmx3g -Xmn512m -XX:+UseTransparentHugePages -cp ${cfg#*=} '$h' 20 9 $t 2>&1 | grep backward)"
    done; done' _ "$@"
done | tee -a $out
