"""The answering flow: a parsed `Query` -> scoped passages -> candidates -> features -> scorer ->
verification -> one wording. Nothing here reads the question's raw text again."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from qa.answering import compare, compose
from qa.answering.candidates import Candidate, answer_value, head_lines, number_candidates
from qa.answering.context import AnswerContext
from qa.answering.features import add_relative, features
from qa.answering.verify import agrees, read_table
from qa.evidence import best_clause, coverage, rank_sentences
from qa import wording
from qa.errors import InputError
from qa.models import Answer, Hit
from qa.numbers import base_unit, convert
from qa.question.query import Query

NUMERIC_MEASURES = ("level", "growth", "share", "count")
_ENUM = re.compile(r"[一二三四五六七八九十]+是")
_DATE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
_GROWTH_WORDS = re.compile(r"增速|增长|增幅|降幅|下降|提高|growth|grow", re.I)
HEAD_LINES = 6
_RANK = re.compile(r"第[一二三四五六七八九十\d]+|首位|前列|位居|排名|位次")


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


def score_numbers(query: Query, ctx: AnswerContext, hits: list[Hit] | None = None) -> Scored:
    """Every figure of the scoped report's best passages, with its features and probability."""
    hits = hits if hits is not None else ctx.search(query.text, query.doc_id)
    cands = number_candidates(hits)
    cover = ctx.cover(query.topic, query.doc_id)
    plan, review = ctx.plan_year(query.doc_id), ctx.review_year(query.doc_id)
    sems = ctx.similarities(query.text, [c.group + c.q.raw + c.after for c in cands]) if query.language == "en" else None
    rows = add_relative([features(c, query, cover, ctx.idf_of(query.doc_id), plan, review, sems[n] if sems is not None else 0)
                         for n, c in enumerate(cands)])
    probs = [float(p) for p in ctx.scorer.probabilities(rows)]
    order = [float(r) for r in ctx.scorer.ranks(rows)]
    return Scored(hits, cands, rows, probs, order, ctx.scorer.confidence(rows, order))


def decide(query: Query, ctx: AnswerContext) -> tuple[str, float | None]:
    """(answer type, the confidence its abstention threshold is compared with), as `_answer` decides."""
    kind = answer_type(query)
    if query.measure in NUMERIC_MEASURES:
        best = score_numbers(query, ctx).best()
        return kind, best[1] if best else None
    if query.measure == "comparison":
        if len(query.sides) < 2:
            best = score_numbers(query, ctx).best()
            return kind, best[1] if best else None
        return kind, None  # each side is held to its own type's threshold
    if query.measure in ("who", "date"):
        return kind, None
    hits = ctx.search(query.text, query.doc_id)
    evidence = rank_sentences(ctx.terms(query.topic), hits, ctx.idf_of(query.doc_id), query.year)
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
        return compose.abstain(query, "year", text=f"{compose.NOT_FOUND}{missing[0]}年的相关内容。")
    if query.why and (query.claimed_change or query.quantities):
        return _premise(query, ctx)
    if query.measure in NUMERIC_MEASURES or query.measure == "yesno" and query.quantities:
        return _numeric(query, ctx)
    if query.measure == "comparison":
        return _comparison(query, ctx)
    if query.measure in ("who", "date"):
        return _head(query, ctx)
    return _text(query, ctx)


def _foreign_places(query: Query, ctx: AnswerContext) -> list[str]:
    """The place-like names of the question that the scoped report never writes (a 经开区 or 临港新区
    the report speaks of is a part of its area, not another place)."""
    doc = ctx.by_id.get(query.doc_id or "")
    return [p for p in query.places if doc is None or p not in doc.text]


def _numeric(query: Query, ctx: AnswerContext) -> Answer:
    scored = score_numbers(query, ctx)
    best = scored.best()
    kind = answer_type(query)
    if (best is None or best[1] < ctx.scorer.threshold(kind)) and _rate_target(query):
        # a target is most often set as a rate ("目标是多少" of 地区生产总值 is 增长7.5%左右)
        query = query.model_copy(update={"measure": "growth"})
        scored, kind = score_numbers(query, ctx), "growth"
        best = scored.best()
    if best is None or best[1] < ctx.scorer.threshold(kind):
        return compose.abstain(query, "no_figure", scored.hits)
    c, _ = best
    value, unit, growth = answer_value(c, query)
    if query.negative_claim and c.q.is_growth and value > 0:
        return compose.abstain(query, "false_premise", scored.hits,
                               text=f"报告没有说下降：报告中为{c.lead.strip('，,、')}{c.q.raw.strip()}。")
    if query.measure == "yesno" and query.quantities:
        asked = query.quantities[0].value
        verdict_word = "是" if value >= asked else "否"
        answer = compose.numeric(query, c, value, unit, growth, "unchecked", (), None)
        return answer.model_copy(update={"answer": f"{verdict_word}。{answer.answer}"})
    verdict, fact_ids, detail = _verify(query, ctx, c, value, unit, growth)
    answer = compose.numeric(query, c, value, unit, growth, verdict, fact_ids, detail, ctx.plan_year(query.doc_id))
    if (query.unit and query.unit != unit and not query.classifier_only and _convertible(unit, query.unit)
            and base_unit(query.unit) != query.unit):  # "多少万元" names a scale; "多少平方米" only the kind
        return compose.converted(answer, convert(value, unit, query.unit), query.unit, c)
    return answer


