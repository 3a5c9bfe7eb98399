#!/usr/bin/python3
"""Runs the authors' Chase/MEST code (github luuyin/chase, Cifar/, unmodified, from a checkout outside this repository:
it has no license, so chase neither copies nor ships it) on the short VGG-19 schedule of docs/fidelity.md, on CPU,
and records what our runs record: the training loss of every step, per-epoch train loss and test accuracy, the
weights pruned and grown by every soft-bound update, and the steps of the channel events.

This file is our own harness: it builds the authors' model and Masking object, feeds them a seeded Fashion-MNIST
subset in IDX format, and runs a training loop written here after the one of their main_dst_chase.py (including its
second forward pass per batch, so BatchNorm statistics update twice per step as there). It patches nothing in their
algorithm; it only maps their CUDA calls to the CPU and counts non-zeros around their update calls.

Usage: /usr/bin/python3 experiments/reference/run_reference.py REF_CHECKOUT DATA_DIR RUN_DIR --method chase|mest
       --seed S [--epochs 4] [--threads 1] [--smoke STEPS] [--train-limit N --test-limit N --batch-size B]
Writes RUN_DIR/result.json when the run finishes (nothing before: an interrupted run starts again). While it runs, every
step prints a line "[harness] step T/160 loss L (S s)" to stdout, between the reference's own prints. --train-limit,
--test-limit and --batch-size shrink the run for a quick check of the whole path (soft bound, channel events, the
hard-budget updates after the soft bound, evaluation); the study uses the defaults (all images, batch 100)."""
import argparse
import gzip
import json
import math
import os
import pathlib
import random
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

MEAN, STD = 0.2860, 0.3530  # chase's Fashion-MNIST normalisation (dev.chase.data.Normalization.FASHION_MNIST)


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


class GreyImages(torch.utils.data.Dataset):
    """28x28 grey images zero-padded to 32x32 as chase does, repeated to the 3 channels the reference VGG reads;
    training images get a random 32x32 crop of the image padded by 4 (reflect, as the reference's CIFAR loaders
    pad) and a horizontal flip."""

    def __init__(self, images, labels, augment, generator):
        self.images = torch.from_numpy(np.pad(images, ((0, 0), (2, 2), (2, 2)))).float().div(255).sub(MEAN).div(STD)
        self.labels = torch.from_numpy(labels.astype(np.int64))
        self.augment = augment
        self.generator = generator

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        x = self.images[i].unsqueeze(0)
        if self.augment:
            x = F.pad(x.unsqueeze(0), (4, 4, 4, 4), mode="reflect").squeeze(0)
            top, left = torch.randint(0, 9, (2,), generator=self.generator).tolist()
            x = x[:, top:top + 32, left:left + 32]
            if torch.rand(1, generator=self.generator).item() < 0.5:
                x = x.flip(2)
        return x.expand(3, 32, 32).contiguous(), self.labels[i]


def reference_args(sparse_args, method, seed, epochs, batch_size=100):
    """The flags of the authors' Cifar/scripts/vgg19.sh, scaled to the short schedule."""
    parser = argparse.ArgumentParser()
    sparse_args(parser)
    flags = ["--sparse", "--sparse_init", "fixed_ERK", "--density", "0.1", "--death-rate", "0.05", "--update_frequency", "13",
             "--growth", "global_gradients", "--death", "global_magnitude", "--redistribution", "none", "--mest", "--mest_dst",
             "--stop_dst_epochs", "1", "--minumum_ratio", "0.2"]
    # the options main_dst_chase.py declares itself, unless this version of their code declares them with the rest
    for name, value in [("--epochs", epochs), ("--batch-size", batch_size), ("--seed", seed), ("--stop_gmp_epochs", epochs - 1),
                        ("--layer_interval", 26), ("--start_layer_rate", 0.5), ("--decay-schedule", "cosine")]:
        if name not in parser._option_string_actions:
            parser.add_argument(name, type=type(value))
        flags += [name, str(value)]
    if "--fp16" not in parser._option_string_actions:
        parser.add_argument("--fp16", action="store_true")
    if method == "chase":
        flags += ["--filter_dst", "--gpm_filter_pune", "--mag_wise"]
    return parser.parse_args(flags)


