"""`qa ask`: one answer with its numbered citations, the number's check, or a plain abstention."""

from __future__ import annotations

import json

import click

from qa.cli import cli
from qa import wording
from qa.models import Answer, Turn
from qa.render import TABLE_READING, marked_spans

VERDICTS = {"consistent": "✓ 与事实表一致", "conflict": "⚠ 与事实表不一致", "not_in_table": "事实表未收录",
            "unchecked": "未核对"}
KINDS = {"actual": "实际", "estimate": "预计", "target": "目标", "plan": "计划"}


def format_answer(answer: Answer) -> str:
    """The answer as plain text for a terminal: answer, check, numbered quotes with their sections."""
    lines = [answer.answer]
    if answer.interpreted_as:
        lines.append(f"（理解为：{answer.interpreted_as}）")
    numeric = answer.numeric
    if numeric is not None:
        facts = ", ".join(numeric.fact_ids)
        kind = KINDS.get(numeric.kind or "", "")
        said = wording.figure(numeric.value, numeric.unit, numeric.qualifier, high=numeric.high)
        lines.append(f"数字核对：{VERDICTS[numeric.verdict]}（{numeric.period or ''}年 {kind} {said}；事实表 {facts or '—'}）")
        if numeric.verdict in ("conflict", "unchecked") and numeric.detail:
            lines.append(f"  {numeric.detail}")
    for n, citation in enumerate(answer.citations, start=1):
        quote = citation.quote
        for start, end in reversed(marked_spans(quote, citation.highlight, citation.also)):
            quote = f"{quote[:start]}【{quote[start:end]}】{quote[end:]}"
        if citation.printed:  # a table's row: as printed, then how it reads
            quote = f"{citation.printed}”\n    {TABLE_READING}“{quote}"
        lines.append(f"[{n}] {' › '.join(citation.section_path)}\n    “{quote}”")
    if answer.choices:
        lines.append("可选报告：" + "、".join(answer.choices) + "（用 --doc 选择）")
    if answer.abstained and answer.related:
        lines.append("相关段落：")
        for hit in answer.related:
            lines.append(f"  - {hit.passage.heading}：{hit.passage.text[:80]}…")
    return "\n".join(lines)


@cli.command()
@click.argument("question")
@click.option("--history", "-H", multiple=True, help="An earlier question of the conversation (repeat, oldest first).")
@click.option("--doc", "doc_id", help="The report to ask (its doc_id, the file stem); needed when the corpus holds several and the question names none.")
@click.option("--json", "as_json", is_flag=True, help="Print the Answer as JSON.")
@click.pass_obj
def ask(settings, question, history, doc_id, as_json):
    """Answer a question from the reports, quoting the sentences it rests on.

    Numbers come from the fact table and are checked against the quoted sentence; when the
    report does not say, the answer says so and lists the closest passages.

    Example usage:

    \b
        qa ask "去年GDP增长多少？"
        qa ask "那2018年呢？" --history "去年GDP增长多少？"
        qa ask "How much did fixed-asset investment grow in 2017?" --json
        qa ask "去年GDP是多少？" --doc weidong-2018-government-work-report
    """
    from qa.engine import Engine

    engine = Engine.load(settings)
    turns: list[Turn] = []
    for earlier in history:  # each earlier turn as it was asked and understood
        turns.append(Turn(question=earlier, answer=engine.ask(earlier, turns, doc_id)))
    answer = engine.ask(question, turns, doc_id)
    if as_json:
        click.echo(json.dumps(answer.model_dump(mode="json"), ensure_ascii=False, indent=1))
    else:
        click.echo(format_answer(answer))
