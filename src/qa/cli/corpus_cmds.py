"""`qa sections` and `qa passages`: the report as the package sees it."""

from __future__ import annotations

import json

import click

from qa.cli import cli
from qa.errors import CorpusError
from qa.ingest import load_corpus
from qa.models import DocProfile, Document, Section


def _select(docs: list[Document], doc_id: str | None) -> list[Document]:
    if doc_id is None:
        return docs
    chosen = [d for d in docs if d.doc_id == doc_id or d.path.endswith(doc_id)]
    if not chosen:
        known = ", ".join(d.doc_id for d in docs)
        raise CorpusError(f"no document '{doc_id}' in the corpus (have: {known})")
    return chosen


def _count(section: Section) -> int:
    return len(section.passage_ids) + sum(_count(c) for c in section.children)


def _print_tree(section: Section, depth: int = 0) -> None:
    click.echo(f"{'  ' * depth}{section.title}  [{_count(section)}]")
    for child in section.children:
        _print_tree(child, depth + 1)


@cli.command()
@click.argument("doc", required=False)
@click.pass_obj
def sections(settings, doc):
    """Print each report's profile (saying which values were inferred or are missing),
    then its section tree with passage counts.

    Example usage:

    \b
        qa sections
        qa sections weidong-2018-government-work-report
    """
    for document in _select(load_corpus(settings.corpus_dir), doc):
        meta = document.meta
        click.echo(f"# {document.doc_id}: {meta.region or ''}{meta.year or ''} {meta.title} "
                   f"({len(document.passages)} passages, {document.encoding})")
        for line in profile_lines(document.profile):
            click.echo(line)
        for section in document.sections:
            _print_tree(section)
        click.echo()


_PROFILE_FIELDS = (
    ("region", "地区"),
    ("short_names", "简称"),
    ("level", "层级"),
    ("area_word", "全域用词"),
    ("date", "报告日期"),
    ("review_year", "回顾年度"),
    ("plan_year", "计划年度"),
)
_SOURCE_WORDS = {"meta": "meta.json", "head": "报告开头", "inferred": "推断", "missing": "缺失"}


def profile_lines(profile: DocProfile) -> list[str]:
    """The profile, one field a line, each saying where its value came from; guesses are flagged."""
    lines = ["profile:"]
    for name, label in _PROFILE_FIELDS:
        value = getattr(profile, name)
        if isinstance(value, tuple):
            value = "、".join(value)
        source = profile.sources.get(name, "missing")
        shown = "—" if value in (None, "", "unknown") else value
        flag = "  (inferred)" if source == "inferred" else "  (missing)" if source == "missing" else ""
        lines.append(f"  {name} {label}: {shown}  [{_SOURCE_WORDS[source]}]{flag}")
    missing = [n for n, _ in _PROFILE_FIELDS if profile.sources.get(n, "missing") == "missing"]
    if missing:
        lines.append(f"  missing values can be declared in <doc>.meta.json: {', '.join(missing)}")
    return lines


@cli.command()
@click.option("--doc", help="Only this document id.")
@click.option("--section", "section_text", help="Only passages whose heading path contains TEXT.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of passages.")
@click.pass_obj
def passages(settings, doc, section_text, as_json):
    """Print the passages (retrieval and citation units) with their heading paths.

    Example usage:

    \b
        qa passages --section 工作回顾
        qa passages --json
    """
    chosen = [
        p
        for d in _select(load_corpus(settings.corpus_dir), doc)
        for p in d.passages
        if section_text is None or any(section_text in h for h in p.section_path)
    ]
    if as_json:
        click.echo(json.dumps([p.model_dump(mode="json") for p in chosen], ensure_ascii=False, indent=1))
        return
    for p in chosen:
        period = f", period {p.period}" if p.period is not None else ""
        click.echo(f"[{p.id}] {p.heading}  ({p.start}-{p.end}{period})\n{p.text}\n")
