"""Numbers in Chinese report text: numerals, units, scales, ranges and qualifiers.

Plain functions:

- `parse_cn_numeral("三十五") -> 35`, `parse_number("1,234.5") -> 1234.5`
- `find_quantities(text) -> list[Quantity]`: every number followed by a known unit, with its
  span in `text`, its value in the unit as written (2118 万元) and in the base unit
  (21 180 000 元), its qualifiers (预计, 左右, 以上, 力争 …), and whether it is a range.
- `parse_quantity(text) -> Quantity | None`: the first quantity of a phrase.
- `convert(value, from_unit, to_unit)`: 2118 万元 -> 0.2118 亿元; refuses 元 -> 美元 with UnitError.
- `format_quantity(value, unit)`: the inverse of parsing, without exponents.

Chinese numerals are read by hand-written code, kept after measuring `cn2an` 0.5.24 against it
(20 whole numerals as reports write them, 三千二百 … 一亿二千万 … 二〇三五): both 20/20, ours
4 µs a numeral against 67 µs, and ours reads numerals inside running text with their span and
unit, where cn2an.transform rewrites "五一路" to "51路" and "三十五证合一" to "35证合1".

Counts of different things are different base units on purpose (人, 家, 个 …): converting
"12 个" to "人" is an error, not a number.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources

from qa.errors import InputError


class UnitError(InputError):
    """A unit that is unknown or cannot be converted to the one asked for."""


# unit -> (base unit, factor to the base unit), read from data/units.json. Money in 元 and 美元
# never mix; each count word (人, 家 …) is its own base.
_DATA = json.loads(resources.files("qa.data").joinpath("units.json").read_text(encoding="utf-8"))
PERCENT = "%"
POINTS = "个百分点"
UNITS: dict[str, tuple[str, Decimal]] = {}
for _group in _DATA["groups"]:
    UNITS.update({u: (_group["base"], Decimal(repr(f))) for u, f in _group["units"].items()})
COUNT_UNITS = tuple(_DATA["counts"])
for _u in COUNT_UNITS:
    _base = _DATA["same_counts"].get(_u, _u)  # 名 counts people as 人 does
    UNITS[_u] = (_base, Decimal(1))
    for _scale, _factor in _DATA["count_scales"].items():
        UNITS.setdefault(_scale + _u, (_base, Decimal(repr(_factor))))
PEOPLE = frozenset(_DATA["people"])
HOUSEHOLDS = frozenset(_DATA["households"])
NEAR_KINDS = tuple(frozenset(group) for group in _DATA["near_kinds"])
KIND_NOUNS: dict[str, frozenset[str]] = {noun: frozenset(bases) for noun, bases in _DATA["kind_nouns"].items()}
SHAPES = {word: frozenset(group) for group in _DATA["shapes"] for word in group}
PER_PERIOD: dict[str, int] = dict(_DATA["per_period"])
_PER_PERIOD_WORDS = "每(?:人|户|位)?每?(" + "|".join(sorted(PER_PERIOD, key=len, reverse=True)) + ")"
_PER_PERIOD = re.compile(_PER_PERIOD_WORDS + r"\s*$")
_PER_PERIOD_ANYWHERE = re.compile(_PER_PERIOD_WORDS)


def per_period(lead: str) -> str | None:
    """The period a figure is stated per, from the words right before it ("每人每月" → 月), else None."""
    found = _PER_PERIOD.search(lead)
    return found.group(1) if found else None


def period_said(text: str) -> str | None:
    """The period a text says figures are per, anywhere in it ("城市低保每月比农村低保每月高多少" → 月), else None."""
    found = _PER_PERIOD_ANYWHERE.search(text)
    return found.group(1) if found else None


def without_per_period(name: str) -> str:
    """A name without the per-period words that end it and the verb before them (低保标准达到每人每月 → 低保标准)."""
    found = _PER_PERIOD.search(name)
    return re.sub(r"(?:达到|提高到|提高至|调整为|为|是)$", "", name[:found.start()]) if found else name
GENERIC_COUNT = "个"
MONEY_BASES = frozenset(_DATA["money"])


# a year of the reports' era in ASCII or full-width digits (2021, ２０２１): Python's \d matches both
YEAR_DIGITS = r"(?:19|20|１９|２０)\d{2}"

_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def ascii_digits(text: str) -> str:
    """Full-width digits as ASCII, nothing else changed (the same length: offsets still hold)."""
    return text.translate(_FULL_WIDTH_DIGITS)


def counts_alike(asked: str, unit: str) -> bool:
    """Whether a figure counted in `unit` answers a question asking 多少`asked` (a count word): any count
    word stands for another (多少个 for 家), except that people are counted only in people (多少人 is not
    answered by 户), households only in households (多少户 is not answered by 个) and a word of a kind of thing only in
    its own kind or the generic 个 (多少条 is not answered by 座: units.json "shapes")."""
    base = UNITS.get(unit, (unit,))[0]
    if base not in COUNT_UNITS and unit != asked:
        return False
    shape = SHAPES.get(asked)
    if shape is not None and base not in shape and base != GENERIC_COUNT:
        return False  # 多少条农村公路 is not answered by 8260座
    if asked in HOUSEHOLDS:
        return base in HOUSEHOLDS or unit == asked  # 多少户 is not answered by 23个
    return asked not in PEOPLE or base in PEOPLE or unit == asked


# a measure word followed by these is no unit: 三次产业
NOT_UNITS: dict[str, tuple[str, ...]] = {u: tuple(v) for u, v in _DATA["not_units"].items()}
# words stating a fall (下降6.8% is growth -6.8) and words of indicators that are themselves
# reductions (单位GDP能耗下降3.2% keeps 3.2)
FALLING_WORDS = tuple(_DATA["falling"])
REDUCTION_WORDS = tuple(_DATA["reductions"])

_UNITS_LONGEST_FIRST = sorted(UNITS, key=len, reverse=True)

# Qualifiers. Scoped ones govern every number after them up to the sentence end
# ("预计全年完成地区生产总值111亿元，…；地方公共财政预算收入5.6亿元"); local ones bind to one number.
SCOPED_QUALIFIERS = ("预计", "力争")
# 力争 strives for the item it opens: a list of targets ends its item at a semicolon ("进出口力争恢复正增长；…人口自然
# 增长率控制在6‰以内": no 力争 of the 6‰); 预计 estimates the whole review sentence
_SCOPE_ENDS = {"力争": "；;"}
PREFIX_QUALIFIERS = ("不少于", "不低于", "不超过", "超过", "达到", "突破", "约", "近", "逾")
INFIX_QUALIFIERS = ("余", "多")  # between number and unit: 300余场
SUFFIX_QUALIFIERS = ("左右", "以上", "以下", "以内", "上下")
# 达到 states a level without hedging it; every other qualifier changes what the number claims
NEUTRAL_QUALIFIERS = frozenset({"达到"})
GROWTH_WORDS = ("同比增长", "增长", "增速", "增幅", "提高", "上涨", "涨幅", "下降", "减少", "降低", "回落")

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}
_CN_SMALL = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10**4, "亿": 10**8}
_CN_CHARS = "".join(_CN_DIGITS) + "".join(_CN_SMALL) + "".join(_CN_BIG)
_CN_START = "".join(d for d in _CN_DIGITS if d not in "零") + "十"

# Full-width digits and point read as ASCII; one char for one char, so spans stay valid.
_FULLWIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.")
_ARABIC = re.compile(r"\d+(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
_RANGE_SEP = re.compile(r"[ \u3000]*(?:-|－|~|～|—|–|至|到)[ \u3000]*")
_SPACES = re.compile(r"[ \u3000]*")  # PDF text puts spaces around figures: "2468.3 亿元", "增长 7.4%"
_SENTENCE_END = "。！？!?\n"
_TO_LEVEL = ("到", "至", "为")
_LIST_JOIN = re.compile(r"[ \u3000]*(?:和|、|及|与|,|，)[ \u3000]*")
_RATIO = re.compile(r"[ \u3000]*[∶:][ \u3000]*\d")
_RATIO_RUN = re.compile(r"\d+(?:\.\d+)?(?:[ \u3000]*[∶:][ \u3000]*\d+(?:\.\d+)?)+")


@dataclass(frozen=True)
class Quantity:
    """A number with its unit as found in a text; `start`/`end` index that text."""

    value: float
    unit: str
    base_value: float
    base_unit: str
    qualifiers: tuple[str, ...]
    start: int
    end: int
    raw: str
    is_range: bool = False
    low: float | None = None
    high: float | None = None
    is_growth: bool = False  # stated as a change (增长7.5%), not a level
    falls: bool = False  # a change stated as a fall (下降6.8%); `value` stays as written (6.8)

    @property
    def hedges(self) -> tuple[str, ...]:
        """The qualifiers that change what the number claims (all but 达到)."""
        return tuple(q for q in self.qualifiers if q not in NEUTRAL_QUALIFIERS)


def parse_number(text: str) -> float:
    """An Arabic number with optional thousands separators: "1,234.5" -> 1234.5."""
    return float(text.translate(_FULLWIDTH).replace(",", ""))


def _cn_digitwise(text: str, i: int) -> tuple[int, int] | None:
    """'二〇一八' style (digit by digit, needs a 〇/零 to be unambiguous) -> (value, end)."""
    j = i
    while j < len(text) and text[j] in _CN_DIGITS and text[j] != "两":
        j += 1
    run = text[i:j]
    if len(run) >= 2 and any(c in "〇零" for c in run):
        return int("".join(str(_CN_DIGITS[c]) for c in run)), j
    return None


def _cn_prefix(text: str, i: int) -> tuple[int, int] | None:
    """The longest well-formed Chinese numeral starting at `i` -> (value, end), or None.

    Stops where the numeral would become ill-formed, so "五一路" reads 五 and stops.
    """
    if i >= len(text) or text[i] not in _CN_START:
        return None
    digitwise = _cn_digitwise(text, i)
    if digitwise:
        return digitwise
    total = section = 0
    number: int | None = None
    best: tuple[int, int] | None = None
    j = i
    while j < len(text):
        c = text[j]
        if c in _CN_DIGITS:
            if number is not None and number != 0:
                break  # two digits in a row: not one numeral
            number = _CN_DIGITS[c]
        elif c in _CN_SMALL:
            if number is None:
                if c != "十" or j != i:
                    break
                number = 1  # 十二 = 12
            section += number * _CN_SMALL[c]
            number = None
        elif c in _CN_BIG:
            if number is None and section == 0 and (c == "万" or total == 0):
                break
            if c == "亿":  # 一万亿: everything so far times 10^8
                total = (total + section + (number or 0)) * _CN_BIG[c]
            else:  # 一亿二千万: only the part since 亿 times 10^4
                total += (section + (number or 0)) * _CN_BIG[c]
            section, number = 0, None
        else:
            break
        j += 1
        best = (total + section + (number or 0), j)
    return best


def parse_cn_numeral(text: str) -> int:
    """A whole Chinese numeral: "三十五" -> 35, "一万" -> 10000, "两" -> 2, "二〇一八" -> 2018."""
    text = text.strip()
    found = _cn_prefix(text, 0)
    if found is None or found[1] != len(text):
        raise UnitError(f"not a Chinese numeral: {text!r}")
    return found[0]


def to_base(value: float, unit: str) -> tuple[float, str]:
    """(value in the base unit, base unit): 2118 万元 -> (21180000.0, "元")."""
    if unit not in UNITS:
        raise UnitError(f"unknown unit {unit!r}")
    base, factor = UNITS[unit]
    return float(Decimal(repr(value)) * factor), base


def convert(value: float, from_unit: str, to_unit: str) -> float:
    """`value` in `from_unit` expressed in `to_unit`; UnitError if they measure different things."""
    for unit in (from_unit, to_unit):
        if unit not in UNITS:
            raise UnitError(f"unknown unit {unit!r}")
    (b1, f1), (b2, f2) = UNITS[from_unit], UNITS[to_unit]
    if b1 != b2:
        raise UnitError(f"cannot convert {from_unit} to {to_unit}: "
                        f"{b1 or 'a bare number'} and {b2 or 'a bare number'} measure different things")
    return float(Decimal(repr(value)) * f1 / f2)


def compatible(unit_a: str, unit_b: str) -> bool:
    """Both units are known and measure the same thing (万元 and 亿元 yes, 元 and 美元 no)."""
    return unit_a in UNITS and unit_b in UNITS and UNITS[unit_a][0] == UNITS[unit_b][0]


def other_kinds(unit_a: str, unit_b: str) -> bool:
    """Both units are known and measure different kinds of thing (亩 and 棵, 平方米 and 公里, 吨 and 立方米);
    two count words (家 and 个, 张 and 床) and near kinds (天 and 个工作日: units.json "near_kinds") are not: which
    answers which is weighed elsewhere."""
    if unit_a not in UNITS or unit_b not in UNITS:
        return False
    a, b = UNITS[unit_a][0], UNITS[unit_b][0]
    if a == b or not a or not b:  # a bare scale word (多少万) is no kind
        return False
    return not (a in COUNT_UNITS and b in COUNT_UNITS) and not any({a, b} <= near for near in NEAR_KINDS)


def kind_noun(name: str) -> str | None:
    """The noun of an amount a name ends with (地区生产总值: 总值), units.json "kind_nouns"; None without one."""
    return next((n for n in KIND_NOUNS if name.replace(" ", "").endswith(n)), None)


def kind_named(name: str, unit: str) -> bool:
    """The unit may measure what the name's last noun names: 征迁面积 in 万平方米 or 亩 yes, in 个 no; a name
    without such a noun, or a unit not in units.json, may be anything."""
    noun = kind_noun(name)
    return noun is None or unit not in UNITS or UNITS[unit][0] in KIND_NOUNS[noun]


def base_unit(unit: str) -> str:
    if unit not in UNITS:
        raise UnitError(f"unknown unit {unit!r}")
    return UNITS[unit][0]


def format_number(value: float) -> str:
    """A number as a report writes it: no exponent, no trailing zeros (7.5, 2118, 0.2118)."""
    text = format(Decimal(repr(float(value))), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def format_quantity(value: float, unit: str) -> str:
    return f"{format_number(value)}{unit}"


def _number_at(text: str, i: int) -> tuple[float, int, bool] | None:
    """A number starting exactly at `i` -> (value, end, is_chinese)."""
    if text.startswith("百分之", i):
        inner = _number_at(text, i + 3)
        if inner is None:
            if text.startswith("百", i + 3):  # 百分之百
                return 100.0, i + 4, True
            return None
        return inner[0], inner[1], True
    m = _ARABIC.match(text, i)
    if m and not (i > 0 and (text[i - 1].isdecimal() or text[i - 1] in ".,")):  # ③１２８６: a footnote mark, no digit
        return parse_number(m.group(0)), m.end(), False
    cn = _cn_prefix(text, i)
    if cn and not (i > 0 and text[i - 1] in _CN_CHARS):
        return _cn_decimals(text, float(cn[0]), cn[1]) + (True,)
    return None


def _cn_decimals(text: str, value: float, end: int) -> tuple[float, int]:
    """A Chinese numeral's decimals read digit by digit (三点五 -> 3.5, 百分之六点零五 -> 6.05)."""
    j = end + 1
    if not text.startswith("点", end) or j >= len(text) or text[j] not in _CN_DIGITS:
        return value, end
    while j < len(text) and text[j] in _CN_DIGITS:
        j += 1
    return float(f"{int(value)}.{''.join(str(_CN_DIGITS[c]) for c in text[end + 1:j])}"), j


