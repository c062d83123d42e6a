"""The product's data files (cue words, units, qualifiers, genre words), read once per process."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=None)
def load(name: str):
    """The parsed JSON of `qa/data/<name>` (shared: callers never change it)."""
    return json.loads(resources.files("qa.data").joinpath(name).read_text(encoding="utf-8"))
