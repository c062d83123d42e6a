"""The web chat: a Gradio 6 Blocks app over an answer engine.

`build_app(engine)` returns the Blocks; `launch(app, host, port)` serves it with
the queue settings below. `ui/app.py` and `qa serve` are thin entry points onto
these two functions, so the app lives in the installed package and nothing has
to put `ui/` on the import path. All logic stays in the engine; HTML comes
from `qa.render`, which escapes every piece of user and corpus text.

The function behind the chat is also an API endpoint, `/ask`:

    from gradio_client import Client
    client = Client("http://127.0.0.1:7860/")
    answer = client.predict("去年地区生产总值是多少？", [], api_name="/ask")   # a dict: the Answer as JSON
    client.predict("增长了多少？", ["去年地区生产总值是多少？"], api_name="/ask")  # with earlier questions
"""

from __future__ import annotations

import inspect
import json
import logging
import os
import re
from collections.abc import Sequence
from typing import Protocol

# Before gradio is imported: it reads this at import time (no usage reporting, no version check).
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
# Gradio keeps timing records of the last N events (default 10,000: ~30 MB of RSS growth over the first
# 10,000 requests, measured in bench/faults.py); a few hundred are plenty, and nothing reads them here.
os.environ.setdefault("GRADIO_ANALYTICS_MAX_EVENTS", "500")
# ... and by default rebuilds a pandas summary of all of them (DataFrame + groupby) after every event: about
# 14% of the server's CPU samples under load (py-spy, issue 14). Only the monitoring page reads it.
os.environ.setdefault("GRADIO_ANALYTICS_CACHE_FREQUENCY", "500")


def _remember_missing_matplotlib() -> None:
    """Gradio wraps every event in `import matplotlib` (twice) to switch its backend; without matplotlib
    installed each failed import searches sys.path again (about 5% of the server's CPU samples under load).
    A None entry in sys.modules makes the failure immediate (`find_spec` says None, as before)."""
    import importlib.util
    import sys

    if "matplotlib" not in sys.modules and importlib.util.find_spec("matplotlib") is None:
        sys.modules["matplotlib"] = None


_remember_missing_matplotlib()

import gradio as gr  # noqa: E402
from gradio import state_holder as gr_state  # noqa: E402

from qa import render, webpage
from qa.errors import InputError, QAError  # noqa: E402
from qa.models import Answer, Document, Fact, Turn  # noqa: E402
from qa.worker import public_message  # noqa: E402

log = logging.getLogger(__name__)


class _LazySessionState(gr_state.SessionState):
    """Gradio's per-session state, with each component's config copied when first needed, not when the
    session starts.

    Gradio builds the config of every component of the page for each new session (the fact table's
    data included), though only the deep-link route and a changed component ever read it. Every plain
    REST call to /ask is a session of its own: ~8 ms of CPU per call, about 40% of the server's CPU
    samples under REST load (py-spy, issue 14); now 0.06 ms. Up to SESSION_CAPACITY sessions are kept."""

    class _NoComponents:
        """The Blocks as SessionState.__init__ sees it: no components to copy up front."""

        blocks: dict = {}

        def __init__(self, blocks):
            self._real = blocks

        def __getattr__(self, name):
            return getattr(self._real, name)

    def __init__(self, blocks):
        super().__init__(self._NoComponents(blocks))
        self._all_blocks = blocks.blocks

    @property
    def components(self):
        for key, block in self.blocks_config.blocks.items():
            if key in self._all_blocks and key not in self.config_values:
                self.config_values[key] = self.blocks_config.config_for_block(key, [], block)
        return super().components


gr_state.SessionState = _LazySessionState  # gradio.state_holder.StateHolder makes every session from this name

