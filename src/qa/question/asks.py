"""What a question asks, from its words: the measure, the kind of figure, the unit, stated quantities.

Plain functions over a normalised question; the cue words are data (`qa/data/question_words.json`).
"""

from __future__ import annotations

import re
from typing import Sequence
from functools import lru_cache

from qa.evidence import english_senses
from qa.models import DocProfile
from qa.numbers import COUNT_UNITS, UNITS, find_quantities
from qa.question.query import Quantity_
from qa.question.words import cues
from qa.question.years import Years

NUMERIC = ("level", "growth", "share", "count")
# 比, than; 离 when a gap follows (离规划目标差几个百分点, 离目标还差多远), not 距离 or 离退休
THAN = re.compile(r"(?<![同环占好对无相])比(?![重例率较])|\bthan\b|(?<![距])离(?![退休婚职开])(?=[^，,。？?]{1,16}?(?:差|远))")
CONJUNCTION = re.compile("|".join(f"(?:{w})" for w in cues().raw["conjunctions"]["words"]))  # 和 / 与 / 同 (not 合同)
_ASKS_NUMBER = re.compile(r"多少|几(?:[个家项件户名所座条人列场次辆处张位成亩吨]|$|[?？。，,])|百分之|how (?:much|many)|what (?:is|was|were) the (?:total|amount|number|value)", re.I)
_ASK_LEAD = r"(?:共有|有)?(?:多少|几)"


def lists_parts(text: str) -> bool:
    """A list of parts (新开工、续建、竣工投产项目), not examples of one set (东城国际、豫森公馆这些项目)."""
    return "、" in text and not any(w in text.split("、")[-1] for w in cues().raw["example_words"]["words"])


def measure_of_clause(text: str) -> str | None:
    """The measure one clause names, by priority; None when it names none."""
    m = cues().measure
    if m["comparison"].search(text) or m["comparison_than"].search(text) or m["ratio"].search(text) or (
            m["sum"].search(text) and (CONJUNCTION.search(text) or lists_parts(text))):
        return "comparison"  # before who/date: 哪年增长快, 谁的增速高
    if m["who"].search(text):
        return "who"
    if m["date"].search(text):
        return "date"
    asks_number = _ASKS_NUMBER.search(text)
    if m["yesno"].search(text) and not asks_number:
        return "yesno"
    if m["rank"].search(text):
        return "rank"
    if m["list"].search(text):
        return "list"
    found = None
    growth = m["growth"].search(text)
    if growth and not (growth.group(0) == "同比" and m["share"].search(text)):
        found = "growth"
    elif m["share"].search(text):
        found = "share"
    elif m["count"].search(text):
        found = "count"
    elif m["level"].search(text):
        found = "level"
    if found and not asks_number and cues().open_question.search(text):
        return "text"  # 服务业比重有什么突破: asks in words, not for the figure
    return found


_HOW_MUCH_APART = re.compile(r"差多少|差几|相差|差了多少|[高低多少快慢]多少|[高低多少快慢]了?几")


def operation_of(norm: str) -> str | None:
    """For a comparison: "ratio" (是…的几倍), "sum" (一共/合计), "change" (变化/增减: signed),
    "which" (哪个快, 高还是低) or "difference" (差多少)."""
    m = cues().measure
    if m["ratio"].search(norm):
        return "ratio"
    if m["sum"].search(norm):
        return "sum"
    if m["change"].search(norm):
        return "change"
    if re.search(r"哪(?![些几里儿])|谁|还是|\bwhich\b", norm) and not _HOW_MUCH_APART.search(norm):
        return "which"  # 高还是低，差多少: the difference is asked
    return "difference"


def _names_a_set(norm: str) -> bool:
    """三大主导产业 asks the set's members; 三大主导产业产值目标 a figure of the set."""
    m = cues().measure
    found = m["list_numbered"].search(norm)
    return found is not None and not m["set_figure"].search(norm, found.end())


def measure_of_text(norm: str) -> tuple[str, bool, bool]:
    """(measure, said, also_growth): a two-part question ("是多少？增长多少？") is its level with
    also_growth; a keyword query ("2020 一般公共预算收入") asks the level, or the list when it names
    a numbered set ("三大保卫战")."""
    clauses = [c for c in cues().two_part.split(norm) if c and c.strip()]
    if len(clauses) >= 2:
        measures = [measure_of_clause(c) for c in clauses]
        growth_at = [i for i, x in enumerate(measures) if x == "growth"]
        level_at = [i for i, x in enumerate(measures) if x in ("level", "count", "share")]
        if growth_at and level_at:
            return measures[level_at[0]], True, True
    found = measure_of_clause(norm)
    if found is not None:
        if found in ("level", "text") and _names_a_set(norm) and not re.search(r"多少|几", norm):
            return "list", True, False
        return found, True, False
    if _names_a_set(norm):
        return "list", False, False
    if any(p.search(norm) for p in (cues().question_end, cues().open_question, cues().open_question_en)):
        return "text", False, False
    return "level", False, False  # a keyword query: the figure itself


