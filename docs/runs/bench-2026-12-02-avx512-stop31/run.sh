#!/bin/sh
# Stop 31's measurements on the Intel AVX-512 machine (main 796c5fb, unchanged this stop).
# Run 1 of each (contention1, imported1, headline1) ran first by hand, the same commands; this script adds the rest.
# Usage from the repository root: OUT=/tmp/somewhere docs/runs/bench-2026-12-02-avx512-stop31/run.sh
set -e
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
OUT=${OUT:-$(dirname "$0")}
lscpu > "$OUT/lscpu.txt"
for i in 2 3 4 5; do
  ./feint bench --contention --quick --threads 2 > "$OUT/contention$i.txt" 2>&1
done
for i in 2 3; do
  ./feint bench --threads 2 --no-scaling > "$OUT/headline$i.txt" 2>&1
  ./feint bench --imported /tmp/benchmodels --threads 2 > "$OUT/imported$i.txt" 2>&1
done
