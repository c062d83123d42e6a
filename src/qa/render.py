"""Turn answers, facts and sections into escaped HTML for the web chat.

Pure functions, no Gradio: the UI only places their output on the page. Every
piece of user or corpus text goes through `esc` before it meets markup, so a
question or a passage holding `<script>` shows as text and runs nothing. The
output never contains a raw newline or a blank line: the chat renders messages
as Markdown, and an HTML block that stays on one line is passed through whole
instead of being re-parsed as Markdown.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from importlib import resources

from qa import wording
from qa.models import Answer, Citation, Document, Fact, Hit, NumericAnswer, Passage, Section
from qa.numbers import format_number

try:  # the fact-table helpers are moving into a package
    from qa.facts import is_growth_row
except ImportError:  # pragma: no cover
    from qa.facts.table import is_growth_row

HEADING_SEP = " › "

KIND_LABELS = {"actual": "实际", "estimate": "预计", "target": "目标", "plan": "计划"}
VERDICT_LABELS = {
    "consistent": "✓ 与事实表一致",
    "conflict": "⚠ 与事实表不一致",
    "not_in_table": "事实表未收录",
}
UNKNOWN_VERDICT = "未核对"  # any verdict this module does not know (e.g. a new "unchecked") reads neutrally
UNREVIEWED = "未经人工核对"

_MARKER = re.compile(r"\[(\d{1,2})\]")
_ASCII_WORD = re.compile(r"[A-Za-z]{3,}")


@lru_cache(maxsize=1)
def _genre() -> dict:
    return json.loads(resources.files("qa.data").joinpath("genre.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _item_marker() -> re.Pattern:
    """Where an enumerated measure starts inside a sentence ("…：一是…；二是…"): the genre's item marker."""
    marker = _genre()["item_marker"].lstrip("^")
    return re.compile(rf"(?<=[：:；;。，,])(?={marker})")


@lru_cache(maxsize=1)
def _numbered_line() -> re.Pattern:
    """A numbered list line ("1. …", "（2）…"): the genre's list-line heading markers."""
    patterns = [m["pattern"] for m in _genre()["heading_markers"] if m.get("numbered_list")]
    return re.compile("|".join(f"(?:{p})" for p in patterns))


def esc(text: str | None) -> str:
    """Escape text for HTML and keep line breaks without emitting a raw newline."""
    if not text:
        return ""
    escaped = html.escape(text, quote=True)
    # Markdown would read `*`, `_`, backticks, `$` inside the chat; entities keep them literal.
    escaped = escaped.replace("*", "&#42;").replace("_", "&#95;").replace("`", "&#96;").replace("$", "&#36;")
    return escaped.replace("\r\n", "\n").replace("\n", "<br>")


def attr(text: str) -> str:
    """Escape a value for an HTML attribute (no Markdown entities: attributes are never Markdown)."""
    return html.escape(text, quote=True).replace("\n", "&#10;")


def fmt_number(value: float) -> str:
    """111.0 -> '111', 7.5 -> '7.5': the report's form (the one rule: `qa.numbers.format_number`)."""
    return format_number(value)


def heading(path: Sequence[str]) -> str:
    return HEADING_SEP.join(path)


# ---------------------------------------------------------------- reports

def doc_region(doc: Document) -> str | None:
    return doc.profile.region or doc.meta.region


def doc_year(doc: Document) -> int | None:
    """The year the report is given in (its plan year), from the profile or the declared metadata."""
    return doc.meta.year or doc.profile.plan_year


def doc_title(doc: Document) -> str:
    """The report's name as a reader cites it: "卫东区2018年政府工作报告"."""
    return doc.cited_title


def doc_label(doc: Document) -> str:
    """The selector's label: region, year, title."""
    parts = [doc_region(doc), f"{doc_year(doc)}年" if doc_year(doc) else None, doc.meta.title or "政府工作报告"]
    return " · ".join(p for p in parts if p)


def titles(documents: Sequence[Document]) -> dict[str, str]:
    return {d.doc_id: doc_title(d) for d in documents}


