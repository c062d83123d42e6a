"""What users expect, on two synthetic reports (fake embedder, real FAISS, real fact extraction,
the shipped weights.json): figures with their growth and qualifiers, scoping, follow-ups, honesty."""

from __future__ import annotations

import pytest

from answering_fixtures import build
from qa.models import Turn

A, B = "shiqiao-2020-work-report", "liugang-2022-work-report"


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    from conftest import FakeEmbedder

    return build(tmp_path_factory.mktemp("answering"), embedder=FakeEmbedder())


def ask(engine, question, doc_id=None, *history):
    turns = []
    for earlier in history:
        turns.append(Turn(question=earlier, answer=engine.ask(earlier, turns, doc_id)))
    return engine.ask(question, turns, doc_id)


@pytest.mark.parametrize("doc_id, question, value, growth", [
    (A, "去年地区生产总值是多少？增长了多少？", 86.4, 6.2),
    (B, "去年地区生产总值是多少？增长了多少？", 412.7, 7.8),
])
def test_two_part_question_gives_level_and_growth(engine, doc_id, question, value, growth):
    answer = ask(engine, question, doc_id)
    assert not answer.abstained, answer.answer
    assert (answer.numeric.value, answer.numeric.growth_pct) == (value, growth)
    assert answer.doc_id == doc_id
    assert str(value).rstrip("0").rstrip(".") in answer.citations[0].quote


@pytest.mark.parametrize("doc_id, question, value", [
    (A, "去年一般公共预算收入增长了多少？", -3.1),
    (B, "去年固定资产投资增长多少？", -2.6),
])
def test_a_fall_is_negative_growth(engine, doc_id, question, value):
    answer = ask(engine, question, doc_id)
    assert answer.numeric is not None and answer.numeric.value == value
    assert "下降" in answer.answer


@pytest.mark.parametrize("doc_id, value", [(A, 6.5), (B, 7)])
def test_followup_asks_this_years_target(engine, doc_id, value):
    answer = ask(engine, "那今年的目标呢？", doc_id, "去年地区生产总值增长了多少？")
    assert answer.interpreted_as, "a follow-up shows how it was understood"
    assert answer.numeric is not None and answer.numeric.value == value
    assert "左右" in answer.answer
    assert "目标" in answer.answer.split("[1]")[0], "a target is worded as a target, never as a result"


def test_several_reports_and_no_choice_lists_the_reports(engine):
    answer = ask(engine, "去年固定资产投资增长了多少？")
    assert answer.abstained and set(answer.choices) == {A, B}
    for doc in engine.context.documents:  # each named as a reader cites it, with the id to choose it by
        assert f"《{doc.cited_title}》（{doc.doc_id}）" in answer.answer


def test_the_region_named_chooses_the_report(engine):
    answer = ask(engine, "柳港区去年社会消费品零售总额是多少？")
    assert answer.doc_id == B and answer.numeric.value == 168.3


def test_lone_growth_question_asks_which_indicator(engine):
    answer = ask(engine, "增长了多少？", A)
    assert answer.abstained and "指标" in answer.answer


@pytest.mark.parametrize("doc_id", [A, B])
def test_year_the_report_does_not_cover_abstains(engine, doc_id):
    answer = ask(engine, "2009年地区生产总值是多少？", doc_id)
    assert answer.abstained


def test_qualifier_kept_in_the_wording(engine):
    answer = ask(engine, "今年力争新增上市企业多少家？", B)
    assert answer.numeric is not None and answer.numeric.value == 3
    assert "3家以上" in answer.answer


def test_verdict_is_never_consistent_without_the_table(engine):
    """A verified figure needs a fact row read from the query alone that agrees with the quote."""
    for doc_id in (A, B):
        for question in ("去年地区生产总值是多少？", "去年城镇居民人均可支配收入是多少？"):
            answer = ask(engine, question, doc_id)
            numeric = answer.numeric
            assert numeric is not None
            if numeric.verdict == "consistent":
                row = next(f for f in engine.facts if f.id == numeric.fact_ids[0])
                assert row.value == numeric.value and row.source == answer.citations[0].quote


def test_list_items_are_separate_and_cited_in_order(engine):
    answer = ask(engine, "去年推进了哪些工作？", A)
    assert not answer.abstained, answer.answer
    items = [line for line in answer.answer.splitlines() if line[:1].isdigit()]
    assert len(items) == 3 and all("[1]" in line for line in items)  # one item per enumerated measure
    starts = [c.start for c in answer.citations]
    assert starts == sorted(starts)


@pytest.mark.parametrize("doc_id, question, value", [
    (A, "去年一般公共预算收入是多少万元？", 58000),
    (B, "去年社会消费品零售总额是多少万元？", 1683000),
])
def test_a_unit_asked_in_another_scale_is_converted_and_the_report_quoted(engine, doc_id, question, value):
    answer = ask(engine, question, doc_id)
    assert answer.numeric is not None and (answer.numeric.value, answer.numeric.unit) == (value, "万元")
    assert "报告原文为" in answer.answer and "亿元" in answer.answer


def test_a_reports_words_are_weighed_by_that_report_alone(engine):
    """Adding reports to the corpus never changes how one report's words are weighed: the idf of the
    report asked about is computed over that report only."""
    from qa.evidence import Idf

    ctx = engine.context
    own = Idf([ctx.by_id[A]])
    for term in ("地区生产总值", "固定资产投资", "增长"):
        assert ctx.idf_of(A)(term) == own(term)
    assert ctx.idf_of(None) is ctx.idf


@pytest.mark.parametrize("question", ["When was the report delivered?", "报告是哪天在人代会上作的？", "报告是哪天做的"])
def test_the_date_of_the_report_itself_is_its_head_line(engine, question):
    answer = ask(engine, question, A)
    assert not answer.abstained and "2020年1月10日" in answer.answer


@pytest.mark.parametrize("question, as_rate", [
    ("今年GDP目标是多少", True), ("GDP目标", True),
    ("到2025年一般公共预算收入要达到多少", False), ("今年社零总额目标", False), ("今年财政收入目标多少亿元", False),
])
def test_a_target_asked_as_a_level_is_never_answered_by_its_rate(question, as_rate):
    """Only a bare 目标/多少 may be answered by the target's rate (GDP增长7.5%左右); 要达到多少 or 总额 asks the
    level, and a rate stated beside it ("年均增长6.5%，达到20亿元") once answered it under a ✓."""
    from qa.answering.flow import _rate_target
    from qa.question.parse import parse

    assert _rate_target(parse(question)) is as_rate


