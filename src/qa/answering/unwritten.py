"""Figures the report fixes but does not write (qa.answering.derive does the arithmetic): a change between two
states or the change it states itself, the year before the one reviewed, the annual plan from its completion
share, a whole less its part. Each is labelled as derived, the report's own figures quoted, the arithmetic shown."""

from __future__ import annotations

import re
from functools import lru_cache

from qa import wording
from qa.answering import compare, compose, derive, pairs
from qa.answering.candidates import Candidate, quantities
from qa.answering.context import AnswerContext
from qa.answering.features import asked_words
from qa.answering.scoring import Scored, answer_type, score_numbers
from qa.answering.verify import verify_answer
from qa.data import alternation
from qa.evidence import text_terms
from qa.models import Answer
from qa.numbers import GROWTH_WORDS, POINTS, base_unit, convert
from qa.question.query import Query, Side
from qa.question.words import cues

def derived(query: Query, ctx: AnswerContext) -> Answer | None:
    """The change or plan the question asks, when the report fixes it in one sentence (None: answer as usual)."""
    if query.why:
        return None
    if not query.derive:
        return _yardstick(query, ctx)
    if query.derive == "remainder":
        return _remainder(query, ctx)
    return (_change(query, ctx) or _stated_change(query, ctx)) if query.derive == "change" else _plan(query, ctx)


def _stated_change(query: Query, ctx: AnswerContext) -> Answer | None:
    """城镇化率提高了多少 where the report writes the change itself ("提高1.3个百分点"), not its two states."""
    best = score_numbers(query, ctx, spans_only=True).best()
    if best is None or best[1] < ctx.scorer.threshold(answer_type(query)) or not compare.stated_change(best[0]):
        return None
    return compare.said_change(query, best[0])


def _yardstick(query: Query, ctx: AnswerContext) -> Answer | None:
    """去年年初定的社零增长预期是多少 / 全市平均增速是多少: the report states a rate's gap to the yardstick asked, never
    the yardstick itself ("增长3.1%，增速比全市平均水平高0.4个百分点": 2.7%; "社会消费品零售总额增速比年初预期低6.8个
    百分点" with the rate, 1.2%, in another sentence: 8%). Only for a question of the year reviewed naming the
    yardstick's own words (not only 目标 or 预期), when the gap names the question's indicator at least as fully as the
    figure the scorer would answer with; a rate from another sentence must pass the growth threshold on its own."""
    if query.measure not in ("growth", "share", "level") or query.sides or not query.years:
        return None
    if query.unit is not None and query.unit not in ("%", POINTS):  # a yardstick is a rate: 民营经济增加值是多少亿元
        return None  # asks an amount, never 全市经济增速 from 增长16.5%，高于全市经济增速5.3个百分点
    review = ctx.review_year(query.doc_id)
    if review is None or set(query.years) != {review}:  # the year reviewed: its 年初预期, its 全市平均
        return None
    kind_words = {t for w in cues().raw["kind"]["target"] for t in text_terms(w) if len(t) == 2}
    asked = {t for t in text_terms(query.normalized) if len(t) == 2} - kind_words  # 年初, 全市: not 目标 alone
    if not asked & _yardstick_terms(ctx, query.doc_id):
        return None  # the report states no gap to anything the question names: no search
    cover = ctx.cover(query.topic, query.doc_id)
    gaps = [(cover(sentence.text[gap[2][0]:gap[2][1]]), n, hit, sentence, gap)
            for n, hit in enumerate(ctx.search(query.text, query.doc_id)) if hit.passage.period == review
            for sentence in hit.passage.sentences for gap in [_gap_of(sentence.text, asked)] if gap is not None]
    plain = None  # how fully the figure the scorer would answer with is named, computed once when needed
    for named, _, hit, sentence, gap in sorted(gaps, key=lambda g: (-g[0], g[1])):  # the gap naming it best first
        rate, points, span, name = gap
        if plain is None:
            best = score_numbers(query, ctx).best()
            plain = cover(best[0].text[derive.clause_start(best[0].text, best[0].q.start):best[0].q.end]) if best else 0
        if not named or named < plain:
            continue
        said = None
        if rate is None:  # the rate stands in another sentence: the indicator's own growth that year
            sub = _level_query(query, topic=name, text=name, measure="growth", kind="result")
            found = score_numbers(sub, ctx).best()
            if found is None or found[1] < ctx.scorer.threshold("growth") or found[0].q.unit != "%":
                continue
            said, rate = found[0], found[0].q
        words = sentence.text[rate.end if said is None else span[0]:points.start]  # 增速比年初预期低
        higher = compare.gap_is_higher(words)
        value = derive.minus(rate.value, points.value) if higher else derive.plus(rate.value, points.value)
        yardstick = compare.yardstick_words(words)
        cited = "" if said is None else "[2]"  # the rate's own sentence, quoted second
        result = (f"{hit.passage.period}年{yardstick}为{wording.figure(value, '%')}（{derive.number(rate.value)}%{cited} "
                  f"{'−' if higher else '+'} {derive.number(points.value)}个百分点）")
        answer = compose.derived(query, hit.passage, sentence, span, result, value, "%", "unchecked",
                                 derive.cues()["note"], hit.passage.period)
        if said is not None:  # both sentences quoted
            answer = answer.model_copy(update={"citations": answer.citations + (compose.candidate_citation(said),)})
        return answer
    return None


