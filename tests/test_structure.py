"""Structures of the common report styles, each on a small fixture written in that style, and
"nothing lost" on every fixture and on every development report (read from ../shared/corpus-dev)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from qa.clean import GENRE, decode, is_list_line, running_footers, unmark
from qa.tables import flat_tables, spaced_tables
from qa.ingest import load_document
from qa.facts import propose_facts

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
DEV = Path(__file__).resolve().parents[2] / "shared" / "corpus-dev"
DEV_REPORTS = sorted(DEV.glob("*.txt")) if DEV.is_dir() else []
WEIDONG = ROOT / "corpus" / "weidong-2018-government-work-report.txt"


def nonspace(text: str) -> str:
    return re.sub(r"\s+", "", text)


_STRUCTURE_CELLS = {w for k in ("first_heads", "unit_heads", "remark_heads", "empty_cells") for w in GENRE["flat_table"][k]}


def assert_nothing_lost(path: Path) -> None:
    """Every non-whitespace character of the raw file is in exactly one passage or in the dropped
    furniture, in order; passages are spans of the cleaned text and do not overlap. Markdown marks
    (qa.clean.unmark) are the only characters read rather than kept: every other one of a marked line
    is kept, and a table row keeps every cell."""
    doc = load_document(path)
    raw_lines = decode(path.read_bytes(), path.name)[0].split("\n")
    dropped = {d.line: d for d in doc.dropped}
    for number, item in dropped.items():
        assert nonspace(raw_lines[number - 1]) == nonspace(item.text), item
    header, unmarked = None, []
    flat = flat_tables(raw_lines)
    spaced = spaced_tables(raw_lines, running_footers(raw_lines))
    tables = flat | spaced
    sentences = "".join(tables.values())
    for n, line in enumerate(raw_lines):
        if n in tables:  # a table read back one sentence per row: every cell but the structure words is in one
            cells = [nonspace(c) for c in re.split(r" {2,}|\t+", line.strip())] if n in spaced else [nonspace(line)]
            for cell in cells:
                cell = re.sub(r"[（(].*?[）)]$", "", re.sub(r"^[-－−–](?=\d)", "", cell))  # -1.8 reads 下降1.8%
                figure = re.match(r"^(.*\d)(\D*)$", cell)  # 6.5左右 reads 6.5%左右: the unit stands after the figure
                kept_parts = [p for p in (figure.groups() if figure else (cell,)) if p]
                head_line = n in spaced and not spaced[n]  # the heads name the columns the row's sentence reads
                assert all(p in sentences for p in kept_parts) or cell in _STRUCTURE_CELLS or head_line, (n + 1, line)
            unmarked.append(tables[n])
            continue
        text, header = unmark(line.strip(), header)
        marks = set(nonspace(line)) - set(nonspace(text))
        assert marks <= set("#*_-|:+•●■▪◆") or header is not None, (line, marks)
        if text and line.strip().startswith("|"):  # a row: every cell in its sentence (the unit moved after the figure)
            for cell in (re.sub(r"[（(].*?[）)]", "", c).strip() for c in line.strip().strip("|").split("|")):
                figure = re.match(r"^(.*\d)(\D*)$", cell)  # 7左右 reads 7%左右: the unit stands after the figure
                assert all(p in text for p in (figure.groups() if figure else (cell,)) if p) \
                    or cell in _STRUCTURE_CELLS, (line, cell)
        unmarked.append(text)
    kept = nonspace("".join(line for n, line in enumerate(unmarked, start=1) if n not in dropped))
    assert "".join(nonspace(p.text) for p in doc.passages) == kept
    assert nonspace(doc.text) == kept
    for before, after in zip(doc.passages, doc.passages[1:]):
        assert before.end <= after.start, (before.id, after.id)
    for passage in doc.passages:
        assert doc.text[passage.start : passage.end] == passage.text
        for sentence in passage.sentences:
            assert doc.text[sentence.start : sentence.end] == sentence.text


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.txt")), ids=lambda p: p.stem)
def test_nothing_lost_in_every_fixture(path):
    assert_nothing_lost(path)


@pytest.mark.parametrize("path", DEV_REPORTS + [WEIDONG], ids=lambda p: p.stem.split("-")[0])
def test_nothing_lost_in_every_development_report(path):
    if not DEV_REPORTS:
        pytest.skip("../shared/corpus-dev is not beside this checkout")
    assert_nothing_lost(path)


def paths(doc) -> list[tuple[str, ...]]:
    out = []

    def walk(section):
        out.append(section.path)
        for child in section.children:
            walk(child)

    for section in doc.sections:
        walk(section)
    return out


def passage_with(doc, text: str):
    return next(p for p in doc.passages if text in p.text)


# --- 第一部分 parts, （一） subsections, paragraph leads, numbered list lines -------------------------

@pytest.fixture(scope="module")
def parts():
    return load_document(FIXTURES / "parts-style-2023.txt")


def test_parts_are_top_level_with_subsections_and_leads(parts):
    tops = [s.title for s in parts.sections]
    assert tops == ["卷首", "第一部分2022年工作回顾", "第二部分2023年工作安排", "第三部分全面加强政府自身建设"]
    review = parts.sections[1]
    assert [c.title for c in review.children] == ["（一）坚持稳字当头，经济大盘稳中有进"]
    assert [c.title for c in review.children[0].children] == ["政策落地见效", "结构持续优化"]
    assert passage_with(parts, "留抵退税").section_path[-1] == "政策落地见效"


def test_short_sentences_that_are_no_leads_stay_text(parts):
    titles = {t for path in paths(parts) for t in path}
    assert not titles & {"今年的工作很不容易", "成绩来之不易", "我们要倍加珍惜"}


def test_numbered_target_lines_are_a_list_never_headings(parts):
    titles = {t for path in paths(parts) for t in path}
    assert not any(re.match(r"^\d", t) for t in titles)
    targets = passage_with(parts, "地区生产总值增长6%左右")
    assert targets.section_path == ("第二部分2023年工作安排",) and targets.period == 2023
    assert "PM2.5平均浓度控制在32微克/立方米以内" in targets.text and "主要预期目标是：" in targets.text
    done = passage_with(parts, "完成年度计划的105%")  # full-width dot "1．"
    assert done.period == 2022 and "改造老旧小区18个" in done.text


@pytest.mark.parametrize(
    "line, is_list",
    [
        ("1. 地区生产总值增长6%左右；", True),
        ("10. PM2.5平均浓度控制在30微克/立方米以内，完成市下达任务。", True),
        ("1．新建中小学6所，完成年度计划的105%；", True),
        ("1.产业发展", False),
        ("（1）有效投资稳步扩大。全年实施重点项目220个。", False),
        ("（一）坚持稳字当头；", False),  # a Chinese-numbered line is never a list line
    ],
)
def test_list_lines(line, is_list):
    assert is_list_line(line) is is_list


def test_leads_in_separate_paragraphs_are_siblings(parts):
    plan = parts.sections[2].children[0]
    assert [c.title for c in plan.children] == ["全力扩大有效投资", "加快促进消费恢复"]


def test_inline_subsection_heading_of_a_part(parts):
    passage = passage_with(parts, "坚定拥护党的领导")
    assert passage.section_path == ("第三部分全面加强政府自身建设", "（一）强化政治引领")


# --- 一是…二是… items ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def items():
    return load_document(FIXTURES / "items-style-2021.txt")


def test_items_each_become_a_section_headed_by_their_lead(items):
    review = items.sections[1]
    assert [c.title for c in review.children] == [
        "一是慎终如始抓防控，疫情防控取得重大成果",
        "二是多措并举稳经济，经济运行逐季回升",
        "一是全力以赴打赢脱贫攻坚战",
        "二是坚定不移推进产业转型",
        "三是持之以恒改善城乡面貌",
    ]
    # items inside one paragraph after "…工作：" are split, each its own passage
    assert passage_with(items, "420公里").text == "三是持之以恒改善城乡面貌。新改建农村公路420公里。"
    assert passage_with(items, "五年来，我们主要做了").section_path == ("一、2020年和“十三五”时期工作回顾",)


def test_one_sentence_items_of_one_paragraph_stay_one_list_passage(items):
    passage = passage_with(items, "一是经济总量偏小")
    assert passage.section_path == ("一、2020年和“十三五”时期工作回顾",)
    assert "二是财政收支矛盾突出" in passage.text  # a question "有哪些问题" finds them all in one passage


def test_paragraph_after_an_enumeration_returns_to_its_parent(items):
    assert passage_with(items, "积累了宝贵经验").section_path == ("一、2020年和“十三五”时期工作回顾",)


def test_items_inside_one_sentence_stay_one_sentence(items):
    passage = passage_with(items, "一是坚持稳中求进")
    assert passage.section_path == ("三、2021年工作安排",)
    assert any("一是坚持稳中求进" in s.text and "三是坚持民生优先" in s.text for s in passage.sentences)


def test_item_periods_and_five_year_sections(items):
    assert passage_with(items, "96个").period == 2021
    assert passage_with(items, "6.8亿元").period == 2020
    assert passage_with(items, "到2025年突破200亿元").period == 2025


# --- —— dash-led result lists ----------------------------------------------------------------------

def test_dash_lines_each_become_a_section():
    doc = load_document(FIXTURES / "dash-style-2024.txt")
    review = doc.sections[1]
    assert [c.title for c in review.children] == ["经济总体回升向好", "就业物价总体平稳", "国际收支基本平衡"]
    assert passage_with(doc, "1244万人").section_path[-1] == "就业物价总体平稳"
    assert passage_with(doc, "这些成绩来之不易").section_path == ("一、2023年工作回顾",)
    assert passage_with(doc, "2024年3月5日").section_path == ("卷首",)  # the date line is no dash item


def test_a_lone_short_opening_sentence_is_no_lead():
    doc = load_document(FIXTURES / "dash-style-2024.txt")
    passage = passage_with(doc, "形势依然严峻复杂")
    assert passage.section_path == ("二、2024年经济社会发展总体要求和政策取向",)
    assert passage.period == 2024


# --- PDF artefacts ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def pdf():
    return load_document(FIXTURES / "pdf-style-2019.txt")


def test_pdf_furniture_dropped_with_reasons(pdf):
    assert [d.reason for d in pdf.dropped] == [
        "page number", "running footer", "page number", "running footer", "page number", "page number",
        "print imprint", "print run"]
    assert pdf.text.startswith("青石市第五届人民代表大会第二次会议文件")  # the title line itself is kept


def test_pdf_page_breaks_rejoined_mid_word_and_mid_figure(pdf):
    assert "规模以上工业增加值增长8.2%，增速居全省第三位" in pdf.text
    assert "新增规上企业57家。" in pdf.text
    assert "政府工作报告" in pdf.text and "1468.3亿元" in pdf.text


def test_pdf_raw_variants_and_full_width_digits_are_kept(pdf):
    # the cleaned text stays the report's own characters: citations quote it verbatim
    assert "新增床位１２００张" in pdf.text and "經濟" in pdf.text and "産業" in pdf.text
    assert [c.title for c in pdf.sections[1].children[0].children] == ["（1）有效投资稳步扩大", "（2）産業转型加快"]


# --- the development reports ----------------------------------------------------------------------

def dev(stem: str):
    path = DEV / f"{stem}.txt"
    if not path.exists():
        pytest.skip("../shared/corpus-dev is not beside this checkout")
    return load_document(path)


def test_songling_every_page_break_rejoined_and_furniture_dropped():
    doc = dev("songling-city-2019-government-work-report")
    reasons = [d.reason for d in doc.dropped]
    assert reasons.count("page number") == 18 and reasons.count("running footer") == 3
    assert reasons[-2:] == ["print imprint", "print run"]
    for paragraph in doc.text.split("\n\n"):
        if len(paragraph) > 60:
            assert re.search(r"[。！？：；][”’]?$", paragraph), paragraph[-30:]
    for joined in ["年度计划投资1200亿元", "规模以上工业增加值增长8.2%，增速居全省第三位", "政协委员提案536件"]:
        assert sum(joined in p.text for p in doc.passages) == 1, joined
    assert "会议文件" not in doc.text.split("\n\n", 1)[1]  # running footers gone, the first line kept


def test_qinghe_items_and_periods():
    doc = dev("qinghe-county-2021-government-work-report")
    tops = [s.title for s in doc.sections]
    assert tops[1:] == ["一、2020年和“十三五”时期工作回顾", "二、“十四五”时期的发展目标和主要任务",
                        "三、2021年工作安排", "四、全面加强政府自身建设"]
    review_items = [c.title for c in doc.sections[1].children]
    assert not any(t.startswith("一是经济总量偏小") for t in review_items)  # one-sentence problems: a list
    plan_items = [c.title for c in doc.sections[3].children]
    assert sum(t[:2] in {"一是", "二是", "三是", "四是", "五是", "六是", "七是", "八是", "九是"} for t in plan_items) >= 9
    assert "十是统筹发展和安全" in plan_items


def test_nanhu_parts_lists_and_leads():
    doc = dev("nanhu-district-2023-government-work-report")
    assert [s.title[:4] for s in doc.sections[1:]] == ["第一部分", "第二部分", "第三部分"]
    titles = {t for path in paths(doc) for t in path}
    assert not any(re.match(r"^\d", t) for t in titles)
    assert "政策落地见效" in titles and "全力扩大有效投资" in titles
    targets = passage_with(doc, "地区生产总值增长6%左右")
    assert targets.period == 2023 and targets.section_path[0].startswith("第二部分")


# --- unnumbered part titles -----------------------------------------------------------------------

def test_an_unnumbered_title_in_the_head_is_no_heading(tmp_path):
    path = tmp_path / "plan-report.txt"
    path.write_text("关于2022年国民经济和社会发展计划执行情况\n\n各位代表：\n\n全年增长5%。\n", encoding="utf-8")
    doc = load_document(path)
    assert [s.title for s in doc.sections] == ["卷首"]


def test_bare_part_titles_are_headings_with_their_years():
    doc = load_document(FIXTURES / "bare-headings-2022.txt")
    assert [s.title for s in doc.sections] == ["卷首", "2021年工作回顾", "2022年工作安排"]
    assert [c.title for c in doc.sections[1].children] == ["产业发展势头良好", "项目建设扎实推进"]
    assert passage_with(doc, "96.2亿元").period == 2021
    assert passage_with(doc, "增长7%左右").period == 2022
    assert (doc.profile.region, doc.profile.level, doc.profile.review_year) == ("河西县", "county", 2021)


@pytest.mark.parametrize(
    "line, heading",
    [("2021年工作回顾", True), ("“十四五”时期主要目标任务", True), ("过去五年工作回顾", True),
     ("政府工作报告", False), ("——2022年1月8日在河西县第九届人民代表大会第一次会议上", False),
     ("2022年工作安排如下：", False), ("主要任务", False)],
)
def test_bare_part_heading_shape(line, heading):
    from qa.clean import is_bare_part_heading

    assert is_bare_part_heading(line) is heading


def test_markdown_marks_are_read_as_structure():
    """Markdown export: # headings, **leads**, - bullets (dash items), a table (rows as sentences)."""
    doc = load_document(FIXTURES / "markdown-style-2021.txt")
    found = paths(doc)
    assert ("一、2020年工作回顾",) in found and ("二、2021年工作安排",) in found
    assert ("一、2020年工作回顾", "（一）稳住经济基本盘") in [p[:2] for p in found]
    assert not any("#" in t or "*" in t for p in found for t in p)
    texts = [p.text for p in doc.passages]
    assert any(t.startswith("——地区生产总值达到2,436.8亿元") for t in texts)
    assert any("2020年粮食总产量518.4万吨，增长1.9%。" in t for t in texts)
    assert not any("|" in t or "---" in t for t in texts)
    rows = {(f.indicator, f.value, f.unit) for f in propose_facts(doc)}
    assert ("一般公共预算收入", 231.5, "亿元") in rows and ("粮食总产量", 518.4, "万吨") in rows


