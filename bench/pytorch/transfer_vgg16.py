"""PyTorch twin of `./labs transfer-vgg16 train --weights self --data DIR`, end to end, feature
extraction as the app's default run does it offline: photos in one folder per class, decoded once
(files that cannot be are skipped), squashed to 150x150; a seeded split of half / a quarter / the
rest of the smallest class's photos per class (training, validation, test); the suite's
self-pretrained quarter-width VGG16 base (16, 32, 64, 128, 128 filters) read from the same Keras
HDF5 file, fed as Keras' VGG16 is (BGR, 0..255, ImageNet's channel means subtracted); the base's
block5_pool outputs computed once for every photo; then the head alone: flatten, dense 256 (ReLU),
dropout 0.5, two outputs, He weights and a Xavier output layer, Adam at 0.001, batch 32, 20 epochs,
the validation photos scored after every epoch; at the end the test accuracy.

It prints one JSON line whose train_seconds counts what report.json's does: the head's mini-batch
loops, not decoding or the base's outputs.

    OMP_WAIT_POLICY=PASSIVE GOMP_SPINCOUNT=1000 /usr/bin/python3 bench/pytorch/transfer_vgg16.py --data DIR [--weights FILE]

The default DIR of the app's offline run is ~/.dl4j-labs/data/generated-pets/v2-400-seed42 and the
default FILE ~/.dl4j-labs/data/vgg16-self/vgg16-quarter-generated-shapes-v1.h5 (`./labs
transfer-vgg16 pretrain` writes it). Needs h5py (Debian's python3-h5py) besides PyTorch. A yardstick
only, never a dependency of the suite.
"""
import os

import h5py
import numpy as np
import torch
from torch import nn

from cats_dogs import decode, photos
from e2e import arguments, parse, train

BLOCKS = (2, 2, 3, 3, 3)
BGR_MEANS = torch.tensor([103.939, 116.779, 123.68]).view(1, 3, 1, 1)
DEFAULT_WEIGHTS = os.path.expanduser("~/.dl4j-labs/data/vgg16-self/vgg16-quarter-generated-shapes-v1.h5")


def base(weights_file):
    """The VGG16 base up to block5_pool with the file's weights (Keras kernels are [kH, kW, in, out])."""
    layers = []
    with h5py.File(weights_file, "r") as weights:
        for block, convolutions in enumerate(BLOCKS, start=1):
            for index in range(1, convolutions + 1):
                name = f"block{block}_conv{index}"
                kernel = torch.from_numpy(np.array(weights[name][name]["kernel:0"])).permute(3, 2, 0, 1)
                conv = nn.Conv2d(kernel.shape[1], kernel.shape[0], 3, padding=1)
                conv.weight.data.copy_(kernel)
                conv.bias.data.copy_(torch.from_numpy(np.array(weights[name][name]["bias:0"])))
                layers += [conv, nn.ReLU()]
            layers.append(nn.MaxPool2d(2))
    return nn.Sequential(*layers).eval()


def split(files, seed):
    """Decodes every photo; per class half of the smallest class's usable photos, a quarter, the rest."""
    usable = [(pixels, label) for pixels, label in ((decode(path), label) for path, label in files)
              if pixels is not None]
    labels = sorted({label for _, label in usable})
    per_class = min(sum(1 for _, label in usable if label == c) for c in labels)
    train_count, validation_count = per_class // 2, per_class // 4
    rng = np.random.default_rng(seed)
    parts = [[], [], []]
    for c in labels:
        members = [item for item in usable if item[1] == c]
        order = rng.permutation(len(members))[:per_class]
        bounds = (0, train_count, train_count + validation_count, per_class)
        for part in range(3):
            parts[part] += [members[i] for i in order[bounds[part]:bounds[part + 1]]]
    return parts


def vgg_input(part):
    rgb = torch.from_numpy(np.stack([pixels for pixels, _ in part])).permute(0, 3, 1, 2).float()
    return rgb.flip(1) - BGR_MEANS, torch.tensor([label for _, label in part])


def features(net, x):
    with torch.no_grad():
        return torch.cat([net(x[i:i + 32]).flatten(1) for i in range(0, len(x), 32)])


def head(inputs, classes):
    net = nn.Sequential(nn.Linear(inputs, 256), nn.ReLU(), nn.Dropout(0.5), nn.Linear(256, classes))
    nn.init.kaiming_normal_(net[0].weight, nonlinearity="relu")
    nn.init.xavier_normal_(net[3].weight)
    for layer in (net[0], net[3]):
        nn.init.zeros_(layer.bias)
    return net


def main():
    parser = arguments(__doc__)
    parser.add_argument("--data", required=True)
    parser.add_argument("--weights", default=DEFAULT_WEIGHTS)
    parser.add_argument("--epochs", type=int, default=20)
    args = parse(parser)

    classes, files = photos(args.data)
    train_part, validation_part, test_part = (vgg_input(part) for part in split(files, args.seed))
    print(f"split: {len(train_part[0])} training, {len(validation_part[0])} validation, {len(test_part[0])} test photos",
          flush=True)
    vgg = base(args.weights)
    (f_train, y_train), (f_val, y_val), (f_test, y_test) = ((features(vgg, x), y)
                                                           for x, y in (train_part, validation_part, test_part))
    net = head(f_train.shape[1], len(classes))
    optimizer = torch.optim.Adam(net.parameters(), lr=0.001)

    def test_accuracy(trained):
        trained.eval()
        with torch.no_grad():
            return {"test_accuracy": round((trained(f_test).argmax(1) == y_test).float().mean().item(), 4)}

    train("transfer-vgg16", net, optimizer, (f_train, y_train), (f_val, y_val), args.epochs, 32, results=test_accuracy)


if __name__ == "__main__":
    main()
