"""The real `qa` command: documented, errors as one-line messages, corpus commands."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from qa.cli import cli

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "corpus" / "weidong-2018-government-work-report.txt"


def run(*args: str, env: dict | None = None):
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def all_commands(group: click.Group, prefix=()):
    for name, command in group.commands.items():
        yield prefix + (name,), command
        if isinstance(command, click.Group):
            yield from all_commands(command, prefix + (name,))


def test_every_command_is_documented_with_examples():
    commands = list(all_commands(cli))
    assert {"sections", "passages"} <= {path[0] for path, _ in commands}
    for path, command in commands:
        result = run(*path, "--help")
        assert result.exit_code == 0, path
        assert "Example usage" in result.output, f"qa {' '.join(path)} has no examples"


def test_sections_prints_tree_with_counts():
    result = run("sections")
    assert result.exit_code == 0
    assert "一、2017年工作回顾  [" in result.output
    assert "    经济运行平稳增长  [1]" in result.output


def test_passages_json_has_the_fields():
    result = run("passages", "--section", "突出项目带动", "--json")
    rows = json.loads(result.output)
    assert rows and all(any("突出项目带动" in h for h in r["section_path"]) for r in rows)
    assert {"id", "doc_id", "section_path", "text", "start", "end", "sentences"} <= set(rows[0])
    assert isinstance(rows[0]["section_path"], list)


@pytest.mark.parametrize(
    "content, message",
    [
        (b"\x00\x00binary\x00", "NUL bytes"),
        (b"\x80\x81\xfe\xfd" * 50, "not UTF-8, UTF-16 or GB18030"),
    ],
)
def test_bad_corpus_file_is_a_one_line_error(tmp_path, content, message):
    (tmp_path / "bad.txt").write_bytes(content)
    result = CliRunner().invoke(cli, ["--corpus", str(tmp_path), "sections"])
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1


def test_gbk_corpus_is_converted(tmp_path):
    text = REPORT.read_text(encoding="utf-8")
    (tmp_path / "report.txt").write_bytes(text.encode("gb18030"))
    result = run("--corpus", str(tmp_path), "sections")
    assert result.exit_code == 0 and "gb18030" in result.output and "三、全面加强政府自身建设" in result.output


def test_missing_corpus_and_unknown_doc(tmp_path):
    result = CliRunner().invoke(cli, ["--corpus", str(tmp_path / "none"), "sections"])
    assert result.exit_code == 1 and "no corpus folder" in result.output
    shutil.copy(REPORT, tmp_path / REPORT.name)
    result = CliRunner().invoke(cli, ["--corpus", str(tmp_path), "sections", "nope"])
    assert result.exit_code == 1 and "no document 'nope'" in result.output


def test_ask_prints_answer_citations_and_check(real_settings, engine):
    base = ["--corpus", str(real_settings.corpus_dir), "--index", str(real_settings.index_dir)]
    result = run(*base, "ask", "去年固定资产投资增长多少？")
    assert result.exit_code == 0, result.output
    assert "2017年固定资产投资预计增长12%[1]" in result.output
    assert "✓ 与事实表一致" in result.output and "[1] 一、2017年工作回顾" in result.output
    assert "【固定资产投资83.2亿元，增长12%】" in result.output


def test_ask_json_and_followup(real_settings, engine):
    base = ["--corpus", str(real_settings.corpus_dir), "--index", str(real_settings.index_dir)]
    result = run(*base, "ask", "那2018年呢？", "--history", "去年固定资产投资增长多少？", "--json")
    answer = json.loads(result.output)
    assert answer["numeric"]["value"] == 11 and answer["numeric"]["period"] == 2018
    assert answer["citations"][0]["quote"].startswith("主要预期目标是")


def test_ask_refuses_empty_question_in_one_line(real_settings, engine):
    base = ["--corpus", str(real_settings.corpus_dir), "--index", str(real_settings.index_dir)]
    result = CliRunner().invoke(cli, [*base, "ask", "   "])
    assert result.exit_code == 1 and result.output.strip() == "Error: 请输入问题（问题为空）。"


def test_eval_doc_scopes_items_without_doc_id(real_settings, engine, tmp_path):
    """`qa eval --doc ID` asks items lacking a doc_id of that report; an unknown id is a one-line error."""
    known = tmp_path / "k.jsonl"
    known.write_text(json.dumps({"id": "a", "question": "地区生产总值", "category": "numeric_2017",
                                 "answer_text": "地区生产总值111亿元", "value": 111, "unit": "亿元"},
                                ensure_ascii=False) + "\n", encoding="utf-8")
    base = ["--corpus", str(real_settings.corpus_dir), "--index", str(real_settings.index_dir)]
    scoped = run(*base, "eval", str(known), "--no-answers", "--json", "--doc", "weidong-2018-government-work-report")
    assert scoped.exit_code == 0, scoped.output
    assert json.loads(scoped.output)["hit@5"] == 1.0
    wrong = run(*base, "eval", str(known), "--no-answers", "--doc", "nowhere-2020")
    assert wrong.exit_code == 1 and "no report nowhere-2020" in wrong.output
