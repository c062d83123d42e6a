#!/usr/bin/env python3
"""Verify the known-answer files in bench/questions against the raw reports.

Usage:  python3 bench/questions/check.py [--strict]

Standard library only. Exit status 0 when every file that could be checked passes.
A report that cannot be found (the development reports live outside the repository,
in ../shared/corpus-dev) makes its files "skipped"; with --strict that is a failure.

Checks, for `<doc_id>.train.jsonl`, `<doc_id>.holdout.jsonl`, `<doc_id>.holdout2.jsonl` and
`<doc_id>.holdout3.jsonl`,
`<doc_id>.holdout4.jsonl`, `<doc_id>.holdout5.jsonl`, `<doc_id>.holdout6.jsonl`, `<doc_id>.holdout7.jsonl` and
`<doc_id>.holdout8.jsonl` and `<doc_id>.holdout9.jsonl`:
  * each line is a JSON object with exactly the known fields and the right types;
  * ids are unique across all files and read `<doc_id>-tNNN` (train), `<doc_id>-hNNN` (holdout),
    `<doc_id>-vNNN` (holdout2), `<doc_id>-wNNN` (holdout3), `<doc_id>-xNNN` (holdout4), `<doc_id>-yNNN` (holdout5), `<doc_id>-zNNN` (holdout6), `<doc_id>-uNNN` (holdout7), `<doc_id>-rNNN` (holdout8), `<doc_id>-sNNN` (holdout9) or `<doc_id>-pNNN` (holdout10; not qNNN, which the gold files use);
  * `doc_id` is the file's stem and the category is one of the six;
  * a question is not asked twice for the same report (train, holdout, holdout2, holdout3,
    holdout4, holdout5, holdout6, holdout7, holdout8 and holdout9 stay disjoint); a repeat is reported on the later file and never quotes a held-out item;
  * a holdout2 file has the documented category mix (HOLDOUT2_MIX), a holdout3 file its own
    (HOLDOUT3_MIX, the same mix), a holdout4 file its own (HOLDOUT4_MIX, the same mix), a holdout5 file its own
    (HOLDOUT5_MIX, the same mix), a holdout6 file its own (HOLDOUT6_MIX, the same mix), a holdout7 file its own
    (HOLDOUT7_MIX, the same mix), a holdout8 file its own (HOLDOUT8_MIX, the same mix), a holdout9 file its own
    (HOLDOUT9_MIX, the same mix);
  * `answer_text` is a verbatim substring of the raw report and holds no line break;
  * unanswerable items have null answer_text, value, unit and growth_pct;
  * numeric items (numeric_2017, numeric_2018_target, comparative) have a value and a unit;
    for the two non-comparative categories the value (sign ignored, unit conversion between
    元/万元/亿元-style prefixes allowed) and growth_pct occur in answer_text, read after NFKC
    with whitespace removed and Chinese numerals (三千二百, 百分之十二) understood;
  * the last heading of `section` occurs in the report.
For `followups.jsonl`: each conversation has an id, a doc_id and at least two turns; each turn
has question, value, unit, growth_pct, answer_text and understood; answer_text is verbatim
and on one line; a value needs a unit and, when answer_text is set, must occur in it.
"""
from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
REPORT_DIRS = [REPO / "corpus", REPO.parent / "shared" / "corpus-dev"]

