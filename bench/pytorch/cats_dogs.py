"""PyTorch twin of `./labs cats-dogs train --data DIR`, end to end: photos in one folder per class
(PetImages' Cat/ and Dog/), each decoded once (files that cannot be are skipped), converted to RGB
and squashed to 150x150 pixels in 0..1; a seeded split of 1000 / 500 / 500 photos per class
(training, validation, test); the course's Keras network (conv 32, 64, 128, 128, 3x3, ReLU, same
padding, each followed by 2x2 max-pooling; dropout 0.5; dense 512 and 128, ReLU; two outputs), He
weights and a Xavier output layer, Adam at 0.0005, batch 32, 60 epochs; every training batch
flipped left to right at random, shifted by up to 15 pixels, turned by up to 20 degrees and scaled
by 0.8 to 1.2 about its centre (one affine resampling, bilinear, zeros outside, as the suite's
ImageAugmentation); the validation photos scored after every epoch; at the end the threshold on
P(dog) with the best validation accuracy, and the test accuracy at it and the ROC's AUC.

It prints one JSON line whose train_seconds counts what report.json's does: the mini-batch loops,
augmentation included, not decoding or scoring.

    OMP_WAIT_POLICY=PASSIVE GOMP_SPINCOUNT=1000 /usr/bin/python3 bench/pytorch/cats_dogs.py --data DIR [--epochs 60]

Decodes with Pillow (Debian's python3-pil), as torchvision is not packaged with Debian's PyTorch.
A yardstick only, never a dependency of the suite (apt-get install python3-torch libopenblas0-pthread).
"""
import json
import math
import os
import time

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from torch import nn

from e2e import arguments, parse

SIZE = 150


def photos(directory):
    classes = sorted(d for d in os.listdir(directory) if os.path.isdir(os.path.join(directory, d)))
    files = [(os.path.join(directory, name, f), label) for label, name in enumerate(classes)
             for f in sorted(os.listdir(os.path.join(directory, name)))]
    return classes, files


def decode(path):
    try:
        with Image.open(path) as image:
            return np.asarray(image.convert("RGB").resize((SIZE, SIZE), Image.BILINEAR), dtype=np.uint8)
    except Exception:  # 0-byte files, files that are not images, Thumbs.db
        return None


def split(files, classes, seed, parts=(1000, 500, 500)):
    rng = np.random.default_rng(seed)
    chosen = [[], [], []]
    for label in range(len(classes)):
        members = [f for f in files if f[1] == label]
        order = rng.permutation(len(members))
        start = 0
        for part, count in enumerate(parts):
            chosen[part] += [members[i] for i in order[start:start + count]]
            start += count
    return chosen


def tensors(files):
    images, labels = [], []
    for path, label in files:
        pixels = decode(path)
        if pixels is not None:
            images.append(pixels)
            labels.append(label)
    x = torch.from_numpy(np.stack(images)).permute(0, 3, 1, 2).float().div_(255)
    return x.contiguous(), torch.tensor(labels)


def network(classes):
    same = dict(kernel_size=3, padding=1)
    layers, channels = [], 3
    for filters in (32, 64, 128, 128):
        layers += [nn.Conv2d(channels, filters, **same), nn.ReLU(), nn.MaxPool2d(2)]
        channels = filters
    side = SIZE
    for _ in range(4):
        side //= 2
    net = nn.Sequential(*layers, nn.Flatten(), nn.Dropout(0.5), nn.Linear(128 * side * side, 512), nn.ReLU(),
                        nn.Linear(512, 128), nn.ReLU(), nn.Linear(128, classes))
    weighted = [m for m in net if isinstance(m, (nn.Conv2d, nn.Linear))]
    for layer in weighted:
        nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")
        nn.init.zeros_(layer.bias)
    nn.init.xavier_normal_(weighted[-1].weight)
    return net


