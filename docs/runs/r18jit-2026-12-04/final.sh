#!/bin/bash
# Interleaved `feint bench --imported /tmp/benchmodels --threads 2`: main's build (a clone at main's
# commit with main's jars, MAIN) and this branch's (BR), alternating, each under the bench lock.
MAIN=${MAIN:-/tmp/r18jit/mainrepo}; BR=${BR:-/work/wt/r18jit}; OUT=${OUT:-$(dirname "$0")}
for i in 1 2 3; do
  for v in main br; do
    dir=$MAIN; [ $v = br ] && dir=$BR
    (echo "start $(date -u +%T) $(uptime)"; cd $dir && nice -n 19 flock /tmp/feint-bench.lock ./feint bench --imported /tmp/benchmodels --threads 2; echo "end $(date -u +%T) $(uptime)") > $OUT/imp-$v-$i.txt 2>&1
  done
done
