"""The product's data files (cue words, units, qualifiers, genre words), read once per process."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=None)
def load(name: str):
    """The parsed JSON of `qa/data/<name>` (shared: callers never change it)."""
    return json.loads(resources.files("qa.data").joinpath(name).read_text(encoding="utf-8"))


def alternation(words) -> str:
    """Literal words as one regular-expression alternation, longest first (进出口 before 出口)."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))