def _unit_at(text: str, i: int) -> str | None:
    for unit in _UNITS_LONGEST_FIRST:
        if text.startswith(unit, i):
            if any(text.startswith(w, i + len(unit)) for w in NOT_UNITS.get(unit, ())):
                return None
            return unit
    return None


def _spaced_unit(text: str, i: int) -> tuple[str, int] | None:
    """The unit at `i`, after optional PDF spaces -> (unit, its start)."""
    j = _SPACES.match(text, i).end()
    unit = _unit_at(text, j)
    return (unit, j) if unit else None


def _range_end(text: str, end: int, value: float) -> tuple[float, int] | None:
    """A range's upper bound after a number ending at `end`: 5-5.5%, 5%－5.5%, 5%至5.5% -> (high, end).

    The unit may stand after both numbers or only the last; with a unit after the first, 到 is no
    range word ("由41.3%提高到50.6%" reads as two figures) and the second must carry the same unit.
    """
    first_unit = _spaced_unit(text, end)
    at = end
    if first_unit and first_unit[0] not in ("万", "亿"):
        at = first_unit[1] + len(first_unit[0])
    sep = _RANGE_SEP.match(text, at)
    if not sep or (at != end and "到" in sep.group(0)):
        return None
    second = _number_at(text, sep.end())
    if not second or second[0] <= value:
        return None
    if at != end:
        unit2 = _spaced_unit(text, second[1])
        if not unit2 or unit2[0] != first_unit[0]:
            return None
    return second[0], second[1]