@pytest.mark.parametrize("path", sorted((ROOT / "bench" / "reports").glob("*.txt")), ids=lambda p: p.stem.split("-")[0])
def test_nothing_lost_in_every_fresh_report(path):
    assert_nothing_lost(path)


FLAT_TABLE = """政府工作报告
——2019年2月18日在东岭市第八届人民代表大会第四次会议上
一、2018年工作回顾
全市地区生产总值预计2368.4亿元，增长7.2%。
附表1 2018年主要经济指标完成情况
指标
单位
2018年
比上年增长（%）
地区生产总值
亿元
2368.4
7.2
规模以上工业增加值
亿元
—
6.9
居民消费价格指数
上年=100
102.1
—
进出口总额
亿元
286.4
-2.4
附表2 2019年主要预期目标
指标
单位
目标
备注
一般公共预算收入增长
%
6
全市
一般公共预算收入增长
%
5
市本级
新增城镇就业
万人
6
以上
注释：
①“放管服”：指简政放权、放管结合、优化服务。2018年末全市商品住房去化周期为11.6个月。
"""


def test_a_table_printed_one_cell_per_line_is_read_back_one_sentence_per_row(tmp_path):
    """Each row a sentence, each cell after its column's words; a lone figure is no page number; a remark naming a
    part stands after the name, a qualifier after its figure; a row whose unit cell is no unit stays as printed
    and the table goes on after it; the caption is a part of its own, of its year."""
    path = tmp_path / "dongling-2019.txt"
    path.write_text(FLAT_TABLE, encoding="utf-8")
    doc = load_document(path)
    text = doc.text
    for sentence in ("2018年地区生产总值2368.4亿元，比上年增长7.2%。", "规模以上工业增加值比上年增长6.9%。",
                     "2018年进出口总额286.4亿元，比上年下降2.4%。", "一般公共预算收入增长（全市）目标6%。",
                     "一般公共预算收入增长（市本级）目标5%。", "新增城镇就业目标6万人以上。"):
        assert sentence in text, sentence
    assert "102.1" in text and not doc.dropped  # nothing read as a page number
    rows = {s.printed for p in doc.passages for s in p.sentences if s.text.startswith("2018年进出口总额")}
    assert rows == {"进出口总额 亿元 286.4 -2.4"}  # the row's cells as printed, one a line
    periods = {p.section_path[0]: p.period for p in doc.passages if p.section_path}
    assert periods["附表1 2018年主要经济指标完成情况"] == 2018 and periods["附表2 2019年主要预期目标"] == 2019
    assert periods["注释："] is None  # the notes are no part of the plan the table before them sets out
    assert_nothing_lost(path)


