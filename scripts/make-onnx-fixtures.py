#!/usr/bin/python3
"""Exports the ONNX test fixtures of feint-onnx and, with a folder argument, the full-size models.

Run with Debian's Python (torch 1.13, torchvision 0.14, onnx 1.12):
    /usr/bin/python3 scripts/make-onnx-fixtures.py [FULL_SIZE_DIR]

For each model (narrow variants of torchvision's resnet18 (12 base channels, so a file stays well under 3 MB)
and mobilenet_v2 (width 0.25), and a small CNN;
10 classes, input 3x32x32, dynamic batch) and opset 13 and 17 it writes, into
feint-onnx/src/test/resources/onnx/:
    NAME-opsetN.onnx      the model (eval mode, exported by torch.onnx.export)
    NAME.x.npy            a seeded input batch [2, 3, 32, 32] in [0, 1]
    NAME.labels.npy       its labels (int64)
    NAME.logits.npy       PyTorch's logits for x
    NAME.grad.npy         d loss / d x for loss = sum over the batch of cross_entropy(logits, labels)
The weights are seeded random (torch.manual_seed(0)) with BatchNorm statistics randomised so
the folded BatchNorm is not the identity.

It also trains a small CNN on Fashion-MNIST for one epoch (seeded), exports it as
fashion-cnn-opset13.onnx, and writes fashion-cnn.pgd.json: its clean accuracy and its PGD-20
robust accuracy (Linf, eps 0.1, step 2.5 eps / 20, uniform random start, cross-entropy) on the
1,000 images of demo/fashion-mnist-1k, computed by PyTorch.

Last, fashion-cnn-atan.onnx is the same CNN with an Atan (an op Feint does not import) after its
logits: argmax and ranking unchanged, so `--backend ort` must classify the demo images exactly as
Feint classifies fashion-cnn-opset13.onnx.
"""
import gzip
import json
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torchvision
from torchvision.models.resnet import BasicBlock, ResNet

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "feint-onnx", "src", "test", "resources", "onnx")


