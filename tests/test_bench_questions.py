"""The fresh known-answer files (bench/questions) stay valid: their own checker passes on every file."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpus-dev"


@pytest.mark.skipif(not SHARED.is_dir(), reason="the development reports (../shared/corpus-dev) are not beside this checkout")
def test_question_files_pass_their_checker():
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "questions" / "check.py"), "--strict"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]


def test_fresh_report_gold_files_pass_their_checker():
    """bench/reports: every gold file against its report, with bench/questions/check.py's item check."""
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "reports" / "check.py")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
