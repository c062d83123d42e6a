"""One wording: an `Answer` from the chosen reading, its citations and its verdict.

Every figure goes through `qa.wording` (qualifiers where the report puts them); quotes are the
report's sentences verbatim, in reading order.
"""

from __future__ import annotations

import re
from typing import Sequence

from qa import wording
from qa.answering import respectively
from qa.answering.candidates import CLAUSE_CUT, NAME_CUT, Candidate
from qa.answering.derive import change_state, start_year
from qa.answering.features import START_STATE
from qa.models import Answer, Citation, Hit, NumericAnswer, Passage, Sentence
from qa.numbers import YEAR_DIGITS
from qa.profile import without_opener
from qa.question.query import Query
from qa.question.words import cues

NOT_FOUND = "报告中没有找到"
LEAD_WORDS = ("其中", "全年", "预计")
MIN_NAME_CHARS = 4  # a clause this long before a figure names it alone
MAX_JOINT_QUOTE = 400  # characters two figures of one paragraph may be quoted whole in (about five lines of the chat)


def citation(passage: Passage, sentence: Sentence, highlight: tuple[int, int] | None = None) -> Citation:
    return Citation(doc_id=passage.doc_id, section_path=passage.section_path, passage_id=passage.id,
                    quote=sentence.text, start=sentence.start, end=sentence.end, highlight=highlight,
                    printed=sentence.printed)


def candidate_citation(c: Candidate) -> Citation:
    start = c.q.start - len(c.lead)
    end = c.growth.end if c.growth is not None else c.q.end
    return citation(c.passage, c.sentence, (max(start, 0), end))


def citations_of(*cs: Candidate) -> tuple[Citation, ...]:
    """The figures' sentences, quoted once each; figures of one paragraph quoted whole in one citation, from the
    first's sentence to the last's, each figure marked (both sides of a comparison in one quote)."""
    own = tuple(dict.fromkeys(candidate_citation(c) for c in cs))
    passages = {c.passage.id for c in cs}
    if len(own) < 2 or len(passages) > 1:
        return own
    passage = cs[0].passage
    start, end = min(c.start for c in own), max(c.end for c in own)
    quote = passage.text[start - passage.start:end - passage.start]
    if "\n" in quote.strip() or len(quote) > MAX_JOINT_QUOTE:
        return own  # another paragraph, or far apart in a long one: each quoted on its own
    marks = tuple((c.start - start + c.highlight[0], c.start - start + c.highlight[1]) for c in own if c.highlight)
    return (Citation(doc_id=passage.doc_id, section_path=passage.section_path, passage_id=passage.id, quote=quote,
                     start=start, end=end, highlight=marks[0] if marks else None, also=marks[1:]),)


def qualifier_of(c: Candidate) -> str | None:
    return "、".join(c.q.hedges) or None


def indicator(c: Candidate) -> str:
    """The words naming the figure, as the sentence puts them before it (a rate: those of its level; a figure
    of a "分别" list: its own subject, 城镇居民人均可支配收入 for the first of 城镇居民和农村居民人均可支配收入分别…)."""
    listed = respectively.list_subjects(c.text, c.q.start)
    if listed is not None and not any(ch.isdigit() for ch in "".join(listed[0])):  # subjects, not clauses
        return wording.name(listed[0][listed[1]], rate=c.q.is_growth)
    counted = _counted_after(c)
    if counted and c.lead.rstrip().endswith("、"):  # 建成4个街道文化中心、19个社区（村）文化活动室: 19个 counts the latter
        return wording.name(counted)
    words = c.lead
    if c.q.is_growth and c.level is not None:  # the words naming its level, in the level's own clause
        words = CLAUSE_CUT.split(c.text[:c.level.start])[-1]
    words = words.strip("，,、；;：:（）() ")
    clause = NAME_CUT.split(words)[-1]
    if counted and len(clause) < MIN_NAME_CHARS and not any(ch.isdigit() for ch in clause):
        return wording.name(clause + counted)  # 建成 + 4个 + 标准化街道文化中心: what the count counts follows it
    if len(clause) >= MIN_NAME_CHARS:  # "过去一年，全县社会消费品零售总额": the figure's own clause names it
        words = clause
    while any(words.startswith(w) for w in LEAD_WORDS):
        words = next(words.removeprefix(w) for w in LEAD_WORDS if words.startswith(w))
    words = _FROM_TO.sub("", words) or words  # 一般公共预算收入由11.35亿元增加到(14.62亿元): 一般公共预算收入
    words = START_STATE.sub("", words) or words  # 地区生产总值由2015年的(168.2亿元): 地区生产总值
    if c.period is not None:  # 2018年规模以上工业企业达到…, 去年新增市场主体: the answer says its year once,
        words = without_opener(words.removeprefix(f"{c.period}年") or words)  # before the name
    return wording.name(words, rate=c.q.is_growth)


