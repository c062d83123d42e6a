"""The answering flow: a parsed `Query` -> scoped passages -> candidates -> features -> scorer ->
verification -> one wording. Nothing here reads the question's raw text again."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from functools import lru_cache

from qa.answering import compare, compose, derive, text
from qa.answering.candidates import NAME_CUT, Candidate, answer_value, number_candidates
from qa.answering.context import AnswerContext
from qa.answering.features import add_relative, features, is_money, target_cue
from qa.answering.text import text_terms
from qa.answering.verify import agrees, read_table
from qa.evidence import rank_sentences
from qa import wording
from qa.errors import InputError
from qa.models import Answer, Hit
from qa.numbers import COUNT_UNITS, GROWTH_WORDS, POINTS, UNITS, ascii_digits, base_unit, convert, counts_alike, is_reduction_indicator
from qa.profile import GENRE, level_of
from qa.question.query import Query
from qa.question.sides import is_rate
from qa.question.words import cues
from qa.data import alternation

NUMERIC_MEASURES = ("level", "growth", "share", "count")
_GROWTH_WORDS = re.compile(r"增速|增长|增幅|降幅|下降|提高|growth|grow", re.I)
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
    cands = [c for c in number_candidates(hits) if _may_answer(query, c)]
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


def _may_answer(query: Query, c: Candidate) -> bool:
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
        return _unit_fits(c.q.unit, query.unit)  # 多少亿元 is never answered by 7.5% nor by 3200人
    if not query.classifier_only:
        return True
    if query.unit:
        return counts_alike(query.unit, c.q.unit)
    return UNITS.get(c.q.unit, (c.q.unit,))[0] in COUNT_UNITS


def decide(query: Query, ctx: AnswerContext) -> tuple[str, float | None]:
    """(answer type, the confidence its abstention threshold is compared with), as `_answer` decides; None
    for a derived figure, which no threshold decides (the calibration of thresholds leaves it out)."""
    kind = answer_type(query)
    if _derived(query, ctx) is not None or _asks_year_before(query, ctx) and _earlier(query, ctx):
        return kind, None
    if query.measure in NUMERIC_MEASURES:
        best = score_numbers(query, ctx, spans_only=True).best()
        return kind, best[1] if best else None
    if query.measure == "comparison":
        if len(query.sides) < 2:
            best = score_numbers(query, ctx).best()
            return kind, best[1] if best else None
        return kind, None  # each side is held to its own type's threshold
    if query.measure in ("who", "date"):
        return kind, None
    hits = ctx.search(query.text, query.doc_id)
    evidence = rank_sentences(text_terms(query, ctx), hits, ctx.idf_of(query.doc_id), query.year)
    return kind, evidence[0].score if evidence else None


def answer_query(query: Query, ctx: AnswerContext) -> Answer:
    started = time.perf_counter()
    out = _answer(query, ctx)
    return out.model_copy(update={"timings": {"answer_ms": (time.perf_counter() - started) * 1000}})


def _answer(query: Query, ctx: AnswerContext) -> Answer:
    if query.scope == "ambiguous" or (query.doc_id is None and len(ctx.documents) > 1):
        return compose.choose_report(query, [(d.doc_id, d.cited_title) for d in ctx.documents])
    if query.needs_topic:
        return compose.abstain(query, "needs_topic", text="请问您想问哪个指标？例如“地区生产总值增长了多少？”")
    foreign = _foreign_places(query, ctx)
    if foreign:
        return compose.abstain(query, "place", text=f"{compose.NOT_FOUND}关于{'、'.join(foreign)}的内容。")
    known = ctx.years_by_doc.get(query.doc_id or "", frozenset())
    missing = [y for y in query.years if y not in known]
    if missing and query.measure != "comparison":
        earlier = _earlier(query, ctx) if _asks_year_before(query, ctx) else None
        return earlier or compose.abstain(query, "year", text=f"{compose.NOT_FOUND}{missing[0]}年的相关内容。")
    found = _derived(query, ctx)
    if found is not None:
        return found
    if query.why and (query.claimed_change or query.quantities):
        return _premise(query, ctx)
    if query.measure in NUMERIC_MEASURES or _yardstick(query):
        return _numeric(query, ctx)
    if query.measure == "comparison":
        return _comparison(query, ctx)
    if query.measure in ("who", "date"):
        return text.head(query, ctx)
    return text.answer(query, ctx)


def decided_early(query: Query, ctx: AnswerContext) -> bool:
    """Whether `_answer` settles the question before scoring any figure: a report to choose, an indicator
    to ask for, another place, a year the report does not cover. Such questions teach the scorer nothing."""
    if query.scope == "ambiguous" or (query.doc_id is None and len(ctx.documents) > 1) or query.needs_topic:
        return True
    if _foreign_places(query, ctx):
        return True
    known = ctx.years_by_doc.get(query.doc_id or "", frozenset())
    return query.measure != "comparison" and any(y not in known for y in query.years)


def _foreign_places(query: Query, ctx: AnswerContext) -> list[str]:
    """The place-like names of the question that the scoped report never writes (a 经开区 or 临港新区
    the report speaks of is a part of its area, not another place), and those it writes at its own level
    or above (a neighbour, its parent city)."""
    return _places(query, ctx)[0]


def _parts_named(query: Query, ctx: AnswerContext) -> list[str]:
    """The places the question names that are parts of the scoped report's area (a county of a city's
    report): a figure answers such a question only when its sentence names the part."""
    return _places(query, ctx)[1]


def _places(query: Query, ctx: AnswerContext) -> tuple[list[str], list[str]]:
    """(other places, parts of the report's area) among the places the question names; a parent written
    before the report's own name (平顶山市卫东区) is only its full name, neither."""
    doc = ctx.by_id.get(query.doc_id or "")
    if doc is None:
        return list(query.places), []
    rank = GENRE["level_rank"]
    own = rank.get(doc.profile.level, 0)
    text = query.normalized + query.text
    named = [p for p in query.places if not any(n and p + n in text for n in doc.profile.names)]
    foreign = [p for p in named if p not in doc.text or rank.get(level_of(p), 0) >= own > 0]
    return foreign, [p for p in named if p not in foreign]


def _numeric(query: Query, ctx: AnswerContext) -> Answer:
    scored = score_numbers(query, ctx, spans_only=True)
    best = scored.best()
    kind = answer_type(query)
    if (best is None or best[1] < ctx.scorer.threshold(kind)) and _rate_target(query):
        # a target is most often set as a rate ("目标是多少" of 地区生产总值 is 增长7.5%左右)
        query = query.model_copy(update={"measure": "growth"})
        scored, kind = score_numbers(query, ctx, spans_only=True), "growth"
        best = scored.best()
    if best is None:
        return compose.abstain(query, "no_figure", scored.hits)
    c, confidence = best
    value, unit, growth = answer_value(c, query)
    checked = None  # the table's reading, once: two independent readings agreeing answer below the threshold
    if confidence < ctx.scorer.threshold(kind):
        checked = _verify(query, ctx, c, value, unit, growth)
        if checked[0] != "consistent":
            earlier = _earlier(query, ctx) if _asks_year_before(query, ctx) else None
            return earlier or compose.abstain(query, "no_figure", scored.hits)
    parts = _parts_named(query, ctx)
    if parts and not any(p in c.group + c.q.raw + c.after for p in parts):
        # 白石县财政收入 is not the city's 财政收入, nor is a figure of a sentence naming 白石县 elsewhere
        return compose.abstain(query, "place", scored.hits, text=f"{compose.NOT_FOUND}{'、'.join(parts)}的这个数字。")
    if _asks_year_before(query, ctx) and c.passage.period != query.years[0] and str(query.years[0]) not in c.text:
        earlier = _earlier(query, ctx)  # 前年X有多少: the report writes the review year's level and its increment
        if earlier is not None:
            return earlier
    if query.negative_claim and c.q.is_growth and value > 0:
        return compose.abstain(query, "false_premise", scored.hits,
                               text=f"报告没有说下降：报告中为{c.lead.strip('，,、')}{c.q.raw.strip()}。")
    if _yardstick(query):
        asked = query.quantities[0].value
        verdict_word = "是" if value >= asked else "否"
        answer = compose.numeric(query, c, value, unit, growth, "unchecked", (), None)
        return answer.model_copy(update={"answer": f"{verdict_word}。{answer.answer}"})
    verdict, fact_ids, detail = checked or _verify(query, ctx, c, value, unit, growth)
    answer = compose.numeric(query, c, value, unit, growth, verdict, fact_ids, detail, ctx.plan_year(query.doc_id))
    if (query.unit and query.unit != unit and not query.classifier_only and _convertible(unit, query.unit)
            and base_unit(query.unit) != query.unit):  # "多少万元" names a scale; "多少平方米" only the kind
        return compose.converted(answer, convert(value, unit, query.unit), query.unit, c)
    return answer


# --- derived figures (qa.answering.derive): fixed by two figures of one sentence, never written ---------

def _derived(query: Query, ctx: AnswerContext) -> Answer | None:
    """The change or plan the question asks, when the report fixes it in one sentence (None: answer as usual)."""
    if not query.derive or query.why:
        return None
    if query.derive == "remainder":
        return _remainder(query, ctx)
    return (_change(query, ctx) or _stated_change(query, ctx)) if query.derive == "change" else _plan(query, ctx)


def _stated_change(query: Query, ctx: AnswerContext) -> Answer | None:
    """城镇化率提高了多少 where the report writes the change itself ("提高1.3个百分点"), not its two states."""
    best = score_numbers(query, ctx, spans_only=True).best()
    if best is None or best[1] < ctx.scorer.threshold(answer_type(query)) or not compare.stated_change(best[0]):
        return None
    return compare.said_change(query, best[0])


def _remainder(query: Query, ctx: AnswerContext) -> Answer | None:
    """除了…还有多少 / 还剩多少没还 / 不是…的有多少: a whole less the part the report states after it ("新增电力装机528万
    千瓦，其中新能源装机412万千瓦": 116万千瓦); the question's words without its remainder words name both."""
    if query.measure not in ("level", "count"):
        return None
    topic = _REMAINDER_WORDS().sub(" ", query.topic).strip()
    picked = _pick(_level_query(query, topic=topic), ctx, derive.remainder_of, whole_group=True) if topic else None
    if picked is None:
        return compose.abstain(query, "no_figure", ctx.search(query.text, query.doc_id))
    _, c, rest = picked
    unit = rest.whole.unit
    result = (f"{wording.figure(rest.rest, unit)}（{wording.figure(rest.whole.value, unit)} − "
              f"{wording.figure(rest.part.value, rest.part.unit)}）")
    return compose.derived(query, c.passage, c.sentence, rest.span, result, rest.rest, unit, "unchecked",
                           derive.cues()["note"], c.passage.period)


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
    bar = cover(top.text[derive._clause_start(top.text, top.q.start, stops):top.q.end])
    found = []
    for n in sorted(range(len(scored.candidates)), key=lambda n: (-scored.order[n], n)):
        c = scored.candidates[n]
        reading = finder(c)
        if reading is not None:
            named = cover(c.text[reading.span[0]:reading.span[1]])
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
        if o is None or _verify(sub, ctx, o, o.q.value, o.q.unit, None)[0] != "consistent":
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
                and not _convertible(t.end.unit, query.unit):
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
    if query.unit and not points and query.unit != unit and _convertible(unit, query.unit) \
            and base_unit(query.unit) != query.unit:
        value, unit = convert(value, unit, query.unit), query.unit
    verdict = _both_checked(sub, ctx, scored, c, (t.start, t.end))
    return compose.derived(query, c.passage, c.sentence, t.span, result, value, unit, verdict, derive.cues()["note"], c.passage.period)


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


def _asks_year_before(query: Query, ctx: AnswerContext) -> bool:
    """前年X有多少 / 2021年底X有多少家: a level of the year before the one the report reviews."""
    review = ctx.review_year(query.doc_id)
    return (review is not None and query.years == (review - 1,) and not query.span and not query.year_assumed
            and query.measure in ("level", "count", "share") and query.kind in ("any", "result"))


def _earlier(query: Query, ctx: AnswerContext) -> Answer | None:
    """The level before the review year's increment: "达到612家，净增54家" → 558."""
    year = query.years[0]
    def fits(c: Candidate):
        inc = derive.increment_of(c)
        if inc is None or (inc.level.unit == "%") != (query.measure == "share" or query.unit == "%"):
            return None  # a share answers only a share asked (2021年地区生产总值 is no 占地区生产总值的比重)
        if query.unit and query.unit != "%" and not query.classifier_only and not _convertible(inc.level.unit, query.unit):
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
        if done is None or query.unit and not query.classifier_only and not _convertible(done.figure.unit, query.unit):
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
        words = o.text[derive._clause_start(o.text, o.q.start, derive.GROUP_STOPS):o.q.end]
        if derive.written_plan(o) and cover(words) >= named and (holds(words) or not holds(derived_from)):
            return True
    return False


def _rate_target(query: Query) -> bool:
    return (query.kind in ("target", "plan") and query.measure == "level" and not query.also_growth and not query.unit
            and not query.measure_explicit)


def _premise(query: Query, ctx: AnswerContext) -> Answer:
    """为什么…下降了 / 为什么…超过X: check the claim against the report's figure before explaining."""
    measure = "growth" if query.claimed_change else "level"
    sub = query.model_copy(update={"measure": measure, "why": False, "also_growth": False})
    scored = score_numbers(sub, ctx)
    best = scored.best()
    if best is None or best[1] < ctx.scorer.threshold(answer_type(sub)):
        return compose.abstain(query, "no_figure", scored.hits)
    c = best[0]
    value, unit, _ = answer_value(c, sub)
    if query.claimed_change:
        holds = (value < 0) if query.claimed_change == "fall" else (value > 0)
    else:
        asked = query.quantities[0]
        try:
            holds = value >= (convert(asked.value, asked.unit, unit) if asked.unit and asked.unit != unit else asked.value)
        except InputError:
            holds = False
    if not holds:
        said = wording.change(value, unit=c.q.unit) if c.q.is_growth else wording.figure(value, unit, compose.qualifier_of(c))
        return compose.abstain(query, "false_premise", scored.hits,
                               text=f"报告中没有这样的说法：报告写的是{c.lead.strip('，,、；：:')}{said}。")
    return text.answer(query, ctx)


def _verify(query: Query, ctx: AnswerContext, c: Candidate, value, unit, growth):
    facts = ctx.facts_by_doc.get(query.doc_id or "", [])
    if not facts:
        return "not_in_table", (), None
    if query.language != "zh":  # the table is read by its Chinese names: by the glossary's, when it names the
        concept = _whole_concept(query, ctx)  # whole topic ("retail sales of consumer goods": 社会消费品零售总额)
        if concept is None:
            return "unchecked", (), None
        return _verify(query.model_copy(update={"topic": concept, "language": "zh"}), ctx, c, value, unit, growth)
    cover, floor = ctx.cover(query.topic, query.doc_id), ctx.scorer.param("verify_min_coverage")
    reading = read_table(query, facts, cover, ctx.plan_year(query.doc_id), ctx.review_year(query.doc_id), floor,
                         ctx.scorer.hyper.get("verify_min_precision", 0))
    # the quoted clause itself must say what was asked (一季度 GDP is not the year's, 人均 not the total)
    said = cover(c.group + c.q.raw + c.after, c.sentence.text) >= floor
    if said and agrees(reading, c, value, unit, growth, query):
        return "consistent", (reading.fact.id,), None
    if reading.fact is not None:
        f = reading.fact
        detail = f"事实表中对应的是“{f.indicator}”{f.value:g}{f.unit}（{f.period}年），与引文中的数字不是同一读数，未核对。"
        return "unchecked", (f.id,), detail
    return "unchecked", (), None


def _whole_concept(query: Query, ctx: AnswerContext) -> str | None:
    """The glossary term an English question's whole topic names: every word of the topic is a word of one of
    the term's English names ("online retail sales" is not 社会消费品零售总额, whose names lack "online")."""
    words = set(_LATIN.findall(query.topic.lower()))
    if not words or ctx.glossary is None:
        return None
    found = {e.term for e in ctx.glossary.matches(query.normalized)
             if any(words <= set(_LATIN.findall(name.lower())) for name in e.names)}
    return found.pop() if len(found) == 1 else None


_LATIN = re.compile(r"[a-z]+")


def _comparison(query: Query, ctx: AnswerContext) -> Answer:
    return compare.compare(query, ctx, score_numbers, _verify, answer_type)


def _convertible(a: str, b: str) -> bool:
    return compare.convertible(a, b)


def _unit_fits(unit: str, asked: str) -> bool:
    """A figure's unit may answer the unit asked: never a rate for an amount (7.5% for 多少亿元), never another
    kind of thing for money (3200人 for 多少万元); near units (张 for 床, 个工作日 for 天) are the scorer's to weigh."""
    if unit in ("%", POINTS):
        return False
    if is_money(asked) or is_money(asked + "元"):
        return is_money(unit)
    return True


def _yardstick(query: Query) -> bool:
    """是否超过100亿元: a yes/no question answered from the figure against the quantity it states."""
    return query.measure == "yesno" and bool(query.quantities) and query.yardstick
