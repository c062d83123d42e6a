"""Fault and load probes against a real `qa serve` on loopback (issue 12): prints probe -> outcome.

    .venv/bin/python bench/faults.py                 # every probe, RSS over 10,000 /ask, both loads
    .venv/bin/python bench/faults.py --quick         # probes only (no RSS run, no load)
    .venv/bin/python bench/faults.py --json out.json

Everything runs on copies in a temporary folder (the corpus of this checkout, a fresh index), on
127.0.0.1 only; every loop has a deadline or a count and stops by itself; servers are stopped by
their own pid. Each probe prints PASS or FAIL with what was seen.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from serve import QA, _env as env, call, free_port  # noqa: E402 - one way to start a server, shared with bench/serve.py
QUESTION = "2017年地区生产总值是多少？"
LOAD_QUESTIONS = ["2017年地区生产总值是多少？", "去年固定资产投资增长多少？", "2018年的主要预期目标是什么？",
                  "报告的主要内容是什么？", "今年城镇新增就业目标是多少？", "What was the GDP in 2017?"]
RESULTS: list[tuple[str, bool, str]] = []


def record(probe: str, ok: bool, seen: str) -> None:
    RESULTS.append((probe, ok, seen))
    print(f"{'PASS' if ok else 'FAIL'}  {probe:58s} {seen}", flush=True)


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        found += [int(c) for c in text]
    return found


def engine_pids(server_pid: int) -> list[int]:
    """The engine workers: the server's children running the multiprocessing spawn entry point."""
    pids = []
    for pid in children(server_pid):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"spawn_main" in cmdline:
            pids.append(pid)
    return pids


# --- HTTP ---


