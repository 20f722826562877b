"""PyTorch twin of `./labs autoencoder train --data DIR [--model conv]`, end to end: MNIST's IDX files
as pixels in 0..1, Gaussian noise of deviation 0.3 (clipped to 0..1) drawn afresh for every training
batch, the clean digits as targets, squared error, Adam at 1e-3, batch 128, 10 epochs, a new order
each epoch, the loss on a fixed noisy copy of the test set after every epoch, and at the end the PSNR
of noisy and denoised test digits at noise 0.15, 0.3 and 0.6.

- dense (default): 784-256-64-256-784, ReLU, a linear code, sigmoid output.
- conv: conv3x3 16, max-pool, conv3x3 32, max-pool, dense 64 (the code), dense 1568, 2x upsampling,
  conv3x3 16, 2x upsampling, conv3x3 1 with a sigmoid; ReLU elsewhere, "same" padding.

Weights start as He-normal (DL4J's WeightInit.RELU), the dense output layer as Xavier. It prints one
JSON line whose train_seconds counts what report.json's does: the mini-batch loops, the noise
included, not loading or scoring.

    OMP_WAIT_POLICY=PASSIVE GOMP_SPINCOUNT=1000 /usr/bin/python3 bench/pytorch/autoencoder.py --data DIR [--model conv] [--epochs 10]

A yardstick only, never a dependency of the suite (apt-get install python3-torch libopenblas0-pthread).
"""
import json
import math
import time

import torch
from torch import nn

from e2e import arguments, parse
from mnist_mlp import idx


def digits(directory, images):
    return torch.from_numpy(idx(directory, images).reshape(-1, 784).astype("float32") / 255)


def noisy(images, level, generator=None):
    return (images + level * torch.randn(images.shape, generator=generator)).clamp_(0, 1)


def dense():
    return nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 64), nn.Linear(64, 256), nn.ReLU(),
                         nn.Linear(256, 784), nn.Sigmoid())


def conv():
    same = dict(kernel_size=3, padding=1)
    return nn.Sequential(nn.Unflatten(1, (1, 28, 28)),
                         nn.Conv2d(1, 16, **same), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(16, 32, **same), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(32 * 7 * 7, 64), nn.Linear(64, 32 * 7 * 7), nn.ReLU(),
                         nn.Unflatten(1, (32, 7, 7)), nn.Upsample(scale_factor=2),
                         nn.Conv2d(32, 16, **same), nn.ReLU(), nn.Upsample(scale_factor=2),
                         nn.Conv2d(16, 1, **same), nn.Sigmoid(), nn.Flatten())


def initialise(net):
    layers = [m for m in net if isinstance(m, (nn.Linear, nn.Conv2d))]
    for layer in layers:
        nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")
        nn.init.zeros_(layer.bias)
    if isinstance(layers[-1], nn.Linear):
        nn.init.xavier_normal_(layers[-1].weight)
    return net


def psnr(mse):
    return 10 * math.log10(1 / mse)


def main():
    parser = arguments(__doc__)
    parser.add_argument("--data", required=True)
    parser.add_argument("--model", choices=["dense", "conv"], default="dense")
    parser.add_argument("--epochs", type=int, default=10)
    args = parse(parser)

    train_images = digits(args.data, "train-images-idx3-ubyte")
    test_images = digits(args.data, "t10k-images-idx3-ubyte")
    fixed = torch.Generator().manual_seed(args.seed + 1)
    noisy_test = noisy(test_images, 0.3, fixed)
    net = initialise(dense() if args.model == "dense" else conv())
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-3)
    loss_fn = nn.MSELoss()
    batch = 128
    train_seconds = 0.0

    def denoise(images):
        with torch.no_grad():
            return torch.cat([net(images[i:i + 512]) for i in range(0, len(images), 512)])

    for epoch in range(1, args.epochs + 1):
        net.train()
        start = time.perf_counter()
        order = torch.randperm(len(train_images))
        loss_sum = 0.0
        for first in range(0, len(order), batch):
            clean = train_images[order[first:first + batch]]
            optimizer.zero_grad()
            loss = loss_fn(net(noisy(clean, 0.3)), clean)
            loss.backward()
            optimizer.step()
            loss_sum += loss.item() * len(clean)
        seconds = time.perf_counter() - start
        train_seconds += seconds
        net.eval()
        test_loss = loss_fn(denoise(noisy_test), test_images).item()
        print(f"epoch {epoch}/{args.epochs}  train loss {loss_sum / len(order):.4f}  test loss {test_loss:.4f}"
              f"  ({seconds:.1f} s)", flush=True)
    gains = {}
    for level in (0.15, 0.3, 0.6):
        corrupted = noisy(test_images, level, torch.Generator().manual_seed(args.seed + 1))
        before = psnr(loss_fn(corrupted, test_images).item())
        after = psnr(loss_fn(denoise(corrupted), test_images).item())
        gains[str(level)] = round(after - before, 2)
        print(f"noise {level}: {before:.2f} dB noisy, {after:.2f} dB denoised ({after - before:+.2f})")
    print(json.dumps({"app": "autoencoder " + args.model, "peer": "pytorch " + torch.__version__,
                      "epochs": args.epochs, "train_seconds": round(train_seconds, 2), "gain_db": gains}))


if __name__ == "__main__":
    main()
