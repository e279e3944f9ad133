#!/usr/bin/python3
"""Full-size models for `feint bench --imported DIR` (not checked in: resnet18 is 45 MB).

Run with Debian's Python (torch 1.13, torchvision 0.14):
    /usr/bin/python3 scripts/make-bench-models.py [DIR]      (default: ~/.cache/feint/bench-models)

Writes, for torchvision's resnet18(num_classes=10) and mobilenet_v2(num_classes=10) on 3x32x32
(seeded weights, BatchNorm statistics randomised, eval mode, as make-onnx-fixtures.py makes them):
    NAME.onnx   torch.onnx.export, opset 13, dynamic batch, input "input", output "logits"
    NAME.pt     the same model traced to TorchScript (what PyTorch through DJL runs)
so ONNX Runtime, Feint and PyTorch run the same weights.
"""
import importlib.util
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("fixtures", os.path.join(HERE, "make-onnx-fixtures.py"))
fixtures = importlib.util.module_from_spec(spec)
spec.loader.exec_module(fixtures)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.expanduser("~/.cache/feint/bench-models")
    os.makedirs(out, exist_ok=True)
    for i, (name, model) in enumerate(fixtures.models(True)):
        fixtures.randomise_bn(model, 100 + i)
        model.eval()
        fixtures.export(model, os.path.join(out, name + ".onnx"), 13)
        with torch.no_grad():
            torch.jit.trace(model, torch.rand(1, 3, 32, 32)).save(os.path.join(out, name + ".pt"))
        print("%s: %s.onnx %.1f MB, %s.pt" % (out, name, os.path.getsize(os.path.join(out, name + ".onnx")) / 1e6, name))


if __name__ == "__main__":
    main()
