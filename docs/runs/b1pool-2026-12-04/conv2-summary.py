#!/usr/bin/env python3
"""Conv2Pool outputs: per run the median over rounds of the 2-thread and 1-thread p50s, then per tree the median and range of those."""
import glob, re, statistics as st
runs = {}
for f in sorted(glob.glob('raw/conv2-*.txt')):
    L = open(f).read()
    t2 = [float(m) for m in re.findall(r'threads 2: \S+ p10/p50/p90 [\d.]+/([\d.]+)/', L)]
    t1 = [float(m) for m in re.findall(r'threads 1: \S+ p10/p50/p90 [\d.]+/([\d.]+)/', L)]
    if not t2: continue
    load = re.search(r'load average: ([\d.]+)', L).group(1)
    tree = f.split('-')[1]
    runs.setdefault(tree, []).append((st.median(t2), st.median(t1)))
    hashes = sorted(set(re.findall(r'hash (-?\d+)', L)))
    print(f'{f}: start load {load}, 2 threads p50 {st.median(t2):.1f} us, 1 thread {st.median(t1):.1f}, hashes {hashes}')
for tree, v in runs.items():
    a = [x[0] for x in v]; b = [x[1] for x in v]
    print(f'{tree}: {len(v)} runs, 2 threads {st.median(a):.1f} [{min(a):.1f}-{max(a):.1f}], 1 thread {st.median(b):.1f} [{min(b):.1f}-{max(b):.1f}]')
