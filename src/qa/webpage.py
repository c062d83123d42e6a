"""The page around the chat: Chinese from the first byte, the copy button, the fact-table files.

Gradio's page template declares `lang="en"`, and its own words (buttons, loading, errors) follow the
browser's language. This app is Chinese: `ChinesePage` rewrites the served page to `lang="zh-CN"`
and pins the page's language to zh-CN before Gradio's scripts start, so its own words are Chinese in
any browser (and Gradio keeps `lang="zh-CN"` when it sets the attribute itself). Everything else
passes through untouched: the middleware only reads the HTML of the page itself.

`COPY_JS` makes the "复制答案（含出处）" buttons that `qa.render` puts under each answer work: the
chat strips inline handlers, so one listener on the document does it.

`FactFiles` writes the filtered fact table as CSV with a UTF-8 byte-order mark (so a spreadsheet
opens the Chinese correctly), one file per distinct content.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import weakref
from pathlib import Path

LANG = "zh-CN"

# Runs first in <head>, before Gradio's module script reads the browser's language.
PIN_LANGUAGE = (
    "<script>(function(){try{var l='" + LANG + "';"
    "Object.defineProperty(Navigator.prototype,'language',{get:function(){return l},configurable:true});"
    "Object.defineProperty(Navigator.prototype,'languages',{get:function(){return [l,'zh']},configurable:true});"
    "}catch(e){}})();</script>"
)

COPY_JS = """
() => {
  if (window.__qaCopy) return;
  window.__qaCopy = true;
  const fallback = (text) => {
    const area = document.createElement('textarea');
    area.value = text; area.setAttribute('readonly', ''); area.style.position = 'fixed'; area.style.opacity = '0';
    document.body.appendChild(area); area.select();
    try { document.execCommand('copy'); } finally { area.remove(); }
  };
  document.addEventListener('click', async (event) => {
    const button = event.target.closest && event.target.closest('button.qa-copy');
    if (!button) return;
    event.preventDefault();
    const source = button.parentElement && button.parentElement.querySelector('.qa-copy-text');
    const text = source ? source.textContent : '';
    try { await navigator.clipboard.writeText(text); } catch (e) { fallback(text); }
    window.__qaCopied = text;
    const label = button.textContent;
    button.textContent = '已复制';
    setTimeout(() => { button.textContent = label; }, 1500);
  });
}
"""


class ChinesePage:
    """ASGI middleware: the app's page (`GET /`) says `lang="zh-CN"` and pins the language for Gradio."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope.get("method") != "GET" or not _is_page(scope):
            return await self.app(scope, receive, send)
        start: dict = {}
        body: list[bytes] = []

        async def capture(message):
            if message["type"] == "http.response.start":
                start.update(message)
                return
            if message["type"] == "http.response.body":
                body.append(message.get("body", b""))
                if message.get("more_body"):
                    return
                await _send_page(send, start, b"".join(body))
                return
            await send(message)

        await self.app(scope, receive, capture)


def _is_page(scope) -> bool:
    path = scope.get("path", "")
    root = scope.get("root_path", "").rstrip("/")
    if root and path.startswith(root):
        path = path[len(root):]
    return path in ("", "/")


