#!/bin/bash
while pgrep -f /tmp/load1x1/ab4.sh >/dev/null; do sleep 3; done
for r in A11 P5 A12 P6; do
  case $r in A*) T=/work/wt/load1x1-base;; *) T=/work/wt/load1x1;; esac
  echo "$r start $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)" >> /tmp/load1x1/ab.log
  /tmp/load1x1/run.sh $T /tmp/load1x1/ab-$r.txt
  echo "$r end $(date -u +%H:%M:%S)" >> /tmp/load1x1/ab.log
done
