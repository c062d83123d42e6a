"""Reports nobody fitted on: bench/reports/*.txt onboarded as a new user would, then measured.

For each report of bench/reports (fresh synthetic reports, see its README), in temporary folders only:
- alone: an empty corpus (the product's glossary only), `qa add REPORT`, `qa eval GOLD --json`;
- with the others: the product's corpus/ (卫东区), the three development reports of ../shared/corpus-dev and
  every bench/reports report added with `qa add`, then each gold file, and tests/known_answers.jsonl scoped to
  卫东区 (adding reports must not change its answers);
- the profile `qa add` read, and fact extraction recall of (value, unit, period, kind) of the numeric answers.

The answers use the shipped weights (src/qa/answering/weights.json), fitted on the four development reports'
known answers only: these reports are held out from every fit.

    .venv/bin/python bench/unseen.py [--json OUT] [--no-together] [--report STEM ...]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPORTS = ROOT / "bench" / "reports"
DEV = ROOT.parent / "shared" / "corpus-dev"
QA = [str(Path(sys.executable).parent / "qa")]
METRICS = ("hit@5", "numeric_accuracy", "comparative_accuracy", "citation_accuracy", "abstain_recall",
           "false_abstain_rate", "wrong_verified")


def qa(*args: str, corpus: Path, index: Path) -> str:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), QA_HOME=str(ROOT))
    done = subprocess.run([*QA, "--corpus", str(corpus), "--index", str(index), *args], capture_output=True,
                          text=True, env=env, cwd=ROOT)
    if done.returncode:
        raise SystemExit(f"qa {' '.join(args[:2])} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def evaluate(gold: Path, doc_id: str, corpus: Path, index: Path) -> dict:
    out = json.loads(qa("eval", str(gold), "--doc", doc_id, "--json", corpus=corpus, index=index))
    return {k: out.get(k) for k in METRICS}


def extraction_recall(report: Path, gold: Path) -> tuple[int, int, list[str]]:
    """`qa.evaluate.extraction_recall` of the rows `qa add` proposes for this report."""
    sys.path.insert(0, str(ROOT / "src"))
    from qa.evaluate import extraction_recall as recall, load_known_answers
    from qa.facts import propose_facts
    from qa.facts.extract import report_years
    from qa.ingest import load_document

    doc = load_document(report)
    return recall(propose_facts(doc), load_known_answers(gold), *report_years(doc))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--json", type=Path)
    parser.add_argument("--no-together", action="store_true", help="skip the corpus of every report")
    parser.add_argument("--report", action="append", metavar="STEM", help="only these reports (alone, and together "
                        "with 卫东区 and the development reports)")
    args = parser.parse_args()
    reports = sorted(p for p in REPORTS.glob("*.txt") if not args.report or p.stem in args.report)
    results: dict = {}
    tmp = Path(tempfile.mkdtemp(prefix="qa-unseen-"))
    try:
        for report in reports:
            doc_id, gold = report.stem, report.with_suffix(".gold.jsonl")
            corpus, index = tmp / f"alone-{doc_id}", tmp / f"alone-{doc_id}-index"
            corpus.mkdir()
            shutil.copy(ROOT / "corpus" / "glossary.jsonl", corpus)
            summary = qa("add", str(report), corpus=corpus, index=index)
            print(f"== {doc_id}\n{summary.strip()}\n", flush=True)
            found, total, missed = extraction_recall(report, gold)
            results[f"{doc_id}|extraction"] = {"found": found, "of": total, "missed": missed}
            results[f"{doc_id}|alone"] = evaluate(gold, doc_id, corpus, index)
            print(doc_id, "extraction", f"{found}/{total}", "alone", results[f"{doc_id}|alone"], flush=True)
        if not args.no_together and DEV.is_dir():
            corpus, index = tmp / "together", tmp / "together-index"
            shutil.copytree(ROOT / "corpus", corpus)
            adding = sorted(DEV.glob("*.txt")) + reports
            for n, report in enumerate(adding):
                extra = () if n == len(adding) - 1 else ("--no-index",)
                qa("add", str(report), *extra, corpus=corpus, index=index)
            for report in reports:
                results[f"{report.stem}|together"] = evaluate(report.with_suffix(".gold.jsonl"), report.stem, corpus, index)
                print(report.stem, "together", results[f"{report.stem}|together"], flush=True)
            weidong = "weidong-2018-government-work-report"
            results[f"{weidong}|together"] = evaluate(ROOT / "tests" / "known_answers.jsonl", weidong, corpus, index)
            print(weidong, "together", results[f"{weidong}|together"], flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
