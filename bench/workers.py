"""Throughput and client latency under load with 1, 2, … engine workers, compared in one run (issue 14).

    .venv/bin/python bench/workers.py [--users 8] [--seconds 60] [--workers 1 2] [--client gradio|gradio-shared-tls|rest]
                                      [--src DIR ...]

Starts `qa serve --workers N` on a free loopback port over a temp copy of corpus/ (index built first),
runs `--users` users asking known-answer questions in a loop, prints one markdown row per N (and client
and source tree), with the CPU each side spent per answer: the server process, its engine workers, and
this load generator (which shares the machine's cores). `--client`: see bench/serve.py `_users`.
`--src`: serve the qa package from DIR/src (e.g. `git archive <commit> src | tar -x -C DIR`) to compare
an earlier commit in the same run; `.` is this tree.
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

from serve import CLIENTS, QA, child_pids, cpu_seconds, load_test, served, wait_first_answer  # noqa: E402


def questions() -> list[str]:
    lines = (ROOT / "tests" / "known_answers.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["question"] for line in lines if line.strip()]


def run(workers: int, users: int, seconds: float, corpus: Path, index: Path, log: Path,
        client: str = "gradio") -> dict:
    with served(corpus, index, log, "--workers", str(workers)) as (url, proc, start):
        wait_first_answer(url, proc, start, "2017年地区生产总值是多少？", log)
        engines = child_pids(proc.pid)
        before = cpu_seconds(proc.pid), sum(map(cpu_seconds, engines))
        result = load_test(url, questions(), users, seconds, client)
        result.update(server_cpu_s=cpu_seconds(proc.pid) - before[0],
                      engines_cpu_s=sum(map(cpu_seconds, engines)) - before[1])
    lat = sorted(result.pop("latencies_ms"))
    result.update(workers=workers, p50_ms=statistics.median(lat) if lat else None,
                  p95_ms=lat[min(len(lat) - 1, int(len(lat) * 0.95))] if lat else None)
    return result


def _per_answer(result: dict, key: str) -> str:
    return f"{result[key] * 1000 / result['ok']:.1f}" if result["ok"] else "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--client", choices=CLIENTS, nargs="+", default=["gradio"])
    parser.add_argument("--src", nargs="+", default=["."], help="source trees to serve from (DIR/src); . is this one")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="qa-workers-") as tmp:
        corpus, index = Path(tmp) / "corpus", Path(tmp) / "index"
        shutil.copytree(ROOT / "corpus", corpus)
        subprocess.run([QA, "--corpus", str(corpus), "--index", str(index), "build"], check=True,
                       capture_output=True, env={**os.environ})
        print("| source | client | workers | users | seconds | answers | errors | answers/s | client p50 (ms) | "
              "client p95 (ms) | CPU ms per answer: server / engines / load generator | load average after |")
        print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
        plain_path = os.environ.get("PYTHONPATH")
        for client in args.client:  # the trees alternate run by run: a change in the machine's load hits both
            for n in args.workers:
                for src in args.src:
                    path = plain_path if src == "." else os.pathsep.join(
                        filter(None, [str(Path(src).resolve() / "src"), plain_path]))
                    if path is None:
                        os.environ.pop("PYTHONPATH", None)
                    else:
                        os.environ["PYTHONPATH"] = path
                    r = run(n, args.users, args.seconds, corpus, index, Path(tmp) / f"serve-{n}.log", client)
                    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
                    print(f"| {src} | {client} | {n} | {args.users} | {r['seconds']:.0f} | {r['ok']} | {r['errors']} | "
                          f"{r['throughput_rps']:.1f} | {r['p50_ms']:.0f} | {r['p95_ms']:.0f} | "
                          f"{_per_answer(r, 'server_cpu_s')} / {_per_answer(r, 'engines_cpu_s')} / "
                          f"{_per_answer(r, 'client_cpu_s')} | {load} |", flush=True)


if __name__ == "__main__":
    main()