CITY = """政府工作报告

——2020年1月8日在云州市第五届人民代表大会第三次会议上

云州市人民政府市长 李文华

一、2019年工作回顾

过去一年，全市经济稳中有进。全市地区生产总值预计达到860.4亿元，增长6.5%；一般公共预算收入52.8亿元，增长5.1%。
支持青石县、白沙县巩固脱贫成果，白沙县农村居民人均可支配收入增长9.1%。
全年减少农村贫困人口2.6万人，青石县、白沙县2个贫困县脱贫摘帽。新建改造城市道路46公里。
全市规模以上工业总产值1260.5亿元，增长7.2%。青石县依托经济开发区，规模以上工业总产值达到386.5亿元。

二、2020年工作安排

今年全市经济社会发展的主要预期目标是：地区生产总值增长6%左右；一般公共预算收入增长5%。
到二〇三五年，全市基本实现现代化。
"""


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    from conftest import FakeEmbedder

    return build(tmp_path_factory.mktemp("city"), embedder=FakeEmbedder(), reports={"yunzhou-2020": CITY})


def test_a_part_of_the_area_is_answered_only_by_figures_about_it(city):
    """A county of a city's report is no other place, but the city's 财政收入 does not answer 白沙县财政收入;
    a parent written before the report's own name is only its full name."""
    part = city.ask("白沙县去年一般公共预算收入多少", doc_id="yunzhou-2020")
    assert part.abstained and "白沙县" in part.answer and part.numeric is None
    assert city.ask("白沙县去年农村居民人均可支配收入增长多少", doc_id="yunzhou-2020").numeric.value == 9.1
    # the sentence names 青石县, but after the city's figure: 2.6万人 is not 青石县's
    assert city.ask("青石县去年减少贫困人口多少", doc_id="yunzhou-2020").numeric is None
    for question in ("云州市去年一般公共预算收入多少", "江北省云州市去年一般公共预算收入多少"):
        assert city.ask(question, doc_id="yunzhou-2020").numeric.value == 52.8, question


@pytest.mark.parametrize("question", ["青石县去年规模以上工业总产值多少", "青石去年规模以上工业总产值多少"])
def test_a_part_asked_by_its_full_or_short_name_takes_the_figure_its_sentence_names(question, city):
    """青石县 (or 青石, its short name) asked: the figure of the sentence naming it (386.5), never the city's 1260.5
    that ranks first on the indicator's words."""
    answer = city.ask(question, doc_id="yunzhou-2020")
    assert answer.numeric is not None and answer.numeric.value == 386.5, answer.answer
    assert "青石县" in answer.answer  # the part's figure said as the part's, not as the city's


def test_a_respectively_lists_figures_answer_no_other_member_of_their_predicates_group(tmp_path):
    """城镇和农村居民人均可支配收入分别…: neither figure is a 消费支出 (收入 is not 支出), though each is its subject's."""
    from conftest import FakeEmbedder

    text = CITY.replace("新建改造城市道路46公里。", "新建改造城市道路46公里。城镇和农村居民人均可支配收入分别达到38620元和17150元。")
    engine = build(tmp_path, embedder=FakeEmbedder(), reports={"yunzhou-2020": text})
    assert engine.ask("去年居民人均消费支出多少", doc_id="yunzhou-2020").numeric is None
    assert engine.ask("去年农村居民人均可支配收入多少", doc_id="yunzhou-2020").numeric.value == 17150


@pytest.mark.parametrize("question", ["去年常住人口多少", "What was the resident population last year?"])
def test_a_population_asked_is_never_answered_by_a_rate_of_it(question, tmp_path):
    """常住人口 names people: 常住人口城镇化率56.4% is a rate of the population, no count of it."""
    from conftest import FakeEmbedder

    text = CITY.replace("新建改造城市道路46公里。", "新建改造城市道路46公里。常住人口城镇化率达到56.4%。")
    engine = build(tmp_path, embedder=FakeEmbedder(), reports={"yunzhou-2020": text})
    assert engine.ask(question, doc_id="yunzhou-2020").numeric is None
    assert engine.ask("去年常住人口城镇化率多少", doc_id="yunzhou-2020").numeric.value == 56.4


def test_a_year_the_report_writes_in_chinese_numerals_is_covered(city):
    """二〇三五年远景目标: a question about 2035 is no question about a year the report never speaks of."""
    assert 2035 in city.context.years_by_doc["yunzhou-2020"]
    assert city.ask("2035年要实现什么", doc_id="yunzhou-2020").abstain_reason != "year"


def test_a_count_asked_is_never_answered_by_a_measure(city):
    """"多少条城市道路" when the report gives 46公里: no figure in kilometres answers a count."""
    answer = city.ask("去年新建改造了多少条城市道路", doc_id="yunzhou-2020")
    assert answer.numeric is None or answer.numeric.unit != "公里"
    assert city.ask("去年新建改造城市道路多少公里", doc_id="yunzhou-2020").numeric.value == 46


def test_a_measure_of_another_kind_never_answers(city):
    """多少平方米 when the report gives 46公里, 多少棵 when it gives 亩: units of two kinds are never mixed."""
    answer = city.ask("去年新建改造城市道路多少平方米", doc_id="yunzhou-2020")
    assert answer.numeric is None or answer.numeric.unit != "公里", answer.answer
    from qa.answering.scoring import unit_fits

    assert not unit_fits("亩", "棵") and not unit_fits("公里", "平方米") and not unit_fits("万吨", "立方米")
    assert not unit_fits("万标箱", "吨")  # containers are no tonnage
    assert unit_fits("个工作日", "天") and unit_fits("万元", "万") and unit_fits("万人", "万")  # 多少万: any amount
    assert city.ask("去年减少农村贫困人口多少万", doc_id="yunzhou-2020").numeric.value == 2.6
    assert unit_fits("万平方米", "平方米") and unit_fits("家", "个") and unit_fits("车次", "吨")  # unknown: weighed


def test_a_level_asked_is_never_answered_by_a_rate_nor_an_area_by_a_count(tmp_path):
    """去年固定资产投资是多少 when the report gives only its growth: the report does not say (a rate is no level);
    征迁面积 is never 5个; the rate still answers 增长了多少, and a target asked as 多少 falls back to its rate."""
    from conftest import FakeEmbedder

    text = CITY.replace("新建改造城市道路46公里。", "新建改造城市道路46公里。固定资产投资增长8.1%。完成城中村改造5个。")
    engine = build(tmp_path, embedder=FakeEmbedder(), reports={"yunzhou-2020": text})
    for question in ("去年固定资产投资是多少", "去年城中村改造征迁面积多少"):
        assert engine.ask(question, doc_id="yunzhou-2020").numeric is None, question
    assert engine.ask("去年固定资产投资增长了多少", doc_id="yunzhou-2020").numeric.value == 8.1
    assert engine.ask("今年地区生产总值目标是多少", doc_id="yunzhou-2020").numeric.value == 6


