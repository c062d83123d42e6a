"""Frozen pydantic models at the package's boundaries.

Every object that crosses a layer (ingest -> index -> retrieve -> answer -> ui)
is one of these. A passage, a hit and a citation always carry where they come
from: document id, heading path and character span in the cleaned document.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from qa.numbers import ascii_digits


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class DocMeta(Frozen):
    """What a report is: declared in `<stem>.meta.json` or read from its head."""

    title: str = "政府工作报告"
    region: str | None = None
    year: int | None = Field(None, description="the year the report is given in, e.g. 2018")
    date: str | None = Field(None, description="ISO date of the speech, e.g. 2018-01-18")
    speaker: str | None = None
    # optional declarations of the profile (see DocProfile); read from the text when absent
    short_names: tuple[str, ...] | None = None
    level: str | None = None
    area_word: str | None = None
    review_year: int | None = None
    plan_year: int | None = None


GovLevel = Literal["national", "province", "city", "county", "district", "town", "unknown"]
ProfileSource = Literal["meta", "head", "inferred", "missing"]


class DocProfile(Frozen):
    """Who speaks and about when: everything that scopes a question to this report.

    Read from `<stem>.meta.json`, else the report's head, else inferred from its headings and text;
    `sources` says for each field where its value came from ("missing" when it could not be found).
    """

    region: str | None = Field(None, description="full name, e.g. 内蒙古自治区, 清河县, or 全国 for a State Council report")
    short_names: tuple[str, ...] = Field((), description="other names a user may type: 内蒙古, 清河, 中国/国务院")
    level: GovLevel = "unknown"
    area_word: str | None = Field(None, description="the word for the whole area: 全国/全省/全市/全区/全县")
    date: str | None = None
    review_year: int | None = Field(None, description="the year (last year of a span) the report reviews")
    plan_year: int | None = Field(None, description="the year the report plans (usually the year it is given in)")
    sources: dict[str, ProfileSource] = Field(default_factory=dict)

    @property
    def names(self) -> tuple[str, ...]:
        """Every name of the region, longest first."""
        return tuple(sorted({n for n in (self.region, *self.short_names) if n}, key=len, reverse=True))


class Sentence(Frozen):
    """A sentence of the cleaned document; `start`/`end` index the cleaned text."""

    text: str
    start: int
    end: int
    period: int | None = Field(None, description="the year a table's row says its figures are of (2021年完成 in a table "
                                                  "under the 2022 plan); None: its passage's period")
    printed: str | None = Field(None, description="of a sentence read from a table's row: the row as the report prints "
                                                 "it (the sentence is the reading, this the report's own words)")


class Passage(Frozen):
    """The retrieval and citation unit: a topic or paragraph, never across a section."""

    id: str
    doc_id: str
    section_path: tuple[str, ...]
    text: str
    start: int
    end: int
    sentences: tuple[Sentence, ...]
    period: int | None = Field(
        None, description="the year its section speaks of: the year under review or the plan's year"
    )

    @property
    def heading(self) -> str:
        return " › ".join(self.section_path)


class Section(Frozen):
    """A node of the section tree: part, subsection, topic lead."""

    title: str
    level: int
    path: tuple[str, ...]
    start: int
    end: int
    passage_ids: tuple[str, ...] = ()
    children: tuple["Section", ...] = ()


class Dropped(Frozen):
    """Print furniture removed by cleaning (kept so nothing vanishes unaccounted)."""

    text: str
    line: int
    reason: str


class Document(Frozen):
    doc_id: str
    path: str
    sha256: str = Field(description="hash of the raw bytes")
    encoding: str
    meta: DocMeta
    profile: DocProfile = Field(default_factory=DocProfile)
    text: str = Field(description="the cleaned text; all spans index this")
    sections: tuple[Section, ...]
    passages: tuple[Passage, ...]
    dropped: tuple[Dropped, ...] = ()
    tables: tuple[tuple[int, int], ...] = Field((), description="spans of the cleaned text read from a table's rows")

    def in_table(self, start: int) -> bool:
        """Whether the cleaned text at `start` was read from a table's row (qa.tables), not the running text."""
        return any(a <= start < b for a, b in self.tables)

    @property
    def cited_title(self) -> str:
        """The report's name as a reader cites it: "卫东区2018年政府工作报告"."""
        region = self.profile.region or self.meta.region or ""
        year = self.meta.year or self.profile.plan_year
        title = self.meta.title or "政府工作报告"
        lead = "" if region and region in title else region
        when = "" if year is None or str(year) in ascii_digits(title) else f"{year}年"
        return f"{lead}{when}{title}"


