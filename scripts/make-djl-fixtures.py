#!/usr/bin/python3
"""Writes the TorchScript test fixtures of feint-djl.

Run with Debian's Python (torch 1.13):
    /usr/bin/python3 scripts/make-djl-fixtures.py

The weights are those of demo/models/fmnist-lenet-pgd.safetensors (Feint's PGD-trained LeNet),
read here with a few lines of safetensors parsing and loaded into the same nn.Sequential under
Feint's names ("0.weight", "3.weight", ...). The TorchScript module takes the *normalised* input,
as a model served by DJL usually does, so the tests feed it through --mean/--std; the
normalisation the weights file records (mean 0.2860, std 0.3530) is printed for them.
Into feint-djl/src/test/resources/djl/ it writes:
    lenet-pgd.pt            torch.jit.trace of the network (eval mode), loadable by libtorch 2.x
    lenet-pgd.x.npy         the first 4 images of demo/fashion-mnist-1k in [0, 1], [4, 1, 28, 28]
    lenet-pgd.labels.npy    their labels (as float32, which Feint's NPY reader takes)
    lenet-pgd.logits.npy    PyTorch's logits for (x - mean) / std
    lenet-pgd.grad.npy      d loss / d x (x in [0, 1]) for loss = sum of cross_entropy(logits, labels)
    lenet-pgd.margin.grad.npy  the same for the margin loss, the sum of max_{j != label} z[j] - z[label]
    bn-dropout.pt           torch.jit.script of a small CNN with BatchNorm and Dropout(0.5) (random weights,
                            BatchNorm statistics randomised), saved in training mode; the reference values are
                            its eval-mode outputs, so it checks that Feint runs a module in eval mode whatever
                            mode it was saved in (in training mode batch statistics and dropout change them)
    bn-dropout.x.npy, .logits.npy, .grad.npy   as above (eval mode) for two seeded random inputs [2, 3, 8, 8],
                            labels 1 and 2
    state-dict.pt           torch.save of a state_dict (a zip, but not TorchScript): the bad-input test
"""
import gzip
import json
import os
import struct

import numpy as np
import torch
import torch.nn as nn

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OUT = os.path.join(ROOT, "feint-djl", "src", "test", "resources", "djl")
WEIGHTS = os.path.join(ROOT, "demo", "models", "fmnist-lenet-pgd.safetensors")
DEMO = os.path.join(ROOT, "demo", "fashion-mnist-1k")


def safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    n = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + n])
    meta = header.pop("__metadata__", {})
    tensors = {}
    for name, t in header.items():
        assert t["dtype"] == "F32", (name, t["dtype"])
        lo, hi = t["data_offsets"]
        tensors[name] = torch.from_numpy(np.frombuffer(data, dtype="<f4", offset=8 + n + lo, count=(hi - lo) // 4)
                                         .reshape(t["shape"]).copy())
    return tensors, meta


def lenet():
    return nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                         nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))


def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(data[3])]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * len(dims)).reshape(dims)


class BnDropout(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, padding=1)
        self.bn = nn.BatchNorm2d(4)
        self.drop = nn.Dropout(0.5)
        self.fc = nn.Linear(4 * 8 * 8, 3)

    def forward(self, x):
        h = torch.relu(self.bn(self.conv(x)))
        return self.fc(self.drop(h.flatten(1)))


def bn_dropout():
    torch.manual_seed(0)
    model = BnDropout()
    with torch.no_grad():
        model.bn.running_mean.copy_(torch.randn(4) * 0.2)
        model.bn.running_var.copy_(torch.rand(4) + 0.5)
        model.bn.weight.copy_(torch.rand(4) + 0.5)
        model.bn.bias.copy_(torch.randn(4) * 0.1)
    model.eval()
    scripted = torch.jit.script(model)
    x = torch.rand(2, 3, 8, 8, generator=torch.Generator().manual_seed(1))
    xg = x.clone().requires_grad_(True)
    logits = scripted(xg)
    grad, = torch.autograd.grad(nn.functional.cross_entropy(logits, torch.tensor([1, 2]), reduction="sum"), xg)
    scripted.train()          # saved in training mode: Feint must put it in eval mode itself
    torch.jit.save(scripted, os.path.join(OUT, "bn-dropout.pt"))
    np.save(os.path.join(OUT, "bn-dropout.x.npy"), x.numpy())
    np.save(os.path.join(OUT, "bn-dropout.logits.npy"), logits.detach().numpy())
    np.save(os.path.join(OUT, "bn-dropout.grad.npy"), grad.numpy())


def margin(z, y):
    zy = z.gather(1, y[:, None])[:, 0]
    other = z.masked_fill(nn.functional.one_hot(y, z.shape[1]).bool(), float("-inf")).max(1).values
    return other - zy


def main():
    os.makedirs(OUT, exist_ok=True)
    weights, meta = safetensors(WEIGHTS)
    norm = json.loads(meta["normalization"])
    mean, std = norm["mean"][0], norm["std"][0]
    model = lenet()
    model.load_state_dict(weights)
    model.eval()
    traced = torch.jit.trace(model, torch.zeros(1, 1, 28, 28))
    pt = os.path.join(OUT, "lenet-pgd.pt")
    torch.jit.save(traced, pt)
    x = torch.tensor(idx(os.path.join(DEMO, "t10k-images-idx3-ubyte.gz"))[:4], dtype=torch.float32).unsqueeze(1) / 255
    y = torch.tensor(idx(os.path.join(DEMO, "t10k-labels-idx1-ubyte.gz"))[:4], dtype=torch.int64)
    xg = x.clone().requires_grad_(True)
    logits = traced((xg - mean) / std)
    grad, = torch.autograd.grad(nn.functional.cross_entropy(logits, y, reduction="sum"), xg, retain_graph=True)
    mgrad, = torch.autograd.grad(margin(logits, y).sum(), xg)
    np.save(os.path.join(OUT, "lenet-pgd.x.npy"), x.numpy())
    np.save(os.path.join(OUT, "lenet-pgd.labels.npy"), y.numpy().astype(np.float32))
    np.save(os.path.join(OUT, "lenet-pgd.logits.npy"), logits.detach().numpy())
    np.save(os.path.join(OUT, "lenet-pgd.grad.npy"), grad.numpy())
    np.save(os.path.join(OUT, "lenet-pgd.margin.grad.npy"), mgrad.numpy())
    bn_dropout()
    torch.save(nn.Linear(2, 2).state_dict(), os.path.join(OUT, "state-dict.pt"))
    print("%s: %.0f kB, mean %.8f std %.8f, logits[0] %s" % (pt, os.path.getsize(pt) / 1e3, mean, std, logits[0].tolist()))


if __name__ == "__main__":
    main()