def test_a_rate_asked_is_answered_only_by_a_rate(tmp_path):
    """研发投入强度 (a rate: question_words.json rate_nouns) is never 研发机构10家, 科技投入2.6亿元 nor their
    增长12.4%; 亩均投资强度 is an amount per 亩."""
    from conftest import FakeEmbedder
    from qa.answering.context import parse_query
    from qa.answering.scoring import score_numbers

    text = CITY.replace("新建改造城市道路46公里。", "新建改造城市道路46公里。新建省级以上研发机构10家，财政科技投入2.6亿元，"
                        "增长12.4%，全社会研发经费投入强度达到2.3%。新供工业用地亩均投资强度350万元。")
    engine = build(tmp_path, embedder=FakeEmbedder(), reports={"yunzhou-2020": text})
    query = parse_query("去年研发投入强度是多少", (), "yunzhou-2020", engine.context)
    kept = {c.q.raw for c in score_numbers(query, engine.context).candidates}
    assert "达到2.3%" in kept and not kept & {"10家", "2.6亿元", "12.4%"}, kept
    per_mu = parse_query("去年亩均投资强度是多少", (), "yunzhou-2020", engine.context)
    assert "350万元" in {c.q.raw for c in score_numbers(per_mu, engine.context).candidates}


def test_a_neighbouring_indicator_never_answers(tmp_path):
    """城镇调查失业率 asked, only 城镇登记失业率 written; 全体居民 asked, only 城镇 and 农村 written: the
    report does not say, and the figure beside it is not offered as the answer."""
    from conftest import FakeEmbedder

    text = CITY.replace("新建改造城市道路46公里。", "新建改造城市道路46公里。城镇登记失业率3.2%。"
                        "城镇居民人均可支配收入38620元，农村居民人均可支配收入17250元。")
    engine = build(tmp_path, embedder=FakeEmbedder(), reports={"yunzhou-2020": text})
    for question in ("去年城镇调查失业率是多少", "去年全体居民人均可支配收入多少"):
        assert engine.ask(question, doc_id="yunzhou-2020").numeric is None, question
    assert engine.ask("去年城镇登记失业率是多少", doc_id="yunzhou-2020").numeric.value == 3.2


def test_a_year_the_report_mentions_is_never_answered_by_another_years_figure(tmp_path):
    """The report names 2018 (an award), not 2018's revenue: 2018年一般公共预算收入 is not 2019's 52.8亿元."""
    from conftest import FakeEmbedder

    text = CITY.replace("新建改造城市道路46公里。", "新建改造城市道路46公里。2018年我市获评省级文明城市。")
    engine = build(tmp_path, embedder=FakeEmbedder(), reports={"yunzhou-2020": text})
    assert engine.ask("2018年一般公共预算收入多少", doc_id="yunzhou-2020").numeric is None
    assert engine.ask("2019年一般公共预算收入多少", doc_id="yunzhou-2020").numeric.value == 52.8


def test_a_false_premise_is_answered_with_the_reports_own_words(engine):
    """为什么…下降了 when it grew: the report's figure, its verb said once (never 增长增长)."""
    answer = ask(engine, "为什么去年地区生产总值下降了？", A)
    assert answer.abstained and answer.abstain_reason == "false_premise", answer.answer
    assert "增长6.2%" in answer.answer and "增长增长" not in answer.answer


def test_a_growth_asked_is_never_answered_by_a_level(city):
    """"增长了多少" with no unit asks a rate: a level of the same indicator (a figure without its rate) does
    not answer it; a change stated after its verb (减少…2.6万人) may."""
    answer = city.ask("去年新建改造城市道路增长了多少", doc_id="yunzhou-2020")
    assert answer.numeric is None or answer.numeric.unit != "公里"
    from qa.answering.context import parse_query
    from qa.answering.scoring import may_answer as _may_answer, score_numbers

    query = parse_query("去年农村贫困人口减少了多少", (), "yunzhou-2020", city.context)
    kept = {c.q.raw for c in score_numbers(query, city.context).candidates}
    assert "2.6万人" in kept and "46公里" not in kept
    road = parse_query("去年新建改造城市道路增长了多少", (), "yunzhou-2020", city.context)
    kept = {c.q.raw for c in score_numbers(road, city.context).candidates}
    assert not kept & {"46公里", "52.8亿元", "达到860.4亿元"} and "6.5%" in kept
    assert _may_answer(query, next(c for c in score_numbers(query, city.context).candidates if c.q.raw == "2.6万人"))


def test_a_who_question_about_the_body_is_answered_from_the_body(tmp_path):
    """哪位老师入选了名师: the report's head names its speaker only; the teacher stands in the body."""
    from conftest import FakeEmbedder

    text = CITY.replace("新建改造城市道路46公里。", "新建改造城市道路46公里。东街小学教师王明入选省级名师。")
    engine = build(tmp_path, embedder=FakeEmbedder(), reports={"yunzhou-2020": text})
    assert "王明" in engine.ask("哪位老师入选了省级名师", doc_id="yunzhou-2020").answer
    assert "李文华" in engine.ask("报告人是谁", doc_id="yunzhou-2020").answer


def test_a_growth_asked_is_answered_neither_by_value_added_nor_by_a_rates_points(tmp_path):
    """增加值 is a level, not the verb 增加; 提高1.3个百分点 is the change of 城镇化率, no growth rate of another
    indicator, but it answers how much 城镇化率 itself rose."""
    from conftest import FakeEmbedder
    from qa.answering.context import parse_query
    from qa.answering.scoring import score_numbers

    text = CITY.replace("新建改造城市道路46公里。", "新建改造城市道路46公里。数字经济核心产业增加值96.5亿元。"
                        "常住人口城镇化率达到56.4%，提高1.3个百分点。")
    engine = build(tmp_path, embedder=FakeEmbedder(), reports={"yunzhou-2020": text})
    for question, unwanted in (("去年数字经济核心产业增加值增长了多少", "96.5亿元"), ("去年常住人口增长了多少", "1.3个百分点")):
        query = parse_query(question, (), "yunzhou-2020", engine.context)
        assert unwanted not in {c.q.raw for c in score_numbers(query, engine.context).candidates}, question
    rate = engine.ask("去年城镇化率提高了多少", doc_id="yunzhou-2020")
    assert rate.numeric is None or (rate.numeric.value, rate.numeric.unit) == (1.3, "个百分点"), rate.answer
    assert "增长1.3%" not in engine.ask("去年城镇化率是多少", doc_id="yunzhou-2020").answer


def test_a_yes_no_question_quotes_the_sentence_saying_the_event_and_names_no_yardstick(tmp_path):
    """十件民生实事完成了吗: 十件 names what is asked about (no figure to compare with); the sentence that says it
    happened (全部完成) answers, not another sentence about 民生实事; a question about what happened asks of the
    review year, so last year's approval answers, not this year's plan."""
    from conftest import FakeEmbedder

    text = CITY.replace("新建改造城市道路46公里。", "新建改造城市道路46公里。我们坚持民生实事由群众提、由群众选。"
                        "年初确定的十件民生实事全部完成。云州综合保税区获国务院批准设立。").replace(
        "到二〇三五年", "加快云州综合保税区建设，确保年内封关运营。到二〇三五年")
    engine = build(tmp_path, embedder=FakeEmbedder(), reports={"yunzhou-2020": text})
    done = engine.ask("去年十件民生实事完成了吗", doc_id="yunzhou-2020")
    assert not done.abstained and "全部完成" in done.citations[0].quote, done.answer
    approved = engine.ask("综合保税区批了吗", doc_id="yunzhou-2020")
    assert not approved.abstained and "批准" in approved.citations[0].quote, approved.answer


