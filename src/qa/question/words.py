"""The cue words of the question layer, read once from `qa/data/question_words.json` and compiled.

One list of each cue: years, periods, kinds, measures, follow-up starts, place words. Code asks
`cues()` for compiled patterns and never spells a cue word itself.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from qa.data import alternation


def _any(patterns, flags=re.I) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in patterns), flags)


def _words(words) -> re.Pattern:
    """Literal words, longest first, as one alternation."""
    return re.compile(alternation(words), re.I)


@dataclass(frozen=True)
class Cues:
    raw: dict
    relative: tuple[tuple[re.Pattern, str, int], ...]  # (pattern, "review"/"plan", offset)
    vs_previous_year: re.Pattern
    plan_cn: re.Pattern
    plan_en: re.Pattern
    first_year_of_third_plan: int
    recent_years: re.Pattern
    span_words: re.Pattern
    target: re.Pattern
    result: re.Pattern
    result_first: re.Pattern
    completion: re.Pattern
    measure: dict[str, re.Pattern]
    two_part: re.Pattern
    question_end: re.Pattern
    open_question: re.Pattern
    open_question_en: re.Pattern
    unit_lead: tuple[str, ...]
    unit_not_after: tuple[str, ...]
    noun_units: dict[str, str]  # a noun after 多少 that says the unit: 钱 元, 职工 人
    classifiers: frozenset[str]
    followup_start: re.Pattern
    followup_end: re.Pattern
    strip_zh: re.Pattern
    strip_en: frozenset[str]
    place: re.Pattern
    place_generic_prefixes: tuple[str, ...]
    place_generic_endings: tuple[str, ...]
    admin_suffixes: tuple[str, ...]
    office_after_suffix: tuple[str, ...]
    edge_chars: str
    lone_chars: str
    alternatives: tuple[tuple[str, ...], ...]
    wording: dict


@lru_cache(maxsize=1)
def cues() -> Cues:
    raw = json.loads(resources.files("qa.data").joinpath("question_words.json").read_text(encoding="utf-8"))
    rel = raw["relative_years"]
    relative = (
        (_any(rel["review_minus_1"]), "review", -1),
        (_any(rel["review"]), "review", 0),
        (_any(rel["plan"]), "plan", 0),
        (_any(rel["plan_plus_1"]), "plan", 1),
    )
    fyp = raw["five_year_plan"]
    m = raw["measure"]
    measure = {name: _any(patterns) for name, patterns in m.items() if not name.startswith("_")}
    places = raw["places"]
    suffix = alternation(places["suffixes"])
    stop = "".join(places["not_in_name"])
    # 申报省市级, 培育市长, 单位地区生产总值: a suffix followed by these is part of another word
    not_before = "|".join(re.escape(w) for w in places["not_before"])
    after = "".join(places["after"])
    # a bounded window: 2-3 name characters and a suffix, after a boundary; linear in the text
    place = re.compile(
        rf"(?:^|(?<=[^\u4e00-\u9fff])|(?<=[{after}]))((?:(?![{stop}])[\u4e00-\u9fff]){{2,3}}(?:{suffix}))(?!{not_before})"
    )
    unit = raw["unit_asked"]
    strip = raw["strip_words"]
    return Cues(
        raw=raw,
        relative=relative,
        vs_previous_year=_any(raw["comparison_with_previous_year"]),
        plan_cn=_any(fyp["chinese"]),
        plan_en=_any(fyp["english"]),
        first_year_of_third_plan=int(fyp["first_year_of_third"]),
        recent_years=_any(raw["recent_years"]["patterns"]),
        span_words=_any(raw["span_words"]),
        target=_any(raw["kind"]["target"]),
        result=_any(raw["kind"]["result"]),
        result_first=_any(raw["kind"]["result_first"]),
        completion=_any(raw["kind"]["completion"]),
        measure=measure,
        two_part=_any(raw["two_part_separators"]),
        question_end=_any(raw["question_end"]),
        open_question=_any(raw["open_question"]),
        open_question_en=_any(raw["open_question_en"]),
        unit_lead=tuple(unit["lead"]),
        unit_not_after=tuple(unit["not_after"]),
        noun_units={**unit["money_words"], **unit["counted_nouns"]},
        classifiers=frozenset(raw["classifiers"]),
        followup_start=re.compile(r"^(?:" + "|".join(raw["followup_starts"]) + ")", re.I),
        followup_end=_any(raw["followup_ends"]),
        strip_zh=_words(strip["zh"]),
        strip_en=frozenset(strip["en"]),
        place=place,
        place_generic_prefixes=tuple(places["generic_prefixes"]),
        place_generic_endings=tuple(places["generic_endings"]),
        admin_suffixes=tuple(sorted(places["admin_suffixes_for_short_names"], key=len, reverse=True)),
        office_after_suffix=tuple(places["office_after_suffix"]),
        edge_chars=raw["edge_chars"]["chars"],
        lone_chars=raw["edge_chars"]["lone"],
        alternatives=tuple(tuple(g) for g in raw["alternatives"]["groups"]),
        wording=raw["wording"],
    )
