#!/usr/bin/env python3
"""Ours against the authors' code on the short-schedule study: per method and subset, and over both subsets, the mean
final test accuracy of each side, their difference, and how often a difference that large arises when the side labels
are shuffled (an exact two-sided permutation test; over both subsets the labels are shuffled within each subset, so a
subset effect cannot show up as a side effect). Then the stall counts with Fisher's exact test. Both tests are exact
enumerations: no library beyond Python's. Seeds are not paired across sides (the two frameworks draw different random
numbers from the same seed). With --per-epoch: instead, per method, subset and epoch, ours - reference in test accuracy,
training accuracy and training loss, each with its permutation p. With --mask-updates: instead, per run name present on
both sides, the largest difference over the mask updates in the weights grown, pruned, and left non-zero afterwards.
Usage: experiments/fidelity-compare.py OURS_RECORDS REFERENCE_RECORDS [--per-epoch | --mask-updates]
       (e.g. experiments/fidelity-runs/ours experiments/fidelity-runs/reference)"""
import itertools
import math
import statistics
import sys

import fidelity_records as records


def splits(ours, theirs):
    """Every way of labelling len(ours) of the pooled values 'ours': the sums of ours and theirs for each."""
    pooled, total = ours + theirs, sum(ours) + sum(theirs)
    for chosen in itertools.combinations(range(len(pooled)), len(ours)):
        s = sum(pooled[i] for i in chosen)
        yield s, total - s


def permutation_p(strata):
    """Two-sided p of the difference of means (ours - theirs, pooled over strata) under label shuffles within strata."""
    n_ours = sum(len(o) for o, _ in strata)
    n_theirs = sum(len(t) for _, t in strata)
    observed = sum(sum(o) for o, _ in strata) / n_ours - sum(sum(t) for _, t in strata) / n_theirs
    per_stratum = [list(splits(o, t)) for o, t in strata]
    extreme = count = 0
    for combo in itertools.product(*per_stratum):
        diff = sum(s for s, _ in combo) / n_ours - sum(r for _, r in combo) / n_theirs
        count += 1
        extreme += abs(diff) >= abs(observed) - 1e-9
    return observed, extreme / count


def fisher_p(a, n1, b, n2):
    """Two-sided Fisher exact p for a of n1 against b of n2 (sum of the tables no more likely than the observed)."""
    k, n = a + b, n1 + n2
    prob = lambda x: math.comb(n1, x) * math.comb(n2, k - x) / math.comb(n, k)
    observed = prob(a)
    return sum(prob(x) for x in range(max(0, k - n2), min(k, n1) + 1) if prob(x) <= observed * (1 + 1e-9))


def print_per_epoch(ours, theirs):
    """Per method, subset and epoch: ours - reference in test accuracy, training accuracy and training loss (p each)."""
    measures = (("test-accuracy", 100, "+.1f"), ("train-accuracy", 100, "+.1f"), ("train-loss", 1, "+.3f"))
    print("| method | subset | epoch | test acc, ours - reference (p) | train acc (p) | train loss (p) |")
    print("|---|---|---|---|---|---|")
    for group in sorted(ours.keys() & theirs.keys()):
        runs = ours[group] + theirs[group]
        for epoch in range(min(len(r.record["epochs"]) for r in runs)):
            cells = []
            for key, scale, form in measures:
                o = [scale * r.record["epochs"][epoch][key] for r in ours[group]]
                t = [scale * r.record["epochs"][epoch][key] for r in theirs[group]]
                diff, p = permutation_p([(o, t)])
                cells.append(f"{diff:{form}} ({p:.2f})")
            print(f"| {group[0]} | {group[1]} | {epoch + 1} | " + " | ".join(cells) + " |")


def print_mask_updates(ours, theirs):
    """Per run name on both sides: the largest differences of the counts of their mask updates (made at the same steps)."""
    print("| run | updates | grown: largest difference | pruned: largest difference | non-zeros after: largest difference |")
    print("|---|---|---|---|---|")
    ours, theirs = {r.name: r for r in ours}, {r.name: r for r in theirs}
    for name in sorted(ours.keys() & theirs.keys()):
        o = [u for e in ours[name].record["epochs"] for u in (e.get("mask-updates") or [])]
        t = theirs[name].record["mask-updates"]
        if [u["step"] for u in o] != [u["step"] for u in t]:
            print(f"| {name} | at other steps: {[u['step'] for u in o]} against {[u['step'] for u in t]} | | | |")
            continue
        cells = []
        for key in ("grown", "pruned", "non-zeros"):
            i = max(range(len(o)), key=lambda k: abs(o[k][key] - t[k][key]))
            diff = o[i][key] - t[i][key]
            share = f", {100 * abs(diff) / t[i]['non-zeros']:.3f}% of the non-zeros" if key == "non-zeros" else ""
            cells.append(f"{diff:+d} (step {o[i]['step']}: {o[i][key]} against {t[i][key]}{share})")
        print(f"| {name} | {len(o)} | " + " | ".join(cells) + " |")


if len(sys.argv) < 3 or sys.argv[3:] not in ([], ["--per-epoch"], ["--mask-updates"]):
    sys.exit(__doc__.split("Usage: ")[1])
if sys.argv[3:] == ["--mask-updates"]:
    print_mask_updates(records.ours(sys.argv[1]), records.reference(sys.argv[2]))
    sys.exit(0)
ours = records.by_method_and_subset(records.ours(sys.argv[1]))
theirs = records.by_method_and_subset(records.reference(sys.argv[2]))
if sys.argv[3:] == ["--per-epoch"]:
    print_per_epoch(ours, theirs)
    sys.exit(0)
print("| method | subset | ours: runs, mean +- sd | reference: runs, mean +- sd | ours - reference | permutation p |")
print("|---|---|---|---|---|---|")
for method in sorted({m for m, _ in ours} & {m for m, _ in theirs}):
    strata = []
    for subset in sorted({s for m, s in ours if m == method} & {s for m, s in theirs if m == method}):
        o = [r.accuracy for r in ours[(method, subset)]]
        t = [r.accuracy for r in theirs[(method, subset)]]
        strata.append((o, t))
        diff, p = permutation_p([(o, t)])
        print(f"| {method} | {subset} | {len(o)}, {records.mean_sd(o)} | {len(t)}, {records.mean_sd(t)} | {diff:+.1f} | {p:.2f} |")
    if len(strata) > 1:
        o = [a for s, _ in strata for a in s]
        t = [a for _, s in strata for a in s]
        diff, p = permutation_p(strata)
        print(f"| {method} | both | {len(o)}, {records.mean_sd(o)} | {len(t)}, {records.mean_sd(t)} | {diff:+.1f} | {p:.2f} |")
print()
print("| method | ours stalled | reference stalled | Fisher p |")
print("|---|---|---|---|")
for method in sorted({m for m, _ in ours} & {m for m, _ in theirs}):
    o = [r for (m, _), rows in ours.items() if m == method for r in rows]
    t = [r for (m, _), rows in theirs.items() if m == method for r in rows]
    a, b = sum(r.stalled for r in o), sum(r.stalled for r in t)
    print(f"| {method} | {a} of {len(o)} | {b} of {len(t)} | {fisher_p(a, len(o), b, len(t)):.2f} |")
