"""Validate the known-answer files against the schema of the eval README and against the report.

`tests/known_answers.jsonl` is what the product is tuned and measured on and `bench/heldout.jsonl`
measures generality, so a malformed line or a wrong span silently skews every metric. These tests
read the files and the raw report only; nothing from `qa` is imported, so a bug in the package
cannot make its own yardstick pass.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

import opencc
import pytest

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "corpus" / "weidong-2018-government-work-report.txt"
MAIN = ROOT / "tests" / "known_answers.jsonl"
HELDOUT = ROOT / "bench" / "heldout.jsonl"

REQUIRED_FIELDS = {"id", "question", "category", "answer_text", "value", "unit", "growth_pct", "section", "qualifier"}
OPTIONAL_FIELDS = {"note"}
CATEGORIES = {"numeric_2017", "numeric_2018_target", "factual", "list", "comparative", "unanswerable"}
NUMERIC = {"numeric_2017", "numeric_2018_target"}
SEP = " > "

# Labels the ingest layer gives to the text outside any numbered heading; every other section
# component must be a heading of the report.
UNNUMBERED_PARTS = {"卷首", "落款"}

P1 = "一、2017年工作回顾"
P2 = "二、2018年工作安排"
P3 = "三、全面加强政府自身建设"
G1 = f"{P1}{SEP}一年来，我们稳增长、调结构，经济实力持续提升"
G2 = f"{P1}{SEP}一年来，我们抓改革、促开放，发展动能加快释放"
G3 = f"{P1}{SEP}一年来，我们提品位、塑形象，城市更加宜居宜业"
G4 = f"{P1}{SEP}一年来，我们惠民生、保稳定，社会大局安定和谐"
G5 = f"{P1}{SEP}一年来，我们转作风、提效能，自身建设持续加强"
S1 = f"{P2}{SEP}（一）推进产业结构优化升级，奋力开启经济强区新征程"
S2 = f"{P2}{SEP}（二）推进城市建设扩容提质，奋力开启宜居市区新征程"
S3 = f"{P2}{SEP}（三）推进各项事业争先晋位，奋力开启和谐城区新征程"

# Every part, every topic of the review, every topic of the plan and every subsection of part 三
# must be asked about at least once (an item's section equals the path or lies below it).
REQUIRED_SECTIONS = [
    "卷首",
    *(f"{G1}{SEP}{t}" for t in ("经济运行平稳增长", "第三产业扩量提质", "工业结构持续优化", "生态农业稳步发展")),
    *(f"{G2}{SEP}{t}" for t in ("改革创新纵深推进", "招商引资取得实效", "项目建设稳步推进", "发展环境持续优化")),
    *(f"{G3}{SEP}{t}" for t in ("城市建设加快推进", "城市形象不断提升", "生态环境持续改善")),
    *(f"{G4}{SEP}{t}" for t in ("民计民生持续改善", "社会事业全面发展", "社会大局持续稳定")),
    *(f"{G5}{SEP}{t}" for t in ("法治建设不断进步", "政务效率持续提升", "廉政建设持续加强")),
    *(f"{S1}{SEP}{t}" for t in ("突出项目带动", "优化产业结构", "深化改革创新")),
    *(f"{S2}{SEP}{t}" for t in ("加强城市建设", "提升管理水平", "加强生态保护")),
    *(f"{S3}{SEP}{t}" for t in ("认真办好民生实事", "繁荣发展社会事业", "维护社会和谐稳定")),
    *(
        f"{P3}{SEP}{t}"
        for t in (
            "（一）坚持依法行政，规范干事",
            "（二）坚持牢记宗旨，为民干事",
            "（三）坚持担当尽责，高效干事",
            "（四）坚持精诚合作，团结干事",
            "（五）坚持清正廉洁，干净干事",
        )
    ),
]
# Paragraphs without a heading of their own, found by their opening words: some answer must lie in each.
REQUIRED_PARAGRAPHS = {"主要预期目标": "主要预期目标是：", "problems": "在总结成绩的同时"}

MAIN_MINIMUMS = {
    "numeric_2017": 35,
    "numeric_2018_target": 25,
    "factual": 30,
    "list": 15,
    "comparative": 12,
    "unanswerable": 20,
}
HELDOUT_MINIMUMS = {
    "numeric_2017": 8,
    "numeric_2018_target": 5,
    "factual": 6,
    "list": 3,
    "comparative": 3,
    "unanswerable": 5,
}
NUMBER = re.compile(r"\d+(?:\.\d+)?")


def norm(text: str) -> str:
    """The eval README's normalisation: NFKC, then no whitespace at all."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


