"""The question layer: one parse into a frozen Query (measure, kind, years, unit, topic, scope)."""

from __future__ import annotations

import time

import pytest
from pydantic import ValidationError

from qa.errors import InputError
from qa.models import DocProfile
from qa.question.parse import parse, unit_asked
from qa.question.text import clean_question, normalize

# two invented reports of different levels and years: nothing here is tuned to one report
REPORTS = {
    "hexi": DocProfile(region="河西县", level="county", area_word="全县", review_year=2020, plan_year=2021),
    "dongcheng": DocProfile(region="东城市", level="city", area_word="全市", review_year=2018, plan_year=2019),
}


def q(text, doc="hexi", **kw):
    return parse(text, reports=REPORTS, chosen_doc=doc, **kw)


# --- input -------------------------------------------------------------------------------------

@pytest.mark.parametrize("bad", ["", "   ", "\x00\x01", "？？？", "\u200b"])
def test_empty_or_textless_input_is_refused_in_chinese(bad):
    with pytest.raises(InputError, match="问题"):
        q(bad)


@pytest.mark.parametrize("bad", [None, 3, ["GDP"], {"q": 1}])
def test_non_text_is_refused_naming_the_problem(bad):
    with pytest.raises(InputError, match="问题"):
        q(bad)


def test_too_long_is_refused_with_the_limit():
    with pytest.raises(InputError, match="500"):
        q("地" * 501)


def test_control_characters_and_lone_surrogates_are_cleaned():
    assert clean_question("GDP\x00是多少\ud800？\u202e") == "GDP是多少？"
    assert q("GDP\ud800是多少").topic == "gdp"


def test_unknown_chosen_report_is_refused():
    with pytest.raises(InputError, match="没有这份报告"):
        q("GDP是多少", doc="nowhere")


def test_traditional_and_full_width_are_normalised():
    assert normalize("國內生產總值２０２０年") == "国内生产总值2020年"
    a = q("爲什麼去年固定資產投資下降了")
    assert a.topic == "固定资产投资" and a.why and a.negative_claim and a.years == (2020,)


def test_query_is_frozen():
    with pytest.raises(ValidationError):
        q("GDP是多少").topic = "x"


# --- years ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, doc, years", [
    ("去年GDP是多少", "hexi", (2020,)),
    ("去年GDP是多少", "dongcheng", (2018,)),
    ("上年财政收入", "hexi", (2019,)),  # the reports' 上年: the year before the one reviewed (比上年提高…)
    ("2020年财政收入比上年增长多少", "hexi", (2020,)),  # 比上年 is the base of the change, no year asked
    ("今年GDP目标", "dongcheng", (2019,)),
    ("前年规上工业企业有几家", "hexi", (2019,)),
    ("明年打算怎么做", "hexi", (2022,)),
    ("二〇一七年GDP", "hexi", (2017,)),
    ("2020 一般公共预算收入", "hexi", (2020,)),
    ("GDP target for 2019", "dongcheng", (2019,)),
    ("What was GDP last year?", "dongcheng", (2018,)),
])
def test_years_resolve_against_the_scoped_report(text, doc, years):
    assert q(text, doc=doc).years == years


def test_an_amount_is_not_a_year():
    query = q("财政收入超过2000亿元了吗")
    assert 2000 not in query.years and query.quantities[0].value == 2000
    assert query.years == () or query.year_assumed  # what has happened: the review year, assumed


@pytest.mark.parametrize("text, yardstick", [
    ("财政收入超过2000亿元了吗", True), ("地区生产总值是否突破1000亿元", True), ("GDP增长7%了吗", True),
    ("十件民生实事完成了吗", False), ("55个重点项目都完成了吗", False),
])
def test_a_quantity_is_a_yardstick_only_when_compared_with(text, yardstick):
    """是否超过100亿元 compares; 十件民生实事 only names what is asked about."""
    assert q(text).yardstick is yardstick


