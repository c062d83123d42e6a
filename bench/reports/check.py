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

import json
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
CATEGORIES = set(EXPECTED)
NUMERIC = {"numeric_2017", "numeric_2018_target", "comparative"}
FIELDS = {
    "id": str,
    "doc_id": str,
    "question": str,
    "category": str,
    "answer_text": (str, type(None)),
    "value": (int, float, type(None)),
    "unit": (str, type(None)),
    "growth_pct": (int, float, type(None)),
    "section": (str, type(None)),
    "qualifier": (str, type(None)),
}
OPTIONAL = {"note": (str, type(None))}

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
              "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_RUN = re.compile(r"[零〇一二两三四五六七八九十百千万]+(?:点[零〇一二三四五六七八九]+)?")
_ARABIC = re.compile(r"\d+(?:\.\d+)?")


def normalise(text: str) -> str:
    """NFKC and no whitespace: the same normalisation the evaluator uses."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def chinese_to_number(run: str) -> float | None:
    """Read a run of Chinese numerals (三千二百, 一百二十六, 十二, 三点五); None if it is not one."""
    whole, _, frac = run.partition("点")
    total, section, digit = 0, 0, None
    for ch in whole:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            section += (1 if digit is None else digit) * _CN_UNITS[ch]
            digit = None
        elif ch == "万":
            section += digit or 0
            total += section * 10000
            section, digit = 0, None
        else:
            return None
    value = float(total + section + (digit or 0))
    if frac:
        value += float("0." + "".join(str(_CN_DIGITS[c]) for c in frac))
    return value


def numbers_in(text: str) -> set[float]:
    """Every number written in text, in Arabic (thousands separators allowed) or Chinese numerals."""
    norm = normalise(text)
    norm = re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", norm)
    found = {float(m) for m in _ARABIC.findall(norm)}
    for run in _CN_RUN.findall(norm):
        value = chinese_to_number(run)
        if value:
            found.add(value)
    return found


def contains_number(text: str, number: float) -> bool:
    return any(abs(abs(number) - n) < 1e-9 for n in numbers_in(text))


def check_item(obj: object, lineno: int, stem: str, report: str, lines: list[str]) -> list[str]:
    errors: list[str] = []
    where = f"line {lineno}"
    if not isinstance(obj, dict):
        return [f"{where}: not a JSON object"]
    for key, types in FIELDS.items():
        if key not in obj:
            errors.append(f"{where}: missing field {key!r}")
        elif not isinstance(obj[key], types) or isinstance(obj[key], bool):
            errors.append(f"{where}: field {key!r} has type {type(obj[key]).__name__}")
    for key in set(obj) - set(FIELDS) - set(OPTIONAL):
        errors.append(f"{where}: unknown field {key!r}")
    if "note" in obj and not isinstance(obj["note"], OPTIONAL["note"]):
        errors.append(f"{where}: field 'note' must be a string or null")
    if errors:
        return errors

    where = f"line {lineno} ({obj['id']})"
    if not re.fullmatch(re.escape(stem) + r"-q\d{3}", obj["id"]):
        errors.append(f"{where}: id should look like {stem}-qNNN")
    if obj["doc_id"] != stem:
        errors.append(f"{where}: doc_id {obj['doc_id']!r} is not {stem!r}")
    if not obj["question"].strip():
        errors.append(f"{where}: empty question")
    category = obj["category"]
    if category not in CATEGORIES:
        errors.append(f"{where}: unknown category {category!r}")

    answer = obj["answer_text"]
    if category == "unanswerable":
        for key in ("answer_text", "value", "unit", "growth_pct"):
            if obj[key] is not None:
                errors.append(f"{where}: unanswerable item must have null {key}")
    else:
        if answer is None or not answer.strip():
            errors.append(f"{where}: answerable item needs answer_text")
        elif "\n" in answer or "\r" in answer:
            errors.append(f"{where}: answer_text crosses a line break")
        elif not any(answer in line for line in lines):
            errors.append(f"{where}: answer_text is not within one line of the report: {answer!r}")

    if category in NUMERIC:
        if obj["value"] is None:
            errors.append(f"{where}: numeric item needs a value")
        if not obj["unit"]:
            errors.append(f"{where}: numeric item needs a unit")
    if category in {"numeric_2017", "numeric_2018_target"} and answer and obj["value"] is not None:
        if not contains_number(answer, obj["value"]):
            errors.append(f"{where}: value {obj['value']} does not occur in answer_text")
        if obj["growth_pct"] is not None and not contains_number(answer, obj["growth_pct"]):
            errors.append(f"{where}: growth_pct {obj['growth_pct']} does not occur in answer_text")

    section = obj["section"]
    if section is not None:
        last = section.split(" > ")[-1]
        if last not in report:
            errors.append(f"{where}: section heading not found in report: {last!r}")
    return errors


def report_stats(report: str) -> dict[str, int]:
    """Size and figure counts (list markers, years, ordinals and digit names left out)."""
    # page-number lines: `— 7 —` (corpus-dev style) or `- 7 -` (pdftotext style)
    lines = [ln for ln in report.splitlines() if not re.fullmatch(r"\s*[—-]\s*\d+\s*[—-]\s*", ln)]
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
        lines = report.splitlines()
        counts: Counter[str] = Counter()
        errors: list[str] = []
        n = 0
        for lineno, raw in enumerate(gold.read_text(encoding="utf-8").splitlines(), 1):
            if not raw.strip():
                errors.append(f"line {lineno}: blank line")
                continue
            try:
                obj = json.loads(raw)
            except json.JSONDecodeError as exc:
                errors.append(f"line {lineno}: invalid JSON ({exc})")
                continue
            n += 1
            errors.extend(check_item(obj, lineno, stem, report, lines))
            if isinstance(obj, dict) and isinstance(obj.get("id"), str):
                if obj["id"] in seen_ids:
                    errors.append(f"line {lineno}: duplicate id {obj['id']} (also in {seen_ids[obj['id']]})")
                seen_ids[obj["id"]] = gold.name
            if isinstance(obj, dict):
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