def test_a_when_question_is_answered_only_by_a_sentence_stating_a_time(tmp_path):
    """哪年通车 when the report says only that the line is being built: no sentence stating no time answers it;
    什么时候封关 is answered by 年内."""
    from conftest import FakeEmbedder

    text = CITY.replace("新建改造城市道路46公里。", "新建改造城市道路46公里。市轨道交通3号线8个站点全部进入主体施工。").replace(
        "到二〇三五年", "加快云州综合保税区建设，确保年内封关运营。到二〇三五年")
    engine = build(tmp_path, embedder=FakeEmbedder(), reports={"yunzhou-2020": text})
    line = engine.ask("轨道交通3号线哪年通车", doc_id="yunzhou-2020")
    assert line.abstained, line.answer
    customs = engine.ask("综合保税区什么时候封关", doc_id="yunzhou-2020")
    assert not customs.abstained and "年内" in customs.citations[0].quote, customs.answer


def test_a_reduction_indicators_figure_answers_only_that_indicator(tmp_path):
    """单位地区生产总值能耗下降3.2% is no figure of 地区生产总值; it answers 能耗 questions."""
    from conftest import FakeEmbedder
    from qa.answering.context import parse_query
    from qa.answering.scoring import score_numbers

    text = CITY.replace("地区生产总值增长6%左右；", "地区生产总值增长6%左右；单位地区生产总值能耗下降3.2%；")
    engine = build(tmp_path, embedder=FakeEmbedder(), reports={"yunzhou-2020": text})
    gdp = parse_query("今年地区生产总值增长目标是多少", (), "yunzhou-2020", engine.context)
    assert "3.2%" not in {c.q.raw for c in score_numbers(gdp, engine.context).candidates}
    energy = parse_query("今年单位地区生产总值能耗下降目标是多少", (), "yunzhou-2020", engine.context)
    assert "3.2%" in {c.q.raw for c in score_numbers(energy, engine.context).candidates}


SPAN = """政府工作报告

——2021年1月12日在青石县第一届人民代表大会第三次会议上

青石县人民政府县长 张三

一、2020年工作回顾

过去一年，全县社会消费品零售总额88.4亿元，下降2.7%；一般公共预算收入14.62亿元，下降4.3%。
“十三五”时期，全县社会消费品零售总额年均增长6.1%，一般公共预算收入年均增长5.2%。

二、2021年工作安排

今年主要预期目标是：社会消费品零售总额增长10%左右。
"""


def test_a_span_asked_is_answered_by_the_figure_said_of_a_span_and_worded_with_its_years(tmp_path):
    """十三五…年均增长多少: 6.1%, said of the five years, not the last year's −2.7%, and worded 2016—2020年."""
    from conftest import FakeEmbedder

    engine = build(tmp_path, embedder=FakeEmbedder(), reports={"qingshi-2021": SPAN})
    from qa.answering.context import parse_query
    from qa.answering.scoring import score_numbers

    query = parse_query("十三五社会消费品零售总额年均增长多少", (), "qingshi-2021", engine.context)
    kept = {c.q.raw for c in score_numbers(query, engine.context, spans_only=True).candidates}
    assert "6.1%" in kept and "2.7%" not in kept
    answer = engine.ask("十三五社会消费品零售总额年均增长多少", doc_id="qingshi-2021")
    assert answer.abstained or (answer.numeric.value == 6.1 and "2016—2020年" in answer.answer
                                and "年均增长6.1%" in answer.answer)  # 年均 kept: no growth over the five years
    assert query.kind == "result"  # the span ended with the year reviewed: what was achieved
    last = engine.ask("去年社会消费品零售总额增长多少", doc_id="qingshi-2021")
    assert last.abstained or "2016" not in last.answer
    one_year = parse_query("2020年一般公共预算收入增长多少", (), "qingshi-2021", engine.context)
    kept = {c.q.raw for c in score_numbers(one_year, engine.context).candidates}
    assert "4.3%" in kept and "5.2%" not in kept  # one year named: no figure said of the five years


def test_a_result_asked_is_never_answered_by_what_a_plan_set(tmp_path):
    """十三五…年均增长多少 asks what was achieved: 6.1%, never the plan's 9% the report says was missed; asked
    against the plan (比规划目标低多少), the plan's figure is one side."""
    from conftest import FakeEmbedder
    from qa.answering.context import parse_query
    from qa.answering.scoring import score_numbers

    text = SPAN.replace("一般公共预算收入年均增长5.2%。", "一般公共预算收入年均增长5.2%。“十三五”规划确定的社会消费品零售总额"
                        "年均增长9%的目标没有实现。")
    engine = build(tmp_path, embedder=FakeEmbedder(), reports={"qingshi-2021": text})
    query = parse_query("十三五社会消费品零售总额年均增长多少", (), "qingshi-2021", engine.context)
    kept = {c.q.raw for c in score_numbers(query, engine.context, spans_only=True).candidates}
    assert "6.1%" in kept and "9%" not in kept
    plan = parse_query("十三五社会消费品零售总额规划目标年均增长多少", (), "qingshi-2021", engine.context)
    assert "9%" in {c.q.raw for c in score_numbers(plan, engine.context, spans_only=True).candidates}


@pytest.mark.parametrize("question", [
    "2020年地区生产总值是多少亿元",       # the 2020 target is a rate, no amount in 亿元
    "2019年一般公共预算收入增长目标是多少",  # the report gives 2019's result (5.1%), never its target
    "今年一般公共预算收入要达到多少亿元",    # a rate (5%) answers no amount in 亿元
    "去年一般公共预算收入多少亿美元",        # 52.8亿元 is no amount in another currency
])
def test_no_figure_of_another_year_kind_or_unit_answers(city, question):
    answer = city.ask(question, doc_id="yunzhou-2020")
    assert answer.numeric is None, answer.answer


def test_an_english_question_contrasts_by_its_words_first_senses():
    from qa.answering.features import asked_members, contrast
    from qa.question.parse import parse

    asked = asked_members(parse("How much did Weidong export in 2017?"))
    assert contrast(asked, "外贸进出口总额") == 1 and contrast(asked, "出口总额") == 0


def test_a_word_typed_by_its_sound_is_read_as_the_reports_and_shown(city):
    """一般公共预算收如 (a pinyin slip) asks 一般公共预算收入: answered, and the question shown as read."""
    answer = city.ask("去年一般公共预算收如多少", doc_id="yunzhou-2020")
    assert answer.numeric is not None and answer.numeric.value == 52.8, answer.answer
    assert answer.interpreted_as == "去年一般公共预算收入多少"
    assert city.ask("去年一般公共预算收入多少", doc_id="yunzhou-2020").interpreted_as is None