def current_report_html(documents: Sequence[Document], doc_id: str | None) -> str:
    """The line under the page title that names the report the conversation is about."""
    if not documents:
        return '<div class="qa-current" id="qa-current">尚未载入报告。</div>'
    chosen = next((d for d in documents if d.doc_id == doc_id), None)
    if chosen is None and len(documents) == 1:
        chosen = documents[0]
    if chosen is not None:
        return f'<div class="qa-current" id="qa-current">当前报告：《{esc(doc_title(chosen))}》</div>'
    return (f'<div class="qa-current" id="qa-current">已载入 {len(documents)} 份报告：'
            f'请在上方选择一份，或在问题中写明地区。</div>')


# ---------------------------------------------------------------- answers

def highlighted(quote: str, span: tuple[int, int] | None, also: tuple[tuple[int, int], ...] = ()) -> str:
    """The quote escaped, with the answering phrases inside <mark>; a bad or overlapping span is ignored."""
    out, at = [], 0
    for start, end in marked_spans(quote, span, also):
        out += [esc(quote[at:start]), f"<mark>{esc(quote[start:end])}</mark>"]
        at = end
    return "".join(out) + esc(quote[at:])


def marked_spans(quote: str, span: tuple[int, int] | None, also: tuple[tuple[int, int], ...] = ()) -> list:
    """The answering phrases of a quote in reading order, each inside it and none overlapping another."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(s for s in ((span,) if span else ()) + tuple(also)):
        if 0 <= start < end <= len(quote) and (not out or start >= out[-1][1]):
            out.append((start, end))
    return out


def numeric_summary(numeric: NumericAnswer) -> str:
    """'2017年 · 预计111亿元 · 增长7.5%': the figure worded as the report words it (qa.wording)."""
    parts = []
    if numeric.period is not None:
        parts.append(f"{numeric.period}年")
    kind = KIND_LABELS.get(numeric.kind, numeric.kind) if numeric.kind else None
    if kind and kind not in wording.qualifier_words(numeric.qualifier):  # "预计 · 预计111亿元" says it twice
        parts.append(kind)
    parts.append(wording.figure(numeric.value, numeric.unit, numeric.qualifier, high=numeric.high))
    if numeric.growth_pct is not None:
        parts.append(wording.change(numeric.growth_pct))
    return " · ".join(parts)


def fact_figure(fact: Fact) -> str:
    """"2017年预计111亿元" style wording of a fact row: period, then the figure with its qualifiers."""
    return f"{wording.period(fact)}{fact.indicator}{wording.figure(fact.value, fact.unit, fact.qualifier)}"


def conflict_detail(numeric: NumericAnswer, facts: Mapping[str, Fact] | None = None) -> str | None:
    """The conflict in plain Chinese: the answer's figure, the table's figure and its sentence.

    The engine's own detail is shown only when it is already written for a reader (Chinese, no ids).
    """
    rows = [facts[i] for i in numeric.fact_ids if facts and i in facts]
    if rows:
        said = wording.figure(numeric.value, numeric.unit, numeric.qualifier, high=numeric.high)
        table = "；".join(f"{fact_figure(f)}（原句：“{f.source}”）" for f in rows[:2])
        return f"答案中的数字是{said}，事实表记载为{table}。"
    if numeric.detail and not _ASCII_WORD.search(numeric.detail):
        return numeric.detail
    return "答案中的数字与事实表的记载不一致。"


def badge_html(numeric: NumericAnswer, facts: Mapping[str, Fact] | None = None) -> str:
    """The fact-check badge; a conflict says both values in words. Fact ids stay in a hover title."""
    known = numeric.verdict in VERDICT_LABELS
    verdict = numeric.verdict if known else "unknown"
    label = esc(VERDICT_LABELS.get(numeric.verdict, UNKNOWN_VERDICT))
    detail = ""
    if numeric.verdict == "conflict":
        detail = f'<span class="qa-badge-detail">{esc(conflict_detail(numeric, facts))}</span>'
    title = f' title="{attr("事实表行：" + "、".join(numeric.fact_ids))}"' if numeric.fact_ids else ""
    return (
        f'<div class="qa-numeric"><span class="qa-badge qa-badge-{attr(verdict)}" '
        f'data-verdict="{attr(numeric.verdict)}"{title}>{label}</span> '
        f'<span class="qa-numeric-value">{esc(numeric_summary(numeric))}</span>{detail}</div>'
    )


TABLE_READING = "表中此行读作："


def citation_html(number: int, citation: Citation) -> str:
    """The quote with its answering phrase marked; a table's row quoted as printed, its reading after it."""
    quote = highlighted(citation.quote, citation.highlight, citation.also)
    if citation.printed:
        quote = (f'<span class="qa-printed">{esc(citation.printed)}</span>'
                 f'<div class="qa-reading">{esc(TABLE_READING)}{quote}</div>')
    return (
        f'<li class="qa-citation" id="cite-{number}" value="{number}">'
        f'<div class="qa-heading">[{number}] {esc(heading(citation.section_path))}</div>'
        f'<blockquote class="qa-quote">{quote}</blockquote></li>'
    )


