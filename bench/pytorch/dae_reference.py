"""PyTorch yardstick for ./labs bench --model dae-dense,dae-conv: the autoencoder app's two
networks (AutoencoderModel, bottleneck 64), sigmoid output, mean squared error, Adam 1e-3,
batch 128, timed like reference.py (median of training steps after warm-up, random data).

    /usr/bin/python3 bench/pytorch/dae_reference.py [--threads 2] [--model dae-dense dae-conv]
"""
import argparse
import json
import statistics
import time

import torch
from torch import nn

BATCH = 128
CODE = 64


def dae_dense():
    return nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, CODE),
                         nn.Linear(CODE, 256), nn.ReLU(), nn.Linear(256, 784), nn.Sigmoid())


def dae_conv():
    # 'same' 3x3 convolutions, as ConvolutionMode.Same; nearest-neighbour upsampling, as Upsampling2D.
    return nn.Sequential(nn.Unflatten(1, (1, 28, 28)),
                         nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(32 * 7 * 7, CODE),
                         nn.Linear(CODE, 32 * 7 * 7), nn.ReLU(), nn.Unflatten(1, (32, 7, 7)),
                         nn.Upsample(scale_factor=2), nn.Conv2d(32, 16, 3, padding=1), nn.ReLU(),
                         nn.Upsample(scale_factor=2), nn.Conv2d(16, 1, 3, padding=1),
                         nn.Flatten(), nn.Sigmoid())


MODELS = {"dae-dense": dae_dense, "dae-conv": dae_conv}


def bench(name, warmup, iterations):
    torch.manual_seed(42)
    net = MODELS[name]()
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-3)
    loss_fn = nn.MSELoss()
    x = torch.rand(BATCH, 784)
    y = torch.rand(BATCH, 784)

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
    parser.add_argument("--threads", type=int, default=0, help="0 = PyTorch's default")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--iterations", type=int, default=20)
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    for name in args.model:
        print(json.dumps(bench(name, args.warmup, args.iterations)))


if __name__ == "__main__":
    main()
