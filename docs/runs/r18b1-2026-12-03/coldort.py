import json,sys,collections
ev=json.load(open(sys.argv[1])); rounds=int(sys.argv[2])
runs=[]; cur=None
for e in ev:
    if e.get('cat')=='Session' and e['name']=='model_run':
        runs.append((e['ts'],e['dur'],[]))
nodes=[e for e in ev if e.get('cat')=='Node' and e['name'].endswith('_kernel_time')]
# assign nodes to runs by ts
import bisect
starts=[r[0] for r in runs]
for e in nodes:
    i=bisect.bisect_right(starts,e['ts'])-1
    if i>=0: runs[i][2].append(e)
runs=runs[-rounds*10:]
names=[]
for e in runs[0][2]:
    names.append(e['name'][:-12])
tab=collections.defaultdict(lambda:[[] for _ in range(10)])
whole=[[] for _ in range(10)]
for k,r in enumerate(runs):
    p=k%10; whole[p].append(r[1])
    for e in r[2]: tab[e['name'][:-12]][p].append(e['dur'])
med=lambda v: sorted(v)[len(v)//2] if v else 0
col=[0]*10
for n in names:
    vals=[med(v) for v in tab[n]]
    col=[c+v for c,v in zip(col,vals)]
    print("%-45s"%n.replace('_output_0_nchwc','')[-45:]+"".join("%7d"%v for v in vals))
print("%-45s"%"sum nodes"+"".join("%7d"%v for v in col))
print("%-45s"%"model_run"+"".join("%7d"%med(v) for v in whole))
