"""Comparisons: two figures, each picked by the fitted ranker within its own side (topic, year,
kind, report), compared like with like, both cited, the arithmetic shown.

The value is the number that answers the question as worded (shared/eval/README.md): a
difference's magnitude (never negative, the direction in words), a sum, or for "哪个高/哪个快"
the winning side's figure. A comparison is "consistent" only when both sides' rows are
independently matched in the fact table; otherwise it is unchecked.
"""

from __future__ import annotations

import math
import re
from typing import Callable

from qa import wording
from qa.answering import compose, derive, pairs
from qa.answering.candidates import (CLAUSE_CUT, DIRECTION_WORDS, GAP_START, Candidate, answer_value, average_words,
                                     averaged, is_rate_figure, quantities)
from qa.answering.pairs import convertible
from qa.answering.compose import base, indicator, qualifier_of
from qa.answering.context import AnswerContext
from qa.models import Answer, Citation, NumericAnswer
from qa.numbers import PER_PERIOD, POINTS, convert, per_period, period_said, without_per_period
from qa.question.query import Query, Side
from qa.question.words import cues

# A side of a comparison is answered when its ranker confidence reaches the scorer's
# `comparison_side_floor` (weights.json hyper, from qa.cli.fit_cmds.HYPER), not its own answer type's
# threshold: the question has already named both sides, and a side's words are often a fragment
# ("农村", "主体完工面积") of the report's name for it. Fitted on the two-sided comparisons of
# tests/known_answers.jsonl and bench/questions/*.train.jsonl (36 items; thresholds off): every right
# answer's weaker side scored >= 0.159, the wrong ones it would add <= 0.083; the midpoint, 0.12.
# Measured on the dev gold files (10 items, not used to fit): all 7 right answers kept, both wrong ones
# (weaker side 0.008 and 0.0) abstain. No unanswerable item of that data parses as two-sided.
SIDE_FLOOR = "comparison_side_floor"

# (query, ctx) -> Scored; (query, ctx, candidate, value, unit, growth) -> (verdict, fact_ids, detail)
Scorer = Callable
Verifier = Callable


def side_query(query: Query, side: Side) -> Query:
    """The question one side asks: its own words, year, kind and report (a side naming its year asks no span)."""
    years = (side.year,) if side.year else query.years
    span = {"span": False, "span_start": None} if side.year else {}  # 2015年的 side of 十三五…: that one year
    return query.model_copy(update={**span,
        "topic": side.topic, "text": " ".join(filter(None, (str(side.year or ""), side.topic, _kind_word(side)))),
        "years": years, "kind": side.kind, "measure": side.measure, "also_growth": False, "sides": (),
        "doc_id": side.doc_id or query.doc_id, "unit": None if query.unit in ("个百分点", RATIO_UNIT) else query.unit,
    })


RANGE_NOTE = "，区间按下限计算"
RATIO_UNIT = "倍"  # A是B的几倍: the unit of the answer, not of either side


def _kind_word(side: Side) -> str:
    """目标 for a target side: its words find the plan's list as the plain question does (今年…目标是多少)."""
    return wording.KIND_WORDS["target"] if side.kind == "target" else ""


def _measured_against(a: Candidate, b: Candidate, ranked, sides) -> tuple[Candidate, Candidate]:
    """A result and the target of the same year asked (离目标差几个百分点): when the result's own sentence measures
    it against a target in the clause right after it ("增长5.2%，没有完成年初确定的增长9%的预期目标"), that target is
    the other side, whatever else ranked first on its words."""
    kinds = [s.kind for s in sides[:2]]
    if sorted(kinds) != ["result", "target"] or sides[0].year != sides[1].year:
        return a, b
    at = kinds.index("target")
    result = (a, b)[1 - at]
    against = next((c for _, _, c in ranked[at] if _gap_after(result, c)), None)
    if against is None:
        return a, b
    return (result, against) if at == 1 else (against, result)


def _gap_after(result: Candidate, c: Candidate) -> bool:
    """`c` stands in the clause right after `result`'s, a clause measuring it against another (低于/没有完成…)."""
    own = CLAUSE_CUT.split(c.group)[-1]
    return (c.passage.id, c.sentence) == (result.passage.id, result.sentence) and c.q.start > result.q.end \
        and GAP_START.match(own) is not None and not quantities(c.text[result.q.end:c.q.start - len(own)])


