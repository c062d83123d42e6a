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
from qa.answering.flow import answer_query, answer_type, decide, decided_early, score_numbers
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
        scored = score_numbers(query, ctx)
        for c, row in zip(scored.candidates, scored.rows):
            x.append([row[f] for f in FEATURES])
            y.append(1 if item.answerable and is_positive(c, query, item) else 0)
            groups.append(n)
    return np.array(x, dtype=float).reshape(-1, len(FEATURES)), np.array(y), np.array(groups)


def fit(items: Sequence[KnownAnswer], ctx: AnswerContext, hyper: dict, record: dict,
        progress: Callable[[str], None] = lambda _: None, outcomes_out: list | None = None) -> Scorer:
    """A scorer fitted on `items` (asked of the reports in `ctx`), thresholds calibrated on them (the
    outcomes they were calibrated on are appended to `outcomes_out` when given)."""
    x, y, groups = candidate_rows(items, ctx)
    progress(f"{len(y)} candidates, {int(y.sum())} positive, from {len(set(groups.tolist()))} questions")
    bounds = sign_bounds(FEATURES, hyper)
    mean, scale, coef, b = fit_logistic(x, y, groups, hyper, bounds)
    # "pointwise": candidates are ordered by the pointwise model itself; else a conditional logit of its own
    rank_coef = (coef.copy() if hyper.get("rank_by") == "pointwise"
                 else fit_ranking(x, y, groups, mean, scale, hyper, bounds))
    conf = fit_confidence(x, y, groups, FEATURES, mean, scale, rank_coef, hyper)
    scorer = Scorer(features=FEATURES, mean=mean, scale=scale, coef=coef, intercept=b, rank_coef=rank_coef,
                    conf=conf, thresholds={},
                    hyper=dict(hyper), record=dict(record))
    ctx.scorer = scorer
    outcomes = answer_outcomes(items, ctx)
    if outcomes_out is not None:
        outcomes_out.extend(outcomes)
    scorer.thresholds = calibrate(outcomes, hyper)
    scorer.record = dict(record, candidates=int(len(y)), positives=int(y.sum()), questions=len(items))
    return scorer


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
