"""Report profiles: region and its names, level, area word, date, review and plan years, with sources."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qa.errors import CorpusError
from qa.ingest import load_document
from qa.models import DocMeta
from qa.profile import build_profile, five_year_span, level_of, period_of_heading, short_names

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
DEV = Path(__file__).resolve().parents[2] / "shared" / "corpus-dev"
WEIDONG = ROOT / "corpus" / "weidong-2018-government-work-report.txt"

# (file, region, short names, level, area word, review year, plan year)
DEV_PROFILES = [
    ("qinghe-county-2021-government-work-report.txt", "清河县", ("清河",), "county", "全县", 2020, 2021),
    ("nanhu-district-2023-government-work-report.txt", "南湖区", ("南湖",), "district", "全区", 2022, 2023),
    ("songling-city-2019-government-work-report.txt", "松陵市", ("松陵",), "city", "全市", 2018, 2019),
]


@pytest.mark.parametrize("name, region, names, level, area, review, plan", DEV_PROFILES, ids=lambda v: str(v)[:8])
def test_development_report_profiles(name, region, names, level, area, review, plan):
    path = DEV / name
    if not path.exists():
        pytest.skip("../shared/corpus-dev is not beside this checkout")
    profile = load_document(path).profile
    assert (profile.region, profile.short_names, profile.level, profile.area_word) == (region, names, level, area)
    assert (profile.review_year, profile.plan_year) == (review, plan)
    assert profile.sources["region"] == "head" and profile.sources["plan_year"] == "head"


def test_weidong_profile_from_meta_and_head():
    doc = load_document(WEIDONG)
    profile = doc.profile
    assert (profile.region, profile.short_names, profile.level, profile.area_word) == ("卫东区", ("卫东",), "district", "全区")
    assert (profile.review_year, profile.plan_year, profile.date) == (2017, 2018, "2018-01-18")
    assert profile.sources["region"] == "meta" and profile.sources["level"] == "head"  # 代区长
    assert doc.meta.year == 2018


@pytest.mark.parametrize(
    "name, region, names, level, area, review, plan",
    [
        ("dash-style-2024.txt", "全国", ("中国", "国务院"), "national", "全国", 2023, 2024),
        ("parts-style-2023.txt", "东湖区", ("东湖",), "district", "全区", 2022, 2023),
        ("pdf-style-2019.txt", "青石市", ("青石",), "city", "全市", 2018, 2019),
    ],
)
def test_fixture_profiles_from_the_head(name, region, names, level, area, review, plan):
    profile = load_document(FIXTURES / name).profile
    assert (profile.region, profile.short_names, profile.level, profile.area_word) == (region, names, level, area)
    assert (profile.review_year, profile.plan_year) == (review, plan)


def test_report_without_date_or_speaker_gets_years_from_headings():
    doc = load_document(FIXTURES / "no-head-2019.txt")
    profile = doc.profile
    assert (profile.review_year, profile.plan_year) == (2018, 2019)
    assert profile.sources["review_year"] == profile.sources["plan_year"] == "inferred"
    assert profile.region is None and profile.sources["region"] == "missing" and profile.sources["date"] == "missing"
    assert profile.area_word == "全旗"  # read from the text although the level is unknown
    assert doc.meta.year == 2019  # meta.year is filled from the profile
    result = next(p for p in doc.passages if "86.4亿元" in p.text)
    target = next(p for p in doc.passages if "6.5%左右" in p.text)
    assert (result.period, target.period) == (2018, 2019)


def test_items_report_years_from_review_heading_with_a_span():
    profile = load_document(FIXTURES / "items-style-2021.txt").profile
    assert (profile.review_year, profile.plan_year) == (2020, 2021)


def test_declared_profile_wins(tmp_path):
    path = tmp_path / "r.txt"
    path.write_bytes((FIXTURES / "parts-style-2023.txt").read_bytes())
    (tmp_path / "r.meta.json").write_text(json.dumps(
        {"region": "东湖新区", "short_names": ["东湖", "新区"], "level": "district", "review_year": 2022, "plan_year": 2023},
        ensure_ascii=False), encoding="utf-8")
    profile = load_document(path).profile
    assert profile.region == "东湖新区" and profile.short_names == ("东湖", "新区")
    assert {k: profile.sources[k] for k in ("region", "short_names", "level", "review_year", "plan_year", "date")} == {
        "region": "meta", "short_names": "meta", "level": "meta", "review_year": "meta", "plan_year": "meta", "date": "head"}


def test_bad_declared_level_is_a_clear_error(tmp_path):
    path = tmp_path / "r.txt"
    path.write_bytes((FIXTURES / "no-head-2019.txt").read_bytes())
    (tmp_path / "r.meta.json").write_text('{"level": "galaxy"}', encoding="utf-8")
    with pytest.raises(CorpusError, match="invalid metadata"):
        load_document(path)


@pytest.mark.parametrize(
    "region, names, level",
    [
        ("内蒙古自治区", ("内蒙古",), "province"),
        ("广西壮族自治区", ("广西壮族", "广西"), "province"),
        ("恩施土家族苗族自治州", ("恩施土家族苗族", "恩施"), "city"),
        ("清河县", ("清河",), "county"),
        ("沛县", (), "county"),  # a one-character stem is no name
        ("锡林郭勒盟", ("锡林郭勒",), "city"),
        ("南湖区", ("南湖",), "district"),
        ("某某镇", ("某某",), "town"),
        ("滨江新区", ("滨江",), "district"),  # 新区 is dropped too
        ("苏州高新区", ("苏州高新",), "district"),  # but 高新区 keeps its 高新
    ],
)
def test_short_names_and_levels_from_suffixes(region, names, level):
    assert short_names(region) == names
    assert level_of(region) == level


@pytest.mark.parametrize(
    "meeting, region, names",
    [
        ("在临澄市南湖区第八届人民代表大会", "南湖区", ("南湖", "临澄市南湖区")),
        ("在示例市沛县第十届人民代表大会", "沛县", ("示例市沛县",)),
        ("在内蒙古自治区第十四届人民代表大会", "内蒙古自治区", ("内蒙古",)),
        ("在新市区第五届人民代表大会", "新市区", ("新市",)),
    ],
)
def test_region_of_the_meeting_without_its_parent(meeting, region, names):
    profile = build_profile(DocMeta(), ["政府工作报告", f"——2020年1月5日{meeting}第三次会议上"], [], "", [])
    assert (profile.region, profile.short_names) == (region, names)


def test_december_report_plans_the_coming_year_and_chinese_numeral_dates():
    head = ["政府工作报告", "——二〇一八年十二月二十八日在某某区第一届人民代表大会第三次会议上"]
    profile = build_profile(DocMeta(), head, [], "全区", [])
    assert profile.date == "2018-12-28" and (profile.review_year, profile.plan_year) == (2018, 2019)
    assert profile.region == "某某区" and profile.level == "district"


def test_a_date_in_full_width_digits_is_read():
    """An OCR'd or typeset report writes ２０１１年１月２０日: the same date, the same years."""
    head = ["政府工作报告", "——２０１１年１月２０日在某某州第十届人民代表大会第五次会议上"]
    profile = build_profile(DocMeta(), head, ["一、２０１０年工作回顾"], "全州", [])
    assert profile.date == "2011-01-20" and (profile.review_year, profile.plan_year) == (2010, 2011)