def augment(x, generator):
    """Flip, shift up to a tenth of the side, turn up to 20 degrees, scale 0.8-1.2: one bilinear resampling."""
    n = len(x)
    uniform = lambda low, high: low + (high - low) * torch.rand(n, generator=generator)
    flip = torch.where(torch.rand(n, generator=generator) < 0.5, -1.0, 1.0)
    angle = uniform(-20.0, 20.0) * math.pi / 180
    scale = uniform(0.8, 1.2)
    shift = torch.randint(-(SIZE // 10), SIZE // 10 + 1, (n, 2), generator=generator).float() * 2 / SIZE
    cos, sin = torch.cos(angle) / scale, torch.sin(angle) / scale
    theta = torch.stack([torch.stack([cos * flip, -sin, shift[:, 0]], 1),
                         torch.stack([sin * flip, cos, shift[:, 1]], 1)], 1)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    return F.grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=False)


def probabilities(net, x):
    net.eval()
    with torch.no_grad():
        return torch.cat([torch.softmax(net(x[i:i + 64]), 1) for i in range(0, len(x), 64)])


def auc(scores, positive):
    order = np.argsort(scores)
    ranks = np.empty(len(scores))
    ranks[order] = np.arange(1, len(scores) + 1)
    p, n = positive.sum(), (~positive).sum()
    return float((ranks[positive].sum() - p * (p + 1) / 2) / (p * n))


def main():
    parser = arguments(__doc__)
    parser.add_argument("--data", required=True)
    parser.add_argument("--epochs", type=int, default=60)
    args = parse(parser)
    generator = torch.Generator().manual_seed(args.seed)

    classes, files = photos(args.data)
    (x_train, y_train), (x_val, y_val), (x_test, y_test) = (tensors(part) for part in split(files, classes, args.seed))
    print(f"split: {len(x_train)} training, {len(x_val)} validation, {len(x_test)} test photos", flush=True)

    net = network(len(classes))
    optimizer = torch.optim.Adam(net.parameters(), lr=0.0005)
    loss_fn = nn.CrossEntropyLoss()
    train_seconds = 0.0
    for epoch in range(1, args.epochs + 1):
        net.train()
        start = time.perf_counter()
        order = torch.randperm(len(x_train))
        loss_sum = 0.0
        for first in range(0, len(order), 32):
            rows = order[first:first + 32]
            optimizer.zero_grad()
            loss = loss_fn(net(augment(x_train[rows], generator)), y_train[rows])
            loss.backward()
            optimizer.step()
            loss_sum += loss.item() * len(rows)
        seconds = time.perf_counter() - start
        train_seconds += seconds
        p_val = probabilities(net, x_val)
        val_loss = F.nll_loss(torch.log(p_val.clamp_min(1e-12)), y_val).item()
        val_accuracy = (p_val.argmax(1) == y_val).float().mean().item()
        print(f"epoch {epoch}/{args.epochs}  train loss {loss_sum / len(order):.4f}  test loss {val_loss:.4f}"
              f"  test accuracy {100 * val_accuracy:.2f}%  ({seconds:.1f} s)", flush=True)

    dog_val = p_val[:, 1].numpy()
    candidates = np.unique(dog_val)
    accuracies = [((dog_val >= t) == (y_val.numpy() == 1)).mean() for t in candidates]
    threshold = float(candidates[int(np.argmax(accuracies))])
    dog_test = probabilities(net, x_test)[:, 1].numpy()
    positive = y_test.numpy() == 1
    accuracy = float(((dog_test >= threshold) == positive).mean())
    print(json.dumps({"app": "cats-dogs", "peer": "pytorch " + torch.__version__, "epochs": args.epochs,
                      "train_seconds": round(train_seconds, 2), "accuracy": round(accuracy, 4),
                      "threshold": round(threshold, 3), "auc": round(auc(dog_test, positive), 4)}))


if __name__ == "__main__":
    main()