CATEGORIES = ("numeric_2017", "numeric_2018_target", "factual", "list", "comparative", "unanswerable")
NUMBER = (int, float)
NULLABLE_STR = (str, type(None))
NULLABLE_NUM = (int, float, type(None))
ITEM_FIELDS = {
    "id": str, "doc_id": str, "question": str, "category": str, "answer_text": NULLABLE_STR,
    "value": NULLABLE_NUM, "unit": NULLABLE_STR, "growth_pct": NULLABLE_NUM,
    "section": NULLABLE_STR, "qualifier": NULLABLE_STR,
}
ITEM_OPTIONAL = {"note": NULLABLE_STR}
TURN_FIELDS = {
    "question": str, "value": NULLABLE_NUM, "unit": NULLABLE_STR, "growth_pct": NULLABLE_NUM,
    "answer_text": NULLABLE_STR, "understood": str,
}
TURN_OPTIONAL = {"category": NULLABLE_STR, "qualifier": NULLABLE_STR, "note": NULLABLE_STR}
KIND_LETTER = {"train": "t", "holdout": "h", "holdout2": "v", "holdout3": "w", "holdout4": "x", "holdout5": "y", "holdout6": "z", "holdout7": "u", "holdout8": "r", "holdout9": "s", "holdout10": "p"}
# category mix of every <doc_id>.holdout2.jsonl (40 items per report)
HOLDOUT2_MIX = {"numeric_2017": 13, "numeric_2018_target": 7, "factual": 5, "list": 4,
                "comparative": 5, "unanswerable": 6}
# category mix of every <doc_id>.holdout3.jsonl (40 items per report): the holdout2 mix
HOLDOUT3_MIX = {"numeric_2017": 13, "numeric_2018_target": 7, "factual": 5, "list": 4,
                "comparative": 5, "unanswerable": 6}
# category mix of every <doc_id>.holdout4.jsonl (40 items per report): the holdout3 mix
HOLDOUT4_MIX = dict(HOLDOUT3_MIX)
# category mix of every <doc_id>.holdout5.jsonl (40 items per report): the holdout4 mix
HOLDOUT5_MIX = dict(HOLDOUT4_MIX)
# category mix of every <doc_id>.holdout6.jsonl (40 items per report): the holdout5 mix
HOLDOUT6_MIX = dict(HOLDOUT5_MIX)
# category mix of every <doc_id>.holdout7.jsonl (40 items per report): the holdout6 mix
HOLDOUT7_MIX = dict(HOLDOUT6_MIX)
# category mix of every <doc_id>.holdout8.jsonl (40 items per report): the holdout7 mix
HOLDOUT8_MIX = dict(HOLDOUT7_MIX)
# category mix of every <doc_id>.holdout9.jsonl (40 items per report): the holdout8 mix
HOLDOUT9_MIX = dict(HOLDOUT8_MIX)
# category mix of every <doc_id>.holdout10.jsonl (40 items per report): the holdout9 mix
HOLDOUT10_MIX = dict(HOLDOUT9_MIX)
# the mix each held-out kind must have (the first holdout files have none)
MIXES = {"holdout2": HOLDOUT2_MIX, "holdout3": HOLDOUT3_MIX, "holdout4": HOLDOUT4_MIX, "holdout5": HOLDOUT5_MIX,
         "holdout6": HOLDOUT6_MIX, "holdout7": HOLDOUT7_MIX, "holdout8": HOLDOUT8_MIX, "holdout9": HOLDOUT9_MIX,
         "holdout10": HOLDOUT10_MIX}
HELD_OUT = ("holdout", *MIXES)

DIGITS = dict(zip("零〇一二两三四五六七八九", (0, 0, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9)))
SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
PREFIX = {"万": 10_000, "亿": 100_000_000}


def norm(text: str) -> str:
    """NFKC, no whitespace, no thousands separator (1,826.4): how the evaluator compares text."""
    flat = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    return re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", flat)


def parse_chinese(run: str) -> int | None:
    """Value of a Chinese numeral such as 三千二百 or 一百二十六; None when it is not a number."""
    total = section = 0
    digit: int | None = None
    for ch in run:
        if ch in DIGITS:
            if digit is not None:  # 二三 is not a numeral
                return None
            digit = DIGITS[ch]
        elif ch in SMALL_UNITS:
            section += (1 if digit is None else digit) * SMALL_UNITS[ch]
            digit = None
        elif ch in BIG_UNITS:
            total += (section + (digit or 0)) * BIG_UNITS[ch]
            section, digit = 0, None
        else:
            return None
    value = total + section + (digit or 0)
    return value if run and (value or run in ("零", "〇")) else None


