"""The fitted scorer: logistic regression over named features, and one abstention threshold per
answer type. Every number it uses is read from `weights.json` (written by `qa fit`)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Sequence

import numpy as np

WEIGHTS_FILE = "weights.json"


def default_path() -> Path:
    return Path(str(resources.files("qa.answering").joinpath(WEIGHTS_FILE)))


@dataclass
class Scorer:
    features: tuple[str, ...] = ()
    mean: np.ndarray = field(default_factory=lambda: np.zeros(0))
    scale: np.ndarray = field(default_factory=lambda: np.ones(0))
    coef: np.ndarray = field(default_factory=lambda: np.zeros(0))
    intercept: float = 0
    rank_coef: np.ndarray = field(default_factory=lambda: np.zeros(0))  # conditional logit: which candidate
    conf: dict = field(default_factory=dict)  # whether the first-ranked candidate is right: mean, scale, coef, intercept
    thresholds: dict[str, float] = field(default_factory=dict)
    hyper: dict = field(default_factory=dict)
    record: dict = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path | None = None) -> "Scorer":
        path = Path(path) if path else default_path()
        if not path.is_file():
            return cls()
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            features=tuple(data.get("features", ())), mean=np.array(data.get("mean", []), dtype=float),
            scale=np.array(data.get("scale", []), dtype=float), coef=np.array(data.get("coef", []), dtype=float),
            intercept=data.get("intercept", 0), rank_coef=np.array(data.get("rank_coef", []), dtype=float),
            conf={k: np.array(v, dtype=float) if isinstance(v, list) else v for k, v in data.get("conf", {}).items()},
            thresholds=dict(data.get("thresholds", {})),
            hyper=dict(data.get("hyper", {})), record=dict(data.get("record", {})),
        )

    def save(self, path: Path | None = None) -> Path:
        path = Path(path) if path else default_path()
        data = {
            "record": self.record, "hyper": self.hyper, "features": list(self.features),
            "mean": [round(float(x), 6) for x in self.mean], "scale": [round(float(x), 6) for x in self.scale],
            "coef": [round(float(x), 6) for x in self.coef], "intercept": round(float(self.intercept), 6),
            "rank_coef": [round(float(x), 6) for x in self.rank_coef],
            "conf": {k: [round(float(x), 6) for x in v] if hasattr(v, "__len__") else round(float(v), 6)
                     for k, v in self.conf.items()},
            "thresholds": {k: round(float(v), 6) for k, v in sorted(self.thresholds.items())},
        }
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        return path

    @property
    def fitted(self) -> bool:
        return len(self.coef) > 0

    def param(self, name: str):
        return self.hyper[name]

    def probabilities(self, rows: Sequence[dict[str, float]]) -> np.ndarray:
        if not rows:
            return np.zeros(0)
        if not self.fitted:
            return np.zeros(len(rows))
        x = np.array([[row[name] for name in self.features] for row in rows], dtype=float)
        z = ((x - self.mean) / self.scale) @ self.coef + self.intercept
        return 1 / (1 + np.exp(-z))

    def ranks(self, rows: Sequence[dict[str, float]]) -> np.ndarray:
        """Scores that order one question's candidates (conditional logit); higher is better."""
        if not rows or not len(self.rank_coef):
            return self.probabilities(rows)
        x = np.array([[row[name] for name in self.features] for row in rows], dtype=float)
        return ((x - self.mean) / self.scale) @ self.rank_coef

    def confidence(self, rows: Sequence[dict[str, float]], order: Sequence[float], at: int | None = None) -> float:
        """Probability that the first-ranked candidate (or the one `at`: the first of those a rule allows) is right,
        judged among all `rows` (0 with no candidates)."""
        if not rows:
            return 0
        order = np.asarray(order, dtype=float)
        i = int(np.argmax(order)) if at is None else at
        if not self.conf:
            return float(self.probabilities([rows[i]])[0])
        x = np.array(confidence_features(rows[i], self.features, order, i))
        z = ((x - self.conf["mean"]) / self.conf["scale"]) @ self.conf["coef"] + self.conf["intercept"]
        return float(1 / (1 + np.exp(-z)))

    def threshold(self, answer_type: str) -> float:
        return self.thresholds.get(answer_type, self.thresholds.get("default", 0))