def compare(query: Query, ctx: AnswerContext, score: Scorer, verify: Verifier, kind_of: Callable) -> Answer:
    """Answer a comparison question; `score`, `verify` and `kind_of` are the flow's own steps."""
    if len(query.sides) < 2:
        return within_sentence(query, ctx, score)
    subs, ranked, sure = [], [], True
    for side in query.sides:
        sub = side_query(query, side)
        scored = score(sub, ctx, spans_only=sub.span_start is not None)  # 十三五年均增速 against its plan: 5.2%
        best = scored.best()
        own = ctx.scorer.threshold(kind_of(sub))
        if best is None:
            return compose.abstain(query, "no_figure", ctx.search(query.text, query.doc_id))
        sure = sure and best[1] >= min(ctx.scorer.hyper.get(SIDE_FLOOR, own), own)
        order = sorted(zip(scored.order, range(len(scored.candidates)), scored.candidates), key=lambda t: (-t[0], t[1]))
        if side.places:  # 赤泉市's figure names 赤泉市 in its clause (as a part of the area asked alone must)
            names = [n for p in side.places for n in ctx.place_names(p)]
            order = [t for t in order if any(n in t[2].group + t[2].q.raw + t[2].after for n in names)]
            if not order:
                return compose.abstain(query, "place", ctx.search(query.text, query.doc_id),
                                       text=f"{compose.NOT_FOUND}{'、'.join(side.places)}的这个数字。")
        subs.append(sub)
        ranked.append(order)
    if len(ranked) > 2:  # 医保金、低保救助金和惠农补贴一共
        return total_of_parts(query, ctx, subs, ranked, sure, verify)
    stated = stated_answer(query, [side[0][2] for side in ranked if side])
    if stated is not None:
        return stated
    sa, sb = query.sides[:2]
    named = [ctx.cover(s.topic, s.doc_id or query.doc_id) for s in (sa, sb)]
    names = [lambda c, cover=cover: cover(c.group + c.q.raw + c.after) for cover in named]
    a, b = pairs.distinct_pair(ranked[0], ranked[1], names if (sa.year, sa.kind) == (sb.year, sb.kind) else None)
    a, b = _measured_against(a, b, ranked, query.sides)
    if pairs.same(a, b):  # no second figure: one figure or fact is never compared with, or added to, itself
        return compose.abstain(query, "no_figure", ctx.search(query.text, query.doc_id))
    names = None
    paired = pairs.respective_pair(query.sides, a, b, ranked)
    if not sure and paired is None:  # a side below its floor stands only in a "分别" list naming both sides
        return compose.abstain(query, "no_figure", ctx.search(query.text, query.doc_id))
    if paired is not None:
        a, b = paired
        names = tuple(s.topic.replace(" ", "") for s in query.sides[:2])
    elif indicator(a) == indicator(b) and a.period != b.period:
        # one indicator in two years (今年目标比去年实际): each side says which year and kind it is
        names = tuple(f"{indicator(c)}（{_when(c, side)}）" for c, side in zip((a, b), query.sides[:2]))
    qa_, qb = subs
    va, ua, _ = answer_value(a, qa_)
    vb, ub, _ = answer_value(b, qb)
    if is_rate_figure(a) != is_rate_figure(b) or (ua != ub and not convertible(ub, ua)):
        return compose.abstain(query, "unlike", ctx.search(query.text, query.doc_id),
                               text="两个数字不是同一种量（增速与总量、或单位不同），无法直接比较。")
    vb_shown = convert(vb, ub, ua) if ub != ua else vb
    periodic = per_period_compared(a, b, va, vb_shown, ua, names, query.normalized)
    if periodic is not None:  # 每月620元 against 每年4800元: both per year (or per the period asked), the conversion shown
        va, vb_shown, names = periodic
    if query.unit and query.unit != ua and convertible(ua, query.unit):
        # 少了多少人 of 1万人 and 12122人: both in the unit asked, 2122人
        va, vb_shown, ua = convert(va, ua, query.unit), convert(vb_shown, ua, query.unit), query.unit
    # each side checked on its own row, in its own unit: both must match for the comparison to be vouched for
    both = periodic is None and (verify(qa_, ctx, a, va, ua, None)[0] == "consistent"
                               and verify(qb, ctx, b, vb, ub, None)[0] == "consistent")
    verdict = "consistent" if both else "unchecked"
    if query.operation == "sum":
        return total(query, a, b, va, vb_shown, ua, verdict, names)
    if query.operation == "which":
        return which(query, a, b, va, vb_shown, ua, names)
    if query.operation == "ratio":
        return ratio(query, a, b, va, vb_shown, ua, verdict, names)
    stated = stated_gap([t[2] for side in ranked for t in side], (a, b), _round(va - vb_shown, va, vb_shown),
                        "个百分点" if ua == "%" else ua)
    return difference(query, a, b, va, vb_shown, ua, ua == "%", verdict, signed=query.operation == "change",
                      names=names, stated=stated)




