#!/usr/bin/env python3
"""Per contention run: Feint/ORT per row alone and loaded, Feint's 32 x 2 rate, and whether another tenant took the
alone table (Feint's 128 x 1 alone under 5,000 img/s: 6,300-7,200 on this VM today when nothing else runs) or the
loaded one (a Feint rate of batch >= 32 under 1,500 img/s loaded: 2,500-6,000 otherwise)."""
import sys
for f in sys.argv[1:]:
    L = open(f).read().splitlines()
    try: i = next(k for k, l in enumerate(L) if l.startswith('forward images/s (median of rounds)'))
    except StopIteration: print(f'| {f.split("/")[-1]} | no table |'); continue
    rows = {}
    for l in L[i+3:i+11]:
        p = l.replace('|', ' ').split()
        rows[(int(p[0]), int(p[1]))] = (float(p[2]), float(p[4]), float(p[5]), float(p[7]))
    ext = rows[(128, 1)][0] < 5000
    ext_loaded = any(v[2] < 1500 for k, v in rows.items() if k[0] >= 32)
    order = [(1,1),(32,1),(128,1),(512,1),(1,2),(32,2),(128,2),(512,2)]
    ok = all(rows[k][1] >= 1.0 and rows[k][3] >= 1.0 for k in order)
    cells = ' | '.join(f'{rows[k][1]:.2f} / {rows[k][3]:.2f}' for k in order)
    print(f'| {f.split("/")[-1].replace("contention-","").replace(".txt","")} | {L[0][6:14]} | {cells} | {rows[(32,2)][0]:.0f} | {"yes" if ok else "no"} | {"; ".join(n for n, b in (("alone table hit", ext), ("loaded table hit", ext_loaded)) if b)} |')
