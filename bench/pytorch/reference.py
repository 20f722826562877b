"""PyTorch yardstick for ./labs bench: the same workloads, batch sizes and timing method (median
of timed steps after warm-up, random data), on the CPU.

    OMP_WAIT_POLICY=PASSIVE GOMP_SPINCOUNT=1000 /usr/bin/python3 bench/pytorch/reference.py [--threads 2] [--model mlp lenet ...]

PyTorch is only a yardstick here, never a dependency of the suite. On Debian:
apt-get install python3-torch libopenblas0-pthread
"""
import argparse
import json
import math
import statistics
import time

import torch
from torch import nn


def training_step(net, batch, classes=10):
    """One Adam step with softmax cross-entropy, as DL4J's MCXENT output layer."""
    return adam_step(net, nn.CrossEntropyLoss(), torch.rand(batch, 784), torch.randint(0, classes, (batch,)))


def adam_step(net, loss_fn, x, y, lr=1e-3, clip=None):
    optimizer = torch.optim.Adam(net.parameters(), lr=lr)

    def step():
        optimizer.zero_grad()
        loss_fn(net(x), y).backward()
        if clip is not None:
            nn.utils.clip_grad_value_(net.parameters(), clip)  # as DL4J's element-wise clipping
        optimizer.step()

    return step


def mlp():
    net = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
    return training_step(net, 128), 128


def lenet():
    # Same as LeNetBench: convolutions without activation, ReLU on the dense layer.
    net = nn.Sequential(nn.Unflatten(1, (1, 28, 28)),
                        nn.Conv2d(1, 20, 5), nn.MaxPool2d(2),
                        nn.Conv2d(20, 50, 5), nn.MaxPool2d(2),
                        nn.Flatten(), nn.Linear(50 * 4 * 4, 500), nn.ReLU(),
                        nn.Linear(500, 10))
    return training_step(net, 64), 64


def dae_dense(code=64, batch=128):
    """The autoencoder app's dense network (AutoencoderModel), sigmoid output, mean squared error."""
    net = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, code),
                        nn.Linear(code, 256), nn.ReLU(), nn.Linear(256, 784), nn.Sigmoid())
    return adam_step(net, nn.MSELoss(), torch.rand(batch, 784), torch.rand(batch, 784)), batch


def dae_conv(code=64, batch=128):
    # 'same' 3x3 convolutions, as ConvolutionMode.Same; nearest-neighbour upsampling, as Upsampling2D.
    net = nn.Sequential(nn.Unflatten(1, (1, 28, 28)),
                        nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                        nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                        nn.Flatten(), nn.Linear(32 * 7 * 7, code),
                        nn.Linear(code, 32 * 7 * 7), nn.ReLU(), nn.Unflatten(1, (32, 7, 7)),
                        nn.Upsample(scale_factor=2), nn.Conv2d(32, 16, 3, padding=1), nn.ReLU(),
                        nn.Upsample(scale_factor=2), nn.Conv2d(16, 1, 3, padding=1),
                        nn.Flatten(), nn.Sigmoid())
    return adam_step(net, nn.MSELoss(), torch.rand(batch, 784), torch.rand(batch, 784)), batch


class LstmClassifier(nn.Module):
    """The lstm-sequence app's classifier: 2 x LSTM 64, the last time step, 6 classes."""

    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(input_size=1, hidden_size=64, num_layers=2, batch_first=True)
        self.out = nn.Linear(64, 6)

    def forward(self, x):
        steps, _ = self.lstm(x)
        return self.out(steps[:, -1, :])


def lstm_classify(batch=64):
    return adam_step(LstmClassifier(), nn.CrossEntropyLoss(), torch.rand(batch, 60, 1),
                     torch.randint(0, 6, (batch,)), lr=5e-3, clip=1.0), batch


def fractional_max_pool(n, c, h, w):
    """Forward and backward of FractionalMaxPool2d, PyTorch's only FMP variant (pseudo-random,
    overlapping 2x2 windows per example and channel), sized like the suite's layer at alpha = sqrt 2,
    which rounds (35 -> 25, 16 -> 11)."""
    out_size = (round(h / math.sqrt(2)), round(w / math.sqrt(2)))
    pool = nn.FractionalMaxPool2d(kernel_size=2, output_size=out_size)
    x = torch.rand((n, c, h, w), requires_grad=True)
    grad_out = torch.rand((n, c) + out_size)

    def step():
        x.grad = None
        pool(x).backward(grad_out)

    return step, n


def cifar_standard_net(width=16, blocks=3, dropout=0.2):
    """cifar-cnn's standard CNN on rows of 3x32x32 values: blocks of (conv3x3-BN-ReLU) x2, max-pool, dropout;
    global average pool."""
    layers, channels = [nn.Unflatten(1, (3, 32, 32))], 3
    for block in range(blocks):
        filters = width * 2 ** block
        for _ in range(2):
            layers += [nn.Conv2d(channels, filters, 3, padding=1, bias=False), nn.BatchNorm2d(filters), nn.ReLU()]
            channels = filters
        layers += [nn.MaxPool2d(2), nn.Dropout(dropout)]
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(channels, 10)]
    return nn.Sequential(*layers)


class _Residual(nn.Module):
    def __init__(self, branch):
        super().__init__()
        self.branch = branch

    def forward(self, x):
        return x + self.branch(x)