def falls(text: str, start: int) -> bool:
    """The figure at `start` is stated as a fall (下降6.8%, 减少 12%): a falling word just before it."""
    lead = re.sub(r"[ \u3000]", "", text[max(0, start - 8):start])
    return any(lead.endswith(w) or lead.endswith(w + "了") for w in FALLING_WORDS)


def is_reduction_indicator(name: str) -> bool:
    """An indicator that is itself a reduction (单位GDP能耗下降): its stated fall stays positive."""
    return any(w in name for w in REDUCTION_WORDS)


def _scope_qualifiers(text: str) -> list[tuple[int, int, str]]:
    """(start, sentence end, word) for each scoped qualifier: it governs to the sentence end."""
    out = []
    for word in SCOPED_QUALIFIERS:
        stops = _SENTENCE_END + _SCOPE_ENDS.get(word, "")
        for m in re.finditer(word, text):
            end = m.end()
            while end < len(text) and text[end] not in stops:
                end += 1
            out.append((m.start(), end, word))
    return out


def find_numbers(text: str) -> list[tuple[int, int, float]]:
    """Every numeral in `text` (with or without a unit) as (start, end, value), in order."""
    work = text.translate(_FULLWIDTH)
    out, i = [], 0
    while i < len(work):
        found = _number_at(work, i)
        if found is None:
            i += 1
            continue
        value, end, _ = found
        out.append((i, end, value))
        i = end
    return out


