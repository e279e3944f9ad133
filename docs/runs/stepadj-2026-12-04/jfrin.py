#!/usr/bin/python3
"""jfrin.py FILE.jfr PREFIX: samples (all threads) whose stack holds a frame starting with PREFIX, by their innermost feint frame (and line; a 4th argument: by method)."""
import json, subprocess, sys, collections
j = json.loads(subprocess.run(['/usr/lib/jvm/temurin-25-jdk-amd64/bin/jfr', 'print', '--json', '--stack-depth', '96',
                               '--events', 'jdk.ExecutionSample', sys.argv[1]], capture_output=True, text=True).stdout)
c = collections.Counter(); tot = 0
for e in j['recording']['events']:
    v = e['values']; t = v['sampledThread']['javaName'] if v.get('sampledThread') else '?'
    if t != 'main' and 'feint' not in t: continue
    fr = v['stackTrace']['frames'] if v.get('stackTrace') else []
    names = [f"{f['method']['type']['name'].split('/')[-1]}.{f['method']['name']}:{f['lineNumber']}" for f in fr]
    if t == 'main': tot += 1
    if not any(n.startswith(sys.argv[2]) for n in names): continue
    names = [n.rsplit(":", 1)[0] for n in names] if len(sys.argv) > 4 else names
    k = next((n for n in names if not n.startswith(('Float', 'Vector', 'Int', 'jdk', 'java', 'Objects', 'Abstract'))), names[0])
    c[('C ' if t == 'main' else 'W ') + k] += 1
for k, n in c.most_common(int(sys.argv[3]) if len(sys.argv) > 3 else 25): print(f"{100*n/tot:5.1f}% {k}")
