"""`Query`: everything the pipeline needs to know about a question, parsed once.

Built by `qa.question.parse.parse(...)`; retrieval and answering take a `Query` and never look at the
raw text again. Frozen, so a follow-up is a new `Query` made from the earlier one's slots.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Measure = Literal[
    "level",  # 是多少 / 总量: the figure itself
    "growth",  # 增长多少 / 增速: the rate of change
    "share",  # 占比 / 比重 / 覆盖率: a share or ratio
    "count",  # 多少个/家/项: how many things
    "rank",  # 第几 / 排名
    "date",  # 什么时候 / 哪天
    "who",  # 谁
    "list",  # 有哪些
    "yesno",  # 完成了吗 / 是否超过
    "comparison",  # 哪个快 / 差多少 / 比…多多少
    "text",  # anything else: quote the sentences that answer
]
WantedKind = Literal["result", "target", "plan", "any"]
Scope = Literal["named", "chosen", "only", "ambiguous", "none"]


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Quantity_(Frozen):
    """A quantity the question itself states ("超过100亿元"): for premises and yes/no checks."""

    value: float
    unit: str | None = None
    qualifiers: tuple[str, ...] = ()


class Side(Frozen):
    """One side of a comparison: its own words (the indicator), year and kind."""

    topic: str
    doc_id: str | None = Field(None, description="the report of this side (differs from the Query's in a cross-report comparison)")
    year: int | None = None
    kind: WantedKind = "any"
    measure: Literal["level", "growth"] = Field("level", description="growth when the comparison is of rates (哪个增长快)")
    places: tuple[str, ...] = Field((), description="the part of the report's area this side names (赤泉市 of "
                                    "赤泉市和白河盟GDP差多少): its figure must name it too")


class Query(Frozen):
    asked: str = Field(description="the question as typed, cleaned of control characters")
    text: str = Field(description="the question as understood: a follow-up resolved against earlier turns")
    normalized: str = Field(description="`text` after NFKC, traditional→simplified, lower case")
    language: Literal["zh", "en"] = "zh"

    # which report (issue: every question is scoped to one report first)
    doc_id: str | None = None
    scope: Scope = "none"
    doc_ids_named: tuple[str, ...] = Field((), description="reports whose region the question names (two for a cross-report comparison)")
    places: tuple[str, ...] = Field((), description="place names in the question that are no report's region")

    # when
    years: tuple[int, ...] = Field((), description="explicit or relative years, resolved against the scoped report")
    year_assumed: bool = Field(
        False, description="the question names no year: `years` holds the report's review year, the period its "
        "results are for (\"规上工业企业有多少家\"); a figure of another period may still answer")
    span: bool = Field(False, description="asks about a multi-year period (十三五, 五年来, 年均)")
    span_start: int | None = Field(
        None, description="first year of the period when known (十三五 → 2016); `years` then holds its last year, as `Fact.span_start`/`Fact.period`")
    vs_previous_year: bool = Field(False, description="compares with the year before (比上年, 同比)")
    kind: WantedKind = "any"

    # what
    topic: str = Field("", description="the indicator words: the text without years, question words and measure words")
    concepts: tuple[str, ...] = Field((), description="glossary terms the question names")
    measure: Measure = "text"
    measure_explicit: bool = Field(
        False, description="the question names its measure in its own words (增长/比重/多少个/多少亿元); False for a bare "
        "多少 or a keyword query: then a target asked as a level may be stated as a rate (GDP增长7.5%左右)")
    asks_stock: bool = Field(False, description="asks how many there are in all (总共/现有/累计/总数), not how many were added")
    also_growth: bool = Field(False, description="a two-part question: the level and its growth rate")
    unit: str | None = Field(None, description="the unit asked for (万元 in 多少万元), None when not said")
    classifier_only: bool = Field(False, description="the unit is only a counting word (个/名/项/家/户/件/人)")
    quantities: tuple[Quantity_, ...] = ()
    yardstick: bool = Field(False, description="a quantity stated is a yardstick to compare with (是否超过100亿元), "
                                               "not a part of a name (十件民生实事完成了吗)")
    event_words: tuple[str, ...] = Field((), description="for a yes/no question, the words of the event it asks "
                                                         "about (完成, 达标, 批准): a sentence saying it answers")
    sides: tuple[Side, ...] = Field((), description="for a comparison, its two sides")
    operation: Literal["difference", "sum", "which", "change", "ratio"] | None = Field(
        None, description="for a comparison: 差多少 (magnitude, direction in words), 一共/合计, 哪个快/高还是低, "
                          "or 变化/增减 (the first side minus the second, signed)")
    derive: Literal["change", "plan", "remainder"] | None = Field(
        None, description="a figure the report may fix without writing it: an absolute change between two states "
                          "(扩大了多少, 提高了几个百分点), the review year's plan (年度计划是多少, no year named) or a "
                          "whole less its part (除了…还有多少, 还剩多少)")
    why: bool = False
    negative_claim: bool = Field(False, description="the question asserts a fall (为什么…下降了)")
    claimed_change: Literal["fall", "rise", "missed"] | None = Field(
        None, description="what a why-question asserts (为什么…下降了 / 上升了 / 没有完成): a premise to check")

    # conversation
    followup_of: str | None = Field(None, description="the earlier question (as understood) this one continues")
    needs_topic: bool = Field(False, description="an elliptical question with nothing to continue: ask which indicator")

    @property
    def year(self) -> int | None:
        return self.years[0] if self.years else None

    @property
    def accepted_measures(self) -> tuple[str, ...]:
        """The measures a figure answering this question may have: the one asked, its growth rate for a
        two-part question, and for a bare 多少/目标 of a target (measure_explicit False) a rate or share
        too, since reports state many targets as rates ("那2018年的目标呢？" → GDP增长7.5%左右)."""
        out = [self.measure]
        if self.also_growth:
            out.append("growth")
        if self.measure == "level" and not self.measure_explicit and self.kind in ("target", "plan"):
            out += ["growth", "share"]
        if self.measure == "level" and self.classifier_only:
            out.append("count")
        return tuple(dict.fromkeys(out))

    @property
    def understood(self) -> str | None:
        """What to show the user as "理解为…" when the question was not taken as typed (a follow-up, or a
        word typed by its sound read as the report's)."""
        return self.text if self.followup_of or self.text != self.asked else None
