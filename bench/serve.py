"""Cold start and load against real processes: `qa ask` and `qa serve` on loopback.

Every server is started as a user starts it (`qa serve --host 127.0.0.1 --port N`) with
QA_CORPUS / QA_INDEX pointing at the benchmark's folders, and stopped by its own pid.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

VENV_BIN = Path(sys.executable).parent
QA = str(VENV_BIN / "qa")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(corpus: Path, index: Path) -> dict:
    return dict(os.environ, QA_CORPUS=str(corpus), QA_INDEX=str(index), GRADIO_ANALYTICS_ENABLED="False",
                HF_HUB_OFFLINE="1", NO_PROXY="127.0.0.1,localhost", PYTHONUNBUFFERED="1")


def has_ask_command() -> bool:
    result = subprocess.run([QA, "--help"], capture_output=True, text=True, timeout=60)
    return any(line.split()[:1] == ["ask"] for line in result.stdout.splitlines())


_PY_ASK = (
    "import sys; from qa.engine import Engine; from qa.settings import Settings; "
    "print(Engine.load(Settings.from_env()).ask(sys.argv[1]).answer, flush=True)"
)


def cold_ask(corpus: Path, index: Path, question: str) -> dict:
    """Seconds from process start to the first line of the answer, and to exit."""
    use_cli = has_ask_command()
    command = [QA, "ask", question] if use_cli else [sys.executable, "-c", _PY_ASK, question]
    start = time.perf_counter()
    proc = subprocess.Popen(command, env=_env(corpus, index), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    first = proc.stdout.readline()
    first_s = time.perf_counter() - start
    rest, err = proc.communicate(timeout=120)
    total_s = time.perf_counter() - start
    if proc.returncode != 0 or not first.strip():
        raise RuntimeError(f"{' '.join(command[:2])} failed ({proc.returncode}): {err[-2000:]}")
    return {"command": "qa ask" if use_cli else "python -c Engine.load().ask()", "first_answer_s": first_s,
            "exit_s": total_s, "answer": first.strip()[:80]}


def call(url: str, data: list, timeout: float = 30, host: str | None = None) -> tuple[str, object]:
    """(event, payload) of one /ask over plain REST: "complete" with the Answer, or "error" with its message."""
    headers = {"Content-Type": "application/json"}
    if host:
        headers["Host"] = host
    body = json.dumps({"data": data}).encode()
    request = urllib.request.Request(url + "gradio_api/call/ask", data=body, headers=headers)
    with urllib.request.urlopen(request, timeout=timeout) as resp:
        event_id = json.loads(resp.read())["event_id"]
    with urllib.request.urlopen(f"{url}gradio_api/call/ask/{event_id}", timeout=timeout) as resp:
        stream = resp.read().decode("utf-8")
    event = payload = None
    for line in stream.splitlines():
        if line.startswith("event:"):
            event = line.split(":", 1)[1].strip()
        elif line.startswith("data:"):
            payload = json.loads(line.split(":", 1)[1].strip())
    if event == "complete":
        return event, payload[0]
    return event or "none", (payload or {}).get("error") if isinstance(payload, dict) else payload


def ask_http(url: str, question: str, timeout: float = 30) -> dict:
    """One /ask call over Gradio's plain HTTP API (no client start-up in the measurement)."""
    event, payload = call(url, [question, []], timeout)
    if event != "complete":
        raise RuntimeError(f"/ask ended with event {event!r}: {payload}")
    return payload


