"""`parse`: a question, once, into a frozen `Query`.

    parse(text, history=(), *, reports={doc_id: DocProfile}, glossary=None, chosen_doc=None) -> Query

- `reports` maps each report's doc_id to its `DocProfile` (a sequence of `Document`s works too);
  relative years resolve against the profile of the report the question is scoped to.
- `glossary` is anything with `matches(text) -> [entry with .term]` (`qa.query.Glossary`); optional.
- `chosen_doc` is the report the user picked (CLI `--doc`, the chat selector, `/ask`'s `doc_id`).
- `history` holds the earlier turns (`qa.models.Turn`), oldest first; a follow-up takes the slots it
  does not name from the previous turn as understood (see `qa.question.followup`).

Raises `InputError` for input that is not a question (empty, too long, not text). No model is
called; the cost is linear in the length of the text and of the history.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Mapping, Sequence

from qa.errors import InputError
from qa.models import DocProfile, Turn
from qa.numbers import COUNT_UNITS, UNITS, find_quantities
from qa.question.query import Query, Quantity_, Side
from qa.question.scope import Scoped, scope
from qa.question.text import MAX_QUESTION_CHARS, clean_question, normalize
from qa.question.words import cues
from qa.question.years import Years, explicit_years, find_years

NUMERIC = ("level", "growth", "share", "count")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN_WORD = re.compile(r"[a-z][a-z'\-]+")
_SPLIT = re.compile(r"(?:[\s|,，。？?！!、；;：:“”\"'‘’()（）\[\]【】《》<>/\\~～—\-]|\.(?!\d))+")
_THAN = re.compile(r"(?<![同环占好对无相])比(?![重例率较])")
_PREVIOUS_YEAR = lru_cache(maxsize=1)(lambda: re.compile("|".join(cues().raw["previous_year_words"]), re.I))
_CONJUNCTION = re.compile(r"和|与|跟|同|及|以及|\band\b")
_ASKS_NUMBER = re.compile(r"多少|几(?:[个家项件户名所座条人列场次辆处张位成亩吨]|$|[?？。，,])|百分之|how (?:much|many)|what (?:is|was|were) the (?:total|amount|number|value)", re.I)
_ASK_LEAD = r"(?:共有|有)?(?:多少|几)"


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
    claimed: str | None  # "fall" / "rise": the change a why-question asserts
    completion: bool
    topic: str
    year_phrase: str  # the year expressions as written (去年, 2018年, 十三五期间)
    region_phrase: str  # the report name as written


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
          chosen_doc: str | None = None, max_chars: int = MAX_QUESTION_CHARS) -> Query:
    """The question as a frozen `Query` (see the module docstring)."""
    from qa.question.followup import resolve

    profiles = as_profiles(reports)
    if chosen_doc is not None and profiles and chosen_doc not in profiles:
        raise InputError(f"没有这份报告：{chosen_doc}（可选：{'、'.join(profiles)}）。")
    asked = clean_question(text, max_chars)
    earlier: list[Query] = []
    for turn in history or ():
        text_before = _earlier_text(turn, max_chars)
        if text_before is not None:
            earlier.append(resolve(text_before, earlier[-1] if earlier else None, profiles, glossary, chosen_doc, earlier))
    return resolve(asked, earlier[-1] if earlier else None, profiles, glossary, chosen_doc, earlier)


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
    quantities, quantity_spans = _quantities(norm, years)
    measure, measure_said, also_growth = _measure(norm)
    why = bool(c.measure["why"].search(norm))
    claimed = None
    if why:
        claimed = "fall" if c.measure["fall"].search(norm) else "rise" if c.measure["rise"].search(norm) else None
        measure = "text"
    completion = bool(c.completion.search(norm)) and not why
    if completion:
        measure, measure_said = "yesno", True
    kind, kind_said = _kind(norm, measure, completion, years, profile)
    unit, classifier_only = unit_asked(norm)
    if measure == "count" and unit is None:
        classifier_only = True
    if measure == "rank":
        unit, classifier_only = None, False  # 第几位 asks a place in a ranking, not a count
    if measure == "level" and unit in COUNT_UNITS:
        measure = "count"  # 拆除了多少块广告牌: a count in the unit asked
    topic = _topic(norm, years, scoped, quantity_spans)
    if unit:
        topic = " ".join(piece for piece in topic.split(" ") if piece != unit)
    region_phrase = "".join(norm[a:b] for a, b in scoped.name_spans[:1])
    year_phrase = "".join(norm[a:b] for a, b in sorted(years.spans))
    return Reading(norm, language_of(norm), scoped, years, kind, kind_said, measure, measure_said, also_growth,
                   unit, classifier_only, quantities, why, claimed, completion, topic, year_phrase, region_phrase)


# --- what is asked -------------------------------------------------------------------------------

def _measure_of(text: str) -> str | None:
    """The measure one clause names, by priority; None when it names none."""
    m = cues().measure
    if m["comparison"].search(text) or m["comparison_than"].search(text) or (
            m["sum"].search(text) and _CONJUNCTION.search(text)):
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


def operation_of(norm: str) -> str | None:
    """For a comparison: "sum" (一共/合计), "which" (哪个快, 高还是低) or "difference" (差多少)."""
    m = cues().measure
    if m["sum"].search(norm):
        return "sum"
    if re.search(r"哪(?![些几里儿])|谁|还是|\bwhich\b", norm):
        return "which"
    return "difference"


def _measure(norm: str) -> tuple[str, bool, bool]:
    """(measure, said, also_growth): a two-part question ("是多少？增长多少？") is its level with
    also_growth; a keyword query ("2020 一般公共预算收入") asks the level, or the list when it names
    a numbered set ("三大保卫战")."""
    m = cues().measure
    clauses = [c for c in cues().two_part.split(norm) if c and c.strip()]
    if len(clauses) >= 2:
        measures = [_measure_of(c) for c in clauses]
        growth_at = [i for i, x in enumerate(measures) if x == "growth"]
        level_at = [i for i, x in enumerate(measures) if x in ("level", "count", "share")]
        if growth_at and level_at:
            return measures[level_at[0]], True, True
    found = _measure_of(norm)
    if found is not None:
        if found in ("level", "text") and m["list_numbered"].search(norm) and not re.search(r"多少|几", norm):
            return "list", True, False
        return found, True, False
    if m["list_numbered"].search(norm):
        return "list", False, False
    if any(p.search(norm) for p in (cues().question_end, cues().open_question, cues().open_question_en)):
        return "text", False, False
    return "level", False, False  # a keyword query: the figure itself


def _kind(norm: str, measure: str, completion: bool, years: Years, profile: DocProfile | None) -> tuple[str, str | None]:
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
    return tuple(sorted(set(UNITS) | c.classifiers | set(c.money_words), key=len, reverse=True))


@lru_cache(maxsize=1)
def _units_re() -> re.Pattern:
    return re.compile("|".join(re.escape(u) for u in _unit_words()))


@lru_cache(maxsize=1)
def _unit_starts() -> frozenset[str]:
    """First characters of every unit: a lone Chinese numeral before one of them may be a quantity (三家)."""
    return frozenset(u[0] for u in _unit_words() if u)


@lru_cache(maxsize=1)
def _counted() -> re.Pattern:
    """多少/几 with the unit said after it (多少亿元, 几个, 多少个百分点): cut from the topic."""
    return re.compile(_ASK_LEAD + "(?:" + "|".join(re.escape(u) for u in _unit_words()) + ")?")


def _unit_prefix(after: str) -> str | None:
    """The longest start of `after` (two characters or more) that begins a known unit."""
    for n in range(min(len(after), 5), 1, -1):
        head = after[:n]
        if any(u.startswith(head) for u in _unit_words()):
            return head
    return None


def unit_asked(norm: str) -> tuple[str | None, bool]:
    """(unit, classifier_only): the unit said after 多少/几 ("多少万元" → 万元, "多少个企业" → 个)."""
    c = cues()
    if re.search(r"percentage points?", norm):
        return "个百分点", False
    if re.search(r"百分之几|多少\s*%|百分比", norm):
        return "%", False
    units = _units_re()
    for lead in c.unit_lead:
        for m in re.finditer(re.escape(lead), norm):
            after = norm[m.end():].lstrip()
            found = units.match(after)
            unit = found.group(0) if found else None
            if unit is None:
                unit = _unit_prefix(after)  # 多少微克: the start of 微克/立方米
            if unit is None:
                continue
            if after[len(unit):].startswith(c.unit_not_after):
                continue  # 多少亿元以上项目: the unit describes what is counted
            unit = c.money_words.get(unit, unit)
            return unit, unit in c.classifiers
    if re.search(r"\bhow many\b", norm):
        return None, True
    return None, False


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


def _quantities(norm: str, years: Years) -> tuple[tuple[Quantity_, ...], tuple[tuple[int, int], ...]]:
    """The quantities the question states (not its years), and where they are."""
    out, spans = [], []
    for q, start, end in _stated(norm):
        if any(a < end and start < b for a, b in years.spans) or (start, end) in spans:
            continue
        out.append(Quantity_(value=q.value, unit=q.unit or None, qualifiers=tuple(q.qualifiers)))
        spans.append((start, end))
    return tuple(out), tuple(spans)


# --- the topic -----------------------------------------------------------------------------------

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
    spans += [m.span() for m in _THAN.finditer(norm)]
    spans += [m.span() for m in _counted().finditer(norm)]
    spans += quantity_spans
    for m in c.strip_zh.finditer(norm):
        if len(m.group(0)) >= 2 or m.group(0) in "的吗呢吧啊呀嘛哦了":
            spans.append(m.span())
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


# --- comparisons ---------------------------------------------------------------------------------


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
    m = _THAN.search(norm)
    if m is not None and _names_something(norm[m.end():], reading, profiles):
        left, right = norm[: m.start()], norm[m.end():]
    else:
        cue = cues().measure["comparison"].search(norm)
        head = norm[: cue.start()] if cue else norm
        j = _CONJUNCTION.search(head)
        if j is None:
            return _pair_sides(reading)
        left, right = head[: j.start()], head[j.end():]
    sides = [_side(left, reading, profiles), _side(right, reading, profiles)]
    profile = profiles.get(reading.scoped.doc_id) if reading.scoped.doc_id else None
    if _PREVIOUS_YEAR().search(right) and not explicit_years(right):
        # 比上年: the year before the left side's (the review year when it names none)
        year = sides[0].year or reading.years.span_end or (profile.review_year if profile else None)
        if year is not None:
            sides = [sides[0].model_copy(update={"year": year}),
                     sides[1].model_copy(update={"year": year - 1, "kind": "result"})]
        return tuple(_complete(sides))
    return tuple(_years_of_sides(_complete(sides), reading, profile))


def _names_something(part: str, reading: Reading, profiles) -> bool:
    r = read(part, profiles, reading.scoped.doc_id)
    return bool(r.topic or r.years.spans or r.kind_said or r.scoped.named)


def _side(part: str, reading: Reading, profiles) -> Side:
    r = read(part, profiles, reading.scoped.doc_id)
    year = r.years.years[0] if r.years.years else None
    kind = r.kind if r.kind_said or year is not None else "any"
    growth = reading.measure == "comparison" and cues().measure["growth"].search(reading.norm) is not None
    doc_id = r.scoped.named[0] if r.scoped.named else reading.scoped.doc_id
    return Side(topic=r.topic or reading.topic, doc_id=doc_id, year=year, kind=kind,
                measure="growth" if growth else "level")


def _complete(sides: list[Side]) -> list[Side]:
    """A side naming only a variant of the other's qualifier borrows the rest of its words:
    国家级和省级专精特新企业 → 国家级专精特新企业; 城镇居民和农村居民收入 → 城镇居民收入."""
    a, b = sides
    for short, long_ in ((a, b), (b, a)):
        for group in cues().alternatives:
            own = next((w for w in sorted(group, key=len, reverse=True) if short.topic.startswith(w)), None)
            other = next((w for w in sorted(group, key=len, reverse=True) if long_.topic.startswith(w)), None)
            if own and other and own != other:
                borrowed = own + long_.topic[len(other):]
                if borrowed.startswith(short.topic) and len(borrowed) > len(short.topic):
                    new = short.model_copy(update={"topic": borrowed})
                    return [new, b] if short is a else [a, new]
    return sides


def _years_of_sides(sides: list[Side], reading: Reading, profile: DocProfile | None) -> list[Side]:
    """The right side shares the left's year ("去年A增速比B增速快多少"); a left side without a year
    compared with an earlier year is the period under review ("PM2.5浓度比2015年下降了多少")."""
    left, right = sides
    if right.year is None and left.year is not None:
        right = right.model_copy(update={"year": left.year, "kind": left.kind if right.kind == "any" else right.kind})
    elif left.year is None and right.year is not None and profile is not None and profile.review_year is not None:
        end = reading.years.span_end or profile.review_year
        if right.year < end:
            left = left.model_copy(update={"year": end, "kind": "result" if left.kind == "any" else left.kind})
    return [left, right]


def _pair_sides(reading: Reading) -> tuple[Side, ...]:
    """A comparison inside one word: 城乡居民收入差额 → 城镇居民收入 / 农村居民收入."""
    for word, parts in cues().raw["comparison_pairs"].items():
        if word != "_about" and word in reading.topic:
            first, second = parts
            year = reading.years.years[0] if reading.years.years else None
            return tuple(Side(topic=reading.topic.replace(word, part, 1), doc_id=reading.scoped.doc_id, year=year,
                              kind=reading.kind) for part in (first, second))
    return ()


# --- assembling the Query ------------------------------------------------------------------------

def to_query(asked: str, text: str, reading: Reading, profiles, glossary, *, followup_of: str | None = None,
             needs_topic: bool = False) -> Query:
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
            and profile.review_year is not None and reading.kind in ("any", "result") and reading.measure in NUMERIC:
        # a figure asked with no year: the report's results are its review year's ("规上工业企业有多少家")
        year_list, year_assumed = (profile.review_year,), True
    if reading.completion and year_list:
        reading = _with_years(reading, year_list)
    sides = sides_of(reading, profiles)
    if reading.measure == "comparison" and sides and all(s.year is not None for s in sides) and years.vs_previous:
        year_list = tuple(dict.fromkeys(s.year for s in sides))  # 比上年多了几家: both years
    concepts: tuple[str, ...] = ()
    if glossary is not None:
        concepts = tuple(dict.fromkeys(e.term for e in glossary.matches(reading.norm)))
    return Query(
        asked=asked,
        text=text,
        normalized=normalize(text),
        language=reading.language,
        doc_id=reading.scoped.doc_id,
        scope=reading.scoped.scope,
        doc_ids_named=reading.scoped.named,
        places=reading.scoped.places,
        years=tuple(year_list),
        year_assumed=year_assumed,
        span=years.span,
        span_start=years.span_start,
        kind=reading.kind,
        topic=reading.topic,
        concepts=concepts,
        measure=reading.measure,
        measure_explicit=reading.measure_said and (reading.measure != "level" or reading.unit is not None),
        also_growth=reading.also_growth,
        unit=reading.unit,
        classifier_only=reading.classifier_only,
        quantities=reading.quantities,
        sides=sides,
        operation=operation_of(reading.norm) if reading.measure == "comparison" else None,
        why=reading.why,
        negative_claim=reading.claimed == "fall",
        claimed_change=reading.claimed,
        vs_previous_year=years.vs_previous,
        followup_of=followup_of,
        needs_topic=needs_topic,
    )


def _with_years(reading: Reading, years: tuple[int, ...]) -> Reading:
    from dataclasses import replace

    return replace(reading, years=replace(reading.years, years=years))