RAW = REPORT.read_text(encoding="utf-8")
NRAW = norm(RAW)
CLAUSE_ENDS = norm("。；")  # NFKC turns the full-width semicolon into ";"


def load(path: Path) -> list[dict]:
    items = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            items.append(json.loads(line))
        except json.JSONDecodeError as exc:  # pragma: no cover - the message is the point
            pytest.fail(f"{path.name}:{lineno}: not JSON: {exc}")
    return items


FILES = {"main": (MAIN, "k"), "heldout": (HELDOUT, "h")}
ITEMS = {name: load(path) for name, (path, _) in FILES.items()}
ALL = [(name, item) for name, items in ITEMS.items() for item in items]


def _id(param) -> str:
    return param[1].get("id", "?") if isinstance(param, tuple) else str(param)


def numbers_in(text: str) -> set[float]:
    return {float(n) for n in NUMBER.findall(norm(text))}


def is_number(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def part_span(part: str) -> tuple[int, int]:
    """Where a top-level part lies in the normalised report."""
    starts = {
        "卷首": 0,
        P1: NRAW.index(norm(P1)),
        P2: NRAW.index(norm(P2)),
        P3: NRAW.index(norm(P3)),
        "落款": NRAW.rindex("各位代表"),
    }
    order = sorted(starts.values())
    start = starts[part]
    later = [s for s in order if s > start]
    return start, later[0] if later else len(NRAW)


# ---------------------------------------------------------------- per-item checks


@pytest.mark.parametrize("entry", ALL, ids=_id)
def test_item_schema(entry):
    name, item = entry
    keys = set(item)
    assert REQUIRED_FIELDS <= keys, f"missing {REQUIRED_FIELDS - keys}"
    assert keys <= REQUIRED_FIELDS | OPTIONAL_FIELDS, f"unknown {keys - REQUIRED_FIELDS - OPTIONAL_FIELDS}"
    assert re.fullmatch(FILES[name][1] + r"\d{3}", item["id"]), item["id"]
    assert isinstance(item["question"], str) and item["question"].strip()
    assert item["category"] in CATEGORIES
    for field in ("answer_text", "unit", "section", "qualifier"):
        assert item[field] is None or (isinstance(item[field], str) and item[field].strip()), field
    for field in ("value", "growth_pct"):
        assert item[field] is None or is_number(item[field]), field
    assert "note" not in item or isinstance(item["note"], str)


@pytest.mark.parametrize("entry", ALL, ids=_id)
def test_answer_text_null_iff_unanswerable(entry):
    _, item = entry
    if item["category"] == "unanswerable":
        assert item["answer_text"] is None
        assert item["value"] is None and item["unit"] is None and item["growth_pct"] is None
    else:
        assert item["answer_text"], "answerable items need the answering span"
        assert item["section"], "answerable items need a section"


@pytest.mark.parametrize("entry", [e for e in ALL if e[1]["answer_text"]], ids=_id)
def test_answer_text_is_a_span_of_the_raw_report(entry):
    _, item = entry
    text = item["answer_text"]
    assert norm(text) in NRAW, "not in the report (after NFKC and whitespace removal)"
    # The schema asks for the raw span verbatim, PDF spaces and all.
    assert text in RAW, "not copied verbatim from the raw file"
    if "\n\n" in text:
        assert "page break" in item.get("note", ""), "a span across a page break must say why in its note"


@pytest.mark.parametrize("entry", [e for e in ALL if e[1]["category"] in NUMERIC | {"comparative"}], ids=_id)
def test_numeric_items_carry_value_unit_and_report_number(entry):
    _, item = entry
    assert is_number(item["value"]) and item["unit"], "numeric items need value and unit"
    if item["category"] in NUMERIC:
        assert float(item["value"]) in numbers_in(item["answer_text"]), "value not stated in answer_text"
    if item["growth_pct"] is not None:
        # The growth rate must be the one stated with the figure: same clause of the report.
        at = NRAW.index(norm(item["answer_text"]))
        start = max(NRAW.rfind(c, 0, at) for c in CLAUSE_ENDS) + 1
        end = min(i for i in (NRAW.find(c, at + len(norm(item["answer_text"]))) for c in CLAUSE_ENDS) if i >= 0)
        assert float(item["growth_pct"]) in numbers_in(NRAW[start:end])
    if item["unit"] == "%" and item["category"] in NUMERIC:
        assert norm(f"{item['value']:g}%") in norm(item["answer_text"]), "a rate must be stated as a rate"


@pytest.mark.parametrize("entry", [e for e in ALL if e[1]["section"]], ids=_id)
def test_section_is_a_heading_path_holding_the_answer(entry):
    _, item = entry
    parts = item["section"].split(SEP)
    assert parts[0] in {P1, P2, P3} | UNNUMBERED_PARTS, parts[0]
    pos = 0
    for component in parts:
        if component in UNNUMBERED_PARTS:
            continue
        found = NRAW.find(norm(component), pos)
        assert found >= 0, f"heading {component!r} not found in order in the report"
        pos = found
    if item["answer_text"]:
        at = NRAW.find(norm(item["answer_text"]), pos)
        assert at >= 0, "answer_text does not follow its section heading"
        start, end = part_span(parts[0])
        assert start <= at < end, f"answer_text lies outside {parts[0]}"


# ---------------------------------------------------------------- whole-file checks


@pytest.mark.parametrize("name", FILES)
def test_ids_unique(name):
    ids = [item["id"] for item in ITEMS[name]]
    assert len(ids) == len(set(ids)), [i for i, n in Counter(ids).items() if n > 1]


@pytest.mark.parametrize("name, minimums, total", [("main", MAIN_MINIMUMS, 140), ("heldout", HELDOUT_MINIMUMS, 40)])
def test_category_counts(name, minimums, total):
    counts = Counter(item["category"] for item in ITEMS[name])
    assert len(ITEMS[name]) >= total
    for category, minimum in minimums.items():
        assert counts[category] >= minimum, f"{category}: {counts[category]} < {minimum}"


def test_every_part_of_the_report_is_covered():
    sections = [item["section"] for item in ITEMS["main"] if item["section"]]
    missing = [req for req in REQUIRED_SECTIONS if not any(s == req or s.startswith(req + SEP) for s in sections)]
    assert not missing, missing
    positions = [NRAW.index(norm(item["answer_text"])) for item in ITEMS["main"] if item["answer_text"]]
    for label, opening in REQUIRED_PARAGRAPHS.items():
        start = NRAW.index(norm(opening))
        end = NRAW.index("。", start) if label == "主要预期目标" else NRAW.index("认真加以解决。", start)
        assert any(start <= p < end for p in positions), f"no question answered by the {label} paragraph"


@pytest.mark.parametrize("name", FILES)
def test_questions_are_mostly_not_in_the_reports_words(name):
    questions = [norm(item["question"]) for item in ITEMS[name]]
    verbatim = sum(q.rstrip("？?") in NRAW for q in questions)
    assert verbatim <= len(questions) / 2
    # Stronger: a paraphrased question shares no run of 6 characters with the report.
    def shares_run(q: str, k: int = 6) -> bool:
        return any(q[i : i + k] in NRAW for i in range(len(q) - k + 1))

    paraphrased = sum(not shares_run(q) for q in questions)
    assert paraphrased >= len(questions) / 2, f"{paraphrased}/{len(questions)} paraphrased"


def test_main_has_english_traditional_and_typo_questions():
    questions = [item["question"] for item in ITEMS["main"]]
    english = [q for q in questions if len(re.findall(r"[A-Za-z]", q)) > len(q) / 2]
    assert len(english) >= 6
    t2s = opencc.OpenCC("t2s")
    traditional = [q for q in questions if t2s.convert(q) != q]
    typos = [item for item in ITEMS["main"] if "style: typo" in item.get("note", "")]
    assert len(traditional) + len(typos) >= 8
    assert traditional and typos


def test_main_contains_the_traps():
    main = ITEMS["main"]
    by_cat = lambda c: {(float(i["value"]), i["unit"]) for i in main if i["category"] == c}  # noqa: E731
    # The same indicator and figure in both years.
    assert by_cat("numeric_2017") & by_cat("numeric_2018_target")
    # Units that must never be mixed up.
    units = {i["unit"] for i in main if i["category"] in NUMERIC}
    assert {"亿元", "万元", "万美元", "%"} <= units
    # One number standing for different things.
    spans = Counter((float(i["value"]), i["unit"]) for i in main if i["category"] in NUMERIC)
    multi = [k for k, n in spans.items() if n >= 4 and k[1] != "%"]
    assert multi, "expected one figure asked about in several roles"
    # Qualifiers kept with their figures.
    quals = {i["qualifier"] for i in main if i["category"] in NUMERIC and i["qualifier"]}
    assert {"预计", "左右", "以上", "力争", "不少于"} <= quals


def test_heldout_questions_differ_from_main():
    main = {norm(item["question"]) for item in ITEMS["main"]}
    repeated = [item["id"] for item in ITEMS["heldout"] if norm(item["question"]) in main]
    assert not repeated, repeated
