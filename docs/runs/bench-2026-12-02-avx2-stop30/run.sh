#!/usr/bin/env bash
# Final quiet benches: new engine (/work/main) vs session-start engine (/work/wt/start), interleaved.
# NEW and OLD are two checkouts built with ./mvnw -B -ntp package -DskipTests (here main and the session-start commit 19840ea);
# /tmp/benchmodels is made by scripts/make-bench-models.py.
set -u
OUT=/tmp/lead/bench-final2; mkdir -p $OUT
NEW=/work/main; OLD=/work/wt/start
run() { local tag=$1 dir=$2; shift 2; echo "== $tag $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg): $*" >> $OUT/log; (cd $dir && ./feint bench "$@") > $OUT/$tag.txt 2>&1; }
run imp-new1 $NEW --imported /tmp/benchmodels --threads 2
run imp-old1 $OLD --imported /tmp/benchmodels --threads 2
run imp-new2 $NEW --imported /tmp/benchmodels --threads 2
for i in 1 2 3 4 5; do run cont-new$i $NEW --contention --quick --threads 2; done
run cont-old1 $OLD --contention --quick --threads 2
run head-new1 $NEW --threads 2 --no-scaling
run head-old1 $OLD --threads 2 --no-scaling
run head-new2 $NEW --threads 2 --no-scaling
echo "done $(date -u +%H:%M:%S)" >> $OUT/log