_DIRECTION = DIRECTION_WORDS
_HIGHER = "高|快|多|增加"
# the words before a difference the report states, its yardstick in a group: "比年初预期目标低", "低于年初预期目标"
_GAP = re.compile(rf"(?:(?:比|较)(?P<than>[^，,；;。]{{0,14}}?)(?:{_DIRECTION})了?|(?:{_DIRECTION})于(?P<below>[^，,；;。]{{0,14}}))$")


def _gap(words: str) -> re.Match | None:
    """The comparing words ending `words` (the text just before a figure), if any."""
    return _GAP.search(words)


def _yardstick(m: re.Match) -> str:
    return m.group("than") if m.group("than") is not None else m.group("below")


def yardstick_words(words: str) -> str:
    """The yardstick a difference is stated against, from the words before the difference ("，增速比年初预期低":
    年初预期); "" when they compare with nothing."""
    m = _gap(words)
    return (_yardstick(m) or "").strip("，,、 ") if m else ""


def gap_is_higher(words: str) -> bool:
    """The figure before a stated difference is above its yardstick (高, 快, 多, 增加), from the comparing words."""
    m = _gap(words)
    return m is not None and re.search(f"(?:{_HIGHER})", m.group(0)) is not None


def per_period_compared(a: Candidate, b: Candidate, va: float, vb: float, unit: str, names, asked: str):
    """Two figures stated per different periods (每人每月620元, 每人每年4800元): both per the period the question
    says (每月), else per year, each side's name saying how it was converted; None when they are stated per the
    same period or not per a period."""
    pa, pb = per_period(a.lead), per_period(b.lead)
    if pa is None or pb is None or PER_PERIOD[pa] == PER_PERIOD[pb]:
        return None
    to = period_said(asked) or "年"
    na, nb = names or (indicator(a), indicator(b))

    def converted(name: str, value: float, period: str) -> tuple[float, str]:
        n, m = PER_PERIOD[period], PER_PERIOD[to]
        name = without_per_period(name)
        if n == m:
            return value, f"{name}（每{period}）"
        if n > m:
            return value * n / m, f"{name}（每{period}{wording.figure(value, unit)}×{n // m}）折合每{to}"
        return value * n / m, f"{name}（每{period}{wording.figure(value, unit)}÷{m // n}）折合每{to}"

    (va, na), (vb, nb) = converted(na, va, pa), converted(nb, vb, pb)
    return va, vb, (na, nb)


