"""Which figure each side of a comparison takes: never one figure or one fact for both sides, like with like
(rates with rates, levels in convertible units), and the i-th subject of a "分别" list its i-th figure."""

from __future__ import annotations

from qa.answering import respectively
from qa.answering.candidates import Candidate, is_rate_figure
from qa.answering.compose import indicator
from qa.errors import InputError
from qa.numbers import compatible


def convertible(a: str, b: str) -> bool:
    try:
        return compatible(a, b)
    except InputError:
        return False


def key(c: Candidate) -> tuple:
    return c.passage.id, c.sentence.start, c.q.start


def same(a: Candidate, b: Candidate) -> bool:
    """One figure, or the report's one fact said twice (预计36480元 in the summary, 36480元 in the review of five
    years): the same value, unit and indicator compared with itself answers nothing."""
    if key(a) == key(b):
        return True
    if (a.q.value, a.q.unit, a.q.is_growth, a.period) != (b.q.value, b.q.unit, b.q.is_growth, b.period):
        return False  # 今年目标7.5%左右 against last year's 7.5%: two facts
    names = sorted((indicator(a), indicator(b)), key=len)
    return bool(names[0]) and names[0] in names[1]  # 全县城镇居民人均可支配收入 is 城镇居民人均可支配收入


def fullest(c: Candidate, others) -> Candidate:
    """The chosen figure, or the same fact said elsewhere with more of its qualifiers (a table's 2368.4亿元 is the
    text's 预计…2368.4亿元): a qualifier is never dropped because a bare repetition ranked first."""
    hedges = set(c.q.hedges)
    fuller = [o for o in others if set(o.q.hedges) > hedges and key(o) != key(c) and same(c, o)]
    return max(fuller, key=lambda o: len(o.q.hedges)) if fuller else c


def in_running_text(c: Candidate, others, in_table) -> Candidate:
    """The chosen figure, or the same fact as the running text says it when the chosen one was read from a table's
    row (`in_table`: a sentence's start -> bool): a reader is quoted the report's own sentence, the table backing it."""
    if not in_table(c):
        return c
    said = [o for o in others if not in_table(o) and key(o) != key(c) and same(c, o)
            and set(o.q.hedges) >= set(c.q.hedges)
            and (c.growth is None or o.growth is not None and o.growth.value == c.growth.value)]  # its rate too
    return said[0] if said else c


LIKE_DEPTH = 3  # an unlike first choice gives way to a like figure among the other side's first three


def like(a: Candidate, b: Candidate) -> bool:
    return is_rate_figure(a) == is_rate_figure(b) and convertible(a.q.unit, b.q.unit)


def distinct_pair(first: list, second: list, together=None) -> tuple[Candidate, Candidate]:
    """Each side's figure, ranked by the fitted scorer within its own side; two sides never share one
    figure or fact ("城发集团和产投集团资产总额分别486亿元、215亿元"): when their first choices coincide, the pair of
    distinct like figures with the higher summed score wins (ties: the sides in the report's reading
    order, as "分别" lists them). With `together` (for sides of one year and kind: per side, how well a figure's
    words name it), a pair stated in one sentence is preferred (`_together`)."""
    a, b = first[0][2], second[0][2]
    if not same(a, b) and like(a, b):
        return _together(a, b, first, second, together) if together else (a, b)
    # the same figure, or unlike ones (a count against money, a rate against a level): the best like pair
    # keeping one side's first choice; the other side's figure from its first few only
    depth = len(second) + len(first) if same(a, b) else LIKE_DEPTH
    options = []
    for keep, other, keep_first in ((first[0], second, True), (second[0], first, False)):
        alt = next((t for t in other[:depth] if not same(t[2], keep[2]) and like(t[2], keep[2])), None)
        if alt is not None:
            pair = (keep[2], alt[2]) if keep_first else (alt[2], keep[2])
            options.append((round(keep[0] + alt[0], 9), key(pair[0]) < key(pair[1]), pair))
    if not options:
        return a, b
    return max(options, key=lambda o: (o[0], o[1]))[2]


def _together(a: Candidate, b: Candidate, first: list, second: list, names) -> tuple[Candidate, Candidate]:
    """Two sides' first choices in different sentences give way to a pair the report states in one sentence
    ("12个项目建成投用，…19个续建项目": not 17 of another sentence's 续建项目): one side's first choice kept, the
    other's figure in its sentence from that side's first few (LIKE_DEPTH), named as well as its first choice
    (`names[i](c)`: how well c's words name side i; 规上工业增加值 in 第三产业增加值's sentence is no 地区生产总值)."""
    if _sentence(a) == _sentence(b):
        return a, b
    for keep, other, keep_first, side in ((a, second, True, 1), (b, first, False, 0)):
        best = names[side](other[0][2])
        alt = next((t[2] for t in other[:LIKE_DEPTH] if _sentence(t[2]) == _sentence(keep) and not same(t[2], keep)
                    and like(t[2], keep) and names[side](t[2]) >= best), None)
        if alt is not None:
            return (keep, alt) if keep_first else (alt, keep)
    return a, b


def _sentence(c: Candidate) -> tuple:
    return c.passage.id, c.sentence.start


def respective_pair(sides, a: Candidate, b: Candidate, ranked: list) -> tuple[Candidate, Candidate] | None:
    """When a side's figure stands in a "分别" list that names both sides ("城市、农村低保标准分别提高到680元和
    520元", "接待游客…，实现旅游收入…，分别增长16.8%和18.2%"), the i-th subject named takes the i-th figure,
    whatever the ranker preferred; None when no chosen figure is in such a list."""
    topics = (sides[0].topic, sides[1].topic)
    for c in (a, b):
        figures = respectively.assign(topics, c.text, c.q.start)
        if figures is None or figures[0].is_growth != c.q.is_growth:
            continue  # "存款余额52680亿元、贷款余额46210亿元，分别增长9.6%和12.8%": levels chosen, not the rates
        found = [next((t[2] for t in side if t[2].sentence == c.sentence and t[2].passage.id == c.passage.id
                       and t[2].q.start == q.start), None) for side, q in zip(ranked, figures)]
        if all(found):
            return found[0], found[1]
    return None
