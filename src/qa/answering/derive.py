"""Derived figures: a value the report does not write but fixes in one sentence with two of its own
figures, read by small plain functions over the sentence's parsed quantities.

- a change between two states, "由18.6平方公里扩大到24.3平方公里" → 5.7平方公里 (of a % level: 个百分点);
- the level before an increment, "达到612家，净增54家" / "新增118家，总数达到642家" → 558 / 524;
- a plan from its completion share, "5820个，完成年度计划的116.4%" → 5000;
- the subject of each figure of a "分别" list ("城市、农村低保标准分别提高到680元和520元": 城市 → 680).

Arithmetic is exact (decimal), rounded to what the figures carry. The cue words are data
(`qa/data/qualifiers.json`, key "derived"). A derived figure is always worded as derived, the report's
figures quoted and the arithmetic shown; the flow decides when to ask for one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from qa.answering.candidates import Candidate, clause_before, quantities
from qa.data import load
from qa.numbers import POINTS, YEAR_DIGITS, Quantity, ascii_digits, compatible, convert
from qa.profile import five_year_span
from qa.errors import InputError

PERCENT = "%"
_BOUNDARY = "；;。！？!?"
_CLAUSE = "，,；;。！？!?："
CLAUSE_STOPS, GROUP_STOPS = _CLAUSE, _BOUNDARY
GAP = 16  # characters between the two figures of one change ("增加到2020年的"): one short phrase


@lru_cache(maxsize=1)
def cues() -> dict:
    data = load("qualifiers.json")["derived"]
    alt = lambda words: "|".join(sorted(words, key=len, reverse=True))  # noqa: E731
    return {
        "from": re.compile(f"(?:{alt(data['from'])})"),
        "between": re.compile(rf"^\s*(?:{alt(data['transition_verbs'])})了?\s*(?:{alt(data['to'])})?"),
        "to": tuple(data["to"]),
        "verbs": re.compile(f"(?:{alt(data['transition_verbs'])})了?"),
        "neutral": tuple(data["neutral_verbs"]),
        "decrease": re.compile(f"(?:{alt(data['decrease_verbs'])})"),
        "increment": re.compile(rf"(?:{alt(data['increment_lead'])})?(?:{alt(data['increment'])})了?\s*$"),
        "decrement": re.compile(rf"(?:{alt(data['increment_lead'])})?(?:{alt(data['decrement'])})了?\s*$"),
        "added_first": re.compile(rf"(?:{alt(data['increment'])})"),
        "total": re.compile(rf"(?:{alt(data['total'])})\s*$"),
        "plan_share": re.compile("|".join(f"(?:{p})" for p in data["plan_share"])),
        "respectively": re.compile(f"(?:{alt(data['respectively'])})"),
        "joins": re.compile(rf"^\s*(?:{alt(data['list_joins'])})?\s*$"),
        "note": data["derived_note"],
        "part_of": re.compile(rf"^[，,]?\s*(?:{alt(data['part_of'])})"),
        "plan_written": re.compile(f"(?:{alt(data['plan_written'])})\\s*$"),
    }


# --- exact arithmetic ------------------------------------------------------------------------------

def dec(value: float) -> Decimal:
    """A parsed figure as the decimal it was written as (18.6, not 18.600000000000001)."""
    return Decimal(repr(float(value)))


def places(d: Decimal) -> int:
    return max(0, -d.normalize().as_tuple().exponent)


def _out(d: Decimal, n: int) -> float:
    return float(round(d, n))


def minus(a: float, b: float) -> float:
    """a − b to the decimals its figures carry: 24.3 − 18.6 = 5.7."""
    x, y = dec(a), dec(b)
    return _out(x - y, max(places(x), places(y)))


def plus(a: float, b: float) -> float:
    x, y = dec(a), dec(b)
    return _out(x + y, max(places(x), places(y)))


def of_share(value: float, pct: float) -> float:
    """The whole a figure is `pct` percent of (a plan from its completion share): 5820 at 116.4% → 5000,
    46.5 at 120% → 38.75; rounded to the decimals of the figure and of the share as a fraction together."""
    x, share = dec(value), dec(pct) / 100
    return _out(x / share, places(x) + places(share))


def number(value: float) -> str:
    return format(dec(value).normalize(), "f")


# --- what a sentence fixes -------------------------------------------------------------------------

@dataclass(frozen=True)
class Transition:
    """"由A…(扩大|提高|下降|精简…)(到|为|至)B": two states of one indicator."""

    start: Quantity
    end: Quantity
    verb: str
    text: str

    @property
    def falls(self) -> bool:
        return bool(cues()["decrease"].search(self.verb)) or self.end.value < self.start.value

    @property
    def span(self) -> tuple[int, int]:
        """From the clause that names the indicator to the second state."""
        return clause_start(self.text, self.start.start), self.end.end

    @property
    def name(self) -> str:
        """The words before "由" in its clause: what changed (县城建成区面积); in a "分别" list, the subject in
        the start's place (城乡居民人均可支配收入分别由26010元、12753元…: 农村居民人均可支配收入 for 12753元)."""
        from qa.answering.respectively import list_subjects

        listed = list_subjects(self.text, self.start.start)
        if listed is not None:
            return listed[0][listed[1]]
        start = clause_start(self.text, self.start.start)
        found = list(cues()["from"].finditer(self.text, start, self.start.start))
        return self.text[start:found[-1].start()].strip() if found else ""

    @property
    def change(self) -> float:
        """end − start, exact to the figures' decimals (negative for a fall)."""
        return minus(self.end.value, self.start.value)

    def word(self) -> str:
        """The change in the report's own verb (扩大, 精简); 增加/减少 for a verb that does not say it (调整为)."""
        verb = self.verb.removesuffix("了")
        for to in cues()["to"]:
            verb = verb.removesuffix(to)
        if verb in cues()["neutral"] or self.verb in cues()["neutral"] or len(verb) < 2:
            return "减少" if self.change < 0 else "增加"
        return verb


