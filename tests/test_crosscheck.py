"""The numeric cross-check, one test per error it must catch, built from real rows."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.crosscheck import cross_check, worded
from qa.facts import load_facts

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


@pytest.fixture(scope="module")
def facts():
    return load_facts(CORPUS)


def test_consistent_answer_carries_the_row(facts):
    r = cross_check(facts, phrase="去年GDP是多少", value=111, unit="亿元", period=2017, qualifier="预计")
    assert r.verdict == "consistent"
    assert (r.kind, r.qualifier, r.growth_pct) == ("estimate", "预计", 7.5)
    assert r.fact_ids == ("weidong-2018-government-work-report:001",)


def test_same_figure_in_another_unit_is_consistent(facts):
    r = cross_check(facts, phrase="外贸进出口", value=0.2118, unit="亿元", period=2017, qualifier="预计")
    assert r.verdict == "consistent"


def test_2018_target_given_for_a_2017_question(facts):
    r = cross_check(facts, phrase="2017年固定资产投资增长多少", value=11, unit="%", period=2017,
                    kind="actual", is_growth=True)
    assert r.verdict == "conflict"
    assert "12%" in r.detail and "2018年目标: 11%" in r.detail


def test_2017_result_given_as_the_2018_target(facts):
    r = cross_check(facts, phrase="今年利用外资目标", value=138, unit="万美元", period=2018, kind="target",
                    qualifier="力争")
    assert r.verdict == "conflict"
    assert "力争2300万美元" in r.detail and "2017年实际: 138万美元" in r.detail


def test_growth_rate_given_for_the_level(facts):
    r = cross_check(facts, phrase="地区生产总值", value=7.5, unit="%", period=2017, qualifier="预计")
    assert r.verdict == "conflict"
    assert "111亿元" in r.detail and "growth rate of 地区生产总值" in r.detail


def test_wan_yuan_for_yi_yuan(facts):
    r = cross_check(facts, phrase="外贸进出口总额", value=2118, unit="亿元", period=2017, qualifier="预计")
    assert r.verdict == "conflict"
    assert "unit slip" in r.detail and "2118万元" in r.detail


def test_dollars_are_not_yuan(facts):
    r = cross_check(facts, phrase="实际利用外商直接投资", value=138, unit="万元", period=2017)
    assert r.verdict == "conflict"
    assert "cannot be compared" in r.detail


@pytest.mark.parametrize("phrase, value, unit, period, qualifier", [
    ("去年GDP", 111, "亿元", 2017, None),                 # 预计 dropped
    ("地区生产总值增长目标", 7.5, "%", 2018, None),          # 左右 dropped
    ("引进金融机构", 2, "家", 2018, "力争"),                # 以上 dropped
    ("申请专利", 120, "件", 2018, None),                   # 不少于 dropped
])
def test_dropped_qualifier(facts, phrase, value, unit, period, qualifier):
    r = cross_check(facts, phrase=phrase, value=value, unit=unit, period=period, qualifier=qualifier,
                    is_growth=unit == "%")
    assert r.verdict == "conflict"
    assert r.detail.startswith("dropped qualifier")


def test_added_qualifier(facts):
    r = cross_check(facts, phrase="新增城市绿地", value=6, unit="万平方米", period=2017, qualifier="约")
    assert r.verdict == "conflict" and "not in the report" in r.detail


def test_one_number_reused_for_different_things(facts):
    # 30万平方米 is 2017 拆迁 and 开工建设, and the 2018 主体完工 plan; 2017 主体完工 was 25万平方米
    r = cross_check(facts, phrase="2017年主体完工面积", value=30, unit="万平方米", period=2017)
    assert r.verdict == "conflict"
    assert "25万平方米" in r.detail and "开工建设 2017年实际: 30万平方米" in r.detail
    ok = cross_check(facts, phrase="2018年主体完工", value=30, unit="万平方米", period=2018, kind="plan")
    assert ok.verdict == "consistent" and ok.kind == "plan"


def test_subject_keeps_same_indicator_apart(facts):
    r = cross_check(facts, phrase="重点项目完成投资", value=46.5, unit="亿元", period=2017)
    assert r.verdict == "conflict" and "省市重点项目·完成投资" in r.detail
    ok = cross_check(facts, phrase="特色商业区完成投资", value=6.5, unit="亿元", period=2017)
    assert ok.verdict == "consistent"


def test_not_in_table(facts):
    assert cross_check(facts, phrase="火星基地", value=3, unit="个").verdict == "not_in_table"
    r = cross_check(facts, phrase="2016年地区生产总值", value=100, unit="亿元", period=2016)
    assert r.verdict == "not_in_table"


def test_worded_puts_hedges_where_the_report_does():
    assert worded(7.5, "%", "左右") == "7.5%左右"
    assert worded(2300, "万美元", "力争") == "力争2300万美元"
    assert worded(2, "家", "力争、以上") == "力争2家以上"
    assert worded(300, "场", "余") == "300余场"


# --- the table check: errors fail, review hints do not (issue 10) ---------------------------

def _weidong():
    from qa.ingest import load_corpus
    return load_corpus(CORPUS)


def test_table_check_separates_errors_from_hints(facts):
    from qa.crosscheck import table_check
    docs = _weidong()
    gdp = next(f for f in facts if f.indicator == "地区生产总值" and f.period == 2017)
    fragment = gdp.model_copy(update={"id": "x:1", "indicator": "竣工", "reviewed": False})
    other = gdp.model_copy(update={"id": "x:2", "indicator": "竣工", "reviewed": False, "value": 7.5,
                                   "unit": "%", "base_value": 7.5, "growth_pct": None})
    errors, hints = table_check(facts + [fragment], docs)
    assert errors == []
    assert any("x:1" in h and "a bare verb" in h for h in hints)
    # two values under one unreviewed name: a hint; under a reviewed name: an error
    clash = other.model_copy(update={"unit": "亿元", "value": 5.6, "base_value": 5.6e8})
    errors, hints = table_check(facts + [fragment, clash], docs)
    assert errors == [] and any("x:2" in h and "here but" in h for h in hints)
    errors, _ = table_check(facts + [fragment, clash.model_copy(update={"reviewed": True})], docs)
    assert any("x:2" in e and "here but" in e for e in errors)


def test_table_check_reads_falls_and_ranges_from_the_source():
    from qa.crosscheck import table_check
    from qa.facts import propose_facts
    from qa.ingest import parse
    text = ("政府工作报告\n\n一、2020年工作回顾\n\n一般公共预算收入14.62亿元，下降4.3%。\n\n"
            "二、2021年工作安排\n\n一般公共预算收入增长5%－5.5%。\n")
    doc = parse(text.encode(), Path("/nonexistent/t.txt"), doc_id="t")
    rows = propose_facts(doc)
    fell = next(f for f in rows if f.value == -4.3)
    ranged = next(f for f in rows if f.high == 5.5)
    assert table_check(rows, [doc])[0] == []
    wrong = [fell.model_copy(update={"value": 4.3, "base_value": 4.3}),  # the fall lost its sign
             ranged.model_copy(update={"high": None})]  # the range became one number
    errors, _ = table_check(wrong, [doc])
    assert len(errors) == 2 and all("does not state" in e for e in errors)