def test_plan_year_from_a_this_year_sentence_alone():
    profile = build_profile(DocMeta(), ["政府工作报告"], ["一、过去一年的工作"], "", ["2022年是重要的一年。"])
    assert (profile.plan_year, profile.review_year) == (2022, 2021)
    assert profile.sources["plan_year"] == "inferred"


def test_nothing_found_is_missing():
    profile = build_profile(DocMeta(), ["报告"], [], "", [])
    assert profile.review_year is None and profile.plan_year is None and profile.area_word is None
    assert set(profile.sources.values()) == {"missing"}


@pytest.mark.parametrize(
    "title, period",
    [
        ("一、2017年工作回顾", 2017),
        ("一、2020年和“十三五”时期工作回顾", 2020),
        ("二、“十四五”时期的发展目标和主要任务", 2025),
        ("二、今年的主要任务", 2019),
        ("一、过去一年工作回顾", 2018),
        ("三、全面加强政府自身建设", None),
    ],
)
def test_period_of_heading(title, period):
    assert period_of_heading(title, 2018, 2019) == period


def test_five_year_spans_are_computed():
    assert five_year_span("“十三五”时期") == (2016, 2020)
    assert five_year_span("十四五规划") == (2021, 2025)
    assert five_year_span("十一五") == (2006, 2010)
    assert five_year_span("五年来") is None


