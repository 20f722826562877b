"""PyTorch yardstick for ./labs bench --model fmp,fmp-96: PyTorch's FractionalMaxPool2d, forward
and backward on a random float32 batch of the same shape, timed the same way (median of timed
steps after warm-up).

    python3 bench/pytorch/fmp_reference.py [--threads 2] [--model fmp fmp-96]

PyTorch is only a yardstick, never a dependency of the suite. It has one FMP variant, pseudo-random
overlapping 2x2 windows drawn per example and channel; the output size is set to the one the suite's
layer gives at alpha = sqrt 2 (it rounds: 35 -> 25, 16 -> 11) so that both produce as much output.
"""
import argparse
import json
import math
import statistics
import time

import torch

SHAPES = {"fmp": (64, 32, 35, 35), "fmp-96": (64, 96, 16, 16)}


def bench(name, warmup, iterations):
    torch.manual_seed(42)
    n, c, h, w = SHAPES[name]
    out_size = (round(h / math.sqrt(2)), round(w / math.sqrt(2)))
    pool = torch.nn.FractionalMaxPool2d(kernel_size=2, output_size=out_size)
    x = torch.rand((n, c, h, w), requires_grad=True)
    grad_out = torch.rand((n, c) + out_size)

    def step():
        x.grad = None
        pool(x).backward(grad_out)

    for _ in range(warmup):
        step()
    times = []
    for _ in range(iterations):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    median = statistics.median(times)
    return {"model": name, "batch": n, "examples_per_second": round(n / median, 1),
            "median_step_ms": round(median * 1e3, 2), "min_step_ms": round(min(times) * 1e3, 2),
            "backend": f"pytorch {torch.__version__} cpu", "threads": torch.get_num_threads()}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", nargs="+", default=list(SHAPES), choices=list(SHAPES))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--iterations", type=int, default=200)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    for name in args.model:
        print(json.dumps(bench(name, args.warmup, args.iterations)))


if __name__ == "__main__":
    main()
