#!/usr/bin/python3
"""jfrop.py FILE.jfr: the madry-cnn step's samples (caller and workers) by op and pass, from the kernel frames on the
stack (a worker's stack holds the task's lambda, named after the kernel method that forked it), and idle workers."""
import json, subprocess, sys, collections
j = json.loads(subprocess.run(['/usr/lib/jvm/temurin-25-jdk-amd64/bin/jfr', 'print', '--json', '--stack-depth', '96',
                               '--events', 'jdk.ExecutionSample', sys.argv[1]], capture_output=True, text=True).stdout)
RULES = [  # (op, any of these 'Class.method' prefixes on the stack), first match wins, innermost frames first
    ('conv2 dX (Winograd)', ('ChannelsLastInputGradient',)),
    ('conv2 dW (Winograd)', ('WinogradWeightGrad',)),
    ('conv1 dW', ('ConvWeightGradient',)),
    ('conv relu/pool grad expand', ('ConvReluPool.outputGrad', 'ConvReluPool.lambda$outputGrad', 'ConvReluPool$')),
    ('conv2 fwd (Winograd)', ('WinogradConv', 'WinogradTiles')),
    ('conv1 fwd + relu/pool', ('ChannelsLastConv', 'ConvReluPool')),
    ('linear dX', ('LinearAlgebra$2.backward:114', 'LinearAlgebra$2.backward:113')),
    ('linear dW', ('LinearAlgebra$2.backward:119', 'LinearAlgebra$2.backward:118')),
    ('linear relu mask', ('LinearAlgebra$2.lambda', 'LinearAlgebra$2.backward')),
    ('linear fwd', ('LinearAlgebra.linear', 'LinearAlgebra.lambda')),
    ('sgd', ('Sgd',)),
    ('loss', ('Losses',)),
    ('arena', ('Arena',)),
    ('recycleGrads', ('Module.recycleGrads', 'Tensor.recycleGrad')),
]
part = collections.Counter(); thr = collections.Counter()
for e in j['recording']['events']:
    v = e['values']; fr = v['stackTrace']['frames'] if v.get('stackTrace') else []
    if not fr: continue
    t = v['sampledThread']['javaName'] if v.get('sampledThread') else '?'
    if t != 'main' and 'feint' not in t: continue
    names = [f"{f['method']['type']['name'].split('/')[-1]}.{f['method']['name']}:{f['lineNumber']}" for f in fr]
    if t == 'main' and not any('MadryStep' in n for n in names): continue
    who = 'caller' if t == 'main' else 'worker'
    thr[who] += 1
    idle = any(n.split(':')[0].split('.')[-1] in ('idle', 'park', 'onSpinWait', 'await') for n in names[:4])
    op = next((o for o, pre in RULES if any(n.startswith(p) for n in names for p in pre)), '?' if not idle else '(idle)')
    if idle and t != 'main': op = '(idle)'
    elif idle: op = op + ' (join wait)'
    part[op, who] += 1
tot = sum(thr.values())
print('samples', dict(thr))
ops = sorted({o for o, _ in part}, key=lambda o: -(part[o, 'caller'] + part[o, 'worker']))
print(f"{'op':34s} {'caller':>7s} {'worker':>7s}  (% of caller samples)")
for o in ops: print(f"{o:34s} {100*part[o,'caller']/thr['caller']:6.1f}% {100*part[o,'worker']/thr['caller']:6.1f}%")
