#!/usr/bin/env python3
"""Writes the ONNX test fixtures of src/test/resources/onnx: public CNN definitions from torchvision, exported to ONNX
with BatchNorm and dropout kept as nodes (TrainingMode.PRESERVE, no constant folding), 3x32x32 input, 10 classes, then
stripped of their weights by tools/StripOnnxWeights.java so that each file is a few KB (the importer reads the shapes of
the weights, not their values). Tests never run this; it needs Debian's python3-torch and python3-torchvision and a
built chase (target/lib):
  /usr/bin/python3 tools/onnx-fixtures.py
"""
import pathlib
import subprocess
import tempfile

import torch
import torchvision

MODELS = {
    "resnet18": lambda: torchvision.models.resnet18(num_classes=10),
    "mobilenet_v2": lambda: torchvision.models.mobilenet_v2(num_classes=10),
    "mobilenet_v3_small": lambda: torchvision.models.mobilenet_v3_small(num_classes=10),
    "efficientnet_b0": lambda: torchvision.models.efficientnet_b0(num_classes=10),
    "densenet121": lambda: torchvision.models.densenet121(num_classes=10),
    "regnet_x_400mf": lambda: torchvision.models.regnet_x_400mf(num_classes=10),
    "squeezenet1_1": lambda: torchvision.models.squeezenet1_1(num_classes=10),
    "shufflenet_v2_x0_5": lambda: torchvision.models.shufflenet_v2_x0_5(num_classes=10),
}

root = pathlib.Path(__file__).resolve().parent.parent
out = root / "src/test/resources/onnx"
out.mkdir(parents=True, exist_ok=True)
with tempfile.TemporaryDirectory() as tmp:
    for name, make in MODELS.items():
        torch.manual_seed(0)
        model = make().eval()
        full = pathlib.Path(tmp) / f"{name}.onnx"
        torch.onnx.export(model, torch.randn(1, 3, 32, 32), str(full), opset_version=13,
                          training=torch.onnx.TrainingMode.PRESERVE, do_constant_folding=False,
                          input_names=["input"], output_names=["logits"])
        subprocess.run(["java", "-cp", str(root / "target/lib/*"), str(root / "tools/StripOnnxWeights.java"), str(full),
                        str(out / f"{name}.onnx"), f"torchvision {torchvision.__version__} {name}(num_classes=10)"],
                       check=True)
        print(name, (out / f"{name}.onnx").stat().st_size, "bytes")
