"""The answering flow: a parsed `Query` -> scoped passages -> candidates -> features -> scorer ->
verification -> one wording. Nothing here reads the question's raw text again."""

from __future__ import annotations

import re
import time

from qa import wording
from qa.answering import compare, compose, pairs, text, unwritten
from qa.answering.candidates import Candidate, answer_value, number_candidates
from qa.answering.context import AnswerContext
from qa.answering.scoring import NUMERIC_MEASURES, answer_type, places_asked, score_numbers
from qa.answering.text import text_terms
from qa.answering.verify import verify_answer
from qa.errors import InputError
from qa.evidence import rank_sentences
from qa.models import Answer, Hit
from qa.numbers import base_unit, convert
from qa.question.asks import CONJUNCTION
from qa.question.query import Query

def decide(query: Query, ctx: AnswerContext) -> tuple[str, float | None]:
    """(answer type, the confidence its abstention threshold is compared with), as `_answer` decides; None
    for a derived figure, which no threshold decides (the calibration of thresholds leaves it out)."""
    kind = answer_type(query)
    if unwritten.derived(query, ctx) is not None or unwritten.share_rest(query, ctx) is not None \
            or unwritten.asks_year_before(query, ctx) and unwritten.earlier(query, ctx):
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
        earlier = unwritten.earlier(query, ctx) if unwritten.asks_year_before(query, ctx) else None
        return earlier or compose.abstain(query, "year", text=f"{compose.NOT_FOUND}{missing[0]}年的相关内容。")
    found = unwritten.derived(query, ctx) or unwritten.share_rest(query, ctx)
    if found is not None:
        return found
    if query.why and (query.claimed_change or query.quantities):
        return _premise(query, ctx)
    if query.measure == "comparison" and _sum_written_whole(query, ctx):  # 减税降费及缓税缓费合计21.8亿元
        query = query.model_copy(update={"measure": "level", "sides": (), "operation": None})
    if query.measure in NUMERIC_MEASURES or _yardstick(query):
        return _numeric(query, ctx)
    if query.measure == "comparison":
        return _comparison(query, ctx)
    if query.measure in ("who", "date"):
        return text.head(query, ctx)
    return text.answer(query, ctx)


def _sum_written_whole(query: Query, ctx: AnswerContext) -> bool:
    """A sum of two parts the report names together (减税降费和缓税缓费一共多少: "新增减税降费及缓税缓费合计21.8亿元"):
    the figure of the whole answers, not the parts' figures added up."""
    doc = ctx.by_id.get(query.doc_id or "")
    if doc is None or query.operation != "sum" or len(query.sides) != 2:
        return False
    a, b = (s.topic.replace(" ", "") for s in query.sides)
    if len(a) < 2 or len(b) < 2:
        return False
    return re.search(f"{re.escape(a)}(?:{CONJUNCTION.pattern}){re.escape(b)}", doc.text) is not None


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
    """The place-like names of the question that are no part of the scoped report's area (`places_asked`)."""
    return places_asked(query, ctx)[0]


def _parts_named(query: Query, ctx: AnswerContext) -> list[str]:
    """The places the question names that are parts of the scoped report's area (`places_asked`)."""
    return places_asked(query, ctx)[1]