def reading_order(answer: Answer) -> tuple[list[Citation], dict[int, int]]:
    """Citations in the order they stand in the report, and old number -> new number."""
    indexed = sorted(enumerate(answer.citations, 1), key=lambda ic: (ic[1].doc_id, ic[1].start, ic[0]))
    return [c for _, c in indexed], {old: new for new, (old, _) in enumerate(indexed, 1)}


def _renumbered(text: str, mapping: dict[int, int]) -> str:
    return _MARKER.sub(lambda m: f"[{mapping.get(int(m.group(1)), int(m.group(1)))}]", text)


def _refs(text_html: str, n: int) -> str:
    def sup(match: re.Match) -> str:
        k = int(match.group(1))
        return f'<sup class="qa-ref"><a href="#cite-{k}">[{k}]</a></sup>' if 1 <= k <= n else match.group(0)

    return _MARKER.sub(sup, text_html)


def _numbered_items(text: str) -> tuple[str, list[str]] | None:
    """"lead\n1. a\n2. b" -> (lead, [a, b]); None when no line is numbered."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if not any(_numbered_line().match(line) for line in lines):
        return None
    lead, items = "", []
    for line in lines:
        if _numbered_line().match(line):
            items.append(_numbered_line().sub("", line, count=1).strip())
        elif items:
            items[-1] += line
        else:
            lead += line
    return lead, items


def list_items(text: str) -> tuple[str, list[str]] | None:
    """An enumerating answer split into (lead, items): numbered lines, else one item per cited
    sentence, and within a sentence one per enumerated measure ("一是…；二是…"). None when the
    text is no list."""
    numbered = _numbered_items(text)
    if numbered is not None:
        return numbered
    marks = list(_MARKER.finditer(text))
    if len(marks) < 2:
        pieces = [text]
    else:
        pieces, last = [], 0
        for m in marks:
            pieces.append(text[last:m.end()])
            last = m.end()
        if text[last:].strip("；;。 "):
            pieces.append(text[last:])
    pieces = [p.strip().lstrip("；;。，, ") for p in pieces if p.strip("；;。，, ")]
    lead = ""
    first = pieces[0] if pieces else ""
    colon = re.search(r"[：:]", first)
    if colon and colon.start() <= 12:
        lead, pieces[0] = first[:colon.end()], first[colon.end():]
    items: list[str] = []
    for piece in pieces:
        items.extend(s for s in _item_marker().split(piece) if s.strip("；;。，, "))
    items = [re.sub(r"^[；;。，,\s]+|[；;，,。\s]+$", "", i) for i in items]
    if len(items) < 2 or (len(marks) < 2 and len(items) < 3):
        return None
    return lead, [i for i in items if i]


def _answer_text_html(answer: Answer, mapping: dict[int, int]) -> str:
    """The answer text: `[n]` markers become superscript links (numbered in reading order), a list
    becomes a bullet list; an answer without markers gets them appended."""
    n = len(answer.citations)
    text = _renumbered(answer.answer, mapping)
    appended = "" if not n or _MARKER.search(text) else "".join(f"[{k}]" for k in range(1, n + 1))
    split = list_items(text)
    if split is None:
        return f'<div class="qa-text">{_refs(esc(text + appended), n)}</div>'
    lead, items = split
    if appended:  # markers the text did not place: after the lead, else after the last item
        if lead:
            lead += appended
        else:
            items[-1] += appended
    bullets = "".join(f'<li class="qa-item">{_refs(esc(i), n)}</li>' for i in items)
    lead_html = f'<div class="qa-lead">{_refs(esc(lead), n)}</div>' if lead else ""
    return f'<div class="qa-text qa-list">{lead_html}<ul class="qa-items">{bullets}</ul></div>'


def copy_text(answer: Answer, report_titles: Mapping[str, str] | None = None) -> str:
    """The answer as a reader pastes it: text without markers, then its source in the usual form,
    "……（来源：《卫东区2018年政府工作报告》，一、2017年工作回顾）"."""
    text = _MARKER.sub("", answer.answer).strip()
    sources: dict[str, list[str]] = {}
    for citation in reading_order(answer)[0]:
        parts = sources.setdefault(citation.doc_id, [])
        if citation.section_path and citation.section_path[0] not in parts:
            parts.append(citation.section_path[0])
    if not sources:
        return text
    named = []
    for doc_id, parts in sources.items():
        title = (report_titles or {}).get(doc_id, doc_id)
        named.append("，".join([f"《{title}》", "；".join(parts)]) if parts else f"《{title}》")
    return f"{text}（来源：{'；'.join(named)}）"


def copy_button_html(answer: Answer, report_titles: Mapping[str, str] | None = None) -> str:
    """A button the page's script turns into a copy of the answer with its source (see webapp.COPY_JS)."""
    # the chat's sanitiser drops data- attributes: the text rides in a hidden sibling
    return (f'<div class="qa-copy-row"><span class="qa-copy-text">{esc(copy_text(answer, report_titles))}</span>'
            f'<button type="button" class="qa-copy">复制答案（含出处）</button></div>')