SPACED_TABLE = """政府工作报告

——2019年2月18日在柘林市第五届人民代表大会第四次会议上

一、2018年工作回顾

全市经济平稳增长。

二、2019年工作安排

今年地区生产总值增长7%左右。

附表：2018年全市主要经济指标完成情况
指标名称                    2018年        单位        比上年增长(%)     年度目标
地区生产总值                486.3         亿元        11.2
全社会固定资产投资          236.8         亿元        28.6              220
  其中：城镇固定资产投资    198.5         亿元        31.2

· 10 ·

原煤产量                    286.4         万吨        -8.6
注：地区生产总值为预计数。
"""


def test_a_table_aligned_by_spaces_is_read_back_one_sentence_per_row(tmp_path):
    """Columns aligned by runs of spaces (an OCR'd 附表): each row a sentence, each cell under its column's head
    (an empty cell shifts nothing), the unit column wherever it stands, a fall (-8.6 under 比上年增长) worded as
    one, and the table goes on past a page number (· 10 ·, furniture)."""
    path = tmp_path / "zhelin-2019.txt"
    path.write_text(SPACED_TABLE, encoding="utf-8")
    doc = load_document(path)
    for sentence in ("2018年地区生产总值486.3亿元，比上年增长11.2%。",
                     "2018年全社会固定资产投资236.8亿元，比上年增长28.6%，年度目标220亿元。",
                     "2018年其中：城镇固定资产投资198.5亿元，比上年增长31.2%。",
                     "2018年原煤产量286.4万吨，比上年下降8.6%。"):
        assert sentence in doc.text, sentence
    assert [d.reason for d in doc.dropped] == ["page number"]
    table = [p for p in doc.passages if "原煤产量" in p.text or "地区生产总值486.3" in p.text]
    assert table and {p.period for p in table} == {2018}  # its caption (附表：2018年…) is a part of its own, of its year
    assert_nothing_lost(path)


