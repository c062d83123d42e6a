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
