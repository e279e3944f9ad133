#!/bin/bash
# bench-ab.sh PAIRS: ./feint bench --threads 2 --no-scaling, base (/tmp/c2w/basetree = git archive 9c78211) and branch alternating, each under the bench lock
out=/work/wt/conv2w/docs/runs/conv2w-2026-12-03
for i in $(seq 1 $1); do for b in base branch; do
  d=/work/wt/conv2w; [ $b = base ] && d=/tmp/c2w/basetree
  f=$out/bench-$b-$i.txt
  nice -n 19 flock /tmp/feint-bench.lock bash -c "cd $d; echo \"locked \$(date -u +%T) load \$(cut -d' ' -f1-3 /proc/loadavg)\" > $f; ./feint bench --threads 2 --no-scaling >> $f 2>&1; echo \"end \$(date -u +%T) load \$(cut -d' ' -f1-3 /proc/loadavg)\" >> $f"
  echo "$b $i: $(grep -iE 'training|madry' $f | tr -s ' ' | tr '\n' '|')"
done; done
