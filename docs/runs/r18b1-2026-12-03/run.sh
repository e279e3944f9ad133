#!/usr/bin/env bash
# Interleaved `feint bench --imported` runs: the start commit's bench jar (base, 1b1c444) and this
# branch's, same engine jar (feint-core unchanged). Outputs: one .txt per run, times and loads in log.
set -u
cd "$(dirname "$0")/../../.."
OUT=docs/runs/r18b1-2026-12-03
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
run() {  # name benchjar
  echo "$1 start $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)" >> $OUT/log
  nice -n 19 flock /tmp/feint-bench.lock $J --add-modules jdk.incubator.vector -XX:+UseParallelGC -Xmx8g -Xmn512m -Xss8m \
    --enable-native-access=ALL-UNNAMED -cp feint-cli/target/feint.jar:$2 dev.feint.cli.Main bench --imported /tmp/benchmodels --threads 2 \
    2>&1 | grep -v WARNING > $OUT/$1.txt
  echo "$1 end $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)" >> $OUT/log
}
for i in 1 2; do
  run base$i /tmp/r18b1/basejar/feint-bench.jar
  run branch$i feint-bench/target/feint-bench.jar
done
