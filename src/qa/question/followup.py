"""Follow-ups: a turn that leaves out what the previous turn said takes those slots from it.

The slots are the report (region), the years or period as written (so 去年 re-resolves if the
report changes), the indicator (topic), the kind (目标/实际) and the measure (level, growth, …).
The new turn replaces the slots it names. The understood question is written back in plain
Chinese ("2018年地区生产总值目标是多少？") and parsed like any question, so a follow-up and the same
question typed in full give the same `Query`.

A turn is a follow-up when there is a previous turn and it names no indicator of its own, starts
with a continuing word (那/那么/其中/还有/what about…), ends in 呢 with a short topic ("那农村呢？"),
or names only a word of the earlier indicator ("今年计划改造多少" after "去年改造老旧小区多少个").
A question that names its own indicator without such a word stands alone.
"""

from __future__ import annotations

import re
from typing import Callable, Mapping, Sequence

from qa.models import DocProfile
from qa.question.parse import NUMERIC, Reading, read, to_query
from qa.question.query import Query
from qa.question.text import normalize
from qa.question.words import cues

SHORT_TOPIC = 3  # a topic this short ("农村", "工业") may qualify the earlier indicator instead of replacing it


def resolve(asked: str, previous: Query | None, profiles: Mapping[str, DocProfile], glossary,
            chosen_doc: str | None, earlier: Sequence[Query] = (), spell: Callable[[str], str] | None = None) -> Query:
    """The Query of `asked`, resolved against the previous turn's Query (None: no history);
    `earlier` holds all earlier turns' Queries, oldest first (for "两者差多少"); `spell` corrects words
    typed by their sound (the question as read is then the Query's text)."""
    norm = normalize(asked)
    read_as = asked
    fixed = spell(norm) if spell is not None else norm
    if fixed != norm:
        norm = fixed
        read_as = _abbreviations_upper(norm)  # 去年民声支出 is read 去年民生支出, and shown so
    carried = (previous.doc_id, previous.scope) if previous is not None else None
    reading = read(norm, profiles, chosen_doc, carried)
    if previous is None or not is_followup(reading, previous):
        needs = not reading.topic and reading.measure in (*NUMERIC, "comparison", "yesno") and not reading.scoped.places
        return to_query(asked, read_as, reading, profiles, glossary, needs_topic=needs)
    # the indicator comes from the latest earlier turn that named one ("比上年多了几家" names none)
    with_topic = next((q for q in reversed(earlier) if q.topic), previous) if earlier else previous
    before = read(with_topic.normalized, profiles, chosen_doc, carried)
    if reading.measure == "comparison" and _names_both(reading.topic) and _two_topics(earlier):
        text = _abbreviations_upper(_both(reading, before, earlier))
    else:
        topic = merge_topic(before.topic, reading.topic, glossary, marked=_marked(reading))
        if not topic:
            return to_query(asked, read_as, reading, profiles, glossary, needs_topic=True)
        text = _abbreviations_upper(compose(reading, before, topic, previous))
    understood = read(normalize(text), profiles, chosen_doc, carried)
    # the language the user asked in, though the understood question is written in Chinese
    return to_query(asked, text, understood, profiles, glossary, followup_of=previous.text, language=reading.language)


def _marked(reading: Reading) -> bool:
    c = cues()
    return bool(c.followup_start.match(reading.norm) or c.followup_end.search(reading.norm))


def _names_both(topic: str) -> bool:
    return not topic or topic in cues().raw["both_words"]


def is_followup(reading: Reading, previous: Query) -> bool:
    c = cues()
    if not reading.topic or _names_both(reading.topic):
        return True
    if c.followup_start.match(reading.norm):
        return True
    if c.followup_end.search(reading.norm) and len(reading.topic) <= SHORT_TOPIC + 1:
        return True
    if reading.topic in c.raw["aspect_words"]["words"]:
        return True  # "占比多少？": an aspect of the earlier indicator
    # "今年计划改造多少" after "去年改造老旧小区多少个": only a word of the earlier indicator
    return len(reading.topic) <= 2 and bool(previous.topic) and reading.topic in previous.topic


def merge_topic(earlier: str, new: str, glossary=None, marked: bool = True) -> str:
    """The indicator a follow-up asks about:
    - a word of the earlier indicator keeps it ("改造" after "改造老旧小区");
    - a variant of a qualifier swaps it ("农村" after "城镇居民收入" → "农村居民收入") or, when
      the earlier has none, qualifies it ("农村" after "居民收入" → "农村居民收入");
    - an aspect ("总数呢？") is appended ("高新技术企业总数");
    - anything else replaces it ("那固定资产投资呢？")."""
    if not new:
        return earlier
    if not earlier:
        return new
    if new in earlier:
        return earlier
    for group in cues().alternatives:  # a variant swaps, whatever the glossary says of the word alone
        if new in group:
            for word in sorted(group, key=len, reverse=True):
                if word in earlier and word != new:
                    return earlier.replace(word, new, 1)
    named_concept = glossary is not None and bool(glossary.matches(new, related=True))
    if len(new) <= SHORT_TOPIC and not named_concept and " " not in new:
        if new in cues().raw["alternatives"]["qualifiers"]:
            return new + earlier
    if new in cues().raw["aspect_words"]["words"] or (not marked and len(new) <= 2):
        return earlier + new
    return new


