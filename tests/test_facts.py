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