RELATED_CHARS = 160  # related passages are pointers, not answers: their opening is enough


def clip(text: str, limit: int) -> str:
    """The opening of a text on one line, cut at `limit` characters."""
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[:limit].rstrip() + "…"


def hit_html(hit: Hit) -> str:
    passage = hit.passage
    return (
        f'<li class="qa-related"><div class="qa-heading">{esc(heading(passage.section_path))}</div>'
        f'<div class="qa-passage">{esc(clip(passage.text, RELATED_CHARS))}</div></li>'
    )


def interpreted_html(answer: Answer) -> str:
    """"理解为：…" for a follow-up the engine resolved against earlier turns."""
    shown = answer.interpreted_as
    if not shown or shown.strip() == answer.question.strip():
        return ""
    return f'<div class="qa-interpreted">理解为：{esc(shown)}</div>'


def choices_html(answer: Answer, report_titles: Mapping[str, str] | None = None) -> str:
    items = "".join(f'<li>《{esc((report_titles or {}).get(d, d))}》</li>' for d in answer.choices)
    return (f'<div class="qa-choices"><div class="qa-section-label">已载入多份报告，请先在页面上方选择要问的报告'
            f'（或在问题中写明地区）：</div><ul>{items}</ul></div>')


def answer_html(answer: Answer, *, facts: Mapping[str, Fact] | None = None,
                report_titles: Mapping[str, str] | None = None) -> str:
    """One assistant message: interpretation, answer, badge, cited passages in reading order, a copy
    button; or an abstention and related passages; or the reports to choose from."""
    interpreted = interpreted_html(answer)
    about = ""
    if report_titles and len(report_titles) > 1 and answer.doc_id in report_titles:
        about = f'<div class="qa-about-report">《{esc(report_titles[answer.doc_id])}》</div>'
    if answer.abstained:
        said = answer.answer or "报告中没有找到可以回答这个问题的内容。"
        why = answer.abstain_reason if answer.abstain_reason and answer.abstain_reason not in said else None
        if why and _ASCII_WORD.search(why):  # an internal reason code ("needs_topic") is no reader's text
            why = None
        reason = esc(said) + (f'<div class="qa-abstain-why">{esc(why)}</div>' if why else "")
        choices = choices_html(answer, report_titles) if answer.choices else ""
        related = "".join(hit_html(h) for h in answer.related)
        related_block = (
            f'<div class="qa-section-label">相关段落（仅供参考，不构成答案）</div><ol class="qa-related-list">{related}</ol>'
            if related else ""
        )
        title = "请先选择报告" if answer.choices else "未能作答：报告中没有找到可靠依据"
        return (
            f'<div class="qa-answer qa-abstained">{interpreted}{about}<div class="qa-abstain-title">{title}</div>'
            f'<div class="qa-abstain-reason">{reason}</div>{choices}{related_block}</div>'
        )
    citations, mapping = reading_order(answer)
    parts = [f'<div class="qa-answer">{interpreted}{about}{_answer_text_html(answer, mapping)}']
    if answer.choices:
        parts.append(choices_html(answer, report_titles))
    if answer.numeric is not None:
        parts.append(badge_html(answer.numeric, facts))
    if citations:
        items = "".join(citation_html(i, c) for i, c in enumerate(citations, 1))
        parts.append(f'<div class="qa-section-label">引用原文</div><ol class="qa-citations">{items}</ol>')
        parts.append(copy_button_html(answer, report_titles))
    total = answer.timings.get("total")
    if total is None and "total_ms" in answer.timings:
        total = answer.timings["total_ms"] / 1000
    if total is not None:
        parts.append(f'<div class="qa-timing">用时 {total:.2f} 秒</div>')
    parts.append("</div>")
    return "".join(parts)


