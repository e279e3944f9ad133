#!/usr/bin/env python3
"""The model files of `feint bench --preact`: PyTorch's PreActResNet-18 as TorchScript and its weights.

Usage: /usr/bin/python3 scripts/make-preact-bench-model.py DIR [WIDTH=64]
Writes DIR/preact-resnet18-wWIDTH.pt (torch.jit.script, so BatchNorm follows train()/eval(): batch
statistics in training, running statistics in evaluation) and DIR/preact-resnet18-wWIDTH.safetensors
(the float32 state_dict by its PyTorch names, which Feint's preact-resnet18 preset uses): the standard
network of make-preact-fixture.py (Rice et al. 2020, RobustBench), seeded, BatchNorm statistics and
affine parameters made non-trivial. Width 64 is the standard network (45 MB): generate it into a
cache folder, never check it in.
"""
import importlib.util
import os
import sys

import torch

spec = importlib.util.spec_from_file_location("fixture", os.path.join(os.path.dirname(os.path.abspath(__file__)), "make-preact-fixture.py"))
fixture = importlib.util.module_from_spec(spec)
spec.loader.exec_module(fixture)


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: make-preact-bench-model.py DIR [WIDTH=64]")
    out, width = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 64
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(0)
    model = fixture.PreActResNet(fixture.PreActBlock, [2, 2, 2, 2], 10, width)
    g = torch.Generator().manual_seed(1)
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.running_mean.copy_(torch.rand(m.num_features, generator=g) * 0.4 - 0.2)
            m.running_var.copy_(torch.rand(m.num_features, generator=g) + 0.5)
            m.weight.data.copy_(torch.rand(m.num_features, generator=g) + 0.5)
            m.bias.data.copy_(torch.rand(m.num_features, generator=g) * 0.2 - 0.1)
    model.eval()
    base = os.path.join(out, "preact-resnet18-w%d" % width)
    state = {k: v.detach().numpy().copy() for k, v in model.state_dict().items() if v.dtype == torch.float32}
    fixture.write_safetensors(base + ".safetensors", state, {"width": str(width), "torch": torch.__version__})
    torch.jit.script(model).save(base + ".pt")
    print(base + ".pt", base + ".safetensors", sum(p.numel() for p in model.parameters()), "parameters")


if __name__ == "__main__":
    main()
