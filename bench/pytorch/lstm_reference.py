"""PyTorch yardstick for ./labs bench --model lstm-classify: 2 stacked LSTM layers of 64 units on
60-step univariate series, the last step into a 6-class softmax, Adam, batch 64, random data.
Same timing method as reference.py (median of timed training steps after warm-up, on the CPU).

    /usr/bin/python3 bench/pytorch/lstm_reference.py [--threads 2]
"""
import argparse
import json
import statistics
import time

import torch
from torch import nn


class LstmClassifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(input_size=1, hidden_size=64, num_layers=2, batch_first=True)
        self.out = nn.Linear(64, 6)

    def forward(self, x):
        steps, _ = self.lstm(x)
        return self.out(steps[:, -1, :])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=0, help="0 = PyTorch's default")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--iterations", type=int, default=50)
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(42)
    net = LstmClassifier()
    optimizer = torch.optim.Adam(net.parameters(), lr=5e-3)
    loss_fn = nn.CrossEntropyLoss()
    batch = 64
    x = torch.rand(batch, 60, 1)
    y = torch.randint(0, 6, (batch,))

    def step():
        optimizer.zero_grad()
        loss_fn(net(x), y).backward()
        nn.utils.clip_grad_value_(net.parameters(), 1.0)  # as the DL4J model's element-wise clipping
        optimizer.step()

    for _ in range(args.warmup):
        step()
    times = []
    for _ in range(args.iterations):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    median = statistics.median(times)
    print(json.dumps({"model": "lstm-classify", "batch": batch, "examples_per_second": round(batch / median, 1),
                      "median_step_ms": round(median * 1e3, 2), "backend": f"pytorch {torch.__version__} cpu",
                      "threads": torch.get_num_threads()}))


if __name__ == "__main__":
    main()