def test_a_slip_is_read_by_the_words_of_the_report_asked_about(tmp_path):
    """Adding a report never changes how a question about another is read: 棚护区 is 棚户区 only in the
    report that writes 棚户区."""
    from conftest import FakeEmbedder

    other = CITY.replace("云州", "石川").replace("新建改造城市道路46公里。", "实施棚户区改造新开工2.86万套。")
    engine = build(tmp_path, embedder=FakeEmbedder(), reports={"yunzhou-2020": CITY, "shichuan-2020": other})
    assert engine.ask("去年棚护区改造新开工多少套", doc_id="yunzhou-2020").interpreted_as is None
    assert engine.ask("去年棚护区改造新开工多少套", doc_id="shichuan-2020").interpreted_as == "去年棚户区改造新开工多少套"


def test_a_narrowing_word_asked_is_never_answered_by_a_figure_without_it(tmp_path):
    """人均GDP is no GDP, 一季度 growth no year's growth, 经开区 GDP no city's GDP (question_words.json "narrowing"): the
    report that gives only the whole year's total does not say them; where it says them they answer."""
    from conftest import FakeEmbedder

    engine = build(tmp_path, embedder=FakeEmbedder(), reports={"yunzhou-2020": CITY})
    for question in ("去年人均GDP是多少", "去年一季度地区生产总值增长多少", "What was the GDP growth in the first quarter of 2019?",
                     "去年经开区地区生产总值是多少"):
        assert engine.ask(question, doc_id="yunzhou-2020").numeric is None, question
    text = CITY.replace("新建改造城市道路46公里。", "新建改造城市道路46公里。一季度，全市地区生产总值增长5.2%。"
                        "人均地区生产总值68620元。云州经济技术开发区实现地区生产总值126亿元。")
    said = build(tmp_path / "said", embedder=FakeEmbedder(), reports={"yunzhou-2020": text})
    assert said.ask("去年人均地区生产总值是多少", doc_id="yunzhou-2020").numeric.value == 68620
    assert said.ask("去年一季度地区生产总值增长多少", doc_id="yunzhou-2020").numeric.value == 5.2
    assert said.ask("去年经开区地区生产总值是多少", doc_id="yunzhou-2020").numeric.value == 126


def test_an_amount_asked_by_another_name_is_never_answered_by_a_count(tmp_path):
    """GDP names 地区生产总值 (the glossary): an amount of money, never 260家 (units.json kind_nouns)."""
    from conftest import FakeEmbedder
    from qa.answering.context import parse_query
    from qa.answering.scoring import score_numbers

    text = CITY.replace("全市经济稳中有进。", "全市经济稳中有进，规模以上工业企业达到260家。")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "glossary.jsonl").write_text('{"term": "地区生产总值", "aliases": ["GDP"]}\n', encoding="utf-8")
    engine = build(tmp_path, embedder=FakeEmbedder(), reports={"yunzhou-2020": text})
    figures = {c.q.raw for c in score_numbers(parse_query("去年GDP是多少", (), "yunzhou-2020", engine.context),
                                              engine.context).candidates}
    assert any("860.4" in f for f in figures) and not any("260家" in f for f in figures)
    assert engine.ask("去年规模以上工业企业有多少家", doc_id="yunzhou-2020").numeric.value == 260


def test_a_reduction_indicator_and_the_governments_own_level_are_never_answered_without_their_words(tmp_path):
    """单位地区生产总值能耗 is no 地区生产总值: its target is never the GDP growth target; 市本级 (question_words.json
    narrowing own_level) is never the whole city's figure."""
    from conftest import FakeEmbedder

    text = CITY.replace("一般公共预算收入增长5%。", "一般公共预算收入增长5%；单位地区生产总值能耗降低3.2%。")
    engine = build(tmp_path, embedder=FakeEmbedder(), reports={"yunzhou-2020": text})
    target = engine.ask("今年单位地区生产总值能耗降低目标是多少", doc_id="yunzhou-2020")
    assert target.numeric is not None and target.numeric.value == 3.2, target.answer
    from qa.answering.context import parse_query
    from qa.answering.scoring import score_numbers

    query = parse_query("今年单位地区生产总值能耗降低目标是多少", (), "yunzhou-2020", engine.context)
    assert all("能耗" in c.group for c in score_numbers(query, engine.context).candidates)
    assert engine.ask("今年地区生产总值增长目标是多少", doc_id="yunzhou-2020").numeric.value == 6
    assert engine.ask("去年市本级一般公共预算收入多少", doc_id="yunzhou-2020").numeric is None


def test_how_many_there_are_is_never_answered_by_how_many_were_added(tmp_path):
    """总共有多少张医疗床位: 新增医疗床位820张 is an increment, not the stock; 总数达到53家 answers 共有多少家."""
    from conftest import FakeEmbedder

    text = CITY.replace("新建改造城市道路46公里。", "新建改造城市道路46公里。新增医疗床位820张。新增高新技术企业14家，总数达到53家。")
    engine = build(tmp_path, embedder=FakeEmbedder(), reports={"yunzhou-2020": text})
    assert engine.ask("云州总共有多少张医疗床位", doc_id="yunzhou-2020").numeric is None
    assert engine.ask("去年新增医疗床位多少张", doc_id="yunzhou-2020").numeric.value == 820
    assert engine.ask("全市共有多少家高新技术企业", doc_id="yunzhou-2020").numeric.value == 53


def test_a_count_followed_by_what_it_counts_is_named_by_those_words(tmp_path):
    """建成4个标准化街道文化中心、19个社区（村）文化活动室: 19个 is named 社区（村）文化活动室, never 标准化街道文化中心."""
    from conftest import FakeEmbedder

    text = CITY.replace("新建改造城市道路46公里。", "新建改造城市道路46公里。深入实施文化惠民工程，建成4个标准化街道文化中心、"
                        "19个社区（村）文化活动室。")
    engine = build(tmp_path, embedder=FakeEmbedder(), reports={"yunzhou-2020": text})
    answer = engine.ask("去年建成社区（村）文化活动室多少个", doc_id="yunzhou-2020")
    assert answer.numeric.value == 19, answer.answer
    assert "社区（村）文化活动室19个" in answer.answer and "街道文化中心19" not in answer.answer


def test_a_figure_of_part_of_a_year_answers_no_question_about_the_year(tmp_path):
    """一季度…增长4.1% is no year's growth (question_words.json narrowing.both_ways): a report giving only the
    quarter's does not say the year's."""
    from conftest import FakeEmbedder

    text = CITY.replace("新建改造城市道路46公里。", "新建改造城市道路46公里。一季度，全市规模以上工业增加值增长4.1%。")
    engine = build(tmp_path, embedder=FakeEmbedder(), reports={"yunzhou-2020": text})
    assert engine.ask("去年规模以上工业增加值增长多少", doc_id="yunzhou-2020").numeric is None
    assert engine.ask("去年一季度规模以上工业增加值增长多少", doc_id="yunzhou-2020").numeric.value == 4.1


