#!/bin/bash
# headline.sh FROM TO: `./feint bench --threads 2 --no-scaling`, main (git archive, built in /tmp/stepadj/main) and the
# branch (git archive of its commit, built in /tmp/stepadj/branch) alternating, each run under the bench lock.
out=$(cd "$(dirname "$0")" && pwd)
for r in $(seq $1 $2); do for b in main branch; do
  d=/tmp/stepadj/$b; f=$out/bench-$b-$r.txt
  (cd $d && nice -n 19 flock /tmp/feint-bench.lock sh -c "echo start \$(date -u +%T) \$(uptime); ./feint bench --threads 2 --no-scaling; echo end \$(date -u +%T) \$(uptime)" > $f 2>&1)
  echo "$b $r: $(grep -E 'training|PGD|vs ONNX' $f | tr -s ' ' | tr '\n' '|')"
done; done
