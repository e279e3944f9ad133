import sys, re, glob, statistics as st
def parse(f):
    rows = {}
    for l in open(f):
        m = re.match(r'\s*(\d+)\s+(\d+) \|\s+(\d+)\s+(\d+)\s+([\d.]+) \|\s+(\d+)\s+(\d+)\s+([\d.]+) \|', l)
        if m: rows[(int(m[1]), int(m[2]))] = (int(m[3]) / int(m[4]), int(m[6]) / int(m[7]))
    return rows
for label, pat in (("start 1b1c444", sys.argv[1]), ("branch", sys.argv[2])):
    files = sorted(glob.glob(pat)); runs = [parse(f) for f in files]; runs = [r for r in runs if len(r) == 8]
    print(f"== {label}: {len(runs)} runs ({', '.join(files)})")
    allok = sum(all(v[0] >= 1 and v[1] >= 1 for v in r.values()) for r in runs)
    aok = sum(all(v[0] >= 1 for v in r.values()) for r in runs); lok = sum(all(v[1] >= 1 for v in r.values()) for r in runs)
    print(f"runs with every row >= 1.0: {allok}/{len(runs)} (alone all: {aok}, loaded all: {lok})")
    print("| batch x threads | alone | loaded | rows < 1.0 (alone/loaded) |")
    for k in sorted(runs[0], key=lambda k: (k[1], k[0])):
        a = [r[k][0] for r in runs]; l = [r[k][1] for r in runs]
        print(f"| {k[0]} x {k[1]} | {st.median(a):.2f} [{min(a):.2f}-{max(a):.2f}] | {st.median(l):.2f} [{min(l):.2f}-{max(l):.2f}] | {sum(x<1 for x in a)}/{sum(x<1 for x in l)} |")
