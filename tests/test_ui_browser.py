"""The web chat in a real browser: Playwright driving Debian's headless Chromium, at desktop
(1280×1100) and phone (390×844) sizes.

One server for the module; each test opens a fresh page. Every page records any
request that leaves the loopback interface (the app must render offline), any
dialog, and sets nothing itself: `window.__pwned` may only be set by injected markup.
Screenshots go to test-artefacts/ (git-ignored). The two-report selector is in
tests/test_ui_reports.py (its own server).
"""

from __future__ import annotations

import csv
import io
import re
import time
import urllib.request
from pathlib import Path

import pytest

from qa import render, webpage
from qa.ingest import load_corpus
from qa.settings import Settings
from ui_helpers import ARGS_CHROMIUM, ARTEFACTS, running_server

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ARGS_CHROMIUM
TIMEOUT_MS = 15_000
DESKTOP = {"width": 1280, "height": 1100}
PHONE = {"width": 390, "height": 844}
MAX_SECONDS = 3.0  # click to answer on the page; the aim is well under one second, CI boxes are slow

pytestmark = [
    pytest.mark.integration,
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium not installed at /usr/bin/chromium"),
]

NUMERIC_QUESTION = "2017年地区生产总值是多少？"
FOLLOW_UP = "比上年增长多少？"
LIST_QUESTION = "主要预期目标有哪些？"
UNANSWERABLE = "报告里提到的火星探测基地建成了几个？"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with running_server(tmp_path_factory.mktemp("browser"), name="browser-server") as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield chromium
        chromium.close()


class Page:
    """A fresh page on the app, with what it asked of the network and the dialogs it raised."""

    def __init__(self, browser, url, viewport=DESKTOP, locale="zh-CN"):
        phone = viewport["width"] < 600
        self.page = browser.new_page(viewport=viewport, locale=locale, is_mobile=phone, has_touch=phone)
        self.external: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("request", self._request)
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.set_default_timeout(TIMEOUT_MS)
        self.page.goto(url)
        self.page.wait_for_selector("#qa-question textarea")

    def _request(self, request):
        if not re.match(r"^(https?|wss?)://(127\.0\.0\.1|localhost)[:/]", request.url) and not request.url.startswith(
            ("data:", "blob:", "about:")
        ):
            self.external.append(request.url)

    def answers(self):
        return self.page.locator("#qa-chat .qa-answer")

    def ask(self, question: str):
        before = self.answers().count()
        self.page.fill("#qa-question textarea", question)
        started = time.monotonic()
        self.page.click("#qa-send")
        self.wait_for_answers(before + 1)
        self.last_seconds = time.monotonic() - started
        return self.answers().nth(before)

    def wait_for_answers(self, n: int):
        self.page.wait_for_function(
            "n => document.querySelectorAll('#qa-chat .qa-answer').length >= n", arg=n, timeout=TIMEOUT_MS
        )

    def shot(self, name: str, selector: str | None = None):
        ARTEFACTS.mkdir(exist_ok=True)
        questions = self.page.locator("#qa-chat .qa-question")
        self.page.wait_for_timeout(300)  # let the chat's own autoscroll finish first
        if questions.count():  # show the latest exchange from its question down
            questions.last.evaluate("e => e.scrollIntoView({block: 'start'})")
        target = self.page.locator(selector) if selector else self.page
        target.screenshot(path=str(ARTEFACTS / f"{name}.png"))


def _open(browser, server, **options):
    p = Page(browser, server, **options)
    yield p
    assert p.external == [], f"the page fetched from the network: {p.external}"
    assert p.page.evaluate("document.documentElement.lang") == "zh-CN"
    p.page.close()


@pytest.fixture
def page(browser, server):
    yield from _open(browser, server)


@pytest.fixture
def phone(browser, server):
    yield from _open(browser, server, viewport=PHONE)


@pytest.fixture(scope="module")
def corpus():
    settings = Settings.from_env()
    from qa.facts.table import load_facts

    return load_corpus(settings.corpus_dir), load_facts(settings.corpus_dir)


