"""The one wording of a figure: qualifiers where the report puts them, declines as falls."""

import pytest

from qa.models import Fact
from qa.wording import change, difference, figure, period


@pytest.mark.parametrize(
    ("value", "unit", "qualifier", "expected"),
    [
        (2, "家", "力争、以上", "力争2家以上"),
        (7.5, "%", "左右", "7.5%左右"),
        (300, "场", "余", "300余场"),
        (111, "亿元", "预计", "预计111亿元"),
        (8, "%", "以上", "8%以上"),
        (5, "%", None, "5%"),
        (3.5, "%", "不低于", "不低于3.5%"),
    ],
)
def test_figure_keeps_each_qualifier_in_its_place(value, unit, qualifier, expected):
    assert figure(value, unit, qualifier) == expected


def test_skip_leaves_out_what_the_lead_already_says():
    assert figure(111, "亿元", "预计", skip=("预计",)) == "111亿元"


def test_a_fall_is_worded_as_a_fall_and_a_reduction_keeps_its_number():
    assert change(-6.8) == "下降6.8%"
    assert change(7.5, "左右") == "增长7.5%左右"
    assert change(3.2, reduction=True) == "下降3.2%"


def test_a_change_in_percentage_points_is_never_worded_as_a_growth_rate():
    assert change(1.3, unit="个百分点") == "提高1.3个百分点"
    assert change(-0.4, unit="个百分点") == "下降0.4个百分点"


def test_difference_gives_magnitude_and_direction():
    assert difference(-1.2, "个百分点", higher=False, points=True) == "低1.2个百分点"
    assert difference(3, "亿元", higher=True) == "多3亿元"


def _fact(**extra):
    base = dict(id="d:1", doc_id="d", indicator="地区生产总值", period=2020, kind="actual", value=1.0,
                unit="亿元", base_value=1e8, source="x")
    return Fact(**(base | extra))


def test_period_names_a_span():
    assert period(_fact()) == "2020年"
    assert period(_fact(span_start=2016, span_label="十三五时期")) == "十三五时期（2016—2020年）"


def test_a_name_loses_its_list_number_and_before_a_rate_its_change_verb():
    from qa.wording import name

    assert name("1.地区生产总值增长", rate=True) == "地区生产总值"
    assert name("（2）城镇新增就业") == "城镇新增就业"
    assert name("固定资产投资增长") == "固定资产投资增长"  # a level's name keeps its words
    assert name("社会消费品零售总额增长目标", rate=True) == "社会消费品零售总额目标"  # not 增长目标增长9%


def test_an_ordinal_word_is_a_list_marker_only_with_its_punctuation():
    """第一，… / 第二、… lead an item; 第一产业 is a name."""
    from qa.wording import name

    assert name("第一，城镇新增就业") == "城镇新增就业"
    assert name("第一产业增加值") == "第一产业增加值"


def test_a_range_is_worded_with_both_ends():
    from qa.wording import change, figure

    assert change(6.5, high=7) == "增长6.5%—7%"
    assert figure(20, "亿元", high=25) == "20—25亿元"
    assert figure(20, "亿元", high=20) == "20亿元"
