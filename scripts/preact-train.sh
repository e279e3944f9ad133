#!/usr/bin/env bash
# Trains preact-resnet18 (or a narrow -wN variant) on a generated 3x32x32 problem, with the CIFAR
# augmentation, and prints the test accuracy. Usage: scripts/preact-train.sh [ARCH=preact-resnet18-w16] [EPOCHS=4] [TRAIN=4000] [BATCH=128]
# (FEINT_HEAP sets the heap, e.g. FEINT_HEAP=3g for the full-width network at batch 64.)
# The problem: 10 classes = 5 colour pairs x 2 stripe orientations (horizontal, vertical), random
# stripe period (4-8 pixels) and phase, colour jitter and Gaussian noise (sigma 40 levels), so
# crops and flips keep the class. 1,000 test images.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ARCH="${1:-preact-resnet18-w16}"; EPOCHS="${2:-4}"; N="${3:-4000}"; BATCH="${4:-128}"
DIR="$(mktemp -d)"; trap 'rm -rf "$DIR"' EXIT
/usr/bin/python3 - "$DIR/stripes.npz" "$N" <<'PY'
import sys, numpy as np
path, n = sys.argv[1], int(sys.argv[2])
rng = np.random.default_rng(0)
pairs = np.array([[[220, 40, 40], [40, 40, 220]], [[40, 200, 40], [200, 40, 200]], [[230, 200, 40], [40, 40, 40]],
                  [[40, 200, 200], [200, 100, 40]], [[230, 230, 230], [120, 60, 160]]], np.float32)
def make(m):
    y = rng.integers(0, 10, m)
    yy, xx = np.mgrid[0:32, 0:32]
    x = np.empty((m, 32, 32, 3), np.float32)
    for i in range(m):
        a, b = pairs[y[i] // 2] + rng.normal(0, 20, (2, 3))
        period, phase = rng.uniform(4, 8), rng.uniform(0, 2 * np.pi)
        t = (np.sin(2 * np.pi * (yy if y[i] % 2 == 0 else xx) / period + phase) > 0)[..., None]
        x[i] = np.where(t, a, b) + rng.normal(0, 40, (32, 32, 3))
    return np.clip(x, 0, 255).astype(np.uint8), y.astype(np.int64)
xt, yt = make(n); xs, ys = make(1000)
np.savez(path, x_train=xt, y_train=yt, x_test=xs, y_test=ys)
PY
"$ROOT/feint" --version >/dev/null 2>&1 || true
/usr/bin/time -f "%e s wall, %M KB max RSS" "$ROOT/feint" train --quiet --arch "$ARCH" --data "$DIR/stripes.npz" --epochs "$EPOCHS" \
  --batch "$BATCH" --optimizer sgd --lr 0.05 --weight-decay 5e-4 --schedule onecycle --augment crop4,flip --seed 1 \
  --held-out-adv 0 --out "$DIR/model.safetensors" 2>&1 | grep -v "^\s*$"
echo "($(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg), $(date -u +%F))"