def _visible_english(page, skip: str = "#qa-examples, #qa-current, .qa-answer, .qa-question") -> list[str]:
    """Latin words a reader sees on the page, outside report-derived text (examples, answers)."""
    text = page.evaluate("""skip => {
        const out = [];
        const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        while (walk.nextNode()) {
            const node = walk.currentNode, el = node.parentElement;
            if (!el || el.closest('script, style, ' + skip)) continue;
            const box = el.getBoundingClientRect(), css = getComputedStyle(el);
            if (css.display === 'none' || css.visibility === 'hidden' || box.width < 2 || box.height < 2) continue;
            out.push(node.textContent);
        }
        return out.join(' ');
    }""", skip)
    return re.findall(r"[A-Za-z]{2,}", text)


def _not_covered(page, selector: str) -> None:
    """The element's first characters are what a click there reaches: no label lies on top of them."""
    hit = page.evaluate("""sel => {
        const el = [...document.querySelectorAll(sel)].pop();
        el.scrollIntoView({block: 'center'});
        const range = document.createRange(); range.selectNodeContents(el);
        const box = range.getClientRects()[0];
        const top = document.elementFromPoint(box.left + 3, box.top + box.height / 2);
        return top !== null && el.contains(top);
    }""", selector)
    assert hit, f"something covers the start of {selector}"


def _no_horizontal_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"] + 1, f"the page is {width}px wide on a {page.viewport_size} screen"


def test_landing_page_is_chinese_names_the_report_and_keeps_the_status_aside(browser, server, corpus):
    with urllib.request.urlopen(server, timeout=10) as resp:  # what curl sees
        assert re.search(r'<html[^>]*lang="zh-CN"', resp.read().decode("utf-8"))
    documents, facts = corpus
    for viewport, name in ((DESKTOP, "landing-desktop"), (PHONE, "landing-phone")):
        for p in _open(browser, server, viewport=viewport, locale="en-US"):  # an English browser, too
            page = p.page
            page.wait_for_timeout(500)
            assert _visible_english(page) == []
            current = page.locator("#qa-current").inner_text()
            assert f"《{render.doc_title(documents[0])}》" in current
            assert page.locator("#qa-report").count() == 0 or not page.locator("#qa-report").is_visible()
            assert "索引" not in page.locator("body").inner_text()  # the index status waits in 关于本报告
            assert page.get_by_role("button", name="提问").is_visible()
            if viewport is PHONE:
                _no_horizontal_scroll(page)
            p.shot(name)
            page.get_by_text("关于本报告").click()
            about = page.locator(".qa-about")
            about.wait_for()
            text = about.inner_text()
            assert f"{len(documents[0].passages)} 段" in text and f"{len(facts)} 行" in text and "索引" in text


def test_numeric_answer_then_a_follow_up_shows_how_it_was_understood(page):
    answer = page.ask(NUMERIC_QUESTION)
    print(f"numeric answer on the page after {page.last_seconds:.2f} s")
    assert page.last_seconds < MAX_SECONDS
    mark = answer.locator(".qa-citation mark").first
    assert re.search(r"\d", mark.inner_text())  # the highlighted phrase holds the number
    assert answer.locator(".qa-citation .qa-heading").first.inner_text().startswith("[1]")
    badge = answer.locator(".qa-badge")
    assert badge.inner_text().strip() in {*render.VERDICT_LABELS.values(), render.UNKNOWN_VERDICT}
    value = answer.locator(".qa-numeric-value").inner_text()
    assert not re.search(r"(左右|以上|预计|力争) \d", value) and not re.search(r"\d %", value)  # worded, not stacked
    _not_covered(page.page, "#qa-chat .qa-question")

    follow = page.ask(FOLLOW_UP)
    understood = follow.locator(".qa-interpreted")
    assert understood.inner_text().startswith("理解为：")
    assert "地区生产总值" in understood.inner_text()  # the earlier turn's topic, as understood
    assert page.page.locator("#qa-chat .qa-question").nth(1).inner_text() == FOLLOW_UP
    page.shot("follow-up", "#qa-chat")


def test_follow_up_on_a_phone_is_readable(phone):
    phone.ask(NUMERIC_QUESTION)
    follow = phone.ask(FOLLOW_UP)
    assert follow.locator(".qa-interpreted").is_visible()
    _not_covered(phone.page, "#qa-chat .qa-question")
    _no_horizontal_scroll(phone.page)
    phone.shot("follow-up-phone")


