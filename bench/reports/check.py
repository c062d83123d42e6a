#!/usr/bin/env python3
"""Check the fresh synthetic reports' known-answer files against their reports.

Run:  python3 bench/reports/check.py      (standard library only)
Exit status 0 when every check passes, 1 otherwise.

For every `bench/reports/<stem>.gold.jsonl` it checks that:
  * every line is a JSON object with the expected fields and field types;
  * ids are unique (within and across files) and look like `<stem>-qNNN`;
  * `doc_id` equals the stem and `<stem>.txt` exists;
  * `category` is one of the six categories, and the file has the agreed mix
    (23 numeric_2017, 12 numeric_2018_target, 9 factual, 8 list,
    8 comparative, 10 unanswerable = 70);
  * `answer_text` occurs verbatim within ONE line of the raw report;
  * unanswerable items have null answer_text, value, unit and growth_pct;
  * numeric items (numeric_2017, numeric_2018_target, comparative) have a number
    `value` and a non-empty `unit`; for the two non-comparative numeric
    categories the value (ignoring sign, so declines are allowed) and any
    growth_pct occur in answer_text, read after NFKC normalisation (full-width
    digits), with whitespace and thousands separators (1,826.4) removed and
    Chinese numerals (三千二百, 百分之三点五) understood;
  * the last component of `section`, when given, occurs in the report.
It then prints per-file category counts and report statistics.
"""
from __future__ import annotations

import importlib.util
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXPECTED = {
    "numeric_2017": 23,
    "numeric_2018_target": 12,
    "factual": 9,
    "list": 8,
    "comparative": 8,
    "unanswerable": 10,
}


def _questions_checker():
    """bench/questions/check.py: one item check (fields, ids, verbatim one-line answers, values in them) for
    every known-answer file of the repository."""
    spec = importlib.util.spec_from_file_location("questions_check", HERE.parent / "questions" / "check.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


QUESTIONS = _questions_checker()


def report_stats(report: str) -> dict[str, int]:
    """Size and figure counts (list markers, years, ordinals and digit names left out)."""
    # page-number lines: `— 7 —` (corpus-dev style), `- 7 -` (pdftotext style) or `－ ７ －` (full-width OCR style)
    lines = [ln for ln in report.splitlines() if not re.fullmatch(r"\s*[—\-－]\s*\d+\s*[—\-－]\s*", ln)]
    lines = [re.sub(r"^\s*(?:（\s*\d+\s*）|\d+\s*[.．]\s)", "", ln) for ln in lines]
    body = unicodedata.normalize("NFKC", "\n".join(lines))
    body = re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", body)
    body = re.sub(r"PM2\.5|[45]G|12345|\d+号线", "", body)
    body = re.sub(r"\s+", "", body)
    figures = [m.group(0) for m in re.finditer(r"(?<![第\d.])\d+(?:\.\d+)?(?![\d.])(?![年月日届次])", body)]
    return {
        "chars": len(report),
        "cjk_chars": len(re.findall(r"[\u4e00-\u9fff]", report)),
        "lines": report.count("\n") + 1,
        "figure_mentions": len(figures),
        "distinct_figures": len(set(figures)),
    }


def main() -> int:
    gold_files = sorted(HERE.glob("*.gold.jsonl"))
    if not gold_files:
        print("no *.gold.jsonl files found", file=sys.stderr)
        return 1
    all_errors: list[str] = []
    seen_ids: dict[str, str] = {}
    for gold in gold_files:
        stem = gold.name[: -len(".gold.jsonl")]
        report_path = HERE / f"{stem}.txt"
        if not report_path.exists():
            all_errors.append(f"{gold.name}: report {report_path.name} not found")
            continue
        report = report_path.read_text(encoding="utf-8")
        counts: Counter[str] = Counter()
        rows, errors = QUESTIONS.read_lines(gold)
        n = len(rows)
        for lineno, obj in rows:
            errors.extend(QUESTIONS.check_item(obj, f"line {lineno}", stem, "q", report))
            if isinstance(obj.get("id"), str):
                if obj["id"] in seen_ids:
                    errors.append(f"line {lineno}: duplicate id {obj['id']} (also in {seen_ids[obj['id']]})")
                seen_ids[obj["id"]] = gold.name
            counts[str(obj.get("category"))] += 1
        for cat, want in EXPECTED.items():
            if counts[cat] != want:
                errors.append(f"category {cat}: {counts[cat]} items, expected {want}")
        stats = report_stats(report)
        print(f"{gold.name}: {n} items  " + "  ".join(f"{c}={counts[c]}" for c in EXPECTED))
        print(f"  report {report_path.name}: " + "  ".join(f"{k}={v}" for k, v in stats.items()))
        all_errors.extend(f"{gold.name}: {e}" for e in errors)
    if all_errors:
        print(f"\nFAIL: {len(all_errors)} problem(s)")
        for e in all_errors:
            print("  " + e)
        return 1
    print(f"\nOK: {len(gold_files)} files, {len(seen_ids)} items, all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
