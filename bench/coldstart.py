"""Cold start of `qa ask` / `qa search`: whole processes (median of N) and where the time goes.

    .venv/bin/python bench/coldstart.py                 # temp copy of corpus/, index built first
    .venv/bin/python bench/coldstart.py --runs 5 --serve --json out.json

Every run is a fresh process with the index already built (as a user's second question is).
The breakdown runs the phases of `Engine.load` one after another in a fresh process and
takes each one's CPU seconds (median over the runs; wall time on a shared machine measures the neighbours): imports, model, corpus, index, retrievers, answering
context, first answer. A phase that fails (an answering layer mid-rewrite) is reported as such.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QA = str(Path(sys.executable).parent / "qa")
QUESTION = "去年GDP增长多少？"

_PHASES = r"""
import json, sys, time
marks, t0 = [], time.process_time()  # CPU seconds of this process: what a busy machine does not inflate
def mark(name):
    marks.append((name, time.process_time()))
def report(error=None):
    out, prev = [], t0
    for name, t in marks:
        out.append([name, t - prev]); prev = t
    print(json.dumps({"phases": out, "error": error}))
try:
    import qa.cli, qa.engine  # what `qa ask` imports before it loads anything
    from qa.settings import Settings
    from qa.embed import load_embedder
    from qa.ingest import load_corpus
    from qa.index import load_index
    from qa.retrieve import open_retrievers
    from qa.facts import load_facts
    from qa.query import load_glossary
    mark("imports")
    settings = Settings.from_env()
    embedder = load_embedder(settings.model)
    getattr(embedder, "load", lambda: None)()
    mark("model")
    documents = load_corpus(settings.corpus_dir)
    mark("corpus")
    index = load_index(settings, expected_model=embedder.model_id)
    mark("index (checksums, FAISS, passages)")
    try:
        retrievers = open_retrievers(settings, rebuild="never", embedder=embedder, index=index)
    except TypeError:  # code from before the index could be handed over (a "before" measurement)
        retrievers = open_retrievers(settings, rebuild="never", embedder=embedder)
    mark("retrievers (BM25, tokenizer)")
    engine = qa.engine.Engine(settings, documents, load_facts(settings.corpus_dir), retrievers,
                              load_glossary(settings.corpus_dir), embedder, "")
    mark("answering context")
    engine.ask(sys.argv[1])
    mark("first answer")
    report()
except Exception as exc:
    report(f"{type(exc).__name__}: {exc}")
"""


def _env(corpus: Path, index: Path) -> dict:
    return dict(os.environ, QA_CORPUS=str(corpus), QA_INDEX=str(index), HF_HUB_OFFLINE="1")


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def whole_process(args: list[str], env: dict, runs: int) -> dict:
    """Wall-clock and CPU seconds (user + system) of whole processes; on a shared, busy machine the
    CPU figure is the one that says what the process itself costs."""
    times, cpu, ok = [], [], True
    for _ in range(runs):
        start, cpu_start = time.perf_counter(), _cpu()
        done = subprocess.run([QA, *args], env=env, capture_output=True, text=True, timeout=300)
        times.append(time.perf_counter() - start)
        cpu.append(_cpu() - cpu_start)
        ok = ok and done.returncode == 0
    return {"median_s": statistics.median(times), "median_cpu_s": statistics.median(cpu),
            "runs_s": [round(t, 3) for t in times], "exit_ok": ok,
            "stderr_tail": "" if ok else done.stderr.strip().splitlines()[-1][:200]}


def breakdown(env: dict, runs: int) -> dict:
    samples: dict[str, list[float]] = {}
    error = None
    for _ in range(runs):
        done = subprocess.run([sys.executable, "-c", _PHASES, QUESTION], env=env, capture_output=True,
                              text=True, timeout=300)
        result = json.loads(done.stdout.strip().splitlines()[-1])
        error = result["error"]
        for name, seconds in result["phases"]:
            samples.setdefault(name, []).append(seconds)
    return {"phases": {name: statistics.median(values) for name, values in samples.items()}, "error": error}


_WARM = r"""
import json, statistics, sys, time
from pathlib import Path
import qa.engine
from qa.settings import Settings
questions = [json.loads(line)["question"] for line in Path(sys.argv[1]).read_text(encoding="utf-8").splitlines() if line.strip()]
engine = qa.engine.Engine.load(Settings.from_env(), rebuild="never")
engine.ask(questions[0])
times = []
for question in questions:
    start = time.perf_counter()
    try:
        engine.ask(question)
    except Exception:
        pass
    times.append((time.perf_counter() - start) * 1000)