def _yardstick_terms(ctx: AnswerContext, doc_id: str | None) -> frozenset[str]:
    """The word pairs of every yardstick a report states a gap to in points (年初预期, 全市平均水平), read once."""
    cache = ctx.__dict__.setdefault("_yardstick_terms", {})
    if doc_id not in cache:
        doc = ctx.by_id.get(doc_id or "")
        found: set[str] = set()
        for passage in doc.passages if doc is not None else ():
            for sentence in passage.sentences:
                if POINTS not in sentence.text:
                    continue
                qs = quantities(sentence.text)
                for n, q in enumerate(qs):
                    if q.unit == POINTS:
                        words = sentence.text[qs[n - 1].end if n else 0:q.start]
                        found |= {t for t in text_terms(compare.yardstick_words(words)) if len(t) == 2}
        cache[doc_id] = frozenset(found)
    return cache[doc_id]


def _gap_of(text: str, asked: set[str]):
    """(the rate before the gap in its clauses or None, the gap in points, the span from the rate's clause (or the
    gap's) to the gap, the words naming the indicator before 比) of a sentence stating a rate's gap to a yardstick
    whose words the question uses; None when it states none."""
    qs = quantities(text)
    for n, points in enumerate(qs):
        if points.unit != POINTS:
            continue
        group = derive.clause_start(text, points.start, derive.GROUP_STOPS)
        before = [q for q in qs[:n] if q.start >= group]
        rate = before[-1] if before and before[-1].unit == "%" else None
        words = text[rate.end if rate else derive.clause_start(text, points.start):points.start]
        yardstick = compare.yardstick_words(words)
        if not yardstick or not {t for t in text_terms(yardstick) if len(t) == 2} & asked:
            continue
        if rate is not None:
            start = derive.clause_start(text, rate.start)
            if start > 0 and _BARE_CHANGE.fullmatch(text[start:rate.start]):  # 412.6亿元，增长12.3%，低于…: the rate's
                start = derive.clause_start(text, start - 1)  # indicator is named in its level's clause
            return rate, points, (start, points.end), ""
        name = _THAN().split(words, 1)[0]
        if name:
            return None, points, (derive.clause_start(text, points.start), points.end), name
    return None


_THAN = lru_cache(maxsize=1)(lambda: re.compile("比|较|低于|高于"))
_BARE_CHANGE = re.compile(rf"\s*(?:比上年)?(?:{alternation(GROWTH_WORDS)})\s*")


def _remainder(query: Query, ctx: AnswerContext) -> Answer | None:
    """除了…还有多少 / 还剩多少没还 / 不是…的有多少: a whole less the part the report states after it ("新增电力装机528万
    千瓦，其中新能源装机412万千瓦": 116万千瓦); the question's words without its remainder words name both."""
    if query.measure not in ("level", "count"):
        return None
    negated = _negated(query.text)
    if negated and _written(negated, query, ctx):
        return None  # 非税收入 where the report writes it: as written
    topic = _REMAINDER_WORDS().sub(" ", query.topic).strip()
    picked = _pick(_level_query(query, topic=topic), ctx, derive.remainder_of, whole_group=True) if topic else None
    if picked is None:  # 非遗 is no remainder: answered as usual
        return None if negated else compose.abstain(query, "no_figure", ctx.search(query.text, query.doc_id))
    return _rest_answer(query, picked[1], picked[2])


def _rest_answer(query: Query, c: Candidate, rest: derive.Remainder) -> Answer:
    """A whole less its part stated after it, the report's sentence quoted and the arithmetic shown."""
    unit = rest.whole.unit
    result = (f"{wording.figure(rest.rest, unit)}（{wording.figure(rest.whole.value, unit)} − "
              f"{wording.figure(rest.part.value, rest.part.unit)}）")
    return compose.derived(query, c.passage, c.sentence, rest.span, result, rest.rest, unit, "unchecked",
                           derive.cues()["note"], c.period)


