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
    for run in range(3):  # best of three fresh inputs: the cost, not the scheduler's noise on a shared machine
        texts = [(f"去年河西县北山市{run}{k}地区生产总值和一般公共预算收入比上年增长了多少亿元？那农村呢" * 20)[:500]
                 for k in range(5)]
        history = [Turn(question=t) for t in texts[:4]]
        started = time.perf_counter()
        parse(texts[4], history, reports=REPORTS, chosen_doc="hexi")
        timings.append(time.perf_counter() - started)
    assert min(timings) < 0.1