def question_html(question: str) -> str:
    """The user's message, escaped so it shows exactly as typed."""
    return f'<div class="qa-question">{esc(question)}</div>'


def notice_html(message: str, kind: str = "error") -> str:
    """A refusal or failure shown in the chat in place of an answer."""
    return f'<div class="qa-answer qa-notice qa-notice-{attr(kind)}">{esc(message)}</div>'


# ---------------------------------------------------------------- fact table

def filter_facts(facts: Iterable[Fact], period: int | None = None, kind: str | None = None,
                 text: str | None = None, doc_id: str | None = None) -> list[Fact]:
    """Facts of a report, period and kind that match `text`.

    Rows whose indicator or aliases contain the text come first and alone when there are any
    ("地区生产总值" should not list every figure of the sentence that mentions it); otherwise
    the text is looked for in the source sentence, the section and the unit as well.
    """
    needle = (text or "").strip().lower()
    chosen = [f for f in facts if (period is None or f.period == period) and (not kind or f.kind == kind)
              and (not doc_id or f.doc_id == doc_id)]
    if not needle:
        return chosen
    named = [f for f in chosen if any(needle in n.lower() for n in (f.indicator, *f.aliases))]
    if named:
        return named
    return [f for f in chosen if needle in " ".join((f.source, *f.section_path, f.unit, f.subject or "")).lower()]


FACT_COLUMNS = ("指标", "时期", "类型", "数值", "单位")


def fact_rows_html(facts: Sequence[Fact], limit: int = 300, report_titles: Mapping[str, str] | None = None) -> str:
    """The fact table as compact rows (indicator, period, kind, worded value, unit); each row opens
    to show its source sentence and section. A CSS grid: columns on a desktop, cards on a phone."""
    if not facts:
        return '<div class="qa-facts-empty">没有符合条件的事实。</div>'
    many = report_titles is not None and len(report_titles) > 1
    rows = []
    for fact in facts[:limit]:
        value = wording.figure(fact.value, fact.unit, fact.qualifier)
        growth = f'<span class="qa-f-growth">{esc(wording.change(fact.growth_pct))}</span>' \
            if fact.growth_pct is not None and not is_growth_row(fact) else ""
        subject = f'<span class="qa-f-subject">{esc(fact.subject)}</span>' if fact.subject else ""
        unreviewed = "" if fact.reviewed else f'<span class="qa-f-unreviewed">{UNREVIEWED}</span>'
        report = f'<div class="qa-heading">《{esc(report_titles[fact.doc_id])}》</div>' \
            if many and fact.doc_id in report_titles else ""
        rows.append(
            f'<details class="qa-fact" data-fact-id="{attr(fact.id)}"><summary class="qa-fact-row">'
            f'<span class="qa-f-ind"><span class="qa-f-name">{esc(fact.indicator)}</span>{subject}{unreviewed}</span>'
            f'<span class="qa-f-period">{esc(wording.period(fact))}</span>'
            f'<span class="qa-f-kind">{esc(KIND_LABELS.get(fact.kind, fact.kind))}</span>'
            f'<span class="qa-f-value">{esc(value)}{growth}</span>'
            f'<span class="qa-f-unit">{esc(fact.unit)}</span></summary>'
            f'<div class="qa-fact-source">{report}<div class="qa-f-sentence">“{esc(fact.source)}”</div>'
            f'<div class="qa-heading">{esc(heading(fact.section_path))}</div></div></details>'
        )
    more = f'<div class="qa-facts-more">仅显示前 {limit} 行，共 {len(facts)} 行；下载可得全部。</div>' \
        if len(facts) > limit else ""
    header = "".join(f"<span>{c}</span>" for c in FACT_COLUMNS)
    return (
        f'<div class="qa-facts-count">{len(facts)} 条 · 点一行看原句</div><div class="qa-facts">'
        f'<div class="qa-fact-head">{header}</div>{"".join(rows)}</div>{more}'
    )


