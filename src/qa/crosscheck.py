"""Checking the table against its documents.

`check_facts` and `coverage` keep the table honest (sources verbatim, values stated, no
two values for one indicator/subject/period/kind, every number of the report a row or
excluded with a reason). `compare_target` answers "2018 target vs 2017 result".

A numeric answer is verified by `qa.answering.verify` (two independent readings), not here.
"""

from __future__ import annotations

from dataclasses import dataclass

from qa.facts import (FORWARD_KINDS, RESULT_KINDS, auto_exclusion, is_growth_row, match_facts,
                      qualifier_words)
from qa.facts.extract import PAST_GOAL, report_years
from qa.facts.table import is_whole_area
from qa.facts.names import name_problems
from qa.models import Document, Fact
from qa.wording import figure
from qa.numbers import (UnitError, compatible, convert, find_numbers, find_quantities, format_number,
                        format_quantity, to_base)

KIND_WORDS = {"actual": "实际", "estimate": "预计", "target": "目标", "plan": "计划"}
REL_TOL = 1e-9


def worded(value: float, unit: str, qualifier: str | None, skip: str = "") -> str:
    """A figure with its hedges where the report puts them (the one wording: `qa.wording.figure`)."""
    return figure(value, unit, qualifier, skip=(skip,) if skip else ())


def describe(fact: Fact) -> str:
    """"地区生产总值 2017年预计: 111亿元 [id]" — one row, worded for a detail text."""
    subject = "" if is_whole_area(fact.subject) else f"{fact.subject}·"
    kind = KIND_WORDS[fact.kind]
    return (f"{subject}{fact.indicator} {fact.period}年{kind}: "
            f"{worded(fact.value, fact.unit, fact.qualifier, skip=kind)} [{fact.id}]")


def _family(kind: str | None) -> tuple[str, ...] | None:
    if kind is None:
        return None
    return RESULT_KINDS if kind in RESULT_KINDS else FORWARD_KINDS


def same_value(value: float, unit: str, fact: Fact) -> bool:
    """`value unit` equals the row's value once both are in the same unit."""
    if not compatible(unit, fact.unit):
        return False
    converted = convert(value, unit, fact.unit)
    return abs(converted - fact.value) <= REL_TOL * max(1.0, abs(fact.value))


@dataclass(frozen=True)
class Comparison:
    """A goal of one year against the result of the year before, with the arithmetic."""

    target: Fact
    result: Fact
    difference: float
    unit: str
    text: str


def compare_target(facts: list[Fact], phrase: str, year: int) -> Comparison | None:
    """The `year` target (target/plan) of the indicator named by `phrase` against the
    `year - 1` result (actual/estimate). Growth rates give a difference in 个百分点;
    levels in the row's unit. None when either side is missing.
    """
    # a goal is often a growth rate ("GDP增长7.5%左右"): after the phrase's own rows, its growth rows
    ranked = match_facts(facts, phrase)
    ranked += [pair for pair in match_facts(facts, phrase + "增速") if pair[0] not in {f for f, _ in ranked}]
    seen: list[str] = []
    for fact, _ in ranked:
        if fact.indicator not in seen:
            seen.append(fact.indicator)
    for indicator in seen:
        same = [f for f, _ in ranked if f.indicator == indicator]
        goals = [f for f in same if f.period == year and f.kind in FORWARD_KINDS]
        results = [f for f in same if f.period == year - 1 and f.kind in RESULT_KINDS]
        pairs = [(g, r) for g in goals for r in results if g.subject == r.subject and compatible(g.unit, r.unit)]
        if pairs:
            return _compare(*pairs[0])
    return None


def _said(fact: Fact, value: float, unit: str) -> str:
    kind = KIND_WORDS[fact.kind]
    return f"{fact.period}年{kind} {worded(value, unit, fact.qualifier, skip=kind)}"


