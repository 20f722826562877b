"""PyTorch twin of `./labs cifar-cnn train --data DIR [--model small|fmp]`, end to end: CIFAR-10's binary
files, each channel standardized by the training set's mean and deviation, the same network, random
shifts of up to 4 pixels and left-right flips of every training batch, a new order each epoch, the
test set scored after every epoch.

- resnet (default; reference.cifar_resnet_net): SGD with Nesterov momentum 0.9 and weight decay 5e-4,
  batch 256, 26 epochs, the learning rate on DL4J's CycleSchedule as cifar-cnn sets it (0.02 up to
  0.2 over 45 % of the steps, back over 45 %, then a hundredfold down), label smoothing 0.2.
- small (reference.cifar_standard_net): Adam at 0.003, batch 64, 10 epochs.
- fmp (reference.cifar_fmp_net, the cifar_cpu preset, with PyTorch's random fractional max-pooling
  where ours is pseudo-random and overlapping): Adam at 0.003, batch 64, 10 epochs.

It prints one JSON line whose train_seconds counts what report.json's does: the mini-batch loops,
augmentation included, not loading or scoring.

    OMP_WAIT_POLICY=PASSIVE GOMP_SPINCOUNT=1000 /usr/bin/python3 bench/pytorch/cifar_cnn.py --data DIR [--model small|fmp] [--epochs N]

A yardstick only, never a dependency of the suite.
"""
import os

import numpy as np
import torch
from torch import nn

from e2e import arguments, parse, train
from reference import cifar_fmp_net, cifar_resnet_net, cifar_standard_net

RECORD = 1 + 3 * 32 * 32


def read(directory, names):
    records = np.concatenate([np.fromfile(os.path.join(directory, name), dtype=np.uint8).reshape(-1, RECORD)
                              for name in names])
    return torch.from_numpy(records[:, 1:].astype(np.float32) / 255), torch.from_numpy(records[:, 0].astype(np.int64))


def standardize(train, test):
    planes = train.view(-1, 3, 1024)
    mean = planes.mean(dim=(0, 2)).repeat_interleave(1024)
    std = planes.std(dim=(0, 2)).repeat_interleave(1024)
    return (train - mean) / std, (test - mean) / std


def augment(rows, generator):
    """Each image shifted by up to 4 pixels (zeros come in) and flipped left-right half the time."""
    images = nn.functional.pad(rows.view(-1, 3, 32, 32), (4, 4, 4, 4))
    shifts = torch.randint(0, 9, (len(rows), 2), generator=generator)
    flips = torch.rand(len(rows), generator=generator) < 0.5
    out = torch.empty(len(rows), 3, 32, 32)
    for i in range(len(rows)):
        y, x = shifts[i].tolist()
        crop = images[i, :, y:y + 32, x:x + 32]
        out[i] = crop.flip(2) if flips[i] else crop
    return out.reshape(len(rows), -1)


def main():
    parser = arguments(__doc__)
    parser.add_argument("--data", required=True, help="the directory with data_batch_1.bin ... test_batch.bin")
    parser.add_argument("--model", choices=["resnet", "small", "fmp"], default="resnet")
    parser.add_argument("--epochs", type=int)
    parser.add_argument("--batch", type=int)
    args = parse(parser)
    generator = torch.Generator().manual_seed(args.seed)

    x_train, y_train = read(args.data, [f"data_batch_{i}.bin" for i in range(1, 6)])
    x_test, y_test = read(args.data, ["test_batch.bin"])
    x_train, x_test = standardize(x_train, x_test)
    augmentation = lambda rows: augment(rows, generator)
    if args.model in ("small", "fmp"):
        net = cifar_standard_net() if args.model == "small" else cifar_fmp_net()
        optimizer = torch.optim.Adam(net.parameters(), lr=3e-3)
        train("cifar-cnn", net, optimizer, (x_train, y_train), (x_test, y_test), args.epochs or 10,
              args.batch or 64, augment=augmentation)
        return
    epochs, batch = args.epochs or 26, args.batch or 256
    net = cifar_resnet_net()
    optimizer = torch.optim.SGD(net.parameters(), lr=0.2, momentum=0.9, nesterov=True, weight_decay=5e-4)
    steps = epochs * -(-len(x_train) // batch)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda step: one_cycle(step, steps) / 0.2)
    train("cifar-cnn", net, optimizer, (x_train, y_train), (x_test, y_test), epochs, batch, schedule=schedule,
          augment=augmentation, label_smoothing=0.2)


def one_cycle(step, steps, peak=0.2):
    """DL4J's CycleSchedule as cifar-cnn builds it: a tenth of the peak up to the peak and back over 90 %
    of the steps, then down by a factor of 100 over the last 10 %."""
    annealing = max(1, steps // 10)
    half = (steps - annealing) // 2
    low = peak / 10
    if step < half:
        return low + (peak - low) * step / half
    if step < 2 * half:
        return peak - (peak - low) * (step - half) / half
    return low * 0.01 ** ((annealing - (steps - step)) / annealing)


if __name__ == "__main__":
    main()
