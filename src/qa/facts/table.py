"""The fact table: files, conventions, matching rows to a question, listings.

Files (per report, next to it in the corpus folder):

- `<doc_id>.facts.jsonl`: one `Fact` per line, UTF-8, `ensure_ascii=False`, keys in model order.
- `<doc_id>.facts-excluded.jsonl`: numbers deliberately left out of the table, one
  `{"text": ..., "reason": ...}` per line; `text` is a verbatim snippet of the cleaned report
  and every number inside each of its occurrences is excluded. Years, dates and ordinals
  (第十一届, 第三次) are excluded by rule (`auto_exclusion`), not listed.

Conventions:

- A growth rate is a row of its own: indicator `<level indicator>增速`, unit `%`
  (`地区生产总值增速` 7.5 %). When it is stated with a level ("111亿元，同比增长7.5%") the level
  row also carries it as `growth_pct`, so "GDP是多少" and "GDP增长多少" each find one row.
  Growth-only targets ("固定资产投资增长11%") are growth rows only.
- `qualifier`: the hedging words that apply to the figure, in text order, joined by "、"
  ("力争、以上"). Scoped words (预计, 力争) govern the whole sentence after them. 达到 is
  not a hedge and is not kept.
- `kind`: actual / estimate (预计) for the year under review; target (a quantified goal:
  a growth rate, 力争, 左右, 以上, 不少于 …) / plan (a planned quantity: 拟安排, 计划) for the plan year.
- A fall is negative: "下降4.3%" is growth −4.3 (row and `growth_pct`). An indicator that is
  itself a reduction keeps its stated number under its own words (`单位地区生产总值能耗下降` 3.2 %;
  the reduction words are data in `data/units.json`).
- A change in points is a row `<level indicator>变动` in 个百分点, signed like growth.
- A range is one row: `value` its lower bound, `high` its upper bound (5%－5.5%: 5 and 5.5).
- Multi-year figures (五年累计, 年均, 十三五) have `period` = the span's last year, `span_start`
  and `span_label`; a long-range goal ("到2025年") has that year as its period.
- `subject`: empty or an area word (全区, 全县 …) is the report's whole area (`is_whole_area`);
  anything else names a part (农村, 重点项目).
- `reviewed`: false for rows proposed by `qa add` / `qa facts extract`; a reviewed table (rows
  without the key, i.e. true) is never rewritten by the tools. Keys holding their default for
  fields added later (span_start, span_label, high, reviewed) are left out of a line.
- Aliases are general synonyms of the indicator (GDP, 固投, 社零), never question phrasing.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

from pydantic import ValidationError

from qa.question.text import normalize
from qa.errors import FactTableError
from qa.models import Fact
from qa.numbers import NEUTRAL_QUALIFIERS

FACTS_SUFFIX = ".facts.jsonl"
EXCLUDED_SUFFIX = ".facts-excluded.jsonl"
QUALIFIER_SEP = "、"
GROWTH_SUFFIX = "增速"
RESULT_KINDS = ("actual", "estimate")
FORWARD_KINDS = ("target", "plan")

# General synonyms of common statistical indicators (used to propose aliases; reviewed per row).
ALIASES: dict[str, tuple[str, ...]] = {
    "地区生产总值": ("GDP", "生产总值", "经济总量"),
    "地方公共财政预算收入": ("财政收入", "公共财政预算收入", "一般公共预算收入"),
    "固定资产投资": ("固投",),
    "社会消费品零售总额": ("社零", "社零额", "消费品零售总额"),
    "外贸进出口": ("进出口", "进出口总额", "外贸"),
    "实际利用外商直接投资": ("外资", "外商直接投资", "利用外资", "FDI"),
    "城镇居民可支配收入": ("城镇居民人均可支配收入", "城镇居民收入"),
    "农村居民可支配收入": ("农村居民人均可支配收入", "农村居民收入", "农民收入"),
    "第三产业增加值": ("服务业增加值", "三产增加值"),
    "规模以上工业增加值": ("规上工业增加值", "工业增加值"),
    "城镇新增就业": ("新增就业",),
    "申请专利": ("专利申请",),
}
GROWTH_ALIASES = {"地区生产总值": ("经济增速", "经济增长")}



@lru_cache(maxsize=1)
def area_words() -> frozenset[str]:
    """The words for a report's whole area (全国, 全省, 全市, 全区, 全县 …), from data/facts.json."""
    data = json.loads(resources.files("qa.data").joinpath("facts.json").read_text(encoding="utf-8"))
    return frozenset(data["area_words"])


