#!/bin/sh
# Stop 38's end-of-session measurements (main after the b1split and r18b1v merges) on the stop-38 VM,
# nothing else running but the benchmark; the peers in their own JVMs (the default).
# Usage from the repository root: OUT=/tmp/somewhere docs/runs/bench-2026-12-04-avx512-stop38-end/run.sh
set -e
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
OUT=${OUT:-$(dirname "$0")}
lscpu > "$OUT/lscpu.txt"
for i in 1 2 3; do
  ./feint bench --contention --quick --threads 2 > "$OUT/contention$i.txt" 2>&1
  ./feint bench --imported /tmp/benchmodels --threads 2 > "$OUT/imported$i.txt" 2>&1
done
for i in 1 2; do  # headline
  ./feint bench --threads 2 --no-scaling > "$OUT/headline$i.txt" 2>&1
done
for i in 4 5; do
  ./feint bench --contention --quick --threads 2 > "$OUT/contention$i.txt" 2>&1
done