def sign_bounds(names: Sequence[str], hyper: dict) -> tuple[np.ndarray, np.ndarray]:
    """(lower, upper) bounds of each weight: a feature listed under hyper["signs"] with +1 may only raise a
    candidate's score (more of the question's words beside a figure never makes it less likely), with -1
    only lower it; the others are free (those listed under hyper["drop"] stay at zero)."""
    signs = hyper.get("signs") or {}
    dropped = set(hyper.get("drop") or ())  # features left out: their weights stay at zero
    lo = np.array([0 if signs.get(n, 0) > 0 or n in dropped else -np.inf for n in names], dtype=float)
    hi = np.array([0 if signs.get(n, 0) < 0 or n in dropped else np.inf for n in names], dtype=float)
    return lo, hi


def fit_logistic(x: np.ndarray, y: np.ndarray, groups: np.ndarray, hyper: dict,
                 bounds: tuple[np.ndarray, np.ndarray] | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """L2-regularised logistic regression on standardised features (the intercept not regularised).

    Each question's candidates weigh as much together as one question (`groups` says which rows
    belong to one question), so a question with many figures in its passages does not dominate.
    """
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1
    xs = (x - mean) / scale
    _, inverse, counts = np.unique(groups, return_inverse=True, return_counts=True)
    w_row = 1 / counts[inverse]
    w_row = w_row / w_row.sum()
    l2 = hyper["l2"]

    def loss(params):
        w, b = params[:-1], params[-1]
        z = xs @ w + b
        g = (1 / (1 + np.exp(-z)) - y) * w_row
        return float(w_row @ (np.logaddexp(0, z) - y * z) + l2 * w @ w / 2), np.append(xs.T @ g + l2 * w, g.sum())

    free = np.array([np.inf])
    box = None if bounds is None else (np.append(bounds[0], -free), np.append(bounds[1], free))
    params = _minimize(loss, x.shape[1] + 1, box, hyper)
    return mean, scale, params[:-1], float(params[-1])


def _minimize(loss, size: int, bounds: tuple[np.ndarray, np.ndarray] | None, hyper: dict) -> np.ndarray:
    """The minimum of a smooth convex loss (returning value and gradient) by L-BFGS-B from zero, each
    parameter within its (lower, upper) bound. Gradient descent with a fixed step, used before, stopped
    short or oscillated on correlated features: held-out ranking 0.90 against 0.94 (bench/rank_loo.py)."""
    from scipy.optimize import minimize

    box = None
    if bounds is not None:
        box = [(None if np.isinf(lo) else lo, None if np.isinf(hi) else hi) for lo, hi in zip(*bounds)]
    return minimize(loss, np.zeros(size), jac=True, method="L-BFGS-B", bounds=box,
                    options={"maxiter": int(hyper["max_iter"])}).x


def confidence_features(row: dict[str, float], names: Sequence[str], order: np.ndarray, i: int) -> list[float]:
    """The first candidate's own features, its softmax share among the question's candidates and its lead
    over the second."""
    share = 1 / np.exp(order - order[i]).sum()
    rest = np.delete(order, i)
    lead = order[i] - rest.max() if len(rest) else order[i]
    return [row[n] for n in names] + [float(share), float(lead)]


def fit_confidence(x: np.ndarray, y: np.ndarray, groups: np.ndarray, names: Sequence[str], scores: np.ndarray,
                   hyper: dict) -> dict:
    """Pointwise logistic regression on each question's first-ranked candidate (by `scores`): is it right?"""
    rows, labels = [], []
    for g in np.unique(groups):
        idx = np.where(groups == g)[0]
        i = int(np.argmax(scores[idx]))
        row = dict(zip(names, x[idx[i]]))
        rows.append(confidence_features(row, names, scores[idx], i))
        labels.append(y[idx[i]])
    cx, cy = np.array(rows), np.array(labels)
    cm, cs, cc, cb = fit_logistic(cx, cy, np.arange(len(cy)), dict(hyper, l2=hyper.get("conf_l2", hyper["l2"])))
    return {"mean": cm, "scale": cs, "coef": cc, "intercept": cb}


def fit_ranking(x: np.ndarray, y: np.ndarray, groups: np.ndarray, mean: np.ndarray, scale: np.ndarray,
                hyper: dict, bounds: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    """Conditional logit: a softmax over each question's candidates, fitted to put its right ones first
    (questions without a right candidate say nothing about ranking and are left out)."""
    xs = (x - mean) / scale
    _, inv = np.unique(groups, return_inverse=True)
    has = np.bincount(inv, weights=y) > 0
    keep = has[inv]
    xs, y, inv = xs[keep], y[keep], inv[keep]
    if not len(y):
        return np.zeros(x.shape[1])
    _, inv = np.unique(inv, return_inverse=True)
    n = inv.max() + 1
    target = y / np.bincount(inv, weights=y, minlength=n)[inv]
    l2 = hyper["rank_l2"]

    def loss(w):
        z = xs @ w
        top = np.full(n, -np.inf)
        np.maximum.at(top, inv, z)
        e = np.exp(z - top[inv])
        total = np.bincount(inv, weights=e, minlength=n)[inv]
        log_p = z - top[inv] - np.log(total)
        return float(-(target * log_p).sum() / n + l2 * w @ w / 2), xs.T @ (e / total - target) / n + l2 * w

    return _minimize(loss, x.shape[1], bounds, hyper)


def calibrate(outcomes: Sequence[tuple[str, float, bool | None]], hyper: dict) -> dict[str, float]:
    """One abstention threshold per answer type (and a `default` over all types).

    `outcomes` are (answer type, the best candidate's probability, right: True/False, None when the
    report does not answer). A wrong answer costs `wrong_cost` abstentions; the threshold with the
    lowest cost wins, ties to the lower one (fewer false abstentions).
    """
    wrong_cost = hyper["wrong_cost"]

    def best(items) -> float:
        p = np.array([o[1] for o in items], dtype=float)
        wrong = np.array([o[2] is not True for o in items], dtype=float)
        answerable = np.array([o[2] is not None for o in items], dtype=float)
        return _best_threshold(p, wrong, answerable, wrong_cost, bool(hyper.get("threshold_midpoint", False)))

    out = {"default": best(outcomes)} if outcomes else {}
    for kind in sorted({k for k, _, _ in outcomes}):
        items = [o for o in outcomes if o[0] == kind]
        if len(items) >= hyper["min_per_type"]:
            out[kind] = best(items)
    return out


def _best_threshold(p: np.ndarray, wrong: np.ndarray, answerable: np.ndarray, wrong_cost: float,
                    midpoint: bool = False) -> float:
    """The lowest confidence threshold of least cost: each answer below it an abstention (costing 1 when the
    question had an answer), each at or above it answered (costing `wrong_cost` when not right). With
    `midpoint`, halfway down to the next lower confidence: the same cost on the data, a margin for unseen ones."""
    thresholds = np.unique(np.append(p, 0))
    order = np.argsort(p, kind="stable")
    wrong_before = np.concatenate(([0], np.cumsum(wrong[order])))
    answerable_before = np.concatenate(([0], np.cumsum(answerable[order])))
    below = np.searchsorted(p[order], thresholds, side="left")  # answers under each threshold
    cost = wrong_cost * (wrong_before[-1] - wrong_before[below]) + answerable_before[below]
    best = int(np.argmin(cost))
    if midpoint and best > 0:
        return float((thresholds[best] + thresholds[best - 1]) / 2)
    return float(thresholds[best])
