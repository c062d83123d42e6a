"""Fitting the scorer on known answers: labelled candidates -> logistic regression -> abstention
thresholds calibrated on the answers the fitted scorer gives.

A candidate is positive when the value it would answer (converted to the gold unit) equals the gold
`value` (and the stated growth equals `growth_pct` where both are set), and its sentence holds the
gold `answer_text` or the figure as the gold quote writes it.
"""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np

from qa.answering.candidates import answer_value
from qa.answering.context import AnswerContext, parse_query
from qa.answering.features import FEATURES
from qa.answering.flow import answer_query, decide, decided_early
from qa.answering.scoring import answer_type, score_numbers
from qa.answering.scorer import Scorer, calibrate, fit_confidence, fit_logistic, fit_ranking, sign_bounds
from qa.errors import InputError
from qa.evaluate import KnownAnswer, _same_value, judge, squash

NUMERIC = ("numeric_2017", "numeric_2018_target")


def is_positive(c, query, item: KnownAnswer) -> bool:
    value, unit, growth = answer_value(c, query)
    if item.value is None or not _same_value(value, unit, item.value, item.unit):
        return False
    if item.growth_pct is not None and growth is not None and not _same_value(growth, "%", item.growth_pct, "%"):
        return False
    gold = squash(item.answer_text or "")
    return gold in squash(c.sentence.text) or squash(c.q.raw) in gold


def _query(item: KnownAnswer, ctx: AnswerContext):
    try:
        return parse_query(item.question, (), item.doc_id, ctx)
    except InputError:
        return None


def candidate_rows(items: Sequence[KnownAnswer], ctx: AnswerContext):
    """(feature matrix, labels, question of each row) over the numeric and unanswerable items."""
    x, y, groups = [], [], []
    for n, item in enumerate(items):
        if item.category not in NUMERIC and item.category != "unanswerable":
            continue
        query = _query(item, ctx)
        if query is None or query.measure not in ("level", "growth", "share", "count") or decided_early(query, ctx):
            continue  # settled before any figure is scored: its candidates are no evidence either way
        scored = score_numbers(query, ctx, spans_only=True)  # the figures `_numeric` weighs
        for c, row in zip(scored.candidates, scored.rows):
            x.append([row[f] for f in FEATURES])
            y.append(1 if item.answerable and is_positive(c, query, item) else 0)
            groups.append(n)
    return np.array(x, dtype=float).reshape(-1, len(FEATURES)), np.array(y), np.array(groups)


def fit(items: Sequence[KnownAnswer], ctx: AnswerContext, hyper: dict, record: dict,
        progress: Callable[[str], None] = lambda _: None, outcomes_out: list | None = None) -> Scorer:
    """A scorer fitted on `items` (asked of the reports in `ctx`), its thresholds calibrated on answers
    given by scorers that did not see the question (cross-fitting: see `folds`), so that they are set for
    the confidences of unseen questions rather than the higher ones of the questions fitted on. The
    outcomes calibrated on are appended to `outcomes_out` when given."""
    x, y, groups = candidate_rows(items, ctx)
    progress(f"{len(y)} candidates, {int(y.sum())} positive, from {len(set(groups.tolist()))} questions")
    fold_of = np.full(len(items), -1)
    for f, part in enumerate(folds(items, int(hyper.get("conf_folds", 0)))):
        fold_of[part] = f
    fold_rows = fold_of[groups] if len(groups) else np.zeros(0, dtype=int)
    scorer = fit_models(x, y, groups, hyper, dict(record), fold_rows)
    outcomes = []
    parts = folds(items, int(hyper.get("cv_folds", 0)))
    for part in parts:
        if len(parts) > 1:
            out = np.isin(groups, part)
            ctx.scorer = fit_models(x[~out], y[~out], groups[~out], hyper, dict(record), fold_rows[~out])
        else:
            ctx.scorer = scorer
        outcomes.extend(answer_outcomes([items[i] for i in part], ctx))
    ctx.scorer = scorer
    if outcomes_out is not None:
        outcomes_out.extend(outcomes)
    scorer.thresholds = calibrate(outcomes, hyper)
    scorer.record = dict(record, candidates=int(len(y)), positives=int(y.sum()), questions=len(items),
                         calibrated_on=f"{len(parts)} cross-fitted folds" if len(parts) > 1 else "the fitted questions")
    return scorer


