"""The fact table: files, extraction, the reviewed table of the corpus, matching, listings, CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from qa.cli import cli
from qa.crosscheck import check_facts, compare_target, coverage
from qa.errors import FactTableError
from qa.facts import (EXCLUDED_SUFFIX, dump_facts, growth_above, is_growth_row, load_exclusions,
                      load_fact_file, load_facts, match_facts, propose_facts, select_facts)
from qa.ingest import load_corpus

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


@pytest.fixture(scope="module")
def docs():
    return load_corpus(CORPUS)


@pytest.fixture(scope="module")
def facts():
    return load_facts(CORPUS)


def by(facts, indicator, period, kind=None, subject="全区"):
    rows = [f for f in facts if f.indicator == indicator and f.period == period
            and f.subject == subject and (kind is None or f.kind == kind)]
    assert len(rows) == 1, rows
    return rows[0]


def test_reviewed_table_passes_check(docs, facts):
    assert check_facts(facts, docs) == []


def test_every_number_is_a_row_or_excluded(docs, facts):
    for doc in docs:
        exclusions = load_exclusions(CORPUS / f"{doc.doc_id}{EXCLUDED_SUFFIX}")
        problems, excluded = coverage(doc, facts, exclusions)
        assert problems == []
        assert all(": " in line for line in excluded)


def test_coverage_fails_when_a_row_is_removed(docs, facts):
    doc = docs[0]
    exclusions = load_exclusions(CORPUS / f"{doc.doc_id}{EXCLUDED_SUFFIX}")
    dropped = [f for f in facts if not (f.indicator == "淘汰黄标车")]
    problems, _ = coverage(doc, dropped, exclusions)
    assert len(problems) == 1 and "1037辆" in problems[0]


def test_check_catches_broken_rows(docs, facts):
    gdp = by(facts, "地区生产总值", 2017)
    broken = [
        gdp.model_copy(update={"value": 112.0, "base_value": 11_200_000_000.0}),  # not stated, and conflicts
        gdp.model_copy(update={"source": gdp.source.replace("111", "1111")}),
        gdp.model_copy(update={"kind": "target"}),  # a goal for a year already past
        gdp.model_copy(update={"base_value": 111.0}),
    ]
    problems = check_facts(facts + broken, docs)
    text = "\n".join(problems)
    assert "duplicate id" in text
    assert "does not state 112亿元" in text
    assert "source is not in the cleaned text" in text
    assert "a year already past" in text
    assert "base_value 111 should be 11100000000" in text
    assert "112亿元 here but 111亿元" in text


def test_table_file_is_diff_friendly_json_lines(facts):
    path = next(CORPUS.glob("*.facts.jsonl"))
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len([f for f in facts if path.name.startswith(f.doc_id)])
    assert "地区生产总值" in lines[0]  # not \\u-escaped
    assert dump_facts(load_fact_file(path)).splitlines() == lines


def test_bad_row_names_file_and_line(tmp_path, facts):
    good = dump_facts(facts[:2])
    (tmp_path / "x.facts.jsonl").write_text(good + '{"id": "x", "kind": "guess"}\n', encoding="utf-8")
    with pytest.raises(FactTableError, match=r"x\.facts\.jsonl:3"):
        load_facts(tmp_path)


def test_table_conventions(facts):
    gdp = by(facts, "地区生产总值", 2017)
    growth = by(facts, "地区生产总值增速", 2017)
    assert (gdp.value, gdp.unit, gdp.growth_pct, gdp.kind, gdp.qualifier) == (111, "亿元", 7.5, "estimate", "预计")
    assert (growth.value, growth.unit, growth.kind, growth.qualifier) == (7.5, "%", "estimate", "预计")
    assert is_growth_row(growth) and not is_growth_row(gdp)
    # the 预计 of the sentence reaches the last item of its enumeration
    assert by(facts, "农村居民可支配收入", 2017).qualifier == "预计"
    target = by(facts, "固定资产投资增速", 2018)
    assert (target.kind, target.value, target.unit) == ("target", 11, "%")
    assert by(facts, "安排重点项目", 2018).kind == "plan"
    assert by(facts, "引进金融机构", 2018).qualifier == "力争、以上"
    assert "GDP" in gdp.aliases and "固投" in by(facts, "固定资产投资", 2017).aliases


def test_extract_proposes_the_enumeration_with_growth(docs):
    rows = propose_facts(docs[0])
    gdp = next(r for r in rows if r.indicator == "地区生产总值")
    assert (gdp.value, gdp.unit, gdp.growth_pct, gdp.kind, gdp.qualifier, gdp.period) == (
        111, "亿元", 7.5, "estimate", "预计", 2017)
    assert any(r.indicator == "地区生产总值增速" and r.period == 2018 and r.qualifier == "左右" for r in rows)
    assert all(r.source in docs[0].text for r in rows)


def test_match_facts_ranks_aliases_and_growth(facts):
    top = match_facts(facts, "去年GDP是多少", period=2017)[0][0]
    assert top.indicator == "地区生产总值"
    top = match_facts(facts, "GDP增长了多少", period=2017)[0][0]
    assert top.indicator == "地区生产总值增速"
    top = match_facts(facts, "社零增速", period=2017)[0][0]
    assert top.indicator == "社会消费品零售总额增速"
    top = match_facts(facts, "外商直接投資", period=2018)[0][0]  # traditional 資
    assert top.indicator == "实际利用外商直接投资"
    top = match_facts(facts, "特色商业区完成投资")[0][0]
    assert top.subject == "特色商业区"
    assert match_facts(facts, "火星基地") == []


def test_growth_above_and_compare(facts):
    assert {f.indicator for f in growth_above(facts, 10)} == {
        "固定资产投资增速", "社会消费品零售总额增速", "各类市场主体增速"}
    comparison = compare_target(facts, "固投", 2018)
    assert comparison.difference == -1 and comparison.unit == "个百分点"
    assert "11% − 2017年预计 12% = -1个百分点" in comparison.text
    assert compare_target(facts, "社零", 2018).difference == pytest.approx(-0.9)
    assert compare_target(facts, "GDP", 2018).text.startswith("2018年目标 7.5%左右")


def test_select_facts(facts):
    rows = select_facts(facts, period=2018, kind="target")
    assert rows and all(f.period == 2018 and f.kind == "target" for f in rows)


def run(*args):
    return CliRunner().invoke(cli, ["--corpus", str(CORPUS), "facts", *args])


def test_cli_listing_json_and_filters():
    result = run("--period", "2017", "--kind", "estimate", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows and {r["kind"] for r in rows} == {"estimate"}
    assert run("list", "--query", "外资").stdout.count("实际利用外商直接投资") == 2
    assert "各类市场主体增速" in run("--growth-above", "10").stdout


def test_cli_check_compare_extract(tmp_path):
    assert run("check").exit_code == 0
    result = run("compare", "固定资产投资")
    assert result.exit_code == 0 and "-1个百分点" in result.stdout
    result = run("extract", "weidong-2018-government-work-report", "--out", str(tmp_path / "p.jsonl"))
    assert result.exit_code == 0 and len(load_fact_file(tmp_path / "p.jsonl")) > 100


def test_cli_check_fails_on_errors_not_on_hints(tmp_path):
    for path in CORPUS.glob("weidong-2018-government-work-report*"):
        (tmp_path / path.name).write_bytes(path.read_bytes())
    table = tmp_path / "weidong-2018-government-work-report.facts.jsonl"
    lines = table.read_text(encoding="utf-8").splitlines()
    table.write_text("\n".join(lines[1:]) + "\n", encoding="utf-8")  # drop the GDP row: a hint
    result = CliRunner().invoke(cli, ["--corpus", str(tmp_path), "facts", "check"])
    assert result.exit_code == 0, result.output
    assert "hint" in result.output and "111亿元" in result.output
    table.write_text("\n".join([lines[0].replace('"value": 111.0', '"value": 112.0')] + lines[1:]) + "\n",
                     encoding="utf-8")  # a value its source does not state: an error
    result = CliRunner().invoke(cli, ["--corpus", str(tmp_path), "facts", "check"])
    assert result.exit_code == 1
    assert "does not state 112亿元" in result.output


# --- issue 10: rows proposed from any report, good enough to answer from ----------------------

from qa.facts.extract import report_years  # noqa: E402
from qa.facts.names import name_problems  # noqa: E402
from qa.ingest import parse  # noqa: E402

DEV = Path(__file__).resolve().parents[2] / "shared" / "corpus-dev"

REPORT = """政府工作报告
——2021年1月12日在青石县第一届人民代表大会第三次会议上
县长 张三

