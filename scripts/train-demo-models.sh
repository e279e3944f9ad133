#!/usr/bin/env bash
# Regenerates the two models bundled for `./feint demo` (each ~250 KB): a naturally trained
# LeNet and a PGD-adversarially trained one (eps 0.1), on the full Fashion-MNIST training set.
# Needs the dataset (apt-get install dataset-fashion-mnist). Same seed, same thread count:
# the same bits.
set -euo pipefail
cd "$(dirname "$0")/.."
THREADS="${THREADS:-1}"  # the bundled files were made with 1 thread
./feint train --threads "$THREADS" --arch lenet --data fashion-mnist --epochs 5 --batch 128 --seed 1 \
  --out demo/models/fmnist-lenet.safetensors --log demo/models/fmnist-lenet.jsonl
./feint train --threads "$THREADS" --arch lenet --data fashion-mnist --epochs 5 --batch 128 --seed 1 \
  --adv pgd --eps 0.1 --steps 7 --out demo/models/fmnist-lenet-pgd.safetensors --log demo/models/fmnist-lenet-pgd.jsonl
rm -f demo/models/*.ckpt.safetensors
