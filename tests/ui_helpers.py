"""Start the web chat on a free loopback port, wait until it answers, stop it.

The server runs in a subprocess, exactly as a user starts it (`qa serve --port N`)
with a fresh index folder, so the tests also see the index being built. Until the
answer engine exists (`qa.engine`), the same app is served over the fake engine of
`tests/fake_engine.py` (`python tests/ui_helpers.py --port N`).
"""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARTEFACTS = ROOT / "test-artefacts"
VENV_BIN = Path(sys.executable).parent
ARGS_CHROMIUM = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def real_engine_available() -> bool:
    return importlib.util.find_spec("qa.engine") is not None


def _command(port: int) -> list[str]:
    if real_engine_available() and not os.environ.get("QA_UI_FAKE_ENGINE"):  # the fake: for UI work alone
        return [str(VENV_BIN / "qa"), "serve", "--host", "127.0.0.1", "--port", str(port)]
    return [sys.executable, str(Path(__file__).resolve()), "--port", str(port)]


def wait_ready(url: str, proc: subprocess.Popen, log: Path, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url + "gradio_api/info", timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"server not ready after {timeout}s:\n{log.read_text()[-3000:]}")


@contextmanager
def running_server(tmp_path: Path, name: str = "server", corpus: Path | None = None):
    """Yield the base URL of a server started for this test (on `corpus`, else the project's);
    its log goes to test-artefacts/."""
    ARTEFACTS.mkdir(exist_ok=True)
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    env = dict(os.environ, GRADIO_ANALYTICS_ENABLED="False", QA_INDEX=str(tmp_path / "index"),
               HF_HUB_OFFLINE="1", NO_PROXY="127.0.0.1,localhost", PYTHONUNBUFFERED="1")
    if corpus is not None:
        env["QA_CORPUS"] = str(corpus)
    log = ARTEFACTS / f"{name}.log"
    with log.open("w") as out:
        proc = subprocess.Popen(_command(port), cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_ready(url, proc, log)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


DEV_CORPUS = ROOT.parent / "shared" / "corpus-dev"


def two_report_corpus(folder: Path, dev_report: str = "nanhu-district-2023-government-work-report.txt") -> Path:
    """A temporary corpus: the project's report(s) and a copy of one development report (never corpus/)."""
    import shutil

    folder.mkdir(parents=True, exist_ok=True)
    for path in (ROOT / "corpus").iterdir():
        if path.is_file():
            shutil.copy2(path, folder / path.name)
    shutil.copy2(DEV_CORPUS / dev_report, folder / dev_report)
    return folder


def _serve_fake(port: int) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from fake_engine import FakeEngine  # noqa: PLC0415

    from qa import webapp
    engine = FakeEngine()
    print(engine.status, flush=True)
    webapp.launch(webapp.build_app(engine), "127.0.0.1", port, quiet=True)


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="Serve the web chat over the fake test engine.")
    parser.add_argument("--port", type=int, default=7860)
    _serve_fake(parser.parse_args().port)
