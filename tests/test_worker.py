"""The engine in a child process (what `qa serve` runs): same answers, errors as errors, restarts."""

from __future__ import annotations

import pytest

from qa.errors import InputError
from qa.models import Turn
from qa.worker import EngineWorker


@pytest.fixture(scope="module")
def worker(real_settings, engine):  # `engine` first: the session index is built once, not raced
    worker = EngineWorker(real_settings)
    yield worker
    worker.close()


@pytest.mark.integration
def test_worker_answers_as_the_engine_does(worker, engine):
    assert worker.wait_ready().startswith("索引已")
    question = "去年固定资产投资增长多少？"
    ours, theirs = worker.ask(question), engine.ask(question)
    assert ours.answer == theirs.answer and ours.numeric == theirs.numeric and ours.citations == theirs.citations
    follow = worker.ask("那2018年呢？", [Turn(question=question, answer=ours)])
    assert follow.numeric.period == 2018 and follow.numeric.value == 11
    assert {d.doc_id for d in worker.documents} == {d.doc_id for d in engine.documents}
    assert len(worker.facts) == len(engine.facts)


@pytest.mark.integration
def test_bad_input_is_an_input_error_in_the_parent(worker):
    with pytest.raises(InputError, match="问题为空"):
        worker.ask("   ")


@pytest.mark.integration
def test_a_dead_engine_process_is_restarted(worker):
    worker._process.kill()
    worker._process.join(timeout=10)
    answer = worker.ask("2017年地区生产总值是多少？")
    assert answer.numeric.value == 111 and worker._process.is_alive()


# --- The supervisor always recovers (fast: the fake engine in real child processes) ---

import os  # noqa: E402
import signal  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

from qa.errors import CorpusError  # noqa: E402
from qa.worker import EnginePool, EngineUnavailable, public_message  # noqa: E402

TESTS = str(Path(__file__).resolve().parent)
QUESTION = "2017年地区生产总值是多少？"


@pytest.fixture
def control(tmp_path, monkeypatch):
    path = tmp_path / "flaky"
    monkeypatch.setenv("QA_FLAKY_FILE", str(path))
    return path


def _worker(settings, **options) -> EngineWorker:
    options = {"factory": "flaky_engine:FlakyEngine", "path": [TESTS], "ask_timeout": 5.0, "start_timeout": 20.0,
               "backoff": (0.3, 1.0), "load_tables": False, **options}
    return EngineWorker(settings, **options)


def test_engine_killed_while_idle_is_replaced(settings, control):
    worker = _worker(settings)
    try:
        worker.wait_ready()
        first = worker.pid
        os.kill(first, signal.SIGKILL)
        time.sleep(0.2)
        assert worker.ask(QUESTION).answer and worker.pid != first and worker.alive
    finally:
        worker.close()


def test_engine_killed_while_starting_recovers_on_the_next_question(settings, control):
    control.write_text("hang")
    worker = _worker(settings)
    try:
        time.sleep(0.5)
        os.kill(worker.pid, signal.SIGKILL)  # killed while it loads
        with pytest.raises(EngineUnavailable, match="答题引擎暂时无法启动"):
            worker.ask(QUESTION)
        control.write_text("ok")
        time.sleep(0.4)  # the back-off
        assert worker.ask(QUESTION).answer and worker.starts == 2
    finally:
        worker.close()


def test_failed_starts_back_off_then_a_fresh_engine_starts_when_the_cause_is_gone(settings, control):
    control.write_text("fail")
    worker = _worker(settings)
    try:
        with pytest.raises(CorpusError, match="no corpus"):
            worker.wait_ready()
        began = time.monotonic()
        with pytest.raises(EngineUnavailable, match="约 1 秒后自动重试") as refused:
            worker.ask(QUESTION)  # within the back-off: refused at once, no new start
        assert time.monotonic() - began < 0.2 and worker.starts == 1
        assert str(settings.corpus_dir) not in str(refused.value)  # no server path for a remote client
        time.sleep(0.35)
        with pytest.raises(EngineUnavailable):
            worker.ask(QUESTION)  # a second failed start: the wait doubles
        assert worker.starts == 2
        control.write_text("die")
        time.sleep(0.65)
        with pytest.raises(EngineUnavailable, match="进程意外退出"):
            worker.ask(QUESTION)
        control.write_text("ok")
        time.sleep(1.05)
        assert worker.ask(QUESTION).answer and worker.starts == 4
    finally:
        worker.close()


