"""Fact rows proposed from a report's text, good enough to answer from without hand review.

`propose_facts(doc)` gives one `Fact` per figure (`reviewed=False`):

- indicator: the noun phrase the figure measures, in the report's words: the clause before the
  number without list markers, verbs of completion (完成, 实现, 达到 …), the area word (全市 …)
  and explicit years; a generic word (总数, 占比, 比重 …) is completed by the thing it belongs
  to ("新增高新技术企业118家，总数达到642家" -> 高新技术企业总数); "A和B…分别…" lists are split
  onto their indicators (城镇居民人均可支配收入, 农村居民人均可支配收入).
- subject: the report's area word (from its profile, else the 全X word the report uses most).
- period and kind: the year of the part the figure stands in (review or plan year, from
  `doc.profile`, else the report's year), an explicit year next to it ("由2015年的…", "到2025年"),
  or a span: five-year figures (五年来, 累计, 年均, 十三五) get `span_start`/`span_label` and the
  span's last year as period. Results are actual or estimate (预计); figures of a plan part or a
  later year are target (a rate, a hedge such as 力争/以上/左右, a 目标 sentence) or plan.
- growth: "增长7.5%" after a level is the level's `growth_pct` and a growth row `<level>增速`;
  下降6.8% is −6.8, except for an indicator that is itself a reduction (单位GDP能耗下降3.2%
  keeps 3.2, named `…下降`; the words are data in `data/units.json`).

The word lists live in `data/facts.json`; nothing here names a place or a report.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from qa.data import alternation
from qa.facts.table import ALIASES, GROWTH_ALIASES, GROWTH_SUFFIX, QUALIFIER_SEP, auto_exclusion
from qa.models import Document, Fact
from qa.numbers import FALLING_WORDS, YEAR_DIGITS, Quantity, find_quantities, is_reduction_indicator, parse_cn_numeral

CHANGE_SUFFIX = "变动"  # a change in points: 比重变动 +2.3 个百分点, a fall negative
_WORDS = json.loads(resources.files("qa.data").joinpath("facts.json").read_text(encoding="utf-8"))
AREA_WORDS: tuple[str, ...] = tuple(_WORDS["area_words"])
GENERIC_NAMES = frozenset(_WORDS["generic_names"])
VERB_ENDS = tuple(_WORDS["verb_ends"])
BARE_VERBS = frozenset(_WORDS["bare_verbs"])
_LEADING = re.compile(rf"^(?:{alternation(_WORDS['leading'] + _WORDS['area_words'])})+")
_TRAILING = re.compile(rf"(?:{alternation(_WORDS['trailing'])})+$")
_MARKER = re.compile(_WORDS["list_markers"])
_SPAN_CUES = re.compile(alternation(_WORDS["span_cues"]))
_FORWARD_SPAN_CUES = re.compile(alternation(_WORDS["forward_span_cues"]))
_GROWTH_WORDS = ("同比增长", "增长", "增速", "增幅", "提高", "上涨", "涨幅", *FALLING_WORDS)
_GROWTH_SPLIT = re.compile(rf"(?:同比|比上年|较上年)?(?:{alternation(_GROWTH_WORDS)})")
# what may stand between a level and its rate: "按可比价格计算", "扣除留抵退税因素后同口径", "年均"
_RATE_MODIFIER = re.compile(r"^(?:按.{0,8}计算|扣除.{0,12}后|同口径|同比|比上年|较上年|年均|分别|"
                            r"两年平均|平均|[，,、和])*$")
_CLAUSE = re.compile(r"[，；：,;。！？]")
_QUOTES = "“”\"‘’'《》「」（）() 　·、"
_YEAR_BEFORE = re.compile(r"(" + YEAR_DIGITS + r"|[一二〇零][〇零一二三四五六七八九]{3})\s*年(?:底|末|初)?的?\s*$")
_TO_YEAR = re.compile(r"到(" + YEAR_DIGITS + r"|[一二][〇零一二三四五六七八九]{3})\s*年")
_YEAR_ANY = re.compile(YEAR_DIGITS + r"\s*年|[一二][〇零一二三四五六七八九]{3}年")
_FIVE_YEAR = re.compile(r"(十[一二三四五六七八九])五|第(十[一二三四五六七八九])个五年")
_REVIEW_HEAD = re.compile(r"回顾|过去一年|过去五年|总结")
_PLAN_HEAD = re.compile(r"安排|任务|目标|打算|展望|计划")
_TARGET_HEDGES = {"力争", "左右", "以上", "不少于", "不低于", "超过", "突破", "以内", "以下", "不超过"}
_TO_LEVEL = re.compile(r"^(?:增加|提高|提升|上升|增长|扩大|下降|降低|减少|缩小|压缩|缩短)(?:到|至)|^(?:增至|降至|升至|达到)")
_FROM = re.compile(r"(?:由|从)[^，；。]{0,20}$")
_FLOW_CUES = re.compile(r"累计|年均|共|总计|合计")
# a goal of a past year, stated as one ("规划确定的…年均增长9%等目标没有实现")
PAST_GOAL = re.compile(r"(?:规划|计划)(?:确定|提出|设定)的|目标任务是|预期目标")
_COMPARED = re.compile(r"\s*(?:低|高|差|少|多|快|慢)")  # "比年初预期目标低1.8个百分点": a gap to a goal, not the goal


def _past_goal(before: str) -> bool:
    """A past goal governs the figure: its words stand in the figure's part of the sentence (since the last ；),
    not as the yardstick of a comparison there ("增长6.2%，比年初预期目标低1.8个百分点，其中…下降3.2%")."""
    group = before[max(before.rfind(c) for c in "；;。") + 1:]
    return any(not _COMPARED.match(group, m.end()) for m in PAST_GOAL.finditer(group))


_COMPLETION = re.compile(r"(?:^|[，,])?(?:完成率|完成(?:年度)?(?:计划|目标)的?|占年度计划的?)(?:达到|为)?$")
_FORWARD_WORDS = re.compile(r"力争|确保|目标|计划|将|要|争取|今年|明年|预期")


def five_year_span(name: str) -> tuple[int, int] | None:
    """十三五 -> (2016, 2020): the N-th five-year plan starts in 1953 + 5(N-1) + 3 (N ≥ 3)."""
    n = parse_cn_numeral(name)
    if n < 3:
        return None
    start = 1953 + 5 * (n - 1) + 3
    return start, start + 4


def _year(text: str) -> int:
    return int(text) if text.isdigit() else parse_cn_numeral(text)


def report_years(doc: Document) -> tuple[int | None, int | None]:
    """(review year, plan year) of a report: its profile, else its year, else its headings."""
    review, plan = doc.profile.review_year, doc.profile.plan_year
    plan = plan or doc.meta.year
    if review is None or plan is None:
        for section in _all_sections(doc.sections):
            found = re.search(r"(" + YEAR_DIGITS + r")\s*年", section.title)
            if found and _REVIEW_HEAD.search(section.title) and review is None:
                review = int(found.group(1))
            elif found and _PLAN_HEAD.search(section.title) and plan is None:
                plan = int(found.group(1))
    if review is None and plan is not None:
        review = plan - 1
    if plan is None and review is not None:
        plan = review + 1
    return review, plan


def _all_sections(sections):
    for s in sections:
        yield s
        yield from _all_sections(s.children)


def area_word(doc: Document) -> str | None:
    """The word for the report's whole area: its profile's, else the 全X word it uses most."""
    if doc.profile.area_word:
        return doc.profile.area_word
    counts = Counter(m.group(0) for m in re.finditer(alternation(AREA_WORDS), doc.text))
    return counts.most_common(1)[0][0] if counts else None


@dataclass
class _Part:
    """What the text from `start` on speaks of: the review or the plan, or neither (None)."""

    start: int
    forward: bool | None
    span: tuple[int, int, str] | None = None


def _parts(doc: Document, review: int | None, plan: int | None) -> list[_Part]:
    """Part boundaries read from heading-like lines of the cleaned text (short, no full stop)."""
    parts = [_Part(0, None)]
    offset = 0
    for line in doc.text.split("\n"):
        head = line.strip()
        if 0 < len(head) <= 40 and not head.endswith(("。", "；", "：")) and "。" not in head \
                and not re.search(r"\d+\s*年\s*\d+\s*月", head):  # a date line is no part
            forward = None
            years = [int(y) for y in re.findall(r"(" + YEAR_DIGITS + r")\s*年", head)]
            fy = _FIVE_YEAR.search(head)
            if _REVIEW_HEAD.search(head):
                forward = False
            elif _PLAN_HEAD.search(head) or (years and plan and max(years) >= plan):
                forward = True
            if forward is not None:
                span = None
                if fy and not years:
                    start_end = five_year_span(fy.group(1) or fy.group(2))
                    if start_end:
                        span = (*start_end, f"“{fy.group(1) or fy.group(2)}五”时期")
                parts.append(_Part(offset, forward, span))
            elif re.match(r"^(?:[一二三四五六七八九十]+、|第[一二三四五六七八九十]+部分)", head):
                parts.append(_Part(offset, None))  # another part (政府自身建设): neither
        offset += len(line) + 1
    return parts


def _part_at(parts: list[_Part], pos: int) -> _Part:
    found = parts[0]
    for part in parts:
        if part.start <= pos:
            found = part
    return found


def _paragraph(text: str, pos: int) -> str:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return text[start:end if end >= 0 else len(text)]


@lru_cache(maxsize=4096)
def clean_name(raw: str) -> str:
    """The indicator words of a clause: no list marker, verbs of completion, area word or year."""
    name = raw.strip(_QUOTES)
    for _ in range(4):
        before = name
        name = _MARKER.sub("", name).strip(_QUOTES)
        if "等" in name[:-1]:  # "碧桂园·天玺、天安名郡等17个续建项目": the names are examples
            name = name.rsplit("等", 1)[1]
        name = re.sub(r"^(?:到|在|由|从)?(?:" + YEAR_DIGITS + r"|[一二][〇零一二三四五六七八九]{3})\s*年(?:底|末|初)?的?", "", name)
        name = re.sub(r"(?:到|在|由|从)?(?:" + YEAR_DIGITS + r"|[一二][〇零一二三四五六七八九]{3})\s*年(?:底|末|初)?的?$", "", name)
        name = re.sub(r"(?:由|从)(?:上年|去年|上一年|年初)(?:底|末)?的?$", "", name)
        if name.endswith("等"):  # "大营区域、叶庄区域等5宗土地": the thing counted follows
            return ""
        stripped = _LEADING.sub("", name).strip(_QUOTES)
        name = stripped if len(stripped) != 1 or len(name) < 2 else name  # 完成率 stays, 全年 goes
        name = _TRAILING.sub("", name).strip(_QUOTES)
        if name == before:
            break
    return name


def _balanced(name: str) -> str:
    """A name cut inside a quotation gets its closing mark: 企业挂牌“新三板 -> 企业挂牌“新三板”."""
    return name + "”" if name.count("“") > name.count("”") else name


def _split_names(name: str, count: int) -> list[str] | None:
    """"城镇居民和农村居民人均可支配收入", 2 -> the two indicators; None when it does not split."""
    parts = [p for p in re.split(r"和|、|及|与", name) if p]
    if len(parts) != count or count < 2:
        return None
    last = parts[-1]
    head = len(parts[0])
    if len(last) <= head:  # "出口和进口": whole names already
        return parts
    tail = last[head:]
    return [p + tail for p in parts[:-1]] + [last]


def _group_after(quantities: list[Quantity], i: int, text: str) -> int:
    """How many figures form a list starting at quantity i ("72480元和41360元" -> 2)."""
    n = 1
    while i + n < len(quantities) and re.fullmatch(r"[ 　]*(?:和|、|及|与)[ 　]*",
                                                   text[quantities[i + n - 1].end:quantities[i + n].start]):
        n += 1
    return n


class _Sentence:
    """Rows of one sentence; keeps what naming needs (the last level, a 分别 list)."""

    def __init__(self, ctx: dict, passage, text: str, offset: int, period: int | None = None):
        self.ctx, self.passage, self.text, self.offset = ctx, passage, text, offset
        self.period = period  # the year the sentence says it is of (a table's row), over its passage's
        self.rows: list[Fact] = []
        self.levels: list[int] = []  # indexes of level rows, in order

    def extract(self) -> list[Fact]:
        text = self.text
        quantities = [q for q in find_quantities(text) if not auto_exclusion(text, q.start, q.end, q.value)]
        previous_end = 0
        group: list[str] | None = None
        group_index = 0
        i = 0
        while i < len(quantities):
            q = quantities[i]
            c_start = max((m.end() for m in _CLAUSE.finditer(text, 0, q.start)), default=0)
            after_figure = previous_end > c_start
            c_start = max(c_start, previous_end)
            before = text[c_start:q.start]
            if after_figure and "、" in before.strip("、 　"):
                # "为1万名困难群众购买意外伤害保险、新建城市书房12家": the last item names the figure
                before = before.rsplit("、", 1)[1]
            joined = re.fullmatch(r"[ 　]*(?:和|、|及|与)[ 　]*", before) is not None and i > 0
            if joined and group is not None:
                group_index += 1
                names = group
            else:
                group, group_index = None, 0
                names = None
            previous_end = q.end
            if q.is_growth:
                self._growth(q, before, quantities, i, names, group_index)
                if names is None and "分别" in before:
                    group, group_index = self._last_group, 0
            else:
                if names is None and "分别" in before:
                    count = _group_after(quantities, i, text)
                    group = _split_names(clean_name(before.split("分别")[0]), count)
                    rest = before.split("分别", 1)[1]
                    if group is None and _COMPLETION.search(rest) and 1 < count <= len(self.levels):
                        # "口袋公园15个、城市绿道21.5公里，分别完成年度计划的100%和107.5%"
                        group = [self.rows[k].indicator + "完成率" for k in self.levels[-count:]]
                    names = group
                name = names[group_index] if names and group_index < len(names) else None
                if name is None and joined and self.rows:
                    name = self.rows[-1].indicator  # "152处、356万吨": one thing in two units
                self._level(q, before, name, c_start)
            i += 1
        return self.rows

    _last_group: list[str] | None = None  # names of the 分别 list being read
    _group_levels: list[int] | None = None  # the level rows a 分别 list of rates belongs to

    # --- naming --------------------------------------------------------------------------
    def _name(self, before: str, q: Quantity) -> str:
        if _COMPLETION.search(before.strip(_QUOTES)) and self.levels and q.unit == "%":
            # "改造老旧小区42个，惠及居民1.36万户，完成率100%": the item's first figure was planned
            return self.rows[self.levels[0]].indicator + "完成率"
        name = clean_name(before)
        if name.startswith("占") and not self.levels and self.rows:  # "投资增长9.6%，占…的比重"
            return self.rows[-1].indicator.removesuffix(GROWTH_SUFFIX) + name
        end = re.search(r"[，；。、,;\d]", self.text[q.end:])
        after = clean_name(self.text[q.end:q.end + end.start()] if end else self.text[q.end:])
        if (name in BARE_VERBS or name.endswith(VERB_ENDS) or len(name) <= 2) and len(after) >= 2:
            return name + after  # "建成4个标准化街道文化中心", "扶持1.3万人自主创业": the object follows
        raw = before.strip(_QUOTES)
        if not name and raw.endswith("等") and not after and len(raw) > 3:
            # "拆除大型立柱式广告、楼顶和墙体广告等3099块": the examples are the name
            return clean_name(raw[:-1]) + "等"
        prefixed = q.raw[:1] and not q.raw[:1].isdigit() and q.raw[:1] not in "一二两三四五六七八九十百千零〇"
        if self.rows and (not name or (_TO_LEVEL.match(raw) and (name in BARE_VERBS or len(name) < 2))) \
                and (raw or prefixed or not after):
            # "由168.2亿元增加到2020年的236.8亿元", "年均增长6.5%，达到20亿元": the thing just named
            return self.rows[-1].indicator.removesuffix(GROWTH_SUFFIX)
        if name.startswith("占") and self.levels:  # "占地区生产总值的比重": the share of the last level
            name = self.rows[self.levels[-1]].indicator + name
        elif (name in GENERIC_NAMES or len(name) < 2) and self.levels:
            owner = re.sub(r"^新增|^新建|^新引进|^引进", "", self.rows[self.levels[-1]].indicator)
            name = owner + name if name not in owner else owner
        if len(name) < 2:  # nothing before: the words after it ("11842户…全部稳定脱贫")
            end = _CLAUSE.search(self.text, q.end)
            after = self.text[q.end:end.start() if end else len(self.text)]
            after = re.split(r"\d", after)[0]
            name = clean_name(after) or name
        return name

    def _level(self, q: Quantity, before: str, name: str | None, c_start: int) -> None:
        name = name or self._name(before, q)
        self.levels.append(len(self.rows))
        self.rows.append(self._row(q, name, q.value, growth=False))

    def _growth(self, q: Quantity, before: str, quantities, i, names, group_index) -> None:
        joined = re.fullmatch(r"[ 　]*(?:和|、|及|与)[ 　]*", before) is not None
        if names is None and joined and self.rows and self.rows[-1].indicator.endswith(GROWTH_SUFFIX) \
                and self.rows[-1].growth_pct is None:
            # "城乡居民…分别增长7%和8%": a list that cannot be split keeps the one name
            last = self.rows[-1]
            self.rows.append(self._row(q, last.indicator.removesuffix(GROWTH_SUFFIX), -q.value if q.falls else q.value,
                                       growth=True, like=last))
            return
        head = _GROWTH_SPLIT.split(before)[0] if not names else ""
        modifier_only = bool(_RATE_MODIFIER.match(head.strip(_QUOTES)) or _RATE_MODIFIER.match(clean_name(head)))
        value = -q.value if q.falls else q.value
        if names is None and "分别" in before and modifier_only:
            count = _group_after(quantities, i, self.text)
            if len(self.levels) >= count:  # "312万人次…21.7亿元，分别下降28.4%和31.2%"
                self._group_levels = self.levels[-count:]
                self._last_group = [self.rows[k].indicator for k in self._group_levels]
                self._attach(self._group_levels[0], q, value)
                return
        if names is not None and names is self._last_group and self._group_levels:
            if group_index < len(self._group_levels):
                self._attach(self._group_levels[group_index], q, value)
                return
        if names is None and modifier_only and self.levels:
            self._attach(self.levels[-1], q, value)
            return
        if names is not None:
            name = names[group_index] if group_index < len(names) else names[-1]
        elif "分别" in before:
            count = _group_after(quantities, i, self.text)
            split = _split_names(clean_name(head.split("分别")[0]), count)
            self._last_group, self._group_levels = None, None
            if split:
                self._last_group = split
                name = split[0]
            else:
                name = self._name(head, q)
        else:
            name = self._name(head, q)
        if q.falls and is_reduction_indicator(name):
            fell = next((w for w in FALLING_WORDS if w in before), FALLING_WORDS[0])
            self.rows.append(self._row(q, name + fell, q.value, growth=False))
            return
        if q.unit != "%":  # "比重提高7.7个百分点": a change in points, not a growth rate
            self.rows.append(self._row(q, name + CHANGE_SUFFIX, value, growth=False))
            return
        self.rows.append(self._row(q, name, value, growth=True))

    def _attach(self, level_index: int, q: Quantity, value: float) -> None:
        level = self.rows[level_index]
        if q.unit != "%":  # "比重38.5%，提高2.3个百分点": a change in points (signed), no growth rate
            self.rows.append(self._row(q, level.indicator + CHANGE_SUFFIX, value, growth=False, like=level))
            return
        own = self._when(q)
        if own[1] is not None and level.span_start is None:  # "…236.8亿元，年均增长6.5%": a rate over the span
            self.rows.append(self._row(q, level.indicator, value, growth=True))
            return
        if level.growth_pct is None:
            self.rows[level_index] = level.model_copy(update={"growth_pct": value})
        self.rows.append(self._row(q, level.indicator, value, growth=True, like=level))

    # --- period, kind, row ---------------------------------------------------------------
    def _when(self, q: Quantity) -> tuple[int, int | None, str | None, bool]:
        """(period, span_start, span_label, forward) of the figure at q."""
        ctx = self.ctx
        review, plan = ctx["review"], ctx["plan"]
        if self.period is not None:  # 2021年完成：… in a table under the 2022 plan
            return self.period, None, None, bool(plan and self.period >= plan)
        pos = self.offset + q.start
        part = _part_at(ctx["parts"], pos)
        period = self.passage.period
        forward = None if period is None else (period >= plan if plan else None)
        if part.forward is not None and (period is None or part.start > self.passage.start):
            forward = part.forward
        head = self.text[:q.start]
        clause = head[max((m.end() for m in _CLAUSE.finditer(head)), default=0):]
        if forward is None:  # no part says: the sentence's words do
            forward = bool(_FORWARD_WORDS.search(self.text[:q.end]))
        period = (plan if forward else review) if (plan and review) else period
        span_start = span_label = None
        paragraph = _paragraph(ctx["text"], pos)
        fy = (_FIVE_YEAR.search(self.text) or _FIVE_YEAR.search(paragraph[:30])
              or next((m for h in self.passage.section_path if (m := _FIVE_YEAR.search(h))), None))
        if forward and part.span:
            span_start, period, span_label = part.span
        year_before = _YEAR_BEFORE.search(head[-12:]) or _YEAR_BEFORE.search(clause)
        to_year = None
        for m in _TO_YEAR.finditer(head):
            to_year = _year(m.group(1))
        if year_before and not clause.strip().startswith(("比", "较")):
            year = _year(year_before.group(1))
            if forward and part.span and part.span[1] == year:
                return year, part.span[0], part.span[2], True
            return year, None, None, bool(plan and year >= plan)
        if to_year and (plan is None or to_year > plan):
            if part.span and part.span[1] == to_year and forward:
                return to_year, part.span[0], part.span[2], True
            if fy:
                start_end = five_year_span(fy.group(1) or fy.group(2))
                if start_end and start_end[1] == to_year:
                    return to_year, start_end[0], f"“{fy.group(1) or fy.group(2)}五”时期", True
            return to_year, None, None, True
        after = self.text[q.end:q.end + 12]
        from_to = bool(_FROM.search(clause)) and bool(re.search(r"(?:增加|提高|提升|上升|下降|降低|减少|缩小)(?:到|至)|增至|降至", after))
        to_level = bool(re.search(r"(?:到|至|达到)\s*$", clause))
        spanned = _SPAN_CUES.search(clause) or (forward and _FORWARD_SPAN_CUES.search(paragraph)) or (
            _SPAN_CUES.search(paragraph[:8]) and (q.is_growth or _FLOW_CUES.search(clause)
                                                   or not (from_to or to_level)))
        if from_to and re.search(r"(?:由|从)(?:上年|去年|上一年)", clause) and period is not None:
            return period - 1, None, None, False  # "贫困发生率由上年的2.35%下降到0.96%"
        if from_to and not forward and (_SPAN_CUES.search(paragraph[:8]) or fy):
            # "由11.35亿元增加到14.62亿元" over five years: the first is the year before the span
            first = five_year_span(fy.group(1) or fy.group(2)) if fy else None
            return (first[0] - 1 if first else period - 5), None, None, False
        if spanned and span_start is None and period is not None:
            if forward:
                label = f"“{fy.group(1) or fy.group(2)}五”时期" if fy else "今后五年"
                span_start, period = plan, plan + 4
            else:
                label = f"“{fy.group(1) or fy.group(2)}五”时期" if fy else "过去五年"
                span_start = period - 4
            if fy:
                start_end = five_year_span(fy.group(1) or fy.group(2))
                if start_end and (forward or start_end[1] == period):
                    span_start, period = start_end
            span_label = label
        return period, span_start, span_label, bool(forward)

    def _row(self, q: Quantity, name: str, value: float, *, growth: bool, like: Fact | None = None) -> Fact:
        ctx = self.ctx
        if like is not None:
            period, span_start, span_label = like.period, like.span_start, like.span_label
            forward = like.kind in ("target", "plan")
        else:
            period, span_start, span_label, forward = self._when(q)
        hedges = list(q.hedges)
        if not forward and _past_goal(self.text[:q.start]):
            kind = "target"  # "规划确定的…年均增长9%等目标没有实现": a past goal, never a result
        elif forward:
            kind = "target" if (growth or q.is_range or set(hedges) & _TARGET_HEDGES
                                or "目标" in self.text or span_start is not None) else "plan"
        else:
            kind = "estimate" if "预计" in hedges else "actual"
        unit = q.unit
        base_value = q.base_value * (value / q.value) if q.value else q.base_value
        aliases = _aliases(name, growth)
        return Fact(
            id="", doc_id=ctx["doc_id"], indicator=_balanced(name) + (GROWTH_SUFFIX if growth else ""),
            aliases=aliases, subject=ctx["subject"], period=period or 0, span_start=span_start,
            span_label=span_label, kind=kind, value=value, unit=unit, base_value=base_value,
            qualifier=QUALIFIER_SEP.join(hedges) or None,
            section_path=self.passage.section_path, source=self.text, reviewed=False,
            high=q.high,
        )


def _aliases(indicator: str, growth: bool) -> tuple[str, ...]:
    if not growth:
        return ALIASES.get(indicator, ())
    names = (indicator,) + ALIASES.get(indicator, ())
    return (tuple(n + GROWTH_SUFFIX for n in names[1:]) + tuple(n + "增长" for n in names)
            + GROWTH_ALIASES.get(indicator, ()))


def propose_facts(doc: Document) -> list[Fact]:
    """Rows for every figure of a report, `reviewed=False` (see the module docstring).

    Exact repeats within one sentence are kept once; a figure restated in another sentence keeps
    both rows (each sentence can be cited).
    """
    review, plan = report_years(doc)
    ctx = {"doc_id": doc.doc_id, "review": review, "plan": plan, "subject": area_word(doc),
           "parts": _parts(doc, review, plan), "text": doc.text}
    rows: list[Fact] = []
    seen: set[tuple] = set()
    for passage in doc.passages:
        for sentence in passage.sentences:
            for row in _Sentence(ctx, passage, sentence.text, sentence.start, sentence.period).extract():
                if not row.period:
                    continue
                key = (row.indicator, row.subject, row.period, row.kind, row.value, row.unit, row.span_start,
                       row.source)
                if key in seen:
                    continue
                seen.add(key)
                rows.append(row.model_copy(update={"id": f"{doc.doc_id}:{len(rows) + 1:03d}"}))
    return rows