def test_a_yes_no_question_keeps_the_reports_words_for_its_event_and_asks_of_the_review_year():
    query = q("民生实事完成了吗", doc="dongcheng")
    assert "完成" in query.event_words and "办结" in query.event_words and query.years == (2018,)
    approved = q("综合保税区批了吗", doc="dongcheng")
    assert "批准" in approved.event_words and approved.years == (2018,) and approved.year_assumed
    assert q("民生实事完成了吗").event_words and not q("民生实事有多少件").event_words


def test_target_without_year_asks_the_plan_year():
    query = q("GDP增长目标是多少", doc="dongcheng")
    assert (query.years, query.kind, query.measure) == ((2019,), "target", "growth")


def test_last_years_target_met_asks_the_review_year():
    query = q("去年的目标完成了吗")
    assert query.years == (2020,) and query.measure == "yesno"
    assert [(s.year, s.kind) for s in query.sides] == [(2020, "target"), (2020, "result")]


@pytest.mark.parametrize("text, start, end", [
    ("十三五期间固投累计完成多少", 2016, 2020),
    ("“十四五”时期GDP年均增长目标", 2021, 2025),
    ("五年来民生支出累计多少", 2016, 2020),
    ("过去五年新增就业多少人", 2016, 2020),
])
def test_spans(text, start, end):
    query = q(text)
    assert query.span and query.span_start == start and query.years == (end,)


def test_average_growth_is_a_span_without_known_years():
    query = q("年均增长多少")
    assert query.span and query.span_start is None


# --- what is asked -----------------------------------------------------------------------------

@pytest.mark.parametrize("text, measure, kind", [
    ("去年GDP是多少", "level", "result"),
    ("今年GDP打算涨多少", "growth", "target"),
    ("去年老百姓收入涨了多少啊", "growth", "result"),
    ("服务业占GDP比重是多少", "share", "any"),
    ("规上工业企业有多少家", "count", "any"),
    ("GDP增速在全市排第几", "rank", "any"),
    ("报告是哪天做的", "date", "any"),
    ("县长叫什么名字", "who", "any"),
    ("三大主导产业是什么", "list", "any"),
    ("去年建成投产的重大项目有哪些", "list", "result"),
    ("新院区启用了吗", "yesno", "any"),
    ("存款余额比贷款余额多多少", "comparison", "any"),
    ("抗疫特别国债争取了多少钱", "level", "result"),  # 争取了 says what was won, 争取 alone a target
    ("争取专项债券额度多少", "level", "target"),
    ("2021年要组建什么国有投资集团", "text", "plan"),
    ("How many tourists were received in 2020?", "count", "result"),
    ("What is the 2021 PM2.5 target?", "level", "target"),
])
def test_measure_and_kind(text, measure, kind):
    query = q(text)
    assert (query.measure, query.kind) == (measure, kind)


@pytest.mark.parametrize("text, measure", [
    ("去年GDP是多少？增长了多少？", "level"),
    ("社零总额多少，是增长还是下降？", "level"),
    ("PM2.5 去年平均浓度多少，降了多少", "level"),
    ("How many tourists came in 2020, and how much did that change?", "count"),
])
def test_two_part_questions_ask_level_and_growth(text, measure):
    query = q(text)
    assert query.measure == measure and query.also_growth


def test_one_part_growth_question_is_not_two_part():
    assert not q("GDP增长了多少？").also_growth


def test_a_two_part_question_in_a_level_unit_asks_the_level_and_its_rate_not_a_change():
    """多少万元？增长多少: 万元 is the level's unit, 增长多少 its rate; 增长了多少亿元 alone asks a change."""
    two = q("去年GDP多少万元？增长多少")
    assert (two.also_growth, two.unit, two.derive) == (True, "万元", None)
    assert q("去年GDP增长了多少亿元").derive == "change"


