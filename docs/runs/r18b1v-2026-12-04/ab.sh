#!/bin/bash
# Interleaved `feint bench --imported /tmp/benchmodels --threads 2`: main's build (MAIN: git archive of main,
# built there) and this branch's (BR: git archive of the branch with its jars copied in), alternating, each
# under the bench lock. usage: ab.sh ROUNDS TAG  -> $OUT/imp-{main,br}-TAG-N.txt
MAIN=${MAIN:-/tmp/r18b1v/mainrepo}; BR=${BR:-/tmp/r18b1v/brrepo}; OUT=${OUT:-$(dirname "$0")}
for i in $(seq 1 $1); do
  for v in main br; do
    dir=$MAIN; [ $v = br ] && dir=$BR
    (echo "start $(date -u +%T) $(uptime)"; cd $dir && nice -n 19 flock /tmp/feint-bench.lock ./feint bench --imported /tmp/benchmodels --threads 2; echo "end $(date -u +%T) $(uptime)") > $OUT/imp-$v-$2-$i.txt 2>&1
  done
done