def share_rest(query: Query, ctx: AnswerContext) -> Answer | None:
    """除了三产，其他产业占GDP的比重 / 一产二产合计占多少: 100% less the share the report states of the one part left out
    (question_words.json derived.share_parts); None when the question asks no such rest."""
    if query.measure != "share" and not (query.operation == "sum" and cues().measure["share"].search(query.normalized)):
        return None  # 一产和二产合计占比: a sum of shares
    spec = cues().raw["derived"]["share_parts"]
    text = query.normalized
    for group in spec["groups"]:
        named = [p for p in group if p in text]
        if len(named) == 1 and any(w in text for w in spec["except"]) and any(w in text for w in spec["others"]):
            out = named[0]  # 除了三产，其他…
        elif len(named) == len(group) - 1:
            out = next(p for p in group if p not in named)  # 一产二产合计: 三产 left out
        else:
            continue
        topic = " ".join(w for w in query.topic.split() if not any(p in w for p in group if p != out)) or out
        sub = _level_query(query, topic=out if out in topic else f"{out} {topic}", quantities=(), yardstick=False)
        sub = sub.model_copy(update={"measure": "share"})
        best = score_numbers(sub, ctx).best()
        if best is None or best[1] < ctx.scorer.threshold(answer_type(sub)) or best[0].q.unit != "%":
            return None
        c = best[0]
        rest = round(100 - c.q.value, 10)
        result = f"{derive.number(rest)}%（100% − {derive.number(c.q.value)}%）"
        return compose.derived(query, c.passage, c.sentence, (c.q.start - len(c.lead), c.q.end), result, rest, "%",
                               "unchecked", derive.cues()["note"], c.period)
    return None


def complement(query: Query, ctx: AnswerContext) -> Answer | None:
    """进口是多少 where the report writes no 进口 but the whole and the other part in one sentence (外贸进出口总额
    312.6亿元，其中出口248.3亿元): the whole less that part (question_words.json derived.complements); None when the
    question names no such part or the report writes no such pair."""
    if query.measure not in ("level", "count") or query.sides:
        return None
    words = asked_words(query)
    for pair in _COMPLEMENTS():
        whole, parts = pair["whole"], pair["parts"]
        asked = [p for p in parts if p in words.replace(whole, " ")]
        if len(asked) != 1:
            continue
        others = [p for p in parts if p != asked[0]]
        topic = words.replace(asked[0], whole)
        picked = _pick(_level_query(query, topic=topic, language="zh"), ctx, derive.remainder_of, whole_group=True)
        between = "" if picked is None else picked[1].text[picked[2].whole.end:picked[2].part.start]
        if picked is None or not any(o in between for o in others) or asked[0] in between.replace(whole, " "):
            if len(others) != 1:
                continue
            # the whole and the other part in two sentences (外贸进出口总额58.7亿美元 … 出口总额41.3亿美元): their
            # difference, each side held to its own threshold like any comparison's
            year = query.years[0] if query.years else ctx.review_year(query.doc_id)
            sides = tuple(Side(topic=t, doc_id=query.doc_id, year=year, kind="result")
                          for t in (topic, words.replace(asked[0], others[0])))
            found = compare.compare(query.model_copy(update={"measure": "comparison", "sides": sides,
                                                             "operation": "difference", "language": "zh"}),
                                    ctx, score_numbers, verify_answer, answer_type)
            if found.numeric is not None:  # said as what it is: 进口 = 进出口 − 出口
                return found.model_copy(update={"answer": f"{asked[0]} = {whole} − {others[0]}：{found.answer}"})
            continue
        return _rest_answer(query, picked[1], picked[2])
    return None


_COMPLEMENTS = lru_cache(maxsize=1)(lambda: tuple(cues().raw["derived"]["complements"]["pairs"]))


def _negated(question: str) -> str | None:
    """The 非… the question asks (非税收入): a whole less the part the rest of its words name."""
    found = _NEGATED().search(question)
    return found.group(1) if found else None


def _written(words: str, query: Query, ctx: AnswerContext) -> bool:
    """The report writes these words itself (a 非税收入 of its own)."""
    doc = ctx.by_id.get(query.doc_id or "")
    return doc is not None and words in doc.text


_NEGATED = lru_cache(maxsize=1)(lambda: re.compile("|".join(cues().raw["derived"]["negated"])))
_REMAINDER_WORDS = lru_cache(maxsize=1)(lambda: re.compile(alternation(cues().raw["derived"]["remainder_words"])))


