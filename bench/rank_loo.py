"""Leave-one-report-out ranking accuracy: how often the held-out report's right figure is ranked first.

Cheaper and steadier than bench/loo.py for choosing features: no thresholds, no answer wording, only the
ranker (and the confidence model's ordering of questions). For each report: fit the scorer's models on
the other three reports' gold + train candidate rows, rank the held-out report's gold + train candidates.

    .venv/bin/python bench/rank_loo.py [--hyper JSON ...]

Prints, per report and summed: questions with a right candidate, top-1 among them, and the AUC of the
confidence (does the confidence rank right first answers above wrong ones and unanswerable questions).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from loo import four_reports, items_of, known_answer_files  # noqa: E402


def auc(scores: list[float], labels: list[int]) -> float:
    pos = [s for s, y in zip(scores, labels) if y]
    neg = [s for s, y in zip(scores, labels) if not y]
    if not pos or not neg:
        return float("nan")
    return sum((p > n) + 0.5 * (p == n) for p in pos for n in neg) / (len(pos) * len(neg))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--hyper", action="append", default=[], help="JSON fit settings over HYPER (each a variant)")
    args = parser.parse_args()
    with four_reports("qa-rank-") as (four, ids, _, _):
        from qa.answering.fit import candidate_rows, fit_models
        from qa.answering.scorer import Scorer
        from qa.cli.fit_cmds import HYPER

        rows = {}
        for d in ids:
            items = [i for f in known_answer_files(d)[0] for i in items_of(f, d)]
            rows[d] = candidate_rows(items, four.context)
        for h in args.hyper or ["{}"]:
            hyper = dict(HYPER, **json.loads(h))
            total = np.zeros(3)
            confs, rights = [], []
            for held in ids:
                x = np.vstack([rows[d][0] for d in ids if d != held])
                y = np.concatenate([rows[d][1] for d in ids if d != held])
                g = np.concatenate([rows[d][2] + 100000 * n for n, d in enumerate(ids) if d != held])
                scorer: Scorer = fit_models(x, y, g, hyper, {})
                hx, hy, hg = rows[held]
                order = scorer.ranks([dict(zip(scorer.features, r)) for r in hx])
                has = top1 = 0
                for q in np.unique(hg):
                    idx = np.where(hg == q)[0]
                    best = idx[int(np.argmax(order[idx]))]
                    r = [dict(zip(scorer.features, hx[i])) for i in idx]
                    conf = scorer.confidence(r, order[idx])
                    confs.append(conf)
                    rights.append(int(hy[best] == 1))
                    if hy[idx].sum():
                        has += 1
                        top1 += int(hy[best] == 1)
                total += (len(np.unique(hg)), has, top1)
                print(f"{held[:30]:30} questions={len(np.unique(hg))} with_right={has} top1={top1} ({top1 / max(has, 1):.3f})")
            print(f"== {h}: with_right={int(total[1])} top1={int(total[2])} ({total[2] / total[1]:.3f}) "
                  f"confidence AUC={auc(confs, rights):.3f}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
