# usage: prof.py ort-profile.json lastRuns : per ORT node (kernel time), the median over the last N model_run's, us
import json,sys,collections,bisect
ev=json.load(open(sys.argv[1])); last=int(sys.argv[2])
runs=[e for e in ev if e.get('cat')=='Session' and e['name']=='model_run']
starts=[e['ts'] for e in runs]
per=collections.defaultdict(list); order=[]
lo=starts[-last]
for e in ev:
    if e.get('cat')=='Node' and e['name'].endswith('_kernel_time') and e['ts']>=lo:
        n=e['name'][:-12]
        if n not in per: order.append(n)
        per[n].append((e['dur'], e.get('args',{}).get('op_name','')))
med=lambda v: sorted(v)[len(v)//2]
tot=0
for n in order:
    d=med([x[0] for x in per[n]]); tot+=d
    print("O %-60s %-14s %6d"%(n[-60:], per[n][0][1], d))
w=sorted(e['dur'] for e in runs[-last:])
print("O sum-of-node-medians %d us, model_run median %d us"%(tot, w[len(w)//2]))