class Hit(Frozen):
    """One retrieved passage with its score and rank (1-based)."""

    passage: Passage
    score: float
    rank: int
    retriever: str


FactKind = Literal["actual", "estimate", "target", "plan"]


class Fact(Frozen):
    """One quantitative statement of a report, as a row of the fact table."""

    id: str
    doc_id: str
    indicator: str = Field(description="the thing measured, in the report's words")
    aliases: tuple[str, ...] = ()
    subject: str | None = Field(None, description="whose figure: the report's area word (全区) or a part (农村, 城镇)")
    period: int = Field(description="the year the figure refers to; for a multi-year figure the last year of its span")
    span_start: int | None = Field(
        None, description="first year of a multi-year figure (十三五 = 2016..2020, 五年来, 年均); None for one year"
    )
    span_label: str | None = Field(None, description="the report's name for the span: 十三五时期, 过去五年")
    kind: FactKind
    value: float
    unit: str
    base_value: float = Field(description="value in the unit's base unit (元, 平方米, 人 …)")
    high: float | None = Field(None, description="upper bound of a range (5%－5.5%: value 5, high 5.5); None for one number")
    growth_pct: float | None = None
    qualifier: str | None = None
    section_path: tuple[str, ...] = ()
    source: str = Field(description="the verbatim sentence (cleaned text) stating the figure")
    reviewed: bool = Field(True, description="False for rows extracted automatically and not yet reviewed")


Verdict = Literal["consistent", "conflict", "not_in_table", "unchecked"]  # unchecked: shown, not vouched for (未核对)


class NumericAnswer(Frozen):
    value: float
    unit: str
    high: float | None = Field(None, description="the upper end of a range the report gives (6.5%—7%: value 6.5)")
    period: int | None = None
    kind: FactKind | None = None
    qualifier: str | None = None
    growth_pct: float | None = None
    fact_ids: tuple[str, ...] = ()
    verdict: Verdict
    detail: str | None = Field(None, description="for a conflict: both values, worded")


class Citation(Frozen):
    doc_id: str
    section_path: tuple[str, ...]
    passage_id: str
    quote: str = Field(description="the cited sentence or sentences, verbatim from the cleaned text")
    printed: str | None = Field(None, description="when the quote was read from a table's row: the row as printed")
    start: int = Field(description="span of the quote in the cleaned document")
    end: int
    highlight: tuple[int, int] | None = Field(
        None, description="span of the answering phrase inside `quote`"
    )
    also: tuple[tuple[int, int], ...] = Field(
        (), description="further answering phrases inside `quote` (the other side of a comparison quoted whole)"
    )


class Answer(Frozen):
    question: str
    interpreted_as: str | None = Field(
        None, description="the question actually answered, when a follow-up was resolved against history"
    )
    answer: str
    doc_id: str | None = Field(None, description="the report the answer is about (None when none was chosen)")
    choices: tuple[str, ...] = Field(
        (), description="with several reports and no choice: the doc_ids the user may choose from"
    )
    abstained: bool = False
    abstain_reason: str | None = None
    citations: tuple[Citation, ...] = ()
    numeric: NumericAnswer | None = None
    related: tuple[Hit, ...] = ()
    timings: dict[str, float] = Field(default_factory=dict)


class Turn(Frozen):
    """One earlier exchange of a conversation, passed in explicitly for follow-ups."""

    question: str
    answer: Answer | None = None