def test_a_table_separated_by_tabs_keeps_each_cell_in_its_column(tmp_path):
    """A Word table saved as text: one tab between cells, an empty cell an empty field (no cell moves left), a
    minus sign (−) under a growth column a fall, 预计 kept before its figure, a target nearer the rate's size than
    the level's the rate's (8 beside −2.1% and 112.6亿美元 is 8%)."""
    path = tmp_path / "haian-2013.txt"
    path.write_bytes(("\ufeff政府工作报告\r\n一、2012年工作回顾\r\n全市经济平稳增长。\r\n附件1\r\n2012年主要指标完成情况\r\n"
                      "指标\t单位\t2012年完成\t比上年增长(%)\t年度目标\r\n"
                      "地区生产总值\t亿元\t预计1246.8\t11.2\t\r\n"
                      "规模以上工业增加值\t亿元\t\t12.1\t\r\n"
                      "进出口总额\t亿美元\t112.6\t\u22122.1\t8\r\n").encode("utf-8"))
    doc = load_document(path)
    for sentence in ("2012年完成：地区生产总值预计1246.8亿元，比上年增长11.2%。",
                     "2012年完成：规模以上工业增加值比上年增长12.1%。",
                     "2012年完成：进出口总额112.6亿美元，比上年下降2.1%，年度目标8%。"):
        assert sentence in doc.text, sentence
    assert_nothing_lost(path)


