"""Runs an app's training run and its PyTorch twin in turn, on the same data, and prints both runs'
training seconds (what report.json's train_seconds counts: the mini-batch loops), their wall time
(the whole process: start, loading, training, scoring, report) and the ratios, ours / PyTorch's, pair
by pair; below 1 means the suite was faster.

    /usr/bin/python3 bench/pytorch/compare.py RUN --data PATH [--pairs 3] [--epochs N] [-- extra ./labs options]

RUN is one of the names below; PATH is what that run's --data (or --text) takes. Both sides run with
OMP_WAIT_POLICY=PASSIVE and GOMP_SPINCOUNT=1000, as ./labs sets them for ours (without the first
Debian's PyTorch spins two thread pools against each other; the short spin made PyTorch's MLP run
about 15 % faster too), and 2 threads; OPENBLAS_CORETYPE is left as the environment sets it, for both.
Needs PyTorch for the twin (apt-get install python3-torch libopenblas0-pthread); this script itself
only starts the two processes. Each side's output goes to compare-RUN-ours.log / -pytorch.log in
--logs.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

# name: (our ./labs arguments, the twin's script and arguments, the option that names the data)
RUNS = {
    "mnist-mlp": (["mnist-mlp", "train"], ["mnist_mlp.py"], "--data"),
    "cifar-resnet": (["cifar-cnn", "train"], ["cifar_cnn.py"], "--data"),
    "cifar-small": (["cifar-cnn", "train", "--model", "small"], ["cifar_cnn.py", "--model", "small"], "--data"),
    "autoencoder-dense": (["autoencoder", "train"], ["autoencoder.py"], "--data"),
    "autoencoder-conv": (["autoencoder", "train", "--model", "conv"], ["autoencoder.py", "--model", "conv"], "--data"),
    "cifar-fmp": (["cifar-cnn", "train", "--model", "fmp"], ["cifar_cnn.py", "--model", "fmp"], "--data"),
    "lstm-classify": (["lstm-sequence", "train"], ["lstm_sequence.py"], "--data"),
    "lstm-generate": (["lstm-sequence", "train", "--task", "generate"], ["lstm_sequence.py"], "--text"),
    "cats-dogs": (["cats-dogs", "train"], ["cats_dogs.py"], "--data"),
    "transfer-vgg16": (["transfer-vgg16", "train", "--weights", "self"], ["transfer_vgg16.py"], "--data"),
    "lstm-forecast": (["lstm-sequence", "train", "--task", "forecast", "--column", "value"],
                      ["lstm_sequence.py", "--column", "value"], "--csv"),
}


def timed(command, log):
    start = time.perf_counter()
    with open(log, "a") as out:
        code = subprocess.call(command, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT,
                               env=dict(os.environ, OMP_WAIT_POLICY="PASSIVE", GOMP_SPINCOUNT="1000"))
    if code != 0:
        sys.exit(f"error: {' '.join(command)} exited with {code}; see {log}")
    return time.perf_counter() - start


def last_json_line(log):
    with open(log) as f:
        lines = [line for line in f if line.startswith("{")]
    if not lines:
        sys.exit(f"error: no JSON result line in {log}")
    return json.loads(lines[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("run", choices=sorted(RUNS))
    parser.add_argument("--data", required=True, help="the data the run's --data (or --text) takes")
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--epochs", type=int, help="both sides' epochs (default: each side's default)")
    parser.add_argument("--logs", default=tempfile.gettempdir())
    parser.add_argument("labs_options", nargs="*", help="after --: more options for ./labs only")
    args = parser.parse_args()
    labs_args, twin, data_option = RUNS[args.run]
    epochs = ["--epochs", str(args.epochs)] if args.epochs else []
    out = os.path.join(args.logs, f"compare-{args.run}-report")
    ours = [os.path.join(ROOT, "labs"), *labs_args, data_option, args.data, "--out", out, *epochs, *args.labs_options]
    theirs = ["/usr/bin/python3", os.path.join(HERE, twin[0]), *twin[1:], data_option, args.data, *epochs]
    our_log = os.path.join(args.logs, f"compare-{args.run}-ours.log")
    their_log = os.path.join(args.logs, f"compare-{args.run}-pytorch.log")

    rows = []
    for pair in range(1, args.pairs + 1):
        our_wall = timed(ours, our_log)
        with open(os.path.join(out, "report.json")) as f:
            our_report = json.load(f)
        their_wall = timed(theirs, their_log)
        their_result = last_json_line(their_log)
        row = (our_report["train_seconds"], their_result["train_seconds"], our_wall, their_wall)
        rows.append(row)
        print(f"pair {pair}: training {row[0]:.1f} s vs {row[1]:.1f} s ({row[0] / row[1]:.2f}), "
              f"whole run {row[2]:.1f} s vs {row[3]:.1f} s ({row[2] / row[3]:.2f})", flush=True)

    def summary(name, ours_index, theirs_index):
        ratios = [r[ours_index] / r[theirs_index] for r in rows]
        print(f"{name}: ours {statistics.median(r[ours_index] for r in rows):.1f} s, PyTorch "
              f"{statistics.median(r[theirs_index] for r in rows):.1f} s (medians); ours / PyTorch "
              f"{min(ratios):.2f}-{max(ratios):.2f} (median {statistics.median(ratios):.2f})")

    print(f"{args.run}, {args.pairs} pairs, data {args.data}:")
    summary("training", 0, 1)
    summary("whole run", 2, 3)


if __name__ == "__main__":
    main()