class NarrowResNet(ResNet):
    """torchvision's ResNet with `width` base channels instead of 64 (same topology)."""

    def __init__(self, width, num_classes=10):
        nn.Module.__init__(self)
        self._norm_layer = nn.BatchNorm2d
        self.inplanes, self.dilation, self.groups, self.base_width = width, 1, 1, 64
        self.conv1 = nn.Conv2d(3, width, kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        self.layer1 = self._make_layer(BasicBlock, width, 2)
        self.layer2 = self._make_layer(BasicBlock, width * 2, 2, stride=2)
        self.layer3 = self._make_layer(BasicBlock, width * 4, 2, stride=2)
        self.layer4 = self._make_layer(BasicBlock, width * 8, 2, stride=2)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(width * 8, num_classes)


class SmallCnn(nn.Module):
    """conv-relu-pool twice, then two linear layers; flattened with reshape(batch, -1) so the
    export carries a Shape/Gather/Unsqueeze/Concat/Reshape subgraph."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, padding=1)
        self.conv2 = nn.Conv2d(8, 16, 3, padding=1)
        self.fc1 = nn.Linear(16 * 8 * 8, 32)
        self.fc2 = nn.Linear(32, 10)

    def forward(self, x):
        x = torch.max_pool2d(torch.relu(self.conv1(x)), 2)
        x = torch.max_pool2d(torch.relu(self.conv2(x)), 2)
        x = x.reshape(x.shape[0], -1)
        return self.fc2(torch.relu(self.fc1(x)))


def randomise_bn(model, seed):
    g = torch.Generator().manual_seed(seed)
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.running_mean.copy_(torch.randn(m.num_features, generator=g) * 0.1)
            m.running_var.copy_(torch.rand(m.num_features, generator=g) * 0.5 + 0.75)
            m.weight.data.copy_(torch.rand(m.num_features, generator=g) * 0.5 + 0.75)
            m.bias.data.copy_(torch.randn(m.num_features, generator=g) * 0.1)


def export(model, path, opset):
    x = torch.zeros(1, 3, 32, 32)
    torch.onnx.export(model, x, path, opset_version=opset, input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}}, do_constant_folding=True)


def reference(model, name, out):
    g = torch.Generator().manual_seed(1)
    x = torch.rand(2, 3, 32, 32, generator=g, dtype=torch.float32)
    labels = torch.tensor([3, 7], dtype=torch.int64)
    xg = x.clone().requires_grad_(True)
    logits = model(xg)
    loss = nn.functional.cross_entropy(logits, labels, reduction="sum")
    loss.backward()
    np.save(os.path.join(out, name + ".x.npy"), x.numpy())
    np.save(os.path.join(out, name + ".labels.npy"), labels.numpy())
    np.save(os.path.join(out, name + ".logits.npy"), logits.detach().numpy())
    np.save(os.path.join(out, name + ".grad.npy"), xg.grad.numpy())


def models(full):
    torch.manual_seed(0)
    if full:
        yield "resnet18", torchvision.models.resnet18(num_classes=10)
        yield "mobilenet_v2", torchvision.models.mobilenet_v2(num_classes=10)
    else:
        yield "resnet18-w12", NarrowResNet(12)
        yield "mobilenet_v2-w025", torchvision.models.mobilenet_v2(num_classes=10, width_mult=0.25)
        yield "small-cnn", SmallCnn()


FASHION = "/usr/share/datasets/fashion-mnist"
DEMO = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "demo", "fashion-mnist-1k")


def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(data[3])]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * len(dims)).reshape(dims)


class FashionCnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(1, 16, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
                                      nn.Conv2d(16, 32, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2))
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(32 * 7 * 7, 64), nn.ReLU(), nn.Linear(64, 10))

    def forward(self, x):
        return self.classifier(self.features(x))


def pgd(model, x, y, eps=0.1, steps=20, seed=0):
    g = torch.Generator().manual_seed(seed)
    alpha = 2.5 * eps / steps
    adv = (x + (torch.rand(x.shape, generator=g) * 2 - 1) * eps).clamp(0, 1)
    for _ in range(steps):
        adv.requires_grad_(True)
        loss = nn.functional.cross_entropy(model(adv), y, reduction="sum")
        grad, = torch.autograd.grad(loss, adv)
        adv = torch.min(torch.max(adv.detach() + alpha * grad.sign(), x - eps), x + eps).clamp(0, 1)
    with torch.no_grad():
        return (model(adv).argmax(1) == y).float().mean().item()


def train_epoch(model, x, y):
    """One seeded epoch of Adam (lr 1e-3, batch 128, mean cross-entropy) over x, y."""
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    perm = torch.randperm(len(x))
    for i in range(0, len(x), 128):
        b = perm[i:i + 128]
        opt.zero_grad()
        nn.functional.cross_entropy(model(x[b]), y[b]).backward()
        opt.step()


def fashion(out):
    torch.manual_seed(0)
    x = torch.tensor(idx(os.path.join(FASHION, "train-images-idx3-ubyte.gz")), dtype=torch.float32).unsqueeze(1) / 255
    y = torch.tensor(idx(os.path.join(FASHION, "train-labels-idx1-ubyte.gz")), dtype=torch.int64)
    model = FashionCnn()
    train_epoch(model, x, y)
    model.eval()
    tx = torch.tensor(idx(os.path.join(DEMO, "t10k-images-idx3-ubyte.gz")), dtype=torch.float32).unsqueeze(1) / 255
    ty = torch.tensor(idx(os.path.join(DEMO, "t10k-labels-idx1-ubyte.gz")), dtype=torch.int64)
    with torch.no_grad():
        clean = (model(tx).argmax(1) == ty).float().mean().item()
    robust = pgd(model, tx, ty)
    path = os.path.join(out, "fashion-cnn-opset13.onnx")
    torch.onnx.export(model, torch.zeros(1, 1, 28, 28), path, opset_version=13, input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}})
    with open(os.path.join(out, "fashion-cnn.pgd.json"), "w") as f:
        json.dump({"images": len(tx), "cleanAccuracy": clean, "pgd20RobustAccuracy": robust, "eps": 0.1, "steps": 20}, f, indent=1)
    print("%s: clean %.4f, PGD-20 robust %.4f" % (path, clean, robust))


class FashionBnCnn(nn.Module):
    """conv-BN-ReLU-pool twice and a linear layer, for fine-tuning through imported BatchNormalization."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1, bias=False), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
                                      nn.Conv2d(16, 32, 3, padding=1, bias=False), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2))
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(32 * 7 * 7, 10))

    def forward(self, x):
        return self.classifier(self.features(x))


