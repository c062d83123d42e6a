"""The two sides of a comparison: "A比B多多少", "A和B哪个增长快", "今年的目标比去年实际高多少",
"城乡居民收入差额", and the target and result of "目标完成了吗"."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Mapping

from qa.data import alternation
from qa.models import DocProfile
from qa.question.asks import CONJUNCTION, THAN, lists_parts
from qa.question.query import Side
from qa.question.words import cues
from qa.question.years import explicit_years

if TYPE_CHECKING:
    from qa.question.parse import Reading

# 快/慢 compare speeds: of growth rates (question_words.json "speed_words")
_SPEED = lru_cache(maxsize=1)(lambda: re.compile("|".join(cues().raw["speed_words"]), re.I))
_PREVIOUS_YEAR = lru_cache(maxsize=1)(lambda: re.compile("|".join(cues().raw["previous_year_words"]), re.I))


def _read(part: str, profiles, doc_id):
    from qa.question.parse import read  # parse builds on this module; read only at call time

    return read(part, profiles, doc_id)



def sides_of(reading: Reading, profiles: Mapping[str, DocProfile]) -> tuple[Side, ...]:
    """The two sides of a comparison ("A比B多多少", "A和B哪个增长快", "今年的目标比去年实际高多少"),
    each with its own words, year and kind; a side that names no indicator takes the question's."""
    norm = reading.norm
    if reading.completion:  # 目标完成了吗: the target and the result of one year
        year = reading.years.years[0] if reading.years.years else None
        measure = "growth" if cues().measure["growth"].search(norm) else "level"
        return tuple(Side(topic=reading.topic, doc_id=reading.scoped.doc_id, year=year, kind=kind, measure=measure)
                     for kind in ("target", "result"))
    if reading.measure != "comparison":
        return ()
    m = THAN.search(norm)
    ratio = cues().measure["ratio"].search(norm)
    if ratio is not None and ratio.group("other"):  # A是B的几倍: B is the words between
        left, right = norm[: ratio.start()], ratio.group("other")
    elif m is not None and _names_something(norm[m.end():], reading, profiles):
        left, right = norm[: m.start()], norm[m.end():]
        # 比农村慢几个百分点: the side is 农村, 慢几个 says how they are compared; 比去年提高几个百分点: 提高 too
        cuts = [c.start() for c in (cues().measure["comparison"].search(right), cues().measure["growth"].search(right))
                if c is not None and c.start() > 0]
        if cuts:
            right = right[: min(cuts)]
    else:
        cue = cues().measure["comparison"].search(norm)
        head = norm[: cue.start()] if cue else norm
        j = CONJUNCTION.search(head)
        parts = [p for p in (head[: j.start()] if j else head).split("、") if p.strip()] + ([head[j.end():]] if j else [])
        if len(parts) > 2 and cues().measure["sum"].search(norm) and lists_parts(head):  # 医保金、低保救助金和惠农补贴一共
            return _summed([_side(part, reading, profiles) for part in parts])
        if len(parts) != 2:
            return _pair_sides(reading)
        left, right = parts  # A和B, or A、B
    sides = [_side(left, reading, profiles), _side(right, reading, profiles)]
    profile = profiles.get(reading.scoped.doc_id) if reading.scoped.doc_id else None
    if _PREVIOUS_YEAR().search(right) and not explicit_years(right):
        # 比上年: the year before the left side's (the review year when it names none)
        year = sides[0].year or reading.years.span_end or (profile.review_year if profile else None)
        if year is not None:
            sides = [sides[0].model_copy(update={"year": year}),
                     sides[1].model_copy(update={"year": year - 1, "kind": "result"})]
        return tuple(_complete(sides))
    return tuple(_at_year_start(_against_target(_years_of_sides(_complete(sides), reading, profile)), reading, profile))


def _summed(sides: list[Side]) -> tuple[Side, ...]:
    """The parts of a sum of more than two: a part naming no year or kind is of the first that names one."""
    dated = next((s for s in sides if s.year is not None), None)
    if dated is None:
        return tuple(sides)
    return tuple(s if s.year is not None else s.model_copy(update={"year": dated.year, "kind": dated.kind})
                 for s in sides)


def _names_something(part: str, reading: Reading, profiles) -> bool:
    r = _read(part, profiles, reading.scoped.doc_id)
    return bool(r.topic or r.years.spans or r.kind_said or r.scoped.named)


def _side(part: str, reading: Reading, profiles) -> Side:
    r = _read(part, profiles, reading.scoped.doc_id)
    year = r.years.years[0] if r.years.years else None
    kind = r.kind if r.kind_said or year is not None else "any"
    doc_id = r.scoped.named[0] if r.scoped.named else reading.scoped.doc_id
    topic = r.topic or reading.topic
    growth = _growth_compared(reading, topic)
    places = tuple(p for p in r.scoped.places if p not in reading.topic)
    if places:  # 赤泉市和白河盟GDP: each side is its own place's figure, the place among its words
        topic = " ".join((*places, topic))
    return Side(topic=topic, doc_id=doc_id, year=year, kind=kind, measure="growth" if growth else "level",
                places=places)


def _growth_compared(reading: Reading, topic: str) -> bool:
    """The sides are growth rates: the comparison says growth or speed (增长快, 增速高), or asks percentage
    points (低了几个点) of an indicator that is no rate itself (城镇化率提高几个百分点: its levels differ)."""
    said = (cues().measure["growth"].search(reading.norm) is not None or _SPEED().search(reading.norm) is not None
            or reading.unit == "个百分点")
    return reading.measure == "comparison" and said and not is_rate(topic)


