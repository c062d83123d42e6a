"""Two reports loaded: the report selector on the page and `/ask` with `doc_id`, on a real server.

The corpus is a temporary folder holding the project's report and a copy of one development
report from ../shared/corpus-dev (skipped when that folder is absent); nothing is written to corpus/.
"""

from __future__ import annotations

import pytest

from qa import render
from qa.ingest import load_corpus
from test_ui_browser import CHROMIUM, DESKTOP, PHONE, _choose, _no_horizontal_scroll, _open
from ui_helpers import ARGS_CHROMIUM, DEV_CORPUS, running_server, two_report_corpus

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not DEV_CORPUS.is_dir(), reason="../shared/corpus-dev is not present"),
]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = two_report_corpus(tmp_path_factory.mktemp("two-reports") / "corpus")
    return folder, load_corpus(folder)


@pytest.fixture(scope="module")
def server(tmp_path_factory, corpus):
    with running_server(tmp_path_factory.mktemp("reports"), name="reports-server", corpus=corpus[0]) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium not installed at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS_CHROMIUM)
        yield chromium
        chromium.close()


@pytest.mark.browser
def test_the_selector_names_each_report_and_scopes_the_conversation(browser, server, corpus):
    _, documents = corpus
    labels = {render.doc_label(d): d for d in documents}
    for viewport, name in ((PHONE, "selector-two-reports-phone"), (DESKTOP, "selector-two-reports")):
        for p in _open(browser, server, viewport=viewport):
            page = p.page
            assert "请在上方选择" in page.locator("#qa-current").inner_text()
            page.locator("#qa-report input").click()
            options = page.locator("#qa-report [role=option]")
            options.first.wait_for()
            shown = [o.get_attribute("aria-label") for o in options.all()]
            assert set(labels) <= set(shown)
            if viewport is PHONE:
                _no_horizontal_scroll(page)
            p.shot(name)
            page.keyboard.press("Escape")

    for p in _open(browser, server):
        page = p.page
        label, chosen = sorted(labels.items())[0]
        p.ask("报告的主要内容是什么？")  # a turn before choosing: choosing a report starts afresh
        _choose(page, "#qa-report", label)
        page.wait_for_function(
            "t => document.querySelector('#qa-current').innerText.includes(t)", arg=f"《{render.doc_title(chosen)}》")
        page.wait_for_function("() => document.querySelectorAll('#qa-chat .qa-answer').length === 0")
        answer = p.ask("主要预期目标是什么？")
        assert answer.inner_text().strip()
        about = answer.locator(".qa-about-report")
        if about.count():  # an answer about a report names it: the chosen one
            assert render.doc_title(chosen) in about.inner_text()
        page.get_by_role("tab", name="事实表").click()
        page.get_by_role("tab", name="事实表").wait_for()
        p.shot("selector-chosen-report")


def test_ask_with_doc_id_answers_from_that_report_only(server, corpus):
    from gradio_client import Client
    from gradio_client.exceptions import AppError

    _, documents = corpus
    client = Client(server, verbose=False, download_files=False)
    for doc in documents:
        result = client.predict("主要预期目标是什么？", [], doc.doc_id, api_name="/ask")
        assert result["doc_id"] in (doc.doc_id, None)
        assert all(c["doc_id"] == doc.doc_id for c in result["citations"])
        assert all(h["passage"]["doc_id"] == doc.doc_id for h in result["related"])
    with pytest.raises(AppError) as info:
        client.predict("主要预期目标是什么？", [], "no-such-report", api_name="/ask")
    assert "doc_id" in str(info.value)
    unscoped = client.predict("主要预期目标是什么？", [], None, api_name="/ask")
    assert set(unscoped["choices"]) <= {d.doc_id for d in documents}


@pytest.mark.browser
def test_the_page_follows_a_corpus_that_changed_under_it(browser, server, corpus):
    """Kept last in this module: it adds a report to the server's corpus, then takes it away."""
    import shutil

    folder, documents = corpus
    added = folder / "qinghe-county-2021-government-work-report.txt"
    shutil.copy2(DEV_CORPUS / added.name, added)
    try:
        new = next(d for d in load_corpus(folder) if d.doc_id == added.stem)
        for p in _open(browser, server):  # a page opened after the change: the page load refreshes it
            page = p.page
            page.wait_for_function("n => document.querySelector('#qa-current').innerText.includes(n)",
                                   arg=f"已载入 {len(documents) + 1} 份报告")
            page.locator("#qa-report input").click()
            page.locator(f"#qa-report [role=option][aria-label='{render.doc_label(new)}']").wait_for()
            page.keyboard.press("Escape")
            page.get_by_text("关于本报告").click()
            assert render.doc_title(new) in page.locator(".qa-about").inner_text()
    finally:
        added.unlink()
