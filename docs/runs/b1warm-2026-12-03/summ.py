# usage: summ.py files... : the batch-1 rows (and batch 64) per run, Feint/ORT img/s, ratios
import sys,re
for f in sys.argv[1:]:
    t=open(f).read(); out=[f.split('/')[-1][:-4]]
    for m in re.split(r'\n(?=\w+: [\d,]+ parameters)', t)[1:]:
        name=m.split(':')[0]
        for b in ('1','64'):
            r=re.search(r'forward batch %s\s+Feint\s+([\d.]+) img/s\s+ONNX Runtime\s+([\d.]+) img/s\s+ratio ([\d.]+)x'%b, m)
            if r: out.append('%s b%s %.2f (%.0f/%.0f)'%(name[:5],b,float(r.group(3)),float(r.group(1)),float(r.group(2))))
        r=re.search(r'first call after a \d+ ms pause, batch 1: Feint ([\d.]+) ms\s+ONNX Runtime ([\d.]+) ms',m)
        if r: out.append('%s 1st F %s / O %s ms'%(name[:5],r.group(1),r.group(2)))
    print(' | '.join(out))
