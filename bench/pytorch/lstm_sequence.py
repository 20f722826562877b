"""PyTorch twin of `./labs lstm-sequence train`, end to end, for its three tasks. It prints one JSON
line whose train_seconds counts what report.json's does: the mini-batch loops, not loading, scoring
or sampling.

classify (the default run, `--data DIR` with the UCI file synthetic_control.data): 600 series of 60
steps in 6 classes, a stratified 80/20 split, standardized with the training series' mean and
deviation; 2 bidirectional LSTM layers of 64 units read at the last step, dropout 0.2 on the inputs of
the second LSTM and of the softmax layer, Adam at 0.005 decayed by 0.9 over each epoch a little at
every step, gradients clipped element-wise to 1, batch 32, 40 epochs, the test series scored after
every epoch.

generate (`--text FILE`): the text's characters one-hot, cut into sequences of 100 with the next
character as the label at every step, the last tenth held out; 2 LSTM layers of 128 units and a
softmax at every step, Adam at 0.005, gradients clipped element-wise to 1, batch 64, 11 epochs,
truncated back-propagation through time over segments of 50 steps (the states carried from one
segment to the next, the gradient not); after every epoch the held-out loss per character over
whole sequences and a sample of 200 characters.

forecast (`--csv FILE --column NAME`, as `--task forecast --csv FILE --column NAME`): the column as a
series, its last fifth the test range; windows of 48 values with the next 6 as targets, every step of
the training range and every sixth of the test range, standardized with the training range's mean and
deviation; 2 LSTM layers of 64 units read at the last step and a linear layer of 6, squared error,
Adam at 0.005, gradients clipped element-wise to 1, batch 32, 15 epochs, the test windows scored after
every epoch; then the root mean squared error of the forecasts in the series' units. The default run
forecasts a generated series: write it to a CSV file first (docs/PERFORMANCE.md says how) and give
both sides that file.

    OMP_WAIT_POLICY=PASSIVE GOMP_SPINCOUNT=1000 /usr/bin/python3 bench/pytorch/lstm_sequence.py --data DIR
    OMP_WAIT_POLICY=PASSIVE GOMP_SPINCOUNT=1000 /usr/bin/python3 bench/pytorch/lstm_sequence.py --text FILE
    OMP_WAIT_POLICY=PASSIVE GOMP_SPINCOUNT=1000 /usr/bin/python3 bench/pytorch/lstm_sequence.py --csv FILE --column NAME

A yardstick only, never a dependency of the suite (apt-get install python3-torch libopenblas0-pthread).
"""
import json
import math
import os
import time

import numpy as np
import torch
from torch import nn

from e2e import arguments, parse, train


class Classifier(nn.Module):
    def __init__(self, units=64, classes=6, dropout=0.2):
        super().__init__()
        self.first = nn.LSTM(1, units, batch_first=True, bidirectional=True)
        self.drop = nn.Dropout(dropout)
        self.second = nn.LSTM(2 * units, units, batch_first=True, bidirectional=True)
        self.out = nn.Linear(2 * units, classes)

    def forward(self, x):
        h, _ = self.first(x)
        h, _ = self.second(self.drop(h))
        return self.out(self.drop(h[:, -1, :]))


def control_charts(directory, seed, test_fraction=0.2):
    rows = np.loadtxt(os.path.join(directory, "synthetic_control.data"), dtype=np.float32)
    labels = np.repeat(np.arange(6), len(rows) // 6)
    rng = np.random.default_rng(seed)
    train_rows, test_rows = [], []
    for c in range(6):
        members = rng.permutation(np.flatnonzero(labels == c))
        held = int(round(len(members) * test_fraction))
        test_rows += list(members[:held])
        train_rows += list(members[held:])
    mean, std = rows[train_rows].mean(), rows[train_rows].std()
    x = torch.from_numpy((rows - mean) / std).unsqueeze(-1)
    y = torch.from_numpy(labels)
    return (x[train_rows], y[train_rows]), (x[test_rows], y[test_rows])


def classify(args):
    train_set, test_set = control_charts(args.data, args.seed)
    net = Classifier()
    optimizer = torch.optim.Adam(net.parameters(), lr=0.005)
    batches = math.ceil(len(train_set[0]) / 32)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda step: 0.9 ** (step / batches))
    clip = lambda: nn.utils.clip_grad_value_(net.parameters(), 1.0)
    train("lstm-sequence classify", net, optimizer, train_set, test_set, args.epochs or 40, 32,
          schedule=schedule, before_step=clip)


class CharacterModel(nn.Module):
    def __init__(self, characters, units=128):
        super().__init__()
        self.lstm = nn.LSTM(characters, units, num_layers=2, batch_first=True)
        self.out = nn.Linear(units, characters)

    def forward(self, x, state=None):
        h, state = self.lstm(x, state)
        return self.out(h), state


def sample(net, vocabulary, prime, length, generator):
    """Characters drawn one at a time from the model's distribution (temperature 1)."""
    with torch.no_grad():
        index = vocabulary.index(prime)
        state, text = None, prime
        for _ in range(length):
            x = torch.zeros(1, 1, len(vocabulary))
            x[0, 0, index] = 1
            logits, state = net(x, state)
            index = torch.multinomial(torch.softmax(logits[0, -1], 0), 1, generator=generator).item()
            text += vocabulary[index]
        return text