def _level_query(query: Query, **update) -> Query:
    """The level a derived figure is made from, asked plainly (no change verb, no comparison)."""
    measure = "count" if query.measure == "count" else "share" if query.measure == "share" else "level"
    unit = None if query.unit in ("%", "个百分点") else query.unit
    if "years" in update:  # a year the flow chose, not one the question names: no filter of other years' figures
        update.setdefault("year_assumed", True)
    return query.model_copy(update={"measure": measure, "sides": (), "operation": None, "derive": None,
                                    "also_growth": False, "unit": unit, **update})


def _pick(sub: Query, ctx: AnswerContext, finder, whole_group: bool = False):
    """(scored, candidate, what `finder` reads around it) for the candidate whose reading (its `span`) names
    the question's indicator most fully, ties to the scorer's rank, and at least as fully as the scorer's
    first choice is named back to its clause (or, `whole_group`, to the previous ；or 。: "全年实施重点项目
    320个，完成投资1126亿元，占年度计划的112.6%" names what 1126 counts two clauses before); None when none."""
    scored = score_numbers(sub, ctx)
    best = scored.best()
    if best is None:
        return None
    cover = ctx.cover(sub.topic, sub.doc_id)
    stops = derive.GROUP_STOPS if whole_group else derive.CLAUSE_STOPS
    top = best[0]
    bar = cover(top.text[derive.clause_start(top.text, top.q.start, stops):top.q.end])
    found = []
    for n in sorted(range(len(scored.candidates)), key=lambda n: (-scored.order[n], n)):
        c = scored.candidates[n]
        reading = finder(c)
        if reading is not None:  # a change of a "分别" list is named by its own subject too (农村居民…收入)
            own = reading.name if isinstance(reading, derive.Transition) else ""
            named = cover(c.text[reading.span[0]:reading.span[1]] + own)
            if named and named >= bar:
                found.append((named, -len(found), c, reading))
    if not found:
        return None
    _, _, c, reading = max(found, key=lambda f: f[:2])
    return scored, c, reading


def _operand(scored: Scored, c: Candidate, q) -> Candidate | None:
    """The candidate of figure `q` of `c`'s sentence."""
    return next((o for o in scored.candidates if o.sentence == c.sentence and o.passage.id == c.passage.id
                 and o.q.start == q.start), None)


def _both_checked(sub: Query, ctx: AnswerContext, scored: Scored, c: Candidate, qs) -> str:
    """"consistent" only when each report figure used is matched in the fact table on its own."""
    for q in qs:
        o = _operand(scored, c, q)
        if o is None or verify_answer(sub, ctx, o, o.q.value, o.q.unit, None)[0] != "consistent":
            return "unchecked"
    return "consistent"


def _change(query: Query, ctx: AnswerContext) -> Answer | None:
    """扩大了多少 / 精简了几个 / 提高了几个百分点: a "由A…到B" of the indicator asked: B − A."""
    points_asked = query.unit in ("%", "个百分点")

    def fits(c: Candidate):
        t = derive.transition_of(c)
        if t is None or points_asked and t.end.unit != "%":
            return None
        if query.unit and not points_asked and not query.classifier_only and not t.end.unit.startswith(query.unit) \
                and not pairs.convertible(t.end.unit, query.unit):
            return None  # 多少微克 asks the change of a figure in 微克/立方米
        return t

    measure = "share" if points_asked else "count" if query.measure == "count" else "level"
    sub = _level_query(query, topic=derive.plain_topic(query.topic), measure=measure)
    picked = _pick(sub, ctx, fits)
    if picked is None:
        return None if query.unit not in (None, "%", "个百分点") else _part_change(query, ctx)
    scored, c, t = picked
    points = t.end.unit == "%"
    diff = t.change
    unit = "个百分点" if points else t.end.unit
    hi, lo = (t.end, t.start) if diff >= 0 else (t.start, t.end)
    result = (f"{wording.name(t.name)}{t.word()}了{wording.figure(abs(diff), unit)}"
              f"（{wording.figure(hi.value, hi.unit)} − {wording.figure(lo.value, lo.unit)}）")
    value = abs(diff)
    if query.unit and not points and query.unit != unit and pairs.convertible(unit, query.unit) \
            and base_unit(query.unit) != query.unit:
        value, unit = convert(value, unit, query.unit), query.unit
    verdict = _both_checked(sub, ctx, scored, c, (t.start, t.end))
    return compose.derived(query, c.passage, c.sentence, t.span, result, value, unit, verdict, derive.cues()["note"], c.period)


