"""Engines in child processes, supervised, for `qa serve`.

Loading the engine (model, index, tokenizers) and importing the web framework each take a couple
of seconds of pure Python; in one process they queue behind one interpreter lock. In a child
process the engine loads on another core while the server starts, and a crash in it cannot take
the server down.

`EngineWorker` supervises one child and always recovers:
- a start that fails (an error, the child killed, the corpus briefly missing) marks the engine
  dead; the next question starts a fresh child, after a back-off that doubles with each failure in
  a row (`BACKOFF_S`), and is answered with a clear Chinese message while it cannot start;
- a child that dies while idle or while answering is replaced, and the question is asked once more;
- a question not answered within `ask_timeout` (a hung or stopped child) kills the child, starts a
  new one and answers that request with a message.

`EnginePool` runs N workers behind one interface (`documents`, `facts`, `status`, `generation`,
`ask`): each question goes to an idle worker. Answers cross the process boundary as JSON of the
frozen `Answer` model.
"""

from __future__ import annotations

import importlib
import logging
import multiprocessing
import os
import queue
import re
import signal
import threading
import time
from typing import Sequence

from qa import errors
from qa.ingest import load_corpus
from qa.models import Answer, Turn
from qa.settings import Settings

log = logging.getLogger(__name__)
_CONTEXT = multiprocessing.get_context("spawn")  # a fresh interpreter: no threads or locks copied in


def _start_ignoring_ctrl_c(process) -> None:
    """Start a child with Ctrl-C ignored from its first instruction (the disposition survives exec): a
    Ctrl-C while it still imports would otherwise kill it mid-import and leave a traceback or a leaked
    semaphore warning on the terminal. The parent stops its children itself."""
    if threading.current_thread() is not threading.main_thread():
        process.start()  # signal handlers can only change in the main thread; _run ignores Ctrl-C too
        return
    # Blocked while the disposition is "ignore": a Ctrl-C meant for the parent in this window stays pending
    # (Linux never discards a blocked signal) and reaches the parent's own handler once it is restored.
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        process.start()
    finally:
        signal.signal(signal.SIGINT, previous)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)

ENGINE_FACTORY = "qa.engine:Engine"
ASK_TIMEOUT_S = 20.0  # answers take ~12 ms (p50) and seconds at worst; more than this is a hung engine
START_TIMEOUT_S = 900.0  # a start may build the index of a large corpus
WARM_UP_QUESTION = "报告的主要内容是什么？"  # asked by each engine before it says it is ready
BACKOFF_S = (0.5, 30.0)  # first and longest wait before starting again after failed starts in a row

UNAVAILABLE = "答题引擎暂时无法启动（{reason}），约 {seconds} 秒后自动重试，请稍后再问。"
TIMED_OUT = "这个问题超过 {seconds:.0f} 秒仍未答完，答题引擎已重启；请稍后再试或换个问法。"
STOPPED = "答题引擎意外停止，已重新启动；请再问一次。"

_PATH = re.compile(r"(?<![\w.])(?:/[^\s/'\"，。；：、（）()]+)+/?")


def public_message(text: str) -> str:
    """A message fit for a remote client: server paths replaced by their last part."""
    return _PATH.sub(lambda m: "…/" + m.group(0).rstrip("/").rsplit("/", 1)[-1], text)


def _factory(spec: str):
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)


def _run(settings: Settings, conn, factory: str, path: Sequence[str]) -> None:
    """The child: load the engine, say so, then answer until the parent hangs up."""
    import sys

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's: it stops the children itself
    sys.path[:0] = [p for p in path if p not in sys.path]
    _thread_lock_for_progress_bars()
    try:
        engine = _factory(factory).load(settings)
    except errors.QAError as exc:
        conn.send(("failed", type(exc).__name__, str(exc)))
        return
    except Exception as exc:  # reported to the parent, which shows it as one line
        conn.send(("failed", "QAError", f"the answer engine did not start: {exc!r}"))
        return
    try:  # the first answer fills caches: paid here, under the start's timeout, not by a user's question
        engine.ask(WARM_UP_QUESTION)
    except Exception:  # noqa: BLE001 - a question the engine refuses still warmed it
        pass
    conn.send(("ready", engine.status, getattr(engine, "generation", 0)))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return  # the parent is gone
        if message is None:
            return
        question, history, doc_id = message
        try:
            turns = [Turn.model_validate(t) for t in history]
            answer = engine.ask(question, turns, doc_id) if doc_id is not None else engine.ask(question, turns)
            conn.send(("ok", answer.model_dump(mode="json"), engine.status, getattr(engine, "generation", 0)))
        except errors.QAError as exc:
            conn.send(("error", type(exc).__name__, str(exc)))
        except Exception as exc:
            log.exception("answering %r failed", question[:200])
            conn.send(("error", "QAError", f"内部错误，问题未能回答（{exc.__class__.__name__}）"))


