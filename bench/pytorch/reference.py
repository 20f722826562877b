"""PyTorch yardstick for ./labs bench: the same networks, batch sizes and timing method
(median of timed training steps after warm-up, random data), on the CPU.

    python3 bench/pytorch/reference.py [--threads 2] [--model mlp lenet]

PyTorch is only a yardstick here, never a dependency of the suite. On Debian:
apt-get install python3-torch libopenblas0-pthread
"""
import argparse
import json
import statistics
import time

import torch
from torch import nn


def mlp():
    return nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(),
                         nn.Linear(128, 10)), (128, 784)


def lenet():
    # Same as LeNetBench: convolutions without activation, ReLU on the dense layer.
    return nn.Sequential(nn.Unflatten(1, (1, 28, 28)),
                         nn.Conv2d(1, 20, 5), nn.MaxPool2d(2),
                         nn.Conv2d(20, 50, 5), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(50 * 4 * 4, 500), nn.ReLU(),
                         nn.Linear(500, 10)), (64, 784)


MODELS = {"mlp": mlp, "lenet": lenet}


def bench(name, warmup, iterations):
    torch.manual_seed(42)
    net, shape = MODELS[name]()
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()  # softmax + cross-entropy, as DL4J's MCXENT output layer
    x = torch.rand(shape)
    y = torch.randint(0, 10, (shape[0],))

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
    return {"model": name, "batch": shape[0], "examples_per_second": round(shape[0] / median, 1),
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
