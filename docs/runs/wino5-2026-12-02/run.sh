#!/usr/bin/env bash
# wino5 = this branch (85b0616), main = 19840ea; the two scripts of the session one after the other (run.sh, then run2.sh).
# wino5 (branch) against main, interleaved; each run under the bench lock at nice 19.
set -u
OUT=/tmp/wino5/bench
NEW=/work/wt/wino5; OLD=/work/main
run() { local tag=$1 dir=$2; shift 2; echo "== $tag $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg): $*" >> $OUT/log; (cd $dir && nice -n 19 flock /tmp/feint-bench.lock ./feint bench "$@") > $OUT/$tag.txt 2>&1; }
for i in 1 2; do
  run cont-new$i $NEW --contention --quick --threads 2
  run cont-old$i $OLD --contention --quick --threads 2
done
run head-new1 $NEW --threads 2 --no-scaling
run head-old1 $OLD --threads 2 --no-scaling
echo "done $(date -u +%H:%M:%S)" >> $OUT/log
#!/usr/bin/env bash
set -u
OUT=/tmp/wino5/bench
NEW=/work/wt/wino5; OLD=/work/main
run() { local tag=$1 dir=$2; shift 2; echo "== $tag $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg): $*" >> $OUT/log; (cd $dir && nice -n 19 flock /tmp/feint-bench.lock ./feint bench "$@") > $OUT/$tag.txt 2>&1; }
run cont-new3 $NEW --contention --quick --threads 2
run cont-old3 $OLD --contention --quick --threads 2
run head-old2 $OLD --threads 2 --no-scaling
run head-new2 $NEW --threads 2 --no-scaling
echo "done $(date -u +%H:%M:%S)" >> $OUT/log
