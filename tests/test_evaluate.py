"""Known-answer files and retrieval metrics: exact values on a stub retriever; the CLI on a fake model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import qa.retrieve
from qa.cli import cli
from qa.errors import InputError
from qa.evaluate import (
    KnownAnswer,
    answer_metrics,
    evaluate,
    first_hit_rank,
    load_known_answers,
    retrieval_metrics,
    squash,
)
from qa.ingest import load_corpus
from qa.models import Hit, Passage

ROOT = Path(__file__).resolve().parents[1]
METRIC_KEYS = {"hit@1", "hit@3", "hit@5", "mrr", "n", "n_answerable", "n_unanswerable"}


def _line(**fields) -> str:
    base = {"id": "q1", "question": "去年GDP是多少？", "category": "numeric_2017", "answer_text": "地区生产总值111亿元",
            "value": 111, "unit": "亿元", "growth_pct": 7.5, "section": None, "qualifier": "预计"}
    return json.dumps({**base, **fields}, ensure_ascii=False)


def test_squash_is_nfkc_without_whitespace():
    assert squash("地区生产总值 111 亿元") == "地区生产总值111亿元"
    assert squash("ＧＤＰ\u3000增长\n7.5％") == "GDP增长7.5%"


def test_load_accepts_the_schema_and_ignores_unknown_fields(tmp_path):
    path = tmp_path / "k.jsonl"
    path.write_text("\n".join([_line(), "", _line(id="q2", category="unanswerable", answer_text=None, extra=1)]),
                    encoding="utf-8")
    items = load_known_answers(path)
    assert [i.id for i in items] == ["q1", "q2"] and items[0].value == 111 and not items[1].answerable


def test_bad_lines_are_reported_with_line_numbers(tmp_path):
    path = tmp_path / "k.jsonl"
    path.write_text("\n".join([
        _line(),
        "{not json",
        _line(id="q3", category="guess"),
        _line(id="q1"),
        _line(id="q5", answer_text=None),
        json.dumps({"id": "q6", "category": "factual"}),
    ]), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_known_answers(path)
    message = str(caught.value)
    for fragment in ("5 bad line(s)", "line 2: not JSON", "line 3: category", "line 4: id 'q1' already used on line 1",
                     "line 5: answer_text is null", "line 6: question"):
        assert fragment in message


def test_empty_file_is_an_error(tmp_path):
    (tmp_path / "k.jsonl").write_text("\n", encoding="utf-8")
    with pytest.raises(InputError, match="no known answers"):
        load_known_answers(tmp_path / "k.jsonl")


class StubRetriever:
    """Returns the passages listed for each question, in order."""

    name = "stub"

    def __init__(self, results: dict[str, list[str]]):
        self.results = results

    def search(self, query: str, k: int = 5) -> list[Hit]:
        texts = self.results.get(query, [])[:k]
        return [Hit(passage=Passage(id=f"s:{n}", doc_id="s", section_path=("x",), text=t, start=0, end=len(t),
                                    sentences=()), score=1.0 / n, rank=n, retriever=self.name)
                for n, t in enumerate(texts, start=1)]


def _item(id_, category, answer):
    return KnownAnswer(id=id_, question=id_, category=category, answer_text=answer)


def test_metrics_exact_values_overall_and_by_category():
    filler = "无关的段落。"
    items = [
        _item("a", "numeric_2017", "ANSWER"),  # rank 1
        _item("b", "numeric_2017", "ANSWER"),  # rank 3
        _item("c", "factual", "ANSWER"),  # rank 5
        _item("d", "factual", "ANSWER"),  # rank 11: beyond the mrr depth
        _item("e", "unanswerable", None),
    ]
    stub = StubRetriever({
        "a": ["xx ANSWER xx"],
        "b": [filler, filler, "AN SWER"],  # whitespace inside is ignored
        "c": [filler] * 4 + ["ＡＮＳＷＥＲ"],  # full width is NFKC-folded
        "d": [filler] * 10 + ["ANSWER"],
    })
    result = retrieval_metrics(items, stub, k=5)
    assert set(result) == METRIC_KEYS | {"by_category"}
    assert (result["n"], result["n_answerable"], result["n_unanswerable"]) == (5, 4, 1)
    assert result["hit@1"] == pytest.approx(1 / 4)
    assert result["hit@3"] == pytest.approx(2 / 4)
    assert result["hit@5"] == pytest.approx(3 / 4)
    assert result["mrr"] == pytest.approx((1 + 1 / 3 + 1 / 5 + 0) / 4)
    by = result["by_category"]
    assert set(by) == {"numeric_2017", "factual", "unanswerable"}
    assert all(set(row) == METRIC_KEYS for row in by.values())
    assert by["numeric_2017"]["mrr"] == pytest.approx((1 + 1 / 3) / 2)
    assert by["factual"]["hit@5"] == pytest.approx(0.5)
    assert by["unanswerable"]["hit@1"] is None and by["unanswerable"]["n_unanswerable"] == 1


def test_first_hit_rank():
    item = _item("x", "factual", "城镇新增就业 12122 人")
    assert first_hit_rank(item, ["无关", "城镇新增就业12122人，失业人员再就业"]) == 2
    assert first_hit_rank(item, ["无关"]) is None


def test_answer_metrics_follow_the_readme():
    from qa.errors import InputError
    from qa.models import Answer, Citation, NumericAnswer

    def cite(quote):
        return Citation(doc_id="d", section_path=("s",), passage_id="p", quote=quote, start=0, end=len(quote))

    def number(value, unit, verdict="consistent", growth=None):
        return NumericAnswer(value=value, unit=unit, verdict=verdict, growth_pct=growth)

    items = [
        KnownAnswer(id="n1", question="q1", category="numeric_2017", answer_text="生产总值 111 亿元",
                    value=111, unit="亿元", growth_pct=7.5),
        KnownAnswer(id="n2", question="q2", category="numeric_2017", answer_text="2118万元", value=2118, unit="万元"),
        KnownAnswer(id="c1", question="q3", category="comparative", answer_text="11%", value=-1, unit="个百分点"),
        KnownAnswer(id="u1", question="q4", category="unanswerable"),
        KnownAnswer(id="u2", question="q5", category="unanswerable"),
    ]
    answers = {
        # the same value in another unit (1.11e10 元) is right; the growth rate must match too
        "q1": Answer(question="q1", answer="…", citations=(cite("地区生产总值111亿元，增长7.5%"),),
                     numeric=number(1.11e10, "元", growth=7.5)),
        # 2118 亿元 for 2118 万元 is wrong, and marked consistent: wrong_verified
        "q2": Answer(question="q2", answer="…", citations=(cite("外贸进出口2118万元"),), numeric=number(2118, "亿元")),
        "q3": Answer(question="q3", answer="…", citations=(cite("增长11%"),), numeric=number(-1, "个百分点")),
        "q4": Answer(question="q4", answer="报告中没有找到", abstained=True),
    }

    def answerer(question):
        if question not in answers:
            raise InputError("refused")  # counts as an abstention
        return answers[question]

    result = answer_metrics(items, answerer)
    assert result["numeric_accuracy"] == 0.5 and result["comparative_accuracy"] == 1.0
    assert result["citation_accuracy"] == 1.0 and result["abstain_recall"] == 1.0
    assert result["false_abstain_rate"] == 0.0 and result["wrong_verified"] == 1
    assert result["by_category"]["numeric_2017"]["numeric_accuracy"] == 0.5
    merged = evaluate(items, StubRetriever({}), answerer=answerer)
    assert merged["numeric_accuracy"] == 0.5 and merged["hit@1"] == 0.0


def test_a_citation_of_a_tables_row_counts_by_the_row_as_printed():
    """The known answer quotes the raw row (| 城镇新增就业（人） | 13,820 | 12,000以上 |); the answer's quote is the row's
    reading and `printed` the row itself: the citation is right; a quote holding neither is not."""
    from qa.models import Answer, Citation, NumericAnswer

    item = KnownAnswer(id="t1", question="q", category="numeric_2018_target", answer_text="| 城镇新增就业（人） | 13,820 | 12,000以上 |",
                       value=12000, unit="人")
    row = "| 城镇新增就业（人） | 13,820 | 12,000以上 |"
    for printed, right in ((row, True), (None, False)):
        cited = Citation(doc_id="d", section_path=("s",), passage_id="p", quote="2022年目标：城镇新增就业12,000人以上。",
                         start=0, end=10, printed=printed)
        answer = Answer(question="q", answer="…", citations=(cited,), numeric=NumericAnswer(value=12000, unit="人", verdict="unchecked"))
        assert answer_metrics([item], lambda q: answer)["citation_accuracy"] == float(right)


def test_shipped_known_answers_load_and_their_answers_are_in_the_report():
    items = load_known_answers(ROOT / "tests" / "known_answers.jsonl")
    assert len(items) >= 120
    passages = [squash(p.text) for d in load_corpus(ROOT / "corpus") for p in d.passages]
    missing = [i.id for i in items if i.answerable and not any(squash(i.answer_text) in p for p in passages)]
    assert missing == [], "answer_text not inside any single passage"


def test_eval_and_search_cli_on_fake_model(settings, fake_embedder, monkeypatch, tmp_path):
    monkeypatch.setattr(qa.retrieve, "load_embedder", lambda name: fake_embedder)
    known = tmp_path / "k.jsonl"
    known.write_text("\n".join([_line(), _line(id="q2", category="unanswerable", answer_text=None)]), encoding="utf-8")
    args = ["--corpus", str(settings.corpus_dir), "--index", str(settings.index_dir), "--model", "fake-hash"]
    runner = CliRunner()
    built = runner.invoke(cli, args + ["build"])
    assert built.exit_code == 0, built.output
    result = runner.invoke(cli, args + ["eval", str(known), "--retriever", "bm25", "--json", "--no-answers"])
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.output)
    assert set(metrics) == METRIC_KEYS | {"by_category"} and metrics["hit@5"] == 1.0
    table = runner.invoke(cli, args + ["eval", str(known), "--no-answers"])
    assert table.exit_code == 0 and "hit@5" in table.output and "numeric_2017" in table.output
    found = runner.invoke(cli, args + ["search", "去年地区生产总值", "--k", "2", "--json"])
    hits = json.loads(found.output)
    assert [h["rank"] for h in hits] == [1, 2] and hits[0]["passage"]["section_path"]
    bad = runner.invoke(cli, args + ["eval", str(tmp_path / "missing.jsonl")])
    assert bad.exit_code != 0
    broken = tmp_path / "bad.jsonl"
    broken.write_text("{oops\n", encoding="utf-8")
    refused = runner.invoke(cli, args + ["eval", str(broken)])
    assert refused.exit_code == 1 and "line 1" in refused.output
