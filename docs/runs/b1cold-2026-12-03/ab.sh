#!/bin/bash
# A/B of the launcher's huge pages: the same build, "4k" = FEINT_JAVA_OPTS=-XX:-UseTransparentHugePages
# (the launcher as on main), "thp" = the launcher's default now; interleaved, each run under the bench lock.
# $1 = pairs, $2 = first index (default 1). Outputs imp-<kind>-<i>.txt and lines in log.
cd "$(dirname "$0")/../../.."
OUT=docs/runs/b1cold-2026-12-03
n=${1:-3}; s=${2:-1}
for i in $(seq $s $((s + n - 1))); do
  for kind in 4k thp; do
    [ $(( i % 2 )) -eq 0 ] && kind=$([ $kind = 4k ] && echo thp || echo 4k)
    f=$OUT/imp-$kind-$i.txt
    opts=""; [ $kind = 4k ] && opts="-XX:-UseTransparentHugePages"
    echo "start $(date -u +%T) $(cut -d' ' -f1-3 /proc/loadavg)" > $f
    FEINT_JAVA_OPTS="$opts" nice -n 19 flock /tmp/feint-bench.lock ./feint bench --imported /tmp/benchmodels --threads 2 >> $f 2>&1
    echo "end $(date -u +%T) $(cut -d' ' -f1-3 /proc/loadavg)" >> $f
    echo "$kind $i $(grep -h '^start\|^end' $f | tr '\n' ' ') $(grep 'forward batch 1 ' $f | tr -s ' ' | tr '\n' '|')" >> $OUT/log
  done
done
