#!/bin/sh
# Interleaved contention runs, each under the bench lock on its own (released between runs).
# Usage from the worktree root: ab-contention.sh OUTDIR FIRST LAST LABEL=DIR[:FEINT_JAVA_OPTS] ...
# e.g. ab-contention.sh docs/runs/turn32-2026-12-04/raw 3 main=/tmp/turn32-main branch=.
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
out=$1; first=$2; n=$3; shift 3
for i in $(seq $first $n); do
  for spec in "$@"; do
    label=${spec%%=*}; rest=${spec#*=}; dir=${rest%%:*}; opts=""
    case "$rest" in *:*) opts=${rest#*:};; esac
    f="$out/contention-$label-$i.txt"
    ( cd "$dir" && echo "start $(date -u +%H:%M:%S) $(uptime)" && FEINT_JAVA_OPTS="$opts" nice -n 19 flock /tmp/feint-bench.lock ./feint bench --contention --quick --threads 2 && echo "end $(date -u +%H:%M:%S) $(uptime)" ) > "$f" 2>&1
    sleep 5
  done
done