def test_a_list_answer_is_a_bullet_list_with_citations_numbered_in_order(page):
    examples = page.page.locator("#qa-examples button")
    examples.first.wait_for()  # rendered after the question box (a loaded machine: not yet when counted at once)
    assert examples.count() >= 2
    listing = [i for i in range(examples.count()) if "哪些" in examples.nth(i).inner_text()]
    assert listing, "no list question among the examples"
    answer = None
    for n, i in enumerate(listing):  # the first list example the engine answers
        text = examples.nth(i).inner_text().strip()
        examples.nth(i).click()
        page.wait_for_answers(n + 1)
        assert page.page.locator("#qa-chat .qa-question").nth(n).inner_text() == text
        if "qa-abstained" not in (page.answers().nth(n).get_attribute("class") or ""):
            answer = page.answers().nth(n)
            break
    if answer is None:
        pytest.fail(f"the engine answered none of the list examples {[examples.nth(i).inner_text() for i in listing]}")
    numbers = [int(re.match(r"\[(\d+)\]", h).group(1)) for h in answer.locator(".qa-citation .qa-heading").all_inner_texts()]
    assert numbers == list(range(1, len(numbers) + 1)) and numbers
    refs = [int(r.strip("[]")) for r in answer.locator(".qa-text .qa-ref").all_inner_texts()]
    assert refs and set(refs) <= set(numbers)
    items = answer.locator(".qa-item")
    if items.count():  # a list: one bullet each, markers in reading order
        assert refs == sorted(refs)
        assert all(t.strip() and not re.match(r"^\d+[.、．]", t) for t in items.all_inner_texts())  # no "1." left
    page.shot("list-example", "#qa-chat")

    targets = page.ask(LIST_QUESTION)  # the genre's own list: every work report states its targets
    assert "qa-abstained" not in (targets.get_attribute("class") or "")
    items = targets.locator(".qa-item")
    assert items.count() >= 2
    assert all(t.strip() and not re.match(r"^\d+[.、．]", t) for t in items.all_inner_texts())
    refs = [int(r.strip("[]")) for r in targets.locator(".qa-text .qa-ref").all_inner_texts()]
    assert refs == sorted(refs)
    page.shot("list-answer", "#qa-chat")


def test_empty_and_over_long_questions_get_a_visible_message(page):
    page.page.click("#qa-send")
    page.wait_for_answers(1)
    assert page.answers().first.inner_text().strip() == webpage.EMPTY_QUESTION
    answer = page.ask("长" * 3000)
    assert "qa-notice" in (answer.get_attribute("class") or "")
    assert re.search(r"\d+ 字", answer.inner_text())  # says how long it was and the limit
    body = page.page.content()
    assert "Traceback" not in body and "File &quot;" not in body


def test_copy_button_copies_the_answer_with_its_source(page, corpus):
    documents, _ = corpus
    answer = page.ask(NUMERIC_QUESTION)
    answer.locator("button.qa-copy").click()
    page.page.wait_for_function("() => typeof window.__qaCopied === 'string'")
    copied = page.page.evaluate("window.__qaCopied")
    first_part = answer.locator(".qa-citation .qa-heading").first.inner_text().split("]", 1)[1].split(render.HEADING_SEP)[0]
    assert copied.endswith(f"（来源：《{render.doc_title(documents[0])}》，{first_part.strip()}）")
    assert "[1]" not in copied and len(copied) > 20
    assert answer.locator("button.qa-copy").inner_text() in {"已复制", "复制答案（含出处）"}


def test_unanswerable_question_is_shown_as_an_abstention(page):
    answer = page.ask(UNANSWERABLE)
    page.shot("abstention", "#qa-chat")
    assert "qa-abstained" in (answer.get_attribute("class") or "")
    assert answer.locator(".qa-badge").count() == 0


def test_html_injection_is_shown_as_text_and_runs_nothing(page):
    payloads = ['<img src=x onerror="window.__pwned=1;alert(1)">', "<script>window.__pwned=2;alert(2)</script>"]
    for payload in payloads:
        page.ask(payload + " 是多少？")
    page.page.wait_for_timeout(500)  # give a handler the chance it must not get
    shown = page.page.locator("#qa-chat .qa-question").all_inner_texts()
    assert [s.strip() for s in shown] == [p + " 是多少？" for p in payloads]
    assert page.page.evaluate("typeof window.__pwned") == "undefined"
    assert page.dialogs == []
    assert page.page.locator("#qa-chat img[src='x']").count() == 0
    page.shot("injection", "#qa-chat")


