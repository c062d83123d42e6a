"""Throughput and client latency under load with 1, 2, … engine workers, compared in one run (issue 14).

    .venv/bin/python bench/workers.py [--users 8] [--seconds 60] [--workers 1 2]

Starts `qa serve --workers N` on a free loopback port over a temp copy of corpus/ (index built first),
runs `--users` gradio_client users asking known-answer questions in a loop, prints one markdown row per N.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from serve import QA, load_test, served, wait_first_answer  # noqa: E402


def questions() -> list[str]:
    lines = (ROOT / "tests" / "known_answers.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["question"] for line in lines if line.strip()]


def run(workers: int, users: int, seconds: float, corpus: Path, index: Path, log: Path) -> dict:
    with served(corpus, index, log, "--workers", str(workers)) as (url, proc, start):
        wait_first_answer(url, proc, start, "2017年地区生产总值是多少？", log)
        result = load_test(url, questions(), users, seconds)
    lat = sorted(result.pop("latencies_ms"))
    result.update(workers=workers, p50_ms=statistics.median(lat) if lat else None,
                  p95_ms=lat[min(len(lat) - 1, int(len(lat) * 0.95))] if lat else None)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="qa-workers-") as tmp:
        corpus, index = Path(tmp) / "corpus", Path(tmp) / "index"
        shutil.copytree(ROOT / "corpus", corpus)
        subprocess.run([QA, "--corpus", str(corpus), "--index", str(index), "build"], check=True,
                       capture_output=True, env={**os.environ})
        print(f"| workers | users | seconds | answers | errors | answers/s | client p50 (ms) | client p95 (ms) |")
        print("| --- | --- | --- | --- | --- | --- | --- | --- |")
        for n in args.workers:
            r = run(n, args.users, args.seconds, corpus, index, Path(tmp) / f"serve-{n}.log")
            print(f"| {n} | {args.users} | {r['seconds']:.0f} | {r['ok']} | {r['errors']} | "
                  f"{r['throughput_rps']:.1f} | {r['p50_ms']:.0f} | {r['p95_ms']:.0f} |", flush=True)


if __name__ == "__main__":
    main()
