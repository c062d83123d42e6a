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
