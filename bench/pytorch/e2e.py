"""The training loop the end-to-end twins share: what a PyTorch user writes, and timed as report.json's
train_seconds counts it (the mini-batch loops, augmentation included; not loading, not scoring)."""
import argparse
import json
import time

import torch
from torch import nn


def arguments(description):
    """A twin's command line with the options every twin has, --threads and --seed; add the rest."""
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=42)
    return parser


def parse(parser):
    """Reads the command line and sets PyTorch's threads and seed from it."""
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    return args


def train(app, net, optimizer, train_set, test_set, epochs, batch, schedule=None, augment=None, label_smoothing=0.0,
          before_step=None, regression_loss=None, results=None):
    """Trains `net` on (x, y) `train_set` in a new order each epoch, scores `test_set` after each epoch,
    prints a line per epoch and then one JSON line with the training seconds and the last accuracy.
    `schedule` steps after every batch; `augment` maps a batch of rows to the rows to train on;
    `label_smoothing` softens the training targets only; `before_step` runs between the backward pass
    and the update (gradient clipping). A `regression_loss` (nn.MSELoss(), say) replaces the
    classifier's cross-entropy, and no accuracy is counted; `results(net)` adds entries to the JSON line."""
    (x_train, y_train), (x_test, y_test) = train_set, test_set
    classifier = regression_loss is None
    train_loss_fn = nn.CrossEntropyLoss(label_smoothing=label_smoothing) if classifier else regression_loss
    loss_fn = nn.CrossEntropyLoss() if classifier else regression_loss
    train_seconds = 0.0
    accuracy = float("nan")
    for epoch in range(1, epochs + 1):
        net.train()
        start = time.perf_counter()
        order = torch.randperm(len(x_train))
        loss_sum = 0.0
        for first in range(0, len(order), batch):
            rows = order[first:first + batch]
            inputs = x_train[rows] if augment is None else augment(x_train[rows])
            optimizer.zero_grad()
            loss = train_loss_fn(net(inputs), y_train[rows])
            loss.backward()
            if before_step is not None:
                before_step()
            optimizer.step()
            if schedule is not None:
                schedule.step()
            loss_sum += loss.item() * len(rows)
        seconds = time.perf_counter() - start
        train_seconds += seconds
        net.eval()
        with torch.no_grad():
            outputs = torch.cat([net(x_test[i:i + 512]) for i in range(0, len(x_test), 512)])
            test_loss = loss_fn(outputs, y_test).item()
            accuracy = (outputs.argmax(1) == y_test).float().mean().item() if classifier else None
        shown = f"  test accuracy {100 * accuracy:.2f}%" if classifier else ""
        print(f"epoch {epoch}/{epochs}  train loss {loss_sum / len(order):.4f}  test loss {test_loss:.4f}{shown}"
              f"  ({seconds:.1f} s)", flush=True)
    result = {"app": app, "peer": "pytorch " + torch.__version__, "epochs": epochs,
              "train_seconds": round(train_seconds, 2)}
    if classifier:
        result["accuracy"] = round(accuracy, 4)
    if results is not None:
        result.update(results(net))
    print(json.dumps(result))