def is_rate(topic: str) -> bool:
    return topic.replace(" ", "").endswith(tuple(cues().raw["rate_nouns"]["words"]))


def _complete(sides: list[Side]) -> list[Side]:
    """A side naming only a variant of the other's qualifier borrows the rest of its words:
    国家级和省级专精特新企业 → 国家级专精特新企业; 城镇居民和农村居民收入 → 城镇居民收入. A side of another
    year or kind naming only part of the other's words is the same indicator: 今年新增高新技术企业目标比去年
    实际新增的 → 新增高新技术企业 both."""
    a, b = sides
    if (a.year, a.kind) != (b.year, b.kind):
        ta, tb = a.topic.replace(" ", ""), b.topic.replace(" ", "")
        if tb != ta and _part_of(tb, ta):
            return [a, b.model_copy(update={"topic": a.topic, "measure": a.measure})]
        if ta != tb and _part_of(ta, tb):
            return [a.model_copy(update={"topic": b.topic, "measure": b.measure}), b]
    for short, long_ in ((a, b), (b, a)):
        for group in cues().alternatives:
            words = sorted(group, key=len, reverse=True)
            own = next((w for w in words if short.topic.startswith(w)), None)
            other = next((w for w in words if long_.topic.startswith(w)), None)
            if own and other and own != other:
                borrowed = own + long_.topic[len(other):]
                if borrowed.startswith(short.topic) and len(borrowed) > len(short.topic):
                    new = short.model_copy(update={"topic": borrowed})
                    return [new, b] if short is a else [a, new]
            # 一般公共预算收入和支出: the variant word ends the other side's name
            other = next((w for w in words if long_.topic.endswith(w)), None)
            if short.topic in group and other and other != short.topic and len(long_.topic) > len(other):
                new = short.model_copy(update={"topic": long_.topic[: -len(other)] + short.topic})
                return [new, b] if short is a else [a, new]
    return sides


def _part_of(short: str, long_: str) -> bool:
    """A side's words that only repeat part of the other's, or only say a verb (比去年新增的: 新增; 比去年多建几家:
    多建, the direction and the verb)."""
    from qa.facts.extract import BARE_VERBS

    return (short in long_ or len(short) < 2 or short in BARE_VERBS or short in cues().raw["plan_sources"]["words"]
            or _DIRECTION_VERB.fullmatch(short) is not None)


_DIRECTION_VERB = re.compile(r"[多少][\u4e00-\u9fff]{1,2}")  # 多建, 少创建: a difference's direction and its verb


def _years_of_sides(sides: list[Side], reading: Reading, profile: DocProfile | None) -> list[Side]:
    """The right side shares the left's year ("去年A增速比B增速快多少"); a left side without a year
    compared with an earlier year is the period under review ("PM2.5浓度比2015年下降了多少")."""
    left, right = sides
    if right.year is None and left.year is not None:
        right = right.model_copy(update={"year": left.year, "kind": left.kind if right.kind == "any" else right.kind})
    elif left.year is None and right.year is not None:
        end = reading.years.span_end or (profile.review_year if profile is not None else None)
        if end is not None and right.year < end:
            left = left.model_copy(update={"year": end, "kind": "result" if left.kind == "any" else left.kind})
        elif reading.language == "en":  # "faster … than urban income in 2019": the year closing the question is both's
            left = left.model_copy(update={"year": right.year})
    return [left, right]


def _at_year_start(sides: list[Side], reading: Reading, profile: DocProfile | None) -> list[Side]:
    """A result against the target set at the start of the year (规上工业增加值增速比年初目标差几个百分点), no year
    named: both are of the year reviewed, whose target the report's review states (低于年初确定的18%的目标)."""
    if profile is None or profile.review_year is None or any(s.year is not None for s in sides):
        return sides
    if not {s.kind for s in sides} & {"target", "plan"} or not _YEAR_START().search(reading.norm):
        return sides
    return [s.model_copy(update={"year": profile.review_year}) for s in sides]


_YEAR_START = lru_cache(maxsize=1)(lambda: re.compile(alternation(cues().raw["kind"]["set_at_year_start"])))


def _against_target(sides: list[Side]) -> list[Side]:
    """A side compared with a target or plan and naming no kind itself is what was achieved: 十三五GDP年均增速比
    规划目标低了多少 asks the span's result against the plan's target, not the target against itself."""
    if any(s.kind in ("target", "plan") for s in sides):
        return [s.model_copy(update={"kind": "result"}) if s.kind == "any" else s for s in sides]
    return sides


def _pair_sides(reading: Reading) -> tuple[Side, ...]:
    """A comparison inside one word: 城乡居民收入差额 → 城镇居民收入 / 农村居民收入."""
    for word, parts in cues().raw["comparison_pairs"].items():
        if word != "_about" and word in reading.topic:
            first, second = parts
            year = reading.years.years[0] if reading.years.years else None
            measure = "growth" if _growth_compared(reading, reading.topic) else "level"
            return tuple(Side(topic=reading.topic.replace(word, part, 1), doc_id=reading.scoped.doc_id, year=year,
                              kind=reading.kind, measure=measure) for part in (first, second))
    return ()