def status_of(url: str, method: str = "GET", path: str = "", body: bytes | None = None,
              headers: dict | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(url + path, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as resp:
            return resp.status, dict(resp.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers)
    except (urllib.error.URLError, ConnectionError):  # refused before the body was read: the peer closed
        return 0, {}


@contextmanager
def served(corpus: Path, index: Path, log: Path, *options: str):
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    with log.open("w") as out:
        start = time.perf_counter()
        proc = subprocess.Popen([QA, "serve", "--host", "127.0.0.1", "--port", str(port), *options],
                                env=env(corpus, index), stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"qa serve exited {proc.returncode}: {log.read_text()[-2000:]}")
            try:
                if call(url, [QUESTION], timeout=10)[0] in ("complete", "error"):
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise TimeoutError(log.read_text()[-2000:])
        yield url, proc, time.perf_counter() - start
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# --- probes ---

def probe_data_loss(work: Path) -> None:
    corpus = work / "corpus"
    user = work / "v"
    (user / "projects" / "code").mkdir(parents=True)
    (user / "projects" / "code" / "main.c").write_text("int main(void) { return 0; }\n")
    before = snapshot(user)
    r = subprocess.run([QA, "ask", QUESTION], env=env(corpus, user), capture_output=True, text=True, timeout=300)
    record("QA_INDEX=<folder with projects/code/main.c> qa ask", r.returncode != 0 and snapshot(user) == before,
           f"exit {r.returncode}, files intact: {snapshot(user) == before}; {r.stderr.strip()[-90:]}")
    (corpus / "archive").mkdir(exist_ok=True)
    (corpus / "archive" / "old.txt").write_text("旧报告")
    before = snapshot(corpus)
    r = subprocess.run([QA, "--index", str(corpus), "ask", QUESTION], env=env(corpus, work / "unused"),
                       capture_output=True, text=True, timeout=300)
    record("--index = corpus folder (with corpus/archive/)", r.returncode != 0 and snapshot(corpus) == before,
           f"exit {r.returncode}, files intact: {snapshot(corpus) == before}")
    shutil.rmtree(corpus / "archive")
    before = snapshot(work / "corpus")
    r = subprocess.run([QA, "--corpus", str(corpus), "--index", str(work), "build"], env=env(corpus, work),
                       capture_output=True, text=True, timeout=300)
    record("--corpus X/corpus --index X", r.returncode != 0 and snapshot(corpus) == before,
           f"exit {r.returncode}, corpus intact: {snapshot(corpus) == before}")


def probe_edge(url: str, corpus: Path) -> None:
    event, payload = call(url, [QUESTION])
    record("plain REST without history", event == "complete", f"{event}: {str(payload)[:60]}")
    cases = [("question not a string (42)", [42, []], "question"),
             ("history of non-strings", [QUESTION, [1, 2]], "history[0]"),
             ("lone surrogate in the question", ["\ud800" + QUESTION, []], "question"),
             ("over-long history item (501 chars)", [QUESTION, ["地" * 501]], "history[0]"),
             ("five history items", [QUESTION, [QUESTION] * 5], "history"),
             ("unknown doc_id", [QUESTION, [], "no-such-report"], "doc_id")]
    for name, data, field in cases:
        event, message = call(url, data)
        ok = event == "error" and isinstance(message, str) and message.startswith(field + ":") \
            and str(corpus) not in message and "/tmp/" not in message
        record(name, ok, f"{event}: {str(message)[:70]}")
    status, _ = status_of(url, headers={"Host": "attacker.example"})
    record("Host: attacker.example (DNS rebinding)", status == 400, f"HTTP {status}")
    status, headers = status_of(url)
    lowered = {k.lower(): v for k, v in headers.items()}
    ok = lowered.get("x-content-type-options") == "nosniff" and "frame-ancestors" in lowered.get(
        "content-security-policy", "") and lowered.get("x-frame-options") == "DENY"
    record("nosniff, X-Frame-Options, frame-ancestors", ok, f"HTTP {status}")
    cache = Path(tempfile.gettempdir()) / "gradio"
    before = sum(p.stat().st_size for p in cache.rglob("*") if p.is_file()) if cache.exists() else 0
    boundary = "qaboundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.bin\"\r\n\r\n").encode() \
        + b"\0" * (8 << 20) + f"\r\n--{boundary}--\r\n".encode()
    began = time.perf_counter()
    status, _ = status_of(url, "POST", "gradio_api/upload", body,
                          {"Content-Type": f"multipart/form-data; boundary={boundary}"})
    after = sum(p.stat().st_size for p in cache.rglob("*") if p.is_file()) if cache.exists() else 0
    record("POST /gradio_api/upload 8 MB", status in (0, 403, 404, 413) and after == before,
           f"HTTP {status} in {time.perf_counter() - began:.2f} s, upload cache +{after - before} bytes")
    status, _ = status_of(url, "POST", "gradio_api/call/ask", b"{" + b" " * (1 << 20) + b"}",
                          {"Content-Type": "application/json"})
    record("1 MB request body", status in (0, 413), f"HTTP {status}" if status else "connection closed")


def worst_request(url: str) -> None:
    rng = random.Random(12)
    cjk = lambda n: "".join(chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(n))  # noqa: E731
    worst = 0.0
    outcomes = []
    # at the limits: 500 characters a field, 4 earlier questions, 1,000 characters in all
    shapes = [(500, [500]), (500, [125] * 4), (200, [200] * 4), (500, [500] * 4)]
    for question, history in shapes * 2:
        data = [cjk(question), [cjk(n) for n in history]]
        began = time.perf_counter()
        event, _ = call(url, data, timeout=60)
        took = time.perf_counter() - began
        worst = max(worst, took)
        outcomes.append(f"{question}+{'/'.join(map(str, history))}: {event} {took:.2f}s")
    record("worst request at the limits (random CJK)", worst < 1.0,
           f"slowest {worst:.2f} s; " + "; ".join(outcomes[:4]))


def probe_supervisor(url: str, proc: subprocess.Popen, corpus: Path, timeout_s: float) -> None:
    pids = engine_pids(proc.pid)
    os.kill(pids[0], signal.SIGKILL)
    time.sleep(0.3)
    results = [call(url, [QUESTION], timeout=120)[0] for _ in range(4)]
    record("engine killed while idle", all(r == "complete" for r in results), f"next 4 questions: {results}")

    pids = engine_pids(proc.pid)
    for pid in pids:
        os.kill(pid, signal.SIGSTOP)
    began = time.perf_counter()
    event, message = call(url, [QUESTION], timeout=120)
    took = time.perf_counter() - began
    record("engines stopped (SIGSTOP): per-question timeout", event == "error" and took < timeout_s + 5,
           f"{event} after {took:.1f} s: {str(message)[:50]}")
    for pid in pids:
        try:
            os.kill(pid, signal.SIGCONT)
        except ProcessLookupError:
            pass
    deadline, event = time.monotonic() + 120, None
    while time.monotonic() < deadline and event != "complete":
        event, _ = call(url, [QUESTION], timeout=120)
    record("answers again after the hung engine is replaced", event == "complete", event)

    hidden = corpus.with_name("corpus.away")
    os.rename(corpus, hidden)
    for pid in engine_pids(proc.pid):
        os.kill(pid, signal.SIGKILL)
    time.sleep(0.3)
    seen = [call(url, [QUESTION], timeout=120) for _ in range(3)]
    os.rename(hidden, corpus)
    messages = [str(m)[:40] for e, m in seen if e == "error"]
    record("engine dies while starting (corpus briefly missing)", len(messages) >= 1,
           f"{len(messages)} refused: {messages[:1]}")
    deadline, event, tries = time.monotonic() + 120, None, 0
    while time.monotonic() < deadline and event != "complete":
        time.sleep(1)
        event, _ = call(url, [QUESTION], timeout=120)
        tries += 1
    record("recovers once the corpus is back (no restart of qa serve)", event == "complete",
           f"{event} after {tries} tries")


def rss_run(url: str, proc: subprocess.Popen, total: int = 10_000, threads: int = 4) -> dict:
    """Server RSS after the first 1,000 /ask requests and after `total`."""
    counter = {"n": 0, "errors": 0}
    lock = threading.Lock()
    marks: dict[int, int] = {}

    def client(number: int) -> None:
        i = number
        while True:
            with lock:
                if counter["n"] >= total:
                    return
                counter["n"] += 1
                n = counter["n"]
            try:
                event, _ = call(url, [LOAD_QUESTIONS[i % len(LOAD_QUESTIONS)], []], timeout=60)
                if event != "complete":
                    raise RuntimeError(event)
            except Exception:  # noqa: BLE001 - counted
                with lock:
                    counter["errors"] += 1
            i += 1
            if n in (1000, 2500, 5000, 7500, total):
                marks[n] = rss_kb(proc.pid)

    began = time.perf_counter()
    pool = [threading.Thread(target=client, args=(k,)) for k in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    time.sleep(1)
    marks[total] = rss_kb(proc.pid)
    growth = (marks[total] - marks[1000]) / marks[1000]
    result = {"requests": total, "errors": counter["errors"], "seconds": time.perf_counter() - began,
              "rss_kb": dict(sorted(marks.items())), "growth_after_1000": growth}
    record(f"server RSS over {total:,} /ask (vs after 1,000)", abs(growth) <= 0.10 and counter["errors"] == 0,
           f"{marks[1000] / 1024:.0f} -> {marks[total] / 1024:.0f} MB ({growth:+.1%}), {counter['errors']} errors")
    return result


def load(url: str, users: int, seconds: float, expected: dict[str, str]) -> dict:
    sys.path.insert(0, str(ROOT / "bench"))
    from serve import load_test  # noqa: PLC0415 - the shared load generator (gradio_client users)

    result = load_test(url, LOAD_QUESTIONS, users, seconds)
    lat = sorted(result.pop("latencies_ms"))
    result["p50_ms"] = statistics.median(lat) if lat else None
    result["p95_ms"] = lat[int(0.95 * (len(lat) - 1))] if lat else None
    # a wrong answer: the same question answered differently than when the server was idle
    wrong = 0
    for question in LOAD_QUESTIONS:
        event, answer = call(url, [question])
        wrong += event != "complete" or answer["answer"] != expected[question]
    result["wrong_after"] = wrong
    record(f"{users} users x {seconds:.0f} s", result["errors"] == 0 and wrong == 0,
           f"{result['ok']} answers, {result['errors']} errors, {result['throughput_rps']:.1f}/s, "
           f"p50 {result['p50_ms']:.0f} ms, p95 {result['p95_ms']:.0f} ms")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="probes only: no RSS run and no load")
    parser.add_argument("--rss-only", action="store_true", help="only the RSS run (no probes, no load)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    summary: dict = {"workers": args.workers}
    with tempfile.TemporaryDirectory(prefix="qa-faults-") as tmp:
        work = Path(tmp)
        shutil.copytree(ROOT / "corpus", work / "corpus")
        if not args.rss_only:
            probe_data_loss(work)
        index = work / "index"
        timeout_s = 5.0
        with served(work / "corpus", index, work / "serve.log", "--workers", str(args.workers),
                    "--timeout", str(timeout_s)) as (url, proc, ready_s):
            summary["ready_s"] = ready_s
            workers = engine_pids(proc.pid)
            summary["rss_mb"] = {"server": rss_kb(proc.pid) / 1024,
                                 "workers": [rss_kb(p) / 1024 for p in workers]}
            record("qa serve --workers N runs N engine processes", len(workers) == args.workers,
                   f"{len(workers)} workers, RSS server {summary['rss_mb']['server']:.0f} MB, per worker "
                   + ", ".join(f"{m:.0f}" for m in summary["rss_mb"]["workers"]) + " MB")
            if not args.rss_only:
                probe_edge(url, work / "corpus")
                worst_request(url)
                probe_supervisor(url, proc, work / "corpus", timeout_s)
            if not args.quick and args.requests >= 1000:  # --requests 0: no RSS run
                summary["rss"] = rss_run(url, proc, args.requests)
            if not args.quick and not args.rss_only:
                expected = {q: call(url, [q])[1]["answer"] for q in LOAD_QUESTIONS}
                summary["load"] = [load(url, 8, 60, expected), load(url, 64, 30, expected)]
                summary["rss_mb"]["workers_after"] = [rss_kb(p) / 1024 for p in engine_pids(proc.pid)]
    failed = [p for p, ok, _ in RESULTS if not ok]
    print(f"\n{len(RESULTS) - len(failed)}/{len(RESULTS)} probes passed" + (f"; failed: {failed}" if failed else ""))
    summary["probes"] = [{"probe": p, "ok": ok, "seen": s} for p, ok, s in RESULTS]
    if args.json:
        args.json.write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
