#!/bin/bash
# Interleaved `feint bench --imported /tmp/benchmodels --threads 2` runs of two builds' jars, as the launcher runs them.
# usage: ab.sh pairs nameA jarsDirA nameB jarsDirB [firstIndex]     (outputs NAME-i.txt/.json here, times and loads in log)
cd "$(dirname "$0")"
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
run() {  # name jarsdir
  echo "$1 start $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)" >> log
  nice -n 19 flock /tmp/feint-bench.lock $J --add-modules jdk.incubator.vector -XX:+UseParallelGC -Xmx8g -Xmn512m -XX:+UseTransparentHugePages \
    -Xss8m --enable-native-access=ALL-UNNAMED -cp $2/feint.jar:$2/feint-bench.jar dev.feint.cli.Main bench --imported /tmp/benchmodels --threads 2 \
    --json $PWD/$1.json 2>&1 | grep -v WARNING > $1.txt
  echo "$1 end $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)" >> log
}
n=$1; A=$2; AD=$3; B=$4; BD=$5; s=${6:-1}
for i in $(seq $s $((s + n - 1))); do run $A-$i $AD; run $B-$i $BD; done