def test_a_zone_of_a_districts_area_asked_by_its_short_name_is_no_other_place(tmp_path):
    """综保区 in a district's report: a zone, at no level of government (a 区 of the district's own level would be a
    neighbour), written by the report as 综合保税区 (the glossary's other name): its own figure answers."""
    from conftest import FakeEmbedder

    district = CITY.replace("云州市", "云东区").replace("全市", "全区").replace(
        "新建改造城市道路46公里。", "新建改造城市道路46公里。云东综合保税区封关运营，全年实现进出口额41.3亿元。")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "glossary.jsonl").write_text(
        '{"term": "综合保税区", "aliases": ["综保区"]}\n', encoding="utf-8")
    engine = build(tmp_path, embedder=FakeEmbedder(), reports={"yundong-2020": district})
    answer = engine.ask("综保区去年进出口额多少", doc_id="yundong-2020")
    assert answer.numeric is not None and answer.numeric.value == 41.3, answer.answer
    assert engine.ask("西湖区去年进出口额多少", doc_id="yundong-2020").abstained  # another place stays one


def test_the_year_reviewed_is_never_answered_by_the_start_of_a_change(tmp_path):
    """"城镇居民人均可支配收入由26010元增加到36480元" over five years: the reviewed year's income is 36480元."""
    from conftest import FakeEmbedder

    text = CITY.replace("新建改造城市道路46公里。", "新建改造城市道路46公里。五年来，城乡居民人均可支配收入分别由26010元、"
                        "12753元增加到36480元、19260元。")
    engine = build(tmp_path, embedder=FakeEmbedder(), reports={"yunzhou-2020": text})
    from qa.answering.context import parse_query
    from qa.answering.scoring import score_numbers

    query = parse_query("去年城镇居民人均可支配收入多少", (), "yunzhou-2020", engine.context)
    kept = {c.q.raw for c in score_numbers(query, engine.context).candidates}
    assert "36480元" in kept and "26010元" not in kept, kept  # the span's end state is its last year's level
    plain = build(tmp_path / "plain", embedder=FakeEmbedder(), reports={"yunzhou-2020": text.replace("五年来，", "")})
    query = parse_query("去年城镇居民人均可支配收入多少", (), "yunzhou-2020", plain.context)
    kept = {c.q.raw for c in score_numbers(query, plain.context).candidates}
    assert "36480元" in kept and "26010元" not in kept, kept  # no span said: the start state is still no answer


def test_a_range_is_answered_with_both_ends_and_its_year_once(tmp_path):
    """"地区生产总值增长6%—6.5%": never the low end alone; "2019年规模以上工业企业达到…": 2019年 said once."""
    from conftest import FakeEmbedder

    text = CITY.replace("地区生产总值增长6%左右", "地区生产总值增长6%—6.5%").replace(
        "新建改造城市道路46公里。", "新建改造城市道路46公里。2019年规模以上工业企业达到326家。")
    engine = build(tmp_path, embedder=FakeEmbedder(), reports={"yunzhou-2020": text})
    answer = engine.ask("今年地区生产总值增长目标是多少", doc_id="yunzhou-2020")
    assert "6%—6.5%" in answer.answer and (answer.numeric.value, answer.numeric.high) == (6, 6.5), answer.answer
    answer = engine.ask("去年规模以上工业企业有多少家", doc_id="yunzhou-2020")
    assert answer.numeric.value == 326 and answer.answer.count("2019年") == 1, answer.answer


def test_an_annual_mean_is_one_years_level_an_average_growth_of_a_list_is_several_years(tmp_path):
    """PM2.5年均浓度 is the year's mean; 年均分别增长8.1%和8.9% (the 年均 before 分别) is five years' average growth."""
    from conftest import FakeEmbedder
    from qa.answering.context import parse_query
    from qa.answering.scoring import score_numbers

    text = CITY.replace("新建改造城市道路46公里。", "新建改造城市道路46公里。PM2.5年均浓度35微克/立方米。五年来，城镇、农村居民"
                        "人均可支配收入年均分别增长8.1%和8.9%。")
    engine = build(tmp_path, embedder=FakeEmbedder(), reports={"yunzhou-2020": text})
    pm = parse_query("2019年PM2.5浓度多少", (), "yunzhou-2020", engine.context)
    assert "35微克/立方米" in {c.q.raw for c in score_numbers(pm, engine.context).candidates}
    rural = parse_query("2019年白沙县农村居民人均可支配收入增长多少", (), "yunzhou-2020", engine.context)
    kept = {c.q.raw for c in score_numbers(rural, engine.context).candidates}
    assert "9.1%" in kept and not kept & {"8.1%", "8.9%"}, kept


def test_a_bare_repetition_of_a_figure_gives_way_to_the_sentence_saying_its_qualifier(tmp_path):
    """An appended table repeats 860.4 without the text's 预计: whichever ranks first, the answer says 预计."""
    from conftest import FakeEmbedder
    from qa.answering import pairs
    from qa.answering.candidates import number_candidates
    from qa.answering.flow import _said_elsewhere
    from qa.models import Hit

    text = CITY + "附表1 2019年主要指标完成情况\n指标\n单位\n2019年\n比上年增长（%）\n地区生产总值\n亿元\n860.4\n6.5\n"
    engine = build(tmp_path, embedder=FakeEmbedder(), reports={"yunzhou-2020": text})
    doc = engine.context.by_id["yunzhou-2020"]
    table = next(p for p in doc.passages if p.section_path and p.section_path[0].startswith("附表1"))
    bare = next(c for c in number_candidates([Hit(passage=table, score=0, rank=1, retriever="t")]) if c.q.value == 860.4)
    assert not bare.q.hedges
    fuller = pairs.fullest(bare, _said_elsewhere(bare, engine.context))
    assert "预计" in fuller.q.hedges and fuller.passage.id != table.id
    assert "预计" in engine.ask("去年地区生产总值是多少", doc_id="yunzhou-2020").answer


PARTS = """政府工作报告

——2023年1月10日在岚山市第九届人民代表大会第一次会议上

岚山市人民政府市长 周明

一、2022年工作回顾

２０２２年，面对疫情冲击，我们全力稳住经济大盘。预计全市地区生产总值3862.4亿元，增长4.6%，人均地区生产总值达到7.94万元。
临川县地区生产总值612.4亿元，增长5.8%；松岭县地区生产总值486.5亿元，增长4.9%。
临川县、松岭县农村居民人均可支配收入分别达到32680元和26420元。
市区实现地区生产总值2367.7亿元。全社会研发经费投入强度达到2.36%，比2017年提高0.68个百分点。
发放援企稳岗补贴2370万元，惠及企业1430家、职工3.6万人。
一般公共预算收入286.5亿元，一般公共预算支出512.3亿元；投入财政专项扶贫资金18.7亿元。
第三产业增加值2082.3亿元，占地区生产总值比重达到53.9%。

二、今后五年的目标任务

今后五年的主要目标是：一般公共预算收入年均增长6%，突破380亿元；地区生产总值年均增长6%左右，到2027年突破5000亿元；规模以上工业总产值突破8000亿元。

三、2023年工作安排

今年的主要预期目标是：地区生产总值增长6.5%左右；城镇、农村居民人均可支配收入分别增长6%和7.5%。
"""


