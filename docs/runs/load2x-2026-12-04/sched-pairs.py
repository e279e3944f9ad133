#!/usr/bin/python3
"""Per 1 ms bucket of a perf sched trace (perf script -F tid,cpu,time,event,trace): who runs on each vCPU.
Usage: sched-pairs.py PERF_SCRIPT_TXT TURNS_TXT CALLER_TID WORKER_TID [LOAD_TID...]
(TURNS_TXT: LoadTurns's output; only the Feint turns' windows, its "t START-END" lines, are counted.)
Prints the caller's and the worker's on-CPU time split by what the other Feint thread was doing then:
on the other vCPU, runnable (woken, not yet on a vCPU) or sleeping; and on which vCPU the runnable
worker was queued (the caller's or the other)."""
import re, sys
from collections import defaultdict
f, caller, worker = sys.argv[1], int(sys.argv[3]), int(sys.argv[4])
loads = set(int(x) for x in sys.argv[5:])
wins = [tuple(map(float, m.groups())) for m in re.finditer(r'^t ([\d.]+)-([\d.]+)', open(sys.argv[2]).read(), re.M)]
def inwin(t):
    return any(a <= t <= b for a, b in wins)
sw = re.compile(r'prev_pid=(\d+) .*prev_state=(\S+) ==> next_comm=.* next_pid=(\d+)')
wk = re.compile(r'sched_wak(?:ing|eup): comm=.* pid=(\d+) .*target_cpu=(\d+)')
mg = re.compile(r'sched_migrate_task: comm=.* pid=(\d+) .*orig_cpu=(\d+) dest_cpu=(\d+)')
cur = {}          # cpu -> tid running
state = {caller: 'S', worker: 'S'}   # R running, Q queued, S sleeping
qcpu = {caller: -1, worker: -1}
last = None
acc = defaultdict(float)
def tick(t):
    global last
    if last is not None and inwin(last):
        dt = t - last
        rc = [c for c, p in cur.items() if p == caller]
        rw = [c for c, p in cur.items() if p == worker]
        for me, other, ron in ((caller, worker, rc), (worker, caller, rw)):
            if not ron: continue
            name = 'caller' if me == caller else 'worker'
            o = state[other]
            if o == 'R': k = 'other running (other vCPU)'
            elif o == 'Q': k = 'other queued on ' + ('my vCPU' if qcpu[other] == ron[0] else 'the other vCPU')
            else: k = 'other sleeping'
            acc[(name, k)] += dt
        # Feint thread queued, not running: who holds the vCPU it waits on?
        for me in (caller, worker):
            if state[me] == 'Q':
                holder = cur.get(qcpu[me], -1)
                who = 'the other Feint thread' if holder in (caller, worker) else ('a load thread' if holder in loads else 'another task')
                acc[('caller' if me == caller else 'worker', 'queued; its vCPU runs ' + who)] += dt
    last = t
for line in open(f):
    m = re.match(r'\s*(\d+)\s+\[(\d+)\]\s+([\d.]+):\s+(\S+):', line)
    if not m: continue
    tid, cpu, t, ev = int(m.group(1)), int(m.group(2)), float(m.group(3)), m.group(4)
    tick(t)
    if ev == 'sched:sched_switch':
        s = sw.search(line)
        prev, pst, nxt = int(s.group(1)), s.group(2), int(s.group(3))
        cur[cpu] = nxt
        if prev in state:
            state[prev] = 'Q' if pst.startswith('R') else 'S'
            qcpu[prev] = cpu
        if nxt in state:
            state[nxt] = 'R'; qcpu[nxt] = cpu
    elif ev in ('sched:sched_waking', 'sched:sched_wakeup', 'sched:sched_wakeup_new'):
        s = wk.search(line)
        if s and int(s.group(1)) in state and state[int(s.group(1))] != 'R':
            p = int(s.group(1)); state[p] = 'Q'; qcpu[p] = int(s.group(2))
    elif ev == 'sched:sched_migrate_task':
        s = mg.search(line)
        if s and int(s.group(1)) in state and state[int(s.group(1))] == 'Q':
            qcpu[int(s.group(1))] = int(s.group(3))
tot = defaultdict(float)
for (n, k), v in acc.items():
    if not k.startswith('queued'): tot[n] += v
print(f'{len(wins)} Feint turns, {sum(b - a for a, b in wins)*1e3:.0f} ms')
for (n, k), v in sorted(acc.items()):
    base = tot[n] if not k.startswith('queued') else None
    print(f'{n:7s} {k:45s} {v*1e3:9.1f} ms' + (f'  {100*v/base:5.1f}% of its on-CPU time' if base else ''))