def fashion_bn(out):
    """fashion-cnn-bn-opset13.onnx: trained on 20,000 Fashion-MNIST images, exported with its BatchNormalization nodes
    (TrainingMode.PRESERVE on an eval-mode model). fashion-cnn-bn.x.npy / .labels.npy: the first 16 demo images;
    .logits.npy: PyTorch's eval logits on them; then one SGD step (lr 0.1, mean cross-entropy, train mode):
    .step-logits.npy (eval logits after it) and .step-running-mean.npy (the first BatchNorm's running mean after it)."""
    torch.manual_seed(0)
    x = torch.tensor(idx(os.path.join(FASHION, "train-images-idx3-ubyte.gz"))[:20000], dtype=torch.float32).unsqueeze(1) / 255
    y = torch.tensor(idx(os.path.join(FASHION, "train-labels-idx1-ubyte.gz"))[:20000], dtype=torch.int64)
    model = FashionBnCnn()
    train_epoch(model, x, y)
    model.eval()
    path = os.path.join(out, "fashion-cnn-bn-opset13.onnx")
    torch.onnx.export(model, torch.zeros(1, 1, 28, 28), path, opset_version=13, input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}}, training=torch.onnx.TrainingMode.PRESERVE,
                      do_constant_folding=False)
    tx = torch.tensor(idx(os.path.join(DEMO, "t10k-images-idx3-ubyte.gz"))[:16], dtype=torch.float32).unsqueeze(1) / 255
    ty = torch.tensor(idx(os.path.join(DEMO, "t10k-labels-idx1-ubyte.gz"))[:16], dtype=torch.int64)
    with torch.no_grad():
        logits = model(tx)
    model.train()
    sgd = torch.optim.SGD(model.parameters(), lr=0.1)
    sgd.zero_grad()
    nn.functional.cross_entropy(model(tx), ty).backward()
    sgd.step()
    model.eval()
    with torch.no_grad():
        after = model(tx)
    np.save(os.path.join(out, "fashion-cnn-bn.x.npy"), tx.numpy())
    np.save(os.path.join(out, "fashion-cnn-bn.labels.npy"), ty.numpy())
    np.save(os.path.join(out, "fashion-cnn-bn.logits.npy"), logits.numpy())
    np.save(os.path.join(out, "fashion-cnn-bn.step-logits.npy"), after.numpy())
    np.save(os.path.join(out, "fashion-cnn-bn.step-running-mean.npy"), model.features[1].running_mean.numpy())
    print("%s: %.2f MB" % (path, os.path.getsize(path) / 1e6))


def unsupported_op(out):
    import onnx
    from onnx import helper
    m = onnx.load(os.path.join(out, "fashion-cnn-opset13.onnx"))
    g = m.graph
    for node in g.node:
        node.output[:] = ["logits_raw" if o == "logits" else o for o in node.output]
    g.node.append(helper.make_node("Atan", ["logits_raw"], ["logits"], name="squash"))
    onnx.checker.check_model(m)
    path = os.path.join(out, "fashion-cnn-atan.onnx")
    onnx.save(m, path)
    print("%s: %.2f MB" % (path, os.path.getsize(path) / 1e6))


def main():
    full_dir = sys.argv[1] if len(sys.argv) > 1 else None
    targets = [(OUT, False)] + ([(full_dir, True)] if full_dir else [])
    for out, full in targets:
        os.makedirs(out, exist_ok=True)
        for i, (name, model) in enumerate(models(full)):
            randomise_bn(model, 100 + i)
            model.eval()
            for opset in (13, 17):
                path = os.path.join(out, "%s-opset%d.onnx" % (name, opset))
                export(model, path, opset)
                print("%s: %.2f MB" % (path, os.path.getsize(path) / 1e6))
            reference(model, name, out)
    fashion(OUT)
    fashion_bn(OUT)
    unsupported_op(OUT)


if __name__ == "__main__":
    main()
