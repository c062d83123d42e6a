"""Verification by two independent readings.

The scorer reads the number from a sentence; here the fact table is read on its own, from the
`Query` alone (indicator words, period, kind, measure, unit), never from the chosen candidate. The
answer is "consistent" only when both readings give the same figure from the same sentence, with the
period, kind, unit and qualifier the question asked for. Otherwise it is "unchecked" (the table has
no row that answers the query on its own, or has another), never a silent ✓.
"""

from __future__ import annotations

from dataclasses import dataclass

from qa.answering.candidates import Candidate
from qa.facts import GROWTH_SUFFIX, is_growth_row
from qa.models import Fact
from qa.question.query import Query


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


def read_table(query: Query, facts: list[Fact], cover, plan_year: int | None, review_year: int | None,
               min_coverage: float) -> Reading:
    """The fact row the query asks for, read from the table alone (None when no row clearly does)."""
    want_growth = query.measure == "growth" and not query.also_growth
    years = set(query.years)
    if not years and query.kind in ("target", "plan") and plan_year:
        years = {plan_year}
    elif not years and query.kind == "result" and review_year:
        years = {review_year}
    scored = []
    for fact in facts:
        if years and fact.period not in years:
            continue
        if not _kind_fits(fact, query) or is_growth_row(fact) != want_growth:
            continue
        names = " ".join((fact.indicator, *fact.aliases))
        scored.append((cover(names), fact))
    if not scored:
        return Reading(None, 0)
    scored.sort(key=lambda s: -s[0])
    best, fact = scored[0]
    rivals = [f for s, f in scored[1:] if s == best and (f.value, f.unit) != (fact.value, fact.unit)]
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
    if fact.unit != unit or abs(fact.value) != abs(value):
        return False
    if growth is not None and fact.growth_pct is not None and abs(fact.growth_pct) != abs(growth):
        return False
    if query.years and fact.period not in query.years:
        return False
    # the row names the phrase that answers: its indicator stands next to the figure in the quote
    name = _squash(fact.indicator).removesuffix(GROWTH_SUFFIX)
    if name[-NAME_TAIL:] not in _squash(c.lead + c.after):
        return False
    hedges = set(c.q.hedges)
    words = {w for w in (fact.qualifier or "").replace(",", "、").split("、") if w}
    return hedges == words
