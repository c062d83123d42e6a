"""Bad input through the real engine and through a real server: a clear answer or a clear message.

Each input either gets an Answer (with an answer text, and citations quoted verbatim from the
report) or an InputError whose text says what is wrong; never another exception. The web path
turns the same inputs into escaped HTML, and a served app keeps answering afterwards.
"""

from __future__ import annotations

import time
import unicodedata

import httpx
import pytest

from qa import webapp
from qa.errors import InputError
from qa.models import Answer
from ui_helpers import running_server

NORMAL_QUESTION = "2017年地区生产总值是多少？"

# (id, question, must_refuse): must_refuse=True when there is nothing a reader could answer.
BAD_INPUTS = [
    pytest.param("", True, id="empty"),
    pytest.param(" \t\n\u3000\u00a0 ", True, id="whitespace-only"),
    pytest.param("地区生产总值" * 174_763, True, id="1MB"),  # 1,048,578 characters
    pytest.param("去年\x00地区生产总值\x07是多少\x1b[31m？", False, id="control-and-nul"),
    pytest.param("\x00\x01\x02\x7f", True, id="only-control"),
    pytest.param("🤔🚀 去年GDP是多少？😀👍🏽", False, id="emoji"),
    pytest.param("😀😀😀", True, id="emoji-only"),
    pytest.param("2018年GDP growth目标是多少? Привет مرحبا こんにちは 경제", False, id="mixed-scripts"),
    pytest.param("？？？！！。。,,,...---***", True, id="punctuation-only"),
    pytest.param("'; DROP TABLE facts; --", False, id="sql-drop"),
    pytest.param("1' OR '1'='1", False, id="sql-or"),
    pytest.param('<script>alert("x")</script><img src=x onerror=alert(1)>', False, id="html-script"),
    pytest.param("{{7*7}} ${7*7} %s%s%n", False, id="template-format"),
    pytest.param("111", False, id="bare-number"),
    pytest.param("7.5%", False, id="bare-percent"),
    pytest.param("\u202e?少多是值总产生区地\u202c", False, id="bidi-override"),
    pytest.param("ｇｄｐ是多少？", False, id="fullwidth-latin"),
]


@pytest.fixture(scope="module")
def engine(real_settings):
    from qa.engine import Engine

    return Engine.load(real_settings)


@pytest.fixture(scope="module")
def documents(engine):
    return {d.doc_id: d for d in engine.documents}


def _without_controls(text: str) -> str:
    """The question as the question layer may echo it: control and format characters (NUL, ESC,
    bidi overrides) dropped."""
    return "".join(c for c in text if unicodedata.category(c) not in ("Cc", "Cf"))


def _check_answer(answer: Answer, question: str, documents) -> None:
    assert isinstance(answer, Answer)
    assert answer.question in (question, _without_controls(question))
    assert answer.answer.strip(), "an answer must say something, even when it abstains"
    if answer.abstained:
        assert answer.abstain_reason or answer.answer
    for citation in answer.citations:  # whatever came in, quotes stay verbatim and in place
        assert documents[citation.doc_id].text[citation.start:citation.end] == citation.quote


@pytest.mark.integration
@pytest.mark.parametrize("question, must_refuse", BAD_INPUTS)
def test_engine_answers_or_says_what_is_wrong(engine, documents, question, must_refuse):
    start = time.perf_counter()
    try:
        answer = engine.ask(question)
    except InputError as exc:
        message = str(exc)
        assert message.strip() and len(message) < 200, message
        assert "Traceback" not in message
    else:
        assert not must_refuse, f"{question[:40]!r} should be refused, got {answer.answer!r}"
        _check_answer(answer, question, documents)
    # a refused 1 MB question is refused at once, not after the pipeline has run on it
    assert time.perf_counter() - start < 2.0


@pytest.mark.integration
@pytest.mark.parametrize("question, must_refuse", BAD_INPUTS)
def test_web_path_gives_escaped_html_never_a_traceback(engine, question, must_refuse):
    answer, html = webapp.answer_or_message(engine, question, [])
    assert html.strip() and "Traceback" not in html and webapp.INTERNAL_ERROR not in html
    if must_refuse:
        assert answer is None and "qa-notice" in html  # a refusal is a notice, not an Answer
    assert "<script" not in html.lower() and "<img" not in html.lower()


@pytest.mark.integration
def test_follow_up_on_a_bad_first_turn_still_answers(engine):
    first = engine.ask("'; DROP TABLE facts; --")
    from qa.models import Turn

    answer = engine.ask("增长了多少？", [Turn(question=first.question, answer=first)])
    assert answer.answer.strip()


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from gradio_client import Client

    with running_server(tmp_path_factory.mktemp("robust"), name="robustness-server") as url:
        yield Client(url, verbose=False, download_files=False)


@pytest.mark.integration
def test_server_answers_or_refuses_each_bad_input_and_keeps_serving(client):
    from gradio_client.exceptions import AppError

    outcomes = {}
    for param in BAD_INPUTS:
        question, must_refuse = param.values
        try:
            result = client.predict(question, [], api_name="/ask")
        except AppError as exc:
            message = str(exc)
            assert message.strip() and "Traceback" not in message and 'File "' not in message, param.id
            assert webapp.INTERNAL_ERROR not in message, f"{param.id}: internal error on the server"
            outcomes[param.id] = "refused"
        except httpx.HTTPStatusError as exc:  # a body past the server's limit is refused before it is read
            assert exc.response.status_code == 413 and len(question) > webapp.MAX_REQUEST_CHARS, param.id
            outcomes[param.id] = "refused"
        else:
            answer = Answer.model_validate(result)
            assert not must_refuse, f"{param.id} should be refused"
            assert answer.question in (question, _without_controls(question)) and answer.answer.strip(), param.id
            outcomes[param.id] = "answered"
        # the server is still there after every input
        assert client.predict(NORMAL_QUESTION, [], api_name="/ask")["citations"], f"after {param.id}"
    assert outcomes["empty"] == outcomes["1MB"] == "refused"
    assert outcomes["bare-number"] == "answered"


@pytest.mark.integration
def test_server_answers_with_bad_history(client):
    """Earlier questions are user input too: bad ones get an answer or a clear refusal, not a crash."""
    from gradio_client.exceptions import AppError

    try:
        result = client.predict("增长了多少？", ["", "\x00", "<b>x</b>", NORMAL_QUESTION], api_name="/ask")
    except AppError as exc:
        assert str(exc).strip() and webapp.INTERNAL_ERROR not in str(exc)
    else:
        assert result["answer"].strip()
    assert client.predict(NORMAL_QUESTION, [], api_name="/ask")["citations"]
