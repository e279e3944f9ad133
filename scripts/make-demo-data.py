#!/usr/bin/env python3
"""Writes demo/fashion-mnist-1k: the first 1,000 Fashion-MNIST test images and labels (IDX, gz).

Source: /usr/share/datasets/fashion-mnist (Debian's dataset-fashion-mnist). Deterministic:
gzip with mtime 0, so rerunning gives identical bytes.
"""
import gzip, pathlib, struct, sys

SRC = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/datasets/fashion-mnist")
DST = pathlib.Path(__file__).resolve().parent.parent / "demo" / "fashion-mnist-1k"
N = 1000

def write(name, data):
    with open(DST / name, "wb") as f, gzip.GzipFile(fileobj=f, mode="wb", mtime=0, filename="") as g:
        g.write(data)

img = gzip.open(SRC / "t10k-images-idx3-ubyte.gz").read()
lab = gzip.open(SRC / "t10k-labels-idx1-ubyte.gz").read()
magic, n, rows, cols = struct.unpack(">IIII", img[:16])
assert magic == 0x803 and rows == 28 and cols == 28 and n >= N
assert struct.unpack(">II", lab[:8])[0] == 0x801
DST.mkdir(parents=True, exist_ok=True)
write("t10k-images-idx3-ubyte.gz", struct.pack(">IIII", 0x803, N, rows, cols) + img[16:16 + N * rows * cols])
write("t10k-labels-idx1-ubyte.gz", struct.pack(">II", 0x801, N) + lab[8:8 + N])
print("wrote", DST)
