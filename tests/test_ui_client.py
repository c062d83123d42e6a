"""The `/ask` API through gradio_client against a real server on a free loopback port."""

from __future__ import annotations

import logging
import re

import pytest

from qa import webapp
from qa.errors import InputError
from qa.ingest import load_corpus
from qa.models import Answer
from qa.settings import Settings
from ui_helpers import running_server

NUMERIC_QUESTION = "2017年地区生产总值是多少？"


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from gradio_client import Client

    with running_server(tmp_path_factory.mktemp("client"), name="client-server") as url:
        yield Client(url, verbose=False, download_files=False)


@pytest.fixture(scope="module")
def documents():
    return {d.doc_id: d for d in load_corpus(Settings.from_env().corpus_dir)}


@pytest.mark.integration
def test_ask_returns_the_answer_as_json_with_verbatim_citations(client, documents):
    result = client.predict(question=NUMERIC_QUESTION, api_name="/ask")
    answer = Answer.model_validate(result)  # the dict is a whole Answer, nothing lost on the way
    assert answer.question == NUMERIC_QUESTION and not answer.abstained and answer.citations
    for citation in answer.citations:
        doc = documents[citation.doc_id]
        assert doc.text[citation.start:citation.end] == citation.quote  # quoted verbatim, where it says
        if citation.highlight:
            start, end = citation.highlight
            assert 0 <= start < end <= len(citation.quote)
    assert answer.numeric is not None
    assert answer.numeric.verdict in {"consistent", "conflict", "not_in_table"}


@pytest.mark.integration
def test_ask_is_the_only_public_endpoint(client):
    assert list(client.view_api(print_info=False, return_format="dict")["named_endpoints"]) == ["/ask"]


def test_example_questions_come_from_the_loaded_corpus(documents):
    from fake_engine import FakeEngine

    engine = FakeEngine()
    examples = webapp.example_questions(engine.facts, engine.documents)
    assert 2 <= len(examples) <= webapp.N_EXAMPLES and len(set(examples)) == len(examples)
    assert all(q.endswith("？") and len(q) > 5 for q in examples)
    assert any(str(f.period) in examples[0] and f.indicator in examples[0] for f in engine.facts)


@pytest.mark.integration
def test_ask_takes_earlier_questions_for_a_follow_up(client):
    result = client.predict("那2018年的目标呢？", [NUMERIC_QUESTION], api_name="/ask")
    assert result["question"] == "那2018年的目标呢？"
    assert not result["abstained"] and "地区生产总值" in result["interpreted_as"]
    assert (result["numeric"]["value"], result["numeric"]["unit"], result["numeric"]["period"]) == (7.5, "%", 2018)
    assert "目标" in result["answer"] and "左右" in result["answer"]


@pytest.mark.integration
def test_a_follow_up_asking_the_growth_gives_the_rate(client):
    result = client.predict("增长了多少？", [NUMERIC_QUESTION], api_name="/ask")
    assert not result["abstained"]
    assert (result["numeric"]["value"], result["numeric"]["unit"], result["numeric"]["period"]) == (7.5, "%", 2017)


@pytest.mark.integration
def test_ask_takes_earlier_turns_as_understood_objects(client):
    first = client.predict(NUMERIC_QUESTION, [], api_name="/ask")
    earlier = {"question": first["question"], "understood": first["interpreted_as"] or first["question"]}
    result = client.predict("增长了多少？", [earlier], api_name="/ask")
    assert "地区生产总值" in (result["interpreted_as"] or "")  # the earlier turn's topic, as understood
    assert result["question"] == "增长了多少？"


@pytest.mark.integration
def test_ask_with_doc_id_is_about_that_report(client, documents):
    doc_id = next(iter(documents))
    result = client.predict(NUMERIC_QUESTION, [], doc_id, api_name="/ask")
    assert result["doc_id"] in (doc_id, None)
    assert result["citations"] and all(c["doc_id"] == doc_id for c in result["citations"])


