"""qa.render: escaping, highlights, badges, abstentions, fact filters and the report browser."""

from __future__ import annotations

import re

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
def test_badge_labels(verdict, label):
    numeric = NumericAnswer(value=111, unit="亿元", period=2017, kind="estimate", qualifier="预计", verdict=verdict,
                            detail="答案 110 亿元，事实表 111 亿元" if verdict == "conflict" else None)
    out = render.badge_html(numeric)
    assert label in out and f'data-verdict="{verdict}"' in out
    assert "2017年 · 预计 111 亿元" in out  # the qualifier is kept (and not said twice)
    target = NumericAnswer(value=10, unit="%", period=2018, kind="target", qualifier="左右", verdict=verdict)
    assert "2018年 · 目标 · 左右 10 %" in render.badge_html(target)
    if verdict == "conflict":
        assert "答案 110 亿元，事实表 111 亿元" in out


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


def test_fact_rows_show_source_sentence_and_section_escaped():
    out = render.fact_rows_html([_fact(source="<script>x</script>预计111亿元。")])
    assert "&lt;script&gt;" in out and "<script>" not in out
    assert "一、回顾" in out and "预计 111" in out and "7.5%" in out and "1 条" in out
    assert "没有符合条件" in render.fact_rows_html([])


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
    assert "某区 2018 政府工作报告" in out and "一、回顾 <span class=\"qa-count\">[2]</span>" in out