def find_quantities(text: str) -> list[Quantity]:
    """Every number followed by a known unit, in order, with qualifiers and ranges.

    A lone 一 before a measure word ("一个月", "每一项") is an article, not a count, and is
    skipped; every other Chinese or Arabic numeral counts.
    """
    work = text.translate(_FULLWIDTH)
    scopes = _scope_qualifiers(work)
    out: list[Quantity] = []
    i = 0
    while i < len(work):
        found = _number_at(work, i)
        if found is None:
            i += 1
            continue
        value, end, chinese = found
        start, low, high = i, value, None
        percent_words = work.startswith("百分之", i)
        if _RATIO.match(work, end):  # 0.8∶41.3∶57.9 is a ratio, no figure of its own
            i = _RATIO_RUN.match(work, i).end()
            continue
        if not percent_words:
            upper = _range_end(work, end, value)
            if upper:
                high, end = upper
        end = _SPACES.match(work, end).end() if _spaced_unit(work, end) else end
        infix = next((q for q in INFIX_QUALIFIERS if work.startswith(q, end)), None)
        unit_pos = end + (len(infix) if infix else 0)
        unit = PERCENT if percent_words else _unit_at(work, unit_pos)
        unit_end = None
        if unit in ("万", "亿") and not infix:  # 1.2万多人, 3亿余元: scale, infix, measure word
            inner = next((q for q in INFIX_QUALIFIERS if work.startswith(q, unit_pos + 1)), None)
            word = _unit_at(work, unit_pos + 2) if inner else None
            if word and unit + word in UNITS:
                infix, unit, unit_end = inner, unit + word, unit_pos + 2 + len(word)
        if chinese and not infix and not percent_words and work[end - 1] in _CN_BIG:
            # 两千万元: the numeral swallowed the scale of 万元; read it as 2000 万元, as written
            scaled = _unit_at(work, end - 1)
            if scaled and UNITS[scaled][1] > 1 and value % float(UNITS[scaled][1]) == 0:
                value = value / float(UNITS[scaled][1])
                low = value
                unit, unit_pos, end = scaled, end - 1, end - 1
        if unit is None or (chinese and value == 1 and work[start] == "一"
                            and (unit in COUNT_UNITS or UNITS[unit][0] in ("小时", "个月"))):
            i = max(end, i + 1)
            continue
        if unit_end is None:
            unit_end = unit_pos + (0 if percent_words else len(unit))
        qualifiers = [w for s, e, w in scopes if s < start < e]
        lead_end = len(work[:start].rstrip(" \u3000"))  # "达到 2468.3 亿元": PDF spaces
        prefix = next((q for q in PREFIX_QUALIFIERS if work.endswith(q, 0, lead_end)), None)
        if prefix:
            qualifiers.append(prefix)
        if infix:
            qualifiers.append(infix)
        after_unit = _SPACES.match(work, unit_end).end()  # "7% 左右"
        suffix = next((q for q in SUFFIX_QUALIFIERS if work.startswith(q, after_unit)), None)
        if suffix:
            unit_end = after_unit
        if suffix:
            qualifiers.append(suffix)
        lead = re.sub(r"[ \u3000]", "", work[max(0, start - 10):start])[-6:]
        is_growth = (unit in (PERCENT, POINTS, "％") and any(w in lead for w in GROWTH_WORDS)
                     and not lead.endswith(_TO_LEVEL))  # 提高到50.6%: a level reached
        fell = is_growth and falls(work, start)
        if unit in (PERCENT, POINTS, "％") and out and out[-1].is_growth and _LIST_JOIN.fullmatch(
                work[out[-1].end:start]):  # 分别增长7%和8.5%: the second is a growth rate too
            is_growth, fell = True, out[-1].falls
        base_value, base = to_base(low, unit)
        q_end = unit_end + (len(suffix) if suffix else 0)
        q_start = lead_end - len(prefix) if prefix else start
        out.append(Quantity(
            value=low, unit="%" if unit == "％" else unit, base_value=base_value, base_unit=base,
            qualifiers=tuple(dict.fromkeys(qualifiers)), start=q_start, end=q_end,
            raw=text[q_start:q_end], is_range=high is not None, low=low if high else None,
            high=high, is_growth=is_growth, falls=fell,
        ))
        i = q_end
    return out


def parse_quantity(text: str) -> Quantity | None:
    """The first quantity in a short phrase ("约1.5万人", "增长7.5%左右"), or None."""
    found = find_quantities(text)
    return found[0] if found else None
