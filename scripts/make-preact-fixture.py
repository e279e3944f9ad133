#!/usr/bin/env python3
"""Reference values for Feint's preact-resnet18 preset, from PyTorch.

Usage: /usr/bin/python3 scripts/make-preact-fixture.py [WIDTH=4]
Writes feint-core/src/test/resources/nn/preact-resnet18-w4.safetensors: the state_dict of the
standard PyTorch PreActResNet-18 (Rice et al. 2020's preactresnet.py, RobustBench's
PreActResNet; here with the first stage's 64 channels as WIDTH so the file stays small),
seeded, with BatchNorm statistics and affine parameters made non-trivial; an input batch
"input" [4, 3, 32, 32] and labels "labels"; and what PyTorch computes on them: "logits.eval",
"grad.eval" (d mean cross-entropy / d input, eval mode) and "logits.train" (train-mode
BatchNorm, batch statistics). num_batches_tracked (int64) is left out of the tensors; the
metadata "state_dict_keys" lists every key of the state_dict. Tests never run Python.
"""
import json
import struct
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class PreActBlock(nn.Module):
    expansion = 1

    def __init__(self, in_planes, planes, stride=1):
        super().__init__()
        self.bn1 = nn.BatchNorm2d(in_planes)
        self.conv1 = nn.Conv2d(in_planes, planes, kernel_size=3, stride=stride, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, kernel_size=3, stride=1, padding=1, bias=False)
        if stride != 1 or in_planes != self.expansion * planes:
            self.shortcut = nn.Sequential(nn.Conv2d(in_planes, self.expansion * planes, kernel_size=1, stride=stride, bias=False))

    def forward(self, x):
        out = F.relu(self.bn1(x))
        shortcut = self.shortcut(out) if hasattr(self, "shortcut") else x
        out = self.conv1(out)
        out = self.conv2(F.relu(self.bn2(out)))
        return out + shortcut


class PreActResNet(nn.Module):
    def __init__(self, block, num_blocks, num_classes=10, width=64):
        super().__init__()
        self.in_planes = width
        self.conv1 = nn.Conv2d(3, width, kernel_size=3, stride=1, padding=1, bias=False)
        self.layer1 = self._make_layer(block, width, num_blocks[0], stride=1)
        self.layer2 = self._make_layer(block, 2 * width, num_blocks[1], stride=2)
        self.layer3 = self._make_layer(block, 4 * width, num_blocks[2], stride=2)
        self.layer4 = self._make_layer(block, 8 * width, num_blocks[3], stride=2)
        self.bn = nn.BatchNorm2d(8 * width * block.expansion)
        self.linear = nn.Linear(8 * width * block.expansion, num_classes)

    def _make_layer(self, block, planes, num_blocks, stride):
        layers = []
        for s in [stride] + [1] * (num_blocks - 1):
            layers.append(block(self.in_planes, planes, s))
            self.in_planes = planes * block.expansion
        return nn.Sequential(*layers)

    def forward(self, x):
        out = self.conv1(x)
        out = self.layer4(self.layer3(self.layer2(self.layer1(out))))
        out = F.relu(self.bn(out))
        out = F.avg_pool2d(out, 4)
        out = out.view(out.size(0), -1)
        return self.linear(out)


def write_safetensors(path, tensors, metadata):
    header, offset, blobs = {"__metadata__": metadata}, 0, []
    for name, a in tensors.items():
        b = np.ascontiguousarray(a, dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(a.shape), "data_offsets": [offset, offset + len(b)]}
        offset += len(b)
        blobs.append(b)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


def main():
    width = int(sys.argv[1]) if len(sys.argv) > 1 else 4
    torch.manual_seed(0)
    model = PreActResNet(PreActBlock, [2, 2, 2, 2], 10, width)
    g = torch.Generator().manual_seed(1)
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.running_mean.copy_(torch.rand(m.num_features, generator=g) * 0.4 - 0.2)
            m.running_var.copy_(torch.rand(m.num_features, generator=g) + 0.5)
            m.weight.data.copy_(torch.rand(m.num_features, generator=g) + 0.5)
            m.bias.data.copy_(torch.rand(m.num_features, generator=g) * 0.2 - 0.1)
    x = torch.rand(4, 3, 32, 32, generator=g)
    y = torch.tensor([3, 1, 7, 0])
    state = {k: v.detach().numpy().copy() for k, v in model.state_dict().items() if v.dtype == torch.float32}
    keys = list(model.state_dict().keys())
    model.eval()
    xe = x.clone().requires_grad_(True)
    logits = model(xe)
    F.cross_entropy(logits, y).backward()
    model.train()
    with torch.no_grad():
        logits_train = model(x.clone())
    out = dict(state)
    out["input"] = x.numpy()
    out["labels"] = y.numpy().astype(np.float32)
    out["logits.eval"] = logits.detach().numpy()
    out["grad.eval"] = xe.grad.numpy()
    out["logits.train"] = logits_train.numpy()
    path = "feint-core/src/test/resources/nn/preact-resnet18-w%d.safetensors" % width
    write_safetensors(path, out, {"state_dict_keys": json.dumps(keys), "width": str(width), "torch": torch.__version__,
                                  "parameters": str(sum(p.numel() for p in model.parameters()))})
    print(path, sum(p.numel() for p in model.parameters()), "parameters;",
          "full width 64:", sum(p.numel() for p in PreActResNet(PreActBlock, [2, 2, 2, 2], 10, 64).parameters()))


if __name__ == "__main__":
    main()
