"""PyTorch yardstick for ./labs bench --model cifar-standard,cifar-fmp: the same two networks as
cifar-cnn's CnnModel, on random 32x32x3 batches of 64, timed like reference.py (median of timed
training steps with Adam after warm-up), on the CPU.

    /usr/bin/python3 bench/pytorch/cifar_reference.py [--threads 2] [--model cifar-standard cifar-fmp]

cifar-fmp uses PyTorch's FractionalMaxPool2d (2x2 windows, pseudo-random, per example and channel)
with the output sizes of the suite's layer (round(n / sqrt 2)), so both pool to the same sizes.
"""
import argparse
import json
import math
import statistics
import time

import torch
from torch import nn

BATCH = 64


def standard(width=16, blocks=3, dropout=0.2):
    layers, channels = [nn.Unflatten(1, (3, 32, 32))], 3
    for block in range(blocks):
        filters = width * 2 ** block
        for _ in range(2):
            layers += [nn.Conv2d(channels, filters, 3, padding=1, bias=False), nn.BatchNorm2d(filters), nn.ReLU()]
            channels = filters
        layers += [nn.MaxPool2d(2), nn.Dropout(dropout)]
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(channels, 10)]
    return nn.Sequential(*layers)


def fmp(stages=6, k=16, dropout=0.1, side=32):
    layers, channels = [nn.Unflatten(1, (3, 32, 32))], 3
    for stage in range(1, stages + 1):
        side -= 1  # the 2x2 convolution
        side_out = max(1, math.floor(side / math.sqrt(2) + 0.5))
        layers += [nn.Dropout(dropout * stage / (stages + 1)), nn.Conv2d(channels, k * stage, 2),
                   nn.LeakyReLU(1 / 3), nn.FractionalMaxPool2d(2, output_size=side_out)]
        channels, side = k * stage, side_out
    layers += [nn.Dropout(dropout), nn.Conv2d(channels, k * (stages + 1), 2), nn.LeakyReLU(1 / 3),
               nn.Conv2d(k * (stages + 1), 10, 1), nn.Flatten()]
    return nn.Sequential(*layers)


MODELS = {"cifar-standard": standard, "cifar-fmp": fmp}


def bench(name, warmup, iterations):
    torch.manual_seed(42)
    net = MODELS[name]()
    optimizer = torch.optim.Adam(net.parameters(), lr=3e-3)
    loss_fn = nn.CrossEntropyLoss()
    x = torch.rand((BATCH, 3 * 32 * 32))
    y = torch.randint(0, 10, (BATCH,))

    def step():
        optimizer.zero_grad()
        loss_fn(net(x), y).backward()
        optimizer.step()

    for _ in range(warmup):
        step()
    times = []
    for _ in range(iterations):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    median = statistics.median(times)
    return {"model": name, "batch": BATCH, "examples_per_second": round(BATCH / median, 1),
            "median_step_ms": round(median * 1e3, 2), "backend": f"pytorch {torch.__version__} cpu",
            "threads": torch.get_num_threads()}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", nargs="+", default=list(MODELS), choices=list(MODELS))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--iterations", type=int, default=20)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    for name in args.model:
        print(json.dumps(bench(name, args.warmup, args.iterations)))


if __name__ == "__main__":
    main()