def test_a_stopped_engine_times_out_is_killed_and_replaced(settings, control):
    worker = _worker(settings, ask_timeout=1.0)
    try:
        worker.wait_ready()
        stopped = worker.pid
        os.kill(stopped, signal.SIGSTOP)
        began = time.monotonic()
        with pytest.raises(EngineUnavailable, match="超过 1 秒仍未答完，答题引擎已重启"):
            worker.ask(QUESTION)
        assert time.monotonic() - began < 2.5
        assert not Path(f"/proc/{stopped}").exists()  # killed and reaped, not left stopped
        assert worker.ask(QUESTION).answer and worker.pid != stopped
    finally:
        worker.close()


def test_engine_killed_under_load_loses_no_question(settings, control):
    pool = EnginePool(settings, workers=2, factory="flaky_engine:FlakyEngine", path=[TESTS], ask_timeout=5.0,
                      start_timeout=20.0, backoff=(0.3, 1.0))
    answers, failures = [], []

    def user():
        for _ in range(40):
            try:
                answers.append(pool.ask(QUESTION).answer)
            except Exception as exc:  # noqa: BLE001 - counted below
                failures.append(exc)

    try:
        pool.wait_ready()
        threads = [threading.Thread(target=user) for _ in range(4)]
        for thread in threads:
            thread.start()
        while len(answers) < 10:
            time.sleep(0.005)
        for pid in pool.pids():
            os.kill(pid, signal.SIGKILL)  # both engines, while questions are in flight
        killed_at = len(answers)
        for thread in threads:
            thread.join(timeout=60)
        assert killed_at < 160 and failures == [] and len(answers) == 160 and len(set(answers)) == 1
        assert all(w.alive for w in pool.workers) and sum(w.starts for w in pool.workers) == 4
    finally:
        pool.close()


def test_pool_answers_in_parallel_and_closes_its_children(settings, control):
    pool = EnginePool(settings, workers=2, factory="flaky_engine:FlakyEngine", path=[TESTS], ask_timeout=5.0)
    try:
        pool.wait_ready()
        assert len(set(pool.pids())) == 2
        began = time.monotonic()
        threads = [threading.Thread(target=pool.ask, args=("sleep " + QUESTION,)) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert time.monotonic() - began < 3.5  # two 2-s questions side by side, not one after the other
        assert pool.generation == 1 and pool.documents and pool.facts
    finally:
        pids = pool.pids()
        pool.close()
    assert not [p for p in pids if Path(f"/proc/{p}").exists()]


def test_pool_refresh_sees_a_corpus_change(settings, control):
    pool = EnginePool(settings, workers=1, factory="flaky_engine:FlakyEngine", path=[TESTS])
    try:
        assert pool.refresh() is False
        report = next(Path(settings.corpus_dir).glob("*.txt"))
        report.write_bytes(report.read_bytes() + "\n新增一段文字。\n".encode("utf-8"))
        assert pool.refresh() is True and pool.generation == 2
        assert any("新增一段文字" in d.text for d in pool.documents)
    finally:
        pool.close()


def test_public_message_hides_server_paths():
    text = "the index at /srv/data/qa/index is stale: the corpus in /home/u/corpus changed"
    assert public_message(text) == "the index at …/index is stale: the corpus in …/corpus changed"
    assert public_message("问题太长（600 字），请控制在 500 字以内") == "问题太长（600 字），请控制在 500 字以内"
    assert public_message("增长 3.5/4 和 km/h") == "增长 3.5/4 和 km/h"


def test_an_engine_child_gives_progress_bars_a_thread_lock():
    """bm25s's (hidden) tqdm bar would create a multiprocessing semaphore in the child building the index; a child
    stopped by Ctrl-C then leaks it and the resource tracker warns on the terminal. The child's bars use a thread lock."""
    import subprocess
    import sys

    code = ("import multiprocessing as mp; mp.set_start_method('spawn'); "  # as in a spawned child: named semaphores
            "from multiprocessing import resource_tracker as r; r.register = lambda *a: print('SEMAPHORE'); "
            "{fix}from tqdm import tqdm; list(tqdm(range(3), disable=True)); print('ok')")
    fix = "from qa.worker import _thread_lock_for_progress_bars as f; f(); "
    out = subprocess.run([sys.executable, "-c", code.format(fix=fix)], capture_output=True, text=True, timeout=60)
    assert out.stdout.split() == ["ok"], out.stdout + out.stderr
    unfixed = subprocess.run([sys.executable, "-c", code.format(fix="")], capture_output=True, text=True, timeout=60)
    assert "SEMAPHORE" in unfixed.stdout  # the check can fail: without the thread lock tqdm makes a semaphore