CSV_COLUMNS = ("报告", "指标", "主体", "时期", "年份", "类型", "数值（含限定词）", "数值", "单位", "限定词",
               "增长率（%）", "人工核对", "章节", "原句")


def facts_csv(facts: Sequence[Fact], report_titles: Mapping[str, str] | None = None) -> str:
    """The rows as CSV text (write it with encoding "utf-8-sig": a spreadsheet then reads the Chinese)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for f in facts:
        writer.writerow([
            (report_titles or {}).get(f.doc_id, f.doc_id), f.indicator, f.subject or "", wording.period(f),
            f.period, KIND_LABELS.get(f.kind, f.kind), wording.figure(f.value, f.unit, f.qualifier),
            format_number(f.value), f.unit, f.qualifier or "",
            "" if f.growth_pct is None else format_number(f.growth_pct),
            "是" if f.reviewed else "否", heading(f.section_path), f.source,
        ])
    return out.getvalue()


# ---------------------------------------------------------------- growth chart

def report_years(doc: Document, facts: Sequence[Fact]) -> tuple[int | None, int | None]:
    """(review year, plan year) of a report: its profile, else its year and the latest earlier year
    with results in its own fact table."""
    plan = doc.profile.plan_year or doc.meta.year
    review = doc.profile.review_year
    if review is None and plan is not None:
        earlier = [f.period for f in facts if f.doc_id == doc.doc_id and f.kind in ("actual", "estimate")
                   and f.period < plan and f.span_start is None]
        review = max(earlier, default=None)
    return review, plan


def growth_pairs(doc: Document, facts: Sequence[Fact]) -> list[tuple[Fact, Fact]]:
    """(review-year result, plan-year target) growth rows of the same indicator and subject."""
    review, plan = report_years(doc, facts)
    if review is None or plan is None:
        return []
    rows = [f for f in facts if f.doc_id == doc.doc_id and is_growth_row(f) and f.span_start is None]
    results = {}
    for f in rows:
        if f.period == review and f.kind in ("actual", "estimate"):
            results.setdefault((f.indicator, f.subject), f)
    pairs = []
    for f in rows:
        if f.period == plan and f.kind in ("target", "plan"):
            result = results.pop((f.indicator, f.subject), None)
            if result is not None:
                pairs.append((result, f))
    return pairs


def chart_rows(pairs: Sequence[tuple[Fact, Fact]]) -> list[dict]:
    """Rows for a bar chart: one bar per figure, the pair of an indicator side by side."""
    out = []
    for result, target in pairs:
        for fact, side in ((result, "result"), (target, "target")):
            series = f"{fact.period}年{'完成' if side == 'result' else '目标'}"
            out.append({"指标": fact.indicator, "系列": series, "柱": f"{fact.indicator}·{series}",
                        "增长率（%）": fact.value, "数值": wording.figure(fact.value, fact.unit, fact.qualifier)})
    return out


def growth_table_html(pairs: Sequence[tuple[Fact, Fact]]) -> str:
    """The chart's figures in words, qualifiers kept (a bar cannot say 左右 or 以上)."""
    if not pairs:
        return '<div class="qa-facts-empty">报告中没有同一指标既有上年增长结果、又有本年增长目标的数字。</div>'
    result, target = pairs[0]
    head = (f"<tr><th>指标</th><th>{result.period}年完成</th><th>{target.period}年目标</th></tr>")
    body = "".join(
        f"<tr><td>{esc(r.indicator)}</td><td>{esc(wording.figure(r.value, r.unit, r.qualifier))}</td>"
        f"<td>{esc(wording.figure(t.value, t.unit, t.qualifier))}</td></tr>" for r, t in pairs)
    return f'<table class="qa-growth-table"><thead>{head}</thead><tbody>{body}</tbody></table>'


# ---------------------------------------------------------------- about the reports

def _when(stamp: str | None) -> str | None:
    """"2026-11-28T03:57:51+00:00" -> "2026-11-28 03:57（UTC）"; anything else as it is."""
    from datetime import datetime, timezone

    try:
        moment = datetime.fromisoformat(stamp or "")
    except ValueError:
        return stamp
    if moment.tzinfo is None:
        return moment.strftime("%Y-%m-%d %H:%M")
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M（UTC）")