def kind_of(norm: str, measure: str, completion: bool, years: Years, profile: DocProfile | None) -> tuple[str, str | None]:
    c = cues()
    numeric = measure in NUMERIC or measure in ("yesno", "comparison")
    target = c.target.search(norm)
    result = c.result_first.search(norm)
    if result:
        return "result", result.group(0)
    if completion or target:
        word = target.group(0) if target else "目标"
        return ("target" if numeric or completion else "plan"), word
    result = c.result.search(norm)
    if result:
        return "result", result.group(0)
    if profile is not None and years.years and profile.review_year is not None:
        end = years.span_end or max(years.years)
        if all(y <= profile.review_year for y in years.years) and end <= profile.review_year:
            return "result", None
        if all(y > profile.review_year for y in years.years):
            return ("target" if numeric else "plan"), None
    return "any", None


@lru_cache(maxsize=1)
def _unit_words() -> tuple[str, ...]:
    c = cues()
    return tuple(sorted(set(UNITS) | c.classifiers | set(c.noun_units), key=len, reverse=True))


@lru_cache(maxsize=1)
def _units_re() -> re.Pattern:
    return re.compile("|".join(re.escape(u) for u in _unit_words()))


@lru_cache(maxsize=1)
def _unit_starts() -> frozenset[str]:
    """First characters of every unit: a lone Chinese numeral before one of them may be a quantity (三家)."""
    return frozenset(u[0] for u in _unit_words() if u)


@lru_cache(maxsize=1)
def counted() -> re.Pattern:
    """多少/几 with the unit said after it (多少亿元, 几个, 多少个百分点): cut from the topic."""
    said = sorted(cues().raw["unit_asked"]["colloquial"], key=len, reverse=True)
    return re.compile(_ASK_LEAD + "(?:" + "|".join(re.escape(u) for u in (*said, *_unit_words())) + ")?")


def _unit_prefix(after: str) -> str | None:
    """The longest start of `after` (two characters or more) that begins a known unit."""
    for n in range(min(len(after), 5), 1, -1):
        head = after[:n]
        if any(u.startswith(head) for u in _unit_words()):
            return head
    return None


@lru_cache(maxsize=1)
def _points_said() -> re.Pattern:
    """快几个点, 低了多少个点: percentage points said the colloquial way (question_words.json unit_asked.points)."""
    return re.compile("|".join(cues().raw["unit_asked"]["points"]))


@lru_cache(maxsize=1)
def _growth_points_said() -> re.Pattern:
    """增长几个点: a growth rate in % (question_words.json unit_asked.growth_points)."""
    return re.compile("|".join(cues().raw["unit_asked"]["growth_points"]))


def unit_asked(norm: str) -> tuple[str | None, bool]:
    """(unit, classifier_only): the unit said after 多少/几 ("多少万元" → 万元, "多少个企业" → 个)."""
    c = cues()
    if re.search(r"percentage points?", norm) or _points_said().search(norm):
        return "个百分点", False
    if re.search(r"百分之(?:几|多少)|多少\s*%|百分比|what percent(?:age)?|how many percent\b", norm) \
            or _growth_points_said().search(norm):
        return "%", False
    units = _units_re()
    for lead in c.unit_lead:
        for m in re.finditer(re.escape(lead), norm):
            after = norm[m.end():].lstrip()
            said = next((w for w in c.raw["unit_asked"]["colloquial"] if after.startswith(w)), None)
            if said is not None and not after[len(said):].startswith(c.unit_not_after):
                return c.raw["unit_asked"]["colloquial"][said], False
            found = units.match(after)
            unit = found.group(0) if found else None
            if unit is None:
                unit = _unit_prefix(after)  # 多少微克: the start of 微克/立方米
            if unit is None:
                continue
            if after[len(unit):].startswith(c.unit_not_after):
                continue  # 多少亿元以上项目: the unit describes what is counted
            if unit in c.raw["unit_asked"]["counted_nouns"] and re.match(r"[\u4e00-\u9fff](?<![了呢啊吗呀])", after[len(unit):]):
                continue  # 多少学生公寓: the people name what is counted, not the count
            unit = c.noun_units.get(unit, unit)
            return unit, unit in c.classifiers
    m = re.search(r"\bhow (many|much)\s+((?:[a-z]+\s*){1,2})", norm)
    if m:
        unit = _english_unit(m.group(2))
        if unit is not None:
            return unit, False  # how many kilometres: 公里, a measure, not a count
    if re.search(r"\bhow many\b", norm):
        return None, True
    return None, False