def _rate_target(query: Query) -> bool:
    return query.kind in ("target", "plan") and query.measure == "level" and not query.also_growth and not query.unit


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
        said = wording.change(value) if c.q.is_growth else wording.figure(value, unit, compose.qualifier_of(c))
        return compose.abstain(query, "false_premise", scored.hits,
                               text=f"报告中没有这样的说法：报告写的是{c.lead.strip('，,、；：:')}{said}。")
    return _text(query, ctx)


def _verify(query: Query, ctx: AnswerContext, c: Candidate, value, unit, growth):
    facts = ctx.facts_by_doc.get(query.doc_id or "", [])
    if not facts:
        return "not_in_table", (), None
    if query.language != "zh":
        return "unchecked", (), None  # the table is read by its Chinese names: no independent reading
    reading = read_table(query, facts, ctx.cover(query.topic, query.doc_id), ctx.plan_year(query.doc_id),
                         ctx.review_year(query.doc_id), ctx.scorer.param("verify_min_coverage"))
    if agrees(reading, c, value, unit, growth, query):
        return "consistent", (reading.fact.id,), None
    if reading.fact is not None:
        f = reading.fact
        detail = f"事实表中对应的是“{f.indicator}”{f.value:g}{f.unit}（{f.period}年），与引文中的数字不是同一读数，未核对。"
        return "unchecked", (f.id,), detail
    return "unchecked", (), None


def _comparison(query: Query, ctx: AnswerContext) -> Answer:
    return compare.compare(query, ctx, score_numbers, _verify, answer_type)


def _convertible(a: str, b: str) -> bool:
    return compare.convertible(a, b)


def _head(query: Query, ctx: AnswerContext) -> Answer:
    doc = ctx.by_id[query.doc_id]
    lines = head_lines(doc.passages, HEAD_LINES)
    speaker = doc.meta.speaker
    if query.measure == "date" and not any(coverage(ctx.terms(query.topic), s.text, ctx.idf_of(query.doc_id)) for _, s in lines):
        return _text(query, ctx)  # a date of something the report's head does not name
    for passage, sentence in lines:
        if query.measure == "who" and speaker and speaker in sentence.text:
            return compose.sentences(query, [(passage, sentence)], lead=f"报告人：{sentence.text}")
        if query.measure == "date" and _DATE.search(sentence.text):
            return compose.sentences(query, [(passage, sentence)], lead=sentence.text)
    return _text(query, ctx)


def _text(query: Query, ctx: AnswerContext) -> Answer:
    hits = ctx.search(query.text, query.doc_id)
    terms = ctx.terms(query.topic)
    evidence = rank_sentences(terms, hits, ctx.idf_of(query.doc_id), query.year)
    if not evidence or evidence[0].score < ctx.scorer.threshold("text"):
        return compose.abstain(query, "no_sentence", hits)
    top = evidence[0]
    if query.measure == "rank" and not _RANK.search(top.sentence.text):
        return compose.abstain(query, "no_rank", hits)
    if query.measure == "list":
        return _listing(query, top, terms, ctx.idf_of(query.doc_id))
    return compose.sentences(query, [(top.passage, top.sentence)],
                             highlight=best_clause(top.sentence.text, terms, ctx.idf_of(query.doc_id)))


def _listing(query: Query, top, terms, idf) -> Answer:
    """Separate items, one per enumerated measure, each with its citation number, in reading order."""
    passage = top.passage
    heading = coverage(terms, passage.section_path[-1], idf) if passage.section_path else 0
    if heading and heading >= coverage(terms, top.sentence.text, idf):  # the question names the section
        sentences = [s for s in passage.sentences if s.text.rstrip("。") not in passage.section_path]
    else:
        sentences = [top.sentence] + [s for s in passage.sentences
                                      if s.start > top.sentence.start and _ENUM.match(s.text)]
    items: list[str] = []
    for n, sentence in enumerate(sentences, start=1):
        parts = [p.strip("，,；;。 ") for p in _ENUM.split(sentence.text) if p.strip("，,；;。 ")]
        if len(parts) < 2:
            parts = [p.strip("，,；;。 ") for p in re.split(r"[；;]", sentence.text) if p.strip("，,；;。 ")]
        items += [f"{part} [{n}]" for part in parts]
    return compose.sentences(query, [(passage, s) for s in sentences], items=items)
