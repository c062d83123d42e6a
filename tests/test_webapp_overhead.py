"""Per-request work the server does outside the engine (issue 14): kept small without losing anything."""

from __future__ import annotations

import importlib.util
import os
import sys

from fake_engine import FakeEngine

from qa import webapp


def _app():
    return webapp.build_app(FakeEngine())


def test_queue_positions_are_sent_on_a_timer_not_to_every_waiter_at_every_start():
    queue = _app()._queue
    assert queue.live_updates is False
    assert queue.update_intervals == webapp.STATUS_UPDATE_S


def test_the_analytics_summary_is_not_rebuilt_after_every_event():
    assert int(os.environ["GRADIO_ANALYTICS_CACHE_FREQUENCY"]) >= 100
    assert _app()._queue.ANAYLTICS_CACHE_FREQUENCY >= 100


def test_a_missing_matplotlib_is_remembered_not_searched_for_at_every_event():
    if "matplotlib" in sys.modules and sys.modules["matplotlib"] is not None:
        return  # installed: gradio switches its backend as usual
    assert sys.modules.get("matplotlib", None) is None
    assert importlib.util.find_spec("matplotlib") is None
