#!/usr/bin/python3
"""Makes the ONNX test fixtures of `msrs --onnx` (src/test/resources/onnx/) from torchvision's own model code.

How they are made (run from the repository root: /usr/bin/python3 src/test/onnx/make_fixtures.py):
- Debian's python3-torch 1.13 / python3-torchvision 0.14, random weights from a fixed seed (nothing is downloaded),
  torch.onnx.export at opset 13 in eval mode (PyTorch folds each BatchNorm into its conv), batch axis dynamic.
- To stay under 2 MB each, the networks are torchvision's classes at reduced width on 3 x 64 x 64 images:
  resnet18: torchvision.models.resnet.ResNet with BasicBlock [2, 2, 2, 2], widths 8/16/32/64 (1/8 of 64..512);
  vgg11_bn: torchvision.models.vgg.VGG on make_layers(config "A" at 1/8 width, batch_norm=True), with a 1 x 1
            average pool and a 64-64-10 classifier (the 7 x 7 pool and 4096-wide classifier alone are 480 MB);
  mobilenet_v2: torchvision.models.mobilenet_v2(width_mult=0.25, num_classes=10), unchanged otherwise.
- images.npy: 32 random images (float32, 32 x 3 x 64 x 64, standard normal).
- <model>-hooks/NN_<module>.npy: the outputs of the expected units, captured with PyTorch forward hooks on the same
  32 images and averaged over height and width (32 x C), computed in float64: resnet18's 8 BasicBlocks (after their final ReLU),
  vgg11_bn's 8 ReLUs after conv-BN, mobilenet_v2's InvertedResidual blocks that add their input (use_res_connect: 11 at this width).
  The Java tests compute CKA on these with our engine and compare it with what `msrs --onnx` captures itself.

With --full DIR it also writes DIR/resnet18-224.onnx (torchvision's full ResNet-18, random weights, 45 MB) and
DIR/images-224.npy (640 images) for `bin/redtest bench onnx-msrs` and the README's example; these are not committed.
"""
import argparse
import os

import numpy as np
import torch
import torch.nn as nn
import torchvision
from torchvision.models.resnet import BasicBlock, ResNet
from torchvision.models.vgg import VGG, make_layers
from torchvision.models.mobilenetv2 import InvertedResidual

OPSET = 13
SIZE = 64
IMAGES = 32


class SlimResNet18(ResNet):
    """torchvision's ResNet-18 (BasicBlock, [2, 2, 2, 2]) with every width divided by 8."""

    def __init__(self, width=8, num_classes=10):
        super().__init__(BasicBlock, [2, 2, 2, 2], num_classes=num_classes)
        self.inplanes = width
        self.conv1 = nn.Conv2d(3, width, kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.layer1 = self._make_layer(BasicBlock, width, 2)
        self.layer2 = self._make_layer(BasicBlock, 2 * width, 2, stride=2)
        self.layer3 = self._make_layer(BasicBlock, 4 * width, 2, stride=2)
        self.layer4 = self._make_layer(BasicBlock, 8 * width, 2, stride=2)
        self.fc = nn.Linear(8 * width, num_classes)


def slim_vgg11_bn():
    config = [8, "M", 16, "M", 32, 32, "M", 64, 64, "M", 64, 64, "M"]
    model = VGG(make_layers(config, batch_norm=True), num_classes=10)
    model.avgpool = nn.AdaptiveAvgPool2d((1, 1))
    model.classifier = nn.Sequential(nn.Linear(64, 64), nn.ReLU(True), nn.Dropout(), nn.Linear(64, 64),
                                     nn.ReLU(True), nn.Dropout(), nn.Linear(64, 10))
    return model


def randomise_bn(model, generator):
    """Fresh BN layers are identities; random statistics make the folded convs and the CKA less trivial."""
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            with torch.no_grad():
                m.running_mean.copy_(torch.randn(m.num_features, generator=generator) * 0.1)
                m.running_var.copy_(torch.rand(m.num_features, generator=generator) + 0.5)
                m.weight.copy_(torch.rand(m.num_features, generator=generator) + 0.5)
                m.bias.copy_(torch.randn(m.num_features, generator=generator) * 0.1)


def units(name, model):
    if name == "resnet18":
        return [(n, m) for n, m in model.named_modules() if isinstance(m, BasicBlock)]
    if name == "vgg11_bn":
        return [("features." + n, m) for n, m in model.features.named_children() if isinstance(m, nn.ReLU)]
    return [(n, m) for n, m in model.named_modules() if isinstance(m, InvertedResidual) and m.use_res_connect]


def export(model, path, size, batch):
    example = torch.zeros(batch, 3, size, size)
    torch.onnx.export(model, example, path, opset_version=OPSET, input_names=["images"], output_names=["logits"],
                      dynamic_axes={"images": {0: "batch"}, "logits": {0: "batch"}}, do_constant_folding=True)


def dump_hooks(name, model, images, directory):
    os.makedirs(directory, exist_ok=True)
    for f in os.listdir(directory):
        os.remove(os.path.join(directory, f))
    captured = []
    handles = []
    for index, (module_name, module) in enumerate(units(name, model)):
        def hook(_module, _inputs, output, index=index, module_name=module_name):
            pooled = output.detach().mean(dim=(2, 3)).numpy()
            captured.append((f"{index:02d}_{module_name}", pooled))
        handles.append(module.register_forward_hook(hook))
    with torch.no_grad():  # in float64: the dumps are then the exact values that ONNX Runtime's float32 approximates
        model.double()(torch.from_numpy(images).double())
        model.float()
    for h in handles:
        h.remove()
    for file_name, pooled in captured:
        np.save(os.path.join(directory, file_name + ".npy"), pooled)
    return len(captured)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default="src/test/resources/onnx")
    parser.add_argument("--full", help="also write the full-size ResNet-18 and 640 images here (not committed)")
    args = parser.parse_args()
    torch.manual_seed(27)
    generator = torch.Generator().manual_seed(27)
    os.makedirs(args.out, exist_ok=True)
    images = torch.randn(IMAGES, 3, SIZE, SIZE, generator=generator).numpy().astype(np.float32)
    np.save(os.path.join(args.out, "images.npy"), images)
    models = {"resnet18": SlimResNet18(), "vgg11_bn": slim_vgg11_bn(),
              "mobilenet_v2": torchvision.models.mobilenet_v2(width_mult=0.25, num_classes=10)}
    for name, model in models.items():
        randomise_bn(model, generator)
        model.eval()
        path = os.path.join(args.out, name + ".onnx")
        export(model, path, SIZE, 2)
        count = dump_hooks(name, model, images, os.path.join(args.out, name + "-hooks"))
        print(f"{path}: {os.path.getsize(path)} bytes, {count} hooked units")
    if args.full:
        os.makedirs(args.full, exist_ok=True)
        full = torchvision.models.resnet18(weights=None)
        full.eval()
        export(full, os.path.join(args.full, "resnet18-224.onnx"), 224, 2)
        many = torch.randn(640, 3, 224, 224, generator=generator).numpy().astype(np.float32)
        np.save(os.path.join(args.full, "images-224.npy"), many)
        print("full-size ResNet-18 and 640 images in " + args.full)


if __name__ == "__main__":
    main()
