#!/bin/bash
# Interleaved A/B: main (a git-archive copy of main at /tmp/loaded2-main) and this branch, quick contention runs.
D=$(cd $(dirname $0) && pwd)
for i in "$@"; do
  $D/run.sh /tmp/loaded2-main $D/contention-main$i.txt
  $D/run.sh /work/wt/loaded2 $D/contention-branch$i.txt
done
