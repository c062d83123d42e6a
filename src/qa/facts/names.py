"""Is an indicator name a noun phrase a user could ask about? Rule-based review hints.

`name_problems(name)` lists what looks wrong with an automatically extracted indicator name:
too short, punctuation or a digit at an edge, a bare verb or a verb ending (竣工, 完成), a
generic word alone (总数, 占比), a share without its whole (占…), a year inside, or a whole clause
(over 24 characters). The words are data (`data/facts.json`). The hints never fail a check.
"""

from __future__ import annotations

import re

from qa.facts.extract import BARE_VERBS, GENERIC_NAMES, VERB_ENDS
from qa.numbers import YEAR_DIGITS, is_reduction_indicator

_EDGE = re.compile(r"^[\W\d_]|[\W_]$")
_YEAR = re.compile(YEAR_DIGITS + r"\s*年")
MAX_LEN = 24


def name_problems(name: str, growth_suffix: str = "增速") -> list[str]:
    """What looks wrong with an indicator name ([] when it reads as a noun phrase)."""
    core = name.removesuffix(growth_suffix) if name != growth_suffix else name
    problems = []
    if len(core) < 2:
        problems.append("under 2 characters")
    edges = core[:-1] if core.endswith("”") and core.count("“") == core.count("”") else core  # 挂牌“新三板”
    if edges and _EDGE.search(edges) and not edges.startswith(("PM", "GDP")):
        problems.append("punctuation or digit at an edge")
    if core in BARE_VERBS:
        problems.append("a bare verb")
    elif core.endswith(VERB_ENDS) and not is_reduction_indicator(core):
        problems.append("ends with a verb")
    if core in GENERIC_NAMES:
        problems.append("a generic word alone")
    if core.startswith("占"):
        problems.append("a share without its whole")
    if _YEAR.search(core):
        problems.append("a year inside")
    if len(core) > MAX_LEN:
        problems.append(f"over {MAX_LEN} characters (a clause, not a name)")
    return problems