def test_qa_sections_prints_the_profile_first_and_says_what_was_inferred_or_missing(tmp_path):
    from click.testing import CliRunner

    from qa.cli import cli

    for name in ("no-head-2019.txt", "parts-style-2023.txt"):
        (tmp_path / name).write_bytes((FIXTURES / name).read_bytes())
    result = CliRunner().invoke(cli, ["--corpus", str(tmp_path), "sections", "no-head-2019"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[1] == "profile:"
    assert "  review_year 回顾年度: 2018  [推断]  (inferred)" in lines
    assert "  region 地区: —  [缺失]  (missing)" in lines
    assert lines.index("  plan_year 计划年度: 2019  [推断]  (inferred)") < lines.index("一、2018年工作回顾  [1]")
    assert "missing values can be declared in <doc>.meta.json: region, short_names, level, date" in result.output
    result = CliRunner().invoke(cli, ["--corpus", str(tmp_path), "sections", "parts-style-2023"], catch_exceptions=False)
    assert "  region 地区: 东湖区  [报告开头]" in result.output.splitlines()
    assert "missing values" not in result.output


def test_qa_passages_shows_each_passage_period(tmp_path):
    from click.testing import CliRunner

    from qa.cli import cli

    (tmp_path / "no-head-2019.txt").write_bytes((FIXTURES / "no-head-2019.txt").read_bytes())
    result = CliRunner().invoke(cli, ["--corpus", str(tmp_path), "passages", "--section", "主要目标"], catch_exceptions=False)
    assert result.exit_code == 0 and ", period 2019)" in result.output and ", period 2018)" not in result.output


def test_review_spans_from_review_headings():
    from qa.profile import review_spans

    assert review_spans(["一、2020年和“十三五”时期工作回顾", "二、“十四五”时期的发展目标和主要任务"]) == ((2016, 2020, "十三五"),)
    assert review_spans(["一、2017年工作回顾"]) == ()
    path = DEV / "qinghe-county-2021-government-work-report.txt"
    if path.exists():
        doc = load_document(path)
        assert review_spans([s.title for s in doc.sections]) == ((2016, 2020, "十三五"),)
        assert doc.profile.review_year == 2020


def test_meta_region_agrees_with_the_profile(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text("政府工作报告\n\n——2020年1月5日在临澄市南湖区第八届人民代表大会第三次会议上\n\n"
                    "各位代表：\n\n一、2019年工作回顾\n\n全区增长5%。\n", encoding="utf-8")
    doc = load_document(path)
    assert doc.meta.region == doc.profile.region == "南湖区" and doc.meta.year == 2020


def test_a_provincial_report_thanking_the_state_council_is_no_national_one():
    """"在党中央、国务院…的坚强领导下" stands in every local report's head: the meeting names the region."""
    profile = load_document(FIXTURES / "markdown-style-2021.txt").profile
    assert (profile.region, profile.short_names, profile.level, profile.area_word) == ("东岭省", ("东岭",), "province", "全省")
    assert (profile.review_year, profile.plan_year) == (2020, 2021)


FRESH = ROOT / "bench" / "reports"


@pytest.mark.parametrize("name, region, names, level, area, review, plan", [
    ("beiyuan-region-2020-government-work-report.txt", "北原自治区", ("北原",), "province", "全区", 2019, 2020),
    ("jianglan-province-2022-government-work-report.txt", "江岚省", ("江岚",), "province", "全省", 2021, 2022),
    ("yunxi-town-2025-government-work-report.txt", "云溪镇", ("云溪",), "town", "全镇", 2024, 2025),
    ("qingchuan-prefecture-2011-government-work-report.txt", "青川藏族羌族自治州", ("青川藏族羌族", "青川"), "city", "全州",
     2010, 2011),
    ("tongjiang-district-2026-government-work-report.txt", "桐江区", ("桐江", "安澜市桐江区"), "district", "全区", 2025, 2026),
    ("fengyang-citycounty-2016-government-work-report.txt", "枫阳市", ("枫阳",), "city", "全市", 2015, 2016),
    ("binjiang-district-2024-government-work-report.txt", "滨江新区", ("滨江", "海澄市滨江新区"), "district", "全区", 2023, 2024),
], ids=lambda v: str(v)[:8])
def test_fresh_report_profiles(name, region, names, level, area, review, plan):
    """bench/reports: a Markdown export, a hard-wrapped PDF extraction, a Word export, an OCR scan in full-width
    digits and a WeChat article, written without the product in view (an autonomous region, a province, a town, an
    autonomous prefecture, a district of a provincial capital)."""
    profile = load_document(FRESH / name).profile
    assert (profile.region, profile.short_names, profile.level, profile.area_word) == (region, names, level, area)
    assert (profile.review_year, profile.plan_year) == (review, plan)


def test_a_table_of_contents_before_the_title_is_no_head(tmp_path):
    """A Word document's 目录 (headings with dot leaders and page numbers) stands before the title: its lines are
    furniture, so the date and speaker lines after it are still the head that gives region, level and date."""
    toc = "\n".join(f"{h}……………………{n}" for h, n in (("一、过去五年工作回顾", "１"), ("　　（一）综合实力迈上新台阶", "２"),
                                                          ("二、今后五年的目标任务", "８"), ("三、２０２３年工作安排", "１２")) * 4)
    text = (f"云岭市第九届人民代表大会第一次会议文件\n目　录\n{toc}\n政府工作报告\n"
            "——２０２３年１月１０日在云岭市第九届人民代表大会第一次会议上\n云岭市人民政府市长　周明\n各位代表：\n"
            "一、过去五年工作回顾\n全市地区生产总值3862.4亿元，增长4.6%。\n三、２０２３年工作安排\n地区生产总值增长6.5%左右。\n")
    path = tmp_path / "yunling-2023.txt"
    path.write_text(text, encoding="utf-8")
    doc = load_document(path)
    assert (doc.profile.region, doc.profile.level, doc.profile.date) == ("云岭市", "city", "2023-01-10")
    assert sum(d.reason == "table of contents" for d in doc.dropped) == 17
    assert "……" not in doc.text
