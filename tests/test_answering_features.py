"""Named features of a candidate: the phrase a figure measures, the head of the question's noun phrase,
the subject of each figure of a "分别" list, spans (年均) against single years. A small invented report,
real candidates (fake embedder, real FAISS)."""

from __future__ import annotations

import pytest

from answering_fixtures import build
from qa.answering.candidates import number_candidates
from qa.answering.features import features, measured_phrase, name_lead

REPORT = """政府工作报告

——2021年1月8日在青禾县第九届人民代表大会第五次会议上

一、2020年工作回顾

全年完成地区生产总值120.5亿元，同比增长4.2%。18家高污染企业停产整治，10家企业实施技术改造。
城市、农村低保标准分别提高到每人每月650元和480元。全年安排重点项目40个，总投资210亿元。
五年来，固定资产投资年均增长8.1%；2020年固定资产投资增长5.2%。省、市重点项目完成投资36.5亿元。
"""
DOC = "qinghe-demo-2021"


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    from conftest import FakeEmbedder

    return build(tmp_path_factory.mktemp("features"), embedder=FakeEmbedder(), reports={DOC: REPORT})


def candidate(engine, raw: str):
    hits = [h for h in engine.context.search("工作回顾", DOC, k=20)]
    for c in number_candidates(hits):
        if c.q.raw.strip() == raw:
            return c
    raise AssertionError(f"no candidate {raw}")


def row(engine, question: str, raw: str) -> dict:
    from qa.answering.context import parse_query

    ctx = engine.context
    query = parse_query(question, (), DOC, ctx)
    return features(candidate(engine, raw), query, ctx.cover(query.topic, DOC), ctx.idf_of(DOC),
                    ctx.plan_year(DOC), ctx.review_year(DOC))


def test_a_rate_after_its_level_is_named_by_the_levels_words(small):
    rate = candidate(small, "4.2%")
    assert "地区生产总值" in name_lead(rate)
    assert "同比增长" not in name_lead(rate)


def test_a_count_followed_by_its_noun_measures_the_words_after_it(small):
    assert measured_phrase(candidate(small, "18家")).startswith("高污染企业停产整治")
    assert measured_phrase(candidate(small, "10家")).startswith("企业实施技术改造")
    asked = "有多少家高污染企业停产整治？"
    assert row(small, asked, "18家")["cov_measured"] > row(small, asked, "10家")["cov_measured"]


def test_the_head_of_the_asked_noun_phrase(small):
    asked = "重点项目总投资多少？"
    assert row(small, asked, "210亿元")["head_term"] == 1
    assert row(small, asked, "40个")["head_term"] == 0


def test_each_figure_of_a_respectively_list_has_its_own_subject(small):
    asked = "农村低保标准提高到多少？"
    assert (row(small, asked, "480元")["list_own"], row(small, asked, "480元")["list_other"]) == (1, 0)
    assert (row(small, asked, "650元")["list_own"], row(small, asked, "650元")["list_other"]) == (0, 1)


def test_a_span_rate_against_a_single_year(small):
    one_year = "去年固定资产投资增长多少？"
    assert row(small, one_year, "8.1%")["span_mismatch"] == 1
    assert row(small, one_year, "5.2%")["span_mismatch"] == 0
    span = "五年来固定资产投资年均增长多少？"
    assert row(small, span, "8.1%")["span_match"] == 1


def test_a_list_written_with_a_dunhao_holds_the_joined_word(small):
    assert row(small, "省市重点项目完成投资多少？", "36.5亿元")["cov_lead"] == 1


def test_levels_and_rates_of_two_respectively_lists_pair_in_order():
    """"城镇和农村居民人均可支配收入分别达到52000元和26000元，分别增长6.1%和7.4%": 26000元 grows 7.4% (not the
    6.1% that follows it), and 7.4% is named by the subjects' words, not by "和"."""
    from qa.models import Hit, Passage, Sentence

    text = "城镇居民和农村居民人均可支配收入分别达到52000元和26000元，分别增长6.1%和7.4%。"
    passage = Passage(id="p", doc_id="d", section_path=(), text=text, start=0, end=len(text),
                      sentences=(Sentence(text=text, start=0, end=len(text)),), period=2020)
    found = {c.q.raw.strip(): c for c in number_candidates([Hit(passage=passage, score=1, rank=1, retriever="t")])}
    assert found["26000元"].growth.value == 7.4 and found["达到52000元"].growth.value == 6.1
    assert found["7.4%"].level.value == 26000
    assert "人均可支配收入" in name_lead(found["7.4%"])


@pytest.mark.parametrize("text, pairs", [
    ("松陵港完成货物吞吐量1.36亿吨，集装箱吞吐量86.5万标箱，分别增长7.8%和15.6%。", {"1.36亿吨": 7.8, "86.5万标箱": 15.6}),
    ("实现营业收入120亿元、利润8亿元，分别增长10%和12%。", {"120亿元": 10, "8亿元": 12}),
])
def test_a_respectively_list_of_rates_after_as_many_levels_pairs_them_in_order(text, pairs):
    """Not 86.5万标箱 with the 7.8% that happens to follow it."""
    found = _candidates_of(text)
    assert {raw: found[raw].growth.value for raw in pairs} == pairs
    assert found["15.6%" if "15.6%" in found else "12%"].level.value in (86.5, 8)


def _candidates_of(text: str) -> dict:
    from qa.models import Hit, Passage, Sentence

    passage = Passage(id="p", doc_id="d", section_path=(), text=text, start=0, end=len(text),
                      sentences=(Sentence(text=text, start=0, end=len(text)),), period=2020)
    return {c.q.raw.strip(): c for c in number_candidates([Hit(passage=passage, score=1, rank=1, retriever="t")])}