def _english_unit(words: str) -> str | None:
    """The unit the first English word (or two) after "how many" names by its first sense (kilometres: 公里,
    square metres: 平方米), when it is a unit of measure, not a count word."""
    senses = english_senses(words)
    first = senses[0][0] if senses and senses[0] else None
    return first if first in UNITS and UNITS[first][0] not in COUNT_UNITS else None


_NUMERAL_RUN = re.compile(r"[\d.,]*\d[\d.,]*|[零〇一二三四五六七八九十百千万亿两]+")
MAX_NUMERALS = 12  # quantities a question states are few: read at most this many numerals (bounds the cost)


def _stated(norm: str):
    """`find_quantities` over small windows around the first numerals only: linear and bounded."""
    windows: list[list[int]] = []
    starts = _unit_starts()
    runs = [m for m in _NUMERAL_RUN.finditer(norm)
            if m.group(0)[0].isdigit() or len(m.group(0)) > 1 or norm[m.end(): m.end() + 1] in starts]
    for m in runs[:MAX_NUMERALS]:
        a, b = max(0, m.start() - 4), min(len(norm), m.end() + 10)
        if windows and a <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], b)
        else:
            windows.append([a, b])
    for a, b in windows:
        for q in find_quantities(norm[a:b]):
            yield q, a + q.start, a + q.end


def quantities_in(norm: str, years: Years) -> tuple[tuple[Quantity_, ...], tuple[tuple[int, int], ...]]:
    """The quantities the question states (not its years), and where they are."""
    out, spans = [], []
    for q, start, end in _stated(norm):
        if any(a < end and start < b for a, b in years.spans) or (start, end) in spans:
            continue
        out.append(Quantity_(value=q.value, unit=q.unit or None, qualifiers=tuple(q.qualifiers)))
        spans.append((start, end))
    return tuple(out), tuple(spans)



@lru_cache(maxsize=1)
def _derived() -> dict[str, re.Pattern]:
    raw = cues().raw["derived"]
    return {k: re.compile("|".join(f"(?:{p})" for p in v)) for k, v in raw.items() if not k.startswith("_")}


def derivation_of(norm: str, unit: str | None, years: Years, review_year: int | None,
                  also_growth: bool = False) -> str | None:
    """A figure the report may fix without writing it: "change" (扩大了多少, 提高了几个百分点, 增加了多少亿元:
    the difference of two states) or "plan" (年度计划是多少 with no year named, or the year the report
    reviews: that year's plan, from the share of it completed). A two-part question (`also_growth`: 多少万元？增长
    多少) asks its level's unit of the level and the rate of the 增长, no change."""
    d = _derived()
    if d["remainder"].search(norm) or d["negated"].search(norm):
        return "remainder"
    if d["change"].search(norm):
        return "change"
    if d["change_with_level_unit"].search(norm) and unit and unit != "%" and not also_growth:
        return "change"
    named = bool(years.years or years.span or years.relative)
    reviewed = bool(years.years) and not years.span and review_year is not None and set(years.years) == {review_year}
    if d["annual_plan"].search(norm) and (not named or reviewed):
        return "plan"
    return None


@lru_cache(maxsize=1)
def _yesno() -> tuple[re.Pattern, dict[str, tuple[str, ...]], re.Pattern]:
    raw = cues().raw["yesno_words"]
    yardstick = re.compile("(?:" + "|".join(re.escape(w) for w in sorted(raw["yardstick"], key=len, reverse=True))
                           + r")(?:了|\s)*$")
    events = {k: tuple(v) for k, v in raw["events"].items()}
    return yardstick, events, re.compile("|".join(f"(?:{p})" for p in raw["perfective"]))


def yardstick_stated(norm: str, quantities: Sequence[Quantity_], spans: Sequence[tuple[int, int]]) -> bool:
    """Whether a quantity the question states follows a comparing word (是否超过100亿元, 达到8%了吗)."""
    yardstick = _yesno()[0]
    if any(yardstick.search(w) for q in quantities for w in q.qualifiers) \
            or any(yardstick.search(norm[max(0, a - 6):a]) for a, _ in spans):
        return True
    # a quantity that names what it counts runs on into its noun (十件民生实事, 55个重点项目); one that ends
    # its phrase (增长7%了吗) is compared with
    return any(not _NAME_AFTER.match(norm[b:]) for _, b in spans)


_NAME_AFTER = re.compile(r"(?![了吗呢吧啊没以左的])[\u4e00-\u9fff]")


def event_words(norm: str) -> tuple[str, ...]:
    """The report's words for what a yes/no question asks happened (完成了吗 → 完成, 全部完成, 办结)."""
    return tuple(dict.fromkeys(w for key, words in _yesno()[1].items() if key in norm for w in words))


def perfective(norm: str) -> bool:
    """A yes/no question about what has happened (完成了吗, 批了没有)."""
    return _yesno()[2].search(norm) is not None
