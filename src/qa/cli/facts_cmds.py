"""`qa facts …`: list, extract, check and compare rows of the fact table."""

from __future__ import annotations

import json
from pathlib import Path

import click

from qa.cli import cli
from qa.crosscheck import compare_target, coverage, table_check, worded
from qa.errors import FactTableError, InputError
from qa.facts.table import is_whole_area
from qa.facts import (EXCLUDED_SUFFIX, FACTS_SUFFIX, dump_facts, growth_above, load_exclusions,
                      load_facts, propose_facts, select_facts)
from qa.ingest import load_corpus
from qa.models import Fact
from qa.numbers import format_number

KINDS = click.Choice(["actual", "estimate", "target", "plan"])


def _line(f: Fact) -> str:
    extra = f" (增长{format_number(f.growth_pct)}%)" if f.growth_pct is not None else ""
    subject = "" if is_whole_area(f.subject) else f"[{f.subject}] "
    return f"{f.id}  {f.period} {f.kind:<8} {subject}{f.indicator}: {worded(f.value, f.unit, f.qualifier)}{extra}"


def _print(rows: list[Fact], as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps([f.model_dump(mode="json") for f in rows], ensure_ascii=False, indent=1))
        return
    for f in rows:
        click.echo(_line(f))
    click.echo(f"{len(rows)} rows", err=True)


def _list(settings, period, kind, query, as_json, growth) -> None:
    facts = load_facts(settings.corpus_dir)
    if growth is not None:
        rows = growth_above(facts, growth, period=period, kinds=(kind,) if kind else ("actual", "estimate"))
    else:
        rows = select_facts(facts, period=period, kind=kind, query=query)
    _print(rows, as_json)


_LIST_OPTIONS = [
    click.option("--period", type=int, help="Only rows of this year."),
    click.option("--kind", type=KINDS, help="Only rows of this kind."),
    click.option("--query", help="Rows whose indicator, alias or subject match TEXT, best first."),
    click.option("--growth-above", "growth", type=float,
                 help="Growth rows above this percentage (results unless --kind)."),
    click.option("--json", "as_json", is_flag=True, help="Print a JSON array of rows."),
]


def _list_options(func):
    for option in reversed(_LIST_OPTIONS):
        func = option(func)
    return func


@cli.group(invoke_without_command=True)
@_list_options
@click.pass_context
def facts(ctx, period, kind, query, growth, as_json):
    """The fact table: every figure of the reports as a row (lists rows without a subcommand).

    \b
    Example usage:
        qa facts --period 2017 --kind estimate
        qa facts --query GDP --json
        qa facts --growth-above 10
        qa facts compare 固定资产投资 --year 2018
        qa facts check
    """
    if ctx.invoked_subcommand is None:
        _list(ctx.obj, period, kind, query, as_json, growth)


@facts.command("list")
@_list_options
@click.pass_obj
def list_(settings, period, kind, query, growth, as_json):
    """List rows of the fact table, filtered and ranked.

    \b
    Example usage:
        qa facts list --period 2018 --kind target
        qa facts list --query 外资
    """
    _list(settings, period, kind, query, as_json, growth)


@facts.command()
@click.argument("doc")
@click.option("--out", type=click.Path(dir_okay=False), help="Write the proposed rows here (JSON Lines).")
@click.pass_obj
def extract(settings, doc, out):
    """Propose fact rows from a report's text (marked reviewed: false; `qa add` writes them for you).

    DOC is a document id of the corpus or a path to a report file.

    \b
    Example usage:
        qa facts extract weidong-2018-government-work-report
        qa facts extract corpus/weidong-2018-government-work-report.txt --out /tmp/proposed.jsonl
    """
    document = _document(settings, doc)
    rows = propose_facts(document)
    text = dump_facts(rows)
    if out:
        Path(out).write_text(text, encoding="utf-8")
        click.echo(f"{len(rows)} rows proposed -> {out}", err=True)
    else:
        click.echo(text, nl=False)


@facts.command()
@click.option("--verbose", "-v", is_flag=True, help="Also list what was excluded and why.")
@click.option("--hints/--no-hints", default=True, help="List review hints (they never fail the check).")
@click.pass_obj
def check(settings, verbose, hints):
    """Check every fact table against its report; exit 1 when a row is in error.

    Errors (exit 1): a source not verbatim in the cleaned text or not stating the value and its
    qualifiers, a wrong base value, a kind that does not fit its period, a duplicate id or row,
    two values under one name where a reviewed row is involved.
    Review hints (no failure): indicator names of unreviewed rows that read like fragments, two
    values under one unreviewed name, numbers of the report neither in a row nor excluded.

    \b
    Example usage:
        qa facts check
        qa facts check -v --no-hints
    """
    docs = load_corpus(settings.corpus_dir)
    facts = load_facts(settings.corpus_dir)
    errors, review = table_check(facts, docs)
    for document in docs:
        table = Path(settings.corpus_dir) / f"{document.doc_id}{FACTS_SUFFIX}"
        if not table.exists():
            click.echo(f"{document.doc_id}: no fact table (run `qa add` or `qa facts extract {document.doc_id}`)", err=True)
            continue
        exclusions = load_exclusions(Path(settings.corpus_dir) / f"{document.doc_id}{EXCLUDED_SUFFIX}")
        missing, excluded = coverage(document, facts, exclusions)
        review += [f"{document.doc_id}: {p}" for p in missing]
        if verbose:
            for line in excluded:
                click.echo(f"excluded  {line}")
    if hints:
        for h in review:
            click.echo(f"hint  {h}")
    for e in errors:
        click.echo(f"error  {e}")
    rows = len(facts)
    unreviewed = sum(not f.reviewed for f in facts)
    summary = (f"{rows} rows ({unreviewed} not reviewed) in {len(docs)} documents: "
               f"{len(errors)} errors, {len(review)} review hints")
    if errors:
        raise FactTableError(summary)
    click.echo(f"ok: {summary}")


@facts.command()
@click.argument("indicator")
@click.option("--year", type=int, help="The plan year (default: the latest year with a goal).")
@click.pass_obj
def compare(settings, indicator, year):
    """Compare an indicator's goal for a year with the result of the year before.

    \b
    Example usage:
        qa facts compare 固定资产投资
        qa facts compare GDP --year 2018
    """
    facts = load_facts(settings.corpus_dir)
    years = [year] if year else sorted({f.period for f in facts if f.kind in ("target", "plan")}, reverse=True)
    for y in years:
        found = compare_target(facts, indicator, y)
        if found:
            click.echo(found.text)
            click.echo(f"  {_line(found.target)}\n  {_line(found.result)}")
            return
    raise InputError(f"no goal and previous result for {indicator!r} in the table")


def _document(settings, doc: str):
    path = Path(doc)
    if path.suffix == ".txt" and path.exists():
        from qa.ingest import load_document
        return load_document(path)
    for document in load_corpus(settings.corpus_dir):
        if document.doc_id == doc:
            return document
    raise InputError(f"no document {doc!r} in {settings.corpus_dir}")