def test_a_rate_naming_its_own_indicator_is_not_the_rate_of_the_level_before_it():
    """"集聚各类人才1.8万人，技术合同成交额增长31.5%": 31.5% is the growth of 技术合同成交额, not of 人才; while
    "完成地区生产总值111亿元，同比增长7.5%" (only linking words between them) is the level's rate."""
    found = _candidates_of("集聚各类人才1.8万人，技术合同成交额增长31.5%；完成地区生产总值111亿元，同比增长7.5%。")
    assert found["31.5%"].level is None and found["1.8万人"].growth is None
    assert "技术合同成交额" in name_lead(found["31.5%"]) and "人才" not in name_lead(found["31.5%"])
    assert found["7.5%"].level.value == 111 and found["111亿元"].growth.value == 7.5


@pytest.mark.parametrize("asked, phrase, contrast", [
    ("一般公共预算支出", "一般公共预算收入", 1),   # 收入 for 支出 asked: a neighbouring indicator
    ("出口", "外贸进出口总额", 1),                   # 进出口 is not 出口
    ("城镇居民收入", "农村居民人均可支配收入", 1),
    ("规上工业增加值", "规上工业总产值", 1),
    ("规上工业产值", "规上工业总产值", 0),            # 产值 is 总产值 said short
    ("进出口", "外贸进出口总额", 0),
    ("地区生产总值", "全市地区生产总值", 0),          # no group named: nothing to contrast
    ("城镇居民收入", "城镇居民人均可支配收入", 0),
    ("人均地区生产总值", "全市地区生产总值", 1),      # a per-head figure asked, the whole said
    ("地区生产总值", "人均地区生产总值", 0),          # (the other way round is the name's precision to weigh)
    ("规上工业企业利润", "规模以上工业增加值", 1),
    ("第二产业增加值", "规模以上工业增加值", 1),
])
def test_a_figure_naming_another_member_of_a_group_asked_is_a_neighbour(asked, phrase, contrast):
    from qa.answering.features import contrast as contrast_of, members

    assert contrast_of(members(asked), phrase) == contrast


def test_a_topics_word_for_the_amount_also_reads_without_it(small):
    """地区生产总值总量: reports write 地区生产总值; the topic's coverage of that name is full."""
    cover = small.context.cover("地区生产总值总量", DOC)
    assert cover("全年完成地区生产总值") == 1
    assert small.context.cover("地区生产总值", DOC)("全年完成地区生产总值") == 1


def test_a_figure_after_another_with_only_a_linking_word_between_shares_its_name():
    """"搬迁安置1064户3518人", "年均增长6.5%，达到20亿元", "新增…14家，总数达到53家": the second figure has no words
    of its own; it is named by the first one's."""
    found = _candidates_of("搬迁安置1064户3518人；一般公共预算收入年均增长6.5%，达到20亿元；新增高新技术企业14家，总数达到53家。")
    assert "搬迁安置" in found["3518人"].lead
    assert "一般公共预算收入" in found["达到20亿元"].lead
    assert "高新技术企业" in found["达到53家"].lead
    assert "高新技术企业" not in _candidates_of("新增高新技术企业14家，引进人才200名。")["200名"].lead


def test_a_total_word_after_a_figure_is_named_by_that_figures_words():
    """"新增高新技术企业14家，总数达到53家": 53家 measures the 高新技术企业 of the clause before, not "总数"."""
    found = _candidates_of("新增高新技术企业14家，总数达到53家。")
    assert "高新技术企业" in measured_phrase(found["达到53家"])


def test_a_count_that_opens_its_clause_is_worded_figure_first():
    """"18家高污染企业停产整治，10家企业实施技术改造": 10家 is named by the words after it."""
    found = _candidates_of("18家高污染企业停产整治，10家企业实施技术改造。")
    ten = found["10家"]
    assert ten.starts_clause and ten.noun_after == "企业实施技术改造"
    assert not _candidates_of("完成电代煤、气代煤936户。")["936户"].starts_clause


def test_the_subjects_of_a_respectively_list_are_those_of_its_own_clause():
    """A target sentence listing many indicators before 城镇居民和农村居民…分别增长7%和8.5%: the subjects start after
    the last clause break, not at the sentence's start (the answer had named 8.5% "和")."""
    from qa.answering.respectively import list_subjects

    text = ("主要预期目标是：地区生产总值增长7.5%左右，外贸进出口总额增长8%，城镇居民和农村居民人均可支配收入分别"
            "增长7%和8.5%，城镇新增就业6000人以上。")
    assert list_subjects(text, text.index("8.5%")) == (("城镇居民人均可支配收入", "农村居民人均可支配收入"), 1)


def test_a_hedge_is_the_figures_own_not_a_word_of_its_name():
    """规模以上 in 规模以上工业增加值 is no hedge (以上) making 7.2% a target; 8%左右 and 力争…以上 are."""
    from qa.answering.features import target_cue

    found = _candidates_of("全市规模以上工业增加值增长7.2%，主要经济指标稳中有进。规模以上工业增加值增长8%左右。")
    assert not target_cue(found["7.2%"]) and target_cue(found["8%左右"])


def test_a_figure_of_a_list_item_is_led_by_its_own_item_not_the_previous_figures_noun():
    """为1万名困难群众购买意外伤害保险、新建城市书房12家: the words before 12家 since 1万名 hold 1万名's own item
    (困难群众…, what it counts); 12家's item starts after the 、."""
    found = _candidates_of("今年办好民生实事：新增学位6000个、为1万名困难群众购买意外伤害保险、新建城市书房12家。")
    assert found["12家"].lead == "新建城市书房" and found["6000个"].lead.endswith("新增学位")