def test_lines_under_a_first_head_without_a_unit_column_are_no_table():
    assert flat_tables(["指标", "2018年", "增长", "地区生产总值", "2368.4", "7.2"]) == {}


def test_a_wrapped_occasion_line_of_the_head_is_one_line(tmp_path):
    """——2009年2月16日在沅州市第三届人民代表大会 | 第三次会议上 (a printed bulletin's wrap): one occasion line, so
    the question of when and at which meeting finds both in one place."""
    path = tmp_path / "yuanzhou-2009.txt"
    path.write_text("政府工作报告\n——2009年2月16日在沅州市第三届人民代表大会\n第三次会议上\n沅州市市长　谭正岳\n"
                    "各位代表：\n　　现在，我代表市人民政府，向大会报告政府工作，请予审议。\n", encoding="utf-8")
    doc = load_document(path)
    assert "——2009年2月16日在沅州市第三届人民代表大会第三次会议上" in doc.text
    assert doc.meta.date == "2009-02-16" and doc.meta.speaker == "谭正岳"


def test_a_fall_printed_negative_under_a_growth_column_reads_as_a_fall_in_every_table_shape():
    """-2.7 under 增长 is a fall: the row's sentence says 下降2.7%, never 增长-2.7% (read as a rise)."""
    _, header = unmark("| 指标 | 2021年 | 增长（%） |", None)
    text, _ = unmark("| 社会消费品零售总额（亿元） | 88.4 | -2.7 |", header)
    assert text == "2021年社会消费品零售总额88.4亿元，下降2.7%。"
    from qa.tables import cell_words

    assert cell_words("比上年增长", "-1.8", "%") == "比上年下降1.8%" and cell_words("目标", "6左右", "%") == "目标6%左右"


