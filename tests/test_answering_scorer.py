"""The fitted scorer: logistic regression that can learn, thresholds that trade wrong answers against
abstentions, weights that round-trip through their file, and no weight or threshold in code."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import numpy as np

from qa.answering.features import FEATURES
from qa.answering.scorer import Scorer, calibrate, default_path, fit_logistic, fit_ranking

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "qa" / "answering"
HYPER = {"l2": 0.001, "max_iter": 300, "wrong_cost": 2.0, "min_per_type": 2}


def test_logistic_regression_learns_the_feature_that_separates():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 3))
    y = (x[:, 1] > 0).astype(float)
    groups = np.arange(200) // 4
    mean, scale, coef, b = fit_logistic(x, y, groups, HYPER)
    assert np.argmax(np.abs(coef)) == 1 and coef[1] > 0
    scorer = Scorer(features=("a", "b", "c"), mean=mean, scale=scale, coef=coef, intercept=b)
    probs = scorer.probabilities([dict(zip("abc", row)) for row in x])
    assert ((probs > 0.5) == (y == 1)).mean() > 0.9


def test_thresholds_weigh_wrong_answers_against_abstentions():
    # right answers are confident, wrong ones and unanswerable ones are not
    outcomes = [("level", 0.9, True)] * 5 + [("level", 0.3, False)] * 3 + [("level", 0.2, None)] * 3
    thresholds = calibrate(outcomes, HYPER)
    assert 0.3 < thresholds["level"] <= 0.9
    assert "default" in thresholds
    # a type with too few items falls back to the default
    assert "growth" not in calibrate(outcomes + [("growth", 0.5, True)], HYPER)


def test_weights_round_trip(tmp_path):
    scorer = Scorer(features=("a",), mean=np.zeros(1), scale=np.ones(1), coef=np.array([2.0]), intercept=-1,
                    thresholds={"level": 0.25}, hyper=dict(HYPER), record={"fitted_on": ["x.jsonl"]})
    path = scorer.save(tmp_path / "w.json")
    again = Scorer.load(path)
    assert again.threshold("level") == 0.25 and again.record == {"fitted_on": ["x.jsonl"]}
    assert np.allclose(again.probabilities([{"a": 1}]), scorer.probabilities([{"a": 1}]))


def test_shipped_weights_cover_every_feature_and_say_what_they_were_fitted_on():
    data = json.loads(default_path().read_text(encoding="utf-8"))
    assert tuple(data["features"]) == FEATURES
    assert data["record"]["fitted_on"]
    assert {"level", "growth", "text"} <= set(data["thresholds"]) | {"level", "growth", "text"}
    assert "default" in data["thresholds"]


def test_no_float_literal_in_the_answering_code():
    """Weights and thresholds live in weights.json only."""
    found = []
    for path in sorted(PACKAGE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, float):
                found.append(f"{path.name}:{node.lineno}: {node.value}")
    assert not found, found


def test_ranking_puts_each_questions_right_candidate_first():
    rng = np.random.default_rng(1)
    groups = np.repeat(np.arange(60), 5)
    x = rng.normal(size=(300, 2))
    y = np.zeros(300)
    for q in range(60):  # the right one has the highest first feature of its question
        rows = np.where(groups == q)[0]
        y[rows[np.argmax(x[rows, 0])]] = 1
    hyper = dict(HYPER, rank_l2=0.001)
    w = fit_ranking(x, y, groups, x.mean(0), x.std(0), hyper)
    assert w[0] > abs(w[1])


def test_confidence_has_its_own_regularisation():
    """`conf_l2` shrinks the confidence model (fitted on one row per question, few rows) without touching
    the candidate model; without it the confidence model uses `l2`."""
    from qa.answering.scorer import fit_confidence

    rng = np.random.default_rng(2)
    groups = np.repeat(np.arange(80), 4)
    x = rng.normal(size=(320, 2))
    y = np.zeros(320)
    for q in range(80):
        rows = np.where(groups == q)[0]
        if q % 3:  # a third of the questions have no right candidate
            y[rows[np.argmax(x[rows, 0])]] = 1
    mean, scale = x.mean(0), x.std(0)
    scores = ((x - mean) / scale) @ np.array([1, 0])
    loose = fit_confidence(x, y, groups, ("a", "b"), scores, HYPER)
    tight = fit_confidence(x, y, groups, ("a", "b"), scores, dict(HYPER, conf_l2=1))
    assert np.abs(tight["coef"]).sum() < np.abs(loose["coef"]).sum()


def test_a_midpoint_threshold_keeps_the_fitted_cost_and_leaves_a_margin_below():
    """Answers at 0.2 (wrong), 0.6 and 0.8 (right): the least-cost threshold is 0.6; with the midpoint, 0.4,
    which answers and withholds the same fitted answers and admits an unseen right answer at 0.5."""
    outcomes = [("level", 0.2, False), ("level", 0.6, True), ("level", 0.8, True)]
    hyper = {"wrong_cost": 1.5, "min_per_type": 1}
    assert calibrate(outcomes, hyper)["level"] == 0.6
    assert abs(calibrate(outcomes, dict(hyper, threshold_midpoint=True))["level"] - 0.4) < 1e-12
