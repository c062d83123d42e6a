"""Verification by two independent readings: the table read from the Query alone, the figure read from
the quoted sentence; consistent only when both agree on value, sentence, period and qualifier."""

from __future__ import annotations

from qa.answering.candidates import number_candidates
from qa.answering.features import Cover
from qa.answering.verify import Reading, agrees, read_table
from qa.evidence import Idf, query_variants
from qa.models import Document, Fact, Hit, Passage, Sentence
from qa.question.query import Query

SENTENCE = "预计全年完成地区生产总值86.4亿元，同比增长6.2%；引进项目8个以上。"


def _doc() -> tuple[Document, Passage]:
    sentence = Sentence(text=SENTENCE, start=0, end=len(SENTENCE))
    passage = Passage(id="p1", doc_id="d", section_path=("一、回顾",), text=SENTENCE, start=0, end=len(SENTENCE),
                      sentences=(sentence,), period=2019)
    doc = Document(doc_id="d", path="d.txt", sha256="x", encoding="utf-8", meta={}, text=SENTENCE,
                   sections=(), passages=(passage,))
    return doc, passage


def _row(indicator, value, unit, period=2019, qualifier=None, source=SENTENCE, kind="estimate", growth=None,
         **more) -> Fact:
    return Fact(id=f"r{value}", doc_id="d", indicator=indicator, period=period, kind=kind, value=value, unit=unit,
                base_value=value, qualifier=qualifier, source=source, growth_pct=growth, **more)


def _query(topic, measure="level", years=(2019,), **more) -> Query:
    text = more.pop("text", topic)
    return Query(asked=text, text=text, normalized=text, doc_id="d", scope="chosen", years=years,
                 topic=topic, measure=measure, **more)


def _setup(rows, topic="地区生产总值", measure="level", **more):
    doc, passage = _doc()
    idf = Idf([doc])
    query = _query(topic, measure, **more)
    cands = number_candidates([Hit(passage=passage, score=1, rank=1, retriever="t")])
    reading = read_table(query, rows, Cover(query_variants(topic), idf), 2020, 2019, 0.85)
    return query, cands, reading


def test_both_readings_agree():
    query, cands, reading = _setup([_row("地区生产总值", 86.4, "亿元", qualifier="预计", growth=6.2)])
    gdp = next(c for c in cands if c.q.value == 86.4)
    assert agrees(reading, gdp, 86.4, "亿元", 6.2, query)


def test_a_row_of_another_value_or_sentence_or_year_does_not_agree():
    for row in (_row("地区生产总值", 86.5, "亿元", qualifier="预计"),
                _row("地区生产总值", 86.4, "亿元", qualifier="预计", source="另一句话。"),
                _row("地区生产总值", 86.4, "亿元", qualifier="预计", period=2018)):
        query, cands, reading = _setup([row])
        gdp = next(c for c in cands if c.q.value == 86.4)
        assert not agrees(reading, gdp, 86.4, "亿元", None, query)


def test_a_dropped_qualifier_does_not_agree():
    query, cands, reading = _setup([_row("地区生产总值", 86.4, "亿元", qualifier=None)])
    gdp = next(c for c in cands if c.q.value == 86.4)
    assert reading.fact is not None and not agrees(reading, gdp, 86.4, "亿元", None, query)


def test_the_table_is_read_without_the_candidate():
    """Two rows equally named with different values: no reading, so nothing is vouched for."""
    rows = [_row("地区生产总值", 86.4, "亿元", qualifier="预计"), _row("地区生产总值", 90, "亿元")]
    query, cands, reading = _setup(rows)
    assert reading.fact is None


def test_a_row_that_names_little_of_the_question_is_no_reading():
    query, cands, reading = _setup([_row("项目", 8, "个", qualifier="以上")], topic="地区生产总值")
    assert reading.fact is None


def _gdp(cands):
    return next(c for c in cands if c.q.value == 86.4)


GDP = dict(indicator="地区生产总值", value=86.4, unit="亿元", qualifier="预计", growth=6.2)


def test_a_multi_year_row_does_not_vouch_for_a_one_year_question_nor_the_reverse():
    """到2025年…达到多少 is not 年均增长…; 十三五期间累计 is not one year's figure."""
    query, cands, reading = _setup([_row(**GDP, span_start=2015)])
    assert reading.fact is None
    assert not agrees(Reading(_row(**GDP, span_start=2015), 1), _gdp(cands), 86.4, "亿元", 6.2, query)
    query, cands, reading = _setup([_row(**GDP)], span=True)
    assert reading.fact is None
    query, cands, reading = _setup([_row(**GDP, span_start=2015)], span=True, span_start=2015)
    assert reading.fact is not None and agrees(reading, _gdp(cands), 86.4, "亿元", 6.2, query)
    query, cands, reading = _setup([_row(**GDP, span_start=2015)], span=True, span_start=2016)
    assert reading.fact is None


def test_a_row_of_a_part_of_the_area_needs_the_question_to_name_that_part():
    """城镇 vs 农村: the table's dominant subject is the whole area; a part is read only when asked."""
    whole = [_row("项目", v, "个", subject="全区") for v in (1, 2, 3)]
    query, cands, reading = _setup(whole + [_row(**GDP, subject="开发区")])
    assert reading.fact is None
    query, cands, reading = _setup(whole + [_row(**GDP, subject="开发区")], text="开发区地区生产总值")
    assert reading.fact is not None and agrees(reading, _gdp(cands), 86.4, "亿元", 6.2, query)
    query, cands, reading = _setup(whole + [_row(**GDP, subject="全区")])
    assert reading.fact is not None


