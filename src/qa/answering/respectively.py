"""Which figure of a "分别" list is whose: "城市、农村低保标准分别提高到680元和520元" gives 680元 to 城市 and 520元 to
农村; "城乡居民…分别…" names 城镇 and 农村 by one word."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from qa.answering.candidates import quantities
from qa.answering.derive import _BOUNDARY, _CLAUSE, clause_start, cues
from qa.numbers import Quantity


@dataclass(frozen=True)
class Respectively:
    """The figures after a "分别" and the words before it that name their subjects, in order."""

    subjects: str
    subjects_start: int
    figures: tuple[Quantity, ...]


def respectively(text: str) -> list[Respectively]:
    qs = quantities(text)
    out = []
    for m in cues()["respectively"].finditer(text):
        start = clause_start(text, m.start(), _BOUNDARY)
        subjects = text[start:m.start()]
        lists = _lists_after(text, [q for q in qs if q.start >= m.end()], m.end())
        if out and lists and (out[-1].subjects_start >= start or not subjects.strip("，,；;：: ")) \
                and len(lists[0]) == len(out[-1].figures):
            # "A和B分别达到1元和2元，分别增长3%和4%": the second list has the first one's subjects
            subjects, start = out[-1].subjects, out[-1].subjects_start
        out.extend(Respectively(subjects, start, tuple(figures)) for figures in lists)
    return out


def _lists_after(text: str, qs: list[Quantity], at: int) -> list[list[Quantity]]:
    """The list of figures right after a "分别" (joined by 、/和), and the list of as many its change verb leads
    to ("分别由26010元、12753元增加到36480元、19260元": the start and the end states, one subject each)."""
    lists: list[list[Quantity]] = []
    figures: list[Quantity] = []
    for q in qs:
        gap = text[figures[-1].end:q.start] if figures else ""
        if not figures and any(ch in _CLAUSE for ch in text[at:q.start]):
            break
        if figures and (not cues()["joins"].match(gap) or q.is_growth != figures[0].is_growth):
            between = cues()["between"].match(gap)
            if lists or len(figures) < 2 or between is None or gap[between.end():].strip():
                break
            lists.append(figures)  # 由A、B增加到: the end states follow
            figures = []
        figures.append(q)
    if len(figures) >= 2:
        lists.append(figures)
    return [f for f in lists if len(f) == len(lists[0])]


_LIST_SPLIT = re.compile(r"[、和与及]")


@lru_cache(maxsize=4096)
def list_subjects(text: str, at: int) -> tuple[tuple[str, ...], int] | None:
    """For the figure at position `at` of a sentence, when it stands in a "分别" list naming one subject per
    figure ("城市、农村低保标准分别提高到680元和520元"): (the subjects, each with the words they share, and the
    figure's place among them): (("城市低保标准", "农村低保标准"), 1) for 520元; None otherwise."""
    for group in respectively(text):
        starts = [q.start for q in group.figures]
        if at not in starts:
            continue
        subjects = group.subjects.strip("，,；;：: ")
        own = re.split(r"[，,：:]", subjects)[-1]  # "…外贸进出口总额增长8%，城镇居民和农村居民人均可支配收入分别…"
        parts = [p for p in _LIST_SPLIT.split(own) if len(p) >= 2]
        if len(parts) != len(starts):  # "城镇居民…35620元、农村居民…16480元，分别增长…": the subjects span clauses
            parts = [p for p in _LIST_SPLIT.split(subjects) if len(p) >= 2]
        if len(parts) == 1 and len(starts) == 2:
            parts = _pair_named(parts[0]) or parts  # 城乡居民人均可支配收入分别…: 城镇居民…, 农村居民…
        if len(parts) != len(starts):
            return None
        last = parts[-1]  # the last subject carries the words all share: 城镇居民和农村居民人均可支配收入
        full = tuple(p + last[len(p):] if len(last) > len(p) and p != last else p for p in parts)
        return full, starts.index(at)
    return None


def _pair_named(subject: str) -> list[str] | None:
    """A subject naming two by one word (城乡, 进出口: question_words.json comparison_pairs) as those two."""
    from qa.question.words import cues as question_cues

    for word, pair in question_cues().raw["comparison_pairs"].items():
        if not word.startswith("_") and word in subject:
            return [subject.replace(word, part, 1) for part in pair]
    return None


def _own_words(topic: str, other: str) -> list[str]:
    """The runs of a side's words (two characters or more) the other side does not have, longest first."""
    topic, other = topic.replace(" ", ""), other.replace(" ", "")
    runs = {topic[i:j] for i in range(len(topic)) for j in range(i + 2, len(topic) + 1) if topic[i:j] not in other}
    return sorted(runs, key=lambda r: (-len(r), topic.find(r)))


def where(topic: str, other: str, subjects: str) -> int | None:
    """Where the words only this side has are first named in the subjects before "分别" (None: not named)."""
    for run in _own_words(topic, other):
        at = subjects.find(run)
        if at >= 0:
            return at
    return None


def assign(topics: tuple[str, str], text: str, near: int) -> tuple[Quantity, Quantity] | None:
    """The figures of the "分别" list at or after position `near` of a sentence that belong to the two
    sides, the i-th named subject taking the i-th figure; None unless both sides are named apart."""
    for group in respectively(text):
        if not (group.subjects_start <= near <= group.figures[-1].start):
            continue
        a, b = topics
        pa, pb = where(a, b, group.subjects), where(b, a, group.subjects)
        if pa is None or pb is None or pa == pb or len(group.figures) != 2:
            return None
        return (group.figures[0], group.figures[1]) if pa < pb else (group.figures[1], group.figures[0])
    return None