def _like(a: Quantity, b: Quantity) -> bool:
    if a.unit == b.unit:
        return True
    try:
        return compatible(a.unit, b.unit)
    except InputError:
        return False


def clause_start(text: str, pos: int, stops: str = _CLAUSE) -> int:
    i = pos
    while i > 0 and text[i - 1] not in stops:
        i -= 1
    return i


def transitions(text: str) -> list[Transition]:
    """Every change between two states a sentence states; of two "分别" lists (分别由A、B增加到C、D), A to C and
    B to D, never B to C."""
    from qa.answering.respectively import respectively

    qs = [q for q in quantities(text) if not q.is_growth]
    out = []
    groups = respectively(text)
    listed = set()
    for first, second in zip(groups, groups[1:]):
        if first.subjects_start != second.subjects_start or len(first.figures) != len(second.figures):
            continue
        m = cues()["between"].match(text[first.figures[-1].end:second.figures[0].start])
        if m is None or any(q.is_growth for q in first.figures + second.figures):
            continue
        listed.add(first.figures[-1].start)
        out.extend(Transition(a, b, m.group(0).strip(), text) for a, b in zip(first.figures, second.figures)
                   if _like(a, b))
    for a, b in zip(qs, qs[1:]):
        if a.start in listed:
            continue
        between = text[a.end:b.start]
        if len(between) > GAP or any(ch in _CLAUSE for ch in between) or not _like(a, b):
            continue
        m = cues()["between"].match(between)
        lead = text[clause_start(text, a.start):a.start]
        if m is None or not m.group(0).strip().endswith(cues()["to"]) or not cues()["from"].search(lead):
            continue
        out.append(Transition(a, b, m.group(0).strip(), text))
    return out


def transition_of(c: Candidate) -> Transition | None:
    """The change between two states that this figure is one end of."""
    return next((t for t in transitions(c.text) if c.q.start in (t.start.start, t.end.start)), None)


def change_state(c: Candidate) -> str | None:
    """"start" or "end" when the figure is one state of a change its sentence states (由A…增加到B: A is the earlier
    year's, B the level reached), else None. The scorer's start_state/end_state features read the same from the
    words before the figure alone (a soft signal, fitted); the hard rules of scoring use this reading."""
    t = transition_of(c)
    if t is None:
        return None
    return "start" if t.start.start == c.q.start else "end"


def start_year(c: Candidate) -> int | None:
    """The year the start of a change is of (`change_state` "start"): the year its own clause names (由2015年的
    682.4亿元), else the year before the five-year plan its sentence or section reviews (“十三五”发展成就回顾: 由86家
    增加到258家, 86 is 2015's); None when neither says."""
    years = re.findall(YEAR_DIGITS, ascii_digits(clause_before(c.text, c.q)))
    if years:
        return int(years[-1])
    span = next((s for s in map(five_year_span, (c.text, *reversed(c.passage.section_path))) if s), None)
    return span[0] - 1 if span else None


@dataclass(frozen=True)
class Increment:
    """A level and what was added to it in the year ("达到612家，净增54家"): the level before is their difference."""

    level: Quantity
    added: Quantity
    sign: int  # +1 when added, −1 when taken away (净减)
    text: str

    @property
    def span(self) -> tuple[int, int]:
        first, last = sorted((self.level, self.added), key=lambda q: q.start)
        return clause_start(self.text, first.start), last.end