@pytest.mark.integration
def test_the_page_declares_chinese_to_any_client(client):
    import urllib.request

    with urllib.request.urlopen(client.src, timeout=10) as resp:  # what curl sees
        page = resp.read().decode("utf-8")
    assert re.search(r'<html[^>]*\blang="zh-CN"', page) and 'lang="en"' not in page


def test_earlier_turns_given_as_understood_are_passed_as_understood_not_asked_again():
    from fake_engine import FakeEngine

    fake = FakeEngine()

    class Recording:
        documents = fake.documents
        calls: list = []

        def ask(self, question, history=(), doc_id=None):
            self.calls.append((question, [(t.question, t.answer.interpreted_as if t.answer else None) for t in history]))
            return fake.ask(question, history)

    webapp.api_ask(Recording(), "增长了多少？", [{"question": "那个呢？", "understood": "2017年地区生产总值是多少？"}])
    assert Recording.calls == [("增长了多少？", [("那个呢？", "2017年地区生产总值是多少？")])]


def test_chinese_page_rewrites_only_the_page_itself():
    import asyncio

    from qa.webpage import ChinesePage, chinese_page

    page = '<!doctype html>\n<html\n\tlang="en"\n\tstyle="margin: 0">\n\t<head>\n<meta charset="utf-8" /></head></html>'
    out = chinese_page(page)
    assert '\tlang="zh-CN"' in out and 'lang="en"' not in out and out.index("<script>") < out.index("<meta")
    assert chinese_page("<html><head></head></html>").startswith('<html lang="zh-CN">')

    async def app(scope, receive, send):
        body = page.encode() if scope["path"] == "/" else b'{"lang": "en"}'
        kind = b"text/html; charset=utf-8" if scope["path"] == "/" else b"application/json"
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", kind), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})

    def get(path):
        sent = []

        async def send(message):
            sent.append(message)

        async def receive():
            return {"type": "http.request", "body": b""}

        asyncio.run(ChinesePage(app)({"type": "http", "method": "GET", "path": path, "root_path": ""}, receive, send))
        body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
        length = int(dict(sent[0]["headers"])[b"content-length"])
        assert length == len(body)
        return body.decode()

    assert 'lang="zh-CN"' in get("/")
    assert get("/config") == '{"lang": "en"}'  # anything else passes through untouched


@pytest.mark.integration
def test_api_returns_markup_as_data_untouched(client):
    question = '<img src=x onerror="alert(1)">是什么？'
    assert client.predict(question, api_name="/ask")["question"] == question


@pytest.mark.integration
@pytest.mark.parametrize("question", ["", "   ", "长" * 5000], ids=["empty", "blank", "over-long"])
def test_bad_input_is_refused_with_a_message_not_a_traceback(client, question):
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError) as info:
        client.predict(question, api_name="/ask")
    message = str(info.value)
    assert message.strip() and "Traceback" not in message and "File \"" not in message


class _Raising:
    documents: list = []
    facts: list = []
    status = "test"

    def __init__(self, exc):
        self.exc = exc

    def ask(self, question, history=()):
        raise self.exc


def test_unexpected_error_becomes_a_generic_message_and_is_logged(caplog):
    with caplog.at_level(logging.ERROR, logger="qa.webapp"):
        answer, out = webapp.answer_or_message(_Raising(RuntimeError("secret detail /path/x.py")), "问题", [])
    assert answer is None and webapp.INTERNAL_ERROR in out
    assert "secret detail" not in out and "Traceback" not in out
    assert "secret detail" in caplog.text  # the log keeps what the page does not show


def test_expected_error_shows_its_own_message():
    answer, out = webapp.answer_or_message(_Raising(InputError("问题太长（600 字）")), "问题", [])
    assert answer is None and "问题太长（600 字）" in out and "qa-notice" in out
