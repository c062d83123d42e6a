"""The fact table: every figure of a report as a `Fact` row (`table`), and rows proposed from
a report's text without hand review (`extract`). Import from here: `from qa.facts import load_facts`.
"""

from qa.facts.table import *  # noqa: F401,F403
from qa.facts.table import (ALIASES, EXCLUDED_SUFFIX, FACTS_SUFFIX, FORWARD_KINDS, GROWTH_ALIASES,  # noqa: F401
                            GROWTH_SUFFIX, QUALIFIER_SEP, RESULT_KINDS, auto_exclusion, dump_facts,
                            growth_above, is_growth_row, load_exclusions, load_fact_file, load_facts,
                            match_facts, normalise, qualifier_words, select_facts,
                            area_words, is_whole_area)
from qa.facts.extract import area_word, propose_facts, report_years  # noqa: F401
