#!/usr/bin/python3
"""jfridle.py FILE.jfr: what the caller runs while the worker idles: each idle worker sample paired with the caller
sample nearest in time (within 2 ms), counted by the caller's op (jfrop.py's rules), and the idle share per op."""
import json, subprocess, sys, collections, bisect, datetime
sys.argv = sys.argv[:2]
import importlib.util
j = json.loads(subprocess.run(['/usr/lib/jvm/temurin-25-jdk-amd64/bin/jfr', 'print', '--json', '--stack-depth', '96',
                               '--events', 'jdk.ExecutionSample', sys.argv[1]], capture_output=True, text=True).stdout)
src = open(__file__.replace('jfridle.py', 'jfrop.py')).read()
RULES = eval(src[src.index('RULES = [') + 8: src.index(']\npart') + 1])
def ts(s): return datetime.datetime.fromisoformat(s.replace('Z', '+00:00')).timestamp()
caller, worker = [], []
for e in j['recording']['events']:
    v = e['values']; fr = v['stackTrace']['frames'] if v.get('stackTrace') else []
    if not fr: continue
    t = v['sampledThread']['javaName'] if v.get('sampledThread') else '?'
    if t != 'main' and 'feint' not in t: continue
    names = [f"{f['method']['type']['name'].split('/')[-1]}.{f['method']['name']}:{f['lineNumber']}" for f in fr]
    if t == 'main' and not any('MadryStep' in n for n in names): continue
    idle = any(n.split(':')[0].split('.')[-1] in ('idle', 'park', 'onSpinWait', 'await') for n in names[:4])
    op = next((o for o, pre in RULES if any(n.startswith(p) for n in names for p in pre)), '?')
    (caller if t == 'main' else worker).append((ts(v['startTime']), op, idle))
caller.sort(); times = [c[0] for c in caller]
idle_by = collections.Counter(); all_by = collections.Counter(c[1] for c in caller); n = 0
for w in worker:
    if not w[2]: continue
    i = bisect.bisect_left(times, w[0]); best = min((k for k in (i - 1, i) if 0 <= k < len(times)), key=lambda k: abs(times[k] - w[0]), default=None)
    if best is None or abs(times[best] - w[0]) > 0.002: continue
    idle_by[caller[best][1]] += 1; n += 1
print(f"idle worker samples paired: {n} of {sum(1 for w in worker if w[2])}")
for o, c in idle_by.most_common(): print(f"{o:34s} idle {c:4d}  caller samples of the op {all_by[o]:4d}")