def _part_change(query: Query, ctx: AnswerContext) -> Answer | None:
    """第二产业比重下降了几个百分点: the part's term of "三次产业结构由18.6:44.2:37.2调整为14.8:40.3:44.9"."""
    for hit in ctx.search(query.text, query.doc_id):
        for sentence in hit.passage.sentences:
            part = derive.part_change(query.topic, sentence.text)
            if part is None:
                continue
            diff = part.change
            word = "下降" if diff < 0 else "提高"
            hi, lo = max(part.start, part.end), min(part.start, part.end)
            result = (f"{part.part}比重{word}了{wording.figure(abs(diff), '个百分点')}"
                      f"（{derive.number(hi)} − {derive.number(lo)}）")
            return compose.derived(query, hit.passage, sentence, part.span, result, abs(diff), "个百分点", "unchecked",
                                   derive.cues()["note"], hit.passage.period)
    return None


def asks_year_before(query: Query, ctx: AnswerContext) -> bool:
    """前年X有多少 / 2021年底X有多少家: a level of the year before the one the report reviews."""
    review = ctx.review_year(query.doc_id)
    return (review is not None and query.years == (review - 1,) and not query.span and not query.year_assumed
            and query.measure in ("level", "count", "share") and query.kind in ("any", "result"))


def earlier(query: Query, ctx: AnswerContext) -> Answer | None:
    """The level before the review year's increment: "达到612家，净增54家" → 558."""
    year = query.years[0]
    def fits(c: Candidate):
        inc = derive.increment_of(c)
        if inc is None or (inc.level.unit == "%") != (query.measure == "share" or query.unit == "%"):
            return None  # a share answers only a share asked (2021年地区生产总值 is no 占地区生产总值的比重)
        if query.unit and query.unit != "%" and not query.classifier_only and not pairs.convertible(inc.level.unit, query.unit):
            return None
        return inc

    picked = _pick(_level_query(query, years=(year + 1,), kind="result"), ctx, fits)
    if picked is None:
        return None
    scored, c, inc = picked
    value, unit = derive.before(inc), inc.level.unit
    sign = "−" if inc.sign > 0 else "+"
    result = (f"{year}年为{wording.figure(value, unit)}（{year + 1}年{wording.figure(inc.level.value, unit)} {sign} "
              f"{wording.figure(inc.added.value, inc.added.unit)}）")
    verdict = _both_checked(_level_query(query, years=(year + 1,), kind="result"), ctx, scored, c, (inc.level, inc.added))
    return compose.derived(query, c.passage, c.sentence, inc.span, result, value, unit, verdict, derive.cues()["note"], year)


def _plan(query: Query, ctx: AnswerContext) -> Answer | None:
    """年度计划是多少: the review year's figure over the share of its plan completed (5820个 ÷ 116.4%)."""
    review = ctx.review_year(query.doc_id)
    if review is None:
        return None

    def fits(c: Candidate):
        done = derive.completion_of(c)
        if done is None or query.unit and not query.classifier_only and not pairs.convertible(done.figure.unit, query.unit):
            return None
        return done

    sub = _level_query(query, years=(review,), kind="result")
    picked = _pick(sub, ctx, fits, whole_group=True)
    if picked is None:
        return None
    scored, c, done = picked
    if query.years != (review,) and _written_plan(query, ctx, scored, c.text[done.span[0]:done.span[1]]):
        return None  # no year named and the report writes a plan of this indicator (年度计划投资1200亿元): as written
    value, unit = derive.of_share(done.figure.value, done.share.value), done.figure.unit
    result = (f"{review}年年度计划为{wording.figure(value, unit)}（{wording.figure(done.figure.value, unit)} ÷ "
              f"{derive.number(done.share.value)}%）")
    verdict = _both_checked(sub, ctx, scored, c, (done.figure, done.share))
    return compose.derived(query, c.passage, c.sentence, done.span, result, value, unit, verdict, derive.cues()["note"], review)


def _written_plan(query: Query, ctx: AnswerContext, scored: Scored, derived_from: str) -> bool:
    """A plan the report writes (年度计划投资1200亿元) naming the indicator as fully as the words a plan would be
    derived from, unless only those hold a quantity the question states (23个省市重点项目: "其中23个省、市…")."""
    cover = ctx.cover(query.topic, query.doc_id)
    named = cover(derived_from)
    stated = {q.value for q in query.quantities}
    holds = lambda text: any(q.value in stated for q in derive.quantities(text))  # noqa: E731
    for o in scored.candidates:
        words = o.text[derive.clause_start(o.text, o.q.start, derive.GROUP_STOPS):o.q.end]
        if derive.written_plan(o) and cover(words) >= named and (holds(words) or not holds(derived_from)):
            return True
    return False
