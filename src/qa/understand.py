"""What a question asks: cleaned input, the years it means, the kind of answer it wants, follow-ups.

Plain functions over the question text. Relative years ("去年", "今年") are resolved against the
report's own year, never against today's date.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Literal, Sequence

from qa.errors import InputError
from qa.models import Turn

AnswerKind = Literal["numeric", "list", "comparative", "factual"]

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")

# relative year words -> offset from the report's year
RELATIVE_YEARS = (
    (re.compile(r"前年|the year before last"), -2),
    (re.compile(r"去年|上年|上一年|过去一年|过去的一年|前一年|last year|past year|previous year", re.I), -1),
    (re.compile(r"今年|本年|当年|这一年|全年目标|this year|current year", re.I), 0),
    (re.compile(r"明年|下一年|next year", re.I), 1),
)
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)(?:\s*年)?")
_CN_YEAR = re.compile(r"([〇零一二三四五六七八九]{4})年")
_CN_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0"}

PLAN_CUES = re.compile(r"目标|计划|预期|打算|力争|拟|要[做达完建实]|将要|部署|安排|任务|target|plan|goal|aim", re.I)
GROWTH_CUES = re.compile(
    r"增速|增幅|增长率|增长了?多少|增长了?几|增长了?百分之|增加了?百分之|增长(?:是)?多少|同比|百分之几|多少个?百分点|"
    r"(?:上涨|涨|提高|提升)了?(?:多少|几|百分之)|增长[得更]?[快慢]|"
    r"growth|grow|increase[ds]? by|rate", re.I
)
NUMERIC_CUES = re.compile(
    r"多少|几[个家项件户人亩次名所处万亿%]|几成|多大|多高|多快|百分之几|数额|数量|总额|规模|比例|比重|占比|"
    r"增速|增幅|增长率|how (?:much|many|fast)|what (?:was|is|were) the (?:amount|number|value|total|rate)", re.I
)
LIST_CUES = re.compile(r"哪些|哪几|有什么|有何|包括|包含|都有|列举|分别是|什么项目|什么措施|which|what are|list", re.I)
COMPARE_CUES = re.compile(
    r"(?<![同环占])比(?![重例率])|相比|对比|相差|差距|差多少|高多少|低多少|多多少|少多少|高出|低出|高于|低于|快多少|慢多少|"
    r"提高了?多少|下降了?多少个百分点|变化了?多少|哪个.{0,6}[快慢高低多少大小]|compared?|difference|versus|\bvs\b|higher|lower than",
    re.I
)
WHY_CUES = re.compile(r"为什么|为何|为啥|怎么会|原因|why", re.I)
NEGATIVE_TREND = re.compile(r"下降|下滑|减少|降低|回落|负增长|萎缩|倒退|decline|decrease|drop|fell|fall", re.I)
FOLLOWUP_START = re.compile(r"^(那么?|那在|其中|具体|还有|另外|此外|同时|它|这些|那些|这个|那个|and\b|what about|how about)", re.I)
_QUESTION_WORDS = re.compile(
    r"多少|几|是|了|呢|吗|嘛|吧|啊|的|有|哪些|哪|什么|怎么样|怎样|如何|具体|请问|呀|分别|一下|告诉我|"
    r"what|how|much|many|is|was|the|about|and|which|are|\?|\s"
)
_PUNCT = re.compile(r"[\W_]+", re.UNICODE)


def clean_question(text: str, max_chars: int) -> str:
    """The question as the rest of the pipeline sees it, or InputError with what is wrong."""
    if text is None:
        raise InputError("请输入问题。")
    text = _CONTROL.sub("", unicodedata.normalize("NFC", str(text)))
    text = re.sub(r"\s+", " ", text).strip()
    if not text:
        raise InputError("请输入问题（问题为空）。")
    if len(text) > max_chars:
        raise InputError(f"问题太长（{len(text)} 字），请缩短到 {max_chars} 字以内。")
    if not re.search(r"[\w\u4e00-\u9fff]", text):
        raise InputError("问题里没有文字，请换个说法。")
    return text


def _cn_year(match: re.Match) -> str:
    return "".join(_CN_DIGITS[c] for c in match.group(1)) + "年"


def years_in(text: str, report_year: int | None) -> list[int]:
    """Years a question means, explicit ("2017年", "二〇一七年") or relative to the report's year, in order."""
    text = _CN_YEAR.sub(_cn_year, text)
    found: list[tuple[int, int]] = [(m.start(), int(m.group(1))) for m in _YEAR.finditer(text)]
    if report_year is not None:
        for pattern, offset in RELATIVE_YEARS:
            found += [(m.start(), report_year + offset) for m in pattern.finditer(text)]
    years: list[int] = []
    for _, year in sorted(found):
        if year not in years:
            years.append(year)
    return years


