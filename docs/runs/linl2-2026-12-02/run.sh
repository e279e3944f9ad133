#!/usr/bin/env bash
# Interleaved: main (/work/main) vs branch linl2 (/work/wt/linl2), each run under the bench lock at nice 19.
set -u
OUT=/tmp/linl2lab/runs
run() { local tag=$1 dir=$2; shift 2; echo "== $tag $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg): $*" >> $OUT/log; (cd $dir && nice -n 19 flock /tmp/feint-bench.lock ./feint bench "$@") > $OUT/$tag.txt 2>&1; }
run cont-main1 /work/main --contention --quick --threads 2
run cont-linl2-1 /work/wt/linl2 --contention --quick --threads 2
run cont-main2 /work/main --contention --quick --threads 2
run cont-linl2-2 /work/wt/linl2 --contention --quick --threads 2
run head-main1 /work/main --threads 2 --no-scaling
run head-linl2-1 /work/wt/linl2 --threads 2 --no-scaling
echo "done $(date -u +%H:%M:%S)" >> $OUT/log
