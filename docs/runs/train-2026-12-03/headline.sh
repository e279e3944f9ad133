#!/bin/bash
# headline.sh FROM TO: `./feint bench --threads 2 --no-scaling`, base (start commit 7f1f8f6, extracted
# to /tmp/trainbase) and this branch alternating, rounds FROM..TO, each run under the bench lock.
out=/work/wt/train/docs/runs/train-2026-12-03
for r in $(seq $1 $2); do for b in base train; do
  d=/work/wt/train; [ $b = base ] && d=/tmp/trainbase
  f=$out/$b-$r.txt
  (cd $d && echo "start $(date -u +%T) $(uptime)" > $f && nice -n 19 flock /tmp/feint-bench.lock ./feint bench --threads 2 --no-scaling >> $f 2>&1; echo "end $(date -u +%T) $(uptime)" >> $f)
  echo "$b $r: $(grep -E 'training|PGD|vs ONNX' $f | tr -s ' ' | tr '\n' '|')"
done; done
