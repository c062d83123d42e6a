"""`qa serve`: load the engine (building the index when missing or stale) and start the web chat."""

from __future__ import annotations

import click

from qa.cli import cli


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0 for every interface).")
@click.option("--port", default=7860, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.pass_obj
def serve(settings, host, port):
    """Start the web chat: questions with quoted citations, the fact table and the report.

    The index is loaded, or built first when it is missing or stale (the first line
    printed says which). The answer function is also an API endpoint, /ask, for
    gradio_client. `python ui/app.py` runs the same command.

    \b
    Example usage:
        qa serve
        qa serve --port 8080
        qa --index /tmp/qa-index serve --host 0.0.0.0
    """
    # The engine loads in a child process (qa.worker) while this one imports gradio: each takes
    # a couple of seconds of pure Python, and on two cores they overlap instead of queueing.
    from qa.worker import EngineWorker

    click.echo("正在加载索引 …", err=True)
    engine = EngineWorker(settings)
    from qa import webapp

    click.echo(engine.wait_ready())
    # One question before serving: the first user should not pay for the warm-up.
    try:
        engine.ask("报告的主要内容是什么？")
    except Exception as exc:  # the chat shows its own message for the same failure later
        click.echo(f"warning: warm-up question failed: {exc}", err=True)
    app = webapp.build_app(engine)
    click.echo(f"Web chat on http://{host}:{port}/  (API: /ask; Ctrl+C to stop)")
    try:
        webapp.launch(app, host, port, quiet=True)
    except OSError as exc:  # port taken, address not local, …
        raise click.ClickException(f"cannot serve on {host}:{port}: {exc}") from None
