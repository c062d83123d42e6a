"""Scoring a question's figures: every figure of the scoped report's best passages that may answer it (units,
kinds and changes are never mixed), its named features, the fitted scorer's probability and rank, and the
confidence its answer type's threshold is compared with."""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.answering.candidates import NAME_CUT, Candidate, number_candidates
from qa.answering.context import AnswerContext
from qa.answering.features import add_relative, features, is_money, target_cue
from qa.models import Hit
from qa.numbers import COUNT_UNITS, GROWTH_WORDS, POINTS, UNITS, ascii_digits, counts_alike, is_reduction_indicator
from qa.question.query import Query
from qa.question.sides import is_rate
from qa.question.words import cues

NUMERIC_MEASURES = ("level", "growth", "share", "count")
# 增加12亿元, 减少贫困人口2.6万人: a change stated (增加值 is a level: value added)
_CHANGE_BEFORE = re.compile("(?:" + "|".join(GROWTH_WORDS + ("增加",)) + ")(?!值)")


def answer_type(query: Query) -> str:
    if query.measure in NUMERIC_MEASURES:
        return "growth" if query.measure == "growth" and not query.also_growth else "level"
    if query.measure == "comparison":
        return "comparison"
    return "text"


@dataclass
class Scored:
    hits: list[Hit]
    candidates: list[Candidate]
    rows: list[dict]
    probs: list[float]
    order: list[float]
    confidence: float

    def best(self) -> tuple[Candidate, float] | None:
        """The candidate ranked first, with its (pointwise) probability of being right."""
        if not self.candidates:
            return None
        i = max(range(len(self.order)), key=lambda n: (self.order[n], -n))
        return self.candidates[i], self.confidence


def score_numbers(query: Query, ctx: AnswerContext, hits: list[Hit] | None = None, spans_only: bool = False) -> Scored:
    """Every figure of the scoped report's best passages, with its features and probability; with `spans_only`
    (a figure asked of a span, 十三五…年均增长多少), only those said of a span when there are any."""
    hits = hits if hits is not None else ctx.search(query.text, query.doc_id)
    cands = [c for c in number_candidates(hits) if may_answer(query, c)]
    if spans_only and query.span:  # not the last year's figure
        cands = [c for c in cands if cues().span_words.search(c.group)] or cands
    plan = ctx.plan_year(query.doc_id)
    if query.kind in ("target", "plan") and plan is not None:  # a result never answers a target asked,
        cands = [c for c in cands if c.passage.period is None or c.passage.period >= plan or target_cue(c)]
        if query.years and not query.year_assumed:  # nor another year's target (2020年目标 for 2019年目标)
            cands = [c for c in cands if c.passage.period in (None, *query.years)
                     or any(str(y) in ascii_digits(c.sentence.text) for y in query.years)]
    cover = ctx.cover(query.topic, query.doc_id)
    plan, review = ctx.plan_year(query.doc_id), ctx.review_year(query.doc_id)
    sems = ctx.similarities(query.text, [c.group + c.q.raw + c.after for c in cands]) if query.language == "en" else None
    rows = add_relative([features(c, query, cover, ctx.idf_of(query.doc_id), plan, review, sems[n] if sems is not None else 0)
                         for n, c in enumerate(cands)])
    probs = [float(p) for p in ctx.scorer.probabilities(rows)]
    order = [float(r) for r in ctx.scorer.ranks(rows)]
    return Scored(hits, cands, rows, probs, order, ctx.scorer.confidence(rows, order))


def may_answer(query: Query, c: Candidate) -> bool:
    """A question asking a count (多少条, 几家, how many) is never answered by a measure (46公里, 8.2%), a unit
    (多少亿元) by another kind of unit, nor a change (增长了多少, how fast) by a level (96.5亿元): units are never mixed. Other mismatches are the scorer's
    to weigh."""
    if c.reduction and query.language == "zh" and not is_reduction_indicator(query.topic):
        return False  # 单位地区生产总值能耗下降3.2% is no figure of 地区生产总值
    if query.measure == "growth" and not query.also_growth and not query.unit:
        if c.q.unit == POINTS and not is_rate(query.topic):
            return False  # 提高1.3个百分点 is the change of a rate (城镇化率), no growth rate of a level
        return c.q.is_growth or c.q.unit == "倍" or _CHANGE_BEFORE.search(NAME_CUT.split(c.lead)[-1]) is not None
    if query.measure not in ("level", "count"):
        return True
    if query.unit and not query.classifier_only and query.unit not in ("%", "个百分点"):
        return unit_fits(c.q.unit, query.unit)  # 多少亿元 is never answered by 7.5% nor by 3200人
    if not query.classifier_only:
        return True
    if query.unit:
        return counts_alike(query.unit, c.q.unit)
    return UNITS.get(c.q.unit, (c.q.unit,))[0] in COUNT_UNITS


def unit_fits(unit: str, asked: str) -> bool:
    """A figure's unit may answer the unit asked: never a rate for an amount (7.5% for 多少亿元), never another
    kind of thing for money (3200人 for 多少万元); near units (张 for 床, 个工作日 for 天) are the scorer's to weigh."""
    if unit in ("%", POINTS):
        return False
    if is_money(asked) or is_money(asked + "元"):
        return is_money(unit)
    return True