def stated_answer(query: Query, firsts: list[Candidate]) -> Answer | None:
    """A side's figure followed by the report's own difference to the other side ("固定资产投资增长6.2%，比年初预期
    目标低1.8个百分点", "比上年实际增速低0.2个百分点"): that difference answers, quoted, when the other side is a
    target or the previous year's result and the report need not state it as a figure of its own."""
    if len(query.sides) < 2 or query.operation not in (None, "difference"):
        return None
    a, b = query.sides[:2]
    if (a.kind, a.year) == (b.kind, b.year) or a.topic.replace(" ", "") != b.topic.replace(" ", ""):
        return None
    other = cues().target if "target" in (a.kind, b.kind) and a.kind != b.kind else cues().vs_previous_year
    for c in firsts:
        qs = quantities(c.sentence.text)
        at = next((n for n, q in enumerate(qs) if q.start == c.q.start), None)
        if at is None or at + 1 >= len(qs):
            continue
        gap = qs[at + 1]
        between = c.sentence.text[c.q.end:gap.start].lstrip("，, ")
        words = _gap(between)
        unit = "个百分点" if c.q.unit == "%" else c.q.unit
        if words and words.start() == 0 and other.search(_yardstick(words)) and gap.unit == unit:
            span = (c.q.start - len(c.lead), gap.end)
            said = c.sentence.text[span[0]:span[1]].strip("，,、；;：: ")
            return base(query, answer=f"报告原文：“{said}”：差{wording.figure(gap.value, unit)}[1]。",
                        citations=(compose.citation(c.passage, c.sentence, span),),
                        numeric=NumericAnswer(value=gap.value, unit=unit, verdict="unchecked"))
    return None


def stated_gap(candidates: list[Candidate], sides: tuple[Candidate, Candidate], diff: float,
               unit: str) -> Citation | None:
    """The report's own statement of the difference computed ("固定资产投资增长3.1%，低于年初预期目标4.9个百分点"):
    a figure of that magnitude and unit after a comparing word, in a retrieved sentence also stating one
    side's figure. It is quoted first, as the words that answer the question."""
    said = {(s.q.value, s.q.unit) for s in sides}
    seen = set()
    for c in candidates:
        if c.sentence.text in seen:
            continue
        seen.add(c.sentence.text)
        qs = quantities(c.sentence.text)
        if not any((q.value, q.unit) in said for q in qs):
            continue
        for n, q in enumerate(qs):
            before = c.sentence.text[qs[n - 1].end if n else 0:q.start]
            if q.unit == unit and math.isclose(q.value, abs(diff)) and _gap(before):
                return compose.citation(c.passage, c.sentence, (q.start - len(before), q.end))
    return None


def _round(x: float, *given: float) -> float:
    """An arithmetic result to the precision of the figures it is made of (no 0.2999999999999998)."""
    places = max((len(f"{v:g}".split(".")[1]) if "." in f"{v:g}" else 0) for v in given)
    return round(x, places)


def within_sentence(query: Query, ctx: AnswerContext, score: Scorer) -> Answer:
    """"由27.4%提高到31.2%", "分别达到72480元和41360元": two like figures of the best sentence."""
    scored = score(query, ctx)
    best = scored.best()
    if best is None or best[1] < ctx.scorer.threshold("comparison"):
        return compose.abstain(query, "no_figure", scored.hits)
    c = best[0]
    same = [o for o in scored.candidates
            if o.sentence == c.sentence and o is not c and o.q.unit == c.q.unit and o.q.is_growth == c.q.is_growth]
    if not same:
        if query.derive == "change" and stated_change(c):  # 存贷比提高了多少: "存贷比较上年提高2.4个百分点"
            return said_change(query, c)
        return compose.abstain(query, "no_pair", scored.hits)
    other = min(same, key=lambda o: abs(o.index - c.index))
    first, second = (c, other) if c.index < other.index else (other, c)
    if query.operation == "sum":
        return total(query, first, second, first.q.value, second.q.value, c.q.unit, "unchecked")
    if query.operation == "which":
        return which(query, first, second, first.q.value, second.q.value, c.q.unit)
    hi, lo = (first, second) if first.q.value >= second.q.value else (second, first)
    return difference(query, hi, lo, hi.q.value, lo.q.value, c.q.unit, c.q.unit == "%", "unchecked")


def stated_change(c: Candidate) -> bool:
    """A figure the report states as a change itself: percentage points, or an amount right after a change
    verb ("较上年提高2.4个百分点", "比上年增加3000户"), not a growth rate."""
    if c.q.unit == POINTS:
        return True
    said = derive.cues()
    return not c.q.is_growth and c.q.unit != "%" and bool(said["increment"].search(c.lead) or said["decrement"].search(c.lead))