# Answers take well under a second and the engine holds one model: one engine call at
# a time (chat and API share the limit) keeps memory flat on a 2-core box, and a queue of
# 64 waiting requests is about a minute of backlog before new ones are turned away.
ENGINE_CONCURRENCY = 1
DEFAULT_CONCURRENCY = 4  # fact-table and report browsing: pure Python, cheap
QUEUE_MAX_SIZE = 64
MAX_HISTORY_TURNS = 4  # earlier turns passed to the engine for a follow-up
N_EXAMPLES = 4
# Queue positions sent to waiting clients every this many seconds. Gradio's default ("auto") sends one to
# every waiting request each time any request starts: O(waiting) event-stream messages per answer (issue 14).
STATUS_UPDATE_S = 1.0

INTERNAL_ERROR = "抱歉，处理这个问题时出现内部错误，已记录。请换个问法再试。"

CSS = webpage.CSS  # the look lives with the page layout (qa.webpage)


class AnswerEngine(Protocol):
    """What the app needs of `qa.engine.Engine` (a fake with these members serves the tests)."""

    documents: list[Document]
    facts: list[Fact]
    status: str

    def ask(self, question: str, history: Sequence[Turn] = (), doc_id: str | None = None) -> Answer: ...


_NUMBERING = re.compile(r"^(（[一二三四五六七八九十\d]+）|[一二三四五六七八九十]+、|\d+[.、．])")


def _topic(title: str) -> str:
    """'（一）推进产业结构优化升级，奋力开启…' -> '推进产业结构优化升级'."""
    return re.split(r"[，,：:；;。]", _NUMBERING.sub("", title.strip()), maxsplit=1)[0].strip()


def example_questions(facts: Sequence[Fact], documents: Sequence[Document], n: int = N_EXAMPLES) -> list[str]:
    """Questions to click, drawn from whatever corpus is loaded (never written for one report).

    A result of the year under review, a target of the plan (from the fact table), then
    list questions on numbered subsections of the report ("…有哪些举措？").
    """
    out: list[str] = []
    for kinds in (("actual", "estimate"), ("target", "plan")):
        fact = next((f for f in facts if f.kind in kinds and f.indicator), None)
        if fact is not None:
            out.append(f"{fact.period}年{fact.indicator}是多少？")
    for doc in documents:
        for part in doc.sections:
            numbered = [c for c in part.children if _NUMBERING.match(c.title) and 4 <= len(_topic(c.title)) <= 16]
            if numbered:
                out.append(f"{_topic(numbered[0].title)}有哪些举措？")
    return list(dict.fromkeys(out))[:n]


def _turns_for_engine(turns: Sequence[Turn]) -> list[Turn]:
    return list(turns)[-MAX_HISTORY_TURNS:]


def answer_or_message(engine: AnswerEngine, question: str, turns: Sequence[Turn],
                      doc_id: str | None = None) -> tuple[Answer | None, str]:
    """Ask the engine about the chosen report; return (answer, html). An error becomes a message,
    never a traceback."""
    try:
        answer = _ask_engine(engine, question, _turns_for_engine(turns), doc_id)
    except QAError as exc:
        return None, render.notice_html(str(exc), "refused")
    except Exception:  # anything unexpected: log it with its traceback, show a generic line
        log.exception("answering %r failed", question[:200])
        return None, render.notice_html(INTERNAL_ERROR)
    facts = {f.id: f for f in engine.facts} if answer.numeric is not None and answer.numeric.fact_ids else None
    return answer, render.answer_html(answer, facts=facts, report_titles=render.titles(engine.documents))


# --- The API edge: every field checked and bounded before the engine sees it ---

MAX_API_HISTORY = MAX_HISTORY_TURNS  # earlier turns an /ask request may carry (older ones are refused)
MAX_FIELD_CHARS = 500  # a question or an earlier question, in characters (the engine's own limit too)
MAX_DOC_ID_CHARS = 200
# question and earlier questions together: each earlier question is answered again to rebuild the
# conversation, so this bounds the work of one request (worst accepted request measured in bench/faults.py)
MAX_REQUEST_CHARS = 1000


