#!/usr/bin/python3
"""jfrwho.py FILE.jfr METHOD: the samples whose innermost feint frame is METHOD (Class.method), by op (jfrop.py's rules) and thread."""
import json, subprocess, sys, collections
j = json.loads(subprocess.run(['/usr/lib/jvm/temurin-25-jdk-amd64/bin/jfr', 'print', '--json', '--stack-depth', '96',
                               '--events', 'jdk.ExecutionSample', sys.argv[1]], capture_output=True, text=True).stdout)
src = open(__file__.replace('jfrwho.py', 'jfrop.py')).read()
RULES = eval(src[src.index('RULES = [') + 8: src.index(']\npart') + 1])
c = collections.Counter(); tot = 0
for e in j['recording']['events']:
    v = e['values']; fr = v['stackTrace']['frames'] if v.get('stackTrace') else []
    t = v['sampledThread']['javaName'] if v.get('sampledThread') else '?'
    if t != 'main' and 'feint' not in t: continue
    names = [f"{f['method']['type']['name'].split('/')[-1]}.{f['method']['name']}:{f['lineNumber']}" for f in fr]
    if t == 'main': tot += 1
    inner = next((n for n in names if not n.startswith(('Float', 'Vector', 'Int', 'jdk', 'java', 'Objects', 'Abstract'))), '')
    if not inner.startswith(sys.argv[2] + ':'): continue
    op = next((o for o, pre in RULES if any(n.startswith(p) for n in names for p in pre)), '?')
    if op == '?': op = '? ' + next((n for n in names if 'lambda' in n or 'Parallel' in n), '')
    c[('C ' if t == 'main' else 'W ') + op] += 1
for k, n in c.most_common(): print(f"{100*n/tot:5.1f}% {k}")
