"""Turn answers, facts and sections into escaped HTML for the web chat.

Pure functions, no Gradio: the UI only places their output on the page. Every
piece of user or corpus text goes through `esc` before it meets markup, so a
question or a passage holding `<script>` shows as text and runs nothing. The
output never contains a raw newline or a blank line: the chat renders messages
as Markdown, and an HTML block that stays on one line is passed through whole
instead of being re-parsed as Markdown.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence

from qa.models import Answer, Citation, Document, Fact, Hit, NumericAnswer, Passage, Section

HEADING_SEP = " › "

KIND_LABELS = {"actual": "实际", "estimate": "预计", "target": "目标", "plan": "计划"}
VERDICT_LABELS = {
    "consistent": "✓ 与事实表一致",
    "conflict": "⚠ 与事实表不一致",
    "not_in_table": "事实表未收录",
}

_MARKER = re.compile(r"\[(\d{1,2})\]")


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
    return html.escape(text, quote=True)


def fmt_number(value: float) -> str:
    """111.0 -> '111', 7.5 -> '7.5', 2118 -> '2118': the shortest exact form, no rounding."""
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def heading(path: Sequence[str]) -> str:
    return HEADING_SEP.join(path)


def highlighted(quote: str, span: tuple[int, int] | None) -> str:
    """The quote escaped, with the answering phrase inside <mark>; a bad span is ignored."""
    if span is None:
        return esc(quote)
    start, end = span
    if not (0 <= start < end <= len(quote)):
        return esc(quote)
    return f"{esc(quote[:start])}<mark>{esc(quote[start:end])}</mark>{esc(quote[end:])}"


def numeric_summary(numeric: NumericAnswer) -> str:
    """'2017年 · 预计 · 111 亿元 · 增长 7.5%' with every qualifier kept."""
    parts = []
    if numeric.period is not None:
        parts.append(f"{numeric.period}年")
    kind = KIND_LABELS.get(numeric.kind, numeric.kind) if numeric.kind else None
    if kind and kind != numeric.qualifier:  # "预计 · 预计 111 亿元" says it twice
        parts.append(kind)
    value = f"{fmt_number(numeric.value)} {numeric.unit}".strip()
    if numeric.qualifier:
        value = f"{numeric.qualifier} {value}"
    parts.append(value)
    if numeric.growth_pct is not None:
        parts.append(f"增长 {fmt_number(numeric.growth_pct)}%")
    return " · ".join(parts)


def badge_html(numeric: NumericAnswer) -> str:
    """The fact-check badge; a conflict shows the detail that states both values."""
    label = esc(VERDICT_LABELS.get(numeric.verdict, numeric.verdict))
    detail = f'<span class="qa-badge-detail">{esc(numeric.detail)}</span>' if numeric.detail else ""
    facts = ""
    if numeric.fact_ids:  # ids are long (doc id + row): show the row, keep the whole id on hover
        short = ", ".join("#" + i.rsplit(":", 1)[-1] for i in numeric.fact_ids)
        facts = f' <span class="qa-fact-ids" title="{attr(", ".join(numeric.fact_ids))}">事实表 {esc(short)}</span>'
    return (
        f'<div class="qa-numeric"><span class="qa-badge qa-badge-{attr(numeric.verdict)}" '
        f'data-verdict="{attr(numeric.verdict)}">{label}</span> '
        f'<span class="qa-numeric-value">{esc(numeric_summary(numeric))}</span>{facts}{detail}</div>'
    )


def citation_html(number: int, citation: Citation) -> str:
    return (
        f'<li class="qa-citation" id="cite-{number}" value="{number}">'
        f'<div class="qa-heading">[{number}] {esc(heading(citation.section_path))}</div>'
        f'<blockquote class="qa-quote">{highlighted(citation.quote, citation.highlight)}</blockquote></li>'
    )


def _answer_text_html(answer: Answer) -> str:
    """The answer text; `[n]` markers become superscript links, or markers are appended."""
    n = len(answer.citations)
    text = esc(answer.answer)

    def sup(match: re.Match) -> str:
        k = int(match.group(1))
        return f'<sup class="qa-ref"><a href="#cite-{k}">[{k}]</a></sup>' if 1 <= k <= n else match.group(0)

    if n and _MARKER.search(answer.answer):
        return _MARKER.sub(sup, text)
    refs = "".join(f'<sup class="qa-ref"><a href="#cite-{k}">[{k}]</a></sup>' for k in range(1, n + 1))
    return text + refs


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


def answer_html(answer: Answer) -> str:
    """One assistant message: answer, badge, cited passages; or an abstention and related passages."""
    if answer.abstained:
        said = answer.answer or "报告中没有找到可以回答这个问题的内容。"
        why = answer.abstain_reason if answer.abstain_reason and answer.abstain_reason not in said else None
        reason = esc(said) + (f'<div class="qa-abstain-why">{esc(why)}</div>' if why else "")
        related = "".join(hit_html(h) for h in answer.related)
        related_block = (
            f'<div class="qa-section-label">相关段落（仅供参考，不构成答案）</div><ol class="qa-related-list">{related}</ol>'
            if related else ""
        )
        return (
            f'<div class="qa-answer qa-abstained"><div class="qa-abstain-title">未能作答：报告中没有找到可靠依据</div>'
            f'<div class="qa-abstain-reason">{reason}</div>{related_block}</div>'
        )
    parts = [f'<div class="qa-answer"><div class="qa-text">{_answer_text_html(answer)}</div>']
    if answer.numeric is not None:
        parts.append(badge_html(answer.numeric))
    if answer.citations:
        items = "".join(citation_html(i, c) for i, c in enumerate(answer.citations, 1))
        parts.append(f'<div class="qa-section-label">引用原文</div><ol class="qa-citations">{items}</ol>')
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
                 text: str | None = None) -> list[Fact]:
    """Facts of a period and kind that match `text`.

    Rows whose indicator or aliases contain the text come first and alone when there are any
    ("地区生产总值" should not list every figure of the sentence that mentions it); otherwise
    the text is looked for in the source sentence, the section and the unit as well.
    """
    needle = (text or "").strip().lower()
    chosen = [f for f in facts if (period is None or f.period == period) and (not kind or f.kind == kind)]
    if not needle:
        return chosen
    named = [f for f in chosen if any(needle in n.lower() for n in (f.indicator, *f.aliases))]
    if named:
        return named
    return [f for f in chosen if needle in " ".join((f.source, *f.section_path, f.unit, f.subject)).lower()]


def fact_rows_html(facts: Sequence[Fact], limit: int = 500) -> str:
    """The fact table as an escaped HTML table; each row shows its source sentence and section."""
    if not facts:
        return '<div class="qa-facts-empty">没有符合条件的事实。</div>'
    rows = []
    for fact in facts[:limit]:
        growth = f"{fmt_number(fact.growth_pct)}%" if fact.growth_pct is not None else ""
        rows.append(
            f'<tr class="qa-fact-row" data-fact-id="{attr(fact.id)}"><td>{fact.period}</td>'
            f"<td>{esc(KIND_LABELS.get(fact.kind, fact.kind))}</td><td>{esc(fact.indicator)}</td>"
            f'<td class="qa-num">{esc(fact.qualifier or "")} {fmt_number(fact.value)}</td><td>{esc(fact.unit)}</td>'
            f'<td class="qa-num">{growth}</td>'
            f'<td><div class="qa-fact-source">{esc(fact.source)}</div>'
            f'<div class="qa-heading">{esc(heading(fact.section_path))}</div></td></tr>'
        )
    more = f'<div class="qa-facts-more">仅显示前 {limit} 行，共 {len(facts)} 行。</div>' if len(facts) > limit else ""
    return (
        f'<div class="qa-facts-count">{len(facts)} 条</div><table class="qa-facts"><thead><tr><th>年份</th><th>类型</th>'
        f"<th>指标</th><th>数值</th><th>单位</th><th>增长</th><th>原句与位置</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>{more}"
    )


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
                label = f"{doc.doc_id}: {label}"
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
        title = " ".join(x for x in (doc.meta.region, str(doc.meta.year or ""), doc.meta.title) if x)
        parts.append(f'<div class="qa-tree"><div class="qa-tree-title">{esc(title)}</div>'
                     f'<ul>{"".join(node(s) for s in doc.sections)}</ul></div>')
    return "".join(parts)


def _count(section: Section) -> int:
    return len(section.passage_ids) + sum(_count(c) for c in section.children)
