#!/usr/bin/env python3
"""Per-row ratios of the interleaved imported bench runs: summ.py TAG [EXCLUDED_FILE ...] -> a table per run
(TAG may be a glob, '*'), medians [ranges] per build over the runs not excluded (collapsed runs, marked *)."""
import re, sys, glob, statistics as st
tag = sys.argv[1] if len(sys.argv) > 1 else 'f'
excluded = set(sys.argv[2:])
rows = ['forward batch 1 ', 'forward batch 64 ', 'input gradient 64']
def parse(path):
    out, model, load = {}, None, ''
    for line in open(path):
        m = re.match(r'^(\w+): [\d,]+ parameters', line)
        if m: model = m.group(1)
        m = re.search(r'\(median\), load ([\d. ]+)', line)
        if m: load = m.group(1).strip()
        for r in rows:
            if line.strip().startswith(r.strip()) and 'ratio' in line and 'by op' not in line:
                nums = re.findall(r'([\d.]+) img/s', line)
                ratio = float(re.search(r'ratio ([\d.]+)x', line).group(1))
                out[(model, r.strip())] = (ratio, nums)
    start = open(path).readline().strip()
    return out, load, start
res = {}
for v in ('main', 'br'):
    for f in sorted(glob.glob(f'imp-{v}-{tag}-*.txt')):
        res[(v, f)] = parse(f)
keys = [(m, r.strip()) for m in ('resnet18', 'mobilenet_v2') for r in rows]
print('| run | start, load (bench\'s) | ' + ' | '.join(f'{m} {r}' for m, r in keys) + ' |')
print('|---' * (len(keys) + 2) + '|')
for (v, f), (out, load, start) in sorted(res.items(), key=lambda kv: open(kv[0][1]).readline().split()[1]):
    cells = []
    for k in keys:
        if k in out:
            ratio, nums = out[k]
            cells.append(f'{ratio:.2f} ({float(nums[0]):,.0f} / {float(nums[1]):,.0f})' if k[1].startswith('forward') else f'{ratio:.2f}')
        else: cells.append('-')
    print(f'| {f}{"*" if f in excluded else ""} | {start.split()[1] if start else ""}, {load} | ' + ' | '.join(cells) + ' |')
print()
for v in ('main', 'br'):
    line = []
    for k in keys:
        xs = [out[k][0] for (vv, f), (out, _, _) in res.items() if vv == v and k in out and f not in excluded]
        if xs: line.append(f'{k[0]} {k[1]}: {st.median(xs):.2f} [{min(xs):.2f}-{max(xs):.2f}]')
    print(v + ': ' + '; '.join(line))
for v in ('main', 'br'):
    fe = [float(out[('resnet18', 'forward batch 1')][1][0]) for (vv, f), (out, _, _) in res.items() if vv == v and ('resnet18', 'forward batch 1') in out and f not in excluded]
    ort = [float(out[('resnet18', 'forward batch 1')][1][1]) for (vv, f), (out, _, _) in res.items() if vv == v and ('resnet18', 'forward batch 1') in out and f not in excluded]
    if fe: print(f'{v} resnet18 b1 Feint img/s median {st.median(fe):,.0f} [{min(fe):,.0f}-{max(fe):,.0f}], ORT {st.median(ort):,.0f} [{min(ort):,.0f}-{max(ort):,.0f}]')