@pytest.mark.parametrize("text, unit, classifier_only", [
    ("多少万元", "万元", False),
    ("支出多少亿元", "亿元", False),
    ("提高了几个百分点", "个百分点", False),
    ("有多少个企业", "个", True),
    ("新增就业多少人", "人", True),
    ("几家银行", "家", True),
    ("发了多少钱", "元", False),
    ("社零多少个亿", "亿元", False),  # 个 before a magnitude is no classifier
    ("几个亿的项目", "亿元", False),
    ("今年要签约多少个亿元以上项目", "个", True),  # 亿元以上 bounds the projects counted
    ("投资多少亿元以上的项目有几个", "个", True),
    ("GDP是多少", None, False),
    ("援企稳岗补贴惠及了多少职工", "人", True),  # people named after 多少 are counted in people
    ("建了多少学生公寓", None, False),  # the people name what is counted
    ("How many kilometres of rural roads will be built?", "公里", False),  # a measure, not a count
    ("How many square metres of shantytowns?", "平方米", False),
    ("How many new jobs were created?", None, True),
])
def test_unit_asked(text, unit, classifier_only):
    assert unit_asked(normalize(text)) == (unit, classifier_only)


def test_how_many_is_a_count_of_any_classifier():
    query = q("How many high-tech enterprises are there?")
    assert query.language == "en" and query.classifier_only and query.unit is None


def test_topic_keeps_only_indicator_words():
    assert q("请问河西县2020年一般公共预算收入是多少？").topic == "一般公共预算收入"
    assert q("国有投资集团有几个").topic == "国有投资集团"  # 有 inside a word stays


def test_glossary_concepts():
    from qa.query import Glossary, GlossaryEntry

    glossary = Glossary((GlossaryEntry(term="地区生产总值", aliases=("GDP",)),))
    assert q("去年GDP是多少", glossary=glossary).concepts == ("地区生产总值",)


# --- comparisons -------------------------------------------------------------------------------

def test_sides_of_a_than_comparison():
    query = q("存款余额比贷款余额多多少")
    assert [s.topic for s in query.sides] == ["存款余额", "贷款余额"]


def test_a_sum_of_more_than_two_names_each_part():
    """医保金、低保救助金和惠农补贴一共: three parts of one year; two parts listed with 、 complete each other."""
    query = q("去年医保金、低保救助金和惠农补贴一共发了多少")
    assert query.measure == "comparison" and query.operation == "sum"
    assert [s.topic.split()[0] for s in query.sides] == ["医保金", "低保救助金", "惠农补贴"]
    assert {s.year for s in query.sides} == {2020}
    assert [s.topic for s in q("城镇、农村居民收入一共多少").sides] == ["城镇居民收入", "农村居民收入"]
    examples = q("东城国际、豫森公馆这些续建项目一共有几个")  # examples of one set: its count, no sum
    assert examples.measure == "count" and not examples.sides


def test_a_side_against_a_target_is_the_result_and_a_plan_named_alone_is_the_same_indicator():
    """十三五GDP年均增速比规划目标低了多少: what was achieved against the plan's target, both of GDP."""
    query = q("十三五GDP年均增速比规划目标低了多少")
    assert [(s.topic, s.kind) for s in query.sides] == [("gdp", "result"), ("gdp", "target")]
    query = q("十三五财政收入年均增速离规划目标差几个百分点")  # 离…差: a gap, as 比…低
    assert [(s.topic, s.kind) for s in query.sides] == [("财政收入", "result"), ("财政收入", "target")]
    assert not q("离退休人员养老金提高多少").sides


def test_this_years_target_against_last_years_result():
    query = q("今年GDP增长目标比去年实际高多少")
    assert [(s.year, s.kind) for s in query.sides] == [(2021, "target"), (2020, "result")]
    assert all(s.topic == "gdp" for s in query.sides)


def test_a_money_figure_asked_colloquially_is_a_level_in_its_unit():
    query = q("去年社会消费品零售总额多少个亿？增速呢？")
    assert (query.measure, query.unit, query.also_growth) == ("level", "亿元", True)
    assert "亿" not in query.topic


