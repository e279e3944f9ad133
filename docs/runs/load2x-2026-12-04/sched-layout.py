#!/usr/bin/python3
"""How Feint's caller (c), worker (w) and the background load's threads (l) sit on the two vCPUs during
LoadTurns's Feint turns, from a perf sched trace (perf script -F tid,cpu,time,event,trace).
Usage: sched-layout.py PERF_SCRIPT_TXT TURNS_TXT CALLER_TID WORKER_TID LOAD_TID...
A thread counts on a vCPU while it runs there or is runnable in its queue (woken or preempted there);
sleeping (parked) threads are left out. Prints the share of turn time of each layout, e.g. "cwl|l"."""
import re, sys
from collections import defaultdict
f, turns, caller, worker = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
loads = [int(x) for x in sys.argv[5:]]
wins = [tuple(map(float, m.groups())) for m in re.finditer(r'^t ([\d.]+)-([\d.]+)', open(turns).read(), re.M)]
name = {caller: 'c', worker: 'w', **{l: 'l' for l in loads}}
sw = re.compile(r'prev_pid=(\d+) .*prev_state=(\S+) ==> next_comm=.* next_pid=(\d+)')
wk = re.compile(r'sched_wak(?:ing|eup(?:_new)?): comm=.* pid=(\d+) .*target_cpu=(\d+)')
mg = re.compile(r'sched_migrate_task: comm=.* pid=(\d+) .*orig_cpu=(\d+) dest_cpu=(\d+)')
where = {t: None for t in name}   # cpu while runnable/running, None while asleep
last, acc = None, defaultdict(float)
def inwin(t): return any(a <= t <= b for a, b in wins)
for line in open(f):
    m = re.match(r'\s*(\d+)\s+\[(\d+)\]\s+([\d.]+):\s+(\S+):', line)
    if not m: continue
    cpu, t, ev = int(m.group(2)), float(m.group(3)), m.group(4)
    if last is not None and inwin(last):
        per = ['', '']
        for tid, c in where.items():
            if c is not None: per[c] += name[tid]
        key = '|'.join(''.join(sorted(p)) or '-' for p in per)
        # the same layout mirrored is the same case
        a, b = key.split('|')
        acc['|'.join(sorted([a, b], reverse=True))] += t - last
    last = t
    if ev == 'sched:sched_switch':
        s = sw.search(line)
        prev, pst, nxt = int(s.group(1)), s.group(2), int(s.group(3))
        if prev in where: where[prev] = cpu if pst.startswith('R') else None
        if nxt in where: where[nxt] = cpu
    elif 'sched_wak' in ev:
        s = wk.search(line)
        if s and int(s.group(1)) in where: where[int(s.group(1))] = int(s.group(2))
    elif ev == 'sched:sched_migrate_task':
        s = mg.search(line)
        if s and int(s.group(1)) in where and where[int(s.group(1))] is not None: where[int(s.group(1))] = int(s.group(3))
tot = sum(acc.values())
print(f'{len(wins)} Feint turns, {tot*1e3:.0f} ms traced in them')
for k, v in sorted(acc.items(), key=lambda kv: -kv[1]):
    print(f'{k:12s} {v*1e3:8.1f} ms {100*v/tot:5.1f}%')
