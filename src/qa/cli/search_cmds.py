"""`qa build`, `qa search` and `qa eval`: the index, retrieval and its measurement."""

from __future__ import annotations

import json
import time

import click

from qa.cli import cli
from qa.errors import InputError
from qa.index import build_index
from qa.retrieve import RETRIEVERS, open_retrievers

_RETRIEVER = click.option(
    "--retriever", type=click.Choice(RETRIEVERS), default="hybrid", show_default=True,
    help="bm25 (words), dense (embeddings) or hybrid (both, with query understanding).",
)


@cli.command()
@click.option("--rebuild", is_flag=True, help="Rebuild even when the index is up to date.")
@click.pass_obj
def build(settings, rebuild):
    """Embed every passage of the corpus and write the index folder.

    Without --rebuild an up-to-date index is kept as it is. The model is the global
    --model option (or QA_MODEL); the index type comes from QA_INDEX_TYPE (flat, hnsw, ivf).

    Example usage:

    \b
        qa build
        qa build --rebuild
        qa --model path/to/sentence-transformers-model build
    """
    start = time.perf_counter()
    if rebuild:
        index = build_index(settings)
    else:
        index = open_retrievers(settings, rebuild="auto").dense.index
    m = index.manifest
    store = "" if m.store == "faiss" else f", store {m.store}"
    click.echo(f"index {settings.index_dir}: {m.passage_count} passages, model {m.model} "
               f"(dim {m.dimension}, {m.index_type}{store}), built {m.built_at} [{time.perf_counter() - start:.1f}s]")


@cli.command()
@click.argument("question")
@click.option("--k", default=5, show_default=True, type=click.IntRange(1, 100), help="Passages to show.")
@_RETRIEVER
@click.option("--doc", "doc_ids", multiple=True, metavar="ID",
              help="Only passages of this report (its doc id, the file stem; repeat for several).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of hits.")
@click.pass_obj
def search(settings, question, k, retriever, doc_ids, as_json):
    """Print the passages that best match QUESTION, with scores and heading paths.

    Example usage:

    \b
        qa search "去年GDP增长多少？"
        qa search "固投" --k 3 --retriever bm25
        qa search "What is the growth target for this year?" --json
        qa search "GDP增长多少？" --doc weidong-2018-government-work-report
    """
    if not question.strip():
        raise InputError("the question is empty")
    if len(question) > settings.max_question_chars:
        raise InputError(f"the question is longer than {settings.max_question_chars} characters")
    retrievers = open_retrievers(settings)
    known = sorted({p.doc_id for p in retrievers.hybrid.passages})
    unknown = [d for d in doc_ids if d not in known]
    if unknown:
        raise InputError(f"no report {', '.join(unknown)} in the index; reports: {', '.join(known)}")
    hits = retrievers.get(retriever).search(question, k, doc_ids=list(doc_ids) or None)
    if as_json:
        click.echo(json.dumps([h.model_dump(mode="json") for h in hits], ensure_ascii=False, indent=2))
        return
    if not hits:
        click.echo("no passage matches")
    for hit in hits:
        p = hit.passage
        click.echo(f"{hit.rank}. [{hit.score:.3f}] {p.heading}  ({p.id}, chars {p.start}-{p.end})")
        click.echo(f"   {p.text.replace(chr(10), ' ')}")


@cli.command(name="eval")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@_RETRIEVER
@click.option("--k", default=5, show_default=True, type=click.IntRange(1, 100),
              help="Depth at which misses are listed (metrics are always hit@1/3/5 and mrr).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object of metrics.")
@click.option("--answers/--no-answers", default=True, show_default=True,
              help="Also answer every question (as `qa ask` does) and report the answer metrics.")
@click.option("--doc", "doc_id", default=None, metavar="ID",
              help="Ask items that have no doc_id of this report, as a user who chose it (items with a doc_id keep theirs).")
@click.pass_obj
def eval_(settings, file, retriever, k, as_json, answers, doc_id):
    """Measure retrieval on a known-answer file (JSON Lines, schema of the eval README).

    Reports hit@1, hit@3, hit@5 and mrr overall and per category, and the answer metrics
    numeric_accuracy, comparative_accuracy, citation_accuracy, abstain_recall,
    false_abstain_rate and wrong_verified (answers through the same path as `qa ask`).

    Example usage:

    \b
        qa eval tests/known_answers.jsonl
        qa eval tests/known_answers.jsonl --retriever bm25 --json
        qa eval tests/known_answers.jsonl --doc weidong-2018-government-work-report
    """
    from qa.evaluate import load_known_answers, metrics_from_ranks, rank_items, timed_search

    items = load_known_answers(file)
    retrievers = open_retrievers(settings)
    chosen = retrievers.get(retriever)
    if doc_id is not None:
        known = sorted({p.doc_id for p in retrievers.hybrid.passages})
        if doc_id not in known:
            raise InputError(f"no report {doc_id} in the index; reports: {', '.join(known)}")
        items = [i if i.doc_id else i.model_copy(update={"doc_id": doc_id}) for i in items]
    ranks = rank_items(items, chosen)
    result = metrics_from_ranks(items, ranks)
    failed: dict = {}
    if answers:
        from qa.engine import Engine
        from qa.evaluate import answer_metrics

        measured = answer_metrics(items, Engine.load(settings).ask)
        outcomes = measured.pop("outcomes")
        failed = {i: o for i, o in outcomes.items()
                  if o.get("wrong_verified") or o.get("false_abstain") or not all(
                      o.get(key, True) for key in ("numeric", "comparative", "citation", "abstained"))}
        for key, value in measured.items():
            if key == "by_category":
                for category, row in value.items():
                    result["by_category"][category].update(row)
            else:
                result[key] = value
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    click.echo(f"{retriever}: {file}  n={result['n']} answerable={result['n_answerable']}")
    header = f"{'category':<22}{'n':>5}{'hit@1':>8}{'hit@3':>8}{'hit@5':>8}{'mrr':>8}"
    click.echo(header)
    rows = [("overall", result)] + list(result["by_category"].items())
    for name, row in rows:
        cells = "".join(f"{row[key]:>8.3f}" if row[key] is not None else f"{'-':>8}"
                        for key in ("hit@1", "hit@3", "hit@5", "mrr"))
        click.echo(f"{name:<22}{row['n_answerable']:>5}{cells}")
    if answers:
        names = ("numeric_accuracy", "comparative_accuracy", "citation_accuracy", "abstain_recall",
                 "false_abstain_rate", "wrong_verified")
        click.echo("answers: " + ", ".join(
            f"{name} {result[name]:.3f}" if isinstance(result[name], float) else f"{name} {result[name]}"
            for name in names if result[name] is not None))
        by_id = {i.id: i for i in items}
        for item_id, outcome in failed.items():
            wrong = [key for key, ok in outcome.items() if ok == (key in ("false_abstain", "wrong_verified"))]
            click.echo(f"  {item_id} [{by_id[item_id].category}] {by_id[item_id].question}  ({', '.join(wrong)})")
    latency = timed_search(chosen, [i.question for i in items][:50])
    click.echo(f"latency per query: p50 {latency['p50_ms']:.1f} ms, p95 {latency['p95_ms']:.1f} ms")
    misses = [i for i in items if i.answerable and (ranks[i.id] is None or ranks[i.id] > k)]
    if misses:
        click.echo(f"not in the top {k}:")
        for item in misses:
            click.echo(f"  {item.id} [{item.category}] {item.question}  (rank {ranks[item.id] or '>10'})")
