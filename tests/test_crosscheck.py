"""Checking the fact table against its report; the wording of a figure with its hedges."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.crosscheck import worded
from qa.facts import load_facts

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


@pytest.fixture(scope="module")
def facts():
    return load_facts(CORPUS)


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