def numbers_with_prefix(text: str) -> list[tuple[float, int, str]]:
    """(number, magnitude prefix after it, first character of its unit) for every number in text."""
    flat = norm(text)
    found: list[tuple[float, int, str]] = []
    for m in re.finditer(r"\d+(?:\.\d+)?", flat):
        found.append((float(m.group()), *_prefix_after(flat, m.end())))
    for m in re.finditer(r"([零〇一二两三四五六七八九十百千]+)(?:点([零〇一二两三四五六七八九]+))?", flat):
        value = parse_chinese(m.group(1))
        # a lone 一 or 十 is rarely a figure (三点五 is 3.5), but after 百分之 it is one: 百分之六 is 6
        if value is not None and (len(m.group(0)) > 1 or flat[:m.start()].endswith("百分之")):
            decimals = "".join(str(DIGITS[c]) for c in m.group(2) or "")
            found.append((float(f"{value}.{decimals}") if decimals else float(value), *_prefix_after(flat, m.end())))
    return found


def _prefix_after(flat: str, end: int) -> tuple[int, str]:
    nxt = flat[end:end + 2]
    if nxt[:1] in PREFIX:
        return PREFIX[nxt[0]], nxt[1:2]
    return 1, nxt[:1]


def unit_prefix(unit: str | None) -> tuple[int, str]:
    if unit and unit[0] in PREFIX and len(unit) > 1:
        return PREFIX[unit[0]], unit[1]
    return 1, (unit or "")[:1]


def occurs(number: float, text: str, unit: str | None = None) -> bool:
    """True when number (sign ignored) is written in text, directly or in another magnitude of unit."""
    target = abs(number)
    asked_scale, asked_base = unit_prefix(unit)
    for value, scale, base in numbers_with_prefix(text):
        if _close(value, target):
            return True
        if unit and scale != asked_scale and base == asked_base and _close(value * scale / asked_scale, target):
            return True
    return False


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def typed(obj: dict, fields: dict, optional: dict, where: str) -> list[str]:
    errors = []
    for key, types in fields.items():
        if key not in obj:
            errors.append(f"{where}: missing field {key!r}")
        elif isinstance(obj[key], bool) or not isinstance(obj[key], types):
            errors.append(f"{where}: field {key!r} has type {type(obj[key]).__name__}")
    for key, types in optional.items():
        if key in obj and (isinstance(obj[key], bool) or not isinstance(obj[key], types)):
            errors.append(f"{where}: field {key!r} has type {type(obj[key]).__name__}")
    for key in set(obj) - set(fields) - set(optional):
        errors.append(f"{where}: unknown field {key!r}")
    return errors


def check_answer(answer: str | None, report: str, where: str) -> list[str]:
    if answer is None:
        return []
    if not answer.strip():
        return [f"{where}: empty answer_text"]
    if "\n" in answer or "\r" in answer:
        return [f"{where}: answer_text crosses a line break"]
    if answer not in report:
        return [f"{where}: answer_text is not verbatim in the report: {answer!r}"]
    return []