def strip_years(text: str) -> str:
    text = _CN_YEAR.sub("", text)
    text = _YEAR.sub("", text)
    for pattern, _ in RELATIVE_YEARS:
        text = pattern.sub("", text)
    return text


def core(text: str) -> str:
    """What is left of a question without years, question words and punctuation."""
    return _PUNCT.sub("", _QUESTION_WORDS.sub("", strip_years(text).lower()))


@dataclass(frozen=True)
class Intent:
    """What the question asks, after follow-up resolution."""

    text: str  # the question the pipeline answers (resolved against history)
    kind: AnswerKind
    years: tuple[int, ...] = ()
    wants_growth: bool = False
    wants_plan: bool = False
    why: bool = False
    negative_claim: bool = False
    followup_of: str | None = None
    doc_ids: tuple[str, ...] = ()  # the reports the question names (by region); empty: all
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def year(self) -> int | None:
        return self.years[0] if self.years else None


def answer_kind(text: str, years: Sequence[int]) -> AnswerKind:
    if COMPARE_CUES.search(text) or (len(set(years)) >= 2 and NUMERIC_CUES.search(text)):
        return "comparative"
    if LIST_CUES.search(text):
        return "list"
    if NUMERIC_CUES.search(text) or GROWTH_CUES.search(text):
        return "numeric"
    return "factual"


def is_followup(question: str, known_terms: Sequence[str] = ()) -> bool:
    """An elliptical question ("那2018年呢？", "增长了多少？") that needs the previous turn."""
    text = question.strip()
    if FOLLOWUP_START.match(text):
        return True
    rest = core(text)
    if any(term and term.lower() in text.lower() for term in known_terms):
        return False
    return len(rest) <= 3


def year_words(text: str) -> str:
    """The year expressions of a text, in order ("2018年", "去年")."""
    spans = [m.span() for m in _CN_YEAR.finditer(text)] + [m.span() for m in _YEAR.finditer(text)]
    spans += [m.span() for pattern, _ in RELATIVE_YEARS for m in pattern.finditer(text)]
    return "".join(text[a:b] for a, b in sorted(set(spans)))


def resolve_followup(question: str, history: Sequence[Turn], known_terms: Sequence[str] = ()) -> tuple[str, str | None]:
    """(question to answer, the earlier question it continues, or None when it stands alone)."""
    if not history or not is_followup(question, known_terms):
        return question, None
    previous = history[-1]
    base = previous.question
    if previous.answer is not None and previous.answer.interpreted_as:
        base = previous.answer.interpreted_as
    remainder = FOLLOWUP_START.sub("", question.strip()).strip(" ，,")
    if not core(remainder) and years_in(remainder, 0):
        # "那2018年呢？": the same question about another year
        return year_words(remainder) + strip_years(base).lstrip("的 ，,"), base
    return f"{base.rstrip('？?。 ')}，{remainder}", base


def analyse(question: str, report_year: int | None, history: Sequence[Turn] = (),
            known_terms: Sequence[str] = ()) -> Intent:
    text, followup_of = resolve_followup(question, history, known_terms)
    years = years_in(text, report_year)
    # the current turn's own cues decide the kind; the history only supplies the topic
    own_kind = answer_kind(question, years_in(question, report_year))
    kind = own_kind if own_kind != "factual" or not followup_of else answer_kind(text, years)
    if followup_of and kind == "comparative" and not COMPARE_CUES.search(question):
        kind = "numeric"  # "那2018年呢？" asks the figure of the other year, not the difference
    return Intent(
        text=text,
        kind=kind,
        years=tuple(years),
        wants_growth=bool(GROWTH_CUES.search(question) or (followup_of and GROWTH_CUES.search(text))),
        wants_plan=bool(PLAN_CUES.search(text)),
        why=bool(WHY_CUES.search(text)),
        negative_claim=bool(NEGATIVE_TREND.search(text)),
        followup_of=followup_of,
    )
