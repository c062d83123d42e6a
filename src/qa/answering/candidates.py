"""Candidates: every figure in the top retrieved sentences of the scoped report, with the words
around it; enumerating sentences for lists; the head lines for who/when questions.

A candidate holds no score: `features` describes it, the fitted `Scorer` weighs it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from qa.data import alternation
from qa.models import Hit, Passage, Sentence
from qa.numbers import COUNT_UNITS, GROWTH_WORDS, POINTS, YEAR_DIGITS, Quantity, find_quantities, is_reduction_indicator
from qa.profile import GENRE
from qa.question.query import Query

_BOUNDARY = "；;。！？!?："
RATE_NAME_CHARS = 3  # this many characters between a level and a rate (not linking words) name the rate's own indicator
_CLAUSE_END = "，,、；;。！？!?："
_YEARISH = re.compile(r"^" + YEAR_DIGITS + r"$")
PHRASE_END = re.compile(r"[，,、；;。！？!?：:（(]")
NAME_CUT = re.compile(r"[，,；;：:]")
CLAUSE_CUT = re.compile(r"[，,；;。]")  # the ends of a clause: the words of a figure's own clause lie after the last


@dataclass(frozen=True)
class Candidate:
    """One figure of one sentence, as it could answer the question."""

    q: Quantity
    passage: Passage
    sentence: Sentence
    rank: int
    retrieval_score: float
    lead: str  # the words before the figure back to the previous figure or clause boundary
    group: str  # the words before the figure back to the previous ；or 。
    after: str  # the words after the figure up to the end of its clause
    growth: Quantity | None  # the rate stated right after a level ("111亿元，增长7.5%")
    level: Quantity | None  # the level a rate belongs to
    index: int  # position of the figure in its sentence

    @property
    def text(self) -> str:
        return self.sentence.text

    @property
    def period(self) -> int | None:
        """The year the figure is of by where it stands: its sentence's own (a table row's year), else its passage's."""
        return self.sentence.period if self.sentence.period is not None else self.passage.period

    @property
    def reduction(self) -> bool:
        return is_reduction_indicator(self.lead + self.group[-12:])

    @property
    def noun_after(self) -> str:
        """For a count followed by what it counts ("10家企业实施技术改造"): those words, to the phrase's end."""
        if self.q.is_growth or self.q.unit not in COUNT_UNITS:
            return ""
        return PHRASE_END.split(self.after, 1)[0]

    @property
    def starts_clause(self) -> bool:
        """No words of its own clause before the figure ("18家高污染企业停产整治，10家企业实施技术改造": 10家)."""
        return not NAME_CUT.split(self.lead)[-1].strip()

    def rate(self) -> float:
        """A change as a signed rate: 下降6.8% is -6.8, unless the indicator is itself a reduction."""
        value = self.q.value
        return -value if self.q.falls and not self.reduction else value


@lru_cache(maxsize=8192)
def quantities(text: str) -> tuple[Quantity, ...]:
    out = []
    for q in find_quantities(text):
        if q.unit == "年" and _YEARISH.match(q.raw.strip().rstrip("年")):
            continue
        if q.unit in ("年", "月", "日") and q.value >= 1900:
            continue
        out.append(q)
    return tuple(out)


def _back_to(text: str, pos: int, stops: str) -> int:
    i = pos
    while i > 0 and text[i - 1] not in stops:
        i -= 1
    return i


