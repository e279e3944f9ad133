#!/usr/bin/env python3
"""Medians of the sparse-attack figures in docs/RESULTS.md ("Sparse attacks") from the --out-json
(and, for L1, --out-npy) files of `feint attack` written into DIR (argv[1], default .),
over the first 50 images of demo/fashion-mnist-1k. Successes on correctly classified images only."""
import sys
import json, gzip, numpy as np, statistics as st
import os
raw = gzip.open(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'demo', 'fashion-mnist-1k', 't10k-images-idx3-ubyte.gz')).read()
x = np.frombuffer(raw, np.uint8, offset=16).reshape(-1, 784)[:50].astype(np.float32) / 255
D = sys.argv[1] if len(sys.argv) > 1 else '.'
def load(n):
    return json.load(open(f'{D}/{n}.json'))
for n in ['jsma', 'sparsefool', 'onepixel', 'ead', 'cw']:
    try: o = load(n)
    except Exception as e: print(n, 'missing', e); continue
    ex = o['examples']
    ok = [e for e in ex if e['cleanPrediction'] == e['label'] and e['success']]
    att = [e for e in ex if e['cleanPrediction'] == e['label']]
    line = f"{n}: success {len(ok)}/{len(att)}, median L0 {st.median([e['l0'] for e in ok]) if ok else 'n/a'}, median L2 {st.median([e['l2'] for e in ok]):.3f}" if ok else f"{n}: 0/{len(att)}"
    try:
        a = np.load(f'{D}/{n}.npy').reshape(-1, 784)
        l1 = [float(np.abs(a[e['index']] - x[e['index']]).sum()) for e in ok]
        line += f", median L1 {st.median(l1):.3f}"
    except FileNotFoundError: pass
    print(line)
