"""`qa add FILE`: onboard a report in one command (copy, read, tabulate, index, summary)."""

from __future__ import annotations

import time
from pathlib import Path

import click

from qa.cli import cli
from qa.onboard import add_report


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--doc-id", help="Id of the report in the corpus (default: the file name without .txt).")
@click.option("--corpus", "corpus_dir", type=click.Path(file_okay=False),
              help="Corpus folder to add to (default: the global --corpus / QA_CORPUS).")
@click.option("--index", "index_dir", type=click.Path(file_okay=False),
              help="Index folder to rebuild (default: the global --index / QA_INDEX).")
@click.option("--replace", is_flag=True, help="Replace a different report already under the same id.")
@click.option("--no-index", is_flag=True, help="Skip rebuilding the index (run `qa build` later).")
@click.pass_obj
def add(settings, file, doc_id, corpus_dir, index_dir, replace, no_index):
    """Add a report: copy it into the corpus, read its structure and profile, extract its
    fact rows (reviewed: false), rebuild the index and print what a reviewer may check.

    The source file is never modified. A reviewed fact table already in the corpus is kept
    exactly as it is.

    \b
    Example usage:
        qa add ~/reports/qinghe-county-2021.txt
        qa add report.txt --doc-id nanhu-2023 --corpus /tmp/corpus --index /tmp/index
        qa add report.txt --replace
    """
    start = time.perf_counter()
    overrides = {k: Path(v) for k, v in (("corpus_dir", corpus_dir), ("index_dir", index_dir)) if v}
    if overrides:
        settings = settings.model_copy(update=overrides)
    result = add_report(Path(file), settings, doc_id=doc_id, replace=replace, build=not no_index)
    for line in result.summary():
        click.echo(line)
    click.echo(f"done in {time.perf_counter() - start:.1f}s; ask with: qa ask --doc {result.doc.doc_id} \"…\"",
               err=True)
