"""Print the parse of every known-answer question and count disagreements with its category, by class.

    .venv/bin/python bench/question_parse.py [--all]   (--all prints every parse, not only the suspect ones)

Then the held-out set `bench/questions/question_parse_heldout.jsonl`: 40 questions about an invented
report (安平市, reviewing 2023), labelled (measure, kind, years, also_growth) before the parser was
run on them; the cue lists were written looking at the gold questions above, never at these.

Reads the development reports' gold files from ../shared/corpus-dev (skipped if absent) and
tests/known_answers.jsonl (卫东区). The profiles below are what `qa sections` reads from each report's
head; they are written here only because this script runs without building a corpus. Every
question is asked scoped to its report, as `qa eval` does, with all four reports loaded.
"""

from __future__ import annotations

import collections
import json
import statistics
import sys
import time
from pathlib import Path

from qa.models import DocProfile
from qa.question.parse import parse, warm

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "corpus-dev"
PROFILES = {
    "qinghe-county-2021-government-work-report": DocProfile(region="清河县", level="county", review_year=2020, plan_year=2021),
    "nanhu-district-2023-government-work-report": DocProfile(region="南湖区", level="district", review_year=2022, plan_year=2023),
    "songling-city-2019-government-work-report": DocProfile(region="松陵市", level="city", review_year=2018, plan_year=2019),
    "weidong-2018-government-work-report": DocProfile(region="卫东区", level="district", review_year=2017, plan_year=2018),
}
NUMERIC = {"level", "growth", "share", "count"}


def items():
    for path in sorted(DEV.glob("*.gold.jsonl")) if DEV.exists() else []:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                yield json.loads(line)
    for line in (ROOT / "tests" / "known_answers.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            item.setdefault("doc_id", "weidong-2018-government-work-report")
            yield item


def problems(item, query) -> list[str]:
    """Disagreements of a parse with what the item's category implies (by class)."""
    profile = PROFILES[item["doc_id"]]
    category, note = item["category"], item.get("note") or ""
    out = []
    if query.doc_id != item["doc_id"]:
        out.append("scope")
    if category == "numeric_2017":
        if query.kind in ("target", "plan"):
            out.append("kind")
        if any(y != profile.review_year for y in query.years) and not query.span:
            out.append("years")
        if query.measure not in NUMERIC:
            out.append("measure")
    elif category == "numeric_2018_target":
        if query.kind != "target":
            out.append("kind")
        if query.years != (profile.plan_year,) and "202" not in note and "203" not in note:
            out.append("years")
        if query.measure not in NUMERIC:
            out.append("measure")
    elif category == "list" and query.measure != "list":
        out.append("measure")
    elif category == "factual" and query.measure in NUMERIC:
        out.append("measure")
    elif category == "comparative" and query.measure not in NUMERIC | {"comparison"}:
        out.append("measure")
    elif category == "unanswerable":
        lowered = note.lower()
        if ("place" in lowered or "region" in lowered or "city" in lowered and "not covered" in lowered) and not query.places:
            out.append("places")
    if category.startswith("numeric"):
        rate = item.get("unit") in ("%", "个百分点")
        if rate and query.measure not in ("growth", "share"):
            # a bare "GDP目标" says no measure (measure_explicit False): the answer may take a rate
            out.append("rate-as-amount" if query.measure_explicit else "rate-open")
        if not rate and query.measure not in ("level", "count"):
            out.append("amount-as-rate")
    if item.get("growth_pct") is not None and item.get("unit") != "%" and category.startswith("numeric"):
        asks_growth = any(w in item["question"] for w in ("增长", "增速", "涨", "降", "growth", "change"))
        if asks_growth and not query.also_growth and query.measure != "growth":
            out.append("two-part")
    return out


def main(show_all: bool = False) -> None:
    by_class: collections.Counter = collections.Counter()
    by_category: collections.Counter = collections.Counter()
    n_by_category: collections.Counter = collections.Counter()
    times, cpu = [], []
    warm(PROFILES)  # opencc tables, cue words, name indexes, pypinyin: once per process
    for item in items():
        started, started_cpu = time.perf_counter(), time.process_time()
        query = parse(item["question"], reports=PROFILES, chosen_doc=item["doc_id"])
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        found = problems(item, query)
        n_by_category[item["category"]] += 1
        by_class.update(found)
        if found:
            by_category[item["category"]] += 1
        if found or show_all:
            print(f"{'!' + ','.join(found) if found else 'ok':>16}  {item['category'][:12]:12} {item['question']}")
            print(f"{'':16}  years={query.years} span={query.span} kind={query.kind} measure={query.measure}"
                  f"{' +growth' if query.also_growth else ''} unit={query.unit} topic={query.topic!r}"
                  f"{' places=' + str(query.places) if query.places else ''}")
    total = sum(n_by_category.values())
    print(f"\n{total} questions; items with a suspect parse by category:")
    for category, n in sorted(n_by_category.items()):
        print(f"  {category:20} {by_category[category]:3} / {n}")
    print("by class:", dict(by_class))
    for name, values in (("wall", times), ("cpu", cpu)):  # wall clock includes waiting for a shared core
        values.sort()
        print(f"parse {name} time: p50 {statistics.median(values):.2f} ms, p95 {values[int(0.95 * len(values))]:.2f} ms, "
              f"max {values[-1]:.2f} ms")


HELDOUT = ROOT / "bench" / "questions" / "question_parse_heldout.jsonl"
HELDOUT_PROFILES = {"anping": DocProfile(region="安平市", level="city", review_year=2023, plan_year=2024),
                    "hexi": DocProfile(region="河西县", level="county", review_year=2020, plan_year=2021)}


def heldout() -> None:
    errors: collections.Counter = collections.Counter()
    lines = [json.loads(line) for line in HELDOUT.read_text(encoding="utf-8").splitlines() if line.strip()]
    for item in lines:
        query = parse(item["q"], reports=HELDOUT_PROFILES, chosen_doc="anping")
        found = [name for name, ok in (
            ("measure", query.measure == item["measure"]), ("kind", query.kind == item["kind"]),
            # no year asked: the label says [], the Query says so with year_assumed (the review year)
            ("years", list(query.years) == item["years"] or (query.year_assumed and not item["years"])),
            ("scope", query.doc_id == "anping"),
            ("also_growth", query.also_growth == item.get("also_growth", False))) if not ok]
        errors.update(found)
        if found:
            print(f"  held-out !{','.join(found)}: {item['q']} -> {query.measure} {query.kind} {query.years}")
    print(f"held-out: {len(lines)} questions; errors by field: {dict(errors) or 'none'}")


if __name__ == "__main__":
    main("--all" in sys.argv)
    heldout()