一、2020年工作回顾

过去一年，全县预计完成地区生产总值236.8亿元，增长3.1%；一般公共预算收入14.62亿元，下降4.3%；单位地区生产总值能耗下降3.2%。城镇居民和农村居民人均可支配收入分别达到36480元和19260元，分别增长4.6%和7.2%。全年接待游客312万人次，实现旅游综合收入21.7亿元，分别下降28.4%和31.2%。新增高新技术企业14家，总数达到53家。服务业增加值120.5亿元，占地区生产总值的比重达到50.9%，比上年提高1.2个百分点。

五年来，地区生产总值由2015年的168.2亿元增加到2020年的236.8亿元，年均增长6.5%；五年累计完成固定资产投资862.5亿元。

二、2021年工作安排

今年经济社会发展的主要预期目标是：地区生产总值增长7%左右，一般公共预算收入增长5%－5.5%，城镇新增就业6000人以上，粮食总产量稳定在52万吨以上。到2025年，地区生产总值突破330亿元。
"""


@pytest.fixture(scope="module")
def proposed():
    doc = parse(REPORT.encode(), Path("/nonexistent/qingshi-2021.txt"), doc_id="qingshi-2021")
    return doc, propose_facts(doc)


def row(rows, indicator, value=None, where="过去一年"):
    found = [f for f in rows if f.indicator == indicator and (value is None or f.value == value)]
    if len(found) > 1:  # the figure restated in another sentence: the one whose sentence holds `where`
        found = [f for f in found if where in f.source]
    assert len(found) == 1, (indicator, [(f.indicator, f.value) for f in rows])
    return found[0]


def test_proposed_rows_are_unreviewed_and_carry_the_area_word(proposed):
    doc, rows = proposed
    assert rows and all(not f.reviewed for f in rows)
    assert {f.subject for f in rows} == {"全县"}  # read from the report, never assumed
    assert [f.id for f in rows] == [f"qingshi-2021:{i:03d}" for i in range(1, len(rows) + 1)]


def test_a_report_in_full_width_digits_gives_the_same_rows():
    """An OCR'd report (２０２０年, ２３６．８亿元): the same periods, kinds and values as in ASCII digits."""
    wide = REPORT.translate(str.maketrans("0123456789.", "０１２３４５６７８９．"))
    doc = parse(wide.encode(), Path("/nonexistent/qingshi-2021.txt"), doc_id="qingshi-2021")
    assert (doc.profile.review_year, doc.profile.plan_year) == (2020, 2021)
    ascii_rows, wide_rows = propose_facts(parse(REPORT.encode(), Path("/n/q.txt"), doc_id="q")), propose_facts(doc)
    key = lambda rows: sorted((f.period, f.kind, f.value, f.unit) for f in rows)  # noqa: E731
    assert key(wide_rows) == key(ascii_rows)


