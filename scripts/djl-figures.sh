#!/usr/bin/env bash
# The figures of docs/DJL.md: the demo PGD-trained LeNet attacked through DJL (TorchScript traced by
# scripts/make-djl-fixtures.py, served by libtorch 2.7.1) and as Feint's own network (the same
# weights, demo/models/fmnist-lenet-pgd.safetensors), interleaved, with PGD (Linf, random start) at
# each eps on the first N demo images: robust accuracy and the time per example and PGD step.
#
# Usage: scripts/djl-figures.sh [N=1000] [STEPS=10] [EPS=0.05,0.1] [OUT=/tmp/djl-figures]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
N="${1:-1000}"; STEPS="${2:-10}"; EPS="${3:-0.05,0.1}"; OUT="${4:-/tmp/djl-figures}"
mkdir -p "$OUT"
PT="$ROOT/feint-djl/src/test/resources/djl/lenet-pgd.pt"
ST="$ROOT/demo/models/fmnist-lenet-pgd.safetensors"
DATA="$ROOT/demo/fashion-mnist-1k"
lscpu | sed -n 's/^Model name: *//p'; uptime
for eps in ${EPS//,/ }; do
  for side in djl feint; do
    if [ "$side" = djl ]; then model=(--model "$PT" --model-input 1,28,28 --mean 0.28604060 --std 0.35302424); else model=(--model "$ST"); fi
    "$ROOT/feint" attack "${model[@]}" --data "$DATA" --limit "$N" --attack pgd --norm linf --eps "$eps" --steps "$STEPS" \
      --seed 1 --quiet --out-json "$OUT/$side-$eps.json" >/dev/null
  done
done
/usr/bin/python3 - "$OUT" "$N" "$STEPS" "$EPS" <<'PY'
import json, sys
out, n, steps, eps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4].split(",")
print("| eps | clean (DJL / Feint) | PGD-%d robust, DJL | PGD-%d robust, Feint | ms per example-step, DJL | Feint |" % (steps, steps))
print("|---:|---:|---:|---:|---:|---:|")
for e in eps:
    s = {side: json.load(open("%s/%s-%s.json" % (out, side, e)))["summary"] for side in ("djl", "feint")}
    ms = {k: 1000 * v["wallSeconds"] / max(1, v["gradientEvaluations"]) for k, v in s.items()}
    print("| %s | %.1f%% / %.1f%% | %.1f%% | %.1f%% | %.3f | %.3f |" % (e, 100 * s["djl"]["cleanAccuracy"], 100 * s["feint"]["cleanAccuracy"],
          100 * s["djl"]["robustAccuracy"], 100 * s["feint"]["robustAccuracy"], ms["djl"], ms["feint"]))
PY
