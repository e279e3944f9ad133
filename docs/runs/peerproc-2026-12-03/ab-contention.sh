#!/usr/bin/env bash
# Interleaved A/B (run from the repo root): `feint bench --contention --quick --threads 2` with the peers in their own
# process (the default) and in the bench's JVM, each run under the bench lock on its own. The jars are a frozen copy
# (JARS, default /tmp/peerproc-jars) so that editing sources meanwhile does not make ./feint rebuild mid-A/B; the
# java line is the launcher's (huge pages on, as feint_huge_pages_opt gives on this VM's [madvise]).
R=docs/runs/peerproc-2026-12-03/${OUTDIR:-ab}
JARS=${JARS:-/tmp/peerproc-jars}
mkdir -p $R
feint() {
  /usr/lib/jvm/temurin-25-jdk-amd64/bin/java --add-modules jdk.incubator.vector -XX:+UseParallelGC -Xmx8g -Xmn512m -XX:+UseTransparentHugePages \
    -Xss8m --enable-native-access=ALL-UNNAMED -Dfeint.home="$PWD" -cp $JARS/feint.jar:$JARS/feint-bench.jar dev.feint.cli.Main "$@" \
    2> >(grep -v -E '^WARNING: Using incubator modules' >&2)
}
for i in ${PAIRS:-1 2 3}; do
  for mode in ${MODES:-own-process in-process}; do
    echo "$(date -u +%H:%M:%S) start $mode $i load $(cut -d' ' -f1-3 /proc/loadavg)" >> $R/log.txt
    exec 8>/tmp/feint-bench.lock; flock 8
    echo "$(date -u +%H:%M:%S) locked $mode $i load $(cut -d' ' -f1-3 /proc/loadavg)" >> $R/log.txt
    renice -n 19 $$ >/dev/null
    feint bench ${ARGS:---contention --quick --threads 2} --peers $mode --json $R/${NAME:-contention}-$mode-$i.json > $R/${NAME:-contention}-$mode-$i.txt 2>&1
    rc=$?
    exec 8>&-
    echo "$(date -u +%H:%M:%S) end $mode $i rc=$rc load $(cut -d' ' -f1-3 /proc/loadavg)" >> $R/log.txt
  done
done
