#!/bin/sh
cd /tmp/exp
i=0
for v in 2000000000 100000000 2000000000 100000000 2000000000; do
  i=$((i+1))
  FEINT_JAVA_OPTS="-Dfeint.parallel.shortForNanos=$v" ./feint bench --contention --quick --threads 2 > out/contention-$i-$v.txt 2>&1
done
