"""The engine in a child process, for `qa serve`.

Loading the engine (model, index, tokenizers) and importing the web framework each take a couple
of seconds of pure Python; in one process they queue behind one interpreter lock. In a child
process the engine loads on the second core while the server starts, and a crash in it cannot take
the server down: the next question starts a fresh child.

`EngineWorker` has what the web app needs of an engine (`documents`, `facts`, `status`, `ask`);
answers cross the process boundary as JSON of the frozen `Answer` model.
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
from typing import Sequence

from qa import errors
from qa.facts import load_facts
from qa.ingest import load_corpus
from qa.models import Answer, Turn
from qa.settings import Settings

log = logging.getLogger(__name__)
_CONTEXT = multiprocessing.get_context("spawn")  # a fresh interpreter: no threads or locks copied in


def _run(settings: Settings, conn) -> None:
    """The child: load the engine, say so, then answer until the parent hangs up."""
    from qa.engine import Engine

    try:
        engine = Engine.load(settings)
    except errors.QAError as exc:
        conn.send(("failed", type(exc).__name__, str(exc)))
        return
    except Exception as exc:  # reported to the parent, which shows it as one line
        conn.send(("failed", "QAError", f"the answer engine did not start: {exc!r}"))
        return
    conn.send(("ready", engine.status))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return  # the parent is gone
        if message is None:
            return
        question, history = message
        try:
            turns = [Turn.model_validate(t) for t in history]
            conn.send(("ok", engine.ask(question, turns).model_dump(mode="json"), engine.status))
        except errors.QAError as exc:
            conn.send(("error", type(exc).__name__, str(exc)))
        except Exception as exc:
            log.exception("answering %r failed", question)
            conn.send(("error", "QAError", f"内部错误，问题未能回答（{exc.__class__.__name__}）"))


class EngineWorker:
    """An engine living in a child process; `ask` is safe to call from several threads."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._lock = threading.Lock()
        self._start()
        # the web app's fact table and report tabs read these in this process
        self.documents = load_corpus(settings.corpus_dir)
        self.facts = load_facts(settings.corpus_dir)
        self.status = "正在加载索引 …"

    def _start(self) -> None:
        self._conn, child = _CONTEXT.Pipe()
        self._process = _CONTEXT.Process(target=_run, args=(self.settings, child), daemon=True, name="qa-engine")
        self._process.start()
        child.close()
        self._ready = False

    def wait_ready(self, timeout: float = 600.0) -> str:
        """Block until the child has loaded (or built) the index; its status line, or QAError."""
        if self._ready:
            return self.status
        if not self._conn.poll(timeout):
            raise errors.IndexError_(f"the answer engine did not start within {timeout:.0f} s")
        try:
            message = self._conn.recv()
        except (EOFError, OSError):
            raise errors.QAError("the answer engine stopped while starting; see the log above") from None
        if message[0] == "failed":
            _, name, text = message
            raise getattr(errors, name, errors.QAError)(text)
        self.status, self._ready = message[1], True
        return self.status

    def ask(self, question: str, history: Sequence[Turn] = ()) -> Answer:
        payload = (question, [t.model_dump(mode="json") for t in history])
        with self._lock:
            for attempt in (1, 2):
                try:
                    self.wait_ready()
                    self._conn.send(payload)
                    reply = self._conn.recv()
                    break
                except (EOFError, OSError, BrokenPipeError):
                    if attempt == 2:
                        raise errors.QAError("答题引擎已停止，请重启 qa serve。") from None
                    log.warning("the answer engine stopped; starting a new one")
                    self._start()
        if reply[0] == "ok":
            self.status = reply[2]
            return Answer.model_validate(reply[1])
        _, name, text = reply
        raise getattr(errors, name, errors.QAError)(text)

    def close(self) -> None:
        try:
            self._conn.send(None)
        except (OSError, BrokenPipeError):
            pass
        self._process.join(timeout=5)
        if self._process.is_alive():
            self._process.terminate()
