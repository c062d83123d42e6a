"""Every question is scoped to one report first: the region it names in any form, else the chosen
report, else the only one, else ambiguous (never a silent mix)."""

from __future__ import annotations

import pytest

from qa.models import DocProfile
from qa.question.parse import parse
from qa.question.scope import report_names

THREE = {
    "qh": DocProfile(region="清河县", level="county", review_year=2020, plan_year=2021),
    "nmg": DocProfile(region="内蒙古自治区", level="province", review_year=2018, plan_year=2019),
    "gw": DocProfile(region="全国", short_names=("中国", "国务院"), level="national", review_year=2022, plan_year=2023),
}


def scope(text, reports=THREE, **kw):
    return parse(text, reports=reports, **kw)


@pytest.mark.parametrize("text, doc", [
    ("清河县去年GDP是多少", "qh"),
    ("清河去年GDP是多少", "qh"),
    ("内蒙古去年GDP是多少", "nmg"),
    ("內蒙古自治區去年GDP", "nmg"),
    ("中国去年GDP是多少", "gw"),
])
def test_region_named_in_any_form(text, doc):
    query = scope(text)
    assert (query.doc_id, query.scope) == (doc, "named")


def test_relative_years_follow_the_named_report():
    assert scope("清河去年GDP").years == (2020,)
    assert scope("内蒙古去年GDP").years == (2018,)


def test_chosen_then_only_then_ambiguous():
    assert (scope("去年GDP", chosen_doc="nmg").doc_id, scope("去年GDP", chosen_doc="nmg").scope) == ("nmg", "chosen")
    only = scope("去年GDP", reports={"qh": THREE["qh"]})
    assert (only.doc_id, only.scope, only.years) == ("qh", "only", (2020,))
    amb = scope("去年GDP")
    assert (amb.doc_id, amb.scope, amb.years) == (None, "ambiguous", ())
    assert scope("GDP", reports={}).scope == "none"


def test_named_region_beats_the_choice():
    assert scope("清河去年GDP", chosen_doc="nmg").doc_id == "qh"


def test_two_regions_named_is_a_cross_report_comparison():
    query = scope("清河和内蒙古去年GDP哪个增长快")
    assert query.doc_ids_named == ("qh", "nmg")
    assert [s.doc_id for s in query.sides] == ["qh", "nmg"]


@pytest.mark.parametrize("text, place", [
    ("澜州市2020年地区生产总值是多少", "澜州市"),
    ("北湖区今年的民生实事有哪些", "北湖区"),
    ("西江省2018年GDP增速", "西江省"),
])
def test_foreign_places(text, place):
    assert scope(text, chosen_doc="qh").places == (place,)


@pytest.mark.parametrize("text", ["全县GDP是多少", "开发区有多少家企业", "全市综合考核得了什么等次",
                                  "在全省排第几", "城区新增多少绿地", "综合保税区批了吗", "示范区建设情况",
                                  "培育市长、区长质量奖企业", "2018年申报省市级科技项目几项？",
                                  "单位地区生产总值能耗今年要下降多少", "新增市级以上文明单位几家"])
def test_generic_area_words_are_not_foreign_places(text):
    assert scope(text, chosen_doc="qh").places == ()


def test_two_reports_of_one_region_are_told_apart_by_year():
    reports = {"a2019": DocProfile(region="河西县", review_year=2018, plan_year=2019),
               "a2020": DocProfile(region="河西县", review_year=2019, plan_year=2020)}
    assert scope("河西县2018年GDP", reports=reports).doc_id == "a2019"
    assert scope("河西县GDP", reports=reports).scope == "ambiguous"
    assert scope("河西县GDP", reports=reports, chosen_doc="a2020").doc_id == "a2020"


def test_short_names_drop_the_admin_suffix():
    assert set(report_names(DocProfile(region="内蒙古自治区"))) == {"内蒙古自治区", "内蒙古"}
    assert set(report_names(DocProfile(region="沛县"))) == {"沛县"}  # a one-character stem names nothing


def test_place_detection_is_linear_on_adversarial_input():
    import time

    text = ("市区县省州" * 100)[:500]
    started = time.perf_counter()
    scope(text, chosen_doc="qh")
    assert time.perf_counter() - started < 0.1


@pytest.mark.parametrize("text, doc", [
    ("What was Qinghe County's total foreign trade in 2020?", "qh"),
    ("How much did GDP grow in qinghe last year?", "qh"),
])
def test_english_questions_name_the_region_romanised(text, doc):
    query = scope(text)
    assert (query.doc_id, query.scope) == (doc, "named")
    assert "qinghe" not in query.topic


def test_latin_short_name_from_the_profile():
    reports = {"nmg": DocProfile(region="内蒙古自治区", short_names=("内蒙古", "Inner Mongolia")),
               "qh": THREE["qh"]}
    assert scope("What was Inner Mongolia's GDP?", reports=reports).doc_id == "nmg"


def test_documents_without_a_profile_fall_back_to_their_meta():
    from qa.models import DocMeta
    from qa.question.parse import as_profiles

    class Doc:  # the two attributes parse reads from a Document
        def __init__(self, doc_id, meta, profile=DocProfile()):
            self.doc_id, self.meta, self.profile = doc_id, meta, profile

    docs = [Doc("a", DocMeta(region="河西县", year=2019)),
            Doc("b", DocMeta(region="东城市", year=2019), DocProfile(region="东城市", review_year=2017, plan_year=2018))]
    profiles = as_profiles(docs)
    assert (profiles["a"].region, profiles["a"].review_year, profiles["a"].plan_year) == ("河西县", 2018, 2019)
    assert (profiles["b"].review_year, profiles["b"].plan_year) == (2017, 2018)
    assert parse("河西去年GDP", reports=docs).years == (2018,)


def test_area_word_of_the_national_report_does_not_override_the_choice():
    assert scope("GDP增速在全国排第几", chosen_doc="qh").doc_id == "qh"
    assert scope("清河GDP增速在全国排第几").doc_id == "qh"
    assert scope("全国GDP增长目标是多少").doc_id == "gw"  # nothing else scopes it
