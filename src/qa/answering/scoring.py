"""Scoring a question's figures: every figure of the scoped report's best passages that may answer it (units,
kinds and changes are never mixed), its named features, the fitted scorer's probability and rank, and the
confidence its answer type's threshold is compared with."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from qa.answering.candidates import (CLAUSE_CUT, NAME_CUT, Candidate, average_words, clause_before, is_rate_figure,
                                     number_candidates)
from qa.answering.context import AnswerContext
from qa.answering.derive import change_state, cues as derived_cues, start_year, transition_of
from qa.answering.features import (END_STATE, NEAR, add_relative, added_not_stock, asked_words, features,
                                   is_money, list_subject, measured_phrase, members, name_lead, other_member,
                                   subjects_asked, target_cue)
from qa.answering.respectively import list_subjects
from qa.data import alternation
from qa.facts.extract import AREA_WORDS
from qa.models import Hit
from qa.numbers import (COUNT_UNITS, GROWTH_WORDS, POINTS, REDUCTION_WORDS, UNITS, ascii_digits, counts_alike,
                        is_reduction_indicator, kind_named, kind_noun, other_kinds)
from qa.profile import GENRE, level_of, short_names
from qa.question.query import Query
from qa.question.sides import is_rate
from qa.question.text import normalize
from qa.question.words import cues
from qa.question.years import find_years

NUMERIC_MEASURES = ("level", "growth", "share", "count")
# 增加12亿元, 减少贫困人口2.6万人: a change stated (增加值 is a level: value added)
_CHANGE_BEFORE = re.compile("(?:" + "|".join(GROWTH_WORDS + ("增加",)) + ")(?!值|到|至)")  # 增加到 says a state, not a change


def answer_type(query: Query) -> str:
    if query.measure in NUMERIC_MEASURES:
        return "growth" if query.measure == "growth" and not query.also_growth else "level"
    if query.measure == "comparison":
        return "comparison"
    return "text"


@dataclass
class Scored:
    hits: list[Hit]
    candidates: list[Candidate]
    rows: list[dict]
    probs: list[float]
    order: list[float]
    confidence: float

    def best(self) -> tuple[Candidate, float] | None:
        """The candidate ranked first, with its (pointwise) probability of being right."""
        if not self.candidates:
            return None
        i = max(range(len(self.order)), key=lambda n: (self.order[n], -n))
        return self.candidates[i], self.confidence


def score_numbers(query: Query, ctx: AnswerContext, hits: list[Hit] | None = None, spans_only: bool = False) -> Scored:
    """Every figure of the scoped report's best passages, with its features and probability; with `spans_only`
    (a figure asked of a span, 十三五…年均增长多少), only those said of a span when there are any."""
    if hits is None:
        hits = ctx.search(query.text, query.doc_id)
        hits = hits + ctx.fact_hits(query, hits)
    asked = asked_words(query)  # 集装箱吞吐量 for 货物吞吐量 asked: another indicator, never the answer
    narrowed = _narrowing(asked)  # 人均GDP, 一季度GDP增速: a figure not saying it is another indicator's
    unsaid = _unsaid_narrowing(asked)  # 前三季度…增长1.9% is no year's growth
    named = _named_as(query, ctx)  # GDP is 地区生产总值: an amount, never 260家
    subjects, terms = subjects_asked(query), ctx.asked_terms(query)
    cands = [c for c in number_candidates(hits) if may_answer(query, c) and not _neighbour(asked, c, subjects)
             and (named is None or query.measure not in ("level", "count") or kind_named(named, c.q.unit))
             and not (query.asks_stock and query.measure in ("level", "count") and added_not_stock(c))  # 总共有 ≠ 新增
             and all(_says(c, words) for words in narrowed) and not any(_says(c, words) for words in unsaid)
             and not _narrowed_name(c, terms, asked, ctx)
             and not (query.measure != "share" and _names_another(c, terms, ctx))]  # 占生产总值比重 names the whole
    unasked = unasked_parts(query, ctx)  # 临川县地区生产总值612.4亿元 is no figure of the whole city
    if unasked:
        cands = [c for c in cands if not _of_part(c, unasked)]
    romanised = _parts_romanised(query, ctx)  # tourists of Zhijiang County: only a figure naming 芷江县
    named_parts = _parts_asked(query, ctx)  # 龙湾镇农民收入: only a figure whose sentence names 龙湾镇 there
    others = _other_areas(query, ctx, unasked)  # 全县地区生产总值达到86.4亿元 in a city's report: a county's
    if others:
        cands = [c for c in cands if not (any(w in c.group for w in others)
                                          and own_name(c, CLAUSE_CUT.split(c.group)[-1]).lstrip().startswith(others))]
    plan, review = ctx.plan_year(query.doc_id), ctx.review_year(query.doc_id)
    if len(set(query.years)) == 1 and not query.year_assumed and not query.span:  # one year named: 2020年固定资产投资
        cands = [c for c in cands if (not said_of_years(c, review) or change_state(c) == "end"  # not 五年累计完成…862.5亿元
                                      or _start_of_year(c, query.years[0]))  # but 三年来…由2005年的308.6亿元
                 and not of_another_year(c, query.years[0])  # nor 2020年城镇登记失业率 for 2018年
                 and not _start_of_another_year(c, query.years[0])]  # nor 由2015年的682.4亿元 for 2019年
    if review is not None and set(query.years) == {review} and not query.span:  # the year reviewed: never the
        cands = [c for c in cands if change_state(c) != "start"]  # start of 由26010元增加到36480元, an earlier year's
    elif query.span:  # 十三五期间累计完成多少: never the level the span started from (由2015年的168.2亿元), unless
        cands = [c for c in cands if change_state(c) != "start"  # the question names its year
                 or any(_start_of_year(c, y) for y in query.years)]
    if spans_only and query.span:  # not the last year's figure
        cands = [c for c in cands if cues().span_words.search(c.group)] or cands
    if query.kind in ("target", "plan") and plan is not None:  # a result never answers a target asked,
        cands = [c for c in cands if c.period is None or c.period >= plan or target_cue(c)]
        if query.years and not query.year_assumed:  # nor another year's target (2020年目标 for 2019年目标)
            cands = [c for c in cands if c.period in (None, *query.years)
                     or any(str(y) in ascii_digits(c.sentence.text) for y in query.years)]
    if query.kind == "result" and not _plan_sources().search(query.text):  # 十三五GDP年均增长多少: 6.5%, not
        cands = [c for c in cands if not _plan_sources().search(NAME_CUT.split(c.lead)[-1])]  # 规划确定的…8%
    cover = ctx.cover(query.topic, query.doc_id)
    sems = ctx.similarities(query.text, [c.group + c.q.raw + c.after for c in cands]) if query.language == "en" else None
    rows = add_relative([features(c, query, cover, ctx.idf_of(query.doc_id), plan, review, sems[n] if sems is not None else 0)
                         for n, c in enumerate(cands)])
    probs = [float(p) for p in ctx.scorer.probabilities(rows)]
    order = [float(r) for r in ctx.scorer.ranks(rows)]
    if not (romanised or named_parts):
        return Scored(hits, cands, rows, probs, order, ctx.scorer.confidence(rows, order))
    # a part of the area asked: only the figures naming it answer, and how sure the first of them is is judged
    # among all the question's figures (a lone figure left is not thereby a sure one)
    keep = [n for n, c in enumerate(cands) if (not romanised or _of_part(c, romanised))
            and (not named_parts or any(p in c.group + c.q.raw + c.after for p in named_parts))]
    sure = ctx.scorer.confidence(rows, order, at=max(keep, key=lambda n: (order[n], -n))) if keep else 0
    return Scored(hits, [cands[n] for n in keep], [rows[n] for n in keep], [probs[n] for n in keep],
                  [order[n] for n in keep], sure)


def unasked_parts(query: Query, ctx: AnswerContext) -> tuple[str, ...]:
    """The parts of the report's area (ctx.parts_of) the question names in none of their forms (临川县, 临川;
    of an English question, Linchuan): a figure whose own clause names one answers only for that part."""
    parts = ctx.parts_of(query.doc_id)
    if not parts:
        return ()
    asked = query.normalized + query.text
    return tuple(p for p in parts if not any(n in asked for n in (p, *short_names(p)))
                 and not _romanised_in(query, ctx, p))


def _other_areas(query: Query, ctx: AnswerContext, unasked: tuple[str, ...]) -> tuple[str, ...]:
    """The whole-area words (全县, 全市…: facts.json area_words) other than the report's own (全市 in a city's
    report) and not asked: a figure whose own clause opens with one is another area's (a county's, the parent
    city's), never the report's whole area, when the question names no part of the area either."""
    doc = ctx.by_id.get(query.doc_id or "")
    own = doc.profile.area_word if doc is not None and doc.profile is not None else None
    if own is None or query.places or len(unasked) < len(ctx.parts_of(query.doc_id)):
        return ()  # a part asked (辰溪县GDP): its figure may well say 全县
    return tuple(w for w in AREA_WORDS if w != own and w not in query.normalized)


def _parts_romanised(query: Query, ctx: AnswerContext) -> tuple[str, ...]:
    """The places below the report's level an English question names by their pinyin (Zhijiang County: 芷江县, a
    place the report names once or more), in every form a figure's clause may write them (芷江县, 芷江); the
    Chinese names of a Chinese question are `query.places`."""
    if query.language != "en":
        return ()
    named = [p for p in ctx.places_of(query.doc_id) if _romanised_in(query, ctx, p)]
    return tuple(n for p in named for n in (p, *short_names(p)))


def places_asked(query: Query, ctx: AnswerContext) -> tuple[list[str], list[str]]:
    """(other places, parts of the report's area) among the places the question names: a place the report never
    writes, or writes at its own level or above (a neighbour, its parent city), is another place (a 经开区 or 综保区 it
    speaks of is a part of its area at no level); a parent written before the report's own name (平顶山市卫东区) is
    only its full name, neither."""
    doc = ctx.by_id.get(query.doc_id or "")
    if doc is None:
        return list(query.places), []
    rank = GENRE["level_rank"]
    own = rank.get(doc.profile.level, 0)
    text = query.normalized + query.text
    named = [p for p in query.places if not any(n and p + n in text for n in doc.profile.names)]
    zones = cues().raw["narrowing"]["sub_area"]
    foreign = [p for p in named if not any(n in doc.text for n in ctx.place_names(p))
               or not any(z in p for z in zones) and rank.get(level_of(p), 0) >= own > 0]
    return foreign, [p for p in named if p not in foreign]


def _parts_asked(query: Query, ctx: AnswerContext) -> tuple[str, ...]:
    """The parts of the area a question names in Chinese (`places_asked`: 龙湾镇, or 柏溪 for 柏溪镇), in every name the
    glossary gives them and, when the question writes the short form, that too: a figure answers only when the words
    before it in its sentence, or it, name one (白石县财政收入 is not the city's, nor a figure of a sentence naming
    白石县 elsewhere)."""
    return tuple(n for p in places_asked(query, ctx)[1]
                 for n in (*ctx.place_names(p), *(short_names(p) if p not in query.text else ())))  # 龙湾镇: not 龙湾港


def _romanised_in(query: Query, ctx: AnswerContext, place: str) -> bool:
    """An English question writes the place's pinyin, of its full or short name, as a word or two adjacent words
    (Zhijiang, Zhi Jiang), never inside another word (ye of 叶 in "year")."""
    if query.language != "en":
        return False
    words = re.findall(r"[a-z]+", query.normalized)
    said = set(words) | {a + b for a, b in zip(words, words[1:])}
    return any(ctx.romanised(n) in said for n in short_names(place) or (place,) if ctx.romanised(n))


def _of_part(c: Candidate, parts: tuple[str, ...]) -> bool:
    """The figure's own clause names one of these parts of the area (临川县地区生产总值612.4亿元, and its rate
    增长5.8%); in a "分别" list, its own subject does (松岭县's 26420元 of 临川县、松岭县…分别达到32680元和26420元)."""
    return any(p in own_name(c, CLAUSE_CUT.split(c.group)[-1]) for p in parts)


def own_name(c: Candidate, clause: str) -> str:
    """The words naming the figure: in a "分别" list its own subject, else `clause` (its own clause's words),
    with the level's clause for a rate stated after its level (地区生产总值612.4亿元，增长5.8%)."""
    found = list_subjects(c.text, c.q.start)
    if found is not None:
        return found[0][found[1]]
    return clause + CLAUSE_CUT.split(c.lead)[0] if c.level is not None else clause


def _names_another(c: Candidate, terms: tuple[str, ...], ctx: AnswerContext) -> bool:
    """The figure's name writes an amount indicator of the glossary the question does not ask, and no name of one
    it asks (临川县、松岭县农村居民人均可支配收入分别达到32680元 for 临川GDP; 规模以上工业总产值突破8000亿元 for GDP):
    another indicator's figure. Only indicators whose names end with a noun of an amount (units.json kind_nouns);
    `terms`: ctx.asked_terms of the question."""
    asked = [e for e in ctx.glossary.entries if e.term in terms and kind_noun(e.term)] if terms else []
    if not asked:
        return False
    names = [n for e in asked for n in e.names]
    for words in (own_name(c, CLAUSE_CUT.split(c.lead)[-1]), c.group):  # a clause naming nothing: its group's
        name = normalize(words)  # name (一般公共预算收入年均增长6%，突破380亿元)
        if any(n in name for n in names):
            return False
        named = [e for e in ctx.glossary.matches(name) if kind_noun(e.term)]
        if named:
            return any(e.term not in terms and not any(n in m or m in n for n in names for m in e.names)
                       for e in named)
    return False


def _neighbour(asked: str, c: Candidate, subjects: str = "") -> bool:
    """The figure's words name another indicator of a group the question names one of (集装箱 for 货物, 登记
    for 调查失业率); a figure of a 分别 list (城乡居民收入分别…) is its own subject's: another when the question
    names only another subject of the list (城镇's 72480元 for 农村居民收入; 临川县's for 松岭县 asked), or whose words name
    another member (城乡居民人均可支配收入分别… for 居民人均消费支出)."""
    listed = list_subjects(c.sentence.text, c.q.start)
    if listed is not None:  # or its own subject names another member (…人均可支配收入 for 支出)
        return bool(list_subject(c, subjects or asked)[1]) or other_member(members(asked), listed[0][listed[1]])
    return other_member(members(asked), name_lead(c)[-NEAR * 2:] + measured_phrase(c))


def _narrowing(asked: str) -> list[tuple[str, ...]]:
    """The words of each class of narrowing words the question says one of (question_words.json "narrowing")."""
    classes = [tuple(v) for k, v in cues().raw["narrowing"].items() if not k.startswith("_") and k != "both_ways"]
    return [words for words in classes if any(w in asked for w in words)]


def _narrowed_name(c: Candidate, terms: tuple[str, ...], asked: str, ctx: AnswerContext) -> bool:
    """The figure's own clause writes a name of an asked glossary term (`terms`) right after a narrowing word the
    question (`asked`) does not say (人均地区生产总值达到7.94万元 for 地区生产总值 asked): another indicator's figure."""
    if not terms:
        return False
    words = tuple(w for w in _narrowing_words() if w not in asked)
    clause = normalize(CLAUSE_CUT.split(c.lead)[-1])
    names = sorted({n for e in ctx.glossary.matches(clause) if e.term in terms for n in e.names}, key=len, reverse=True)
    taken: list[range] = []  # where a longer asked name stands: 人均 of 居民人均可支配收入 narrows no 可支配收入
    for name in names:
        for m in re.finditer(re.escape(name), clause):
            if any(m.start() in r or m.end() - 1 in r for r in taken):
                continue
            taken.append(range(m.start(), m.end()))
            if m.start() > 0 and clause[:m.start()].endswith(words):
                return True
    return False


@lru_cache(maxsize=1)
def _narrowing_words() -> tuple[str, ...]:
    """Every word of every narrowing class (question_words.json "narrowing")."""
    return tuple(w for k, v in cues().raw["narrowing"].items() if not k.startswith("_") and k != "both_ways" for w in v)


def _named_as(query: Query, ctx: AnswerContext) -> str | None:
    """The glossary's term for a topic that is wholly one of its other names (GDP: 地区生产总值), or an English
    question's first concept, or a topic ending with a noun of an amount itself (常住人口), else None."""
    topic = query.topic.replace(" ", "")
    if query.language == "en":  # general public budget expenditure: 一般公共预算支出, money; resident population: people
        first = query.concepts[0] if query.concepts else asked_words(query).split(" ")[0]
        return first if query.concepts or kind_noun(first) else None
    if not topic:
        return None
    term = next((e.term for e in ctx.glossary.matches(topic) if topic in e.names and e.term != topic), None) \
        if ctx.glossary is not None else None
    return term or (topic if kind_noun(topic) else None)  # 常住人口: people, never 56.4%


def _unsaid_narrowing(asked: str) -> list[tuple[str, ...]]:
    """The words of each class narrowing both ways (question_words.json narrowing.both_ways) the question says
    none of."""
    raw = cues().raw["narrowing"]
    return [tuple(raw[k]) for k in raw["both_ways"] if not any(w in asked for w in raw[k])]


def _says(c: Candidate, words: tuple[str, ...]) -> bool:
    """The figure's clauses before it say one of `words` (人均 of 城乡居民人均可支配收入分别…, 一季度 of
    一季度，全区地区生产总值增长…)."""
    return any(w in c.group for w in words)


def of_another_year(c: Candidate, year: int) -> bool:
    """A figure of a passage about a later year than the one asked whose sentence does not name it before the
    figure (2020年城镇登记失业率 for 2018年; 达到2.36%，比2017年提高… is not 2017's); the start of a change
    (由168.2亿元增加到…) stands for an earlier year than its passage's, so it is not ruled out."""
    period = c.period
    if period is None or period <= year:
        return False
    if str(year) in ascii_digits(c.text[:c.q.start]):  # a later year's goal (到2025年) may stand in this year's plan,
        return _end_from_year(c, year)  # but 由2005年的308.6亿元增加到486.3亿元: 486.3 is no figure of 2005
    return change_state(c) != "start"  # 由86家增加到258家: 258 is its passage's year's, 86 an earlier one's


def _start_of_year(c: Candidate, year: int) -> bool:
    """The figure is the start of a change of the year asked (由2005年的308.6亿元增加到…; `derive.start_year`)."""
    return change_state(c) == "start" and start_year(c) == year


def _start_of_another_year(c: Candidate, year: int) -> bool:
    """The figure is the start of a change known to be of another year than the one asked."""
    if change_state(c) != "start":
        return False
    own = start_year(c)
    return own is not None and own != year


def _end_from_year(c: Candidate, year: int) -> bool:
    """The figure is the end of a change whose start the year asked names (由2005年的308.6亿元增加到486.3亿元)
    and the sentence names that year nowhere else before the figure."""
    t = transition_of(c)
    if t is None or t.end.start != c.q.start:
        return False
    begin, _ = t.span
    return str(year) not in ascii_digits(c.text[:begin]) and str(year) not in ascii_digits(c.text[t.start.end:c.q.start])


def said_of_years(c: Candidate, review_year: int | None) -> bool:
    """A figure said of several years: an average (年均增长6.5%) or a total over a span its words name (五年累计,
    “十三五”期间累计); 累计 alone is also a stock to date (累计登记市场主体17743户), no span."""
    return bool(_averaged_change().search(clause_before(c.text, c.q))) \
        or find_years(c.lead, review_year, None).span_end is not None


@lru_cache(maxsize=1)
def _averaged_change() -> re.Pattern:
    """An average over years of a change (年均增长, 年均分别增长, 年均新增); 年均浓度 is one year's mean level."""
    return re.compile(f"(?:{average_words().pattern})[^，,；;。]{{0,3}}?(?:{alternation(GROWTH_WORDS + ('新增', '增加'))})")


def may_answer(query: Query, c: Candidate) -> bool:
    """A question asking a count (多少条, 几家, how many) is never answered by a measure (46公里, 8.2%), a unit
    (多少亿元, 增加了多少元) by another kind of unit or a rate, nor a change (增长了多少, how fast) by a level
    (96.5亿元): units are never mixed. Other mismatches are the scorer's to weigh."""
    if c.reduction and query.language == "zh" and not is_reduction_indicator(query.topic):
        return False  # 单位地区生产总值能耗下降3.2% is no figure of 地区生产总值
    said = [w for w in REDUCTION_WORDS if w in query.topic]
    if said and query.language == "zh" and not any(w in c.group + c.after[:NEAR] for w in said):
        return False  # nor 地区生产总值增长6.5% one of 单位地区生产总值能耗
    if query.measure == "growth" and not query.also_growth and not query.unit:
        if c.q.unit == POINTS and not is_rate(query.topic):
            return False  # 提高1.3个百分点 is the change of a rate (城镇化率), no growth rate of a level
        return is_rate_figure(c) or c.q.unit == "倍" or _CHANGE_BEFORE.search(NAME_CUT.split(c.lead)[-1]) is not None
    if query.measure == "growth" and query.unit and query.unit not in ("%", POINTS):  # 增加了多少元: an amount
        fits = counts_alike(query.unit, c.q.unit) if query.classifier_only else unit_fits(c.q.unit, query.unit)
        said = NAME_CUT.split(c.lead)[-1]  # a change said (新增14家, 减少318个), not a state (达到19260元, 由…增加到…)
        return (fits and not END_STATE.search(c.lead.strip()) and _change_said().search(said) is not None
                and transition_of(c) is None)
    per_unit = any(w in query.topic for w in cues().raw["per_unit_words"]["words"])  # 亩均投资强度: an amount per 亩
    if query.measure in ("level", "share") and is_rate(query.topic) and not per_unit:
        if c.q.unit not in ("%", "‰", POINTS, "") or (c.q.unit == "%" and c.q.is_growth):
            return False  # 研发投入强度 is never 10家, 2.6亿元 nor another indicator's 增长10.6%
    if query.measure not in ("level", "count"):
        return True
    if not query.also_growth and not query.unit and not is_rate(query.topic) and is_rate_figure(c):
        return False  # 去年GDP是多少 is not 增长7.5% (a report giving only the rate does not say the level)
    if not kind_named(query.topic, c.q.unit):
        return False  # 征迁面积 is never 5个
    if query.unit and not query.classifier_only and query.unit not in ("%", "个百分点"):
        return unit_fits(c.q.unit, query.unit)  # 多少亿元 is never answered by 7.5% nor by 3200人
    if not query.classifier_only:
        return True
    if query.unit:
        return counts_alike(query.unit, c.q.unit)
    return UNITS.get(c.q.unit, (c.q.unit,))[0] in COUNT_UNITS


@lru_cache(maxsize=1)
def _plan_sources() -> re.Pattern:
    """Words naming where a target was set (规划, 年初预期, 计划: question_words.json "plan_sources")."""
    return re.compile(alternation(cues().raw["plan_sources"]["words"]))


@lru_cache(maxsize=1)
def _change_said() -> re.Pattern:
    """Words saying an amount is a change: growth verbs and qualifiers.json derived "increment"/"decrement"."""
    return re.compile(_CHANGE_BEFORE.pattern + "|" + derived_cues()["added_first"].pattern + "|" + derived_cues()["decrease"].pattern)


def unit_fits(unit: str, asked: str) -> bool:
    """A figure's unit may answer the unit asked: never a rate for an amount (7.5% for 多少亿元), never another
    kind of thing (3200人 for 多少万元, 1800亩 for 多少棵, 公里 for 多少平方米); near units (张 for 床, 个工作日 for
    天) and units not in units.json are the scorer's to weigh."""
    if unit in ("%", POINTS):
        return False
    if UNITS.get(asked, (None,))[0] == "":  # a bare scale word (引进大学毕业生多少万: 3.2万人): any amount, weighed
        return True
    if is_money(asked):  # and of the currency asked: 多少亿美元 is never answered by 41.3亿元
        return is_money(unit) and UNITS[unit][0] == UNITS[asked][0]
    return not other_kinds(unit, asked)  # 多少棵 is never answered by 1800亩
