#!/bin/bash
# usage: run.sh <tree> <outfile>
cd "$1" && FEINT_HEAP=3g nice -n 19 flock /tmp/feint-bench.lock ./feint bench --contention --quick --threads 2 --json "${2%.txt}.json" > "$2" 2>&1
