"""`parse`: a question, once, into a frozen `Query`.

    parse(text, history=(), *, reports={doc_id: DocProfile}, glossary=None, chosen_doc=None) -> Query

- `reports` maps each report's doc_id to its `DocProfile` (a sequence of `Document`s works too);
  relative years resolve against the profile of the report the question is scoped to.
- `glossary` is anything with `matches(text) -> [entry with .term]` (`qa.query.Glossary`); optional.
- `chosen_doc` is the report the user picked (CLI `--doc`, the chat selector, `/ask`'s `doc_id`).
- `history` holds the earlier turns (`qa.models.Turn`), oldest first; a follow-up takes the slots it
  does not name from the previous turn as understood (see `qa.question.followup`). A turn's
  `answer.interpreted_as`, when set, is read instead of its question; only the last MAX_HISTORY count.

Raises `InputError` for input that is not a question (empty, too long, not text). No model is
called; the cost is linear in the length of the text and of the history.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

from qa.data import alternation
from qa.errors import InputError
from qa.models import DocProfile, Turn
from qa.numbers import COUNT_UNITS
from qa.question.asks import (NUMERIC, THAN, counted, derivation_of, event_words, kind_of, measure_of_text, operation_of,
                              perfective, yardstick_stated,
                              quantities_in, unit_asked)
from qa.question.query import Query, Quantity_
from qa.question.scope import Scoped, scope
from qa.question.sides import is_rate, sides_of
from qa.question.text import MAX_QUESTION_CHARS, clean_question, normalize
from qa.question.words import cues
from qa.question.years import Years, explicit_years, find_years

_CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN_WORD = re.compile(r"[a-z][a-z'\-]+")
_SPLIT = re.compile(r"(?:[\s|,，。？?！!、；;：:“”\"'‘’()（）\[\]【】《》<>/\\~～—\-]|\.(?!\d))+")

__all__ = ["NUMERIC", "Reading", "parse", "read", "to_query", "unit_asked", "warm", "as_profiles"]

MAX_HISTORY = 6  # earlier turns read for a follow-up: enough for "两者差多少", and it bounds the cost


@dataclass(frozen=True)
class Reading:
    """What one text says on its own, before follow-up resolution (the slots of a turn)."""

    norm: str
    language: str
    scoped: Scoped
    years: Years
    kind: str
    kind_said: str | None  # the kind word as written (目标, 计划, 实际), None when inferred
    measure: str
    measure_said: bool  # the text has its own measure cue
    also_growth: bool
    unit: str | None
    classifier_only: bool
    quantities: tuple[Quantity_, ...]
    why: bool
    claimed: str | None  # "fall" / "rise" / "missed": what a why-question asserts
    completion: bool
    topic: str
    year_phrase: str  # the year expressions as written (去年, 2018年, 十三五期间)
    region_phrase: str  # the report name as written
    yardstick: bool = False  # a quantity stated is compared with (是否超过100亿元)
    events: tuple[str, ...] = ()  # a yes/no question's event in the report's words (完成, 达标)
    perfective: bool = False  # a yes/no question about what has happened (完成了吗)


def _asks_stock(norm: str) -> bool:
    """How many there are in all: said (总共, 现有, 累计), or asked as existence (规上工业企业有多少个) by a question
    naming no other verb (新增, 引进, 开工 ask what was added)."""
    from qa.facts.extract import BARE_VERBS

    if cues().measure["stock"].search(norm):
        return True
    found = cues().measure["stock_by_existence"].search(norm)
    if found is None:
        return False
    rest = norm[:found.start()] + "\0" + norm[found.end():]
    return not any(verb in rest for verb in BARE_VERBS if len(verb) > 1)


def as_profiles(reports) -> dict[str, DocProfile]:
    """{doc_id: DocProfile} from a mapping, or from documents carrying `doc_id` and `profile`."""
    if reports is None:
        return {}
    if isinstance(reports, Mapping):
        return {k: (v if isinstance(v, DocProfile) else _profile_of(v)) for k, v in reports.items()}
    return {d.doc_id: _profile_of(d) for d in reports}


def _profile_of(document) -> DocProfile:
    """The document's profile; where it says nothing (an index built before profiles), what its
    meta declares: the region, and the year it was given in as the plan year (reviewing the one before)."""
    profile: DocProfile = document.profile
    meta = getattr(document, "meta", None)
    if meta is None:
        return profile
    update = {}
    if profile.region is None and meta.region:
        update["region"] = meta.region
    if not profile.short_names and meta.short_names:
        update["short_names"] = tuple(meta.short_names)
    plan = profile.plan_year or meta.plan_year or meta.year
    if profile.plan_year is None and plan is not None:
        update["plan_year"] = plan
    if profile.review_year is None and (meta.review_year or plan):
        update["review_year"] = meta.review_year or plan - 1
    return profile.model_copy(update=update) if update else profile


def parse(text: object, history: Sequence[Turn] = (), *, reports=None, glossary=None,
          chosen_doc: str | None = None, max_chars: int = MAX_QUESTION_CHARS,
          spell: Callable[[str], str] | None = None) -> Query:
    """The question as a frozen `Query` (see the module docstring); `spell` reads words typed by their
    sound as the reports' words (qa.question.spelling), the Query's text then being the question as read."""
    from qa.question.followup import resolve

    profiles = as_profiles(reports)
    if chosen_doc is not None and profiles and chosen_doc not in profiles:
        raise InputError(f"没有这份报告：{chosen_doc}（可选：{'、'.join(profiles)}）。")
    asked = clean_question(text, max_chars)
    earlier: list[Query] = []
    for turn in tuple(history or ())[-MAX_HISTORY:]:
        text_before = _earlier_text(turn, max_chars)
        if text_before is not None:
            earlier.append(resolve(text_before, earlier[-1] if earlier else None, profiles, glossary, chosen_doc,
                                   earlier, spell))
    return resolve(asked, earlier[-1] if earlier else None, profiles, glossary, chosen_doc, earlier, spell)


def warm(reports=None) -> None:
    """Load what the first question would otherwise wait for: the cue words, opencc's tables, the
    report-name index and the romanisation of region names (for English questions)."""
    parse("What was GDP last year? 去年GDP是多少？", reports=reports)


def _earlier_text(turn: Turn, max_chars: int) -> str | None:
    understood = turn.answer.interpreted_as if turn.answer is not None else None
    try:
        return clean_question(understood or turn.question, max_chars)
    except InputError:
        return None  # an earlier turn that was rejected carries nothing


def language_of(norm: str) -> str:
    return "en" if not _CJK.search(norm) and len(_LATIN_WORD.findall(norm)) >= 2 else "zh"


def read(norm: str, profiles: Mapping[str, DocProfile], chosen_doc: str | None = None,
         carried: tuple[str | None, str] | None = None) -> Reading:
    """Everything one normalised text says on its own."""
    c = cues()
    explicit = explicit_years(norm)
    scoped = scope(norm, profiles, chosen_doc, carried, explicit)
    profile = profiles.get(scoped.doc_id) if scoped.doc_id else None
    years = find_years(norm, profile.review_year if profile else None, profile.plan_year if profile else None)
    quantities, quantity_spans = quantities_in(norm, years)
    measure, measure_said, also_growth = measure_of_text(norm)
    why = bool(c.measure["why"].search(norm))
    claimed = None
    if why:
        claimed = next((name for name in ("missed", "fall", "rise") if c.measure[name].search(norm)), None)
        measure = "text"
    completion = bool(c.completion.search(norm)) and not why
    if completion:
        measure, measure_said = "yesno", True
    kind, kind_said = kind_of(_without_names_of_no_kind(norm), measure, completion, years, profile)
    unit, classifier_only = unit_asked(norm)
    if also_growth and unit == "%":
        unit = None  # 收入多少，增长百分之几: the % is the growth part's
    if measure == "count" and unit is None:
        classifier_only = True
    if measure == "rank":
        unit, classifier_only = None, False  # 第几位 asks a place in a ranking, not a count
    if measure == "level" and unit == "%":
        measure = "share"  # 完成了年度计划的百分之多少: a ratio
    if measure == "level" and unit in COUNT_UNITS:
        measure = "count"  # 拆除了多少块广告牌: a count in the unit asked
    topic = _topic(norm, years, scoped, quantity_spans)
    if unit:
        topic = " ".join(piece for piece in topic.split(" ") if piece != unit)
    elif measure == "growth" and is_rate(topic) and derivation_of(norm, unit, years, None) == "change":
        measure, unit = "comparison", "个百分点"  # 城镇化率提高了多少: a rate moves in percentage points
    region_phrase = "".join(norm[a:b] for a, b in scoped.name_spans[:1])
    year_phrase = "".join(norm[a:b] for a, b in sorted(years.spans))
    yesno = measure == "yesno"
    return Reading(norm, language_of(norm), scoped, years, kind, kind_said, measure, measure_said, also_growth,
                   unit, classifier_only, quantities, why, claimed, completion, topic, year_phrase, region_phrase,
                   yardstick_stated(norm, quantities, quantity_spans), event_words(norm) if yesno else (),
                   yesno and perfective(norm))


# --- the topic -----------------------------------------------------------------------------------

def _without_names_of_no_kind(norm: str) -> str:
    """The text with the indicator names whose kind word is none (预期寿命: question_words.json topic_keep.not_kind)
    blanked, for reading the kind asked."""
    for word in cues().raw["topic_keep"]["not_kind"]:
        norm = norm.replace(word, "□" * len(word))
    return norm


def _kept_spans(norm: str) -> list[tuple[int, int]]:
    """Where the question writes an indicator name that holds a strip word (question_words.json "topic_keep")."""
    words = cues().raw["topic_keep"]["words"]
    return [m.span() for m in re.finditer(alternation(words), norm)] if words else []


def _outside(span: tuple[int, int], kept: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts of `span` outside every kept span."""
    parts = [span]
    for a, b in kept:
        parts = [piece for lo, hi in parts for piece in ((lo, min(hi, a)), (max(lo, b), hi)) if piece[0] < piece[1]]
    return parts


