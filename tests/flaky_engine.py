"""The fake engine with a start that fails, dies or hangs on demand (for the supervisor's tests).

The file named by QA_FLAKY_FILE says what the next start does: "fail" (a CorpusError), "die"
(the process exits), "hang" (never gets ready); anything else, or no file, starts normally.
Questions containing "sleep" take 2 s.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from fake_engine import FakeEngine

from qa.errors import CorpusError


class FlakyEngine(FakeEngine):
    @classmethod
    def load(cls, settings, *, embedder=None):
        control = Path(os.environ.get("QA_FLAKY_FILE", "/nonexistent"))
        mode = control.read_text().strip() if control.exists() else ""
        if mode == "fail":
            raise CorpusError(f"no corpus at {settings.corpus_dir}")
        if mode == "die":
            os._exit(3)
        if mode == "hang":
            time.sleep(3600)
        return cls(settings)

    def ask(self, question, history=()):
        if "sleep" in question:
            time.sleep(2)
        return super().ask(question, history)