def test_results_estimates_and_growth(proposed):
    _, rows = proposed
    gdp = row(rows, "地区生产总值", 236.8)
    assert (gdp.period, gdp.kind, gdp.qualifier, gdp.growth_pct) == (2020, "estimate", "预计", 3.1)
    assert row(rows, "地区生产总值增速", 3.1).unit == "%"
    # a fall is a negative growth rate; a reduction indicator keeps its stated number
    assert row(rows, "一般公共预算收入").growth_pct == -4.3
    assert row(rows, "一般公共预算收入增速", -4.3).period == 2020
    energy = row(rows, "单位地区生产总值能耗下降")
    assert (energy.value, energy.unit) == (3.2, "%")


def test_respectively_lists_are_split_onto_their_indicators(proposed):
    _, rows = proposed
    assert row(rows, "城镇居民人均可支配收入").value == 36480
    assert row(rows, "农村居民人均可支配收入").value == 19260
    assert row(rows, "城镇居民人均可支配收入增速").value == 4.6
    assert row(rows, "农村居民人均可支配收入增速").value == 7.2
    assert row(rows, "接待游客").growth_pct == -28.4
    assert row(rows, "旅游综合收入").growth_pct == -31.2


def test_generic_words_and_shares_name_their_whole(proposed):
    _, rows = proposed
    assert row(rows, "高新技术企业总数").value == 53
    share = row(rows, "服务业增加值占地区生产总值的比重")
    assert (share.value, share.unit) == (50.9, "%")
    change = row(rows, "服务业增加值占地区生产总值的比重变动")
    assert (change.value, change.unit) == (1.2, "个百分点")