def test_a_tables_year_columns_each_open_a_sentence_of_their_year(tmp_path):
    """| 指标 | 2021年完成 | 2022年目标 | under the 2022 plan: each year's cell a sentence of its own with that year and what
    its figures are first, the unit of the row's name on both, and the 2021 sentence of 2021 (its section is 2022's);
    an empty cell (—) says nothing."""
    path = tmp_path / "baishi-2022.txt"
    path.write_text("政府工作报告\n\n一、2021年工作回顾\n\n全市经济平稳增长。\n\n二、2022年工作安排\n\n"
                    "| 指标 | 2021年完成 | 2022年目标 |\n| --- | --- | --- |\n"
                    "| 一般公共预算收入（亿元） | 78.6 | 83.8 |\n| 地区生产总值增长（%） | 8.6 | 7左右 |\n"
                    "| 地区生产总值（亿元） | 1,086.7 | — |\n", encoding="utf-8")
    doc = load_document(path)
    for sentence in ("2021年完成：一般公共预算收入78.6亿元。", "2022年目标：一般公共预算收入83.8亿元。",
                     "2022年目标：地区生产总值增长7%左右。", "2021年完成：地区生产总值1,086.7亿元。"):
        assert sentence in doc.text, sentence
    assert "—" not in doc.text
    years = {s.text: s.period for p in doc.passages for s in p.sentences if "一般公共预算收入" in s.text}
    assert years == {"2021年完成：一般公共预算收入78.6亿元。": 2021, "2022年目标：一般公共预算收入83.8亿元。": None}
    printed = {s.printed for p in doc.passages for s in p.sentences if "一般公共预算收入" in s.text}
    assert printed == {"| 一般公共预算收入（亿元） | 78.6 | 83.8 |"}  # what a citation shows as the report's words
    rows = {(f.indicator, f.period, f.kind, f.value) for f in propose_facts(doc) if f.indicator.startswith("一般公共预算")}
    assert ("一般公共预算收入", 2021, "actual", 78.6) in rows and ("一般公共预算收入", 2022, "target", 83.8) in rows, rows
    assert_nothing_lost(path)


def test_a_rate_head_with_a_bare_percent_and_an_empty_cell_keep_the_rows_unit_and_year(tmp_path):
    """比上年增长% (no brackets) gives its cells %, never the row's 亿元; — under 2014年 leaves the row's year."""
    path = tmp_path / "hulun-2015.txt"
    path.write_text("政府工作报告\n\n一、2014年工作回顾\n\n"
                    "指标                          单位          2014年          比上年增长%\n"
                    "地区生产总值                  亿元          642.8           8.1\n"
                    "规模以上工业增加值            亿元          —               9.6\n"
                    "牲畜存栏（牧业年度）          万头只        142.6           -1.8\n", encoding="utf-8")
    text = load_document(path).text
    for sentence in ("2014年地区生产总值642.8亿元，比上年增长8.1%。", "2014年规模以上工业增加值比上年增长9.6%。",
                     "2014年牲畜存栏（牧业年度）142.6万头只，比上年下降1.8%。"):
        assert sentence in text, sentence
    assert_nothing_lost(path)
