"""Verification by two independent readings: the table read from the Query alone, the figure read from
the quoted sentence; consistent only when both agree on value, sentence, period and qualifier."""

from __future__ import annotations

from qa.answering.candidates import number_candidates
from qa.answering.features import Cover
from qa.answering.verify import agrees, read_table
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


def _row(indicator, value, unit, period=2019, qualifier=None, source=SENTENCE, kind="estimate") -> Fact:
    return Fact(id=f"r{value}", doc_id="d", indicator=indicator, period=period, kind=kind, value=value, unit=unit,
                base_value=value, qualifier=qualifier, source=source)


def _query(topic, measure="level", years=(2019,)) -> Query:
    return Query(asked=topic, text=topic, normalized=topic, doc_id="d", scope="chosen", years=years,
                 topic=topic, measure=measure)


def _setup(rows, topic="地区生产总值", measure="level"):
    doc, passage = _doc()
    idf = Idf([doc])
    query = _query(topic, measure)
    cands = number_candidates([Hit(passage=passage, score=1, rank=1, retriever="t")])
    reading = read_table(query, rows, Cover(query_variants(topic), idf), 2020, 2019, 0.85)
    return query, cands, reading


def test_both_readings_agree():
    query, cands, reading = _setup([_row("地区生产总值", 86.4, "亿元", qualifier="预计")])
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
