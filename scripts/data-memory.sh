#!/usr/bin/env bash
# Streams an image folder of N generated 64x64 RGB JPEG images (10 classes) through `feint eval`
# under a small heap, fitted to the demo model's 1x28x28 input, and prints the peak resident
# memory and the images per second: first the clean evaluation, then with an attack (FGSM at one
# eps: the attack runner streams the folder a batch at a time, the clean pass and the attack each
# decoding every image once). Then the transfer evaluation (eval --surrogate: FGSM crafted on one
# LeNet, replayed on another) on two LeNets trained here for a few seconds on the images as they are
# (3x64x64: the folder held whole would be 983 MB, more than the heap), and a small-budget audit of
# one of them on AUDIT_N images from --offset 1000 (default 5,000, 246 MB as one array; the audit's
# twenty-odd runs each read them once more). Usage:
# scripts/data-memory.sh [N=20000] [HEAP=512m]; IMAGES=DIR reuses a folder made by an earlier run,
# AUDIT_N=0 skips the audit, ONLY=eval|transfer|audit runs one of them.
# (The images are noise with a class-dependent tint, so accuracy is meaningless; the point is
# that memory stays bounded by the batch, not the folder.)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
N="${1:-20000}"; HEAP="${2:-512m}"; AUDIT_N="${AUDIT_N:-5000}"; ONLY="${ONLY:-}"
DIR="$(mktemp -d)"; trap 'rm -rf "$DIR"' EXIT
IMG="${IMAGES:-$DIR/images}"
[ -n "${IMAGES:-}" ] && [ -d "$IMAGES" ] || /usr/bin/python3 - "$IMG" "$N" <<'PY'
import sys, os, numpy as np
from PIL import Image
root, n = sys.argv[1], int(sys.argv[2])
rng = np.random.default_rng(0)
for i in range(n):
    c = i % 10
    d = os.path.join(root, "c%d" % c); os.makedirs(d, exist_ok=True)
    x = rng.integers(0, 256, (64, 64, 3), dtype=np.uint8) // 2 + np.array([c * 12, 60, 120 - c * 12], np.uint8)
    Image.fromarray(x, "RGB").save(os.path.join(d, "%06d.jpg" % i), quality=90)
PY
echo "$N images in $IMG: $(du -sh "$IMG" | cut -f1)"
"$ROOT/feint" --version >/dev/null 2>&1 || true   # builds the jar first, outside the measurement
M="$ROOT/demo/models"
measure() { # label, images, then the feint command and its flags
  local label="$1" n="$2"; shift 2
  /usr/bin/time -v env FEINT_HEAP="$HEAP" "$ROOT/feint" "$@" --quiet 2> "$DIR/time.txt" >/dev/null \
    || { cat "$DIR/time.txt"; exit 1; }
  secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s}' "$DIR/time.txt")
  rss=$(awk -F': ' '/Maximum resident set size/ {print int($2 / 1024)}' "$DIR/time.txt")
  echo "$label: heap $HEAP, $n images: peak RSS ${rss} MB, ${secs} s, $(awk -v n="$n" -v s="$secs" 'BEGIN {printf "%.0f", n / s}') images/s (JVM start included; $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg))"
}
want() { [ -z "$ONLY" ] || [ "$ONLY" = "$1" ]; }
if want eval; then
  measure "clean eval" "$N" eval --model "$M/fmnist-lenet.safetensors" --data "$IMG" --fit --limit 0 --json "$DIR/eval.json"
  measure "eval --attacks fgsm --eps 0.1" "$N" eval --model "$M/fmnist-lenet.safetensors" --data "$IMG" --fit --limit 0 \
    --json "$DIR/eval.json" --attacks fgsm --eps 0.1
  /usr/bin/python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print('examples', d['examples'], 'dataset', d['dataset']['shape'], d['dataset']['preprocessing']['resizeShorterSide'])" "$DIR/eval.json"
fi
if want transfer || want audit; then
  # Two LeNets for 3x64x64 inputs: one epoch on 1,000 images of a train/test view of the folder.
  mkdir -p "$DIR/split" && ln -s "$IMG" "$DIR/split/train" && ln -s "$IMG" "$DIR/split/test"
  for s in 1 2; do
    "$ROOT/feint" train --quiet --arch lenet --data "$DIR/split" --offset 9500 --limit 1000 --test-limit 100 --epochs 1 --seed "$s" \
      --out "$DIR/lenet-$s.safetensors" >/dev/null
  done
fi
# The transfer run reads the folder four times (each model's clean pass, the attack); each crafted batch is
# replayed on the target as it is done, so nothing of N x 3 x 64 x 64 is held.
want transfer && measure "eval --surrogate (transfer, fgsm 0.1, 3x64x64)" "$N" eval --model "$DIR/lenet-2.safetensors" \
  --surrogate "$DIR/lenet-1.safetensors" --data "$IMG" --attacks fgsm --eps 0.1 --limit 0 --json "$DIR/transfer.json"
if want audit && [ "$AUDIT_N" -gt 0 ]; then
  measure "audit (3x64x64, steps 10, restarts 2, 100 queries, 1 target)" "$AUDIT_N" audit --model "$DIR/lenet-2.safetensors" \
    --surrogate "$DIR/lenet-1.safetensors" --eps 0.03 --data "$IMG" --offset 1000 --limit "$AUDIT_N" --steps 10 --restarts 2 \
    --queries 100 --targets 1 --json "$DIR/audit.json"
  /usr/bin/python3 -c "import json,sys; a=json.load(open(sys.argv[1]))['audit']; print('audit:', a['examples'], 'examples,', len(a['runs']), 'runs, verdict', a['verdict'])" "$DIR/audit.json"
fi