def check_item(obj: dict, where: str, doc_id: str, letter: str, report: str) -> list[str]:
    errors = typed(obj, ITEM_FIELDS, ITEM_OPTIONAL, where)
    if errors:
        return errors
    where = f"{where} ({obj['id']})"
    if not re.fullmatch(re.escape(doc_id) + "-" + letter + r"\d{3}", obj["id"]):
        errors.append(f"{where}: id should read {doc_id}-{letter}NNN")
    if obj["doc_id"] != doc_id:
        errors.append(f"{where}: doc_id {obj['doc_id']!r} is not {doc_id!r}")
    if not obj["question"].strip():
        errors.append(f"{where}: empty question")
    category = obj["category"]
    if category not in CATEGORIES:
        errors.append(f"{where}: unknown category {category!r}")
    answer = obj["answer_text"]
    if category == "unanswerable":
        errors += [f"{where}: unanswerable item must have null {k}"
                   for k in ("answer_text", "value", "unit", "growth_pct") if obj[k] is not None]
    elif answer is None:
        errors.append(f"{where}: answerable item needs answer_text")
    errors += check_answer(answer, report, where)
    if category in ("numeric_2017", "numeric_2018_target", "comparative"):
        if obj["value"] is None:
            errors.append(f"{where}: numeric item needs a value")
        if not obj["unit"]:
            errors.append(f"{where}: numeric item needs a unit")
    if category in ("numeric_2017", "numeric_2018_target") and answer and obj["value"] is not None:
        if not occurs(obj["value"], answer, obj["unit"]):
            errors.append(f"{where}: value {obj['value']} {obj['unit']} does not occur in answer_text")
        if obj["growth_pct"] is not None and not occurs(obj["growth_pct"], answer):
            errors.append(f"{where}: growth_pct {obj['growth_pct']} does not occur in answer_text")
    if obj["section"] is not None:
        last = obj["section"].split(" > ")[-1]
        if not last or last not in report:
            errors.append(f"{where}: last heading of section not in the report: {last!r}")
    return errors


def check_conversation(obj: dict, where: str, report: str) -> list[str]:
    errors = []
    turns = obj.get("turns")
    if not isinstance(turns, list) or len(turns) < 2:
        return [f"{where}: needs a list of at least two turns"]
    for n, turn in enumerate(turns, 1):
        at = f"{where} turn {n}"
        if not isinstance(turn, dict):
            errors.append(f"{at}: not an object")
            continue
        bad = typed(turn, TURN_FIELDS, TURN_OPTIONAL, at)
        if bad:
            errors += bad
            continue
        if not turn["question"].strip() or not turn["understood"].strip():
            errors.append(f"{at}: empty question or understood")
        errors += check_answer(turn["answer_text"], report, at)
        if turn["value"] is not None and not turn["unit"]:
            errors.append(f"{at}: a value needs a unit")
        if turn["answer_text"] is None and any(turn[k] is not None for k in ("value", "unit", "growth_pct")):
            errors.append(f"{at}: a turn without answer_text (not in the report) must have no value")
        if turn["answer_text"] and turn["value"] is not None and turn.get("category") != "comparative":
            if not occurs(turn["value"], turn["answer_text"], turn["unit"]):
                errors.append(f"{at}: value {turn['value']} does not occur in answer_text")
            if turn["growth_pct"] is not None and not occurs(turn["growth_pct"], turn["answer_text"]):
                errors.append(f"{at}: growth_pct {turn['growth_pct']} does not occur in answer_text")
    return errors


def find_report(doc_id: str) -> str | None:
    for folder in REPORT_DIRS:
        path = folder / f"{doc_id}.txt"
        if path.is_file():
            return path.read_text(encoding="utf-8")
    return None


def read_lines(path: Path) -> tuple[list[tuple[int, dict]], list[str]]:
    rows, errors = [], []
    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        where = f"{path.name} line {lineno}"
        if not raw.strip():
            errors.append(f"{where}: blank line")
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            errors.append(f"{where}: invalid JSON ({exc})")
            continue
        if not isinstance(obj, dict):
            errors.append(f"{where}: not a JSON object")
            continue
        rows.append((lineno, obj))
    return rows, errors