def test_an_indicator_named_with_a_measure_word_keeps_it_in_the_topic():
    """经济增长 names the economy's growth (question_words.json topic_keep); 增长目标 around it is cut only outside it."""
    query = q("今年经济增长目标定的多少")
    assert (query.measure, query.kind) == ("growth", "target")
    assert "经济增长" in query.topic


def test_percentage_points_of_an_indicator_that_is_no_rate_compare_its_growth_rates():
    query = q("固投今年目标比去年实际低了几个点")
    assert [(s.kind, s.measure) for s in query.sides] == [("target", "growth"), ("result", "growth")]
    rate = q("城镇化率今年目标比去年实际高几个百分点")
    assert all(s.measure == "level" for s in rate.sides)  # a rate's own levels differ


def test_a_pair_inside_one_word_compares_growth_when_asked_which_grew_faster():
    assert [s.measure for s in q("城乡居民收入年均增速哪个快").sides] == ["growth", "growth"]
    assert [s.measure for s in q("城乡居民收入差多少").sides] == ["level", "level"]


def test_a_kind_word_inside_an_indicator_name_asks_no_kind():
    """人均预期寿命: its 预期 is no 预期目标 (question_words.json topic_keep.not_kind)."""
    query = q("人均预期寿命多少岁")
    assert query.kind == "any" and "预期寿命" in query.topic
    assert q("人均预期寿命目标多少").kind == "target"


def test_a_fall_asked_with_jiangdi_is_a_rate_not_a_comparison():
    query = q("去年万元GDP能耗降低多少")
    assert query.measure == "growth" and not query.sides
    assert q("城镇比农村收入高多少").measure == "comparison"


def test_the_end_of_a_five_year_plan_is_its_last_year_not_a_span():
    from qa.question.years import find_years

    end = find_years("十四五末森林覆盖率目标", 2020, 2021)
    assert end.years == (2025,) and not end.span
    assert find_years("十三五期间gdp年均增长多少", 2020, 2021).span_end == 2020


def test_a_strip_word_across_two_words_of_an_indicator_name_stays():
    """新增减税降费: 增减 is no comparison word here (question_words.json topic_keep 减税降费)."""
    query = q("去年新增减税降费及缓税缓费一共多少")
    assert "减税降费" in query.topic and query.operation == "sum"


def test_how_many_times_asks_a_ratio_of_two_sides():
    query = q("去年合同引进省外资金是实际到位省外资金的几倍")
    assert (query.measure, query.operation) == ("comparison", "ratio")
    assert [s.topic for s in query.sides] == ["合同引进省外资金", "到位省外资金"]
    assert q("2020年GDP是2015年的多少倍").operation == "ratio"
    assert q("GDP比上年增长了多少").operation is None  # no comparison of two figures


def test_which_grew_faster_compares_rates():
    query = q("进口和出口哪个增长快")
    assert query.measure == "comparison"
    assert [(s.topic, s.measure) for s in query.sides] == [("进口", "growth"), ("出口", "growth")]


def test_short_side_borrows_the_other_sides_words():
    query = q("国家级和省级专精特新企业一共新增多少家")
    assert [s.topic for s in query.sides][0].startswith("国家级专精特新企业")


# --- speed ---------------------------------------------------------------------------------------

def test_parse_is_fast_and_bounded():
    q("去年GDP是多少")  # warm: opencc and the cue patterns load once
    questions = [f"河西县{year}年第{n}产业增加值是多少？增长了多少？" for year in range(2000, 2020) for n in "一二三"]
    started = time.process_time()  # CPU time: the parse's cost, not the wait for a shared core
    for text in questions:  # fresh texts: no cache helps
        q(text)
    assert (time.process_time() - started) / len(questions) < 0.003


def test_comparison_inside_one_word_has_two_sides():
    query = q("去年城乡居民人均可支配收入相差多少元")
    assert [(s.topic, s.year) for s in query.sides] == [("城镇居民人均可支配收入", 2020), ("农村居民人均可支配收入", 2020)]
    assert query.operation == "difference" and query.unit == "元"