def engine_concurrency(engine) -> int:
    """Engine calls at a time: one per engine worker (`EnginePool.concurrency`), else one."""
    return max(1, int(getattr(engine, "concurrency", ENGINE_CONCURRENCY)))


def clean_text(value: str, field: str) -> str:
    """A field's text with lone surrogates (undecodable input) refused by name."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError(f"{field}: 含有无法解码的字符（孤立代理项），请重新输入") from None
    return value


def _text_field(value, field: str, limit: int = MAX_FIELD_CHARS) -> str:
    if not isinstance(value, str):
        raise InputError(f"{field}: 应为文字（字符串），收到的是 {_json_type(value)}")
    value = clean_text(value, field)
    if len(value) > limit:
        raise InputError(f"{field}: 太长（{len(value)} 字），请控制在 {limit} 字以内")
    return value


def _json_type(value) -> str:
    names = {type(None): "null", bool: "布尔值", int: "数字", float: "数字", list: "列表", dict: "对象"}
    return names.get(type(value), type(value).__name__)


def validate_request(question, history, doc_id, doc_ids: Sequence[str] = ()) -> tuple[str, list[str], str | None]:
    """(question, earlier questions, doc_id) of an /ask request, or InputError naming the field at fault.

    history: absent/null, or a list of strings or of objects with "question" (and optional "understood").
    """
    question = _text_field(question, "question")
    if history is None:
        history = []
    if not isinstance(history, (list, tuple)):
        raise InputError(f"history: 应为列表（之前的问题），收到的是 {_json_type(history)}")
    if len(history) > MAX_API_HISTORY:
        raise InputError(f"history: 最多 {MAX_API_HISTORY} 轮之前的对话，收到 {len(history)} 轮")
    earlier = []
    for i, item in enumerate(history):
        if isinstance(item, dict):
            unknown = set(item) - {"question", "understood", "answer"}
            if "question" not in item or unknown:
                raise InputError(f"history[{i}]: 应为字符串或含 question 字段的对象"
                                 + (f"（未知字段 {', '.join(sorted(map(str, unknown)))[:80]}）" if unknown else ""))
            _text_field(item.get("understood") or "", f"history[{i}].understood")
            item = _text_field(item["question"], f"history[{i}].question")
        else:
            item = _text_field(item, f"history[{i}]")
        earlier.append(item)
    total = len(question) + sum(map(len, earlier))
    if total > MAX_REQUEST_CHARS:
        raise InputError(f"history: 问题与之前的问题合计太长（{total} 字），请控制在 {MAX_REQUEST_CHARS} 字以内")
    if doc_id is not None and doc_id != "":
        doc_id = _text_field(doc_id, "doc_id", MAX_DOC_ID_CHARS)
        if doc_ids and doc_id not in doc_ids:
            shown = "、".join(list(doc_ids)[:10])
            raise InputError(f"doc_id: 没有这份报告（{doc_id[:60]}）；已加载的报告：{shown}")
    else:
        doc_id = None
    return question, earlier, doc_id


def _ask_engine(engine, question: str, turns: list[Turn], doc_id: str | None) -> Answer:
    return engine.ask(question, turns, doc_id) if doc_id is not None else engine.ask(question, turns)


def api_ask(engine, question, history=None, doc_id=None) -> dict:
    """The /ask API: validate at the edge, ask the engine, return the Answer as JSON.

    Every failure is a gr.Error with a one-line message naming what is wrong (no server paths).
    """
    try:
        question, earlier, doc_id = validate_request(question, history, doc_id,
                                                     [d.doc_id for d in engine.documents])
        said = [item.get("understood") if isinstance(item, dict) else None for item in history or []]
        turns: list[Turn] = []
        for text, understood in zip(earlier, said):
            # a turn the client says how it was understood goes to the engine as understood, not asked again
            answer = (Answer(question=text, interpreted_as=understood, answer="") if understood
                      else _ask_engine(engine, text, turns, doc_id))
            turns.append(Turn(question=text, answer=answer))
        return _ask_engine(engine, question, turns, doc_id).model_dump(mode="json")
    except QAError as exc:
        raise gr.Error(public_message(str(exc)) or INTERNAL_ERROR, print_exception=False) from None
    except Exception:
        log.exception("API /ask failed for %r", question[:200] if isinstance(question, str) else type(question))
        raise gr.Error(INTERNAL_ERROR, print_exception=False) from None


def _shown_question(question: str, limit: int = 300) -> str:
    return question if len(question) <= limit else question[:limit] + f"…（共 {len(question)} 字）"


def build_app(engine: AnswerEngine) -> gr.Blocks:
    """The chat, the fact table, the growth chart and the report browser over one engine, and the
    `/ask` API. The page's layout and handlers are in `qa.webpage.build_page`."""

    def ask(question: str, history: list | None = None, doc_id: str | None = None) -> dict:
        """Answer a question about the reports; returns the Answer as a JSON object.

        Args:
            question: the question, in Chinese or English.
            history: earlier questions of the conversation, oldest first (optional), for follow-ups:
                strings, or objects {"question": ..., "understood": ...} of earlier turns.
            doc_id: the report to ask about (optional; one of the loaded reports' ids).
        """
        return api_ask(engine, question, history, doc_id)

    with gr.Blocks(title="政府工作报告问答", analytics_enabled=False) as app:
        engine_limits = {"concurrency_id": "engine", "concurrency_limit": engine_concurrency(engine)}
        app.load(**webpage.build_page(engine, engine_limits))
        gr.api(ask, api_name="ask", **engine_limits)  # the edge: api_ask validates and bounds each request

    app.queue(max_size=QUEUE_MAX_SIZE, default_concurrency_limit=DEFAULT_CONCURRENCY,
              status_update_rate=STATUS_UPDATE_S)
    return app


