#!/usr/bin/env bash
# PGD-20 throughput: plain feint eval with 1 and 2 threads against feint eval --spark local[1]
# and local[2] (1 and 2 task slots of 1 core each, in one executor JVM), on the 1,000-image demo
# set in batches of 125 (8 batches, so 2 slots get 4 each). Prints wall times; the Spark line
# also gives the session start-up and the job's own time. Usage: scripts/spark-throughput.sh [MODEL]
set -euo pipefail
cd "$(dirname "$0")/.."
MODEL="${1:-demo/models/fmnist-lenet-pgd.safetensors}"
ARGS=(eval --model "$MODEL" --data demo/fashion-mnist-1k --attacks pgd --eps 0.1 --steps 20 --batch 125 --quiet)
run() {
  local t0 t1
  t0=$(date +%s.%N)
  ./feint "$@" 2>&1 | grep -E '^spark:|^\| pgd' || true
  t1=$(date +%s.%N)
  echo "$* -> wall $(echo "$t1 - $t0" | bc) s"
}
for t in 1 2; do run "${ARGS[@]}" --threads "$t"; done
for m in 'local[1]' 'local[2]'; do run "${ARGS[@]}" --threads 1 --spark "$m"; done