def test_right_side_shares_the_left_year_and_a_bare_left_side_is_the_review_period():
    shared = q("去年财政收入增速比GDP增速高多少？", doc="dongcheng")
    assert [(s.topic, s.year, s.measure) for s in shared.sides] == [("财政收入", 2018, "growth"), ("gdp", 2018, "growth")]
    since = q("PM2.5年均浓度比2015年下降了多少微克")
    assert [s.year for s in since.sides] == [2020, 2015] and since.unit == "微克"


def test_sum_and_which_operations():
    assert q("城发集团和产投集团资产合计多少").operation == "sum"
    assert q("2018年投资增速目标比2017年实际增速高还是低").operation == "which"


@pytest.mark.parametrize("text", ["去年财政收入有多少？", "外贸进出口总额有多少"])
def test_you_duoshao_without_a_classifier_asks_the_level(text):
    assert q(text).measure == "level"


def test_count_in_any_counting_unit():
    query = q("拆除了多少块广告牌？")
    assert (query.measure, query.unit, query.classifier_only) == ("count", "块", False)
    assert query.topic == "拆除 广告牌"


def test_until_a_year_is_a_long_range_target():
    query = q("到2025年GDP要达到多少")
    assert (query.years, query.kind, query.topic) == ((2025,), "target", "gdp")


def test_adjectival_level_word_is_no_place():
    assert q("2017年新增市级农业产业化龙头企业几家？").places == ()
    assert q("到位市外资金 2020 增长").places == () and q("今年到位市外资金目标").places == ()
    assert q("经济开发区哪年升格成省级开发区的").places == ()


@pytest.mark.parametrize("text, explicit", [
    ("今年GDP目标是多少", False), ("GDP目标", False), ("今年GDP增长目标", True),
    ("今年财政收入目标多少亿元", True), ("服务业比重", True), ("新增就业多少人", True),
    ("十四五末一般公共预算收入要达到多少", True), ("今年社零总额目标", True),
])
def test_measure_explicit(text, explicit):
    assert q(text).measure_explicit is explicit


def test_which_year_grew_faster_is_a_comparison_of_rates():
    query = q("2019年和2020年GDP哪年增长快")
    assert (query.measure, query.operation) == ("comparison", "which")
    assert [(s.year, s.measure) for s in query.sides] == [(2019, "growth"), (2020, "growth")]


def test_which_region_grew_faster_compares_two_reports():
    query = q("在河西县和东城市，哪个GDP增长更快？")
    assert query.doc_ids_named == ("hexi", "dongcheng") and query.topic == "gdp"
    assert [(s.doc_id, s.topic) for s in query.sides] == [("hexi", "gdp"), ("dongcheng", "gdp")]


def test_growth_target_met_compares_rates_of_one_year():
    query = q("Did Hexi meet its GDP growth target last year?")
    assert query.measure == "yesno" and query.years == (2020,)
    assert [(s.kind, s.measure, s.doc_id) for s in query.sides] == [("target", "growth", "hexi"), ("result", "growth", "hexi")]


def test_rank_has_no_unit():
    query = q("河西的GDP排在全市第几位")
    assert (query.measure, query.unit, query.classifier_only) == ("rank", None, False)


def test_list_of_big_projects_is_no_comparison():
    assert q("哪些重大项目建成投产").measure == "list"


def test_stated_quantity_in_a_yes_no_question():
    query = q("去年粮食产量是否超过了50万吨？")
    assert query.measure == "yesno" and query.topic == "粮食产量"
    assert [(x.value, x.unit) for x in query.quantities] == [(50.0, "万吨")]


@pytest.mark.parametrize("text, doc, years, assumed", [
    ("规上工业企业有多少家", "hexi", (2020,), True),
    ("规上工业企业有多少家", "dongcheng", (2018,), True),
    ("去年规上工业企业有多少家", "hexi", (2020,), False),
    ("规上工业企业目标", "hexi", (2021,), False),
    ("年均增长多少", "hexi", (), False),
    ("三大主导产业是什么", "hexi", (), False),
])
def test_a_figure_asked_without_a_year_is_the_review_years(text, doc, years, assumed):
    query = q(text, doc=doc)
    assert (query.years, query.year_assumed) == (years, assumed)


