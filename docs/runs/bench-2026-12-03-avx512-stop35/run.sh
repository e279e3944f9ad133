#!/bin/sh
# Stop 35's end-of-session measurements on the Intel AVX-512 VM (main after the stop-35 merges),
# nothing else running but the benchmark. The peers run in their own JVMs (the default since
# peerproc); contention-inproc* runs them in the bench's JVM as before, interleaved, for comparison.
# Usage from the repository root: OUT=/tmp/somewhere docs/runs/bench-2026-12-03-avx512-stop35/run.sh
set -e
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
OUT=${OUT:-$(dirname "$0")}
lscpu > "$OUT/lscpu.txt"
for i in 1 2 3; do
  ./feint bench --contention --quick --threads 2 > "$OUT/contention$i.txt" 2>&1
  ./feint bench --contention --quick --threads 2 --peers in-process > "$OUT/contention-inproc$i.txt" 2>&1
  ./feint bench --threads 2 --no-scaling > "$OUT/headline$i.txt" 2>&1
  ./feint bench --imported /tmp/benchmodels --threads 2 > "$OUT/imported$i.txt" 2>&1
done
for i in 4 5; do
  ./feint bench --contention --quick --threads 2 > "$OUT/contention$i.txt" 2>&1
done
