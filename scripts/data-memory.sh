#!/usr/bin/env bash
# Streams an image folder of N generated 64x64 RGB JPEG images (10 classes) through `feint eval`
# under a small heap, fitted to the demo model's 1x28x28 input, and prints the peak resident
# memory and the images per second: first the clean evaluation, then with an attack (FGSM at one
# eps: the attack runner streams the folder a batch at a time, the clean pass and the attack each
# decoding every image once). Usage: scripts/data-memory.sh [N=20000] [HEAP=512m]
# (The images are noise with a class-dependent tint, so accuracy is meaningless; the point is
# that memory stays bounded by the batch, not the folder.)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
N="${1:-20000}"; HEAP="${2:-512m}"
DIR="$(mktemp -d)"; trap 'rm -rf "$DIR"' EXIT
/usr/bin/python3 - "$DIR/images" "$N" <<'PY'
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
echo "generated $N images: $(du -sh "$DIR/images" | cut -f1)"
"$ROOT/feint" --version >/dev/null 2>&1 || true   # builds the jar first, outside the measurement
measure() { # label, then extra flags of feint eval
  local label="$1"; shift
  /usr/bin/time -v env FEINT_HEAP="$HEAP" "$ROOT/feint" eval --quiet --model "$ROOT/demo/models/fmnist-lenet.safetensors" \
    --data "$DIR/images" --fit --limit 0 --json "$DIR/eval.json" "$@" 2> "$DIR/time.txt" >/dev/null || { cat "$DIR/time.txt"; exit 1; }
  secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s}' "$DIR/time.txt")
  rss=$(awk -F': ' '/Maximum resident set size/ {print int($2 / 1024)}' "$DIR/time.txt")
  echo "$label: heap $HEAP, $N images: peak RSS ${rss} MB, ${secs} s, $(awk -v n="$N" -v s="$secs" 'BEGIN {printf "%.0f", n / s}') images/s (JVM start included; $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg))"
}
measure "clean eval"
measure "eval --attacks fgsm --eps 0.1" --attacks fgsm --eps 0.1
/usr/bin/python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print('examples', d['examples'], 'dataset', d['dataset']['shape'], d['dataset']['preprocessing']['resizeShorterSide'])" "$DIR/eval.json"
