#!/usr/bin/env python3
"""Summarize B32Turns outputs: per file, Feint's turns (median [range] img/s), turns under 9,000 img/s, and of the
turns in which the machine had >= 2 idle jiffies (of ~7: a vCPU idle for 10+ ms), how many were that slow -- the
signature of caller and worker sharing one vCPU with the other idle (an external tenant leaves no idle time)."""
import re, statistics as st, sys
for f in sys.argv[1:]:
    rates, slow, idle_turns, slow_idle = [], 0, 0, 0
    for l in open(f):
        m = re.search(r'after \S+\s+(\d+) img/s.*idle (\d+) jiffies', l)
        if not m: continue
        r, idle = int(m.group(1)), int(m.group(2))
        rates.append(r); slow += r < 9000
        if idle >= 2: idle_turns += 1; slow_idle += r < 9000
    if rates:
        print(f'| {f.split("/")[-1]} | {len(rates)} | {st.median(rates):.0f} [{min(rates)}-{max(rates)}] | {slow} | {idle_turns} | {slow_idle} |')