@contextmanager
def served(corpus: Path, index: Path, log: Path, *extra: str):
    """Start `qa serve` (with `extra` options) on a free loopback port; yield (url, process, start time); stop it."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    with log.open("w") as out:
        start = time.perf_counter()
        proc = subprocess.Popen([QA, "serve", "--host", "127.0.0.1", "--port", str(port), *extra],
                                env=_env(corpus, index), stdout=out, stderr=subprocess.STDOUT)
    try:
        yield url, proc, start
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def wait_first_answer(url: str, proc: subprocess.Popen, start: float, question: str, log: Path,
                      timeout: float = 180) -> float:
    """Poll /ask until it answers; seconds since the process was started."""
    while time.perf_counter() - start < timeout:
        if proc.poll() is not None:
            raise RuntimeError(f"qa serve exited with {proc.returncode}: {log.read_text()[-2000:]}")
        try:
            ask_http(url, question, timeout=10)
            return time.perf_counter() - start
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"qa serve did not answer within {timeout}s: {log.read_text()[-2000:]}")


def cold_serve(corpus: Path, index: Path, question: str, log: Path) -> dict:
    with served(corpus, index, log) as (url, proc, start):
        return {"first_answer_s": wait_first_answer(url, proc, start, question, log)}


CLIENTS = ("gradio", "gradio-shared-tls", "rest")


def _users(url: str, users: int, client: str) -> list[tuple[object, object]]:
    """(ask(question), closable) for each user.

    gradio: stock gradio_client. It builds two TLS contexts per call (httpx.post and an httpx.Client for
    the event stream, each loading the CA bundle), even for http://: ~100 ms of CPU per answer, more
    than the server spends, on the same cores (issue 14).
    gradio-shared-tls: the same client and protocol (queue/join + SSE) with one TLS context shared by all.
    rest: Gradio's plain REST API (POST /gradio_api/call/ask, then GET its event stream) over one
    keep-alive httpx connection per user; every call is a new session for the server.
    """
    if client == "rest":
        import httpx

        def rest_user():
            session = httpx.Client(base_url=url, timeout=30)

            def ask(question):
                reply = session.post("gradio_api/call/ask", json={"data": [question, []]})
                reply.raise_for_status()
                stream = session.get(f"gradio_api/call/ask/{reply.json()['event_id']}").text
                if "event: complete" not in stream:
                    raise RuntimeError(stream[-200:])

            return ask, session

        return [rest_user() for _ in range(users)]
    import ssl

    from gradio_client import Client

    shared = {"ssl_verify": ssl.create_default_context()} if client == "gradio-shared-tls" else {}
    clients = [Client(url, verbose=False, download_files=False, **shared) for _ in range(users)]
    return [((lambda q, c=c: c.predict(q, [], api_name="/ask")), c) for c in clients]


def load_test(url: str, questions: list[str], users: int, seconds: float, client: str = "gradio") -> dict:
    """`users` users of the given `client` kind (CLIENTS), each asking in a loop for `seconds`; latencies,
    errors and this process's CPU seconds (the load generator's own cost)."""
    import resource

    clients = _users(url, users, client)
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def user(number: int, ask) -> None:
        i = number * 7
        while time.perf_counter() < deadline:
            question = questions[i % len(questions)]
            i += 1
            start = time.perf_counter()
            try:
                ask(question)
                with lock:
                    latencies.append((time.perf_counter() - start) * 1000)
            except Exception as exc:  # noqa: BLE001 - every failure is counted and shown
                with lock:
                    errors.append(f"{type(exc).__name__}: {str(exc)[:200]}")

    used = resource.getrusage(resource.RUSAGE_SELF)
    began = time.perf_counter()
    threads = [threading.Thread(target=user, args=(n, ask)) for n, (ask, _) in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    now = resource.getrusage(resource.RUSAGE_SELF)
    for _, closable in clients:
        try:
            closable.close()
        except Exception:  # noqa: BLE001 - closing is best effort
            pass
    return {"users": users, "seconds": elapsed, "requests": len(latencies) + len(errors),
            "ok": len(latencies), "errors": len(errors), "error_samples": errors[:5],
            "throughput_rps": len(latencies) / elapsed if elapsed else 0.0, "latencies_ms": latencies,
            "client": client, "client_cpu_s": (now.ru_utime + now.ru_stime) - (used.ru_utime + used.ru_stime)}


def cpu_seconds(pid: int) -> float:
    """CPU seconds (user + system) a live process has used so far (Linux /proc)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def child_pids(pid: int) -> list[int]:
    """Direct children of `pid` (the engine workers of a `qa serve`)."""
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(p) for p in f.read().split()]
    except OSError:
        return []
