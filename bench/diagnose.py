"""Leave-one-report-out failures, item by item, for debugging general causes.

For each report: fit on the other three (as bench/loo.py does), answer the held report's gold, train
and spent held-out files (`loo.SPENT`), and write every item that is not fully right (wrong number, wrong citation, false
abstention, answered where it should abstain, wrong ✓) with the answer's text to a JSON Lines file.
Never run it on a held-out part that is not spent: those stay unseen (aggregate figures only,
bench/loo.py --also PART).

    .venv/bin/python bench/diagnose.py OUT.jsonl [--report ID]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from loo import four_reports, items_of, known_answer_files, spent_files  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--report", action="append", help="only these held-out reports")
    args = parser.parse_args()
    rows = []
    with four_reports("qa-diag-") as (four, ids, _, _):
        from qa.answering.fit import fit
        from qa.cli.fit_cmds import HYPER
        from qa.evaluate import judge

        for held in args.report or ids:
            train = [i for o in ids if o != held for f in known_answer_files(o)[0] for i in items_of(f, o)]
            four.context.scorer = fit(train, four.context, dict(HYPER), {"held_out": held})
            for f in known_answer_files(held)[0] + spent_files(held):
                for item in items_of(f, held):
                    answer = four.ask(item.question, doc_id=item.doc_id)
                    out = judge(item, answer)
                    bad = [k for k, v in out.items() if (v if k in ("false_abstain", "wrong_verified") else not v)]
                    if not bad:
                        continue
                    num = answer.numeric
                    rows.append({"doc": held, "file": f.name, "id": item.id, "category": item.category,
                                 "question": item.question, "bad": bad, "expected": [item.value, item.unit, item.growth_pct, item.qualifier],
                                 "answer_text": item.answer_text,
                                 "got": answer.answer[:300], "numeric": num and [num.value, num.unit, num.growth_pct, num.verdict],
                                 "quote": answer.citations[0].quote[:200] if answer.citations else None})
                    print(json.dumps(rows[-1], ensure_ascii=False), flush=True)
    args.out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
