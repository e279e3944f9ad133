#!/bin/bash
# One line per run: the batch-1 rows (Feint / ORT img/s, ratio) of both models, and every ratio.
cd "$(dirname "$0")"
for f in $(ls imp-*.txt | sort -t- -k3,3n -k2,2); do
  b1=$(grep 'forward batch 1 ' $f | grep -v 'by op' | awk '{printf "%s/%s %s  ", $5, $9, $12}')
  all=$(grep -E 'forward batch|input gradient' $f | grep -v 'by op\|agreement' | awk '{printf "%s ", $NF}')
  echo "$f [$(head -1 $f | cut -d' ' -f2-)] b1 r18 / mnv2: $b1| all: $all"
done
