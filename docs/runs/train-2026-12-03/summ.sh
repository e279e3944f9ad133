#!/bin/bash
# summ.sh: the training / PGD / forward rows and the one-thread step times of every run, in order.
cd /work/wt/train/docs/runs/train-2026-12-03
for f in $(ls -tr base-*.txt train-*.txt 2>/dev/null); do
  printf "%-12s %s | %s | %s\n" $f "$(head -1 $f | awk '{print $2, "load", $(NF-2)}')" \
    "$(grep -E 'training' $f | tr -s ' ' | cut -d' ' -f5-)" "$(grep -E 'vs ONNX|PGD' $f | awk '{print $NF}' | tr '\n' ' ')"
done
for f in $(ls -tr step-*.txt 2>/dev/null); do printf "%-18s %s\n" $f "$(grep madry $f | sed 's/madry train batch 128 threads 1: //')"; done