def is_whole_area(subject: str | None) -> bool:
    """A row about the report's whole area: no subject, or an area word (全区, 全县 …)."""
    return not subject or subject in area_words()


def is_growth_row(fact: Fact) -> bool:
    """A growth-rate row: unit % and indicator `…增速` (see the module docstring)."""
    return fact.unit == "%" and fact.indicator.endswith(GROWTH_SUFFIX)


def qualifier_words(qualifier: str | None) -> set[str]:
    """The hedging words of a qualifier string ("力争、以上" -> {"力争", "以上"})."""
    if not qualifier:
        return set()
    return {w for w in re.split(r"[、,，\s;+]+", qualifier) if w and w not in NEUTRAL_QUALIFIERS}


# --- files --------------------------------------------------------------------------------

def load_fact_file(path: Path) -> list[Fact]:
    """The rows of one `*.facts.jsonl`; FactTableError naming the file and line of a bad row."""
    rows = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rows.append(Fact.model_validate_json(line))
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "row"
            raise FactTableError(f"{Path(path).name}:{number}: {where}: {first['msg']}") from exc
    return rows


def load_facts(corpus_dir: Path) -> list[Fact]:
    """Every row of every `*.facts.jsonl` in the corpus folder, validated.

    Raises FactTableError (file name and line number) on a row that does not validate,
    and when the folder is missing. A corpus without fact tables gives [].
    """
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.is_dir():
        raise FactTableError(f"no corpus folder at {corpus_dir}")
    return [f for path in sorted(corpus_dir.glob("*" + FACTS_SUFFIX)) for f in load_fact_file(path)]


# fields added after the first tables were written: left out of a row while they hold their default,
# so a reviewed table reads and writes back byte for byte
_OPTIONAL_FIELDS = {"span_start": None, "span_label": None, "high": None, "reviewed": True}


def _row_json(f: Fact) -> dict:
    row = f.model_dump(mode="json")
    return {k: v for k, v in row.items() if not (k in _OPTIONAL_FIELDS and v == _OPTIONAL_FIELDS[k])}


def dump_facts(facts: list[Fact]) -> str:
    """JSON Lines, one row per line, Chinese kept readable (diff-friendly)."""
    return "".join(json.dumps(_row_json(f), ensure_ascii=False) + "\n" for f in facts)


def load_exclusions(path: Path) -> list[dict]:
    """The rows of a `*.facts-excluded.jsonl` (each needs `text` and `reason`)."""
    path = Path(path)
    if not path.exists():
        return []
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError as exc:
            raise FactTableError(f"{path.name}:{number}: not JSON ({exc})") from exc
        if not isinstance(row, dict) or not row.get("text") or not row.get("reason"):
            raise FactTableError(f"{path.name}:{number}: an exclusion needs 'text' and 'reason'")
        rows.append(row)
    return rows


