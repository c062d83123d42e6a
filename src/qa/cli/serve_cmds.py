"""`qa serve`: start the supervised engine workers (building the index when missing or stale) and the web chat."""

from __future__ import annotations

import signal
import sys
import threading

import click

from qa.cli import cli


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0 for every interface).")
@click.option("--port", default=7860, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help="Engine processes answering side by side (default: the number of CPU cores).")
@click.option("--timeout", "ask_timeout", type=click.FloatRange(0.5, 3600), default=None,
              help="Seconds a question may take before its engine is restarted (default 20).")
@click.option("--allowed-host", "allowed_hosts", multiple=True, metavar="NAME",
              help="Host header value to answer besides the bound host (repeatable; e.g. a proxy's name).")
@click.pass_obj
def serve(settings, host, port, workers, ask_timeout, allowed_hosts):
    """Start the web chat: questions with quoted citations, the fact table and the report.

    The index is loaded, or built first when it is missing or stale (the first line
    printed says which). Each engine worker is a child process, restarted when it dies
    or hangs. The answer function is also an API endpoint, /ask, for gradio_client.
    `python ui/app.py` runs the same command.

    \b
    Example usage:
        qa serve
        qa serve --port 8080 --workers 2
        qa --index /tmp/qa-index serve --host 0.0.0.0 --allowed-host qa.example.org
    """
    if threading.current_thread() is threading.main_thread():
        # Ctrl-C stops the server even when it was started by a process that ignores SIGINT (a shell's
        # background job, a test runner): Python installs no handler when SIGINT is ignored at start.
        signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        _serve(settings, host, port, workers, ask_timeout, allowed_hosts)
    except KeyboardInterrupt:
        click.echo("stopped.", err=True)
        sys.exit(130)


def _serve(settings, host, port, workers, ask_timeout, allowed_hosts) -> None:
    # The engines load in child processes (qa.worker) while this one imports gradio: each takes
    # a couple of seconds of pure Python, and on several cores they overlap instead of queueing.
    from qa.worker import ASK_TIMEOUT_S, EnginePool

    click.echo("正在加载索引 …", err=True)
    engine = EnginePool(settings, workers, ask_timeout=ask_timeout or ASK_TIMEOUT_S)
    try:
        from qa import webapp

        click.echo(engine.wait_ready())  # each engine answers a warm-up question before it is ready
        app = webapp.build_app(engine)
        click.echo(f"Web chat on http://{host}:{port}/  ({len(engine.workers)} engine workers; API: /ask; "
                   "Ctrl+C to stop)")
        try:
            webapp.launch(app, host, port, quiet=True, allowed_hosts=allowed_hosts)
        except OSError as exc:  # port taken, address not local, …
            raise click.ClickException(f"cannot serve on {host}:{port}: {exc}") from None
    finally:
        engine.close()
