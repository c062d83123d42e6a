"""Follow-ups: a turn that leaves out what the previous turn said takes those slots from it.

The slots are the report (region), the years or period as written (so 去年 re-resolves if the
report changes), the indicator (topic), the kind (目标/实际) and the measure (level, growth, …).
The new turn replaces the slots it names. The understood question is written back in plain
Chinese ("2018年地区生产总值目标是多少") and parsed like any question, so a follow-up and the same
question typed in full give the same `Query`.

A turn is a follow-up when there is a previous turn and it names no indicator of its own, starts
with a continuing word (那/那么/其中/还有/what about…), or ends in 呢 with a short topic ("那农村呢？").
A question that names its own indicator without such a word stands alone.
"""

from __future__ import annotations

from typing import Mapping

from qa.models import DocProfile
from qa.question.parse import NUMERIC, Reading, read, to_query
from qa.question.query import Query
from qa.question.text import normalize
from qa.question.words import cues

SHORT_TOPIC = 3  # a topic this short ("农村", "工业") qualifies the earlier indicator instead of replacing it


def resolve(asked: str, previous: Query | None, profiles: Mapping[str, DocProfile], glossary,
            chosen_doc: str | None) -> Query:
    """The Query of `asked`, resolved against the previous turn's Query (None: no history)."""
    norm = normalize(asked)
    carried = (previous.doc_id, previous.scope) if previous is not None else None
    reading = read(norm, profiles, chosen_doc, carried)
    if previous is None or not is_followup(reading, previous):
        needs = not reading.topic and reading.measure in (*NUMERIC, "comparison", "yesno") and not reading.scoped.places
        return to_query(asked, asked, reading, profiles, glossary, needs_topic=needs)
    before = read(previous.normalized, profiles, chosen_doc, carried)
    topic = merge_topic(before.topic, reading.topic, glossary)
    if not topic:
        return to_query(asked, asked, reading, profiles, glossary, needs_topic=True)
    text = compose(reading, before, topic, previous)
    understood = read(normalize(text), profiles, chosen_doc, carried)
    return to_query(asked, text, understood, profiles, glossary, followup_of=previous.text)


def is_followup(reading: Reading, previous: Query) -> bool:
    c = cues()
    if not reading.topic:
        return True
    if c.followup_start.match(reading.norm):
        return True
    return bool(c.followup_end.search(reading.norm)) and len(reading.topic) <= SHORT_TOPIC + 1


def merge_topic(earlier: str, new: str, glossary=None) -> str:
    """The indicator a follow-up asks about: the new words, or the earlier indicator qualified by
    them ("农村" after "城镇居民人均可支配收入" → "农村居民人均可支配收入")."""
    if not new:
        return earlier
    if not earlier:
        return new
    named_concept = glossary is not None and bool(glossary.matches(new))
    if len(new) > SHORT_TOPIC or named_concept or " " in new:
        return new
    if new in earlier:
        return earlier
    for group in cues().alternatives:
        if new in group:
            for word in sorted(group, key=len, reverse=True):
                if word in earlier:
                    return earlier.replace(word, new, 1)
    return new + earlier


_MEASURE_PHRASE = {"level": "是多少", "share": "是多少", "count": "有多少", "growth": "增长多少", "rank": "排第几",
                   "date": "是什么时候", "who": "是谁", "list": "有哪些"}


def compose(new: Reading, before: Reading, topic: str, previous: Query) -> str:
    """The follow-up written as a full question from the slots of both turns."""
    region = new.region_phrase or before.region_phrase
    years = new.year_phrase if new.years.spans else before.year_phrase
    kind_word = new.kind_said or before.kind_said or ""
    if new.kind_said is None and new.years.spans and before.kind_said in ("实际",):
        kind_word = ""
    source = new if new.measure_said and new.measure != "text" else before
    measure, also_growth, unit = source.measure, source.also_growth, new.unit or before.unit
    if source.completion:
        return f"{region}{years}{topic}{kind_word or '目标'}完成了吗？"
    if measure not in _MEASURE_PHRASE:
        rest = cues().followup_start.sub("", new.norm).strip(" ，,？?")
        return f"{previous.text.rstrip('？?。 ')}，{rest}？"
    if measure == "growth":
        head = f"{region}{years}{topic}增长{kind_word}" if kind_word in ("目标", "计划", "预期") else f"{region}{years}{topic}{kind_word}"
        return f"{head}是多少？" if head.endswith(("目标", "计划", "预期")) else f"{head}增长多少？"
    phrase = _MEASURE_PHRASE[measure] + (unit or "" if measure in NUMERIC else "")
    if also_growth:
        phrase += "？增长多少"
    return f"{region}{years}{topic}{kind_word}{phrase}？"