def theme() -> gr.themes.Base:
    """The default look on bundled or system fonts only: nothing is fetched from a font CDN."""
    return gr.themes.Default(
        font=[gr.themes.LocalFont("Source Sans Pro"), "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC",
              "WenQuanYi Micro Hei", "ui-sans-serif", "system-ui", "sans-serif"],
    )


# --- Serving: limits and headers at the HTTP edge (qa serve and ui/app.py) ---

MAX_BODY_BYTES = 64 * 1024  # an /ask request at its limits is ~20 KB of JSON; uploads are refused anyway
SESSION_CAPACITY = 256  # sessions whose state (chat turns) is kept in memory; the oldest go first
PENDING_SESSIONS = 256  # sessions whose pending messages Gradio keeps (its default: 2,000)
BLOCKED_PATHS = ("/gradio_api/upload", "/upload", "/gradio_api/mcp")  # the app has no file input
SECURITY_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", b"frame-ancestors 'none'"),
    (b"referrer-policy", b"no-referrer"),
)
_ANY_HOST = ("0.0.0.0", "::", "")
API_CALL_PATHS = ("/gradio_api/call/ask", "/gradio_api/run/ask", "/gradio_api/call/v2/ask")
API_ARITY = len(inspect.signature(api_ask).parameters) - 1  # question, history, doc_id (not the engine)


def allowed_hosts_for(host: str, extra: Sequence[str] = ()) -> frozenset[str] | None:
    """Host header values the server answers (None: any). The bound host by default, plus `extra`;
    loopback also answers to localhost. A server bound to every interface answers any Host unless
    names are given."""
    names = {h.strip().lower().strip("[]") for h in extra if h.strip()}
    if host in _ANY_HOST:
        return frozenset(names) if names else None
    names.add(host.lower().strip("[]"))
    if host in ("127.0.0.1", "localhost", "::1"):
        names |= {"127.0.0.1", "localhost", "::1"}
    return frozenset(names)


def _host_name(value: bytes) -> str:
    text = value.decode("latin-1").strip().lower()
    if text.startswith("["):
        return text[1:].split("]", 1)[0]
    return text.rsplit(":", 1)[0] if text.count(":") == 1 else text