times.sort()
print(json.dumps({"n": len(times), "p50_ms": statistics.median(times), "p95_ms": times[max(0, round(0.95 * len(times)) - 1)],
                  "max_ms": times[-1]}))
"""


def warm(env: dict, runs: int) -> dict:
    """Warm answers: every known-answer question asked once of one loaded engine (after one first
    question), per-question wall milliseconds; the median over `runs` processes of p50 and p95."""
    samples = []
    for _ in range(runs):
        done = subprocess.run([sys.executable, "-c", _WARM, str(ROOT / "tests" / "known_answers.jsonl")], env=env,
                              capture_output=True, text=True, timeout=600)
        samples.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return {key: statistics.median(s[key] for s in samples) for key in ("p50_ms", "p95_ms", "max_ms")} | {
        "n": samples[0]["n"], "runs": samples}


def heavy_modules(env: dict) -> list[str]:
    """Heavy packages `qa ask` must not import (it never serves, never uses torch or Milvus)."""
    code = ("import sys, qa.cli, qa.engine, qa.retrieve; "
            "print(','.join(m for m in ('gradio', 'torch', 'sentence_transformers', 'pymilvus') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    return [m for m in done.stdout.strip().split(",") if m]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, help="corpus folder (default: a temp copy of corpus/)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--serve", action="store_true", help="also time `qa serve` to its first answer")
    parser.add_argument("--json", type=Path, help="write the results here too")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="qa-coldstart-"))
    try:
        corpus = args.corpus or work / "corpus"
        if args.corpus is None:
            shutil.copytree(ROOT / "corpus", corpus)
        index = work / "index"
        env = _env(corpus, index)
        subprocess.run([QA, "build"], env=env, check=True, capture_output=True, timeout=900)
        subprocess.run([QA, "search", QUESTION], env=env, capture_output=True, timeout=300)  # model cache, page cache
        result = {
            "qa ask": whole_process(["ask", QUESTION], env, args.runs),
            "qa search": whole_process(["search", QUESTION], env, args.runs),
            "breakdown": breakdown(env, args.runs),
            "heavy_modules_imported": heavy_modules(env),
            "warm": warm(env, max(1, args.runs // 2)),
            "load_average": os.getloadavg()[0],
        }
        if args.serve:
            sys.path.insert(0, str(ROOT / "bench"))
            from serve import cold_serve

            try:
                result["qa serve first answer"] = cold_serve(corpus, index, QUESTION, work / "serve.log")
            except Exception as exc:  # report the rest; say why this one is missing
                result["qa serve first answer"] = {"first_answer_s": float("nan"), "error": str(exc)[:200]}
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"| what | wall, median of {args.runs} (s) | CPU, median (s) |\n| --- | --- | --- |")
    for name in ("qa ask", "qa search"):
        row = result[name]
        failed = "" if row["exit_ok"] else " (exit ≠ 0: " + row["stderr_tail"] + ")"
        print(f"| `{name}` whole process | {row['median_s']:.2f}{failed} | {row['median_cpu_s']:.2f} |")
    if "qa serve first answer" in result:
        print(f"| `qa serve` to first answer | {result['qa serve first answer']['first_answer_s']:.2f} | |")
    print("\n| phase (fresh process; CPU seconds, interpreter start not included) | median (s) |\n| --- | --- |")
    for name, seconds in result["breakdown"]["phases"].items():
        print(f"| {name} | {seconds:.3f} |")
    if result["breakdown"]["error"]:
        print(f"| (stopped: {result['breakdown']['error'][:120]}) | |")
    w = result["warm"]
    print(f"\nwarm answers ({w['n']} known-answer questions, one engine; median of {len(w['runs'])} processes): "
          f"p50 {w['p50_ms']:.1f} ms, p95 {w['p95_ms']:.1f} ms, max {w['max_ms']:.1f} ms")
    print(f"\nheavy modules imported by qa ask: {result['heavy_modules_imported'] or 'none'}; "
          f"load average at the end: {result['load_average']:.1f}")
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
