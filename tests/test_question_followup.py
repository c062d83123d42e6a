"""Follow-ups carry the earlier turn's slots (report, years, topic, kind, measure) and replace those
the new turn names; on two invented reports of different years."""

from __future__ import annotations

import time

import pytest

from qa.models import Answer, DocProfile, Turn
from qa.question.parse import parse

REPORTS = {
    "hexi": DocProfile(region="河西县", level="county", review_year=2017, plan_year=2018),
    "beishan": DocProfile(region="北山市", level="city", review_year=2022, plan_year=2023),
}


def conversation(*questions, doc=None):
    history, out = [], []
    for text in questions:
        query = parse(text, history, reports=REPORTS, chosen_doc=doc)
        out.append(query)
        history.append(Turn(question=text, answer=Answer(question=text, answer="…", interpreted_as=query.understood)))
    return out


@pytest.mark.parametrize("doc", ["hexi", "beishan"])
def test_other_year_target_after_a_figure(doc):
    review = REPORTS[doc].review_year
    first, second = conversation(f"{review}年地区生产总值是多少？", f"那{review + 1}年的目标呢？", doc=doc)
    assert second.followup_of == first.text
    assert (second.topic, second.years, second.kind) == ("地区生产总值", (review + 1,), "target")
    assert str(review + 1) in second.text and "地区生产总值" in second.text and second.understood == second.text


def test_new_indicator_replaces_topic_and_keeps_year_and_kind():
    *_, third = conversation("2018年地区生产总值目标是多少？", "那固定资产投资呢？", doc="hexi")
    assert (third.topic, third.years, third.kind) == ("固定资产投资", (2018,), "target")


def test_qualifier_follow_up_changes_the_indicator():
    _, second = conversation("去年居民人均可支配收入是多少", "那农村呢？", doc="beishan")
    assert second.topic == "农村居民人均可支配收入" and second.years == (2022,)
    _, swapped = conversation("去年城镇居民人均可支配收入是多少", "那农村呢？", doc="beishan")
    assert swapped.topic == "农村居民人均可支配收入"


def test_growth_follow_up_keeps_topic_and_sets_measure():
    first, second = conversation("去年地区生产总值是多少？", "增长了多少？", doc="hexi")
    assert (second.topic, second.measure, second.years) == ("地区生产总值", "growth", (2017,))
    assert second.followup_of == first.text


def test_lone_growth_question_needs_a_topic():
    (query,) = conversation("增长了多少？", doc="hexi")
    assert query.needs_topic and query.followup_of is None


def test_question_naming_its_own_indicator_stands_alone():
    _, second = conversation("去年地区生产总值是多少？", "一般公共预算收入增长了多少？", doc="hexi")
    assert second.followup_of is None and second.topic == "一般公共预算收入"


def test_follow_up_keeps_the_report_and_re_resolves_relative_years_in_another():
    first, second, third = conversation("北山市去年GDP是多少", "增长多少", "那河西县呢？")
    assert first.doc_id == second.doc_id == "beishan" and second.years == (2022,)
    assert third.doc_id == "hexi" and third.years == (2017,) and third.topic == "gdp"


def test_earlier_turn_read_as_understood():
    history = [Turn(question="那2018年呢", answer=Answer(question="那2018年呢", answer="…", interpreted_as="2018年财政收入是多少"))]
    query = parse("增长多少", history, reports=REPORTS, chosen_doc="hexi")
    assert query.topic == "财政收入" and query.years == (2018,) and query.measure == "growth"


def test_worst_accepted_input_with_history_is_bounded():
    parse("GDP", reports=REPORTS)  # warm: word lists and opencc load once per process
    timings = []
    # CPU time of this process, best of three fresh inputs: the parse's cost, not the wait for a
    # core on a shared machine
    for run in range(3):
        texts = [(f"去年河西县北山市{run}{k}地区生产总值和一般公共预算收入比上年增长了多少亿元？那农村呢" * 20)[:500]
                 for k in range(5)]
        history = [Turn(question=t) for t in texts[:4]]
        started = time.process_time()
        parse(texts[4], history, reports=REPORTS, chosen_doc="hexi")
        timings.append(time.process_time() - started)
    assert min(timings) < 0.1