def auto_exclusion(text: str, start: int, end: int, value: float) -> str | None:
    """Why a number at text[start:end] is no figure by rule (year, date, ordinal), or None."""
    after = text[end:end + 2]
    if text[max(0, start - 1):start] == "第":
        return "ordinal (第…)"
    if 1900 <= value <= 2100 and value == int(value) and (after.startswith("年") or (
            text[start - 1:start] in "（(" and after[:1] in "）)")):
        return "year"
    if after[:1] in ("月", "日") and value == int(value) and value <= 31:
        return "date"
    line_start = start == 0 or text[start - 1] == "\n" or (
        text[start - 1] in "（(" and (start == 1 or text[start - 2] == "\n"))
    if line_start and after[:1] in (".", "．", "、", ")", "）"):
        return "list number"
    if re.match(r"\s*[∶:]\s*\d", text[end:end + 3]) or re.search(r"\d\s*[∶:]\s*$", text[max(0, start - 3):start]):
        return "ratio (0.8∶41.3∶57.9)"
    if re.search(r"[A-Za-z]$", text[max(0, start - 1):start]) or after[:1] == "号" or re.match(r"[A-Za-z]", after):
        return "part of a name (PM2.5, 3号线)"
    if "届" in text[max(0, start - 6):start] and re.match(r"次", text[end - 1:end + 1].lstrip("0123456789")):
        return "session (届…次)"
    if re.match(r"[^\W\d]{0,2}”", text[end:end + 3]) and "“" in text[max(0, start - 10):start]:
        return "part of a quoted name (“水十条”)"
    return None


# --- matching and structured questions --------------------------------------------------------

@lru_cache(maxsize=8192)
def normalise(text: str) -> str:
    """The one normaliser (`qa.question.text.normalize`) without any whitespace: names compare as one run."""
    return re.sub(r"\s+", "", normalize(text))


_GROWTH_QUESTION = re.compile(r"增长|增速|增幅|涨|growth|grow|increase")


@lru_cache(maxsize=16384)
def _bigrams(text: str) -> frozenset[str]:
    return frozenset({text[i:i + 2] for i in range(len(text) - 1)} or {text})


def _name_score(name: str, text: str) -> float:
    if not name:
        return 0.0
    if name in text:
        return 1.0 + len(name) / 100  # a longer exact name is the more specific match
    grams = _bigrams(name)
    return len(grams & _bigrams(text)) / len(grams)


def match_facts(facts: list[Fact], text: str, *, period: int | None = None, kind: str | None = None,
                doc_id: str | None = None, min_score: float = 0.5) -> list[tuple[Fact, float]]:
    """Rows whose indicator or an alias (and subject) match `text`, best first, with scores.

    Exact containment of a name scores 1 (+ length/100); otherwise the share of the name's
    character bigrams found in the text. A subject other than the whole area (全区, 全县 …, see
    `is_whole_area`) adds 0.3 when named in
    the text and costs 0.3 when not; growth rows gain 0.1 when the text asks about growth and
    lose 0.2 when it does not. `period`, `kind`, `doc_id` filter exactly.
    """
    norm = normalise(text)
    asks_growth = bool(_GROWTH_QUESTION.search(norm))
    out = []
    for f in facts:
        if (period is not None and f.period != period) or (kind is not None and f.kind != kind) \
                or (doc_id is not None and f.doc_id != doc_id):
            continue
        score = max(_name_score(normalise(n), norm) for n in (f.indicator, *f.aliases))
        if not is_whole_area(f.subject):
            subject = normalise(f.subject)
            score += 0.3 + len(subject) / 100 if subject in norm else -0.3
        if is_growth_row(f):
            score += 0.1 if asks_growth else -0.2
        if score >= min_score:
            out.append((f, round(score, 4)))
    out.sort(key=lambda pair: -pair[1])
    return out


def select_facts(facts: list[Fact], *, period: int | None = None, kind: str | None = None,
                 query: str | None = None) -> list[Fact]:
    """The rows of a listing: filtered by period and kind, ranked by `query` when given."""
    if query:
        return [f for f, _ in match_facts(facts, query, period=period, kind=kind)]
    return [f for f in facts if (period is None or f.period == period) and (kind is None or f.kind == kind)]


def growth_above(facts: list[Fact], threshold: float, *, period: int | None = None,
                 kinds: tuple[str, ...] = RESULT_KINDS) -> list[Fact]:
    """Growth rows above `threshold` percent (results by default), highest first."""
    rows = [f for f in facts if is_growth_row(f) and f.value > threshold and f.kind in kinds
            and (period is None or f.period == period)]
    return sorted(rows, key=lambda f: -f.value)
