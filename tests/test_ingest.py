"""Ingestion of the real report and of a synthetic GBK one: nothing lost, artefacts repaired, tree right."""

from __future__ import annotations

import re
import statistics
from pathlib import Path

import pytest

from qa.clean import decode, fold_spaces, furniture_reason
from qa.errors import CorpusError
from qa.ingest import load_corpus, load_document, section_period, split_sentences

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "corpus" / "weidong-2018-government-work-report.txt"
GOLDEN = Path(__file__).parent / "golden" / "weidong-2018-government-work-report.sections.txt"


@pytest.fixture(scope="module")
def doc():
    return load_document(REPORT)


def nonspace(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_nothing_lost_every_character_in_exactly_one_passage_in_order(doc):
    raw = REPORT.read_text(encoding="utf-8")
    furniture = [line for line in raw.split("\n") if line.strip() and furniture_reason(fold_spaces(line))]
    assert furniture == ["〔共印 560 份〕"]
    expected = nonspace("\n".join(line for line in raw.split("\n") if line not in furniture))
    assert "".join(nonspace(p.text) for p in doc.passages) == expected
    for before, after in zip(doc.passages, doc.passages[1:]):
        assert before.end <= after.start, (before.id, after.id)  # no overlap, report order


def test_passage_text_is_its_span_and_sentences_are_spans(doc):
    for passage in doc.passages:
        assert doc.text[passage.start : passage.end] == passage.text
        assert passage.sentences, passage.id
        for sentence in passage.sentences:
            assert doc.text[sentence.start : sentence.end] == sentence.text
            assert passage.start <= sentence.start < sentence.end <= passage.end


# Every place where a page break split a sentence in this report, as "before|after".
PAGE_BREAK_SPLITS = [
    "同比增长|7.5%",
    "市级农业产业化|龙头企业",
    "影响企业发|展的问题",
    "“四|同共治”",
    "国家慢性病综合|防控示范区",
    "社区矫正工作被评|为全市",
    "治理黑臭水|体",
    "按照高质量发展的要|求",
    "不驰于空|想",
    "“保姆式”|服务",
    "企业培育计划，|优化科技经费",
    "吴寨沟、月台河、煤泥河、东|湛河综合治理",
    "完善城乡居民基本|养老保险制度",
    "保障幼儿和|中小学生",
    "虚心听取各民主党|派、工商联",
    "讲团结、讲|纪律",
]


@pytest.mark.parametrize("split", PAGE_BREAK_SPLITS)
def test_page_break_split_rejoined(doc, split):
    joined = split.replace("|", "")
    assert joined in doc.text
    assert sum(joined in p.text for p in doc.passages) == 1


def test_every_page_break_in_the_raw_file_is_known(doc):
    """Independent of the list above: every body line that does not end a sentence continues after the blank line."""
    raw_lines = [fold_spaces(line) for line in REPORT.read_text(encoding="utf-8").split("\n")]
    body = [line for line in raw_lines if line and ("。" in line or "，" in line)]
    body = [line for line in body if not re.match(r"^（[一二三四五六七八九十]+）[^。]*$", line)]  # headings
    unfinished = [line for line in body if not re.search(r"[。！？：；][”’]?$", line)]
    assert len(unfinished) == len(PAGE_BREAK_SPLITS)
    for line in unfinished:
        assert line + "\n" not in doc.text and not doc.text.endswith(line)


def test_paragraphs_end_sentences(doc):
    for paragraph in doc.text.split("\n\n"):
        if "。" in paragraph and len(paragraph) > 60:
            assert re.search(r"[。！？：][”’]?$", paragraph), paragraph[-30:]


def test_no_number_keeps_inner_spaces(doc):
    assert not re.search(r"[\d%][ \t\u3000]|[ \t\u3000][\d%]", doc.text)
    assert "5.6亿元" in doc.text and "鹰城7.1视界" in doc.text and "2018年工作安排" in doc.text
    assert not re.search(r"[\u4e00-\u9fff] +[\u4e00-\u9fff]", doc.text)


def test_print_furniture_dropped(doc):
    assert "共印" not in doc.text
    assert [d.reason for d in doc.dropped] == ["print run"]


def test_headings_never_glued_to_paragraphs(doc):
    for heading in ["一、2017年工作回顾", "二、2018年工作安排", "三、全面加强政府自身建设",
                    "（一）推进产业结构优化升级，奋力开启经济强区新征程"]:
        assert f"\n\n{heading}\n\n" in doc.text


def test_tree_shape(doc):
    parts = [s for s in doc.sections if re.match(r"^[一二三四五六七八九十]+、", s.title)]
    assert [p.title for p in parts] == ["一、2017年工作回顾", "二、2018年工作安排", "三、全面加强政府自身建设"]
    assert [c.title[:3] for c in parts[1].children if c.title.startswith("（")] == ["（一）", "（二）", "（三）"]
    assert [c.title[:3] for c in parts[2].children] == ["（一）", "（二）", "（三）", "（四）", "（五）"]
    review = [c.title for c in parts[0].children]
    assert review[0] == "一年来，我们稳增长、调结构，经济实力持续提升"
    assert [c.title for c in parts[0].children[0].children][:2] == ["经济运行平稳增长", "第三产业扩量提质"]
    assert doc.sections[0].title == "卷首" and doc.sections[-1].title == "落款"


def test_heading_paths_match_golden_file(doc):
    paths = []

    def walk(section):
        paths.append(" › ".join(section.path))
        for child in section.children:
            walk(child)

    for section in doc.sections:
        walk(section)
    assert paths == GOLDEN.read_text(encoding="utf-8").splitlines()


def test_example_heading_path(doc):
    passage = next(p for p in doc.passages if "全年拟安排重点项目50个" in p.text)
    assert passage.heading.startswith(
        "二、2018年工作安排 › （一）推进产业结构优化升级，奋力开启经济强区新征程 › 突出项目带动"
    )


def test_passage_sizes_suit_retrieval(doc):
    sizes = [len(p.text) for p in doc.passages]
    assert statistics.median(sizes) <= 300
    assert max(sizes) <= 400


def test_periods_and_meta(doc):
    assert doc.meta.year == 2018 and doc.meta.region == "卫东区" and doc.meta.speaker == "安保亮"
    gdp = next(p for p in doc.passages if "地区生产总值111亿元" in p.text)
    target = next(p for p in doc.passages if "地区生产总值增长7.5%左右" in p.text)
    assert (gdp.period, target.period) == (2017, 2018)
    assert section_period(("三、全面加强政府自身建设",), 2017, 2018) is None
    problems = next(p for p in doc.passages if "二是财政收支矛盾日益凸显" in p.text)
    assert problems.period == 2017 and "五是个别工作人员" in problems.text  # one-sentence items: one list


def test_a_review_heading_of_the_plan_under_way_keeps_the_reviewed_year():
    progress = ("一、2008年和“十一五”前三年工作回顾", "（七）“十一五”前三年主要目标进展顺利")
    assert section_period(progress, 2008, 2009) == 2008
    assert section_period(("二、今后五年的主要任务", "（一）“十一五”时期的奋斗目标"), 2005, 2006) == 2010  # a plan ahead
    assert section_period(("一、2020年工作回顾", "（七）“十三五”规划圆满收官"), 2020, 2021) == 2020
    assert section_period(("（七）“十一五”前三年主要目标进展顺利",), 2008, 2009) == 2010  # no review part above it


def test_split_sentences_spans():
    text = "甲乙。丙丁！“戊己。”庚"
    sentences = split_sentences(text, 10)
    assert [s.text for s in sentences] == ["甲乙。", "丙丁！", "“戊己。”", "庚"]
    assert all(text[s.start - 10 : s.end - 10] == s.text for s in sentences)


SYNTHETIC = """\
示例市2019年政府工作报告

——2019年2月1日在示例市第五届人民代表大会第三次会议上

示例市人民政府市长 李四

一、2018年工作回顾

过去一年，全市经济稳中有进。全年地区生产总值达到 1,234.5 亿元，同比增

长 6.8%。

1.产业发展

工业增加值增长 5%。新建5G基站 300 个。

2.民生保障

城镇新增就业 2.1 万人。

- 3 -

二、2019年主要任务

（一）稳增长

（1）扩大投资

力争固定资产投资增长 10%以上。

（2）促进消费

社会消费品零售总额增长 9%左右。
"""


def write_gbk(folder: Path, name: str = "shili-2019.txt") -> Path:
    path = folder / name
    path.write_bytes(SYNTHETIC.encode("gbk"))
    return path


def test_synthetic_gbk_report_with_deeper_numbering(tmp_path):
    doc = load_document(write_gbk(tmp_path))
    assert doc.encoding == "gb18030"
    assert doc.meta.year == 2019 and doc.meta.region == "示例市" and doc.meta.speaker == "李四"
    assert "同比增长6.8%。" in doc.text and "1,234.5亿元" in doc.text
    assert [d.reason for d in doc.dropped] == ["page number"]
    paths = {p.section_path for p in doc.passages}
    assert ("一、2018年工作回顾", "1.产业发展") in paths
    assert ("二、2019年主要任务", "（一）稳增长", "（2）促进消费") in paths
    invest = next(p for p in doc.passages if "固定资产投资" in p.text)
    assert invest.period == 2019 and "（一）稳增长\n\n（1）扩大投资\n\n力争" in invest.text
    employ = next(p for p in doc.passages if "新增就业" in p.text)
    assert employ.period == 2018


def test_corpus_of_two_reports(tmp_path):
    (tmp_path / REPORT.name).write_bytes(REPORT.read_bytes())
    write_gbk(tmp_path)
    docs = load_corpus(tmp_path)
    assert [d.doc_id for d in docs] == ["shili-2019", "weidong-2018-government-work-report"]
    ids = [p.id for d in docs for p in d.passages]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize(
    "raw, message",
    [
        (b"\x00\x01\x02binary", "NUL"),
        (b"\x80\x81\xfe\xfd" * 20, "not UTF-8"),
    ],
)
def test_undecodable_files_get_a_clear_error(raw, message):
    with pytest.raises(CorpusError, match=message):
        decode(raw, "x.txt")


def test_utf16_and_bom_are_read():
    text = "一、回顾\n\n全年增长5%。"
    assert decode(text.encode("utf-16"), "x")[0] == text
    assert decode(b"\xef\xbb\xbf" + text.encode(), "x") == (text, "utf-8-sig")


def test_missing_corpus_folder(tmp_path):
    with pytest.raises(CorpusError, match="no corpus folder"):
        load_corpus(tmp_path / "nope")
    with pytest.raises(CorpusError, match=r"no report \(.txt\)"):
        load_corpus(tmp_path)


def test_a_section_without_a_year_takes_each_runs_year_from_its_first_words(tmp_path):
    """By sector (一、聚焦…): 去年… the year reviewed, 今年… and 2021年… the plan year; a lead before them goes with
    the first run; a section whose headings give a year keeps it whatever its sentences open with."""
    path = tmp_path / "lanshan-2021.txt"
    path.write_text("政府工作报告\n\n——2021年1月12日在岚山区第四届人民代表大会第五次会议上\n\n一、2020年工作回顾\n\n"
                    "今年是十四五开局之年。去年全区地区生产总值增长4.1%。\n\n二、聚焦先进制造\n\n"
                    "推动工业提质增效。去年规模以上工业增加值增长5.2%。全年新增企业36家。今年力争增长7.5%。"
                    "2021年新增企业40家。去年新增市场主体4862户，今年力争新增5000户以上。\n", encoding="utf-8")
    doc = load_document(path)
    period = {s.text: p.period for p in doc.passages for s in p.sentences}
    assert period["推动工业提质增效。"] == period["去年规模以上工业增加值增长5.2%。"] == period["全年新增企业36家。"] == 2020
    assert period["今年力争增长7.5%。"] == period["2021年新增企业40家。"] == 2021
    assert period["今年是十四五开局之年。"] == 2020
    assert period["去年新增市场主体4862户，"] == 2020 and period["今年力争新增5000户以上。"] == 2021  # one sentence, two years


def test_an_ocr_full_stop_read_as_a_dot_between_cjk_characters_ends_a_sentence():
    """停电38天.灾后，… (OCR read 。 as .): two sentences; a decimal point (12.4亿元) never ends one."""
    pieces = [s.text for s in split_sentences("偏远山区最长停电38天.灾后，我们争取资金12.4亿元，增长3.5%。")]
    assert pieces == ["偏远山区最长停电38天.", "灾后，我们争取资金12.4亿元，增长3.5%。"]