async def _send_page(send, start: dict, body: bytes) -> None:
    headers = [(k, v) for k, v in start.get("headers", [])]
    kind = next((v for k, v in headers if k.lower() == b"content-type"), b"")
    encoded = next((v for k, v in headers if k.lower() == b"content-encoding"), None)
    if b"text/html" in kind and encoded is None:
        body = chinese_page(body.decode("utf-8")).encode("utf-8")
        headers = [(k, str(len(body)).encode() if k.lower() == b"content-length" else v) for k, v in headers]
    await send({**start, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def chinese_page(page: str) -> str:
    """The served HTML with `lang="zh-CN"` and the language pinned before any other script."""
    at = page.find("<html")
    if at >= 0:
        end = page.find(">", at)
        tag = page[at:end]
        if 'lang="' in tag:
            i = tag.index('lang="') + len('lang="')
            tag = tag[:i] + LANG + tag[tag.index('"', i):]
        else:
            tag = tag.replace("<html", f'<html lang="{LANG}"', 1)
        page = page[:at] + tag + page[end:]
    head = page.find("<head>")
    if head >= 0:
        page = page[: head + 6] + PIN_LANGUAGE + page[head + 6:]
    return page


class FactFiles:
    """CSV files of the fact table, one per distinct content, under one folder of this process."""

    NAME = "事实表.csv"
    KEEP = 64  # files kept; older ones are removed (each is a few tens of kilobytes)

    PREFIX = "qa-facts-"

    def __init__(self, folder: Path | None = None):
        if folder is None:  # a folder of its own, removed when this object goes or the process ends; one a process
            _sweep(Path(tempfile.gettempdir()), self.PREFIX)  # killed before it could (SIGTERM, SIGKILL) left is
            folder = tempfile.mkdtemp(prefix=f"{self.PREFIX}{os.getpid()}-")  # removed by the next one
            weakref.finalize(self, shutil.rmtree, folder, True)
        self.folder = Path(folder)

    def write(self, csv_text: str) -> str:
        data = csv_text.encode("utf-8-sig")
        digest = hashlib.sha256(data).hexdigest()[:16]
        target = self.folder / digest / self.NAME
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_suffix(".part")
            partial.write_bytes(data)
            os.replace(partial, target)
            self._prune()
        return str(target)

    def _prune(self) -> None:
        folders = sorted((p for p in self.folder.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime)
        for old in folders[: max(0, len(folders) - self.KEEP)]:
            for f in old.iterdir():
                f.unlink(missing_ok=True)
            old.rmdir()


def _sweep(temp: Path, prefix: str) -> None:
    """Remove the fact-table folders (`prefix` + pid + "-…") of processes that no longer run."""
    for folder in temp.glob(f"{prefix}*-*"):
        pid = folder.name[len(prefix):].split("-", 1)[0]
        if pid.isdigit() and not _running(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


# ---------------------------------------------------------------- the page

SERIES_COLOURS = ("#4c78a8", "#f58518")  # named in the chart's label: 蓝 results, 橙 targets
EMPTY_QUESTION = "请先输入问题，再点“提问”。"
ALL_REPORTS = "全部报告（按问题中的地区选择）"

CSS = """
footer { display: none !important; }
#qa-title h2 { margin: 0; }
.qa-current { color: #374151; font-size: .95em; margin-top: .2em; }
.qa-answer { line-height: 1.6; }
.qa-question { white-space: pre-wrap; word-break: break-word; }
.qa-interpreted { font-size: .85em; color: #1e40af; background: #eff6ff; border-radius: 4px; padding: .15em .5em;
  margin-bottom: .35em; display: inline-block; }
.qa-about-report { font-size: .8em; color: #6b7280; }
.qa-lead { margin-bottom: .1em; }
.qa-items { margin: .1em 0 .3em 1.2em; padding: 0; list-style: disc; }
.qa-item { margin: .15em 0; }
.qa-section-label { margin-top: .6em; font-size: .85em; color: #6b7280; font-weight: 600; }
.qa-citations, .qa-related-list { margin: .2em 0 0 0; padding-left: 0; list-style: none; }
.qa-citation, .qa-related { margin: .35em 0; }
.qa-heading { font-size: .8em; color: #6b7280; }
.qa-quote { margin: .15em 0; padding: .3em .6em; border-left: 3px solid #93c5fd; background: #f8fafc; color: #111827; }
.qa-quote mark { background: #fde68a; color: #111827; padding: 0 .1em; border-radius: 2px; }
.qa-printed { font-family: ui-monospace, monospace; white-space: pre-wrap; word-break: break-word; }
.qa-reading { font-size: .85em; color: #6b7280; margin-top: .2em; }
.qa-ref a { text-decoration: none; font-size: .8em; }
.qa-numeric { margin: .5em 0; }
.qa-badge { display: inline-block; padding: .1em .55em; border-radius: 999px; font-size: .85em; font-weight: 600; }
.qa-badge-consistent { background: #dcfce7; color: #166534; }
.qa-badge-conflict { background: #fef3c7; color: #92400e; }
.qa-badge-not_in_table, .qa-badge-unknown { background: #e5e7eb; color: #374151; }
.qa-badge-detail { display: block; font-size: .85em; color: #92400e; }
.qa-copy-row { margin-top: .4em; }
.qa-copy-text { display: none; }
button.qa-copy { font-size: .8em; padding: .15em .6em; border: 1px solid #d1d5db; border-radius: 4px;
  background: #fff; color: #374151; cursor: pointer; }
.qa-abstained { border-left: 3px solid #9ca3af; padding-left: .6em; }
.qa-abstain-title { font-weight: 600; color: #4b5563; }
.qa-abstain-why { font-size: .85em; color: #6b7280; }
.qa-passage { font-size: .92em; }
.qa-notice { color: #991b1b; }
.qa-timing { font-size: .75em; color: #9ca3af; margin-top: .3em; }
.qa-facts-count { font-size: .85em; color: #6b7280; margin-bottom: .3em; }
.qa-facts { font-size: .92em; }
.qa-fact-head, .qa-fact-row { display: grid; grid-template-columns: minmax(9em, 3fr) 7.5em 3.5em minmax(7em, 2fr) 4.5em;
  gap: .2em .8em; padding: .35em .4em; align-items: baseline; }
.qa-fact-head { font-weight: 600; color: #4b5563; border-bottom: 2px solid #e5e7eb; }
.qa-fact { border-bottom: 1px solid #e5e7eb; }
.qa-fact-row { cursor: pointer; list-style: none; }
.qa-fact-row::-webkit-details-marker { display: none; }
.qa-fact[open] > .qa-fact-row { background: #f8fafc; }
.qa-f-value { white-space: nowrap; font-weight: 600; }
.qa-f-growth { font-weight: 400; color: #4b5563; margin-left: .5em; font-size: .9em; }
.qa-f-subject, .qa-f-unreviewed { font-size: .75em; color: #6b7280; margin-left: .4em; }
.qa-f-unreviewed { color: #9a3412; }
.qa-fact-source { padding: .2em .6em .6em .6em; font-size: .9em; color: #111827; }
.qa-growth-table { border-collapse: collapse; font-size: .9em; margin-top: .5em; }
.qa-growth-table th, .qa-growth-table td { border-bottom: 1px solid #e5e7eb; padding: .25em .7em; text-align: left; }
.qa-about dl { display: grid; grid-template-columns: max-content 1fr; gap: .15em .8em; margin: .3em 0 .8em 0; }
.qa-about dt { color: #6b7280; }
.qa-about dd { margin: 0; word-break: break-all; }
.qa-report-passage { margin: .6em 0; }
.qa-tree ul { margin: 0 0 0 1em; padding: 0; }
.qa-count { color: #9ca3af; font-size: .8em; }
@media (max-width: 640px) {
  #qa-chat { height: 62vh !important; max-height: 62vh !important; }
  .qa-fact-head { display: none; }
  .qa-fact-row { grid-template-columns: 1fr auto; gap: .1em .6em; }
  .qa-f-ind { grid-column: 1 / -1; font-weight: 600; }
  .qa-f-period, .qa-f-kind { font-size: .85em; color: #4b5563; }
  .qa-f-kind { text-align: right; }
  .qa-f-value { white-space: normal; }
  .qa-f-unit { text-align: right; color: #6b7280; }
}
"""


def _manifest(engine) -> dict | None:
    settings = getattr(engine, "settings", None)
    path = Path(getattr(settings, "index_dir", "")) / "manifest.json" if settings is not None else None
    if path is None or not path.is_file():
        return None
    import json

    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def report_choices(documents) -> list[tuple[str, str]]:
    from qa import render

    return [(ALL_REPORTS, "")] + [(render.doc_label(d), d.doc_id) for d in documents]


def build_page(engine, engine_limits: dict) -> dict:
    """The page inside the caller's Blocks: title and report selector, chat, fact table with its
    download and chart, report browser, and "关于本报告". Reads the engine's documents and facts at
    each refresh, so a reloaded corpus shows (see `refresh`)."""
    import gradio as gr
    import pandas as pd

    from qa import render, webapp
    from qa.models import Turn

    files = FactFiles()

    def docs():
        return list(engine.documents)

    def facts():
        return list(engine.facts)

    def scoped(doc_id):
        chosen = [d for d in docs() if d.doc_id == doc_id]
        return chosen or docs()

    def header(doc_id) -> str:
        return (f'<div id="qa-title"><h2>政府工作报告问答</h2>'
                f'{render.current_report_html(docs(), doc_id or None)}</div>')

    def about(doc_id) -> str:
        shown = scoped(doc_id)
        ids = {d.doc_id for d in shown}
        return render.about_html(shown, [f for f in facts() if f.doc_id in ids], engine.status, _manifest(engine))

    def fact_view(doc_id, period, kind, text):
        chosen = render.filter_facts(facts(), period=int(period) if period and str(period).isdigit() else None,
                                     kind=kind or None, text=text, doc_id=doc_id or None)
        names = render.titles(docs())
        table = render.fact_rows_html(chosen, report_titles=names)
        if doc_id and not any(f.doc_id == doc_id for f in facts()):
            table = f'<div class="qa-facts-empty">《{render.esc(names.get(doc_id, doc_id))}》还没有事实表。</div>'
        return table, files.write(render.facts_csv(chosen, names))

    def chart_view(doc_id):
        shown = scoped(doc_id)
        if len(shown) != 1:
            return (gr.update(value=None, visible=False),
                    '<div class="qa-facts-empty">请先在页面上方选择一份报告，再看它的增长率。</div>')
        pairs = render.growth_pairs(shown[0], facts())
        rows = render.chart_rows(pairs)
        frame = pd.DataFrame(rows, columns=["指标", "系列", "柱", "增长率（%）", "数值"])
        colours = dict(zip(dict.fromkeys(r["系列"] for r in rows), SERIES_COLOURS))  # results blue, targets orange
        return (gr.update(value=frame, visible=bool(rows), sort=[r["柱"] for r in rows] or None, color_map=colours),
                render.growth_table_html(pairs))

    def respond(question, chat, turns, doc_id):
        question = question or ""
        chat, turns = list(chat or []), list(turns or [])
        if not question.strip():
            chat.append({"role": "assistant", "content": render.notice_html(EMPTY_QUESTION, "empty")})
            return chat, turns, ""
        answer, content = webapp.answer_or_message(engine, question, turns, doc_id or None)
        chat += [
            {"role": "user", "content": render.question_html(webapp._shown_question(question))},
            {"role": "assistant", "content": content},
        ]
        if answer is not None:  # the turn as understood: the engine reads its `interpreted_as`
            turns.append(Turn(question=question, answer=answer))
        return chat, turns, ""

    def choose_report(doc_id, period, kind, text):
        table_html, csv_path = fact_view(doc_id, period, kind, text)
        chart, growth = chart_view(doc_id)
        return (header(doc_id), [], [], table_html, csv_path, chart, growth, about(doc_id))

    def refresh(seen, doc_id, period, kind, text):
        """Everything that shows the corpus, again, when the engine reloaded it (else nothing)."""
        reload_ = getattr(engine, "refresh", None)
        if callable(reload_):
            reload_()
        generation = getattr(engine, "generation", 0)
        if seen == generation:
            return (gr.skip(),) * 9
        ids = {d.doc_id for d in docs()}
        doc_id = doc_id if doc_id in ids else ""
        table_html, csv_path = fact_view(doc_id, period, kind, text)
        chart, growth = chart_view(doc_id)
        choices = gr.update(choices=report_choices(docs()), value=doc_id, visible=len(ids) > 1)
        return (generation, header(doc_id), choices, table_html, csv_path, chart, growth, about(doc_id),
                gr.update(choices=period_choices()))

    def period_choices():
        return [("全部年份", "")] + [(f"{p}年", str(p)) for p in sorted({f.period for f in facts()}, reverse=True)]

    first_table, first_csv = fact_view("", "", "", "")
    single = docs()[0].doc_id if len(docs()) == 1 else ""
    first_chart, first_growth = chart_view(single)

    generation = gr.State(getattr(engine, "generation", 0))
    with gr.Row(equal_height=False):
        with gr.Column(scale=3):
            title = gr.HTML(header(""), js_on_load=None)
        with gr.Column(scale=2, min_width=240):
            report = gr.Dropdown(report_choices(docs()), value="", label="选择报告", elem_id="qa-report",
                                 visible=len(docs()) > 1, interactive=True)
    with gr.Tabs():
        with gr.Tab("问答", id="chat"):
            chatbot = gr.Chatbot(
                show_label=False, elem_id="qa-chat", height=560, latex_delimiters=[], buttons=[],
                feedback_options=None, layout="panel",
                placeholder="问一个关于报告的问题：数字会与事实表核对，答案引用原文。",
            )
            turns = gr.State([])
            with gr.Row():
                box = gr.Textbox(label="问题", show_label=False, placeholder="例如：去年地区生产总值是多少？", scale=6,
                                 elem_id="qa-question", lines=1, max_lines=4, submit_btn=False,
                                 min_width=300)  # a phone gives the box a row of its own
                send = gr.Button("提问", variant="primary", scale=1, elem_id="qa-send", min_width=80)
                clear = gr.Button("清空对话", scale=1, elem_id="qa-clear", min_width=80)
            with gr.Row(elem_id="qa-examples"):
                example_buttons = [gr.Button(q, size="sm", elem_classes=["qa-example"])
                                   for q in webapp.example_questions(facts(), docs())]
        with gr.Tab("事实表", id="facts"):
            with gr.Row():
                period = gr.Dropdown(period_choices(), value="", label="年份", elem_id="qa-fact-period",
                                     min_width=120)
                kind = gr.Dropdown([("全部类型", "")] + [(v, k) for k, v in render.KIND_LABELS.items()],
                                   value="", label="类型", elem_id="qa-fact-kind", min_width=120)
                text = gr.Textbox(label="包含文字", placeholder="指标、原句或章节", elem_id="qa-fact-text",
                                  min_width=160)
            download = gr.DownloadButton("下载当前表格（CSV，Excel 可直接打开）", value=first_csv,
                                         elem_id="qa-fact-download", size="sm")
            table = gr.HTML(first_table, elem_id="qa-fact-table", js_on_load=None)
        with gr.Tab("增长率", id="growth"):
            chart = gr.BarPlot(first_chart.get("value"), x="柱", y="增长率（%）", color="系列",
                               x_title="指标", y_title="增长率（%）", color_title="", x_label_angle=-30,
                               label="上年完成（蓝）与本年目标（橙）：增长率（%）", elem_id="qa-growth-chart",
                               height=360, color_map=first_chart.get("color_map"),
                               sort=first_chart.get("sort"), visible=first_chart.get("visible", True),
                               tooltip=["指标", "系列", "数值"], buttons=[])
            growth = gr.HTML(first_growth, elem_id="qa-growth-table", js_on_load=None)
        with gr.Tab("报告", id="report"):
            with gr.Row():
                with gr.Column(scale=1):
                    section = gr.Dropdown(render.section_choices(docs()), value=None, label="章节",
                                          elem_id="qa-section")
                    gr.HTML(render.section_tree_html(docs()), js_on_load=None)
                with gr.Column(scale=2):
                    passages = gr.HTML(render.section_html(docs(), None), elem_id="qa-section-passages",
                                       js_on_load=None)
    with gr.Accordion("关于本报告", open=False, elem_id="qa-about"):
        about_box = gr.HTML(about(""), js_on_load=None)

    private = {"api_visibility": "private"}
    chat_io = dict(inputs=[box, chatbot, turns, report], outputs=[chatbot, turns, box], **private)
    corpus_views = [generation, title, report, table, download, chart, growth, about_box, period]
    refresh_io = dict(fn=refresh, inputs=[generation, report, period, kind, text], outputs=corpus_views,
                      **private, queue=False)
    for event in (box.submit(respond, **chat_io, **engine_limits), send.click(respond, **chat_io, **engine_limits)):
        event.then(**refresh_io)
    for button in example_buttons:  # a button's value is its label: the example question itself
        button.click(respond, inputs=[button, chatbot, turns, report], outputs=[chatbot, turns, box],
                     **private, **engine_limits).then(**refresh_io)
    clear.click(lambda: ([], [], ""), outputs=[chatbot, turns, box], queue=False, **private)
    chatbot.clear(lambda: [], outputs=turns, queue=False, **private)
    report.change(choose_report, [report, period, kind, text],
                  [title, chatbot, turns, table, download, chart, growth, about_box], **private)
    for control in (period, kind, text):
        control.change(fact_view, [report, period, kind, text], [table, download], **private)
    section.change(lambda key: render.section_html(docs(), key), section, passages, **private)
    return refresh_io  # the caller runs it on page load too: `app.load(**refresh_io)`
