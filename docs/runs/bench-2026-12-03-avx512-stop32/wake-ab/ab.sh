#!/bin/bash
# A/B: main (/work/main) vs wake (/work/wt/wake), interleaved; $1 = imported rounds, $2 = contention rounds
mkdir -p docs/runs/bench-2026-12-03-avx512-stop32/wake-ab
for r in $(seq 1 $1); do for b in main wake; do
  d=/work/main; [ $b = wake ] && d=/work/wt/wake
  f=docs/runs/bench-2026-12-03-avx512-stop32/wake-ab/imp-$b-$r.txt
  (cd $d && echo "start $(date -u +%T) $(uptime)" > $f && nice -n 19 flock /tmp/feint-bench.lock ./feint bench --imported /tmp/benchmodels --threads 2 >> $f 2>&1)
  echo "$b $r: $(grep 'forward batch 1 ' $f | tr -s ' ' | tr '\n' '|')"
done; done
for r in $(seq 1 $2); do for b in main wake; do
  d=/work/main; [ $b = wake ] && d=/work/wt/wake
  f=docs/runs/bench-2026-12-03-avx512-stop32/wake-ab/con-$b-$r.txt
  (cd $d && echo "start $(date -u +%T) $(uptime)" > $f && nice -n 19 flock /tmp/feint-bench.lock ./feint bench --contention --quick --threads 2 >> $f 2>&1)
  echo "$b con $r done"
done; done