def test_both_compares_the_last_two_indicators():
    *_, third = conversation("去年城镇居民可支配收入多少", "那农村呢？", "两者差多少？", doc="beishan")
    assert third.measure == "comparison" and third.years == (2022,)
    assert [s.topic for s in third.sides] == ["城镇居民可支配收入", "农村居民可支配收入"]


def test_than_last_year_follow_up_compares_with_the_year_before():
    _, second = conversation("规上工业企业有多少家", "比上年多了几家", doc="hexi")
    assert second.topic == "规上工业企业" and second.measure == "comparison"
    assert [(s.topic, s.year) for s in second.sides] == [("规上工业企业", 2017), ("规上工业企业", 2016)]


def test_topic_comes_from_the_latest_turn_that_named_one():
    *_, third = conversation("规上工业企业有多少家", "比上年多了几家", "今年要新增多少", doc="hexi")
    assert (third.topic, third.years, third.kind) == ("规上工业企业", (2018,), "target")


def test_aspect_follow_up_is_appended():
    _, second = conversation("去年高新技术企业新增多少家", "总数呢", doc="hexi")
    assert second.topic.endswith("总数") and "高新技术企业" in second.topic


def test_a_word_of_the_earlier_indicator_continues_it():
    _, second = conversation("去年改造老旧小区多少个", "今年计划改造多少", doc="beishan")
    assert (second.topic, second.years, second.kind) == ("改造老旧小区", (2023,), "target")


def test_new_indicator_without_a_marker_is_not_merged():
    _, second = conversation("去年社零多少", "固定资产投资增长多少", doc="hexi")
    assert second.followup_of is None and second.topic == "固定资产投资" and second.year_assumed


def test_english_follow_up_keeps_the_language_and_resolves_the_year():
    _, second = conversation("What was GDP last year?", "and this year's target?", doc="hexi")
    assert (second.language, second.years, second.kind, second.topic) == ("en", (2018,), "target", "gdp")
    assert second.text.startswith("2018年")


def test_why_follow_up_keeps_the_claim():
    _, second = conversation("为什么去年财政收入下降了", "那税收呢", doc="hexi")
    assert (second.why, second.negative_claim, second.topic, second.years) == (True, True, "税收", (2017,))


def test_a_component_replaces_rather_than_qualifies():
    _, second = conversation("去年财政收入是多少", "那税收呢", doc="hexi")
    assert second.topic == "税收"


def test_share_word_alone_continues_the_earlier_indicator():
    _, second = conversation("去年第三产业增加值是多少？", "占比多少？", doc="hexi")
    assert second.followup_of and second.measure == "share" and second.topic.startswith("第三产业增加值")


def test_bare_target_follow_up_accepts_a_rate():
    _, second = conversation("2017年地区生产总值是多少？", "那2018年的目标呢？", doc="hexi")
    assert not second.measure_explicit and "growth" in second.accepted_measures
    _, explicit = conversation("2017年城镇新增就业多少人？", "那2018年的目标呢？", doc="hexi")
    assert explicit.measure_explicit and explicit.accepted_measures == ("count",)


def test_understood_question_writes_abbreviations_as_usual():
    _, second = conversation("去年GDP是多少？", "增长了多少？", doc="hexi")
    assert "GDP" in second.text and second.topic == "gdp"


def test_variant_swaps_even_when_the_glossary_knows_the_word():
    from qa.query import Glossary, GlossaryEntry

    glossary = Glossary((GlossaryEntry(term="农村居民人均可支配收入", aliases=("农村",)),))
    history = [Turn(question="城镇居民可支配收入多少")]
    second = parse("那农村呢？", history, reports=REPORTS, chosen_doc="hexi", glossary=glossary)
    assert second.topic == "农村居民可支配收入"


def test_comparison_without_a_year_is_of_the_review_year():
    *_, third = conversation("城镇居民可支配收入多少", "那农村呢？", "两者差多少？", doc="hexi")
    assert third.year_assumed and [s.year for s in third.sides] == [2017, 2017]
