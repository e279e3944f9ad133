#!/usr/bin/env python3
"""Writes the AdvProp grid's table (scripts/advprop-grid.sh) into docs/RESULTS.md between the
markers <!-- advprop-grid:begin --> and <!-- advprop-grid:end -->, from the per-run result files.

Usage: advprop-table.py RESULTS_DIR RESULTS_MD
A cell is (arch, recipe); its clean accuracy is the mean and sample standard deviation over its
seeds. An AdvProp cell's difference from standard training (same arch, same seeds) is called
outside the seed spread when the two ranges of per-seed accuracies do not overlap.
"""
import glob
import json
import os
import statistics
import sys

BEGIN, END = '<!-- advprop-grid:begin -->', '<!-- advprop-grid:end -->'
ORDER = ['std', 'ap-pgd1-e1', 'ap-pgd1-e2', 'ap-pgd1-e4', 'ap-pgd5-e1', 'ap-pgd5-e2', 'ap-pgd5-e4']


def label(recipe):
    if recipe == 'std':
        return 'standard'
    steps, eps = recipe[3:].split('-e')
    return f'AdvProp {steps.upper()}, eps {eps}/255'


def pct(v):
    return f'{100 * v:.2f}'


def main(results_dir, md_path):
    runs = [json.load(open(p)) for p in sorted(glob.glob(os.path.join(results_dir, '*.json')))]
    cells = {}
    for r in runs:
        cells.setdefault((r['arch'], r['recipe']), []).append(r)
    lines = [BEGIN, '']
    if not runs:
        lines.append('(no runs yet)')
    archs = sorted({a for a, _ in cells}, key=lambda a: (a != 'cnn-bn', a))
    for arch in archs:
        lim = {r['trainImages'] for (a, _), rs in cells.items() if a == arch for r in rs}
        ep = {r['epochs'] for (a, _), rs in cells.items() if a == arch for r in rs}
        ev = {r['evalImages'] for (a, _), rs in cells.items() if a == arch for r in rs}
        lines.append(f'**{arch}**, {"/".join(map(str, sorted(ep)))} epochs on the first '
                     f'{"/".join(f"{x:,}" for x in sorted(lim))} training images; clean accuracy on the 10,000 test '
                     f'images, PGD-20 robust accuracy and ROC-AUCs on the first {"/".join(f"{x:,}" for x in sorted(ev))}:')
        lines.append('')
        lines.append('| recipe | seeds | clean acc., per seed | clean mean ± sd | vs standard | PGD-20 robust 1/255 · 2/255 · 4/255 (mean) '
                     '| clean macro AUC | macro AUC under PGD-20 4/255 | train s per run (mean) |')
        lines.append('|---|---:|---|---:|---|---:|---:|---:|---:|')
        std = cells.get((arch, 'std'), [])
        for recipe in sorted({r for a, r in cells if a == arch}, key=ORDER.index):
            rs = sorted(cells[(arch, recipe)], key=lambda r: r['seed'])
            acc = [r['cleanAccuracy'] for r in rs]
            mean = statistics.mean(acc)
            sd = statistics.stdev(acc) if len(acc) > 1 else float('nan')
            vs = ''
            if recipe != 'std' and std:
                seeds = {r['seed'] for r in rs}
                base = [r['cleanAccuracy'] for r in std if r['seed'] in seeds]
                if base:
                    d = mean - statistics.mean(base)
                    apart = min(acc) > max(base) or max(acc) < min(base)
                    spread = ('1 seed: no spread yet' if len(acc) < 2
                              else f'{"outside" if apart else "within"} the seed spread')
                    vs = f'{100 * d:+.2f} ({spread})'
            rob = ' · '.join(f'{100 * statistics.mean(r["pgd20"][i]["robustAccuracy"] for r in rs):.1f}' for i in range(3))
            auc = statistics.mean(r['evalCleanMacroAuc'] for r in rs)
            auc4 = statistics.mean(r['pgd20'][2]['macroAuc'] for r in rs)
            secs = statistics.mean(r['trainSeconds'] for r in rs)
            sd_s = '' if sd != sd else f' ± {100 * sd:.2f}'
            lines.append(f'| {label(recipe)} | {len(rs)} | {" / ".join(pct(a) for a in acc)} | **{pct(mean)}**{sd_s} | {vs} '
                         f'| {rob} | {auc:.4f} | {auc4:.4f} | {secs:,.0f} |')
        lines.append('')
    if runs:
        lines.append('"vs standard": difference of the mean clean accuracies over the same seeds, "outside the seed spread" '
                     'when the two arms\' per-seed ranges do not overlap. Training seconds are wall time on the shared, loaded '
                     'machine (one thread each): compare them as ratios only.')
        lines.append('')
    lines.append(END)
    text = open(md_path).read()
    if BEGIN not in text or END not in text:
        sys.exit(f'{md_path}: the markers {BEGIN} and {END} are missing')
    head, rest = text.split(BEGIN, 1)
    tail = rest.split(END, 1)[1]
    tmp = md_path + '.tmp'
    with open(tmp, 'w') as f:
        f.write(head + '\n'.join(lines) + tail)
    os.replace(tmp, md_path)
    print(f'{md_path}: {len(runs)} runs in {len(cells)} cells')


if __name__ == '__main__':
    if len(sys.argv) != 3:
        sys.exit('usage: advprop-table.py RESULTS_DIR RESULTS_MD')
    main(sys.argv[1], sys.argv[2])