def test_the_row_measure_fits_the_question_measure():
    """A share is answered by a % row only, a count never by a % row, a level never by a growth row."""
    query, cands, reading = _setup([_row(**GDP)], measure="share")
    assert reading.fact is None
    query, cands, reading = _setup([_row("地区生产总值", 86.4, "%")], measure="count")
    assert reading.fact is None
    query, cands, reading = _setup([_row("地区生产总值增速", 6.2, "%")], measure="level")
    assert reading.fact is None


def test_the_unit_family_fits_the_unit_asked():
    query, cands, reading = _setup([_row(**GDP)], unit="%")
    assert reading.fact is not None and not agrees(reading, _gdp(cands), 86.4, "亿元", 6.2, query)
    for asked in ("亿元", "亿", "万元"):
        query, cands, reading = _setup([_row(**GDP)], unit=asked)
        assert agrees(reading, _gdp(cands), 86.4, "亿元", 6.2, query), asked
    query, cands, reading = _setup([_row(**GDP)], unit="万")
    assert not agrees(reading, _gdp(cands), 86.4, "亿元", 6.2, query)


def test_a_two_part_answer_is_vouched_for_only_with_both_parts_checked():
    query, cands, reading = _setup([_row(**GDP)], also_growth=True)
    assert agrees(reading, _gdp(cands), 86.4, "亿元", 6.2, query)
    assert not agrees(reading, _gdp(cands), 86.4, "亿元", None, query)  # the growth part left out
    query, cands, reading = _setup([_row(**{**GDP, "growth": None})])
    assert not agrees(reading, _gdp(cands), 86.4, "亿元", 6.2, query)  # a growth the row does not hold
    assert agrees(reading, _gdp(cands), 86.4, "亿元", None, query)


def test_a_result_question_is_not_vouched_for_by_a_target_row():
    query, cands, reading = _setup([_row(**GDP, kind="target")], kind="result")
    assert reading.fact is None
    assert not agrees(Reading(_row(**GDP, kind="target"), 1), _gdp(cands), 86.4, "亿元", 6.2, query)


def test_a_rise_shown_for_a_fall_does_not_agree():
    query, cands, reading = _setup([_row(**{**GDP, "growth": -6.2})])
    assert reading.fact is not None and not agrees(reading, _gdp(cands), 86.4, "亿元", 6.2, query)


def test_a_row_naming_much_more_than_asked_is_not_read():
    """单位地区生产总值能耗 holds all of 地区生产总值 but measures something else: never read as the GDP row;
    of two rows holding the topic, the one naming nothing more wins (人均地区生产总值 is no rival)."""
    doc, _ = _doc()
    cover = Cover(query_variants("地区生产总值"), Idf([doc]))
    energy = _row("单位地区生产总值能耗", 3.2, "%", kind="target", period=2020)
    assert read_table(_query("地区生产总值", years=(2020,)), [energy], cover, 2020, 2019, 0.85, 0.6).fact is None
    assert read_table(_query("地区生产总值", years=(2020,)), [energy], cover, 2020, 2019, 0.85, 0).fact == energy
    gdp, per_head = _row("地区生产总值", 86.4, "亿元"), _row("人均地区生产总值", 52000, "元")
    assert read_table(_query("地区生产总值"), [per_head, gdp], cover, 2020, 2019, 0.85, 0.6).fact == gdp


def test_a_quantity_the_question_states_must_be_in_the_sentence_as_stated():
    """"10亿元以下的有几个" asks a part; "亿元以上项目67个，其中10亿元以上项目14个" writes 10亿元 only with 以上."""
    from qa.answering.verify import _states
    from qa.question.query import Quantity_

    text = "新签约亿元以上项目67个，其中10亿元以上项目14个。"
    assert _states(text, Quantity_(value=10, unit="亿元", qualifiers=("以上",)))
    assert not _states(text, Quantity_(value=10, unit="亿元", qualifiers=("以下",)))
    assert not _states(text, Quantity_(value=20, unit="亿元"))


def test_an_english_question_is_read_in_the_table_only_by_a_glossary_term_naming_its_whole_topic():
    """"retail sales of consumer goods" names 社会消费品零售总额 whole, so the table can be read by it; "online
    retail sales" does not (no English name of that term says "online"), so no second reading vouches for it."""
    from pathlib import Path
    from types import SimpleNamespace

    from qa.answering.verify import whole_concept as _whole_concept
    from qa.question.parse import parse
    from qa.query import load_glossary

    glossary = load_glossary(Path(__file__).resolve().parents[1] / "corpus")
    ctx = SimpleNamespace(glossary=glossary)
    whole = parse("How much did retail sales of consumer goods grow in 2018?", glossary=glossary)
    assert _whole_concept(whole, ctx) == "社会消费品零售总额"
    part = parse("What were online retail sales in 2020?", glossary=glossary)
    assert _whole_concept(part, ctx) is None
    assert _whole_concept(parse("地区生产总值是多少", glossary=glossary), ctx) is None