def about_html(documents: Sequence[Document], facts: Sequence[Fact], status: str,
               manifest: Mapping | None = None) -> str:
    """"关于本报告": each report's metadata, passages and fact rows; the model and when the index was built."""
    parts = []
    for doc in documents:
        rows = [f for f in facts if f.doc_id == doc.doc_id]
        unreviewed = sum(not f.reviewed for f in rows)
        review, plan = report_years(doc, facts)
        fields = [
            ("报告", doc_title(doc)),
            ("地区", doc_region(doc)),
            ("日期", doc.meta.date or doc.profile.date),
            ("报告人", doc.meta.speaker),
            ("回顾年份", f"{review}年" if review else None),
            ("计划年份", f"{plan}年" if plan else None),
            ("段落", f"{len(doc.passages)} 段"),
            ("事实表", f"{len(rows)} 行" + (f"（其中 {unreviewed} 行{UNREVIEWED}）" if unreviewed else "")),
            ("文件", doc.path.rsplit("/", 1)[-1]),
        ]
        items = "".join(f"<dt>{k}</dt><dd>{esc(str(v))}</dd>" for k, v in fields if v)
        parts.append(f'<dl class="qa-about-doc">{items}</dl>')
    engine = [("索引状态", status)]
    if manifest:
        engine += [("模型", manifest.get("model")), ("索引建立于", _when(manifest.get("built_at")))]
    items = "".join(f"<dt>{k}</dt><dd>{esc(str(v))}</dd>" for k, v in engine if v)
    parts.append(f'<dl class="qa-about-engine">{items}</dl>')
    return f'<div class="qa-about">{"".join(parts)}</div>'


# ---------------------------------------------------------------- report browser

def walk_sections(sections: Iterable[Section], depth: int = 0) -> Iterable[tuple[int, Section]]:
    for section in sections:
        yield depth, section
        yield from walk_sections(section.children, depth + 1)


def section_choices(documents: Sequence[Document]) -> list[tuple[str, str]]:
    """(indented label, key) for every section of every document; key = 'doc_id␟path'."""
    choices = []
    many = len(documents) > 1
    for doc in documents:
        for depth, section in walk_sections(doc.sections):
            label = ("　" * depth) + section.title
            if many:
                label = f"{doc_label(doc)}：{label}"
            choices.append((label, section_key(doc.doc_id, section.path)))
    return choices


def section_key(doc_id: str, path: Sequence[str]) -> str:
    return "\u241f".join((doc_id, *path))


def section_passages(documents: Sequence[Document], key: str) -> tuple[Document, list[Passage]] | None:
    """The document and the passages under the section named by `key` (its subsections included)."""
    doc_id, *path = key.split("\u241f")
    for doc in documents:
        if doc.doc_id == doc_id:
            n = len(path)
            return doc, [p for p in doc.passages if tuple(p.section_path[:n]) == tuple(path)]
    return None


def section_html(documents: Sequence[Document], key: str | None) -> str:
    """The passages of a chosen section, each under its heading path."""
    if not key:
        return '<div class="qa-report-hint">请选择一个章节。</div>'
    found = section_passages(documents, key)
    if found is None:
        return notice_html("没有这个章节。")
    doc, passages = found
    if not passages:
        return '<div class="qa-report-hint">这一节没有正文段落。</div>'
    items = "".join(
        f'<div class="qa-report-passage" data-passage-id="{attr(p.id)}">'
        f'<div class="qa-heading">{esc(heading(p.section_path))}</div><div class="qa-passage">{esc(p.text)}</div></div>'
        for p in passages
    )
    return f'<div class="qa-report"><div class="qa-report-count">{len(passages)} 段</div>{items}</div>'


def section_tree_html(documents: Sequence[Document]) -> str:
    """The section tree as nested lists with passage counts."""
    def node(section: Section) -> str:
        count = _count(section)
        kids = "".join(node(c) for c in section.children)
        sub = f"<ul>{kids}</ul>" if kids else ""
        return f"<li>{esc(section.title)} <span class=\"qa-count\">[{count}]</span>{sub}</li>"

    parts = []
    for doc in documents:
        title = doc_title(doc)
        parts.append(f'<div class="qa-tree"><div class="qa-tree-title">{esc(title)}</div>'
                     f'<ul>{"".join(node(s) for s in doc.sections)}</ul></div>')
    return "".join(parts)


def _count(section: Section) -> int:
    return len(section.passage_ids) + sum(_count(c) for c in section.children)