def said_change(query: Query, c: Candidate) -> Answer:
    """The change as the report words it, quoted whole (its verb says the direction)."""
    span = (c.q.start - len(c.lead.lstrip("，,、；; ")), c.q.end)
    said = c.sentence.text[span[0]:span[1]].strip()
    when = f"{c.period}年" if c.period else ""
    return base(query, answer=f"{when}{said}[1]。", citations=(compose.citation(c.passage, c.sentence, span),),
                numeric=NumericAnswer(value=c.q.value, unit=c.q.unit, period=c.period,
                                      qualifier=qualifier_of(c), verdict="unchecked"))


def _cites(a: Candidate, b: Candidate):
    return compose.citations_of(a, b)


def _name(c: Candidate, default: str, named: str | None = None) -> str:
    """The side's words; a rate's trailing 增长/增速 is left to the figure's own wording (no 增长增长6.5%).
    A figure of a "分别" list is named by the side it was paired with (`named`)."""
    words = named or compose.unhedged(indicator(c), qualifier_of(c))  # _said shows the qualifier
    if c.q.is_growth:
        words = re.sub(r"(?:增长|增速|增幅)$", "", words)
        words = average_words().sub("", words) if averaged(c.text, c.q) else words  # _said says 年均
    return words or default


def _operand(value: float, unit: str) -> str:
    shown = wording.figure(abs(value), unit)
    return f"（−{shown}）" if value < 0 else shown


def _said(c: Candidate, value: float, unit: str) -> str:
    high = compose.range_high(c, value, unit)  # 增长6.5%—7%: both ends shown
    if c.q.is_growth:  # 增长7%左右: a target's qualifier is part of its figure, here too; 年均增长 of a span
        said = wording.change(value, qualifier_of(c), reduction=c.reduction, unit=c.q.unit, high=high)
        return averaged(c.text, c.q) + said
    return wording.figure(value, unit, qualifier_of(c), high=high)


def _when(c: Candidate, side) -> str:
    target = side.kind in ("target", "plan")
    return f"{c.period}年" + (wording.KIND_WORDS["target"] if target else "")


def difference(query: Query, a: Candidate, b: Candidate, va: float, vb: float, unit: str, points: bool,
               verdict: str, signed: bool = False, names: tuple[str, str] | None = None,
               stated: Citation | None = None) -> Answer:
    """A − B, shown as its magnitude with the direction in words (rates: 个百分点); a change asked
    ("变化了多少", "增减多少") keeps its sign as the value."""
    diff = _round(va - vb, va, vb)
    shown_unit = "个百分点" if points else unit
    said = wording.difference(abs(diff), shown_unit, diff >= 0, points=points)
    na, nb = names or (None, None)
    ranged = any(compose.range_high(c, v, unit) is not None for c, v in ((a, va), (b, vb)))
    text = (f"{_name(a, '前者', na)}{_said(a, va, unit)}，{_name(b, '后者', nb)}{_said(b, vb, unit)}："
            f"前者{said}（{_operand(va, unit)} − {_operand(vb, unit)}{RANGE_NOTE if ranged else ''}）。")
    num = NumericAnswer(value=diff if signed else abs(diff), unit=shown_unit, verdict=verdict)
    cites = _cites(a, b)
    if stated is not None:  # the report states the difference itself: quoted first
        text += f"报告原文：“{stated.quote[stated.highlight[0]:stated.highlight[1]].strip('，,、；;：: ')}”。"
        cites = (stated,) + tuple(c for c in cites if c.quote != stated.quote)
    return base(query, answer=text, citations=cites, numeric=num)


def ratio(query: Query, a: Candidate, b: Candidate, va: float, vb: float, unit: str, verdict: str,
          names: tuple[str, str] | None = None) -> Answer:
    """A是B的几倍: A ÷ B to two decimals, both quoted; nothing when B is zero."""
    if not vb:
        return compose.abstain(query, "unlike", text="后者为零，无法计算倍数。")
    times = round(va / vb, 2)
    na, nb = names or (None, None)
    text = (f"{_name(a, '前者', na)}{_said(a, va, unit)}，{_name(b, '后者', nb)}{_said(b, vb, unit)}："
            f"前者是后者的{wording.figure(times, RATIO_UNIT)}（{_operand(va, unit)} ÷ {_operand(vb, unit)}）。")
    return base(query, answer=text, citations=_cites(a, b),
                numeric=NumericAnswer(value=times, unit=RATIO_UNIT, verdict=verdict))