def main(argv: list[str]) -> int:
    strict = "--strict" in argv
    errors: list[str] = []
    skipped: list[str] = []
    seen_ids: dict[str, str] = {}
    questions: dict[tuple[str, str], str] = {}
    files = (sorted(HERE.glob("*.train.jsonl")) + sorted(HERE.glob("*.holdout.jsonl"))
             + sorted(HERE.glob("*.holdout2.jsonl")) + sorted(HERE.glob("*.holdout3.jsonl"))
             + sorted(HERE.glob("*.holdout4.jsonl")) + sorted(HERE.glob("*.holdout5.jsonl"))
             + sorted(HERE.glob("*.holdout6.jsonl")) + sorted(HERE.glob("*.holdout7.jsonl"))
             + sorted(HERE.glob("*.holdout8.jsonl")) + sorted(HERE.glob("*.holdout9.jsonl"))
             + sorted(HERE.glob("*.holdout10.jsonl")))
    if not files:
        print("no *.train.jsonl or *.holdout*.jsonl files found", file=sys.stderr)
        return 1
    for path in files:
        doc_id, kind = path.name[: -len(".jsonl")].rsplit(".", 1)
        report = find_report(doc_id)
        if report is None:
            skipped.append(f"{path.name}: report {doc_id}.txt not found")
            continue
        rows, bad = read_lines(path)
        errors += bad
        counts: Counter[str] = Counter()
        for lineno, obj in rows:
            where = f"{path.name} line {lineno}"
            errors += check_item(obj, where, doc_id, KIND_LETTER[kind], report)
            counts[str(obj.get("category"))] += 1
            ident, question = obj.get("id"), obj.get("question")
            if isinstance(ident, str):
                if ident in seen_ids:
                    errors.append(f"{where}: id {ident} also in {seen_ids[ident]}")
                seen_ids[ident] = path.name
            if isinstance(question, str):
                key = (doc_id, norm(question))
                if key in questions:
                    # the repeat is reported on this (later) file; a holdout item's text is never printed
                    shown = "" if kind in HELD_OUT else f" {question!r}"
                    errors.append(f"{where}: question{shown} also asked in {questions[key]}")
                else:
                    questions[key] = path.name
        print(f"{path.name}: {len(rows)} items  " + "  ".join(f"{c}={counts[c]}" for c in CATEGORIES))
        if kind in MIXES and dict(counts) != MIXES[kind]:
            errors.append(f"{path.name}: category mix {dict(counts)} is not {MIXES[kind]}")

    followups = HERE / "followups.jsonl"
    if followups.exists():
        rows, bad = read_lines(followups)
        errors += bad
        per_doc: Counter[str] = Counter()
        turns = 0
        for lineno, obj in rows:
            where = f"{followups.name} line {lineno}"
            ident, doc_id = obj.get("id"), obj.get("doc_id")
            if not isinstance(ident, str) or not isinstance(doc_id, str):
                errors.append(f"{where}: needs string id and doc_id")
                continue
            unknown = set(obj) - {"id", "doc_id", "turns", "note"}
            if unknown:
                errors.append(f"{where}: unknown fields {sorted(unknown)}")
            if ident in seen_ids:
                errors.append(f"{where}: id {ident} also in {seen_ids[ident]}")
            seen_ids[ident] = followups.name
            report = find_report(doc_id)
            if report is None:
                skipped.append(f"{where}: report {doc_id}.txt not found")
                continue
            errors += check_conversation(obj, f"{where} ({ident})", report)
            per_doc[doc_id] += 1
            turns += len(obj.get("turns") or [])
        print(f"{followups.name}: {len(rows)} conversations, {turns} turns  "
              + "  ".join(f"{d}={n}" for d, n in sorted(per_doc.items())))
    else:
        errors.append("followups.jsonl is missing")

    for line in skipped:
        print(f"skipped {line}")
    if errors:
        print(f"\nFAIL: {len(errors)} problem(s)")
        for line in errors:
            print("  " + line)
        return 1
    if skipped and strict:
        print("\nFAIL: some reports were not found (--strict)")
        return 1
    print(f"\nOK: {len(seen_ids)} ids checked" + (f", {len(skipped)} skipped" if skipped else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
