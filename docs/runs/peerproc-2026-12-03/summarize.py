#!/usr/bin/env python3
"""Summarise the contention A/B (ab/contention-MODE-I.json): Feint/ORT per row, runs with every row >= 1.0, ORT's img/s."""
import glob, json, re, statistics, sys
d = sys.argv[1] if len(sys.argv) > 1 else 'docs/runs/peerproc-2026-12-03/ab'
runs = {}
for f in sorted(glob.glob(d + '/contention-*.json')):
    m = re.search(r'contention-(own-process|in-process)-(\d+)\.json', f)
    runs.setdefault(m.group(1), []).append((int(m.group(2)), json.load(open(f))))
for mode, rs in runs.items():
    rs.sort()
    print(f'== {mode}: {len(rs)} runs')
    rows = {}
    allok = 0
    for i, j in rs:
        ok = True
        for phase in ('alone', 'loaded'):
            for r in j[phase]['scaling']:
                key = (phase, r['batch'], r['threads'])
                f, o = r['feintForwardImagesPerSec'], r['onnxRuntimeForwardImagesPerSec']
                rows.setdefault(key, []).append((f, o, f / o))
                ok &= f / o >= 1.0
        allok += ok
    print(f'runs with every row >= 1.0: {allok} of {len(rs)}')
    print(f'{"row":22} {"Feint img/s":>24} {"ORT img/s":>24} {"Feint/ORT per run":>30} median')
    for k, v in rows.items():
        fs = [x[0] for x in v]; os_ = [x[1] for x in v]; rt = [x[2] for x in v]
        print(f'{k[0]:6} {k[1]:4} x {k[2]}        {statistics.median(fs):8.0f} [{min(fs):5.0f}-{max(fs):5.0f}] {statistics.median(os_):8.0f} [{min(os_):5.0f}-{max(os_):5.0f}]   '
              + ' / '.join(f'{x:.2f}' for x in rt) + f'   {statistics.median(rt):.2f}')
