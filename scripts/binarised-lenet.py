#!/usr/bin/python3
"""Writes a deliberately gradient-masked copy of a Feint LeNet for `feint audit` to catch.

The input is binarised at 0.5 by a 1x1 convolution with weight 1e6 and a sigmoid (saturated, so
its gradient is exactly 0 in float32), then a second 1x1 convolution restores the model's own
normalisation, so the original layers see what they were trained on, only binarised.
The same construction as AuditCommandTest's, for running the audit by hand:

    /usr/bin/python3 scripts/binarised-lenet.py demo/models/fmnist-lenet-pgd.safetensors /tmp/binarised.safetensors
    ./feint audit --model /tmp/binarised.safetensors --data demo/fashion-mnist-1k --eps 0.1 --limit 200
"""
import json
import struct
import sys


def read(path):
    with open(path, "rb") as f:
        blob = f.read()
    n = struct.unpack("<Q", blob[:8])[0]
    header = json.loads(blob[8:8 + n])
    meta = header.pop("__metadata__")
    tensors = {}
    for name, t in header.items():
        if t["dtype"] != "F32":
            sys.exit(f"{path}: tensor {name} is {t['dtype']}, expected F32")
        a, b = t["data_offsets"]
        tensors[name] = (t["shape"], blob[8 + n + a:8 + n + b])
    return meta, tensors


def write(path, meta, tensors):
    header, data, off = {"__metadata__": meta}, b"", 0
    for name, (shape, raw) in tensors.items():
        header[name] = {"dtype": "F32", "shape": shape, "data_offsets": [off, off + len(raw)]}
        data += raw
        off += len(raw)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + data)


def main(src, dst):
    meta, tensors = read(src)
    arch = json.loads(meta["architecture"])
    norm = json.loads(meta["normalization"])
    if arch["input"][0] != 1:
        sys.exit(f"{src}: expected a one-channel model, got input {arch['input']}")
    mean, std = norm["mean"][0], norm["std"][0]
    conv = {"type": "conv2d", "in": 1, "out": 1, "kernel": 1}
    arch["name"] = "binarised-" + arch["name"]
    arch["layers"] = [conv, {"type": "sigmoid"}, conv] + arch["layers"]
    f = lambda *v: struct.pack(f"<{len(v)}f", *v)
    out = {"0.weight": ([1, 1, 1, 1], f(1e6)), "0.bias": ([1], f(-0.5e6)),
           "2.weight": ([1, 1, 1, 1], f(1 / std)), "2.bias": ([1], f(-mean / std))}
    for name, t in tensors.items():
        i, rest = name.split(".", 1)
        out[f"{int(i) + 3}.{rest}"] = t
    meta = {k: v for k, v in meta.items() if k in ("format", "classes", "dataset", "feintVersion")}
    meta["architecture"] = json.dumps(arch, separators=(",", ":"))
    meta["normalization"] = json.dumps({"mean": [0.0], "std": [1.0]})
    meta["note"] = "gradient-masked on purpose (saturated input binarisation) from " + src
    write(dst, meta, out)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: binarised-lenet.py MODEL.safetensors OUT.safetensors")
    main(sys.argv[1], sys.argv[2])