def _counted_after(c: Candidate) -> str:
    """For a count followed by what it counts (19个社区（村）文化活动室), those words to the phrase's end; else ""."""
    if not c.noun_after:
        return ""
    words = _NOUN_PHRASE.match(c.after).group(0).strip()
    return words if len(re.findall(r"[\u4e00-\u9fff]", words)) >= 2 else ""


_NOUN_PHRASE = re.compile(r"[^，,、；;。！？!?：:]*")
_FROM_TO = re.compile(r"由[^，,；;]*?\d[^，,；;]*?(?:增加|提高|增长|上升|扩大|下降|减少|降低|缩小|调整)?到"
                      rf"(?:{YEAR_DIGITS}年(?:底|末)?的?)?$")


def unhedged(name: str, qualifier: str | None, said: str | None = None) -> str:
    """The name without a hedge at its end that the figure's own wording (`said`, else every word of the
    qualifier) shows: "地区生产总值预计" + "预计增长7.4%" would say it twice."""
    for word in wording.qualifier_words(qualifier):
        if said is None or word in said:
            name = name.removesuffix(word)
    return name


def hedges_named(name: str, qualifier: str | None) -> tuple[str, ...]:
    """The hedges of the qualifier the name already says before its end ("全市地区生产总值预计完成", "力争新增市场
    主体"): the figure is then worded without them (预计完成486.3亿元, never 预计完成预计486.3亿元)."""
    return tuple(w for w in wording.qualifier_words(qualifier) if not name.endswith(w) and w in name)


def base(query: Query, **fields) -> Answer:
    return Answer(question=query.asked, interpreted_as=query.understood, doc_id=query.doc_id, **fields)


def abstain(query: Query, reason: str, hits: Sequence[Hit] = (), text: str | None = None) -> Answer:
    return base(query, answer=text or f"{NOT_FOUND}这个问题的答案。", abstained=True, abstain_reason=reason,
                related=tuple(hits[:3]))


def choose_report(query: Query, reports: Sequence[tuple[str, str]]) -> Answer:
    """Several reports and none chosen: name them (by title, with the id to choose it by), never mix them."""
    listed = "；".join(f"《{title}》（{doc_id}）" for doc_id, title in reports)
    return Answer(question=query.asked, interpreted_as=query.understood, answer=f"请先选择要问的报告：{listed}。",
                  choices=tuple(doc_id for doc_id, _ in reports), abstained=True, abstain_reason="ambiguous_scope")