def _same_kind(level: Quantity, added: Quantity) -> bool:
    if level.unit == PERCENT:
        return added.unit == POINTS  # a rate's level moves in percentage points
    return not added.is_growth and _like(level, added)


def increments(text: str) -> list[Increment]:
    """Each level of a sentence with the increment stated beside it, in either order."""
    qs = quantities(text)
    out = []
    for n, (a, b) in enumerate(zip(qs, qs[1:])):
        between = text[a.end:b.start]
        if any(ch in _BOUNDARY for ch in between) or sum(ch in "，," for ch in between) > 1:
            continue
        c = cues()
        if not a.is_growth and _same_kind(a, b):  # 达到612家，净增54家 / 达到56.4%，提高1.3个百分点
            if c["increment"].search(between):
                out.append(Increment(a, b, 1, text))
                continue
            if c["decrement"].search(between):
                out.append(Increment(a, b, -1, text))
                continue
        lead = text[clause_start(text, a.start):a.start]
        if (not b.is_growth and not a.is_growth and _like(a, b) and c["added_first"].search(lead)
                and c["total"].search(between)):  # 新增118家，总数达到642家
            out.append(Increment(b, a, 1, text))
    return out


@dataclass(frozen=True)
class Remainder:
    """A whole and a part of it stated after it ("新增电力装机528万千瓦，其中新能源装机412万千瓦", "应清偿的39.2亿元中
    已清偿36.2亿元"): the rest is the difference."""

    whole: Quantity
    part: Quantity
    text: str

    @property
    def span(self) -> tuple[int, int]:
        return clause_start(self.text, self.whole.start, _BOUNDARY), self.part.end

    @property
    def rest(self) -> float:
        return minus(self.whole.value, convert(self.part.value, self.part.unit, self.whole.unit))


def remainders(text: str) -> list[Remainder]:
    """Each level of a sentence with a smaller like figure stated as its part (其中…, …中…, ；其中…); the whole's own
    rate or share may stand between ("一般公共预算收入182.6亿元，增长8.7%，其中税收收入139.5亿元")."""
    found = quantities(text)
    qs = [q for q in found if not q.is_growth]
    rates = [q for q in found if q.unit == PERCENT]
    out = []
    for n, whole in enumerate(qs):
        for part in qs[n + 1:]:
            between = _without_rates(text, whole.end, part.start, rates)
            if between[:1] in "；;" and cues()["part_of"].match(between[1:]):
                between = between[1:]  # 外贸进出口总额312.6亿元，增长18.7%；其中出口248.3亿元: a part after ；其中
            if any(ch in _BOUNDARY for ch in between):
                break
            if _names_a_class(text, part):  # 其中10亿元以上项目14个: a class of projects, no part of 628亿元
                continue
            if _part_follows(between) and _like(whole, part) and part.base_value < whole.base_value:
                out.append(Remainder(whole, part, text))
                break
    return out


def _part_follows(between: str) -> bool:
    """The words between a whole and a figure say the figure is its part: 其中…, or a count's own noun and 中
    (12个国控断面中水质优良断面10个)."""
    part_of = cues()["part_of"]
    if part_of.match(between):
        return True
    noun = _COUNTED_NOUN.match(between)
    return noun is not None and part_of.match(between[noun.end():]) is not None


_COUNTED_NOUN = re.compile(r"\s*[\u4e00-\u9fff]{1,8}?(?=其中|中)")


def _names_a_class(text: str, q: Quantity) -> bool:
    """A bound running on into the noun it bounds (10亿元以上项目, 5000万元以下企业) is no amount."""
    return bool(q.qualifiers) and q.end < len(text) and "\u4e00" <= text[q.end] <= "\u9fff"


def _without_rates(text: str, start: int, end: int, rates: list[Quantity]) -> str:
    """text[start:end] less each clause holding a rate (its growth or share: "，增长8.7%", "，占年度计划的108%")."""
    inside = [q for q in rates if start <= q.start and q.end <= end]
    if not inside:
        return text[start:end]
    out, at = [], start
    for q in inside:
        cut = clause_start(text, q.start)
        if cut - 1 >= at and text[cut - 1] in "，,":
            cut -= 1
        out.append(text[at:max(cut, at)])
        at = _clause_end(text, q.end, end)
    return "".join(out) + text[at:end]


def _clause_end(text: str, pos: int, limit: int) -> int:
    while pos < limit and text[pos] not in _CLAUSE:
        pos += 1
    return pos


def remainder_of(c: Candidate) -> Remainder | None:
    return next((r for r in remainders(c.text) if c.q.start in (r.whole.start, r.part.start)), None)


def increment_of(c: Candidate) -> Increment | None:
    return next((i for i in increments(c.text) if c.q.start in (i.level.start, i.added.start)), None)


