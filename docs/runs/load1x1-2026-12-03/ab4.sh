#!/bin/bash
for r in P1 A8 P2 A9 P3 A10 P4; do
  case $r in A*) T=/work/wt/load1x1-base;; *) T=/work/wt/load1x1;; esac
  echo "$r start $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)" >> /tmp/load1x1/ab.log
  /tmp/load1x1/run.sh $T /tmp/load1x1/ab-$r.txt
  echo "$r end $(date -u +%H:%M:%S)" >> /tmp/load1x1/ab.log
done
