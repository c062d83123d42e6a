"""What a question asks beyond its measure (qa.question.asks.derivation_of): a figure the report may fix
without writing it, an absolute change between two states or the reviewed year's plan."""

from __future__ import annotations

import pytest

from qa.question.parse import parse

@pytest.mark.parametrize("question, derive_", [
    ("县城建成区面积扩大了多少平方公里", "change"),
    ("森林覆盖率十三五提高了多少", "change"),
    ("市政府工作部门精简了几个", "change"),
    ("贫困发生率下降了几个百分点", "change"),
    ("第一产业比重十三五期间降了几个百分点", "change"),  # 降 alone, as users type it
    ("十三五期间GDP总量增加了多少亿元", "change"),
    ("民生实事里停车泊位年初计划是多少个", "plan"),
    ("城市绿道年度计划是多少公里", "plan"),
    ("地区生产总值增长了多少", None),  # a rate
    ("今年重点项目年度计划投资是多少", None),  # the plan year's own plan, as written
    ("规上工业企业有多少家", None),
    ("By how many percentage points did forest coverage rise during the 13th Five-Year Plan?", "change"),
    ("By how many did the number of high-tech enterprises grow?", "change"),
    ("By how many percent did GDP grow in 2020?", None),  # a rate
])
def test_the_query_says_what_derived_figure_is_asked(question, derive_):
    assert parse(question).derive == derive_


@pytest.mark.parametrize("question, sides", [
    ("合同引进省外资金和实际到位的差多少", ("合同引进省外资金", "到位")),  # 合同 is a word, 和 joins the sides
    ("城镇和农村居民收入哪个增长快", ("城镇居民收入", "农村居民收入")),
])
def test_a_conjunction_inside_a_word_does_not_split_the_sides(question, sides):
    assert tuple(s.topic for s in parse(question).sides) == sides
