#!/usr/bin/env python3
"""Summarize contention runs: per row median [range] of F/ORT alone and loaded; runs with every row >= 1.0."""
import sys, re, statistics as st
rows = {}
allok = 0
for f in sys.argv[1:]:
    lines = open(f).read().splitlines()
    try: i = next(k for k, l in enumerate(lines) if l.startswith('forward images/s (median of rounds)'))
    except StopIteration: print('no table in', f); continue
    ok = True
    for l in lines[i+3:i+11]:
        p = l.replace('|', ' ').split()
        key = (int(p[0]), int(p[1])); a, b = float(p[4]), float(p[7])
        rows.setdefault(key, ([], []))[0].append(a); rows[key][1].append(b)
        ok &= a >= 1.0 and b >= 1.0
    allok += ok
    print(f, 'all rows >= 1.0' if ok else 'misses')
for k, (a, b) in rows.items():
    print(f'{k[0]:>4} x {k[1]} | alone {st.median(a):.2f} [{min(a):.2f}-{max(a):.2f}] | loaded {st.median(b):.2f} [{min(b):.2f}-{max(b):.2f}]')
print('runs with every row >= 1.0:', allok, 'of', len(sys.argv) - 1)
