#!/usr/bin/env python3
"""Check that a .safetensors file written by Feint loads in Python.

Usage: python3 scripts/check_safetensors.py FILE [FILE...]

Uses `safetensors.torch.load_file` when the safetensors and torch packages are installed
(the real interoperability check); otherwise falls back to an independent numpy reader that
applies the reference implementation's rules (header length, JSON header, 8-byte padding,
contiguous data_offsets covering the data section exactly). A manual tool, not a test
dependency. Exit code 0 when every file loads.
"""
import json
import struct
import sys

DTYPES = {"F64": "<f8", "F32": "<f4", "F16": "<f2", "I64": "<i8", "I32": "<i4",
          "I16": "<i2", "I8": "i1", "U8": "u1", "BOOL": "?"}


def load_reference(path):
    from safetensors.torch import load_file  # noqa: raises ImportError if absent
    return {k: (str(v.dtype), tuple(v.shape), v.flatten()[:4].tolist()) for k, v in load_file(path).items()}


def load_numpy(path):
    import numpy as np
    data = open(path, "rb").read()
    (n,) = struct.unpack("<Q", data[:8])
    assert n <= 100_000_000 and 8 + n <= len(data), f"bad header length {n}"
    raw = data[8:8 + n]
    assert raw[:1] == b"{", "header must start with '{'"
    header = json.loads(raw.decode("utf-8"))
    meta = header.pop("__metadata__", {})
    assert all(isinstance(v, str) for v in meta.values()), "metadata values must be strings"
    body = data[8 + n:]
    out, end = {}, 0
    for name, info in sorted(header.items(), key=lambda kv: kv[1]["data_offsets"]):
        begin, stop = info["data_offsets"]
        assert begin == end, f"{name}: offsets not contiguous ({begin} != {end})"
        dt = np.dtype(DTYPES[info["dtype"]])
        count = int(np.prod(info["shape"], dtype=np.int64))
        assert stop - begin == count * dt.itemsize, f"{name}: size mismatch"
        arr = np.frombuffer(body[begin:stop], dtype=dt).reshape(info["shape"])
        out[name] = (info["dtype"], arr.shape, arr.ravel()[:4].tolist())
        end = stop
    assert end == len(body), f"data section {len(body)} bytes, tensors cover {end}"
    if n % 8:
        print(f"note: header length {n} is not a multiple of 8 (Python's writer pads it)")
    return out


def main(paths):
    ok = True
    for path in paths:
        try:
            try:
                tensors, how = load_reference(path), "safetensors.torch.load_file"
            except ImportError:
                tensors, how = load_numpy(path), "numpy fallback (safetensors/torch not installed)"
            print(f"{path}: OK via {how}")
            for name, (dtype, shape, head) in tensors.items():
                print(f"  {name}: {dtype} {list(shape)} {head}")
        except Exception as e:  # report every file, then fail
            ok = False
            print(f"{path}: FAILED: {e}")
    return 0 if ok else 1


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1:]))
