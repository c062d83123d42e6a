"""Query understanding: normalisation, the domain glossary and time intent.

Everything here is general: a rule or glossary entry must help questions nobody
has written yet, in any report. Time intent is relative to each report's own year
(a 2018 report reviews 2017 and plans 2018), never to the calendar.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from qa.errors import CorpusError
from qa.question.text import normalize as text_normalize

GLOSSARY_NAMES = ("glossary.jsonl", "glossary.json")


normalize = text_normalize  # the one normaliser: NFKC, traditional -> simplified, lower case, single spaces


class GlossaryEntry(BaseModel):
    """A statistical term as reports write it, and the other names people use for it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    term: str = Field(min_length=1)
    aliases: tuple[str, ...] = Field((), description="other names of the same thing (GDP for 地区生产总值): a figure "
                                     "named by one answers a question asking by another")
    english: tuple[str, ...] = ()
    related: tuple[str, ...] = Field((), description="broader, narrower or neighbouring words (税收收入 for "
                                     "一般公共预算收入, 出口 for 外贸进出口): they help search find the passage, never "
                                     "make one indicator stand for another")
    note: str | None = None

    @property
    def names(self) -> tuple[str, ...]:
        """The names of this one thing: the term, its aliases, its English names."""
        return _normal_names((self.term, *self.aliases, *self.english))

    @property
    def search_names(self) -> tuple[str, ...]:
        """The names and the related words: what search may add for a question naming any of them."""
        return _normal_names((self.term, *self.aliases, *self.english, *self.related))


@lru_cache(maxsize=65536)
def _normal_names(given: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(normalize(n) for n in given if n.strip()))


@dataclass(frozen=True)
class Glossary:
    entries: tuple[GlossaryEntry, ...] = ()

    def chinese_terms(self) -> list[str]:
        """Every Chinese name or related word of two or more characters: words the tokenizer keeps whole."""
        return [n for e in self.entries for n in e.search_names if re.fullmatch(r"[\u4e00-\u9fff]{2,}", n)]

    def matches(self, query: str, related: bool = False) -> list[GlossaryEntry]:
        """Entries one of whose names (with `related`, or related words) occurs in the (normalised) query."""
        return list(_matches(self, query, related))

    def expand(self, query: str) -> list[str]:
        """For search: the other names and related words of every entry the query mentions by either."""
        q = normalize(query)
        extra: list[str] = []
        for entry in self.matches(q, related=True):
            extra += [n for n in entry.search_names if not _occurs(n, q) and n not in extra]
        return extra


_LATIN = re.compile(r"[a-z0-9 .\-]+")


def _prepared(glossary: "Glossary") -> tuple[tuple, dict]:
    """Per glossary, once: each entry's Chinese names and one pattern of its Latin names (as
    `_occurs` matches them), and a cache of queries' matches (hashing the glossary per call cost more)."""
    got = glossary.__dict__.get("_prepared")
    if got is None:
        got = {}
        for related in (False, True):
            rows = []
            for entry in glossary.entries:
                names = entry.search_names if related else entry.names
                latin = [n for n in names if _LATIN.fullmatch(n)]
                pattern = "|".join(rf"(?<![a-z]){re.escape(n)}(?![a-z])" for n in latin)
                rows.append((entry, tuple(n for n in names if n not in latin), re.compile(pattern) if latin else None))
            got[related] = (tuple(rows), {})
        object.__setattr__(glossary, "_prepared", got)
    return got


def _matches(glossary: "Glossary", query: str, related: bool = False) -> tuple[GlossaryEntry, ...]:
    rows, cache = _prepared(glossary)[related]
    found = cache.get(query)
    if found is None:
        q = normalize(query)
        found = tuple(e for e, cjk, latin in rows if any(n in q for n in cjk) or (latin is not None and latin.search(q)))
        if len(cache) >= 4096:
            cache.clear()
        cache[query] = found
    return found


def _occurs(name: str, query: str) -> bool:
    # latin names match as whole words ("gdp" but not inside "gdpr"); Chinese as substrings
    if re.fullmatch(r"[a-z0-9 .\-]+", name):
        return re.search(rf"(?<![a-z]){re.escape(name)}(?![a-z])", query) is not None
    return name in query