def folds(items: Sequence[KnownAnswer], k: int) -> list[list[int]]:
    """Item positions in folds, for answers by a model fitted without them: one fold per report when the
    items cover several (a report's questions share its wording), else `k` folds of questions; one fold
    of all when `k` is 0 or 1."""
    if k <= 1:
        return [list(range(len(items)))]
    docs = sorted({i.doc_id or "" for i in items})
    if len(docs) > 1:
        return [[n for n, i in enumerate(items) if (i.doc_id or "") == d] for d in docs]
    return [list(range(f, len(items), k)) for f in range(min(k, len(items)))]


def fit_models(x: np.ndarray, y: np.ndarray, groups: np.ndarray, hyper: dict, record: dict,
               fold_rows: np.ndarray | None = None) -> Scorer:
    """The scorer's three models fitted on labelled candidate rows (thresholds not yet calibrated). With
    several folds in `fold_rows` (each row's fold), the confidence model learns from rankings of questions
    the ranker did not see (each fold ranked by a ranker fitted on the others), as it meets them in use."""
    bounds = sign_bounds(FEATURES, hyper)
    mean, scale, coef, b = fit_logistic(x, y, groups, hyper, bounds)
    # "pointwise": candidates are ordered by the pointwise model itself; else a conditional logit of its own
    rank = (lambda rows: coef.copy()) if hyper.get("rank_by") == "pointwise" else (
        lambda rows: fit_ranking(x[rows], y[rows], groups[rows], mean, scale, hyper, bounds))
    rank_coef = rank(np.ones(len(y), dtype=bool))
    scores = ((x - mean) / scale) @ rank_coef
    kept = np.unique(fold_rows) if fold_rows is not None and len(fold_rows) else ()
    if len(kept) > 1:
        for f in kept:
            scores[fold_rows == f] = ((x[fold_rows == f] - mean) / scale) @ rank(fold_rows != f)
    conf = fit_confidence(x, y, groups, FEATURES, scores, hyper)
    return Scorer(features=FEATURES, mean=mean, scale=scale, coef=coef, intercept=b, rank_coef=rank_coef,
                  conf=conf, thresholds={}, hyper=dict(hyper), record=record)


def answer_outcomes(items: Sequence[KnownAnswer], ctx: AnswerContext) -> list[tuple[str, float, bool | None]]:
    """(answer type, confidence, right: True/False, None when the report does not answer) of each item the
    scorer in `ctx` decides by a threshold, every threshold at zero (the answer it would give)."""
    scorer, saved = ctx.scorer, dict(ctx.scorer.thresholds)
    scorer.thresholds = {}
    outcomes = []
    try:
        for item in items:
            query = _query(item, ctx)
            if query is None or query.scope == "ambiguous":
                continue
            kind, prob = decide(query, ctx)
            if prob is None:
                continue
            answer = answer_query(query, ctx)
            if answer.abstained and answer.abstain_reason in ("place", "year", "needs_topic", "false_premise"):
                continue  # decided before any threshold
            verdict = judge(item, answer)
            right = None if not item.answerable else all(
                verdict.get(k, True) for k in ("numeric", "comparative", "citation")) and not verdict["false_abstain"]
            outcomes.append((kind, prob, right))
    finally:
        scorer.thresholds = saved
    return outcomes


__all__ = ["fit", "answer_outcomes", "candidate_rows", "is_positive", "answer_type"]
