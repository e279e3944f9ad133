#!/bin/bash
# Interleaved A/B: branch (B) and start commit (A), contention quick runs under the bench lock.
for r in B1 A1 B2 A2 B3 A3 B4; do
  case $r in A*) T=/work/wt/load1x1-base;; B*) T=/work/wt/load1x1;; esac
  echo "$r start $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)" >> /tmp/load1x1/ab.log
  /tmp/load1x1/run.sh $T /tmp/load1x1/ab-$r.txt
  echo "$r end $(date -u +%H:%M:%S)" >> /tmp/load1x1/ab.log
done
