# usage: layers.py prof-*.txt ... : per group (stem, layer1..4, tail), Feint's and ORT's sums of node medians, us
import sys,re
def grp(n):
    m=re.search(r'layer(\d)',n)
    if m: return 'layer'+m.group(1)
    if 'conv1' in n or 'relu/Relu' in n and 'layer' not in n or 'maxpool' in n: return 'stem'
    return 'tail'
G=['stem','layer1','layer2','layer3','layer4','tail']
print('%-26s'%'file'+''.join('%8s %5s'%(g,'O') for g in G)+'   F sum  O sum  F whole')
for f in sys.argv[1:]:
    F=dict.fromkeys(G,0.0); O=dict.fromkeys(G,0.0); whole=''
    for l in open(f):
        p=l.split()
        if l.startswith('F /'): F[grp(p[1])]+=float(p[2])
        elif l.startswith('O /') or l.startswith('O Reorder'): O[grp(p[1])]+=float(p[-1])
        m=re.search(r'whole forward median ([\d.]+)',l)
        if m: whole=m.group(1)
    print('%-26s'%f[-26:]+''.join('%8.1f %5.0f'%(F[g],O[g]) for g in G)+'  %6.1f %5.0f  %s'%(sum(F.values()),sum(O.values()),whole))