def _thread_lock_for_progress_bars() -> None:
    """tqdm (bm25s's progress bar, even when hidden) creates a multiprocessing lock on first use: a semaphore that a
    child stopped while it builds the index never releases, so the resource tracker warns on the terminal after
    Ctrl-C. A thread lock serves this one process as well."""
    try:
        from tqdm import tqdm
    except ImportError:
        return
    tqdm.set_lock(threading.RLock())


class EngineUnavailable(errors.QAError):
    """The engine cannot answer now (starting failed, or it was restarted); the text says what to do."""


class EngineWorker:
    """One engine in a child process; `ask` is safe to call from several threads (one at a time)."""

    def __init__(self, settings: Settings, *, factory: str = ENGINE_FACTORY, name: str = "qa-engine",
                 ask_timeout: float = ASK_TIMEOUT_S, start_timeout: float = START_TIMEOUT_S,
                 backoff: tuple[float, float] = BACKOFF_S, path: Sequence[str] = (), load_tables: bool = True):
        self.settings = settings
        self.factory, self.name, self.path = factory, name, tuple(path)
        self.ask_timeout, self.start_timeout, self.backoff = ask_timeout, start_timeout, backoff
        self.status = "正在加载索引 …"
        self.generation = 0  # the child engine's own count of corpus reloads
        self.starts = 0  # children started, for tests and the log
        self._lock = threading.Lock()
        self._failures = 0  # failed starts in a row
        self._retry_at = 0.0
        self._last_failure = ""
        self._process = None
        self._start()
        if load_tables:  # the web app's fact table and report tabs read these in this process
            from qa.facts import load_facts

            self.documents = load_corpus(settings.corpus_dir)
            self.facts = load_facts(settings.corpus_dir)

    # --- the child's life ---

    def _start(self) -> None:
        self._conn, child = _CONTEXT.Pipe()
        self._process = _CONTEXT.Process(target=_run, args=(self.settings, child, self.factory, self.path),
                                         daemon=True, name=self.name)
        _start_ignoring_ctrl_c(self._process)
        child.close()
        self._state = "starting"
        self.starts += 1

    def _kill(self) -> None:
        """Stop the child for good (SIGKILL works on a stopped child too) and reap it."""
        process, self._process = self._process, None
        self._state = "dead"
        if process is None:
            return
        try:
            self._conn.close()
        except OSError:
            pass
        if process.is_alive():
            try:
                os.kill(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        process.join(timeout=5)

    def _start_failed(self, reason: str) -> None:
        self._kill()
        self._failures += 1
        first, longest = self.backoff
        self._retry_at = time.monotonic() + min(longest, first * 2 ** (self._failures - 1))
        self._last_failure = reason
        log.warning("%s did not start (%d in a row): %s", self.name, self._failures, reason)

    def _unavailable(self) -> EngineUnavailable:
        seconds = max(1, round(self._retry_at - time.monotonic()))
        return EngineUnavailable(UNAVAILABLE.format(reason=public_message(self._last_failure)[:200], seconds=seconds))

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    @property
    def alive(self) -> bool:
        return self._process is not None and self._process.is_alive()

    def wait_ready(self, timeout: float | None = None) -> str:
        """Block until the child has loaded (or built) the index; its status line, or QAError."""
        with self._lock:
            return self._ensure_ready(timeout)

    def _ensure_ready(self, timeout: float | None = None) -> str:
        if self._state == "ready" and self.alive:
            return self.status
        if self._state == "dead" or not self.alive and self._state == "ready":
            if self._failures and time.monotonic() < self._retry_at:
                raise self._unavailable()
            self._start()
        timeout = self.start_timeout if timeout is None else timeout
        try:
            arrived = self._conn.poll(timeout)
            message = self._conn.recv() if arrived else None
        except (EOFError, OSError):
            arrived, message = True, None
        if not arrived:
            self._start_failed(f"未在 {timeout:.0f} 秒内启动")
            raise self._unavailable()
        if message is None:
            self._start_failed("启动时进程意外退出")
            raise self._unavailable()
        if message[0] == "failed":
            _, name, text = message
            self._start_failed(text)
            raise getattr(errors, name, errors.QAError)(text) if self._failures == 1 else self._unavailable()
        _, self.status, self.generation = message
        self._state, self._failures = "ready", 0
        return self.status

    def ask(self, question: str, history: Sequence[Turn] = (), doc_id: str | None = None) -> Answer:
        payload = (question, [t.model_dump(mode="json") for t in history], doc_id)
        with self._lock:
            for attempt in (1, 2):
                self._ensure_ready()
                try:
                    self._conn.send(payload)
                    if not self._conn.poll(self.ask_timeout):
                        log.warning("%s did not answer within %.0f s: killed and restarted", self.name,
                                    self.ask_timeout)
                        self._kill()
                        self._start()  # loads while the user reads the message
                        raise EngineUnavailable(TIMED_OUT.format(seconds=self.ask_timeout))
                    reply = self._conn.recv()
                    break
                except (EOFError, OSError):
                    log.warning("%s stopped; starting a new one", self.name)
                    self._kill()
                    if attempt == 2:
                        raise EngineUnavailable(STOPPED) from None
                    self._start()
        if reply[0] == "ok":
            _, answer, self.status, self.generation = reply
            return Answer.model_validate(answer)
        _, name, text = reply
        raise getattr(errors, name, errors.QAError)(text)

    def close(self) -> None:
        with self._lock:
            process = self._process
            if process is None:
                return
            try:
                self._conn.send(None)
            except (OSError, BrokenPipeError):
                pass
            process.join(timeout=5)
            self._kill()


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)


