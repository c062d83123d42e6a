"""Query understanding: normalisation, the glossary and time intent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qa.errors import CorpusError
from qa.query import Glossary, GlossaryEntry, TimeIntent, load_glossary, normalize, time_intent, understand

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("ＧＤＰ　２０１７年", "gdp 2017年"),  # full-width letters, digits and space
        ("去年地區生產總值增長多少？", "去年地区生产总值增长多少?"),  # traditional characters
        ("  Fixed   Asset\tInvestment ", "fixed asset investment"),
        ("固定资产投资", "固定资产投资"),
    ],
)
def test_normalize(raw, expected):
    assert normalize(raw) == expected


@pytest.mark.parametrize(
    "question, intent",
    [
        ("去年GDP增长多少", TimeIntent(relative="review")),
        ("过去一年新增就业多少人", TimeIntent(relative="review")),
        ("今年固投增长目标是多少", TimeIntent(relative="plan")),
        ("计划引进多少亿元以上项目", TimeIntent(relative="plan", strength=0.5)),  # a cue, not a named year
        ("去年的目标完成了吗", TimeIntent(relative="review", strength=0.5)),
        ("What is the growth target for this year?", TimeIntent(relative="plan")),
        ("How much did GDP grow last year?", TimeIntent(relative="review")),
        ("2017年地区生产总值", TimeIntent(year=2017)),
        ("２０１８年的目标", TimeIntent(year=2018)),  # an explicit year wins over plan words
        ("城镇新增就业", TimeIntent()),
        ("去年完成了今年的计划吗", TimeIntent()),  # both: no guess
    ],
)
def test_time_intent(question, intent):
    assert time_intent(question) == intent


def test_time_intent_is_relative_to_each_report():
    review, plan = TimeIntent(relative="review"), TimeIntent(relative="plan")
    assert review.period_for(2018) == 2017 and plan.period_for(2018) == 2018
    assert review.period_for(2021) == 2020 and plan.period_for(2021) == 2021
    assert TimeIntent(year=2016).period_for(2018) == 2016
    assert review.period_for(None) is None and TimeIntent().period_for(2018) is None


GLOSSARY = Glossary(
    (
        GlossaryEntry(term="固定资产投资", aliases=("固投",), english=("fixed asset investment",)),
        GlossaryEntry(term="地区生产总值", aliases=("GDP", "经济总量")),
    )
)


def test_glossary_expands_common_names_to_the_report_term():
    assert "固定资产投资" in GLOSSARY.expand("今年固投增长多少")
    assert "地区生产总值" in GLOSSARY.expand("去年ＧＤＰ多少")
    assert "固定资产投资" in GLOSSARY.expand("How much fixed asset investment?")
    assert GLOSSARY.expand("城镇新增就业") == []


def test_glossary_latin_names_match_whole_words_only():
    assert GLOSSARY.expand("gdpr compliance") == []


def test_glossary_chinese_terms_are_words_for_the_tokenizer():
    assert set(GLOSSARY.chinese_terms()) == {"固定资产投资", "固投", "地区生产总值", "经济总量"}


def test_understand_combines_all():
    info = understand("去年固投增長多少", GLOSSARY)
    assert info.text == "去年固投增长多少"
    assert "固定资产投资" in info.expansions
    assert info.intent == TimeIntent(relative="review")


def test_load_glossary_jsonl_json_and_none(tmp_path):
    assert load_glossary(tmp_path).entries == ()
    (tmp_path / "glossary.json").write_text(json.dumps([{"term": "社会消费品零售总额", "aliases": ["社零"]}]),
                                            encoding="utf-8")
    assert load_glossary(tmp_path).entries[0].aliases == ("社零",)
    (tmp_path / "glossary.jsonl").write_text('{"term": "城镇新增就业", "aliases": ["新增就业"]}\n', encoding="utf-8")
    assert load_glossary(tmp_path).entries[0].term == "城镇新增就业"  # .jsonl is preferred


def test_bad_glossary_line_is_reported_with_its_number(tmp_path):
    (tmp_path / "glossary.jsonl").write_text('{"term": "固定资产投资"}\n{"alias": "x"}\n', encoding="utf-8")
    with pytest.raises(CorpusError, match="entry 2"):
        load_glossary(tmp_path)


def test_related_words_help_search_but_never_stand_for_the_indicator():
    """A part (税收收入) or a neighbour of an indicator is a related word: a question naming it is expanded
    for search, but coverage never reads it as the indicator (a 税收收入 figure answering 财政收入 was ✓)."""
    from qa.evidence import query_variants

    glossary = Glossary((GlossaryEntry(term="一般公共预算收入", aliases=("财政收入",), related=("税收收入",)),))
    assert "一般公共预算收入" in glossary.expand("去年税收收入多少")
    assert glossary.matches("去年税收收入多少") == [] and glossary.matches("去年税收收入多少", related=True)
    assert "税收收入" in glossary.chinese_terms()
    variants = {"".join(v) for v in query_variants("财政收入多少", glossary)}
    assert not any("税收" in v for v in variants) and any("一般公共预算收入" in v for v in variants)
    assert len(query_variants("税收收入多少", glossary)) == 1


def test_shipped_glossary_is_valid_and_covers_the_core_indicators():
    glossary = load_glossary(ROOT / "corpus")
    assert len(glossary.entries) >= 30
    terms = {e.term for e in glossary.entries}
    assert {"地区生产总值", "固定资产投资", "社会消费品零售总额", "城镇新增就业"} <= terms
    # an entry never names itself twice, and names are shared by at most a few entries
    for entry in glossary.entries:
        assert len(entry.names) == len({entry.term, *entry.aliases, *entry.english}), entry.term
        assert not set(entry.related) & set(entry.aliases), entry.term


def test_an_english_question_is_searched_by_the_chinese_words_reports_use():
    """BM25 cannot match English words against a Chinese report: the lexicon's first senses are expansions."""
    info = understand("How many hospital beds were added in 2020?")
    assert "床位" in info.expansions
    assert understand("新增床位多少张").expansions == ()  # a Chinese question is searched as written


def test_the_shipped_glossary_reads_everyday_words_as_the_reports():
    """老师 / 房租 / 减负 / 厕所 as a user types them; the report writes 教师, 租金, 减轻负担, 户厕."""
    shipped = load_glossary(Path(__file__).resolve().parents[1] / "corpus")
    for asked, written in (("去年新招了多少老师", "教师"), ("减免房租多少", "租金"), ("给企业减负多少", "减轻负担"),
                           ("农村厕所改了多少个", "户厕")):
        assert written in shipped.expand(asked), asked