def _topic(norm: str, years: Years, scoped: Scoped, quantity_spans) -> str:
    """The indicator words: the text without years, report names, places, question, measure and
    kind words. Single-character function words are trimmed only at the edges of what is left."""
    c = cues()
    cut = [False] * len(norm)
    spans = list(years.spans)
    for a, b in scoped.name_spans:
        # 松陵市长: the name is 松陵, 市长 the office
        if norm[b - 1: b] in "".join(c.admin_suffixes) and norm[b:].startswith(c.office_after_suffix):
            b -= 1
        spans.append((a, b))
    for place in scoped.places:
        at = norm.find(place)
        if at >= 0:
            end = at + len(place)
            spans.append((at, end - 1 if norm[end:].startswith(c.office_after_suffix) else end))
    spans += [m.span() for m in THAN.finditer(norm)]
    spans += [(m.start() + 1, m.end()) for m in c.measure["yesno"].finditer(norm)  # yes/no asked as A不A (房价稳不稳):
              if m.group("a_not_a")]  # the topic is 房价稳
    spans += [m.span() for m in counted().finditer(norm)]
    spans += quantity_spans
    kept = _kept_spans(norm)
    for m in c.strip_zh.finditer(norm):
        if len(m.group(0)) >= 2 or m.group(0) in "的吗呢吧啊呀嘛哦了":
            # 年度计划投资 names the indicator: its 计划 is no kind word here (nor 增长 of 经济增长目标)
            spans += [(a, b) for a, b in _outside(m.span(), kept) if b - a >= min(2, len(m.group(0)))]
    for a, b in spans:
        for i in range(a, min(b, len(norm))):
            cut[i] = True
    kept = "".join(ch if not cut[i] else "|" for i, ch in enumerate(norm))
    pieces = []
    for piece in _SPLIT.split(kept):
        if _LATIN_WORD.fullmatch(piece) and piece in c.strip_en:
            continue
        piece = piece.strip(c.edge_chars)
        if len(piece) == 1 and piece in c.lone_chars:
            continue  # 在河西县和东城市: a preposition left alone
        if piece and piece not in c.strip_en and not piece.isdigit():
            pieces.append(piece)
    return " ".join(pieces)