def load_glossary(corpus_dir: Path) -> Glossary:
    """`corpus/glossary.jsonl` (one entry a line) or `glossary.json` (a list); none is an empty glossary."""
    for name in GLOSSARY_NAMES:
        path = Path(corpus_dir) / name
        if path.exists():
            return _read_glossary(path)
    return Glossary()


@lru_cache(maxsize=8)
def _read_glossary_cached(path: str, mtime: float) -> Glossary:
    path_ = Path(path)
    text = path_.read_text(encoding="utf-8")
    rows: list[tuple[int, object]]
    if path_.suffix == ".json":
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise CorpusError(f"{path_.name}: not JSON ({exc})") from exc
        rows = list(enumerate(data if isinstance(data, list) else [], start=1))
    else:
        rows = []
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                try:
                    rows.append((number, json.loads(line)))
                except ValueError as exc:
                    raise CorpusError(f"{path_.name} line {number}: not JSON ({exc})") from exc
    entries = []
    for number, row in rows:
        try:
            entries.append(GlossaryEntry.model_validate(row))
        except ValidationError as exc:
            raise CorpusError(f"{path_.name} entry {number}: {exc.errors()[0]['msg']}") from exc
    return Glossary(tuple(entries))


def _read_glossary(path: Path) -> Glossary:
    return _read_glossary_cached(str(path), path.stat().st_mtime)


# --- time intent ---------------------------------------------------------------------

Intent = Literal["review", "plan"]

# "the year under review": the year before the report's year
_REVIEW_WORDS = re.compile(r"去年|上年|上一年|前一年|过去一年|过去的一年|过去1年|一年来|last year|previous year|past year")
# "the plan": the report's own year (targets, expectations, what will be done)
_PLAN_WORDS = re.compile(r"今年|本年|this year")
# weaker cues of the plan: a review also speaks of "完成年度计划" or "超额完成目标"
_PLAN_CUES = re.compile(r"计划|目标|预期|将要|打算|力争|target|plan|goal|expect")
CUE_STRENGTH = 0.5
_YEAR = re.compile(r"(?<!\d)(19|20)\d{2}(?!\d)")


@dataclass(frozen=True)
class TimeIntent:
    """What time a question asks about: an explicit year, or review/plan relative to the report."""

    year: int | None = None
    relative: Intent | None = None
    strength: float = 1.0  # 1 for a named year or 去年/今年, less for a cue word such as 目标

    def period_for(self, report_year: int | None) -> int | None:
        """The year this intent means in a report given in `report_year`."""
        if self.year is not None:
            return self.year
        if report_year is None or self.relative is None:
            return None
        return report_year - 1 if self.relative == "review" else report_year


def time_intent(query: str) -> TimeIntent:
    """Explicit year first ("2017年"); else review words ("去年") or plan words ("目标")."""
    q = normalize(query)
    years = {int(m.group(0)) for m in _YEAR.finditer(q)}
    if len(years) == 1:
        return TimeIntent(year=years.pop())
    review = bool(_REVIEW_WORDS.search(q))
    plan = bool(_PLAN_WORDS.search(q))
    cue = bool(_PLAN_CUES.search(q))
    if review and not plan:
        # "去年的目标完成了吗" still asks about the year under review, less surely
        return TimeIntent(relative="review", strength=CUE_STRENGTH if cue else 1.0)
    if plan and not review:
        return TimeIntent(relative="plan")
    if cue and not review:
        return TimeIntent(relative="plan", strength=CUE_STRENGTH)
    return TimeIntent()


@dataclass(frozen=True)
class QueryInfo:
    """A question as the retrievers see it."""

    raw: str
    text: str  # normalised
    expansions: tuple[str, ...]
    intent: TimeIntent


def understand(query: str, glossary: Glossary | None = None) -> QueryInfo:
    from qa.evidence import english_senses

    text = normalize(query)
    expansions = tuple(glossary.expand(text)) if glossary else ()
    # an English question is searched by words too: the Chinese words reports use for its words (first senses)
    expansions += tuple(senses[0] for senses in english_senses(text) if senses[0] not in expansions)
    return QueryInfo(raw=query, text=text, expansions=expansions, intent=time_intent(text))
