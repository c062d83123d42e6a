"""Frozen pydantic models at the package's boundaries.

Every object that crosses a layer (ingest -> index -> retrieve -> answer -> ui)
is one of these. A passage, a hit and a citation always carry where they come
from: document id, heading path and character span in the cleaned document.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class DocMeta(Frozen):
    """What a report is: declared in `<stem>.meta.json` or read from its head."""

    title: str = "政府工作报告"
    region: str | None = None
    year: int | None = Field(None, description="the year the report is given in, e.g. 2018")
    date: str | None = Field(None, description="ISO date of the speech, e.g. 2018-01-18")
    speaker: str | None = None


class Sentence(Frozen):
    """A sentence of the cleaned document; `start`/`end` index the cleaned text."""

    text: str
    start: int
    end: int


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
    text: str = Field(description="the cleaned text; all spans index this")
    sections: tuple[Section, ...]
    passages: tuple[Passage, ...]
    dropped: tuple[Dropped, ...] = ()


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
    subject: str = "全区"
    period: int = Field(description="the year the figure refers to")
    kind: FactKind
    value: float
    unit: str
    base_value: float = Field(description="value in the unit's base unit (元, 平方米, 人 …)")
    growth_pct: float | None = None
    qualifier: str | None = None
    section_path: tuple[str, ...] = ()
    source: str = Field(description="the verbatim sentence (cleaned text) stating the figure")


Verdict = Literal["consistent", "conflict", "not_in_table"]


class NumericAnswer(Frozen):
    value: float
    unit: str
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
    start: int = Field(description="span of the quote in the cleaned document")
    end: int
    highlight: tuple[int, int] | None = Field(
        None, description="span of the answering phrase inside `quote`"
    )


class Answer(Frozen):
    question: str
    interpreted_as: str | None = Field(
        None, description="the question actually answered, when a follow-up was resolved against history"
    )
    answer: str
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