def test_than_last_year_comparison_has_both_years():
    query = q("规上工业企业比上年多了几家")
    assert query.years == (2020, 2019) and [s.year for s in query.sides] == [2020, 2019]


@pytest.mark.parametrize("text, claim", [
    ("去年外贸为什么没有完成任务？", "missed"), ("为什么去年出口下降了", "fall"),
    ("為什麼2018年PM2.5濃度上升了", "rise"), ("Why did Hexi miss its GDP target?", "missed"),
    ("为什么去年外贸进出口增长这么快", "rise"), ("为什么税收涨得这么多", "rise"), ("Why did exports grow so fast?", "rise"),
])
def test_claimed_change_of_a_why_question(text, claim):
    query = q(text)
    assert query.why and query.claimed_change == claim and query.negative_claim == (claim == "fall")


@pytest.mark.parametrize("text", ["投资完成了年度计划的百分之多少", "What percentage of spending went to welfare?"])
def test_percent_asked(text):
    assert q(text).unit == "%"


def test_a_four_digit_year_before_a_change_word_is_no_span():
    """"2017年增长…" is the year 2017, not "7年" of a multi-year span; "五年来" still is one."""
    from qa.question.years import find_years

    one = find_years("2017年增长多少", 2017, 2018)
    assert one.years == (2017,) and not one.span
    five = find_years("五年来累计投资多少", 2020, 2021)
    assert five.span and (five.span_start, five.span_end) == (2016, 2020)


def test_the_words_of_comparing_are_no_part_of_a_side():
    """比农村慢几个百分点: the side is 农村 (completed from the other side: 农村居民收入), 慢几个 says how."""
    query = q("城镇居民收入增速比农村慢几个百分点")
    assert [(s.topic, s.measure) for s in query.sides] == [("城镇居民收入", "growth"), ("农村居民收入", "growth")]


@pytest.mark.parametrize("text, sides", [
    # the right side repeats part of the left's words, or only a verb: the same indicator, of another year/kind
    ("今年新增高新技术企业目标比去年实际新增的少多少家",
     [("新增高新技术企业", "target", "level"), ("新增高新技术企业", "result", "level")]),
    # 几个点 are percentage points of growth rates; 差几 compares
    ("固投今年的增长目标比去年实际增速低了几个点", [("固投", "target", "growth"), ("固投", "result", "growth")]),
    ("外贸今年目标增速和去年实际增速差几个百分点", [("外贸", "target", "growth"), ("外贸", "result", "growth")]),
    # a rate noun's points compare its levels; the comparing verb (提高) is no side of its own
    ("城镇化率今年目标比去年提高几个百分点", [("城镇化率", "target", "level"), ("城镇化率", "result", "level")]),
    # a verb between the direction and 几 (多建几家, 少招多少人) still compares; 多建 is no side of its own
    ("城市书房今年计划比去年多建几家", [("城市书房", "target", "level"), ("城市书房", "result", "level")]),
])
def test_sides_of_a_target_against_last_years_result(text, sides):
    query = q(text)
    assert query.measure == "comparison"
    assert [(s.topic, s.kind, s.measure) for s in query.sides] == sides


def test_colloquial_points_are_percentage_points():
    assert q("规上工业增加值今年目标比去年快几个点").unit == "个百分点"
    assert q("全区设了多少个点位").unit != "个百分点"


@pytest.mark.parametrize("text, measure", [
    ("哪條高速公路建成通車", "text"),        # 高 of 高速 compares nothing
    ("哪条路快速化改造通车了", "text"),
    ("十四五要做强哪两大主导产业", "list"),   # 大 of 两大
    ("松陵人才是净流入还是净流出", "text"),   # X还是Y asks in words
    ("城镇和农村居民收入哪个增长快", "comparison"),
    ("哪个增长更快一些？", "comparison"),
    ("去年GDP是增长还是下降", "growth"),
])
def test_which_compares_only_when_the_comparing_word_ends_the_clause(text, measure):
    assert q(text).measure == measure


