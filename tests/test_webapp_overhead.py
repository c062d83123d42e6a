"""Per-request work the server does outside the engine (issue 14): kept small without losing anything."""

from __future__ import annotations

import importlib.util
import os
import sys

import gradio as gr
from fake_engine import FakeEngine
from gradio import state_holder

from qa import webapp


def _app():
    return webapp.build_app(FakeEngine())


def test_a_new_session_copies_no_component_config_up_front():
    app = _app()
    session = state_holder.SessionState(app)  # what StateHolder makes for each new session (every REST call)
    assert isinstance(session, webapp._LazySessionState)
    assert session.config_values == {}


def test_a_session_still_lists_every_component_as_gradio_would():
    app = _app()
    eager = webapp._LazySessionState.__mro__[1](app)  # gradio's own SessionState
    lazy = state_holder.SessionState(app)
    assert sorted(map(repr, lazy.components)) == sorted(map(repr, eager.components))
    assert len(list(lazy.components)) == len(app.blocks)


def test_a_changed_component_is_listed_with_its_new_value():
    app = _app()
    session = state_holder.SessionState(app)
    key = next(k for k, b in app.blocks.items() if isinstance(b, gr.Textbox))
    session._update_value_in_config(key, "新的值")
    listed = [c for c in session.components if c.get("id") == key]
    assert listed and listed[0]["props"]["value"] == "新的值"


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