def _compare(goal: Fact, result: Fact) -> Comparison:
    # state both in the finer unit (12122人 vs 10000人, not 1.2122万人)
    unit = min((goal.unit, result.unit), key=lambda u: convert(1, u, goal.unit))
    new, old = convert(goal.value, goal.unit, unit), convert(result.value, result.unit, unit)
    difference = round(new - old, 10)
    points = "个百分点" if unit == "%" else unit
    word = "高" if difference > 0 else ("低" if difference < 0 else "持平")
    text = (f"{_said(goal, new, unit)} − {_said(result, old, unit)} = {format_number(difference)}{points}"
            f"（{word}{'' if difference == 0 else format_number(abs(difference)) + points}）")
    return Comparison(target=goal, result=result, difference=difference, unit=points, text=text)


# --- checks ---------------------------------------------------------------------------------

def _states(q, f: Fact) -> bool:
    """The quantity q of a source states the row's value (a fall as its negative, a range whole)."""
    if q.unit != f.unit or q.high != f.high:  # a range stays a range
        return False
    if q.falls and (is_growth_row(f) or f.unit == "个百分点"):  # 下降4.3% as a growth rate is −4.3
        return q.value == -f.value
    return q.value == f.value  # a reduction indicator (能耗下降3.2%) keeps its number


def _check_row(f: Fact, doc: Document) -> list[str]:
    problems = []
    if f.source not in doc.text:
        problems.append(f"{f.id}: source is not in the cleaned text of {f.doc_id}: {f.source[:40]}…")
    quantities = find_quantities(f.source)
    stated = [q for q in quantities if _states(q, f)]
    if not stated:
        problems.append(f"{f.id}: source does not state {format_quantity(f.value, f.unit)}")
    else:
        missing = qualifier_words(f.qualifier) - {w for q in stated for w in q.hedges}
        missing -= {w for w in missing if w in f.source}  # scoped words are in the sentence
        if missing:
            problems.append(f"{f.id}: qualifier {'、'.join(sorted(missing))} not in the source")
    try:
        expected = to_base(f.value, f.unit)[0]
    except UnitError as exc:
        problems.append(f"{f.id}: {exc}")
        expected = f.base_value
    if abs(expected - f.base_value) > 1e-9 * max(1.0, abs(expected)):
        problems.append(f"{f.id}: base_value {format_number(f.base_value)} should be {format_number(expected)}")
    if f.growth_pct is not None and not any(
            q.unit == "%" and (q.value == f.growth_pct or (q.falls and q.value == -f.growth_pct))
            for q in quantities):
        problems.append(f"{f.id}: growth {format_number(f.growth_pct)}% not in the source")
    review, plan = report_years(doc)
    if f.kind in RESULT_KINDS and plan is not None and f.period >= plan:
        problems.append(f"{f.id}: {f.kind} for {f.period}, not a year under review")
    if f.kind in FORWARD_KINDS and review is not None and f.period <= review and not PAST_GOAL.search(f.source):
        problems.append(f"{f.id}: {f.kind} for {f.period}, a year already past")
    if f.span_start is not None and f.span_start > f.period:
        problems.append(f"{f.id}: span starts in {f.span_start}, after its period {f.period}")
    return problems


def table_check(facts: list[Fact], docs: list[Document]) -> tuple[list[str], list[str]]:
    """(errors, hints) of a fact table against its documents.

    Errors fail `qa facts check`: a row that does not validate against its report (source not in
    the text, value or qualifier not in the source, wrong base value, a kind that does not fit its
    period), a duplicate id or row, two values under one name where a reviewed row is involved.
    Hints do not fail: names that read like fragments (`qa.facts.names`) and two values under one
    name among unreviewed rows (one of them wants a longer name).
    """
    by_doc = {d.doc_id: d for d in docs}
    errors: list[str] = []
    hints: list[str] = []
    seen: dict[str, Fact] = {}
    keys: dict[tuple, Fact] = {}
    for f in facts:
        if f.id in seen:
            errors.append(f"{f.id}: duplicate id")
        seen[f.id] = f
        doc = by_doc.get(f.doc_id)
        if doc is None:
            errors.append(f"{f.id}: no document {f.doc_id!r} in the corpus")
            continue
        errors += _check_row(f, doc)
        if not f.reviewed:
            hints += [f"{f.id}: name {f.indicator!r}: {p}" for p in name_problems(f.indicator)]
        # rows in units of different things (152处 and 356万吨 of one clean-up) do not conflict
        key = (f.doc_id, f.indicator, f.subject, f.period, f.span_start, f.kind, _base_or_unit(f.unit))
        other = keys.get(key)
        if other is not None and other.base_value == f.base_value and other.source == f.source:
            errors.append(f"{f.id}: duplicate of {other.id}")
        elif other is not None and other.base_value != f.base_value:
            said = (f"{f.indicator}/{f.subject}/{f.period}/{f.kind} is {format_quantity(f.value, f.unit)} "
                    f"here but {format_quantity(other.value, other.unit)} in {other.id}")
            if f.reviewed or other.reviewed:
                errors.append(f"{f.id}: {said}")
            else:
                hints.append(f"{f.id}: {said} (one of them wants a longer name)")
        keys.setdefault(key, f)
    return errors, hints


