"""Sentence scoring and the answering phrase, on the real report."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.evidence import Idf, best_clause, coverage, rank_sentences, terms
from qa.ingest import load_document
from qa.models import Hit

REPORT = Path(__file__).resolve().parents[1] / "corpus" / "weidong-2018-government-work-report.txt"


@pytest.fixture(scope="module")
def doc():
    return load_document(REPORT)


@pytest.fixture(scope="module")
def idf(doc):
    return Idf([doc])


def test_terms_drop_question_words_and_years():
    assert terms("去年GDP增长多少？") == ["gdp", "增长"]
    assert terms("2018年要建哪些道路") == ["道路"]  # "要建" is no dictionary word: no junction bigrams
    assert terms("创卫五个一竞赛拿了多少面红旗") == ["创卫", "五个", "竞赛", "红旗"]
    assert "多少" not in "".join(terms("城里新增工作岗位有多少个"))


def test_coverage_is_idf_weighted(doc, idf):
    q = terms("北环路拓宽征迁")
    assert coverage(q, "制定北环路拓宽征迁补偿方案", idf) == pytest.approx(1.0)
    assert coverage(q, "天气很好", idf) == 0.0
    rare, common = coverage(q, "北环路", idf), coverage(q, "拓宽", idf)
    assert 0 < common and 0 < rare


def test_rank_sentences_prefers_the_answering_sentence(doc, idf):
    hits = [Hit(passage=p, score=1.0, rank=i + 1, retriever="test") for i, p in enumerate(doc.passages)]
    ranked = rank_sentences(terms("取缔违规夜市多少家"), hits, idf)
    assert "取缔违规夜市78家" in ranked[0].sentence.text


def test_period_prior(doc, idf):
    hits = [Hit(passage=p, score=1.0, rank=1, retriever="test") for p in doc.passages]
    review = rank_sentences(terms("新增高新技术企业"), hits, idf, year=2017)[0]
    plan = rank_sentences(terms("新增高新技术企业"), hits, idf, year=2018)[0]
    assert review.passage.period == 2017 and plan.passage.period == 2018


def test_best_clause(idf):
    quote = "预计全年完成地区生产总值111亿元，同比增长7.5%；地方公共财政预算收入5.6亿元，增长7.6%；固定资产投资83.2亿元，增长12%。"
    start, end = best_clause(quote, terms("固定资产投资"), idf)
    assert quote[start:end] == "固定资产投资83.2亿元"
    start, end = best_clause(quote, terms("收入"), idf, must_contain="5.6")
    assert quote[start:end] == "地方公共财政预算收入5.6亿元"


def test_an_abbreviation_cut_into_characters_stays_a_term():
    """jieba cuts an abbreviation it does not know into characters (二产增加值 -> 二/产/增加值); the run of
    characters stays a term, so 二产增加值 is not read as any 增加值."""
    assert "二产" in terms("二产增加值")
    assert terms("红旗") == ["红旗"]


def test_an_english_question_is_also_read_in_the_reports_words():
    """tourists -> 游客: an English topic gets Chinese readings (data/english_lexicon.json); a Chinese question
    naming GDP keeps its own words (人均GDP is never read as GDP)."""
    from qa.evidence import english_variants, query_variants

    assert any("游客" in "".join(v) for v in english_variants("tourists qinghe"))
    assert english_variants("人均gdp") == ()
    assert all("人均" in v for v in query_variants("人均gdp"))


def test_a_run_of_characters_the_dictionary_does_not_know_is_one_word():
    """电代煤 (cut 电/代/煤) is a term; two lone characters between filler words are one only when the question
    has no other term (托位年度计划数是多少: 托位, else no topic at all)."""
    assert terms("电代煤") == ["电代", "代煤"]
    assert terms("2018年要建哪些道路") == ["道路"]
    assert terms("托位 数") == ["托位"]  # the topic of 托位年度计划数是多少
    assert "托位" in terms("托位年度计划数是多少")


def test_glossary_names_in_one_question_are_all_replaced_in_one_variant():
    from qa.evidence import query_variants
    from qa.query import Glossary, GlossaryEntry

    glossary = Glossary((GlossaryEntry(term="规模以上", aliases=("规上",)), GlossaryEntry(term="营业收入", aliases=("营收",))))
    variants = query_variants("规上服务业企业营收", glossary)
    assert set(terms("规模以上服务业企业营业收入")) in [set(v) for v in variants]


def test_a_glossary_name_split_by_a_year_or_place_is_still_its_name():
    """农民去年人均可支配收入: the topic 农民 人均可支配收入 is read as the glossary's 农民人均可支配收入 (rural)."""
    from qa.evidence import query_variants
    from qa.query import Glossary, GlossaryEntry

    glossary = Glossary((GlossaryEntry(term="农村居民人均可支配收入", aliases=("农民人均可支配收入",)),))
    variants = query_variants("农民 人均可支配收入", glossary)
    assert set(terms("农村居民人均可支配收入")) <= set().union(*map(set, variants[1:]))


def test_a_glossary_name_with_no_term_of_its_own_leaves_no_variant_of_the_rest_alone():
    """固投 (cut 固/投) for 固定资产投资 in "固定资产投资总额": no variant of 总额 alone, which every 总额 covers."""
    from qa.evidence import query_variants
    from qa.query import Glossary, GlossaryEntry

    glossary = Glossary((GlossaryEntry(term="固定资产投资", aliases=("固投",)),))
    variants = query_variants("固定资产投资总额", glossary)
    assert all(set(v) - {"总额", "资总"} for v in variants), variants
    assert {"固定", "资产", "投资", "增速"} <= set(query_variants("固投增速", glossary)[1])


def test_heading_lines_are_no_answer(tmp_path):
    """A title and the numbered lead under it, split as one sentence, answer nothing; a numbered list
    item does."""
    path = tmp_path / "r.txt"
    path.write_text("某区2019年政府工作报告\n\n二、2019年工作安排\n\n（一）稳投资扩消费，保持经济平稳增长\n\n"
                    "（1）抓好重大项目建设。全年安排重点项目350个，其中产业项目210个。\n\n"
                    "（2）办好民生实事。\n1. 推进老旧小区改造。\n2. 新建学校3所。\n", encoding="utf-8")
    doc = load_document(path)
    hits = [Hit(passage=p, score=1.0, rank=1, retriever="test") for p in doc.passages]
    texts = [e.sentence.text for e in rank_sentences(terms("重点项目建设分几类"), hits, Idf([doc]))]
    assert not [t for t in texts if "稳投资扩消费" in t or "抓好重大项目建设" in t], texts
    assert any("全年安排" in t for t in texts) and any("老旧小区" in t for t in texts)
