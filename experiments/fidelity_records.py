"""The finished runs of the short-schedule study, read alike from both sides: ours (a run directory of
experiments/fidelity-vgg19.sh, or its record in experiments/fidelity-runs/ours) and the authors' code (a result.json of
experiments/reference/run-reference.sh). A run counts as stalled when its epoch-1 training loss is above 2.0 (chance is
ln 10 = 2.303): it spent the epoch near chance."""
import json
import pathlib
import statistics
from dataclasses import dataclass

STALL = 2.0


@dataclass
class Run:
    name: str  # METHOD-sSUBSET-SEED
    method: str
    subset: str  # "s1", "s2"
    accuracy: float  # final test accuracy, percent
    epoch1_loss: float  # epoch-1 training loss
    record: dict  # ours: {"epochs": [metrics.jsonl lines]}; reference: result.json

    @property
    def stalled(self):
        return self.epoch1_loss > STALL


def _run(name, accuracy, epoch1_loss, record):
    method, subset, _seed = name.split("-")
    return Run(name, method, subset, 100 * accuracy, epoch1_loss, record)


def ours(root):
    """Our finished runs under root (each a folder with metrics.jsonl and a summary.json that says finished)."""
    runs = []
    for metrics in sorted(pathlib.Path(root).glob("*/metrics.jsonl")):
        epochs = [json.loads(line) for line in metrics.read_text().splitlines() if line.strip()]
        summary = metrics.parent / "summary.json"
        if epochs and summary.exists() and json.loads(summary.read_text()).get("finished"):
            runs.append(_run(metrics.parent.name, epochs[-1]["test-accuracy"], epochs[0]["train-loss"], {"epochs": epochs}))
    return runs


def reference(root):
    """The reference's finished runs under root (each a folder with result.json)."""
    runs = []
    for result in sorted(pathlib.Path(root).glob("*/result.json")):
        r = json.loads(result.read_text())
        runs.append(_run(result.parent.name, r["final-test-accuracy"], r["epochs"][0]["train-loss"], r))
    return runs


def by_method_and_subset(runs):
    groups = {}
    for run in runs:
        groups.setdefault((run.method, run.subset), []).append(run)
    return dict(sorted(groups.items()))


def mean_sd(values):
    """'mean +- sd' of the values; a single value alone (its sd is undefined)."""
    if len(values) == 1:
        return f"{values[0]:.1f}"
    return f"{statistics.mean(values):.1f} +- {statistics.stdev(values):.1f}"


def print_summary(runs):
    """mean +- sd of the final accuracy and the stall count per method and subset."""
    print("| method | subset | runs | final test acc, mean +- sd | stalled |")
    print("|---|---|---|---|---|")
    for (method, subset), rows in by_method_and_subset(runs).items():
        print(f"| {method} | {subset} | {len(rows)} | {mean_sd([r.accuracy for r in rows])} | {sum(r.stalled for r in rows)} |")
