"""Question analysis: input checks, years relative to the report, answer kinds, follow-ups."""

from __future__ import annotations

import pytest

from qa.errors import InputError
from qa.models import Answer, Turn
from qa.understand import analyse, clean_question, is_followup, years_in


@pytest.mark.parametrize(
    "text, years",
    [
        pytest.param("去年GDP增长多少", [2017], id="last-year"),
        pytest.param("今年的目标", [2018], id="this-year"),
        pytest.param("2016年财政收入", [2016], id="explicit"),
        pytest.param("二〇一七年招商", [2017], id="chinese-digits"),
        pytest.param("2018年比2017年多多少", [2018, 2017], id="two-in-order"),
        pytest.param("How much did investment grow last year?", [2017], id="english"),
        pytest.param("引进项目12个", [], id="no-year"),
    ],
)
def test_years_relative_to_the_report(text, years):
    assert years_in(text, 2018) == years


def test_years_follow_the_report_year_not_today():
    assert years_in("去年", 2021) == [2020]


@pytest.mark.parametrize(
    "text, kind, growth",
    [
        pytest.param("去年GDP增长多少？", "numeric", True, id="growth"),
        pytest.param("2017年社会消费品零售总额是多少", "numeric", False, id="level"),
        pytest.param("今年要建哪些道路", "list", False, id="list"),
        pytest.param("城镇居民收入比农村高多少", "comparative", False, id="compare-two"),
        pytest.param("2018年固投增长目标和2017年实际增速相比", "comparative", True, id="compare-years"),
        pytest.param("占生产总值比重是多少", "numeric", False, id="bizhong-is-not-compare"),
        pytest.param("政府自身建设有什么要求", "list", False, id="what-list"),
        pytest.param("北环路拓宽工程怎么样了", "factual", False, id="factual"),
    ],
)
def test_answer_kind(text, kind, growth):
    intent = analyse(text, 2018)
    assert (intent.kind, intent.wants_growth) == (kind, growth)


def test_false_premise_cues():
    intent = analyse("为什么2017年GDP下降了", 2018)
    assert intent.why and intent.negative_claim and intent.years == (2017,)


@pytest.mark.parametrize(
    "previous, question, resolved",
    [
        pytest.param("去年GDP增长多少？", "那2018年呢？", "2018年GDP增长多少？", id="other-year"),
        pytest.param("去年固定资产投资是多少", "增长了多少？", "去年固定资产投资是多少，增长了多少？", id="growth"),
        pytest.param("2018年安排多少个重点项目", "具体有哪些项目？", "2018年安排多少个重点项目，有哪些项目？", id="list"),
    ],
)
def test_followups_resolve_against_history(previous, question, resolved):
    intent = analyse(question, 2018, [Turn(question=previous)], ["GDP", "固定资产投资"])
    assert intent.text == resolved and intent.followup_of == previous


def test_followup_chains_use_the_interpreted_question():
    first = Turn(question="那2018年呢？", answer=Answer(question="那2018年呢？", interpreted_as="2018年GDP增长多少？", answer="…"))
    assert analyse("那去年呢", 2018, [first]).text == "去年GDP增长多少？"


def test_standalone_question_is_not_a_followup():
    assert not is_followup("GDP多少", ["GDP"])
    assert not is_followup("2017年城镇新增就业多少人", [])
    assert analyse("2017年城镇新增就业多少人", 2018, [Turn(question="去年GDP")]).followup_of is None


@pytest.mark.parametrize("bad", ["", "   ", "\x00\x01", "？？？！！", None])
def test_empty_or_punctuation_only_questions_are_refused(bad):
    with pytest.raises(InputError):
        clean_question(bad, 500)


def test_long_question_refused_and_controls_removed():
    with pytest.raises(InputError, match="太长"):
        clean_question("问" * 501, 500)
    assert clean_question("GDP\x00多少\u200b？ ", 500) == "GDP多少？"
    assert clean_question("<script>alert(1)</script>GDP", 500) == "<script>alert(1)</script>GDP"