_MEASURE_PHRASE = {"level": "是多少", "share": "是多少", "count": "有多少", "growth": "增长多少", "rank": "排第几",
                   "date": "是什么时候", "who": "是谁", "list": "有哪些"}
_KIND_WORD = {"target": "目标", "plan": "目标"}  # "plan" as a kind word of a figure: its target


def _kind_word(reading: Reading) -> str:
    """目标/计划/实际 as the understood question says it, from the words of one turn."""
    if reading.kind_said is None:
        return ""
    if reading.kind == "result":
        return "实际" if "实际" in reading.kind_said else ""
    said = reading.kind_said
    return said if said in ("目标", "计划", "预期") else _KIND_WORD.get(reading.kind, "")


def compose(new: Reading, before: Reading, topic: str, previous: Query) -> str:
    """The follow-up written as a full question from the slots of both turns."""
    region = new.region_phrase or before.region_phrase
    years = _year_words(new) if new.years.spans else _year_words(before)
    kind_word = _kind_word(new) or ("" if new.years.spans and before.kind == "result" else _kind_word(before))
    source = new if new.measure_said and new.measure != "text" else before
    measure, also_growth, unit = source.measure, source.also_growth, new.unit or before.unit
    if source.completion:
        return f"{region}{years}{topic}{kind_word or '目标'}完成了吗？"
    if before.why and not new.measure_said:  # 为什么…下降了 → 那税收呢: the same why about税收
        change = {"fall": "下降", "rise": "上升"}.get(before.claimed or "", "变化")
        return f"为什么{region}{years}{topic}{change}了？"
    if measure not in _MEASURE_PHRASE:
        rest = cues().followup_start.sub("", new.norm).strip(" ，,？?")
        years = before.year_phrase  # the new turn's own year words stay in `rest` (比上年多了几家)
        return f"{region}{years}{topic}{kind_word}{_MEASURE_PHRASE.get(before.measure, '')}，{rest}？"
    if measure == "growth":
        if kind_word in ("目标", "计划", "预期"):
            return f"{region}{years}{topic}增长{kind_word}是多少？"
        return f"{region}{years}{topic}{kind_word}增长多少？"
    phrase = _MEASURE_PHRASE[measure] + (unit or "" if measure in NUMERIC else "")
    if also_growth:
        phrase += "？增长多少"
    return f"{region}{years}{topic}{kind_word}{phrase}？"


def _two_topics(earlier: Sequence[Query]) -> list[str]:
    """The last two distinct indicators asked about, latest first ([] when fewer)."""
    topics: list[str] = []
    for query in reversed(earlier):
        if query.topic and query.topic not in topics:
            topics.append(query.topic)
        if len(topics) == 2:
            return topics
    return []


_ABBREVIATION = re.compile(r"(?<![a-z])[a-z]{2,4}(?:\d+(?:\.\d+)?)?(?![a-z])")


def _abbreviations_upper(text: str) -> str:
    """The understood question is built from normalised (lower-case) words: GDP, CPI, PM2.5 as written."""
    return _ABBREVIATION.sub(lambda m: m.group(0).upper(), text)


def _year_words(reading: Reading) -> str:
    """The year expressions as the understood question writes them: Chinese as typed (去年 re-resolves
    if the report changes), English ones as the years they resolved to ("in 2021" → 2021年)."""
    phrase = reading.year_phrase
    if _CJK.search(phrase):
        return phrase
    if reading.years.span_end is not None and reading.years.span_start is not None:
        return f"{reading.years.span_start}—{reading.years.span_end}年"
    return "".join(f"{y}年" for y in reading.years.years)


_CJK = re.compile(r"[\u4e00-\u9fff]")


def _both(new: Reading, before: Reading, earlier: Sequence[Query]) -> str:
    """"两者差多少？": the comparison of the last two indicators asked about."""
    topics = _two_topics(earlier)
    region = new.region_phrase or before.region_phrase
    years = new.year_phrase if new.years.spans else before.year_phrase
    cue = cues().measure["comparison"].search(new.norm)
    ask = new.norm[cue.start():] if cue else "差多少"
    return f"{region}{years}{topics[1]}和{topics[0]}{ask.rstrip('？?')}？"
