#!/bin/bash
# interleaved headline bench: base (start commit 1b1c444) vs branch, N rounds
for r in $(seq 4 $1); do for b in base train512; do
  d=/work/wt/$b; [ $b = base ] && d=/work/wt/train512-base
  f=/tmp/t512/hl/$b-$r.txt
  (cd $d && echo "start $(date -u +%T) $(uptime)" > $f && nice -n 19 flock /tmp/feint-bench.lock ./feint bench --threads 2 --no-scaling >> $f 2>&1; echo "end $(date -u +%T)" >> $f)
  echo "$b $r: $(grep -E 'training|PGD|vs ONNX' $f | tr -s ' ' | tr '\n' '|')"
done; done