class EnginePool:
    """N supervised engine workers behind one engine interface; a question goes to an idle one.

    `generation` grows whenever the corpus the parent shows (documents, facts) is reloaded:
    `refresh()` reloads them when the corpus changed, taking the signature before loading.
    """

    def __init__(self, settings: Settings, workers: int | None = None, **options):
        from qa.engine import corpus_signature

        self.settings = settings
        self._signature = corpus_signature
        n = workers or default_workers()
        if n < 1:
            raise errors.InputError("--workers must be at least 1")
        self.workers = [EngineWorker(settings, name=f"qa-engine-{i}", load_tables=False, **options)
                        for i in range(n)]
        self._idle: queue.Queue[EngineWorker] = queue.Queue()
        for worker in self.workers:
            self._idle.put(worker)
        self.generation = 0
        self._refresh_lock = threading.Lock()
        self._seen = None
        self.refresh()

    @property
    def status(self) -> str:
        return next((w.status for w in self.workers if w.status), "")

    @property
    def concurrency(self) -> int:
        """Questions answered at a time: the web app's queue lets this many engine calls run."""
        return len(self.workers)

    def refresh(self) -> bool:
        """Reload the documents and facts the app shows when the corpus changed; True if it did."""
        with self._refresh_lock:
            signature = self._signature(self.settings.corpus_dir)  # before loading: a later edit is seen
            if signature == self._seen:
                return False
            from qa.facts import load_facts

            self.documents = load_corpus(self.settings.corpus_dir)
            self.facts = load_facts(self.settings.corpus_dir)
            self._seen = signature
            self.generation += 1
            return True

    def wait_ready(self, timeout: float | None = None) -> str:
        """Every worker loaded; the first one's status line (QAError if one cannot start)."""
        return [w.wait_ready(timeout) for w in self.workers][0]

    def ask(self, question: str, history: Sequence[Turn] = (), doc_id: str | None = None) -> Answer:
        worker = self._idle.get()
        try:
            return worker.ask(question, history, doc_id)
        finally:
            self._idle.put(worker)

    def pids(self) -> list[int]:
        return [w.pid for w in self.workers if w.pid is not None]

    def close(self) -> None:
        for worker in self.workers:
            worker.close()