def nonzeros(mask):
    return int(sum(int(m.sum().item()) for m in mask.masks.values()))


def main():
    cli = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    cli.add_argument("reference")
    cli.add_argument("data")
    cli.add_argument("run_dir")
    cli.add_argument("--method", choices=["chase", "mest"], required=True)
    cli.add_argument("--seed", type=int, required=True)
    cli.add_argument("--epochs", type=int, default=4)
    cli.add_argument("--threads", type=int, default=1)
    cli.add_argument("--smoke", type=int, metavar="STEPS", help="stop after this many steps, print them, write nothing")
    cli.add_argument("--train-limit", type=int, help="quick check only: use the first N training images")
    cli.add_argument("--test-limit", type=int, help="quick check only: evaluate the first N test images")
    cli.add_argument("--batch-size", type=int, default=100, help="quick check only (the schedule is batch 100)")
    opts = cli.parse_args()
    run_dir = pathlib.Path(opts.run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    torch.set_num_threads(opts.threads)
    torch.Tensor.cuda = lambda self, *a, **k: self  # their code moves every new mask to the GPU; keep it on the CPU
    cifar = pathlib.Path(opts.reference).resolve() / "Cifar"
    sys.path.insert(0, str(cifar))
    os.chdir(run_dir)  # their code writes nothing we need; keep whatever it writes inside the run folder
    from models import vgg
    from sparselearning import core_dst_chase as core

    random.seed(opts.seed)  # their main() seeds Python's random too: del_layer thins its channel candidates with it
    np.random.seed(opts.seed)
    torch.manual_seed(opts.seed)
    data = pathlib.Path(opts.data).resolve()
    generator = torch.Generator().manual_seed(opts.seed)
    train = GreyImages(read_idx(data / "train-images-idx3-ubyte.gz")[:opts.train_limit],
                       read_idx(data / "train-labels-idx1-ubyte.gz")[:opts.train_limit], True, generator)
    test = GreyImages(read_idx(data / "t10k-images-idx3-ubyte.gz")[:opts.test_limit],
                      read_idx(data / "t10k-labels-idx1-ubyte.gz")[:opts.test_limit], False, None)
    train_loader = torch.utils.data.DataLoader(train, batch_size=opts.batch_size, shuffle=True, generator=generator)
    test_loader = torch.utils.data.DataLoader(test, batch_size=256)
    args = reference_args(core.add_sparse_args, opts.method, opts.seed, opts.epochs, opts.batch_size)

    model = vgg.VGG(depth=19, dataset="cifar10", batchnorm=True)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4)
    steps = len(train_loader) * (opts.epochs - args.stop_dst_epochs)
    decay = core.CosineDecay(args.death_rate + args.density, steps, args.density)
    mask = core.Masking(optimizer, death_rate=args.death_rate, death_mode=args.death, death_rate_decay=decay,
                        growth_mode=args.growth, redistribution_mode=args.redistribution, args=args, train_loader=train_loader)
    mask.add_module(model, sparse_init=args.sparse_init, density=args.density)

    updates, channel_events = [], []
    prune, grow, del_layer = mask.truncate_weights_prune, mask.truncate_weights_grow, mask.del_layer
    swap = mask.truncate_weights
    initial = {"budget": mask.baseline_nonzero, "dense-params": mask.total_params, "non-zeros": nonzeros(mask),
               "channels": mask.filter_num()}

    def counted_prune(rate):
        before = nonzeros(mask)
        prune(rate)
        updates.append({"step": mask.steps, "phase": "soft", "grow-target": mask.total_params * rate,
                        "pruned": before - nonzeros(mask)})

    def counted_grow(rate):
        before = nonzeros(mask)
        grow(rate)
        updates[-1].update({"grown": nonzeros(mask) - before, "non-zeros": nonzeros(mask)})

    def counted_swap(rate):
        """The hard-budget prune/regrow that --mest_dst runs after the soft bound (their truncate_weights)."""
        before = nonzeros(mask)
        kept = {}
        prune_global = mask.global_magnitude_death

        def after_prune(tokill):
            out = prune_global(tokill)
            kept["n"] = nonzeros(mask)
            return out

        mask.global_magnitude_death = after_prune
        try:
            swap(rate)
        finally:
            del mask.global_magnitude_death
        after = nonzeros(mask)
        middle = kept.get("n", before)
        updates.append({"step": mask.steps, "phase": "hard", "rate": rate, "pruned": before - middle, "grown": after - middle,
                        "non-zeros": after})

    def recorded_del_layer():
        before, channels = nonzeros(mask), mask.filter_num()
        del_layer()
        channel_events.append({"step": mask.steps, "target-channel-sparsity": mask.layer_rate,
                               "channels-before": channels, "channels-after": mask.filter_num(),
                               "weights-removed": before - nonzeros(mask)})

    mask.truncate_weights_prune, mask.truncate_weights_grow, mask.del_layer = counted_prune, counted_grow, recorded_del_layer
    mask.truncate_weights = counted_swap

    epochs, step_loss = [], []
    total_steps = opts.epochs * len(train_loader)
    started = time.time()
    for epoch in range(opts.epochs):
        model.train()
        t0, loss_sum, correct, seen = time.time(), 0.0, 0, 0
        for x, y in train_loader:
            with torch.no_grad():  # the reference's train() runs every batch forward twice and discards the first
                model(x)           # output; without a graph here, BatchNorm running statistics still move twice
            output = model(x)
            loss = F.nll_loss(output, y)
            mask.optimizer.zero_grad()
            loss.backward()
            mask.step()
            step_loss.append(loss.item())
            print(f"[harness] step {len(step_loss)}/{total_steps} loss {loss.item():.4f} ({time.time() - started:.0f} s)",
                  flush=True)
            loss_sum += loss.item() * len(y)
            correct += (output.argmax(1) == y).sum().item()
            seen += len(y)
            if opts.smoke and len(step_loss) >= opts.smoke:
                print(json.dumps({"step-loss": step_loss, "initial": initial, "mask-updates": updates,
                                  "channel-events": channel_events,
                                  "seconds": time.time() - started}))
                return
        if epoch == int(0.5 * opts.epochs) - 1:
            for group in optimizer.param_groups:
                group["lr"] = 0.01
        elif epoch == int(0.75 * opts.epochs) - 1:
            for group in optimizer.param_groups:
                group["lr"] = 0.001
        model.eval()
        hits = 0
        with torch.no_grad():
            for x, y in test_loader:
                hits += (model(x).argmax(1) == y).sum().item()
        epochs.append({"epoch": epoch + 1, "train-loss": loss_sum / seen, "train-accuracy": correct / seen,
                       "test-accuracy": hits / len(test), "seconds": time.time() - t0})
        print(json.dumps(epochs[-1]), flush=True)
    result = {"method": opts.method, "seed": opts.seed, "data": str(data), "epochs": epochs, "step-loss": step_loss,
              "initial": initial, "train-images": len(train), "test-images": len(test), "batch-size": opts.batch_size,
              "threads": opts.threads, "mask-updates": updates, "channel-events": channel_events, "final-test-accuracy": epochs[-1]["test-accuracy"],
              "seconds": time.time() - started, "torch": torch.__version__}
    tmp = run_dir / "result.json.tmp"
    tmp.write_text(json.dumps(result, indent=1))
    tmp.replace(run_dir / "result.json")


if __name__ == "__main__":
    main()
