# vector-FMA count per panel (x2 vectors) for a batch-1 conv under a sliver order
def taps_union(pix, g):
    H,W,K,s,p,oh,ow = g
    ys=set(); xs=set()
    for q in pix:
        oy,ox=divmod(q,ow)
        for k in range(K):
            if 0<=oy*s+k-p<H: ys.add(k)
            if 0<=ox*s+k-p<W: xs.add(k)
    return (max(ys)-min(ys)+1)*(max(xs)-min(xs)+1)
def real(g):
    H,W,K,s,p,oh,ow = g
    t=0
    for q in range(oh*ow):
        oy,ox=divmod(q,ow)
        t+=sum(1 for k in range(K) if 0<=oy*s+k-p<H)*sum(1 for k in range(K) if 0<=ox*s+k-p<W)
    return t
def cur(g, mr=6):
    H,W,K,s,p,oh,ow = g; n=oh*ow; cost=0
    for st in range(0,n,mr):
        pix=list(range(st,min(n,st+mr))); r=len(pix)
        width = 6 if r>4 else (4 if r>1 else 1)
        cost+=taps_union(pix,g)*width
    return cost
def rowal(g, split):
    H,W,K,s,p,oh,ow = g; cost=0
    for oy in range(oh):
        x=0
        for wdt in split:
            pix=[oy*ow+xx for xx in range(x,x+wdt)]; x+=wdt
            cost+=taps_union(pix,g)*(6 if wdt>4 else 4 if wdt>1 else 1)
    return cost
G={'conv1':(32,32,7,2,3,16,16),'l1':(8,8,3,1,1,8,8),'l2':(4,4,3,1,1,4,4),'l3':(2,2,3,1,1,2,2),'l20':(8,8,3,2,1,4,4)}
for k,g in G.items():
    print(k,'real',real(g),'cur',cur(g), round(cur(g)/real(g),3))
print('l1 4+4',rowal(G['l1'],[4,4])/real(G['l1']), '6+2', rowal(G['l1'],[6,2])/real(G['l1']))
print('l2 4',rowal(G['l2'],[4])/real(G['l2']))
print('conv1 6+6+4',rowal(G['conv1'],[6,6,4])/real(G['conv1']), '4x4', rowal(G['conv1'],[4,4,4,4])/real(G['conv1']))
print('l3 2', rowal(G['l3'],[2])/real(G['l3']))
print('---')
def cost_cur(g, rpb1):
    H,W,K,s,p,oh,ow = g; n=oh*ow; c=0
    for st in range(0,n,6):
        pix=list(range(st,min(n,st+6))); r=len(pix)
        wd = 6 if r>4 else (1 if r==1 else (4 if rpb1 else 6))
        c+=taps_union(pix,g)*wd
    return c
def cost_al(g, rpb1):
    H,W,K,s,p,oh,ow = g
    a=ow//6
    while a>=0 and (ow-6*a)%4: a-=1
    if a<0: return None
    split=[6]*a+[4]*((ow-6*a)//4); c=0
    for oy in range(oh):
        x=0
        for wd in split:
            pix=[oy*ow+xx for xx in range(x,x+wd)]; x+=wd
            if wd==6 or rpb1: c+=taps_union(pix,g)*wd
            else:  # tile4 over whole runs: union rows x all K columns
                ys=set()
                for q in pix:
                    for k in range(K):
                        if 0<=oy*s+k-p<H: ys.add(k)
                c+=(max(ys)-min(ys)+1)*K*4
    return c,split
for k,g,r in [('conv1',G['conv1'],False),('l1',G['l1'],True),('l2',G['l2'],True),('l20',G['l20'],True),('l3',G['l3'],True)]:
    print(k, cost_cur(g,r), cost_al(g,r), real(g))