@lru_cache(maxsize=4096)
def _respective_pairs(text: str, qs: tuple[Quantity, ...]) -> dict[int, int]:
    """Levels and rates paired across two "分别" lists of the same subjects ("城镇和农村居民收入分别达到72480元和
    41360元，分别增长4.6%和6.3%"), or a "分别" list of rates after as many levels ("货物吞吐量1.36亿吨，集装箱吞吐量
    86.5万标箱，分别增长7.8%和15.6%"): the i-th level's index -> the i-th rate's, and back."""
    from qa.answering.respectively import respectively

    index = {q.start: n for n, q in enumerate(qs)}
    out: dict[int, int] = {}
    groups = respectively(text)
    for group in groups:  # "货物吞吐量1.36亿吨，集装箱吞吐量86.5万标箱，分别增长7.8%和15.6%": each level its rate
        levels = [q for q in qs if group.subjects_start <= q.start and q.end <= group.figures[0].start]
        if (all(q.is_growth for q in group.figures) and len(levels) == len(group.figures)
                and not any(q.is_growth for q in levels)):
            for a, b in zip(levels, group.figures):
                out[index[a.start]], out[index[b.start]] = index[b.start], index[a.start]
    for first, second in zip(groups, groups[1:]):
        if (first.subjects_start == second.subjects_start and len(first.figures) == len(second.figures)
                and not any(q.is_growth for q in first.figures) and all(q.is_growth for q in second.figures)):
            for a, b in zip(first.figures, second.figures):
                if a.start in index and b.start in index:
                    out[index[a.start]], out[index[b.start]] = index[b.start], index[a.start]
    return out


@lru_cache(maxsize=1)
def _rate_links() -> re.Pattern:
    """Growth verbs and the words genre.json "rate_links" lists: what may stand between a level and its rate."""
    return re.compile(alternation({*GROWTH_WORDS, *GENRE["rate_links"]["words"]}))


@lru_cache(maxsize=1)
def _level_link() -> re.Pattern:
    return re.compile(r"[，,、\s]*(?:" + alternation(GENRE["level_links"]["words"]) + r")*\s*")


def same_subject(between: str) -> bool:
    """Nothing but a linking word (genre.json "level_links") between two figures: one subject's."""
    return _level_link().fullmatch(between) is not None


def _rate_of(text: str, level: Quantity, rate: Quantity) -> bool:
    """Is `rate` the rate of `level` ("111亿元，同比增长7.5%")? Not across a sentence or clause-list break,
    nor when other words name the rate's own indicator ("集聚各类人才1.8万人，技术合同成交额增长31.5%")."""
    if level.is_growth or not rate.is_growth:
        return False
    between = text[level.end:rate.start]
    if any(c in between for c in _BOUNDARY):
        return False
    rest = _rate_links().sub("", between)
    return max((len(run) for run in re.findall(r"[\u4e00-\u9fff]+", rest)), default=0) < RATE_NAME_CHARS


def number_candidates(hits: list[Hit]) -> list[Candidate]:
    out: list[Candidate] = []
    seen: set[tuple[str, int, str]] = set()
    for hit in hits:
        for sentence in hit.passage.sentences:
            text = sentence.text
            if (hit.passage.doc_id, sentence.start, text) in seen:
                continue  # the same sentence in two retrieved passages: one set of candidates
            seen.add((hit.passage.doc_id, sentence.start, text))
            qs = quantities(text)
            paired = _respective_pairs(text, qs)
            starts: list[int] = []
            for n, q in enumerate(qs):
                group_start = _back_to(text, q.start, _BOUNDARY)
                prev_end = qs[n - 1].end if n else 0
                lead_start = max(group_start, prev_end)
                if q.is_growth and n in paired:
                    lead_start = starts[paired[n]]  # "A和B分别达到1元和2元，分别增长3%和4%": 4% is B's
                elif q.is_growth and n and _rate_of(text, qs[n - 1], q):
                    lead_start = starts[n - 1]  # "收入5.8亿元，下降3.1%": the rate is of the level's indicator
                elif not q.is_growth and n and same_subject(text[prev_end:q.start]):
                    lead_start = starts[n - 1]  # "搬迁安置1064户3518人", "年均增长6.5%，达到20亿元"
                elif n and lead_start == prev_end and (item := _item_after(text, prev_end, q.start)):
                    lead_start = item  # "为1万名困难群众购买保险、新建城市书房12家": 困难群众… is the item of 1万名
                starts.append(lead_start)
                end = q.end
                while end < len(text) and text[end] not in _CLAUSE_END:
                    end += 1
                nxt = qs[n + 1] if n + 1 < len(qs) else None
                growth = None
                if n in paired:
                    growth = qs[paired[n]] if not q.is_growth else None
                elif not q.is_growth and nxt is not None and _rate_of(text, q, nxt):
                    growth = nxt
                level = None
                if n in paired:
                    level = qs[paired[n]] if q.is_growth else None
                elif q.is_growth and n and _rate_of(text, qs[n - 1], q):
                    level = qs[n - 1]
                out.append(Candidate(
                    q=q, passage=hit.passage, sentence=sentence, rank=hit.rank, retrieval_score=hit.score,
                    lead=text[lead_start:q.start], group=text[group_start:q.start], after=text[q.end:end],
                    growth=growth, level=level, index=n,
                ))
    return out


