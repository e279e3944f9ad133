#!/usr/bin/python3
"""jfrserial.py FILE.jfr [N]: the caller's samples with no Parallel frame on the stack (work no worker can share), by the
innermost feint frames (method, then its caller)."""
import json, subprocess, sys, collections
j = json.loads(subprocess.run(['/usr/lib/jvm/temurin-25-jdk-amd64/bin/jfr', 'print', '--json', '--stack-depth', '96',
                               '--events', 'jdk.ExecutionSample', sys.argv[1]], capture_output=True, text=True).stdout)
c = collections.Counter(); tot = 0; ser = 0
for e in j['recording']['events']:
    v = e['values']; fr = v['stackTrace']['frames'] if v.get('stackTrace') else []
    if not v.get('sampledThread') or v['sampledThread']['javaName'] != 'main': continue
    names = [f"{f['method']['type']['name'].split('/')[-1]}.{f['method']['name']}" for f in fr]
    if not any('MadryStep' in n for n in names): continue
    tot += 1
    if any(n.startswith('Parallel.') for n in names): continue
    ser += 1
    feint = [n for n in names if not n.startswith(('Float', 'Vector', 'Int', 'jdk', 'java', 'Objects', 'Abstract', 'Mask'))]
    c[' < '.join(feint[:3])] += 1
print(f"caller samples {tot}, outside any Parallel call {ser} ({100*ser/tot:.1f}%)")
for k, n in c.most_common(int(sys.argv[2]) if len(sys.argv) > 2 else 25): print(f"{100*n/tot:5.1f}% {k}")