def generate(args):
    with open(args.text, encoding="utf-8") as f:
        text = f.read()
    vocabulary = sorted(set(text))
    codes = torch.tensor([vocabulary.index(c) for c in text])
    length, segment, batch, epochs = 100, 50, 64, args.epochs or 11
    count = (len(codes) - 1) // length
    inputs = codes[:count * length].view(count, length)
    targets = codes[1:count * length + 1].view(count, length)
    held_out = max(1, count // 10)
    one_hot = lambda c: nn.functional.one_hot(c, len(vocabulary)).float()
    x_train, y_train = inputs[:-held_out], targets[:-held_out]
    x_test, y_test = one_hot(inputs[-held_out:]), targets[-held_out:]

    net = CharacterModel(len(vocabulary))
    optimizer = torch.optim.Adam(net.parameters(), lr=0.005)
    loss_fn = nn.CrossEntropyLoss()
    generator = torch.Generator().manual_seed(args.seed)
    train_seconds, test_loss = 0.0, float("nan")
    for epoch in range(1, epochs + 1):
        net.train()
        start = time.perf_counter()
        order = torch.randperm(len(x_train))
        for first in range(0, len(order), batch):
            rows = order[first:first + batch]
            x, y = one_hot(x_train[rows]), y_train[rows]
            state = None
            for s in range(0, length, segment):
                optimizer.zero_grad()
                logits, state = net(x[:, s:s + segment], state)
                loss = loss_fn(logits.reshape(-1, len(vocabulary)), y[:, s:s + segment].reshape(-1))
                loss.backward()
                nn.utils.clip_grad_value_(net.parameters(), 1.0)
                optimizer.step()
                state = tuple(h.detach() for h in state)
        seconds = time.perf_counter() - start
        train_seconds += seconds
        net.eval()
        with torch.no_grad():
            losses = [loss_fn(net(x_test[i:i + 256])[0].reshape(-1, len(vocabulary)),
                              y_test[i:i + 256].reshape(-1)).item() * len(y_test[i:i + 256])
                      for i in range(0, len(y_test), 256)]
            test_loss = sum(losses) / len(y_test)
        text_sample = sample(net, vocabulary, text[0], 200, generator)
        print(f"epoch {epoch}/{epochs}  held-out loss {test_loss:.4f} nats per character  ({seconds:.1f} s)"
              f"\n  {text_sample!r}", flush=True)
    print(json.dumps({"app": "lstm-sequence generate", "peer": "pytorch " + torch.__version__, "epochs": epochs,
                      "train_seconds": round(train_seconds, 2), "held_out_nats_per_char": round(test_loss, 4)}))


class Forecaster(nn.Module):
    def __init__(self, units=64, horizon=6):
        super().__init__()
        self.lstm = nn.LSTM(1, units, num_layers=2, batch_first=True)
        self.out = nn.Linear(units, horizon)
        # DL4J's Xavier weights and its forget-gate bias of 1.
        for name, values in self.named_parameters():
            if "weight" in name:
                nn.init.xavier_normal_(values)
            else:
                nn.init.zeros_(values)
                if name.startswith("lstm.bias_ih"):
                    values.data[units:2 * units] = 1.0

    def forward(self, x):
        h, _ = self.lstm(x)
        return self.out(h[:, -1, :])


def column(path, name):
    with open(path) as f:
        header = f.readline().strip().split(",")
    return np.loadtxt(path, delimiter=",", skiprows=1, usecols=header.index(name), dtype=np.float64)


def windows(series, start, end, step, window=48, horizon=6):
    starts = range(start, end - horizon + 1, step)
    x = np.stack([series[s - window:s] for s in starts])
    y = np.stack([series[s:s + horizon] for s in starts])
    return x, y


def forecast(args):
    series = column(args.csv, args.column)
    test_start = len(series) - round(len(series) * 0.2)
    mean, deviation = series[:test_start].mean(), series[:test_start].std() or 1.0
    scaled = lambda a: torch.from_numpy(((a - mean) / deviation).astype(np.float32))
    x_train, y_train = windows(series, 48, test_start, 1)
    x_test, y_test = windows(series, test_start, len(series), 6)
    x_train, y_train, x_test_scaled, y_test_scaled = (scaled(x_train).unsqueeze(-1), scaled(y_train),
                                                      scaled(x_test).unsqueeze(-1), scaled(y_test))
    net = Forecaster()
    optimizer = torch.optim.Adam(net.parameters(), lr=0.005)
    clip = lambda: nn.utils.clip_grad_value_(net.parameters(), 1.0)

    def rmse(trained):
        trained.eval()
        with torch.no_grad():
            predicted = trained(x_test_scaled).numpy() * deviation + mean
        return {"rmse": round(float(np.sqrt(((predicted - y_test) ** 2).mean())), 4)}

    train("lstm-sequence forecast", net, optimizer, (x_train, y_train), (x_test_scaled, y_test_scaled),
          args.epochs or 15, 32, before_step=clip, regression_loss=nn.MSELoss(), results=rmse)


def main():
    parser = arguments(__doc__)
    task = parser.add_mutually_exclusive_group(required=True)
    task.add_argument("--data", help="classify: the folder with synthetic_control.data")
    task.add_argument("--text", help="generate: a UTF-8 text file")
    task.add_argument("--csv", help="forecast: a CSV file with a header row")
    parser.add_argument("--column", default="value", help="forecast: the column to forecast (default: value)")
    parser.add_argument("--epochs", type=int, help="default: 40 (classify), 11 (generate), 15 (forecast)")
    args = parse(parser)
    classify(args) if args.data else generate(args) if args.text else forecast(args)


if __name__ == "__main__":
    main()
