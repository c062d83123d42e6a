"""Verification by two independent readings.

The scorer reads the number from a sentence; here the fact table is read on its own, from the
`Query` alone (indicator words, period, kind, measure, unit), never from the chosen candidate. The
answer is "consistent" only when both readings give the same figure from the same sentence, with the
period, kind, unit and qualifier the question asked for. Otherwise it is "unchecked" (the table has
no row that answers the query on its own, or has another), never a silent ✓.

What "as asked" means, each a class of wrong ✓ seen or near-missed on the debug reports:
- span: a multi-year row (十三五, 年均, `Fact.span_start`) answers only a question about a span, and a
  one-year row only a one-year question ("到2025年GDP要达到多少" is not "年均增长7%左右").
- measure: a growth row only for a growth question; a share question only by a % row; a count
  question never by a % row.
- subject: a row about a part of the area (its subject is not the table's dominant one, the report's
  area word) only when the question names that part.
- unit family: a question asking 多少亿元 is not answered by a rate or a count.
- both parts: a two-part question (多少？增长多少？) is vouched for only when the growth part is given
  and equals the row's; a growth shown beside a level equals the row's, never an unchecked extra.
- qualifier: the sentence's hedges (预计/左右/以上/力争…) are exactly the row's.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from qa.answering.candidates import Candidate
from qa.facts import GROWTH_SUFFIX, is_growth_row
from qa.models import Fact
from qa.numbers import UNITS, compatible, counts_alike, find_quantities
from qa.question.query import Query

if TYPE_CHECKING:
    from qa.answering.context import AnswerContext


NAME_TAIL = 4  # characters of a row's name that must stand next to the figure


def _squash(text: str) -> str:
    return "".join(text.split())


@dataclass(frozen=True)
class Reading:
    fact: Fact | None
    score: float


def _kind_fits(fact: Fact, query: Query) -> bool:
    if query.kind in ("target", "plan"):
        return fact.kind in ("target", "plan")
    if query.kind == "result":
        return fact.kind in ("actual", "estimate")
    return True


def _span_fits(fact: Fact, query: Query) -> bool:
    if (fact.span_start is not None) != bool(query.span):
        return False
    return not (query.span_start and fact.span_start and fact.span_start != query.span_start)


def _measure_fits(fact: Fact, query: Query) -> bool:
    if query.measure == "share":
        return fact.unit == "%" and not is_growth_row(fact)
    if query.measure == "count":
        return fact.unit != "%"
    return True


def _unit_fits(query: Query, unit: str) -> bool:
    """The figure's unit is of the family asked (多少亿元 is not answered by a % or a count); a bare scale
    word asked (多少亿) fits an amount of that scale; % and 个百分点 are one family."""
    if query.classifier_only:
        return counts_alike(query.unit, unit)
    if not query.unit or query.unit == unit:
        return True
    if query.unit not in UNITS or unit not in UNITS:
        return False
    rates = (UNITS["%"][0], UNITS["个百分点"][0])
    if UNITS[query.unit][0] in rates or UNITS[unit][0] in rates:
        return UNITS[query.unit][0] in rates and UNITS[unit][0] in rates
    if not UNITS[query.unit][0]:  # a bare scale word (多少亿): an amount of that scale
        return UNITS[unit][1] == UNITS[query.unit][1]
    return compatible(query.unit, unit)


def _whole(facts: list[Fact]) -> str | None:
    """The subject of the whole area (the report's area word): the table's most frequent subject."""
    counts = Counter(f.subject for f in facts if f.subject)
    return counts.most_common(1)[0][0] if counts else None


def _subject_fits(fact: Fact, query: Query, whole: str | None) -> bool:
    if not fact.subject or fact.subject == whole:
        return True
    return _squash(fact.subject) in _squash(query.normalized + query.text)


def _states(text: str, asked) -> bool:
    """Whether the sentence writes this quantity of the question, with its qualifiers (10亿元以上 in
    "10亿元以上项目14个" is not the 10亿元以下 asked)."""
    return any(q.value == asked.value and (asked.unit is None or q.unit == asked.unit)
               and set(asked.qualifiers) <= set(q.hedges) for q in find_quantities(text))


def read_table(query: Query, facts: list[Fact], cover, plan_year: int | None, review_year: int | None,
               min_coverage: float, min_precision: float = 0) -> Reading:
    """The fact row the query asks for, read from the table alone (None when no row clearly does): its names
    hold the question's topic (coverage) and little more (precision: 单位地区生产总值能耗 holds 地区生产总值
    but measures something else); the closest name wins, a tie between different figures reads nothing."""
    want_growth = query.measure == "growth" and not query.also_growth
    years = set(query.years)
    if not years and query.kind in ("target", "plan") and plan_year:
        years = {plan_year}
    elif not years and query.kind == "result" and review_year:
        years = {review_year}
    whole = _whole(facts)
    scored = []
    for fact in facts:
        if years and fact.period not in years:
            continue
        if not _kind_fits(fact, query) or is_growth_row(fact) != want_growth:
            continue
        if not (_span_fits(fact, query) and _measure_fits(fact, query) and _subject_fits(fact, query, whole)):
            continue
        names = " ".join((fact.indicator, *fact.aliases))
        precision = max(cover.precision(n) for n in (fact.indicator.removesuffix(GROWTH_SUFFIX), *fact.aliases))
        if precision >= min_precision:
            scored.append((cover(names), precision, fact))
    if not scored:
        return Reading(None, 0)
    scored.sort(key=lambda s: (-s[0], -s[1]))
    best, precision, fact = scored[0]
    rivals = [f for s, p, f in scored[1:] if (s, p) == (best, precision) and (f.value, f.unit) != (fact.value, fact.unit)]
    if best < min_coverage or rivals:
        return Reading(None, best)
    return Reading(fact, best)


def agrees(reading: Reading, c: Candidate, value: float, unit: str, growth: float | None, query: Query) -> bool:
    """Do the table's row and the sentence's figure say the same thing, as asked?"""
    fact = reading.fact
    if fact is None:
        return False
    if _squash(c.sentence.text) not in _squash(fact.source) and _squash(fact.source) not in _squash(c.sentence.text):
        return False
    if fact.unit != unit or fact.value != value:  # signed: a 增长 shown for a 下降 row is no match
        return False
    if growth is not None and (fact.growth_pct is None or fact.growth_pct != growth):
        return False  # a growth shown beside the level is vouched for too, or nothing is
    if query.also_growth and growth is None and not is_growth_row(fact):
        return False  # a two-part question answered in one part
    if query.years and fact.period not in query.years:
        return False
    if not (_kind_fits(fact, query) and _span_fits(fact, query) and _measure_fits(fact, query)):
        return False
    if not _unit_fits(query, unit):
        return False
    if any(not _states(c.sentence.text, q) for q in query.quantities):
        return False  # "10亿元以下的有几个" asks a part the sentence does not name: its figure is the whole's
    # the row names the phrase that answers: its indicator stands next to the figure in the quote
    name = _squash(fact.indicator).removesuffix(GROWTH_SUFFIX)
    if name[-NAME_TAIL:] not in _squash(c.lead + c.after):
        return False
    hedges = set(c.q.hedges)
    words = {w for w in (fact.qualifier or "").replace(",", "、").split("、") if w}
    return hedges == words


def verify_answer(query: Query, ctx: AnswerContext, c: Candidate, value, unit, growth):
    facts = ctx.facts_by_doc.get(query.doc_id or "", [])
    if not facts:
        return "not_in_table", (), None
    if query.language != "zh":  # the table is read by its Chinese names: by the glossary's, when it names the
        concept = whole_concept(query, ctx)  # whole topic ("retail sales of consumer goods": 社会消费品零售总额)
        if concept is None:
            return "unchecked", (), None
        return verify_answer(query.model_copy(update={"topic": concept, "language": "zh"}), ctx, c, value, unit, growth)
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


def whole_concept(query: Query, ctx: AnswerContext) -> str | None:
    """The glossary term an English question's whole topic names: every word of the topic is a word of one of
    the term's English names ("online retail sales" is not 社会消费品零售总额, whose names lack "online")."""
    words = set(_LATIN.findall(query.topic.lower()))
    if not words or ctx.glossary is None:
        return None
    found = {e.term for e in ctx.glossary.matches(query.normalized)
             if any(words <= set(_LATIN.findall(name.lower())) for name in e.names)}
    return found.pop() if len(found) == 1 else None


_LATIN = re.compile(r"[a-z]+")
