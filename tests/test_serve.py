"""The server's edge: /ask validation, the HTTP middleware (Host, headers, uploads, body size),
engine concurrency, and `qa serve` itself (integration: a real server on loopback)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import gradio as gr
import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from fake_engine import FakeEngine
from qa import webapp
from qa.errors import InputError

QUESTION = "2017年地区生产总值是多少？"
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def fake():
    return FakeEngine()


# --- validation at the edge ---

@pytest.mark.parametrize("question, history, doc_id, field", [
    (42, [], None, "question"),
    (None, [], None, "question"),
    (["去年"], [], None, "question"),
    ("\ud800地区生产总值", [], None, "question"),
    ("地" * 501, [], None, "question"),
    (QUESTION, "去年GDP", None, "history"),
    (QUESTION, {"question": "x"}, None, "history"),
    (QUESTION, [1, 2], None, r"history\[0\]"),
    (QUESTION, [QUESTION, None], None, r"history\[1\]"),
    (QUESTION, ["地" * 501], None, r"history\[0\]"),
    (QUESTION, ["\udfff"], None, r"history\[0\]"),
    (QUESTION, [{"q": "x"}], None, r"history\[0\]"),
    (QUESTION, [{"question": 5}], None, r"history\[0\].question"),
    (QUESTION, [QUESTION] * 5, None, "history"),
    ("地" * 500, ["地" * 400, "地" * 200], None, "history"),  # each within 500, together past 1000
    (QUESTION, [], 7, "doc_id"),
    (QUESTION, [], "no-such-report", "doc_id"),
])
def test_each_bad_field_is_named(fake, question, history, doc_id, field):
    with pytest.raises(InputError, match=f"^{field}: "):
        webapp.validate_request(question, history, doc_id, [d.doc_id for d in fake.documents])


def test_good_requests_pass_validation(fake):
    doc = fake.documents[0].doc_id
    assert webapp.validate_request(QUESTION, None, None) == (QUESTION, [], None)
    assert webapp.validate_request(QUESTION, ["a", {"question": "b", "understood": "c"}], doc, [doc]) == (
        QUESTION, ["a", "b"], doc)
    assert webapp.validate_request(QUESTION, [], "", [doc])[2] is None


def test_api_errors_name_the_field_and_never_a_server_path(fake):
    with pytest.raises(gr.Error) as refused:
        webapp.api_ask(fake, {"not": "text"}, None)
    assert str(refused.value.message).startswith("question: ")
    answer = webapp.api_ask(fake, QUESTION, [QUESTION])
    assert answer["question"] == QUESTION and answer["citations"]

    class Recording:
        documents = fake.documents
        calls = []

        def ask(self, question, history=(), doc_id=None):
            self.calls.append((question, len(history), doc_id))
            return fake.ask(question, history)

    doc = fake.documents[0].doc_id
    webapp.api_ask(Recording(), QUESTION, [{"question": "去年GDP是多少？"}], doc)
    assert Recording.calls == [("去年GDP是多少？", 0, doc), (QUESTION, 1, doc)]

    class Failing:
        documents = fake.documents

        def ask(self, question, history=(), doc_id=None):
            raise InputError(f"the index at {ROOT}/index is stale: run qa build")

    with pytest.raises(gr.Error) as refused:
        webapp.api_ask(Failing(), QUESTION)
    assert str(ROOT) not in refused.value.message and "…/index is stale" in refused.value.message


def test_engine_concurrency_follows_the_workers(fake):
    class Pool:
        concurrency = 3

    assert webapp.engine_concurrency(fake) == 1 and webapp.engine_concurrency(Pool()) == 3


# --- the HTTP edge ---

def _app(allowed):
    async def ok(request):
        return PlainTextResponse("ok")

    async def echo(request):
        return JSONResponse({"bytes": len(await request.body())})

    routes = [Route("/", ok), Route("/echo", echo, methods=["POST"]),
              Route("/gradio_api/upload", echo, methods=["POST"])]
    edge = Middleware(webapp.EdgeMiddleware, allowed_hosts=allowed, max_body=1024)
    return Starlette(routes=routes, middleware=[edge])


def test_host_header_must_be_allowed():
    client = TestClient(_app(webapp.allowed_hosts_for("127.0.0.1")), base_url="http://127.0.0.1:7860")
    assert client.get("/").status_code == 200
    assert client.get("/", headers={"host": "localhost:7860"}).status_code == 200
    rebinding = client.get("/", headers={"host": "attacker.example:7860"})
    assert rebinding.status_code == 400 and rebinding.headers["x-content-type-options"] == "nosniff"
    named = TestClient(_app(webapp.allowed_hosts_for("0.0.0.0", ["qa.example.org"])), base_url="http://qa.example.org")
    assert named.get("/").status_code == 200
    assert named.get("/", headers={"host": "other.example"}).status_code == 400
    assert webapp.allowed_hosts_for("0.0.0.0") is None  # every interface, no names given: any Host


def test_every_response_forbids_sniffing_and_framing():
    response = TestClient(_app(None)).get("/")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


def test_uploads_are_refused_and_bodies_are_bounded():
    client = TestClient(_app(None))
    assert client.post("/gradio_api/upload", content=b"x" * 10).status_code == 404
    assert client.post("/echo", content=b"x" * 1000).json() == {"bytes": 1000}
    assert client.post("/echo", content=b"x" * 5000).status_code == 413

    def chunks():
        for _ in range(10):
            yield b"x" * 500

    with pytest.raises(Exception):  # a chunked body past the limit: the app sees the client go away
        client.post("/echo", content=chunks())


def test_plain_rest_may_leave_out_the_optional_inputs():
    async def data(request):
        return JSONResponse((await request.json())["data"])

    app = Starlette(routes=[Route("/gradio_api/call/ask", data, methods=["POST"])],
                    middleware=[Middleware(webapp.EdgeMiddleware)])
    client = TestClient(app, raise_server_exceptions=False)
    assert client.post("/gradio_api/call/ask", json={"data": ["问"]}).json() == ["问", None, None]
    assert client.post("/gradio_api/call/ask", json={"data": ["问", ["a"], "d"]}).json() == ["问", ["a"], "d"]
    assert client.post("/gradio_api/call/ask", content=b"not json").status_code == 500  # the app's own answer


def test_random_bytes_on_the_cli_are_one_line(tmp_path):
    qa = str(Path(sys.executable).parent / "qa")
    noise = bytes(b for b in os.urandom(64) if b) + b"\xff\xfe"
    result = subprocess.run([qa, "ask", noise], capture_output=True, timeout=60,
                            env={**os.environ, "QA_INDEX": str(tmp_path / "index")})
    assert result.returncode == 2
    assert result.stderr.count(b"\n") == 1 and b"undecodable" in result.stderr and b"Traceback" not in result.stderr
    assert not (tmp_path / "index").exists()  # refused before anything loads


# --- real processes (integration) ---

def _start_serve(tmp_path, *options):
    sys.path.insert(0, str(ROOT / "tests"))
    from ui_helpers import free_port  # noqa: PLC0415

    port = free_port()
    env = {**os.environ, "QA_INDEX": str(tmp_path / "index"), "GRADIO_ANALYTICS_ENABLED": "False",
           "HF_HUB_OFFLINE": "1", "NO_PROXY": "127.0.0.1,localhost"}
    proc = subprocess.Popen([str(Path(sys.executable).parent / "qa"), "serve", "--port", str(port), *options],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return proc, f"http://127.0.0.1:{port}/"


@pytest.mark.integration
def test_ctrl_c_during_start_up_is_one_line(tmp_path):
    proc, _ = _start_serve(tmp_path, "--workers", "1")
    assert "正在加载索引" in proc.stderr.readline().decode()  # started: the engine loads, gradio imports
    time.sleep(1)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=180)  # an engine still loading finishes first: ~20 s on a busy 2-core machine
    assert proc.returncode == 130, err.decode()
    assert b"Traceback" not in err and err.decode().strip().splitlines()[-1] == "stopped."


@pytest.mark.integration
def test_served_app_recovers_from_a_killed_and_a_stopped_engine(tmp_path):
    sys.path.insert(0, str(ROOT / "bench"))
    import faults  # noqa: PLC0415 - the same probes the fault script runs

    proc, url = _start_serve(tmp_path, "--workers", "2", "--timeout", "5")
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            try:
                if faults.call(url, [QUESTION], timeout=10)[0] == "complete":
                    break
            except OSError:
                time.sleep(0.5)
        assert len(faults.engine_pids(proc.pid)) == 2
        first = faults.engine_pids(proc.pid)
        os.kill(first[0], signal.SIGKILL)
        seen = [faults.call(url, [QUESTION]) for _ in range(3)]
        assert [event for event, _ in seen] == ["complete"] * 3, seen
        for pid in faults.engine_pids(proc.pid):
            os.kill(pid, signal.SIGSTOP)
        began = time.monotonic()
        event, message = faults.call(url, [QUESTION], timeout=60)
        assert event == "error" and "答题引擎已重启" in message and time.monotonic() - began < 10
        deadline = time.monotonic() + 120
        while faults.call(url, [QUESTION], timeout=60)[0] != "complete":
            assert time.monotonic() < deadline
        event, message = faults.call(url, [42])
        assert event == "error" and message.startswith("question: ")
    finally:
        proc.terminate()
        proc.wait(timeout=30)