def total_of_parts(query: Query, ctx: AnswerContext, subs: list, ranked: list, sure: bool, verify: Verifier) -> Answer:
    """A sum of more than two parts: each part's best figure not taken by another and like the first
    part's (among its first few), in the first part's unit; vouched for only when every part is."""
    if not sure or not all(ranked):
        return compose.abstain(query, "no_figure", ctx.search(query.text, query.doc_id))
    chosen = [ranked[0][0][2]]
    for side in ranked[1:]:
        pick = next((t[2] for t in side[:pairs.LIKE_DEPTH] if pairs.key(t[2]) not in {pairs.key(c) for c in chosen}
                     and pairs.like(t[2], chosen[0])), None)
        if pick is None:
            return compose.abstain(query, "unlike", ctx.search(query.text, query.doc_id),
                                   text="几个数字不是同一种量（增速与总量、或单位不同），无法直接相加。")
        chosen.append(pick)
    values = [answer_value(c, sub) for c, sub in zip(chosen, subs)]
    unit = values[0][1]
    shown = [convert(v, u, unit) if u != unit else v for v, u, _ in values]
    verdict = "consistent" if all(verify(sub, ctx, c, v, u, None)[0] == "consistent"
                                  for c, sub, (v, u, _) in zip(chosen, subs, values)) else "unchecked"
    whole, text = _sum([(c, v, _name(c, f"第{n}项")) for n, (c, v) in enumerate(zip(chosen, shown), 1)], unit)
    return base(query, answer=text, citations=compose.citations_of(*chosen), numeric=NumericAnswer(value=whole, unit=unit, verdict=verdict))


def _sum(parts: list[tuple[Candidate, float, str]], unit: str) -> tuple[float, str]:
    """The total of (figure, value in `unit`, name) parts, and its wording with the arithmetic shown."""
    values = [v for _, v, _ in parts]
    whole = _round(sum(values), *values)
    said = "，".join(f"{name}{_said(c, v, unit)}" for c, v, name in parts)
    return whole, f"{said}：合计{wording.figure(whole, unit)}（{' + '.join(_operand(v, unit) for v in values)}）。"


def total(query: Query, a: Candidate, b: Candidate, va: float, vb: float, unit: str, verdict: str,
          names: tuple[str, str] | None = None) -> Answer:
    na, nb = names or (None, None)
    whole, text = _sum([(a, va, _name(a, "前者", na)), (b, vb, _name(b, "后者", nb))], unit)
    return base(query, answer=text, citations=_cites(a, b), numeric=NumericAnswer(value=whole, unit=unit, verdict=verdict))


def which(query: Query, a: Candidate, b: Candidate, va: float, vb: float, unit: str,
          names: tuple[str, str] | None = None) -> Answer:
    """哪个快/哪个高: the side that is higher, its figure as the value, both quoted."""
    na, nb = names or (None, None)
    hi, vhi, nhi, lo, vlo, nlo = (a, va, na, b, vb, nb) if va >= vb else (b, vb, nb, a, va, na)
    if vhi == vlo:  # 都增长8%: neither is ahead
        same = "一样快" if a.q.is_growth else "相同"
        text = f"两者{same}：{_name(a, '前者', na)}{_said(a, va, unit)}；{_name(b, '后者', nb)}{_said(b, vb, unit)}。"
    else:
        ahead = "更快" if a.q.is_growth else "更高"
        gap = _round(vhi - vlo, vhi, vlo)
        by = f"高{wording.format_number(gap)}个百分点" if unit == "%" else f"多{wording.figure(gap, unit)}"
        text = (f"{_name(hi, '前者', nhi)}{ahead}：{_said(hi, vhi, unit)}；"
                f"{_name(lo, '后者', nlo)}{_said(lo, vlo, unit)}；前者{by}。")
    # the higher side's figure answers "which", not a difference the question may also ask: never vouched for
    return base(query, answer=text, citations=compose.citations_of(hi, lo),
                numeric=NumericAnswer(value=vhi, unit=unit, verdict="unchecked"))