def numeric(query: Query, c: Candidate, value: float, unit: str, growth: float | None, verdict: str,
            fact_ids: tuple[str, ...], detail: str | None, plan_year: int | None = None) -> Answer:
    qualifier = qualifier_of(c)
    high = range_high(c, value, unit)
    if c.q.is_growth:
        said = wording.change(value, qualifier, reduction=c.reduction, unit=c.q.unit, high=high)
    else:
        said = wording.figure(value, unit, qualifier, high=high, skip=hedges_named(indicator(c), qualifier))
        if growth is not None:
            said += "，" + wording.change(growth)
    period = own_year(c)
    kind = None
    if period is not None and plan_year is not None:
        kind = "target" if period >= plan_year else "estimate" if "预计" in c.text[:c.q.start] else "actual"
    # a target is never worded as a result: "2023年目标：地区生产总值增长6%左右"
    spanned = query.span and query.span_start and period and query.span_start < period and cues().span_words.search(c.group)
    years = f"{query.span_start}—{period}" if spanned else period  # 十三五…年均增长: the years of the span
    if spanned and c.q.is_growth:  # 年均增长8.6%, never 增长8.6% over five years
        said_of_span = cues().span_words.findall(c.group)
        if said_of_span and not indicator(c).endswith(said_of_span[-1]):
            said = said_of_span[-1] + said
    when = (f"{years}年" if period else "") + (f"{wording.KIND_WORDS['target']}：" if kind == "target" else "")
    # the part of the area asked, named where the figure's own words leave it to the sentence before (柏溪镇依托…，
    # 全年规上工业总产值达到736.2亿元): never read as the whole area's
    part = next((p for p in query.places if p in c.group and p not in indicator(c)), "")
    if c.noun_after and c.starts_clause and growth is None:  # "10家企业实施技术改造": the figure first, as said
        text = f"{when}{part}{said}{c.noun_after}[1]。"
    else:
        text = f"{when}{part}{unhedged(indicator(c), qualifier, said)}{said}[1]。"
    num = NumericAnswer(value=value, unit=unit, high=high, period=period, kind=kind, qualifier=qualifier,
                        growth_pct=growth, fact_ids=fact_ids, verdict=verdict, detail=detail)
    return base(query, answer=text, citations=(candidate_citation(c),), numeric=num)


def own_year(c: Candidate) -> int | None:
    """The year a figure is of: when it is the start of a change, the year that start is of (`derive.start_year`:
    由2015年的168.2亿元增加到…, 2015), else the year its place gives (`Candidate.period`)."""
    if change_state(c) == "start":
        year = start_year(c)
        if year is not None:
            return year
    return c.period


def range_high(c: Candidate, value: float, unit: str) -> float | None:
    """The upper end of the figure's range in the unit shown (its low end is `value`), None for no range."""
    if not c.q.is_range or c.q.high is None or c.q.low is None or c.q.low != c.q.value:
        return None
    return c.q.high * (value / c.q.value) if c.q.value else None


def sentences(query: Query, cited: Sequence[tuple[Passage, Sentence]], lead: str | None = None,
              items: Sequence[str] = (), highlight: tuple[int, int] | None = None) -> Answer:
    cites = tuple(citation(p, s, highlight if n == 0 else None) for n, (p, s) in enumerate(cited))
    if items:
        body = "\n".join(f"{n}. {item}" for n, item in enumerate(items, start=1))
        text = (lead + "\n" if lead else "") + body
    else:
        text = lead or (cites[0].quote if cites else "")
    return base(query, answer=text, citations=cites)


def converted(answer: Answer, value: float, unit: str, c: Candidate) -> Answer:
    """The figure in the unit asked ("多少万元" of a figure in 亿元), the report's own figure quoted beside it."""
    own = wording.figure(c.q.value, c.q.unit, qualifier_of(c))
    num = answer.numeric.model_copy(update={"value": value, "unit": unit})
    text = f"{wording.figure(value, unit, qualifier_of(c))}（报告原文为{own}）。" + answer.answer
    return answer.model_copy(update={"numeric": num, "answer": text})


def derived(query: Query, passage: Passage, sentence: Sentence, span: tuple[int, int], result: str, value: float,
            unit: str, verdict: str, note: str, period: int | None = None) -> Answer:
    """A figure the report fixes but does not write: the words `result` state it with the arithmetic, the
    report's own words (the sentence from `span[0]` to `span[1]`) are quoted beside it, and it is labelled
    as derived (`note`); never vouched for unless both figures were matched (`verdict`)."""
    said = sentence.text[span[0]:span[1]].strip("，,、；;：: ")
    text = f"{result}。报告原文：“{said}”[1]{note}。"
    num = NumericAnswer(value=value, unit=unit, period=period, verdict=verdict, detail=note.strip("（）()"))
    return base(query, answer=text, citations=(citation(passage, sentence, span),), numeric=num)