def _choose(page, selector: str, label: str) -> None:
    """Pick an option of a Gradio dropdown by its label."""
    page.locator(f"{selector} input").click()
    page.locator(f"{selector} [role=option][aria-label='{label}']").click()


def _rows(page):
    return page.locator("#qa-fact-table .qa-fact")


def test_fact_table_on_a_phone_filters_shows_sources_and_downloads(phone, corpus):
    page = phone.page
    _, facts = corpus
    page.get_by_role("tab", name="事实表").click()
    rows = _rows(page)
    rows.first.wait_for()
    assert rows.count() == min(len(facts), 300)
    _no_horizontal_scroll(page)
    for part in (".qa-f-ind", ".qa-f-value"):  # no one-character columns
        width = rows.first.locator(part).evaluate("e => e.getBoundingClientRect().width")
        assert width > 100, f"{part} is {width}px wide on a phone"
    sentence = rows.first.locator(".qa-f-sentence")
    assert not sentence.is_visible()  # on demand
    rows.first.locator("summary").click()
    assert sentence.is_visible() and sentence.inner_text().strip("“”") == facts[0].source

    period = rows.first.locator(".qa-f-period").inner_text().strip()
    _choose(page, "#qa-fact-period", period)
    page.wait_for_function(
        "p => { const r = [...document.querySelectorAll('#qa-fact-table .qa-f-period')];"
        " return r.length > 0 && r.every(e => e.innerText.trim() === p); }", arg=period)
    kind = rows.first.locator(".qa-f-kind").inner_text().strip()
    _choose(page, "#qa-fact-kind", kind)
    page.wait_for_function(
        "k => { const r = [...document.querySelectorAll('#qa-fact-table .qa-f-kind')];"
        " return r.length > 0 && r.every(e => e.innerText.trim() === k); }", arg=kind)
    word = rows.first.locator(".qa-f-name").inner_text().strip()
    page.fill("#qa-fact-text input, #qa-fact-text textarea", word)
    page.wait_for_function(
        "w => { const r = [...document.querySelectorAll('#qa-fact-table .qa-fact')];"
        " return r.length > 0 && r.every(tr => tr.innerText.includes(w)); }", arg=word)
    shown = rows.count()
    expected = [f for f in facts if f"{f.period}年" == period and render.KIND_LABELS[f.kind] == kind]
    expected = render.filter_facts(expected, text=word)
    assert shown == len(expected)
    phone.shot("fact-table-phone")

    page.wait_for_timeout(500)  # the download button takes the filtered file with the table
    with page.expect_download() as info:
        page.locator("#qa-fact-download").click()
    data = Path(info.value.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    table = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert [r["指标"] for r in table] == [f.indicator for f in expected]
    assert [r["原句"] for r in table] == [f.source for f in expected]


def test_fact_table_on_a_desktop_is_compact(page, corpus):
    page.page.get_by_role("tab", name="事实表").click()
    rows = _rows(page.page)
    rows.first.wait_for()
    height = page.page.locator("#qa-fact-table").evaluate("e => e.getBoundingClientRect().height")
    assert height / rows.count() < 45, f"{height / rows.count():.0f}px a row"
    page.shot("fact-table-desktop")


def test_growth_chart_sets_results_beside_targets(page, corpus):
    documents, facts = corpus
    pairs = render.growth_pairs(documents[0], facts)
    page.page.get_by_role("tab", name="增长率").click()
    table = page.page.locator("#qa-growth-table")
    table.wait_for()
    if not pairs:
        assert "没有" in table.inner_text()
        return
    chart = page.page.locator("#qa-growth-chart")
    chart.locator("canvas, svg").first.wait_for()
    assert chart.is_visible()
    body = table.locator("tbody tr")
    assert body.count() == len(pairs)
    for i, (result, target) in enumerate(pairs):
        cells = body.nth(i).locator("td").all_inner_texts()
        assert cells[0] == result.indicator and target.unit in cells[2]
    page.shot("growth-chart")


def test_report_tab_shows_the_passages_of_a_chosen_section(page):
    page.page.get_by_role("tab", name="报告").click()
    page.page.locator("#qa-section input").click()
    option = page.page.locator("#qa-section [role=option]").nth(1)
    title = (option.get_attribute("aria-label") or "").strip()
    option.click()
    passage = page.page.locator("#qa-section-passages .qa-report-passage").first
    passage.wait_for()
    assert title in passage.locator(".qa-heading").inner_text()
    page.shot("report")