def before(inc: Increment) -> float:
    """The level before the increment: 612 − 54; a rate's level less its points (56.4% − 1.3 = 55.1%)."""
    return minus(inc.level.value, inc.added.value) if inc.sign > 0 else plus(inc.level.value, inc.added.value)


@dataclass(frozen=True)
class Completion:
    """A figure and the share of its plan it completed ("5820个，完成年度计划的116.4%")."""

    figure: Quantity
    share: Quantity
    text: str
    start: int  # where the words of this completion begin: after the previous one, else at the ；or 。 before

    @property
    def span(self) -> tuple[int, int]:
        return self.start, self.share.end


def completions(text: str) -> list[Completion]:
    """Each figure with its completion share; "15个、21.5公里，分别完成年度计划的100%和107.5%" pairs in order."""
    qs = quantities(text)
    out = []
    done_at = 0  # "55个重点项目完成投资56亿元，占年度计划的108%，其中23个…46.5亿元，占年度计划的120%": two
    for m in cues()["plan_share"].finditer(text):
        shares = []
        for q in (q for q in qs if q.start >= m.end()):
            gap = text[(shares[-1].end if shares else m.end()):q.start]
            if q.unit != PERCENT or not cues()["joins"].match(gap):
                break
            shares.append(q)
        start = max(clause_start(text, m.start(), _BOUNDARY), done_at)
        figures = [q for q in qs if start <= q.start and q.end <= m.start() and q.unit != PERCENT and not q.is_growth]
        if shares:
            done_at = shares[-1].end
        if not shares or not figures:
            continue
        if len(shares) == 1:
            out.append(Completion(figures[-1], shares[0], text, start))
        elif len(shares) == len(figures):
            out += [Completion(f, s, text, start) for f, s in zip(figures, shares)]
    return out


def completion_of(c: Candidate) -> Completion | None:
    return next((x for x in completions(c.text) if c.q.start in (x.figure.start, x.share.start)), None)


def plain_topic(topic: str) -> str:
    """The indicator words of a change question without its change verb (县城建成区面积扩大 → 县城建成区面积)."""
    return " ".join(p for p in (cues()["verbs"].sub(" ", piece).strip() for piece in topic.split(" ")) if p)


# --- a structure written as a ratio ("三次产业结构由18.6:44.2:37.2调整为14.8:40.3:44.9") --------------

_RATIO = r"\d+(?:\.\d+)?(?:\s*[∶:]\s*\d+(?:\.\d+)?)+"


@lru_cache(maxsize=1)
def _ratio_change() -> re.Pattern:
    data = load("qualifiers.json")["derived"]
    alt = lambda words: "|".join(sorted(words, key=len, reverse=True))  # noqa: E731
    return re.compile(rf"(?:{alt(data['from'])})[^，,；;。]{{0,{GAP}}}?({_RATIO})\s*(?:{alt(data['transition_verbs'])})了?"
                      rf"\s*(?:{alt(data['to'])})?\s*({_RATIO})")


@lru_cache(maxsize=1)
def _structures() -> tuple[tuple[tuple[str, ...], tuple[tuple[str, ...], ...]], ...]:
    data = load("qualifiers.json")["derived"]
    return tuple((tuple(s["names"]), tuple(tuple(p) for p in s["parts"])) for s in data["ratio_structures"])


@dataclass(frozen=True)
class PartChange:
    """One part of a structure written as a ratio, before and after: its share moved by points."""

    part: str
    start: float
    end: float
    span: tuple[int, int]

    @property
    def change(self) -> float:
        return minus(self.end, self.start)


def _terms(ratio: str) -> list[float]:
    return [float(x) for x in re.split(r"\s*[∶:]\s*", ratio.strip())]


def part_change(topic: str, text: str) -> PartChange | None:
    """The change of the part the topic names (第二产业比重) in a sentence's structure ratio change."""
    for names, parts in _structures():
        index = next((i for i, words in enumerate(parts) if any(w in topic for w in words)), None)
        if index is None:
            continue
        for m in _ratio_change().finditer(text):
            start = clause_start(text, m.start())
            if not any(n in text[start:m.start()] for n in names):
                continue
            before, after = _terms(m.group(1)), _terms(m.group(2))
            if len(before) == len(after) == len(parts):
                word = next(w for w in parts[index] if w in topic)
                return PartChange(word, before[index], after[index], (start, m.end()))
    return None


def written_plan(c: Candidate) -> bool:
    """The figure is a plan the report writes itself ("年度计划投资1200亿元")."""
    return not c.q.is_growth and c.q.unit != PERCENT and bool(cues()["plan_written"].search(c.lead))