def test_spans_and_explicit_years(proposed):
    _, rows = proposed
    assert row(rows, "地区生产总值", 168.2).period == 2015
    end = row(rows, "地区生产总值", 236.8, where="五年来")
    assert (end.period, end.span_start) == (2020, None)  # a level at the end of the span
    rate = row(rows, "地区生产总值增速", 6.5)
    assert (rate.period, rate.span_start, rate.span_label) == (2020, 2016, "过去五年")
    total = row(rows, "固定资产投资")
    assert (total.period, total.span_start, total.kind) == (2020, 2016, "actual")


def test_targets_ranges_and_long_range_years(proposed):
    _, rows = proposed
    gdp = row(rows, "地区生产总值增速", 7)
    assert (gdp.period, gdp.kind, gdp.qualifier) == (2021, "target", "左右")
    revenue = row(rows, "一般公共预算收入增速", 5)
    assert (revenue.high, revenue.kind) == (5.5, "target")  # a range, never one number
    assert row(rows, "城镇新增就业").qualifier == "以上"
    assert row(rows, "粮食总产量").kind == "target"
    goal = row(rows, "地区生产总值", 330)
    assert (goal.period, goal.kind, goal.qualifier) == (2025, "target", "突破")


def test_proposed_rows_pass_the_table_check(proposed):
    from qa.crosscheck import table_check
    doc, rows = proposed
    errors, _ = table_check(rows, [doc])
    assert errors == []


def test_a_report_without_a_date_line_keeps_its_results_results():
    text = REPORT.replace("——2021年1月12日在青石县第一届人民代表大会第三次会议上\n", "")
    doc = parse(text.encode(), Path("/nonexistent/undated.txt"), doc_id="undated")
    assert report_years(doc) == (2020, 2021)
    rows = propose_facts(doc)
    assert row(rows, "地区生产总值", 236.8).kind == "estimate"
    assert all(f.kind in ("actual", "estimate") for f in rows if f.period <= 2020)
    assert row(rows, "地区生产总值增速", 7).kind == "target"


@pytest.mark.parametrize("name, problem", [
    ("竣工", "a bare verb"), ("总量", "a generic word alone"), ("、增长19.8%", "punctuation or digit at an edge"),
    ("占地区生产总值的比重", "a share without its whole"), ("X", "under 2 characters"),
    ("增加到2020年", "a year inside"),
])
def test_name_problems_flag_fragments(name, problem):
    assert problem in name_problems(name)