def _item_after(text: str, prev_end: int, start: int) -> int:
    """Where a figure's own item of a "、" list starts when the words before it run on from the previous figure's
    item (为1万名困难群众购买意外伤害保险、新建城市书房12家: 新建城市书房 is the item of 12家); 0 when they do not (a
    figure right after its list's 、, or an item of fewer than two characters)."""
    at = text.rfind("、", prev_end, start)
    if at <= prev_end or start - at - 1 < 2:
        return 0
    return at + 1


def answer_value(c: Candidate, query: Query) -> tuple[float, str, float | None]:
    """(value, unit, growth) the candidate would answer: a signed rate for a growth question, else the
    figure with the rate stated beside it."""
    if query.measure == "growth" and not query.also_growth:
        if c.q.is_growth:
            return c.rate(), c.q.unit, None
        return c.q.value, c.q.unit, None
    growth = None
    if c.growth is not None and c.growth.unit != POINTS:  # "达到56.4%，提高1.3个百分点": no growth rate
        growth = -c.growth.value if c.growth.falls and not is_reduction_indicator(c.lead) else c.growth.value
    if growth is not None and not query.span and averaged(c.sentence.text, c.growth):
        growth = None  # "由26010元增加到36480元，年均增长7.0%": no growth of the year asked
    if c.q.is_growth:
        return c.rate(), c.q.unit, None
    return c.q.value, c.q.unit, growth


def clause_before(text: str, q: Quantity) -> str:
    """The figure's own clause up to the figure (城镇、农村居民人均可支配收入年均分别增长8.1%和 for 8.9%)."""
    return text[_back_to(text, q.start, _CLAUSE_END):q.start]


def averaged(text: str, q: Quantity) -> str:
    """The word by which the figure's own clause says it is an average of several years (年均 of 年均增长7.0%);
    "" when it says none."""
    found = average_words().findall(clause_before(text, q))
    return found[-1] if found else ""


@lru_cache(maxsize=1)
def average_words() -> re.Pattern:
    """The span words that make a figure one of several years whatever its clause says of them (年均, 历年;
    question_words.json "span_words" less "stock_span_words": 累计 is also a stock to date)."""
    from qa.question.words import cues

    raw = cues().raw
    return re.compile(alternation(w for w in raw["span_words"] if w not in raw["stock_span_words"]["words"]))


def head_lines(passages: tuple[Passage, ...], limit: int) -> list[tuple[Passage, Sentence]]:
    """The first sentences of a report (title, date, speaker line)."""
    out = []
    for passage in passages:
        for sentence in passage.sentences:
            out.append((passage, sentence))
            if len(out) >= limit:
                return out
    return out


def is_rate_figure(c: Candidate) -> bool:
    """A growth rate, or a percentage its own clause calls a rate of growth before it ("固定资产投资增速比年初
    确定的9%的预期目标低": the 9% is a growth target, though no 增长 stands right before it), or measures the growth
    rate before it against ("增长15.3%，低于年初确定的18%的目标")."""
    from qa.question.words import cues

    if c.q.is_growth:
        return True
    if c.q.unit != "%":
        return False
    clause = CLAUSE_CUT.split(c.lead)[-1]
    if cues().measure["growth"].search(clause):
        return True
    own = CLAUSE_CUT.split(c.group)[-1]
    if not GAP_START.match(own):
        return False
    before = find_quantities(c.text[:c.q.start - len(own)])
    return bool(before) and before[-1].is_growth


DIRECTION_WORDS = "低|高|快|慢|多|少|增加|减少"  # the directions of a difference (比年初预期低, 低于年初预期目标)
GAP_START = re.compile(rf"(?:{DIRECTION_WORDS})于|超过|未达到|没有达到|未完成|没有完成|未能完成")  # a clause measuring a rate against another
