#!/bin/sh
cd /work/main
for i in 1 2 3; do
  ./feint bench --imported /tmp/benchmodels --threads 2 > /tmp/gf/imp-default-$i.txt 2>&1
  FEINT_JAVA_OPTS="-Dfeint.ir.groupFloats=131072" ./feint bench --imported /tmp/benchmodels --threads 2 > /tmp/gf/imp-g128k-$i.txt 2>&1
done