@pytest.mark.parametrize("name", ["一般公共预算收入", "城镇居民人均可支配收入", "新增城镇就业", "PM2.5平均浓度",
                                  "地区生产总值增速", "单位地区生产总值能耗下降"])
def test_name_problems_accept_noun_phrases(name):
    assert name_problems(name) == []


def _dev_reports():
    if not DEV.is_dir():
        pytest.skip("../shared/corpus-dev is not here")
    return sorted(DEV.glob("*.txt"))


RECALL_THRESHOLD = 0.95


@pytest.mark.parametrize("stem", ["qinghe-county-2021", "nanhu-district-2023", "songling-city-2019"])
def test_extraction_recall_on_the_development_reports(stem):
    """Share of numeric known answers with a row of the same value (same unit), period and kind family."""
    from qa.evaluate import extraction_recall, load_known_answers
    from qa.ingest import load_document
    paths = [p for p in _dev_reports() if p.name.startswith(stem)]
    if not paths:
        pytest.skip(f"{stem} is not in corpus-dev")
    doc = load_document(paths[0])
    found, of, missed = extraction_recall(propose_facts(doc), load_known_answers(paths[0].with_suffix(".gold.jsonl")),
                                          *report_years(doc))
    assert found / of >= RECALL_THRESHOLD, missed


def test_extraction_recall_counts_a_row_of_another_period_or_kind_as_missed(proposed):
    from qa.evaluate import KnownAnswer, extraction_recall
    doc, rows = proposed
    asked = [KnownAnswer(id="a", question="去年GDP", category="numeric_2017", answer_text="x", value=236.8, unit="亿元"),
             KnownAnswer(id="b", question="今年GDP目标", category="numeric_2018_target", answer_text="x", value=236.8,
                         unit="亿元"),
             KnownAnswer(id="c", question="十四五末GDP", category="numeric_2018_target", answer_text="x", value=330,
                         unit="亿元")]
    assert extraction_recall(rows, asked, *report_years(doc)) == (2, 3, ["b"])


def test_indicator_names_of_the_development_reports_read_as_noun_phrases():
    """Rule-based check over every proposed row: at most 5% of the names look like fragments."""
    from qa.ingest import load_document
    for path in _dev_reports():
        rows = propose_facts(load_document(path))
        flagged = [f.indicator for f in rows if name_problems(f.indicator)]
        assert len(flagged) <= 0.05 * len(rows), (path.name, flagged)


def test_matching_treats_every_area_word_as_the_whole_area(facts):
    gdp = by(facts, "地区生产总值", 2017)
    scores = {subject: match_facts([gdp.model_copy(update={"subject": subject})], "去年GDP是多少")[0][1]
              for subject in ("全区", "全县", "全国", None)}
    assert len(set(scores.values())) == 1, scores
    part = gdp.model_copy(update={"subject": "农村"})
    assert not match_facts([part], "去年GDP是多少") or match_facts([part], "去年GDP是多少")[0][1] < scores["全区"]


def test_a_goal_that_is_only_the_yardstick_of_a_comparison_makes_no_target():
    """"固定资产投资增长6.2%，比年初预期目标低1.8个百分点，其中房地产开发投资下降3.2%；社会消费品零售总额…": the
    review year's results, although 预期目标 stands earlier in the sentence; "规划确定的…增长9%" stays a past goal."""
    text = REPORT.replace("全年接待游客", "固定资产投资增长6.2%，比年初预期目标低1.8个百分点，其中房地产开发投资下降3.2%；"
                          "社会消费品零售总额88.4亿元，增长2.7%。规划确定的工业增加值年均增长9%的目标没有实现。全年接待游客")
    rows = propose_facts(parse(text.encode(), Path("/nonexistent/qingshi-2021.txt"), doc_id="qingshi-2021"))
    assert {f.kind for f in rows if f.value in (3.2, 88.4, 6.2) and "房地产" in f.source} == {"actual"}
    assert {f.kind for f in rows if f.value == 9} == {"target"}