def test_a_variant_word_ending_the_other_sides_name_completes_the_short_side():
    """一般公共预算收入和支出: the 支出 side is 一般公共预算支出."""
    assert [s.topic for s in q("去年一般公共预算收入和支出哪个增长快").sides] == ["一般公共预算收入", "一般公共预算支出"]


def test_high_or_low_and_how_much_asks_the_difference():
    assert q("2018年固定资产投资增速目标比2017年实际增速高还是低，差多少？").operation == "difference"
    assert q("城镇和农村居民收入哪个增长快").operation == "which"


def test_an_indicator_name_holding_a_kind_word_stays_in_the_topic():
    """年度计划投资 is an indicator (not 投资 of a plan): its 计划 stays; 年度计划是多少 still asks the plan."""
    assert q("今年重点项目年度计划投资多少？").topic == "重点项目年度计划投资"
    assert q("年度计划是多少").derive == "plan"


@pytest.mark.parametrize("question, sides, measure", [
    ("How many percentage points faster did rural income grow than urban income in 2019?",
     (("rural income", 2019), ("urban income", 2019)), "growth"),
    ("How much larger were exports than imports in 2021?", (("exports", 2021), ("imports", 2021)), "level"),
])
def test_an_english_comparison_has_two_sides_sharing_the_year_that_closes_it(question, sides, measure):
    q = parse(question)
    assert q.measure == "comparison"
    assert tuple((s.topic, s.year) for s in q.sides) == sides
    assert {s.measure for s in q.sides} == {measure}


@pytest.mark.parametrize("question, derive", [
    ("去年新增装机里不是新能源的有多少", "remainder"), ("拖欠企业账款还剩多少没还", "remainder"),
    ("全区装机除了青岩市还有多少", "remainder"),
    ("年初剩余贫困人口多少人", None),  # 剩余贫困人口 names what is counted: no whole less a part
    ("55个重点项目里省市重点项目之外的完成投资多少", "remainder"), ("2018年非税收入是多少亿元", "remainder"),
    ("非税收入多少", "remainder"), ("除非特别说明，GDP是多少", None),
    ("12个国控断面里水质不优良的有几个", "remainder"), ("不少于多少个", None), ("不到一半的有几个", None),
    ("全市一般公共预算收入扣掉市本级还剩多少", "remainder"),
])
def test_a_remainder_is_asked_only_by_its_own_words(question, derive):
    assert parse(question).derive == derive


@pytest.mark.parametrize("text, measure", [
    ("南湖三大主导产业", "list"), ("三大攻坚战", "list"),
    ("2023年三大主导产业产值目标", "level"), ("十件民生实事投资规模", "level"),
])
def test_a_numbered_set_asks_its_members_unless_a_figure_of_it_is_named(text, measure):
    assert q(text).measure == measure


@pytest.mark.parametrize("text, measure", [
    ("What collaborative innovation mechanism did Nanhu set up?", "text"),  # no amount asked: a sentence answers
    ("What is the name of the talent programme?", "text"),
    ("What was GDP in 2017?", "level"),
    ("What is the 2023 target for new elderly meal points?", "level"),
    ("What share of good-air days is the district aiming for?", "share"),
])
def test_an_english_what_question_asks_a_figure_only_when_it_names_an_amount(text, measure):
    assert q(text).measure == measure


@pytest.mark.parametrize("text", ["2个国控断面水质达标没有", "去年房价稳不稳", "示范区通过复审没有"])
def test_yes_no_asked_with_a_trailing_meiyou_or_a_not_a(text):
    assert q(text).measure == "yesno"
    assert "不" not in q(text).topic  # 房价稳不稳 asks about 房价稳