@pytest.fixture(scope="module")
def parts(tmp_path_factory):
    """岚山市 with figures of its counties (临川县, 松岭县), of its 市区 and of neighbouring indicators, and the
    shipped glossary (GDP is 地区生产总值)."""
    import shutil
    from pathlib import Path

    from conftest import FakeEmbedder

    tmp = tmp_path_factory.mktemp("parts")
    (tmp / "corpus").mkdir()
    shutil.copy(Path(__file__).resolve().parents[1] / "corpus" / "glossary.jsonl", tmp / "corpus" / "glossary.jsonl")
    return build(tmp, embedder=FakeEmbedder(), reports={"lanshan-2023": PARTS})


@pytest.mark.parametrize("question, value", [
    ("去年GDP是多少", 3862.4),  # not 临川县's 612.4, 市区's 2367.7 nor 人均地区生产总值's 7.94
    ("岚山去年地区生产总值多少", 3862.4),
    ("临川去年GDP多少", 612.4),  # not 临川县's 农村居民人均可支配收入 of the same 分别 list's sentence
    ("松岭县农民收入多少", 26420),
    ("到2027年GDP要达到多少", 5000),  # not 一般公共预算收入's 380亿元 nor 规模以上工业总产值's 8000亿元
    ("今年农民收入计划涨多少", 7.5),  # 农民收入 is 农村居民…: the 农村 subject of the 分别 list
    ("今年城镇居民收入计划增长多少", 6),  # the 人均 inside 居民人均可支配收入 narrows nothing
    ("去年财政支出比收入多多少亿", 225.8),  # the side 收入 asks no 一般公共预算支出: 512.3 − 286.5, not − 18.7
    ("去年第三产业增加值占比多少", 53.9),  # a share's clause names its whole (占地区生产总值比重): no other indicator
])
def test_a_figure_answers_only_for_the_area_and_indicator_its_own_words_name(parts, question, value):
    answer = parts.ask(question, doc_id="lanshan-2023")
    assert answer.numeric is not None and answer.numeric.value == value, answer.answer


def test_people_asked_are_counted_in_people(parts):
    """惠及了多少职工: a count of people, never the subsidy's 2370万元 nor the 1430家 firms beside it."""
    from qa.answering.context import parse_query
    from qa.answering.scoring import score_numbers

    query = parse_query("援企稳岗补贴惠及了多少职工", (), "lanshan-2023", parts.context)
    kept = {c.q.raw for c in score_numbers(query, parts.context).candidates}
    assert "3.6万人" in kept and not kept & {"2370万元", "1430家"}, kept


def test_the_parts_of_an_area_are_read_from_the_report(parts):
    """临川县 and 松岭县 are written twice, and side by side: parts of 岚山市; 市区 is an area word, no place."""
    assert set(parts.context.parts_of("lanshan-2023")) == {"临川县", "松岭县"}


def test_a_later_years_figure_is_not_an_earlier_years_because_its_sentence_compares_with_it(parts):
    """达到2.36%，比2017年提高0.68个百分点: 2.36% is 2022's; the report gives no 2017 level."""
    answer = parts.ask("2017年研发经费投入强度是多少", doc_id="lanshan-2023")
    assert answer.numeric is None or answer.numeric.value not in (2.36,), answer.answer


def test_the_fact_table_adds_the_passage_of_the_asked_figure(parts):
    """A passage holding the whole area's row of the asked indicator, year and kind is a candidate source even
    when search ranked it below others."""
    from qa.answering.context import parse_query

    ctx = parts.context
    query = parse_query("去年GDP是多少", (), "lanshan-2023", ctx)
    added = ctx.fact_hits(query, [])
    assert any("3862.4亿元" in h.passage.text for h in added) and all(h.retriever == "facts" for h in added)
    assert ctx.fact_hits(query, added) == []  # never a passage already retrieved


def test_an_english_questions_sentence_is_chosen_by_its_words_and_meaning_together():
    """Of the best sentences by words, the one whose word score and cosine with the question add up highest: a
    sentence close in meaning overtakes one sharing more loosely translated words, not one far ahead by them."""
    from types import SimpleNamespace

    from qa.answering.text import _closest_in_meaning

    evidence = [SimpleNamespace(score=s, sentence=SimpleNamespace(text=t)) for s, t in ((0.44, "a"), (0.38, "b"), (0.35, "c"))]
    sims = {"a": 0.27, "b": 0.54, "c": 0.23}
    ctx = SimpleNamespace(similarities=lambda q, texts: [sims[t] for t in texts])
    assert _closest_in_meaning(SimpleNamespace(text="q"), ctx, evidence).sentence.text == "b"
    sims.update(a=0.28, b=0.30)  # far ahead by its words: the first stays
    evidence[0].score = 0.9
    assert _closest_in_meaning(SimpleNamespace(text="q"), ctx, evidence).sentence.text == "a"


def test_a_hedge_the_name_already_says_is_not_said_twice(tmp_path):
    """全市地区生产总值预计完成860.4亿元: the answer says 预计 once, before the figure or in the name."""
    from conftest import FakeEmbedder

    text = CITY.replace("预计达到860.4亿元", "预计完成860.4亿元")
    engine = build(tmp_path, embedder=FakeEmbedder(), reports={"yunzhou-2020": text})
    answer = engine.ask("去年地区生产总值多少", doc_id="yunzhou-2020")
    assert answer.numeric.value == 860.4 and answer.numeric.qualifier == "预计"
    assert answer.answer.count("预计") == 1, answer.answer


def test_the_start_of_a_change_answers_the_year_its_clause_names(tmp_path):
    """“十三五”以来…由2015年的612.5亿元增加到860.4亿元: 612.5 is 2015's level (said of years, but its own clause
    names the year asked), and 860.4 is never 2015's."""
    from conftest import FakeEmbedder

    text = CITY.replace("新建改造城市道路46公里。", "新建改造城市道路46公里。“十三五”规划实施四年来，全市地区生产总值"
                        "由2015年的612.5亿元增加到860.4亿元，年均增长8.9%。")
    engine = build(tmp_path, embedder=FakeEmbedder(), reports={"yunzhou-2020": text})
    start = engine.ask("2015年全市地区生产总值多少", doc_id="yunzhou-2020")
    assert start.numeric.value == 612.5 and start.numeric.period == 2015 and start.answer.startswith("2015年")
    assert "由" not in start.answer.split("[")[0], start.answer  # named as the indicator, its year said once
    assert engine.ask("2019年全市地区生产总值多少", doc_id="yunzhou-2020").numeric.value == 860.4
    span = engine.ask("十三五以来全市地区生产总值累计完成多少", doc_id="yunzhou-2020")  # never the span's start
    assert span.numeric is None or span.numeric.value != 612.5, span.answer