# --- assembling the Query ------------------------------------------------------------------------

def to_query(asked: str, text: str, reading: Reading, profiles, glossary, *, followup_of: str | None = None,
             needs_topic: bool = False, language: str | None = None) -> Query:
    years = reading.years
    profile = profiles.get(reading.scoped.doc_id) if reading.scoped.doc_id else None
    year_list = years.years
    if years.span_end is not None:
        year_list = (years.span_end,)
    elif not year_list and profile is not None and reading.kind in ("target", "plan") and not years.span:
        # 目标 with no year: the plan year's targets; 目标完成了吗: the review year's
        year = profile.review_year if reading.completion else profile.plan_year
        year_list = (year,) if year is not None else ()
    year_assumed = False
    if not year_list and not years.span and not years.relative and profile is not None \
            and profile.review_year is not None and reading.kind in ("any", "result") \
            and reading.measure in (*NUMERIC, "comparison"):
        # a figure asked with no year: the report's results are its review year's ("规上工业企业有多少家")
        year_list, year_assumed = (profile.review_year,), True
    if not year_list and not years.span and not years.relative and reading.perfective and profile is not None \
            and profile.review_year is not None and reading.kind in ("any", "result"):
        year_list, year_assumed = (profile.review_year,), True  # 综合保税区批了吗: what happened, the review year
    if reading.completion and year_list:
        reading = _with_years(reading, year_list)
    sides = sides_of(reading, profiles)
    if year_assumed and sides and all(s.year is None for s in sides):
        sides = tuple(s.model_copy(update={"year": year_list[0]}) for s in sides)
    if reading.measure == "comparison" and sides and all(s.year is not None for s in sides) and years.vs_previous:
        year_list = tuple(dict.fromkeys(s.year for s in sides))  # 比上年多了几家: both years
    concepts: tuple[str, ...] = ()
    if glossary is not None:
        concepts = tuple(dict.fromkeys(e.term for e in glossary.matches(reading.norm)))
    return Query(
        asked=asked,
        text=text,
        normalized=normalize(text),
        language=language or reading.language,
        doc_id=reading.scoped.doc_id,
        scope=reading.scoped.scope,
        doc_ids_named=reading.scoped.named,
        places=reading.scoped.places,
        years=tuple(year_list),
        year_assumed=year_assumed,
        span=years.span,
        span_start=years.span_start,
        kind=_span_kind(reading, profile),
        topic=reading.topic,
        concepts=concepts,
        measure=reading.measure,
        measure_explicit=reading.measure_said and (reading.measure != "level" or reading.unit is not None
                                                    or bool(cues().measure["level_explicit"].search(reading.norm))),
        asks_stock=_asks_stock(reading.norm),
        also_growth=reading.also_growth,
        unit=reading.unit,
        classifier_only=reading.classifier_only,
        quantities=reading.quantities,
        yardstick=reading.yardstick,
        event_words=reading.events,
        sides=sides,
        operation=operation_of(reading.norm) if reading.measure == "comparison" else None,
        derive=derivation_of(reading.norm, reading.unit, years, profile.review_year if profile else None,
                             reading.also_growth),
        why=reading.why,
        negative_claim=reading.claimed == "fall",
        claimed_change=reading.claimed,
        vs_previous_year=years.vs_previous,
        followup_of=followup_of,
        needs_topic=needs_topic,
    )


def _span_kind(reading: Reading, profile: DocProfile | None) -> str:
    """A span that has ended by the review year (十三五期间…年均增长多少 in a report on 2020) asks what was
    achieved, not what its plan set, unless the question says target."""
    end = reading.years.span_end
    if reading.kind == "any" and end is not None and profile is not None and profile.review_year is not None \
            and end <= profile.review_year:
        return "result"
    return reading.kind


def _with_years(reading: Reading, years: tuple[int, ...]) -> Reading:
    from dataclasses import replace

    return replace(reading, years=replace(reading.years, years=years))
