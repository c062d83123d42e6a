"""Number parsing: numerals, units, scales, qualifiers, ranges, conversion."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from qa.numbers import (
    UNITS, UnitError, compatible, convert, find_numbers, find_quantities, format_number,
    format_quantity, parse_cn_numeral, parse_quantity,
)


@pytest.mark.parametrize("text, value", [
    ("一", 1), ("两", 2), ("十", 10), ("十二", 12), ("二十", 20), ("三十五", 35), ("一百零五", 105),
    ("一千二百三十四", 1234), ("一万", 10000), ("三万五千", 35000), ("二〇一八", 2018),
    ("一亿二千万", 120_000_000), ("一万亿", 10**12), ("三千二百", 3200), ("一百二十六", 126), ("五千零八", 5008),
])
def test_chinese_numerals(text, value):
    assert parse_cn_numeral(text) == value


def test_ill_formed_numeral_is_refused():
    with pytest.raises(UnitError):
        parse_cn_numeral("五一")


@pytest.mark.parametrize("text, value, unit, base_value, base_unit", [
    ("111亿元", 111, "亿元", 11_100_000_000, "元"),
    ("2118万元", 2118, "万元", 21_180_000, "元"),
    ("31081元", 31081, "元", 31081, "元"),
    ("138万美元", 138, "万美元", 1_380_000, "美元"),
    ("40.6万平方米", 40.6, "万平方米", 406_000, "平方米"),
    ("18.5万立方米", 18.5, "万立方米", 185_000, "立方米"),
    ("356万吨", 356, "万吨", 3_560_000, "吨"),
    ("20公里", 20, "公里", 20_000, "米"),
    ("1800亩", 1800, "亩", 1800, "亩"),
    ("1万人", 1, "万人", 10_000, "人"),
    ("13.5万件", 13.5, "万件", 135_000, "件"),
    ("7.5%", 7.5, "%", 7.5, "%"),
    ("百分之八", 8, "%", 8, "%"),
    ("0.5个百分点", 0.5, "个百分点", 0.5, "个百分点"),
    ("1,234.5元", 1234.5, "元", 1234.5, "元"),
    ("１２％", 12, "%", 12, "%"),
    ("两千万元", 2000, "万元", 20_000_000, "元"),
    ("十项", 10, "项", 10, "项"),
    ("1.5万", 1.5, "万", 15_000, ""),
])
def test_parse_quantity(text, value, unit, base_value, base_unit):
    q = parse_quantity(text)
    assert (q.value, q.unit, q.base_unit) == (value, unit, base_unit)
    assert q.base_value == pytest.approx(base_value, rel=1e-12)
    assert q.raw == text


@pytest.mark.parametrize("text, qualifiers", [
    ("增长7.5%左右", ("左右",)),
    ("增长8%以上", ("以上",)),
    ("申请专利不少于120件", ("不少于",)),
    ("超过100家", ("超过",)),
    ("约1.5万人", ("约",)),
    ("组织各类文化活动300余场", ("余",)),
    ("比重达到64.3%", ("达到",)),
    ("力争引进金融机构2家以上", ("力争", "以上")),
])
def test_qualifiers(text, qualifiers):
    assert parse_quantity(text).qualifiers == qualifiers


def test_neutral_qualifier_is_not_a_hedge():
    assert parse_quantity("比重达到64.3%").hedges == ()
    assert parse_quantity("增长8%以上").hedges == ("以上",)


def test_scoped_qualifier_governs_the_whole_sentence_and_stops_there():
    text = "预计全年完成地区生产总值111亿元，同比增长7.5%；地方公共财政预算收入5.6亿元，增长7.6%。新增企业11家。"
    found = find_quantities(text)
    assert [q.raw for q in found] == ["111亿元", "7.5%", "5.6亿元", "7.6%", "11家"]
    assert [q.qualifiers for q in found] == [("预计",)] * 4 + [()]
    assert [q.is_growth for q in found] == [False, True, False, True, False]


def test_scoped_qualifier_does_not_reach_back():
    found = find_quantities("全年新入库三产企业15家，预计完成第三产业增加值71.4亿元")
    assert [q.qualifiers for q in found] == [(), ("预计",)]


def test_spans_index_the_text():
    text = "取缔“散乱污”企业546家，完成电代煤、气代煤936户，淘汰黄标车1037辆"
    for q in find_quantities(text):
        assert text[q.start:q.end] == q.raw
    assert [q.unit for q in find_quantities(text)] == ["家", "户", "辆"]


def test_ranges():
    q = parse_quantity("3至5个")
    assert (q.is_range, q.low, q.high, q.unit) == (True, 3, 5, "个")


def test_article_one_and_names_are_not_quantities():
    assert find_quantities("在一个月时间内完成") == []
    assert find_quantities("三十五证合一、十九大精神") == []
    assert [q.raw for q in find_quantities("五一路小学")] == []


def test_find_numbers_sees_numbers_without_units():
    assert [v for _, _, v in find_numbers("十九大，2018年，人民调解110")] == [19, 2018, 110]


def test_convert_and_refusals():
    assert convert(2118, "万元", "亿元") == 0.2118
    assert convert(0.2118, "亿元", "万元") == 2118
    assert convert(20, "公里", "米") == 20_000
    for a, b in [("元", "美元"), ("万元", "万美元"), ("平方米", "亩"), ("%", "个百分点"), ("人", "家")]:
        assert not compatible(a, b)
        with pytest.raises(UnitError, match="cannot convert"):
            convert(1, a, b)
    with pytest.raises(UnitError, match="unknown unit"):
        convert(1, "斤两", "元")


MONEY_UNITS = ["元", "万元", "亿元", "千元"]
DISPLAY_UNITS = [u for u in UNITS if u not in ("％", "百分点")]
decimals = st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False).map(float)


@given(decimals, st.sampled_from(DISPLAY_UNITS))
def test_format_then_parse_round_trip(value, unit):
    q = parse_quantity(format_quantity(value, unit))
    assert q is not None
    assert q.value == value and q.unit == unit


@given(decimals, st.sampled_from(MONEY_UNITS), st.sampled_from(MONEY_UNITS), st.sampled_from(MONEY_UNITS))
def test_conversion_is_consistent(value, a, b, c):
    via = convert(convert(value, a, b), b, c)
    assert via == pytest.approx(convert(value, a, c), rel=1e-12, abs=1e-12)
    assert convert(convert(value, a, b), b, a) == pytest.approx(value, rel=1e-12, abs=1e-12)


@given(decimals)
def test_format_number_has_no_exponent(value):
    text = format_number(value)
    assert "e" not in text.lower() and float(text) == value


# --- issue 10: ranges, falls, units as data, PDF text, numerals, lists ----------------------

@pytest.mark.parametrize("text, low, high", [
    ("增长5%－5.5%", 5, 5.5), ("增长5%-5.5%", 5, 5.5), ("增长5%至5.5%", 5, 5.5), ("增长5-5.5%", 5, 5.5),
    ("增长 7% - 8%", 7, 8),
])
def test_a_range_is_one_quantity_with_both_bounds(text, low, high):
    found = find_quantities(text)
    assert len(found) == 1
    q = found[0]
    assert (q.is_range, q.value, q.low, q.high, q.unit, q.is_growth) == (True, low, low, high, "%", True)


def test_a_rise_to_a_level_is_two_figures_not_a_range():
    found = find_quantities("城镇化率由41.3%提高到50.6%")
    assert [(q.value, q.is_range, q.is_growth) for q in found] == [(41.3, False, False), (50.6, False, False)]


@pytest.mark.parametrize("text, falls", [
    ("下降6.8%", True), ("同比下降 8.7%", True), ("减少12%", True), ("增长6.8%", False), ("下降到0.96%", False),
])
def test_falls_are_flagged_and_the_value_stays_as_written(text, falls):
    q = find_quantities(text)[0]
    assert q.value == float(text.rstrip("%").split("降到")[-1].lstrip("下降减少增长同比 "))
    assert q.falls is falls


def test_reduction_indicators_come_from_data():
    from qa.numbers import is_reduction_indicator
    assert is_reduction_indicator("单位地区生产总值能耗")
    assert is_reduction_indicator("主要污染物排放总量")
    assert not is_reduction_indicator("地区生产总值")
    assert not is_reduction_indicator("PM2.5平均浓度")  # a level: its fall is a negative growth rate


@pytest.mark.parametrize("text, value, unit, base_value, base_unit", [
    ("10亿斤", 10, "亿斤", 500_000, "吨"),
    ("20万千瓦", 20, "万千瓦", 200_000, "千瓦"),
    ("38微克/立方米", 38, "微克/立方米", 38, "微克/立方米"),
    ("312万人次", 312, "万人次", 3_120_000, "人次"),
    ("3千公顷", 3, "千公顷", 30_000_000, "平方米"),
    ("2.5万标准箱", 2.5, "万标准箱", 25_000, "标准箱"),
    ("86.5万标箱", 86.5, "万标箱", 865_000, "标准箱"),
    ("1.3个百分点", 1.3, "个百分点", 1.3, "个百分点"),
    ("3个工作日", 3, "个工作日", 3, "个工作日"),
    ("1200张", 1200, "张", 1200, "张"),
])
def test_units_from_the_data_file(text, value, unit, base_value, base_unit):
    q = parse_quantity(text)
    assert (q.value, q.unit, q.base_unit) == (value, unit, base_unit)
    assert q.base_value == pytest.approx(base_value, rel=1e-12)


def test_units_file_is_the_source_of_the_unit_table():
    import json
    from importlib import resources
    data = json.loads(resources.files("qa.data").joinpath("units.json").read_text(encoding="utf-8"))
    for group in data["groups"]:
        for unit in group["units"]:
            assert UNITS[unit][0] == group["base"]
    for word in data["counts"]:
        base = data["same_counts"].get(word, word)  # 名 counts people as 人 does
        assert UNITS[word][0] == base and UNITS["万" + word][0] == base
    assert compatible("名", "人") and convert(1.2, "万名", "人") == 12000 and not compatible("名", "个")


@pytest.mark.parametrize("text, raw, value, unit, growth", [
    ("全市地区生产总值预计达到 2468.3 亿元", "达到 2468.3 亿元", 2468.3, "亿元", False),
    ("增长 7.4%", "7.4%", 7.4, "%", True),
    ("增长８．９％", "８．９％", 8.9, "%", True),
    ("新增床位１２００张", "１２００张", 1200, "张", False),
    ("整治撂荒地三千二百亩", "三千二百亩", 3200, "亩", False),
    ("城乡低保标准提高百分之十二", "百分之十二", 12, "%", True),
    ("中欧班列全年开行一百二十六列", "一百二十六列", 126, "列", False),
    ("扶持1.2万多人创业", "1.2万多人", 1.2, "万人", False),
])
def test_pdf_spaces_full_width_and_chinese_numerals(text, raw, value, unit, growth):
    q = find_quantities(text)[-1]
    assert (q.raw, q.value, q.unit, q.is_growth) == (raw, value, unit, growth)
    assert text[q.start:q.end] == q.raw


def test_ratios_and_ordinal_counts_are_no_figures():
    assert find_quantities("三次产业结构调整为0.8∶41.3∶57.9") == []
    for text in ("第二部分", "统筹推进“五位一体”总体布局", "打好“四张牌”", "融入一小时经济圈", "部分企业一度停工"):
        assert find_quantities(text) == [], text
    assert find_quantities("三次产业比例为1:2:7") == []


def test_a_respectively_list_keeps_the_rates_and_their_direction():
    found = find_quantities("接待游客312万人次，实现旅游综合收入21.7亿元，分别下降28.4%和31.2%")
    assert [(q.value, q.unit, q.is_growth, q.falls) for q in found] == [
        (312, "万人次", False, False), (21.7, "亿元", False, False), (28.4, "%", True, True), (31.2, "%", True, True)]


def test_hedges_across_pdf_spaces():
    found = find_quantities("地区生产总值增长 7% 左右，预计达到 2468.3 亿元")
    assert [(q.raw, q.hedges) for q in found] == [("7% 左右", ("左右",)), ("达到 2468.3 亿元", ("预计",))]


def test_people_are_counted_only_in_people():
    from qa.numbers import counts_alike

    assert counts_alike("个", "家") and counts_alike("家", "户") and counts_alike("个", "人")
    assert counts_alike("人", "名") and counts_alike("人", "万人次") and counts_alike("人", "万人")
    assert not counts_alike("人", "户") and not counts_alike("名", "个") and not counts_alike("个", "亿元")
    assert not counts_alike("户", "个") and counts_alike("户", "万户") and counts_alike("户", "户次")  # households in households


def test_a_kind_of_thing_is_counted_only_in_its_own_word_or_the_generic_one():
    from qa.numbers import counts_alike

    assert not counts_alike("条", "座") and not counts_alike("辆", "户") and not counts_alike("座", "条")
    assert counts_alike("条", "个") and counts_alike("条", "万条") and counts_alike("张", "床") and counts_alike("个", "座")


def test_a_count_of_occasions_keeps_its_unit_and_qualifier():
    """"60场次以上": 场次 is the unit (not 场, leaving 次以上 behind and the 以上 lost)."""
    (q,) = find_quantities("支持企业参加境外展会60场次以上")
    assert (q.value, q.unit, q.hedges) == (60, "场次", ("以上",))


@pytest.mark.parametrize("text, value, unit", [
    ("增长百分之三点五", 3.5, "%"), ("百分之六点零五", 6.05, "%"), ("三点五亿元", 3.5, "亿元"), ("百分之十", 10.0, "%"),
])
def test_chinese_numerals_with_decimals(text, value, unit):
    q = find_quantities(text)[0]
    assert (q.value, q.unit) == (value, unit)


def test_a_point_without_digits_after_it_is_no_decimal():
    assert find_quantities("重点项目一点") == []


def test_a_name_ending_with_a_noun_of_a_kind_is_measured_only_in_that_kind():
    from qa.numbers import kind_named, other_kinds

    assert kind_named("城中村改造征迁面积", "万平方米") and kind_named("退耕还林面积", "亩")
    assert not kind_named("城中村改造征迁面积", "个") and not kind_named("高速公路通车里程", "万吨")
    assert kind_named("高速公路通车里程", "公里") and kind_named("城中村改造", "个")  # no such noun: anything
    # an amount of money: 地区生产总值 is never 260家, 进出口额 never 412个
    assert not kind_named("地区生产总值", "家") and not kind_named("外贸进出口额", "个")
    assert kind_named("地区生产总值", "亿元") and kind_named("实际利用外资额", "万美元")
    assert other_kinds("亩", "棵") and not other_kinds("家", "个") and not other_kinds("万元", "亿元")


def test_months_are_a_unit_of_their_own_and_a_lone_one_month_no_figure():
    from qa.numbers import find_quantities

    assert [(q.value, q.unit) for q in find_quantities("商品住房去化周期为11.6个月。")] == [(11.6, "个月")]
    assert find_quantities("一个月内办结") == []


def test_a_strived_target_ends_at_its_items_semicolon_and_per_mille_is_a_unit():
    """"进出口力争恢复正增长；人口自然增长率控制在6‰以内": no 力争 of the 6‰ (a list item of its own); 5.6‰ is a rate."""
    from qa.numbers import find_quantities

    found = [(q.value, q.unit, q.qualifiers) for q in find_quantities(
        "进出口力争恢复正增长；人口自然增长率控制在6‰以内；力争引进项目20个，投资50亿元。")]
    assert found == [(6.0, "‰", ("以内",)), (20.0, "个", ("力争",)), (50.0, "亿元", ("力争",))]
    assert [q.qualifiers for q in find_quantities("预计全年完成地区生产总值111亿元；一般公共预算收入5.6亿元。")] == [
        ("预计",), ("预计",)]  # an estimate covers the whole review sentence


def test_a_footnote_mark_before_a_figure_is_no_digit_of_it():
    """③１２８６家: a circled footnote mark glued to a figure (Word's footnotes lost in a paste) is neither a digit
    of the figure nor a reason to skip it; 增长4.6%① keeps its rate."""
    found = [(q.value, q.unit) for q in find_quantities("五年累计新增“四上”企业③１２８６家，地区生产总值增长4.6%①")]
    assert found == [(1286, "家"), (4.6, "%")]
