"""Any input gives a Query or a clear InputError, in bounded time (property tests over the question layer)."""

from __future__ import annotations

import time

from hypothesis import given, settings, strategies as st

from qa.errors import InputError
from qa.models import DocProfile, Turn
from qa.question.parse import parse, warm

REPORTS = {"a": DocProfile(region="河西县", review_year=2020, plan_year=2021),
           "b": DocProfile(region="内蒙古自治区", short_names=("内蒙古",), review_year=2018, plan_year=2019)}
# the characters questions are made of, with the ones the cue patterns look for
ALPHABET = st.sampled_from(list("去年今前明十三五四百千万亿元个家多少几增长目标计划比和与哪是吗呢那农村县市区省河西内蒙古"
                                "0123456789.%？?，, abcdefghijklmnopqrstuvwxyz　０１２\x00\u200b\ud800\n"))


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.text(ALPHABET, max_size=600), st.text(max_size=80)),
       st.lists(st.text(ALPHABET, min_size=1, max_size=60), max_size=3))
def test_any_text_parses_or_is_refused_clearly(text, earlier):
    warm(REPORTS)  # once: opencc tables and the romanised names load on first use
    history = [Turn(question=t) for t in earlier]
    started = time.process_time()
    try:
        query = parse(text, history, reports=REPORTS)
    except InputError as exc:
        assert "问题" in str(exc)
    else:
        assert query.asked and query.scope in ("named", "ambiguous")
        assert all(isinstance(y, int) for y in query.years)
        assert query.doc_id in (None, "a", "b")
    assert time.process_time() - started < 0.5