def cifar_resnet_net(width=16):
    """cifar-cnn's residual network (Page's ResNet-9 at `width`): prep, layer1 + res1, layer2, layer3 + res3,
    each step conv3x3-BN-ReLU, the layers ending in 2x2 max-pooling; global average pool, linear."""
    def step(channels_in, channels_out):
        return [nn.Conv2d(channels_in, channels_out, 3, padding=1, bias=False), nn.BatchNorm2d(channels_out),
                nn.ReLU()]

    def residual(channels):
        return _Residual(nn.Sequential(*step(channels, channels), *step(channels, channels)))

    w = width
    return nn.Sequential(nn.Unflatten(1, (3, 32, 32)), *step(3, w),
                         *step(w, 2 * w), nn.MaxPool2d(2), residual(2 * w),
                         *step(2 * w, 4 * w), nn.MaxPool2d(2),
                         *step(4 * w, 8 * w), nn.MaxPool2d(2), residual(8 * w),
                         nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8 * w, 10))


def cifar_resnet_step(width=16, batch=256):
    """One step of SGD with Nesterov momentum and weight decay, softmax cross-entropy, on random images."""
    net = cifar_resnet_net(width)
    optimizer = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9, nesterov=True, weight_decay=5e-4)
    loss_fn = nn.CrossEntropyLoss()
    x, y = torch.rand(batch, 3 * 32 * 32), torch.randint(0, 10, (batch,))

    def step():
        optimizer.zero_grad()
        loss_fn(net(x), y).backward()
        optimizer.step()

    return step


def cifar_standard(width=16, blocks=3, dropout=0.2, batch=64):
    return cifar_step(cifar_standard_net(width, blocks, dropout), batch), batch


def cifar_fmp_net(stages=6, k=16, dropout=0.1, side=32):
    """cifar-cnn's CPU FMP network (k n C2 - FMP sqrt 2) x 6 - C2 - C1, with PyTorch's FractionalMaxPool2d
    (2x2 windows) set to the suite's output sizes, round(n / sqrt 2)."""
    layers, channels = [nn.Unflatten(1, (3, 32, 32))], 3
    for stage in range(1, stages + 1):
        side -= 1  # the 2x2 convolution
        side_out = max(1, math.floor(side / math.sqrt(2) + 0.5))
        layers += [nn.Dropout(dropout * stage / (stages + 1)), nn.Conv2d(channels, k * stage, 2),
                   nn.LeakyReLU(1 / 3), nn.FractionalMaxPool2d(2, output_size=side_out)]
        channels, side = k * stage, side_out
    layers += [nn.Dropout(dropout), nn.Conv2d(channels, k * (stages + 1), 2), nn.LeakyReLU(1 / 3),
               nn.Flatten(), nn.Linear(k * (stages + 1), 10)]
    return nn.Sequential(*layers)


def cifar_fmp(batch=64):
    return cifar_step(cifar_fmp_net(), batch), batch


def cats_dogs(size=150, batch=32):
    """cats-dogs' Keras network: conv 32-64-128-128 ('same', ReLU) each with 2x2 max-pooling, dropout 0.5,
    dense 512 and 128, softmax over two classes, Adam 5e-4."""
    layers, channels, side = [nn.Unflatten(1, (3, size, size))], 3, size
    for filters in (32, 64, 128, 128):
        layers += [nn.Conv2d(channels, filters, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2)]
        channels, side = filters, side // 2
    layers += [nn.Flatten(), nn.Dropout(0.5), nn.Linear(channels * side * side, 512), nn.ReLU(),
               nn.Linear(512, 128), nn.ReLU(), nn.Linear(128, 2)]
    step = adam_step(nn.Sequential(*layers), nn.CrossEntropyLoss(), torch.rand(batch, 3 * size * size),
                     torch.randint(0, 2, (batch,)), lr=5e-4)
    return step, batch


def vgg16_features(size, batch=32):
    """transfer-vgg16's featurizing: VGG16's base (torchvision's vgg16().features, full width) forward to
    block5_pool, in inference mode, on random photos."""
    layers, channels = [], 3
    for block, filters in enumerate((64, 128, 256, 512, 512)):
        for _ in range(2 if block < 2 else 3):
            layers += [nn.Conv2d(channels, filters, 3, padding=1), nn.ReLU(inplace=True)]
            channels = filters
        layers.append(nn.MaxPool2d(2))
    net = nn.Sequential(*layers).eval()
    x = torch.rand(batch, 3, size, size)

    def step():
        with torch.no_grad():
            net(x)

    return step, batch


def cifar_step(net, batch):
    """One Adam step with softmax cross-entropy on random 32x32x3 images."""
    step = adam_step(net, nn.CrossEntropyLoss(), torch.rand(batch, 3 * 32 * 32), torch.randint(0, 10, (batch,)))
    return step


MODELS = {
    "mlp": mlp,
    "lenet": lenet,
    "fmp": lambda: fractional_max_pool(64, 32, 35, 35),
    "fmp-96": lambda: fractional_max_pool(64, 96, 16, 16),
    "dae-dense": dae_dense,
    "dae-conv": dae_conv,
    "lstm-classify": lstm_classify,
    "cifar-resnet": lambda: (cifar_resnet_step(), 256),
    "cifar-standard": cifar_standard,
    "cifar-fmp": cifar_fmp,
    "cats-dogs": cats_dogs,
    "vgg16-features-32": lambda: vgg16_features(32),
    "vgg16-features-150": lambda: vgg16_features(150),
}


def bench(name, warmup, iterations):
    torch.manual_seed(42)
    step, batch = MODELS[name]()
    for _ in range(warmup):
        step()
    times = []
    for _ in range(iterations):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    median = statistics.median(times)
    return {"model": name, "batch": batch, "examples_per_second": round(batch / median, 1),
            "median_step_ms": round(median * 1e3, 2), "backend": f"pytorch {torch.__version__} cpu",
            "threads": torch.get_num_threads()}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", nargs="+", default=list(MODELS), choices=list(MODELS))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--iterations", type=int, default=50)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    for name in args.model:
        print(json.dumps(bench(name, args.warmup, args.iterations)))


if __name__ == "__main__":
    main()
