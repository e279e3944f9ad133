#!/bin/bash
# usage: run.sh <tree> <outfile>: one quick contention run under the bench lock; appends to run.log the
# start/end time, load averages, and the CPU others used during the run (machine busy ticks minus the
# bench's own process tree, from /proc/stat and /usr/bin/time), so disturbed runs can be told apart.
T=$1; OUT=$2; LOG=$(dirname $0)/run.log
busy() { awk '/^cpu /{print $2+$3+$4+$7+$8+$9}' /proc/stat; }
cd $T
exec 8>/tmp/feint-bench.lock; flock 8
b0=$(busy); s=$(date +%T); l0=$(cut -d' ' -f1-3 /proc/loadavg)
FEINT_HEAP=3g /usr/bin/time -f "%U %S" -o /tmp/loaded2-time.txt nice -n 19 ./feint bench --contention --quick --threads 2 > $OUT 2>&1
b1=$(busy); e=$(date +%T); l1=$(cut -d' ' -f1-3 /proc/loadavg)
flock -u 8
read u sy < /tmp/loaded2-time.txt
tck=$(getconf CLK_TCK)
others=$(python3 -c "print(round(($b1-$b0)/$tck - ($u+$sy), 1))")
echo "$(basename $OUT) tree=$T $s-$e load $l0 -> $l1; bench CPU $(python3 -c "print($u+$sy)") s, others' CPU during the run ${others} s" >> $LOG
tail -1 $LOG
