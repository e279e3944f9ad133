#!/bin/bash
# usage: cbab.sh ROUNDS threads name c h o k s p : ConvBench, main's build and the branch's alternating, one JVM each, under the lock
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
R=$1; t=$2; shift 2
for i in $(seq 1 $R); do for v in main br; do
  D=/tmp/r18b1v/mainrepo; [ $v = br ] && D=${BRREPO:-/work/wt/r18b1v}
  echo -n "$v $(cut -d' ' -f1 /proc/loadavg) "
  nice -n 19 flock /tmp/feint-bench.lock $J --add-modules jdk.incubator.vector -XX:+UseParallelGC -Xmx1g $JOPTS --enable-native-access=ALL-UNNAMED -cp $D/feint-cli/target/feint.jar:/tmp/r18b1v/cls ConvBench $t "$@" 2>&1 | grep -v WARNING
done; done