def _numeric(query: Query, ctx: AnswerContext) -> Answer:
    scored = score_numbers(query, ctx, spans_only=True)
    best = scored.best()
    kind = answer_type(query)
    if (best is None or best[1] < ctx.scorer.threshold(kind)) and _rate_target(query):
        # a target is most often set as a rate ("目标是多少" of 地区生产总值 is 增长7.5%左右)
        query = query.model_copy(update={"measure": "growth"})
        scored, kind = score_numbers(query, ctx, spans_only=True), "growth"
        best = scored.best()
    if best is None:  # 前年X: no figure of that year, but the reviewed year's level and its increment may fix it
        earlier = unwritten.earlier(query, ctx) if unwritten.asks_year_before(query, ctx) else None
        return earlier or unwritten.complement(query, ctx) or _not_found(query, ctx, scored)
    c, confidence = best
    c = pairs.fullest(c, scored.candidates + _said_elsewhere(c, ctx))  # the same fact said with its 预计
    if _in_table(c, ctx):  # a table's row: the running text's sentence of the same fact, when there is one
        c = pairs.in_running_text(c, scored.candidates + _said_elsewhere(c, ctx, always=True),
                                  lambda o: _in_table(o, ctx))
    value, unit, growth = answer_value(c, query)
    checked = None  # the table's reading, once: two independent readings agreeing answer below the threshold
    if confidence < ctx.scorer.threshold(kind):
        checked = verify_answer(query, ctx, c, value, unit, growth)
        if checked[0] != "consistent":
            earlier = unwritten.earlier(query, ctx) if unwritten.asks_year_before(query, ctx) else None
            return earlier or unwritten.complement(query, ctx) or _not_found(query, ctx, scored)
    if unwritten.asks_year_before(query, ctx) and c.period != query.years[0] and str(query.years[0]) not in c.text:
        earlier = unwritten.earlier(query, ctx)  # 前年X有多少: the report writes the review year's level and its increment
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
    verdict, fact_ids, detail = checked or verify_answer(query, ctx, c, value, unit, growth)
    answer = compose.numeric(query, c, value, unit, growth, verdict, fact_ids, detail, ctx.plan_year(query.doc_id))
    if (query.unit and query.unit != unit and not query.classifier_only and pairs.convertible(unit, query.unit)
            and base_unit(query.unit) != query.unit):  # "多少万元" names a scale; "多少平方米" only the kind
        return compose.converted(answer, convert(value, unit, query.unit), query.unit, c)
    return answer


_DIGITS = re.compile(r"\d[\d.,]*")


def _not_found(query: Query, ctx: AnswerContext, scored) -> Answer:
    """No figure answers: when the question names a part of the area (白沙县财政收入), the answer says which."""
    parts = _parts_named(query, ctx)
    if parts:
        return compose.abstain(query, "place", scored.hits, text=f"{compose.NOT_FOUND}{'、'.join(parts)}的这个数字。")
    return compose.abstain(query, "no_figure", scored.hits)


def _in_table(c: Candidate, ctx: AnswerContext) -> bool:
    """Whether a candidate's sentence was read from a table's row of its report."""
    doc = ctx.by_id.get(c.passage.doc_id)
    return doc is not None and doc.in_table(c.sentence.start)


def _said_elsewhere(c: Candidate, ctx: AnswerContext, always: bool = False) -> list[Candidate]:
    """The figures of the report's other passages that write the chosen figure's number (a table's bare row
    repeats the text's 预计2368.4亿元), when the chosen one says no qualifier (`always`: whatever it says)."""
    if c.q.hedges and not always:
        return []
    doc = ctx.by_id.get(c.passage.doc_id)
    digits = _DIGITS.search(c.q.raw)
    if doc is None or digits is None:
        return []
    written = re.compile(rf"(?<![\d.]){re.escape(digits.group(0))}\s*{re.escape(c.q.unit)}")  # 2368.4亿元, not 12368.4
    hits = [Hit(passage=p, score=0, rank=0, retriever="report") for p in doc.passages
            if p.id != c.passage.id and written.search(p.text)]
    return [o for o in number_candidates(hits) if o.q.value == c.q.value and o.q.unit == c.q.unit]


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
        # a rate in the report's own words (its lead ends with 增长/下降), a level with its qualifiers
        said = "".join(c.q.raw.split()) if c.q.is_growth else wording.figure(value, unit, compose.qualifier_of(c))
        lead = c.lead if c.q.is_growth else c.lead.strip("，,、；：:")
        return compose.abstain(query, "false_premise", scored.hits, text=f"报告中没有这样的说法：报告写的是{lead}{said}。")
    return text.answer(query, ctx)


def _comparison(query: Query, ctx: AnswerContext) -> Answer:
    return compare.compare(query, ctx, score_numbers, verify_answer, answer_type)


def _yardstick(query: Query) -> bool:
    """是否超过100亿元: a yes/no question answered from the figure against the quantity it states."""
    return query.measure == "yesno" and bool(query.quantities) and query.yardstick