def check_facts(facts: list[Fact], docs: list[Document]) -> list[str]:
    """The errors of a table against its documents, worded; [] when the table is sound."""
    return table_check(facts, docs)[0]


# --- coverage -------------------------------------------------------------------------------

def number_mentions(text: str) -> list[tuple[int, int, float, str]]:
    """Every number of a text that must be a row or excluded: (start, end, value, unit).

    Numbers with a unit; Arabic numbers without one ("人民调解110"); Chinese numerals of 10 or
    more without one ("十九大", "三十五证合一"). A lone small Chinese numeral without a unit
    is a word ("一年来", "两学一做"), not a figure.
    """
    numbers = find_numbers(text)
    mentions = [(next((s for s, _, _ in numbers if q.start <= s < q.end), q.start), q.end, q.value, q.unit)
                for q in find_quantities(text)]
    covered = [(q.start, q.end) for q in find_quantities(text)]
    for start, end, value in numbers:
        if any(s <= start < e for s, e in covered):
            continue
        chinese = not text[start].isdigit()
        if chinese and value < 10:
            continue
        mentions.append((start, end, value, ""))
    return sorted(mentions)


def _base_or_unit(unit: str) -> str:
    try:
        return to_base(1, unit)[1]
    except UnitError:
        return unit


def coverage(doc: Document, facts: list[Fact], exclusions: list[dict]) -> tuple[list[str], list[str]]:
    """(problems, excluded): numbers of `doc` neither in a row nor excluded, and the worded
    list of what was excluded and why (rules and the exclusion file).
    """
    sentences = [s for p in doc.passages for s in p.sentences]
    rows_by_source: dict[str, list[tuple[float, str]]] = {}
    for f in facts:
        if f.doc_id == doc.doc_id:
            rows_by_source.setdefault(f.source, []).append((abs(f.value), f.unit))  # a fall is −value
    spans = []
    problems: list[str] = []
    for row in exclusions:
        found = [i for i in _occurrences(doc.text, row["text"])]
        if not found:
            problems.append(f"exclusion text not in the document: {row['text']!r}")
        spans += [(i, i + len(row["text"]), row) for i in found]
    excluded: list[str] = []
    used: dict[int, list[tuple[float, str]]] = {}
    for start, end, value, unit in number_mentions(doc.text):
        raw = doc.text[start:end]
        reason = auto_exclusion(doc.text, start, end, value)
        if reason:
            excluded.append(f"{raw}: {reason}")
            continue
        listed = next((row for s, e, row in spans if s <= start and end <= e), None)
        if listed:
            excluded.append(f"{raw} in {listed['text']}: {listed['reason']}")
            continue
        index, sentence = next(((i, s) for i, s in enumerate(sentences) if s.start <= start < s.end),
                               (None, None))
        available = list(rows_by_source.get(sentence.text, [])) if sentence else []
        taken = used.setdefault(index, [])
        if available.count((abs(value), unit)) > taken.count((abs(value), unit)):
            taken.append((abs(value), unit))
            continue
        context = doc.text[max(0, start - 12):end + 4].replace("\n", " ")
        problems.append(f"not in the table nor excluded: {raw} (…{context}…)")
    return problems, excluded


def _occurrences(text: str, needle: str):
    i = text.find(needle)
    while i >= 0:
        yield i
        i = text.find(needle, i + 1)
