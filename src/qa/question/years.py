"""The one year parser: explicit years, years relative to a report's own profile, multi-year spans.

Relative words resolve against the scoped report: 去年 → its review year, 今年 → its plan year,
前年 → review year − 1, 明年 → plan year + 1. Never against today's date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from qa.question.words import alternation, cues

_CN_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "两": 2, "十": 10}
_EN_NUMBER = {"two": 2, "three": 3, "four": 4, "five": 5}
# 2017 is a year unless a unit or a decimal follows (2000亿元, 2468.3): then it is an amount
_YEAR = re.compile(r"(?<![\d.])((?:19|20)\d{2})(?![\d])(?!\s*(?:\.\d|[万亿千百元个人家项件户名所座条吨米亩平立%倍场次辆处张列余多]))")
_UNTIL = re.compile(r"(?:到|至|截至|截止到?)$")
_CN_YEAR = re.compile(r"([〇零一二三四五六七八九]{4})年")


@dataclass(frozen=True)
class Years:
    """What a text says about time: years in order of mention and a span (start, end) if any."""

    years: tuple[int, ...] = ()
    span: bool = False
    span_start: int | None = None
    span_end: int | None = None
    relative: tuple[str, ...] = ()  # "review"/"plan" words seen, resolved or not
    vs_previous: bool = False  # 比上年 / 同比: compares with the year before
    spans: tuple[tuple[int, int], ...] = ()  # character spans of every year expression (to strip)


def _small_number(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    if text in _EN_NUMBER:
        return _EN_NUMBER[text]
    return _CN_DIGIT.get(text)


def plan_years(n: int, first_year_of_third: int) -> tuple[int, int] | None:
    """The years of the n-th five-year plan (the third and later, which run without gaps)."""
    if n < 3:
        return None
    start = first_year_of_third + 5 * (n - 3)
    return start, start + 4


def explicit_years(text: str) -> tuple[int, ...]:
    """The years a text writes out (2017, 二〇一七年), in order; no relative words."""
    found = [(m.start(), int(m.group(1))) for m in _YEAR.finditer(text)]
    found += [(m.start(), int("".join(str(_CN_DIGIT[ch]) for ch in m.group(1)))) for m in _CN_YEAR.finditer(text)]
    return tuple(dict.fromkeys(year for _, year in sorted(found)))


@lru_cache(maxsize=1)
def _plan_end() -> re.Pattern:
    """The words after a five-year plan's name that mean its last year (question_words.json five_year_plan)."""
    return re.compile(alternation(cues().raw["five_year_plan"]["end_words"]))


@lru_cache(maxsize=1024)
def find_years(text: str, review_year: int | None, plan_year: int | None) -> Years:
    """Every year expression of a normalised text, resolved against the report's years."""
    c = cues()
    found: list[tuple[int, int]] = []  # (position, year)
    spans: list[tuple[int, int]] = []
    for m in _YEAR.finditer(text):
        found.append((m.start(), int(m.group(1))))
        end = m.end() + 1 if text[m.end(): m.end() + 1] == "年" else m.end()
        lead = _UNTIL.search(text, max(0, m.start() - 2), m.start())  # 到2025年, 截至2020年
        spans.append((lead.start() if lead else m.start(), end))
    for m in _CN_YEAR.finditer(text):
        found.append((m.start(), int("".join(str(_CN_DIGIT[ch]) for ch in m.group(1)))))
        spans.append(m.span())
    relative: list[str] = []
    taken = bytearray(len(text))
    bases = [m.span() for m in c.vs_previous_year.finditer(text)]
    previous = tuple(c.raw["previous_year_words"])
    for pattern, base, offset in c.relative:
        for m in pattern.finditer(text):
            if taken[m.start()]:  # 前年 is not also 去年's 年; 上一年 not 上年
                continue
            taken[m.start(): m.end()] = b"\x01" * (m.end() - m.start())
            spans.append(m.span())
            if m.group(0) in previous and any(a <= m.start() < b for a, b in bases):
                continue  # 比上年: the base of a change (the year before the one asked), no year asked
            relative.append(base)
            year = review_year if base == "review" else plan_year
            if year is not None:
                found.append((m.start(), year + offset))
    span_start = span_end = None
    m = c.plan_cn.search(text) or c.plan_en.search(text)
    if m:
        digit = next(g for g in m.groups() if g)
        n = 10 + _CN_DIGIT[digit] if not digit.isdigit() else int(digit)
        years = plan_years(n, c.first_year_of_third_plan)
        end = _plan_end().match(text, m.end())
        if years and end:  # 十四五末: its last year, a point
            found.append((m.start(), years[1]))
            spans.append((m.start(), end.end()))
        elif years:
            span_start, span_end = years
        spans.append(m.span())
    m = c.recent_years.search(text)
    if m and span_end is None:
        n = _small_number(next(g for g in m.groups() if g))
        if n and review_year is not None:
            span_start, span_end = review_year - n + 1, review_year
        spans.append(m.span())
    span = span_end is not None or bool(c.span_words.search(text)) or bool(m)
    vs_previous = bool(c.vs_previous_year.search(text))
    ordered: list[int] = []
    for _, year in sorted(found):
        if year not in ordered:
            ordered.append(year)
    return Years(tuple(ordered), span, span_start, span_end, tuple(relative), vs_previous, tuple(spans))
