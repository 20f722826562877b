"""Times PyTorch's FractionalMaxPool2d, forward and backward, as a yardstick for the suite's
FractionalMaxPooling2D layer (./labs bench --model fmp and --model fmp-96).

PyTorch is not a dependency of the suite; this script only gives a figure to compare against.
PyTorch offers one FMP variant: pseudo-random, overlapping, fixed 2x2 windows, regions drawn per
example and channel. The output size is set to the one the suite's layer gives at alpha = sqrt(2)
(rounding: 35 -> 25, 16 -> 11), so both produce the same amount of output.

    python3 bench/pytorch/fmp_reference.py              # 2 threads, like the suite's machine
    python3 bench/pytorch/fmp_reference.py --threads 1
"""
import argparse
import math
import statistics
import time

import torch

SHAPES = {"fmp": (64, 32, 35, 35), "fmp-96": (64, 96, 16, 16)}


def time_step(shape, warmup, iterations):
    """Median seconds of one forward + backward pass over a random float32 batch of this shape."""
    n, c, h, w = shape
    out_size = (round(h / math.sqrt(2)), round(w / math.sqrt(2)))
    pool = torch.nn.FractionalMaxPool2d(kernel_size=2, output_size=out_size)
    x = torch.rand(shape, dtype=torch.float32, requires_grad=True)
    grad_out = torch.rand((n, c) + out_size, dtype=torch.float32)

    def step():
        x.grad = None
        pool(x).backward(grad_out)

    for _ in range(warmup):
        step()
    seconds = []
    for _ in range(iterations):
        start = time.perf_counter()
        step()
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=2, help="torch.set_num_threads (default 2)")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--iterations", type=int, default=100)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(12345)
    print(f"PyTorch {torch.__version__}, {torch.get_num_threads()} threads")
    for name, shape in SHAPES.items():
        seconds = time_step(shape, args.warmup, args.iterations)
        print(f"{name:7s} {str(list(shape)):18s} forward+backward {seconds * 1e3:7.2f} ms (median of "
              f"{args.iterations}), {shape[0] / seconds:9.0f} examples/s")


if __name__ == "__main__":
    main()
