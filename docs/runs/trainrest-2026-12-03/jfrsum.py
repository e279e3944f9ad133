#!/usr/bin/python3
"""jfrsum.py FILE.jfr: samples by step part (the innermost feint frame outside Gemm/MicroKernels/Vector,
with the autograd frame and line on the caller thread), and self time by method."""
import json, subprocess, sys, collections
j = json.loads(subprocess.run(['/usr/lib/jvm/temurin-25-jdk-amd64/bin/jfr', 'print', '--json', '--stack-depth', '64',
                               '--events', 'jdk.ExecutionSample', sys.argv[1]], capture_output=True, text=True).stdout)
SKIP = ('MicroKernels', 'Gemm', 'Parallel', 'FloatVector', 'Float512', 'IntVector', 'Int512', 'Vector', 'HelpWatch', 'ConvPlan$', 'Lambda')
self_ = collections.Counter(); part = collections.Counter(); thr = collections.Counter()
for e in j['recording']['events']:
    v = e['values']; fr = v['stackTrace']['frames'] if v.get('stackTrace') else []
    if not fr: continue
    t = v['sampledThread']['javaName'] if v.get('sampledThread') else '?'
    if t != 'main' and 'feint' not in t: continue
    names = [(f['method']['type']['name'].split('/')[-1], f['method']['name'], f['lineNumber']) for f in fr]
    if t == 'main' and not any('MadryStep' in n[0] for n in names): continue
    thr[t] += 1; self_[names[0][0] + '.' + names[0][1]] += 1
    gemm = any(n[0] in ('Gemm', 'MicroKernels') for n in names)
    k = next((f'{c}.{m}' for c, m, l in names if not c.startswith(SKIP) and not c.startswith('java') and not c.startswith('jdk')), '?')
    auto = next((f'{c}.{m}:{l}' for c, m, l in names if c.startswith(('LinearAlgebra', 'Convolutions', 'Losses', 'Sgd', 'Pooling', 'Unary', 'Grad', 'Node'))), '')
    if t != 'main': auto = '(worker)'
    idle = names[0][1] in ('idle', 'await', 'park', 'onSpinWait') or any(n[1] in ('idle',) for n in names[:3])
    part[('IDLE ' if idle else '') + k + (' [gemm]' if gemm else ''), auto] += 1
tot = sum(thr.values())
print('samples', tot, dict(thr))
for (k, a), c in part.most_common(45): print(f'{100*c/tot:6.1f}%  {k:55s} {a}')
print('--- self')
for k, c in self_.most_common(20): print(f'{100*c/tot:6.1f}%  {k}')
