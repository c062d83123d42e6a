"""One wording of a figure with its qualifiers, used by the answer, the badge, the fact table and the CLI.

The report's own hedges stay where the report puts them: 预计 and 力争 before the number, 余/多 between
the number and the unit, 左右/以上/以内 after it ("力争2家以上", "7.5%左右", "300余场", "预计111亿元").
Where each word stands is data (`data/qualifiers.json`), not code.
"""

from __future__ import annotations

import re
from functools import lru_cache

from qa.data import alternation, load
from qa.models import Fact
from qa.numbers import format_number

QUALIFIER_SEP = "、"
KIND_WORDS = {"actual": "", "estimate": "预计", "target": "目标", "plan": "计划"}
GROWTH_UNIT = "%"
RANGE_SEP = "—"
POINTS_UNIT = "个百分点"


@lru_cache(maxsize=1)
def _places() -> dict[str, tuple[str, ...]]:
    data = load("qualifiers.json")
    return {place: tuple(data[place]) for place in ("before", "inside", "after")}


@lru_cache(maxsize=1)
def _name_cleaners() -> tuple[re.Pattern, re.Pattern]:
    verbs = load("qualifiers.json")["change_verbs"]
    markers = load("facts.json")["list_markers"]
    ends = alternation(verbs)
    kinds = alternation([w for w in (KIND_WORDS["target"], KIND_WORDS["plan"]) if w])
    # the verb may stand before the kind word: 社会消费品零售总额增长目标 + 增长9% says 增长 twice too
    return re.compile(markers), re.compile(rf"(?:{ends})(?=(?:{kinds})?$)")


def name(words: str, *, rate: bool = False) -> str:
    """The words naming a figure as a reader should see them: no list number ("1." / "（2）") in front and,
    before a rate, no change verb at the end ("地区生产总值增长" + "增长6%" would say it twice)."""
    marker, change_end = _name_cleaners()
    words = marker.sub("", words.strip()).strip()
    if rate:
        words = change_end.sub("", words).strip("，,、；;：: ")
    return words


def qualifier_words(qualifier: str | None) -> list[str]:
    """"力争、以上" -> ["力争", "以上"] (order kept, blanks dropped)."""
    return [w.strip() for w in (qualifier or "").replace(",", QUALIFIER_SEP).split(QUALIFIER_SEP) if w.strip()]


def figure(value: float, unit: str, qualifier: str | None = None, *, skip: tuple[str, ...] = (),
           high: float | None = None) -> str:
    """A figure as the report says it: "力争2家以上", "7.5%左右", "300余场", "预计111亿元"; a range with its
    `high` end: "6.5%—7%", "20—25亿元".

    `skip` leaves out words the sentence around the figure already says (a "2017年预计：" lead).
    A word whose place is not known stands before the number, where a reader still sees it.
    """
    places = _places()
    words = [w for w in qualifier_words(qualifier) if w not in skip]
    inside = "".join(w for w in words if w in places["inside"])
    after = "".join(w for w in words if w in places["after"])
    before = "".join(w for w in words if w not in places["inside"] and w not in places["after"])
    if high is not None and high != value:
        low = f"{format_number(value)}{unit if unit == GROWTH_UNIT else ''}"
        return f"{before}{low}{RANGE_SEP}{format_number(high)}{inside}{unit}{after}"
    return f"{before}{format_number(value)}{inside}{unit}{after}"


def change(pct: float, qualifier: str | None = None, *, reduction: bool = False, unit: str = GROWTH_UNIT,
           high: float | None = None) -> str:
    """A growth rate in words: "增长7.5%", "下降6.8%" (a fall is a negative rate), "下降3.2%" for an
    indicator that is itself a reduction (能耗下降3.2% keeps 3.2); a change in percentage points "提高1.3个百分点"."""
    places = _places()
    words = qualifier_words(qualifier)
    before = "".join(w for w in words if w not in places["inside"] and w not in places["after"])
    rest = QUALIFIER_SEP.join(w for w in words if w in places["inside"] or w in places["after"]) or None
    points = unit == POINTS_UNIT
    verb = ("下降" if reduction or pct < 0 else "提高") if points else ("下降" if reduction or pct < 0 else "增长")
    top = abs(high) if high is not None else None  # 增长6.5%—7%
    return f"{before}{verb}{figure(abs(pct), POINTS_UNIT if points else GROWTH_UNIT, rest, high=top)}"  # 力争增长8%以上


def difference(magnitude: float, unit: str, higher: bool, *, points: bool = False) -> str:
    """"高1.2个百分点" / "少3亿元": the size of a difference as a value, its direction in words."""
    if magnitude == 0:
        return "与后者持平"
    word = ("高" if higher else "低") if points else ("多" if higher else "少")
    return f"{word}{format_number(abs(magnitude))}{unit}"


def period(fact: Fact) -> str:
    """"2017年", "十三五时期（2016—2020年）", "2016—2020年" for a figure's period."""
    if fact.span_start is not None and fact.span_start != fact.period:
        years = f"{fact.span_start}—{fact.period}年"
        return f"{fact.span_label}（{years}）" if fact.span_label else years
    return f"{fact.period}年"


def kind(fact: Fact) -> str:
    """The reader's word for a row's kind ("" for a result)."""
    return KIND_WORDS[fact.kind]
