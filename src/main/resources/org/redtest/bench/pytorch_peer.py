"""PyTorch peer of `redtest bench pytorch-peer`: the same CIFAR ResNet, batch, optimiser and loss.

Run by the Java benchmark once per round and model; prints one JSON object per variant on stdout.
Usage: python3 pytorch_peer.py MODEL BATCH_SIZE BATCHES THREADS [DEVICE]   (MODEL: resnet20, resnet56, ...)
       python3 pytorch_peer.py export MODEL BATCH_SIZE FILE   (the same model, eval mode, as ONNX for ONNX Runtime)
DEVICE: cpu (default) or cuda (the GPU bundle's smoke test, beside `redtest bench gpu-peer`; TF32 allowed as
in our GPU engine, cuDNN's autotuner on, the GPU synchronised before each clock reading).
"""
import json
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class ShortcutA(nn.Module):
    """Option A: subsample by the stride, zero channels appended (no parameters)."""

    def __init__(self, stride, extra):
        super().__init__()
        self.stride, self.extra = stride, extra

    def forward(self, x):
        x = x[:, :, ::self.stride, ::self.stride]
        return F.pad(x, (0, 0, 0, 0, 0, self.extra)) if self.extra else x


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.shortcut = ShortcutA(stride, cout - cin) if (stride != 1 or cin != cout) else nn.Identity()

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + self.shortcut(x))


class CifarResNet(nn.Module):
    def __init__(self, blocks_per_stage, classes=10):
        super().__init__()
        self.conv = nn.Conv2d(3, 16, 3, 1, 1, bias=False)
        self.bn = nn.BatchNorm2d(16)
        layers, cin = [], 16
        for stage, width in enumerate((16, 32, 64)):
            for b in range(blocks_per_stage):
                stride = 2 if (stage > 0 and b == 0) else 1
                layers.append(BasicBlock(cin, width, stride))
                cin = width
        self.blocks = nn.Sequential(*layers)
        self.fc = nn.Linear(64, classes)

    def forward(self, x):
        x = F.relu(self.bn(self.conv(x)))
        x = self.blocks(x)
        x = F.adaptive_avg_pool2d(x, 1).flatten(1)
        return self.fc(x)


def resnet(model):
    depth = int(model[len("resnet"):])
    if (depth - 2) % 6:
        raise SystemExit("depth must be 6k+2: " + model)
    return CifarResNet((depth - 2) // 6)


def sync():
    if torch.cuda.is_available():
        torch.cuda.synchronize()


def train_rate(net, x, y, batches):
    opt = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9, nesterov=True, weight_decay=5e-4)
    loss_fn = nn.CrossEntropyLoss()
    net.train()

    def step():
        opt.zero_grad(set_to_none=True)
        loss_fn(net(x), y).backward()
        opt.step()

    step()
    step()
    sync()
    t0 = time.perf_counter()
    for _ in range(batches):
        step()
    sync()
    return batches * x.shape[0] / (time.perf_counter() - t0)


def infer_rate(fn, x, batches):
    with torch.no_grad():
        fn(x)
        fn(x)
        sync()
        t0 = time.perf_counter()
        for _ in range(batches):
            fn(x)
        sync()
    return batches * x.shape[0] / (time.perf_counter() - t0)


def export(model, batch, path):
    """The peer's model as ONNX (opset 13, fixed batch): ONNX Runtime runs exactly PyTorch's graph."""
    torch.manual_seed(1)
    net = resnet(model).eval()
    x = torch.rand(batch, 3, 32, 32)
    with torch.no_grad():
        torch.onnx.export(net, x, path, opset_version=13, input_names=["input"], output_names=["logits"])


def main():
    if sys.argv[1] == "export":
        export(sys.argv[2], int(sys.argv[3]), sys.argv[4])
        return
    model, batch, batches, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    device = torch.device(sys.argv[5] if len(sys.argv) > 5 else "cpu")
    if device.type == "cuda":
        torch.backends.cudnn.benchmark = True
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    x = torch.rand(batch, 3, 32, 32, device=device)
    y = torch.arange(batch, device=device) % 10
    for variant, memory_format in (("eager NCHW", torch.contiguous_format),
                                   ("eager channels_last", torch.channels_last)):
        net = resnet(model).to(device=device, memory_format=memory_format)
        xv = x.contiguous(memory_format=memory_format)
        train = train_rate(net, xv, y, batches)
        net.eval()
        infer = infer_rate(net, xv, batches)
        print(json.dumps({"variant": variant, "train": train, "infer": infer}), flush=True)
    net = resnet(model).to(device=device, memory_format=torch.channels_last).eval()
    xv = x.contiguous(memory_format=torch.channels_last)
    with torch.no_grad():
        frozen = torch.jit.freeze(torch.jit.trace(net, xv))
    print(json.dumps({"variant": "TorchScript frozen channels_last", "train": None,
                      "infer": infer_rate(frozen, xv, batches)}), flush=True)
    versions = {"torch": torch.__version__, "threads": torch.get_num_threads(),
                "onednn": torch.backends.mkldnn.is_available()}
    if device.type == "cuda":
        versions.update({"gpu": torch.cuda.get_device_name(device), "cuda": torch.version.cuda,
                         "cudnn": torch.backends.cudnn.version()})
    print(json.dumps({"versions": versions}), flush=True)


if __name__ == "__main__":
    main()