class EdgeMiddleware:
    """Plain ASGI middleware: Host check (DNS rebinding), no uploads or unused routes, bounded
    request bodies, and headers that stop sniffing and framing on every response."""

    def __init__(self, app, allowed_hosts: frozenset[str] | None = None, max_body: int = MAX_BODY_BYTES):
        self.app, self.allowed_hosts, self.max_body = app, allowed_hosts, max_body

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        if self.allowed_hosts is not None and _host_name(headers.get(b"host", b"")) not in self.allowed_hosts:
            return await self._refuse(scope, send, 400, "Invalid Host header")
        path = scope.get("path", "")
        if any(path == b or path.startswith(b + "/") for b in BLOCKED_PATHS):
            return await self._refuse(scope, send, 404, "Not Found")
        if scope["type"] == "websocket":
            return await self.app(scope, receive, send)
        length = headers.get(b"content-length", b"0")
        if not length.isdigit() or int(length) > self.max_body:
            return await self._refuse(scope, send, 413, "Request body too large")
        received = 0

        async def bounded_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:  # a chunked body past the limit: the app sees a disconnect
                    return {"type": "http.disconnect"}
            return message

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                message = dict(message)
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        if scope.get("method") == "POST" and path in API_CALL_PATHS:
            scope, bounded_receive = await self._optional_inputs(scope, bounded_receive)
        return await self.app(scope, bounded_receive, send_with_headers)

    @staticmethod
    async def _optional_inputs(scope, receive):
        """A plain REST call may leave out /ask's optional inputs: pad `data` with nulls (Gradio
        itself refuses a short list with a bare `{"error": null}`)."""
        body, more = b"", True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            body += message.get("body", b"")
            more = message.get("more_body", False)
        try:
            payload = json.loads(body)
            if isinstance(payload, dict) and isinstance(payload.get("data"), list) and len(payload["data"]) < API_ARITY:
                payload["data"] += [None] * (API_ARITY - len(payload["data"]))
                body = json.dumps(payload).encode("ascii")  # escapes keep a lone surrogate for the check
        except (ValueError, UnicodeDecodeError):
            pass  # Gradio answers a malformed body itself
        headers = [(k, v) for k, v in scope.get("headers", []) if k != b"content-length"]
        scope = {**scope, "headers": [*headers, (b"content-length", str(len(body)).encode())]}
        sent = False

        async def replay():
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        return scope, replay

    @staticmethod
    async def _refuse(scope, send, status: int, text: str) -> None:
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        body = text.encode()
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                (b"content-length", str(len(body)).encode()), *SECURITY_HEADERS]})
        await send({"type": "http.response.body", "body": body})


def launch(app: gr.Blocks, host: str = "127.0.0.1", port: int = 7860, *, block: bool = True, quiet: bool = False,
           allowed_hosts: Sequence[str] = ()):
    """Serve the app on host:port (no share link, no SSR, no analytics, no uploads, bounded sessions)."""
    from starlette.middleware import Middleware

    edge = Middleware(EdgeMiddleware, allowed_hosts=allowed_hosts_for(host, allowed_hosts))
    # Gradio keeps a message queue for each of the last 2,000 sessions; each REST call is a session of
    # its own. More than the waiting room (QUEUE_MAX_SIZE) plus the engines is never needed at once.
    pending = getattr(getattr(app, "_queue", None), "pending_messages_per_session", None)
    if pending is not None and hasattr(pending, "max_size"):
        pending.max_size = min(pending.max_size, PENDING_SESSIONS)
    return app.launch(
        server_name=host, server_port=port, share=False, ssr_mode=False, mcp_server=False,
        prevent_thread_lock=not block, quiet=quiet, show_error=False, theme=theme(), css=CSS,
        footer_links=["api", "settings"], max_file_size="4kb", state_session_capacity=SESSION_CAPACITY,
        app_kwargs={"middleware": [edge, Middleware(webpage.ChinesePage)]}, js=webpage.COPY_JS,
    )