def test_a_rate_short_of_the_target_set_at_the_start_of_the_year(tmp_path):
    """增长7.2%，低于年初确定的9%的目标: 9% is that year's growth target (no 增长 before it), 规模以上 in the name is
    no hedge (以上) making 7.2% a target, and 比年初目标差几个百分点 compares the two of the year reviewed."""
    from conftest import FakeEmbedder

    text = CITY.replace("新建改造城市道路46公里。", "新建改造城市道路46公里。全市规模以上工业增加值增长7.2%，低于年初确定的9%的目标。"
                        "全社会固定资产投资236.8亿元，年度目标220亿元。")
    engine = build(tmp_path, embedder=FakeEmbedder(), reports={"yunzhou-2020": text})
    excess = engine.ask("全社会固定资产投资比年度目标多完成了多少亿元", doc_id="yunzhou-2020")  # 年度目标: that year's too
    assert excess.numeric is not None and excess.numeric.value == 16.8, excess.answer
    target = engine.ask("2019年规模以上工业增加值增长目标是多少", doc_id="yunzhou-2020")
    assert target.numeric is None or target.numeric.value == 9, target.answer
    gap = engine.ask("规上工业增加值增速比年初目标差几个百分点", doc_id="yunzhou-2020")
    assert gap.numeric is not None and gap.numeric.value == 1.8, gap.answer


def test_a_figure_said_of_another_levels_whole_area_is_not_the_reports(tmp_path):
    """白沙县…，全县社会消费品零售总额达到40.2亿元 in a city's report: 全县 is the county's, so the city's 社零 is not
    stated; asked of 白沙县 it is the answer."""
    from conftest import FakeEmbedder

    text = CITY.replace("白沙县农村居民人均可支配收入增长9.1%。",
                        "白沙县农村居民人均可支配收入增长9.1%，全县社会消费品零售总额达到40.2亿元。")
    engine = build(tmp_path, embedder=FakeEmbedder(), reports={"yunzhou-2020": text})
    whole = engine.ask("去年社会消费品零售总额多少", doc_id="yunzhou-2020")
    assert whole.numeric is None or whole.numeric.value != 40.2, whole.answer
    assert engine.ask("白沙县去年社会消费品零售总额多少", doc_id="yunzhou-2020").numeric.value == 40.2


SECTORS = """政府工作报告

——2021年1月12日在岚山区第四届人民代表大会第五次会议上

岚山区人民政府区长　方启明

过去一年，全区地区生产总值预计完成386.2亿元，增长4.1%。

今年经济社会发展的主要预期目标是：地区生产总值增长7%左右。

一、聚焦先进制造，壮大实体经济

（一）推动工业提质增效。去年规模以上工业增加值增长5.2%，新增规模以上工业企业36家。今年规模以上工业增加值增长7.5%，力争新增规模以上工业企业40家以上。

二、聚焦民生改善，增进群众福祉

去年城镇新增就业1.28万人，新增学位5400个。2021年城镇新增就业1.3万人，新增学位6000个。
去年新增市场主体4862户，今年力争新增市场主体5000户以上。
"""


@pytest.fixture(scope="module")
def sectors(tmp_path_factory):
    from conftest import FakeEmbedder

    return build(tmp_path_factory.mktemp("sectors"), embedder=FakeEmbedder(), reports={"lanshan-2021": SECTORS})


@pytest.mark.parametrize("question, value", [
    ("去年规上工业增加值增长多少", 5.2), ("今年规上工业增加值增长目标是多少", 7.5),
    ("去年新增学位多少个", 5400), ("今年新增学位目标是多少", 6000),
    ("去年新增规上工业企业多少家", 36), ("今年打算新增多少规上工业企业", 40),
    ("去年新增市场主体多少户", 4862), ("今年打算新增多少户市场主体", 5000),  # two years in one sentence
])
def test_a_report_by_sector_says_each_sentences_year_by_its_first_words(sectors, question, value):
    """Parts by sector, each saying what was done last year and what will be done this year (去年…。今年…。,
    2021年…): a sentence's year words give its period where the headings give none; a plan figure is never last
    year's result, and the answer names the figure without the year word it states once before it."""
    answer = sectors.ask(question, doc_id="lanshan-2021")
    assert answer.numeric is not None and answer.numeric.value == value, answer.answer
    assert "去年" not in answer.answer and "今年" not in answer.answer and answer.answer.count("力争") <= 1


def test_an_english_question_naming_a_part_by_its_pinyin_gets_only_that_parts_figure(tmp_path):
    """Baisha County (白沙县, named in the report): only a figure whose clause names it answers; the city's own
    figure does not, and a word merely containing a short name's pinyin (ye in "year") names no place."""
    from conftest import FakeEmbedder

    text = CITY.replace("白沙县农村居民人均可支配收入增长9.1%。", "全市接待游客2860万人次，其中白沙县接待游客460万人次。")
    engine = build(tmp_path, embedder=FakeEmbedder(), reports={"yunzhou-2020": text})
    part = engine.ask("How many tourists did Baisha County receive in 2019?", doc_id="yunzhou-2020")
    assert part.numeric is None or part.numeric.value == 460, part.answer
    whole = engine.ask("How many tourists did Yunzhou receive in 2019?", doc_id="yunzhou-2020")
    assert whole.numeric is None or whole.numeric.value == 2860, whole.answer


TABLED = """政府工作报告

——2009年2月16日在沅江市第三届人民代表大会第三次会议上

一、2008年工作回顾

全市地区生产总值486.3亿元，增长11.2%；社会消费品零售总额172.6亿元，增长21.4%。

附表：2008年全市主要经济指标完成情况
指标名称                    2008年        单位        比上年增长(%)
地区生产总值                486.3         亿元        11.2
原煤产量                    286.4         万吨        -8.6
"""


def test_a_figure_the_text_and_a_table_both_state_is_quoted_from_the_text(tmp_path):
    """The table backs the text: 地区生产总值 is quoted from the running text's sentence; a figure only the table
    gives is quoted from its row, a fall printed -8.6 worded as one."""
    from conftest import FakeEmbedder

    engine = build(tmp_path, embedder=FakeEmbedder(), reports={"yuanjiang-2009": TABLED})
    gdp = engine.ask("2008年地区生产总值多少", doc_id="yuanjiang-2009")
    assert gdp.numeric.value == 486.3 and "比上年" not in gdp.citations[0].quote, gdp.citations[0].quote
    assert engine.context.by_id["yuanjiang-2009"].in_table(gdp.citations[0].start) is False
    coal = engine.ask("2008年原煤产量多少？增长多少", doc_id="yuanjiang-2009")
    assert (coal.numeric.value, coal.numeric.growth_pct) == (286.4, -8.6), coal.answer


@pytest.mark.parametrize("question, value", [
    ("规模以上工业企业有多少家", 96),  # asked as existence, no verb: how many there are (总数达到96家)
    ("全县有多少家规模以上工业企业", 96),
    ("去年新增规模以上工业企业有多少家", 12),  # 新增 asks what was added
])
def test_how_many_there_are_is_the_stock_and_how_many_were_added_the_increment(engine, question, value):
    answer = ask(engine, question, A)
    assert answer.numeric is not None and answer.numeric.value == value, answer.answer
