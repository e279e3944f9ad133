#!/bin/bash
# headline.sh FROM TO: `./feint bench --threads 2 --no-scaling`, base (start commit 9c78211 in /tmp/trainrest/base) and the
# branch alternating, each under the bench lock; then the weights' checksum (MadryStepTime, 128 10 5, one thread) once per build.
out=/work/wt/trainrest/docs/runs/trainrest-2026-12-03
for r in $(seq $1 $2); do for b in base branch; do
  d=/work/wt/trainrest; [ $b = base ] && d=/tmp/trainrest/base
  f=$out/bench-$b-$r.txt
  (cd $d && echo "start $(date -u +%T) $(uptime)" > $f && nice -n 19 flock /tmp/feint-bench.lock ./feint bench --threads 2 --no-scaling >> $f 2>&1; echo "end $(date -u +%T) $(uptime)" >> $f)
  echo "$b $r: $(grep -E 'training|PGD|vs ONNX' $f | tr -s ' ' | tr '\n' '|')"
done; done
