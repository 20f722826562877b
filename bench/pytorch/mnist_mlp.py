"""PyTorch twin of `./labs mnist-mlp train --data DIR` (the default run), end to end: the same
files, network (784-512-256-10, ReLU, dropout 0.2, He initialisation), Adam at 1e-3 decayed by 0.8
over each epoch a little at every step, batch 128, 20 epochs, a new order each epoch, and the test set scored after every epoch. It prints one JSON line whose
train_seconds counts what report.json's does: the mini-batch loops, not loading or scoring.

    OMP_WAIT_POLICY=PASSIVE GOMP_SPINCOUNT=1000 /usr/bin/python3 bench/pytorch/mnist_mlp.py --data DIR [--epochs 20] [--threads 2]

A yardstick only, never a dependency of the suite (apt-get install python3-torch libopenblas0-pthread).
"""
import gzip
import os

import numpy as np
import torch
from torch import nn

from e2e import arguments, parse, train


def idx(directory, name):
    """An IDX file (MNIST's format), plain or gzipped, as a numpy array."""
    path = os.path.join(directory, name)
    opener = open if os.path.exists(path) else gzip.open
    with opener(path if os.path.exists(path) else path + ".gz", "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load(directory, images, labels):
    x = torch.from_numpy(idx(directory, images).reshape(-1, 784).astype(np.float32) / 255)
    y = torch.from_numpy(idx(directory, labels).astype(np.int64))
    return x, y


def network(dropout):
    net = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Dropout(dropout),
                        nn.Linear(512, 256), nn.ReLU(), nn.Dropout(dropout),
                        nn.Linear(256, 10))
    for layer in net:
        if isinstance(layer, nn.Linear):
            nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")
            nn.init.zeros_(layer.bias)
    return net


def main():
    parser = arguments(__doc__)
    parser.add_argument("--data", required=True)
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--lr-decay", type=float, default=0.8)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--dropout", type=float, default=0.2)
    args = parse(parser)

    x_train, y_train = load(args.data, "train-images-idx3-ubyte", "train-labels-idx1-ubyte")
    x_test, y_test = load(args.data, "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")
    net = network(args.dropout)
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-3)
    batches = (len(x_train) + args.batch - 1) // args.batch
    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda step: args.lr_decay ** (step / batches))
    train("mnist-mlp", net, optimizer, (x_train, y_train), (x_test, y_test), args.epochs, args.batch,
          schedule=schedule)


if __name__ == "__main__":
    main()
