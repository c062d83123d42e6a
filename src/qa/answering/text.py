"""Answers in words: the report's head (who gave it, when), and the sentence that answers a question asking no
figure (what, which, whether something happened), or the items of a list."""

from __future__ import annotations

import re
from functools import lru_cache

from qa.answering import compose
from qa.answering.candidates import head_lines
from qa.answering.context import AnswerContext
from qa.evidence import best_clause, coverage, rank_sentences
from qa.data import alternation
from qa.models import Answer
from qa.numbers import YEAR_DIGITS
from qa.profile import GENRE
from qa.question.query import Query

_ENUM = re.compile(r"[一二三四五六七八九十]+是")
_DATE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
HEAD_LINES = 6
SHORTLIST = 5  # an English question's sentences weighed by meaning


@lru_cache(maxsize=1)
def _time() -> re.Pattern:
    """A time a sentence states: a year or a month (2019年, 二〇一九年, 3月, 十月), or genre.json "time_words"."""
    return re.compile(rf"{YEAR_DIGITS}\s*年|[〇零一二三四五六七八九]{{4}}年|(?<![\d.])\d{{1,2}}\s*月|[一二三四五六七八九十]{{1,3}}月|"
                      + alternation(GENRE["time_words"]["words"]))
_RANK = re.compile(r"第[一二三四五六七八九十\d]+|首位|前列|位居|排名|位次")


def head(query: Query, ctx: AnswerContext) -> Answer:
    """Who gave the report and when, from its head lines; else the body."""
    doc = ctx.by_id[query.doc_id]
    lines = head_lines(doc.passages, HEAD_LINES)
    speaker = doc.meta.speaker
    if any(ctx.terms(query.topic)) and not any(coverage(ctx.terms(query.topic), s.text, ctx.idf_of(query.doc_id)) for _, s in lines):
        return answer(query, ctx)  # a date or a person of something the report's head does not name (哪位老师入选了中原名师)
    for passage, sentence in lines:
        if query.measure == "who" and speaker and speaker in sentence.text:
            return compose.sentences(query, [(passage, sentence)], lead=f"报告人：{sentence.text}")
        if query.measure == "date" and _DATE.search(sentence.text):
            return compose.sentences(query, [(passage, sentence)], lead=sentence.text)
    return answer(query, ctx)


def text_terms(query: Query, ctx: AnswerContext):
    """The words a sentence answering in text should hold: the topic's, and for a yes/no question the
    report's words for the event it asks about (完成了吗: 完成, 办结)."""
    return ctx.terms(" ".join((query.topic, *query.event_words)), related=True)


def answer(query: Query, ctx: AnswerContext) -> Answer:
    """The best sentence (or a list's items) for a question asking no figure, or an abstention."""
    hits = ctx.search(query.text, query.doc_id)
    terms = text_terms(query, ctx)
    evidence = rank_sentences(terms, hits, ctx.idf_of(query.doc_id), query.year)
    if not evidence or evidence[0].score < ctx.scorer.threshold("text"):
        return compose.abstain(query, "no_sentence", hits)
    top = _closest_in_meaning(query, ctx, evidence) if query.language == "en" else evidence[0]
    if query.measure == "rank" and not _RANK.search(top.sentence.text):
        return compose.abstain(query, "no_rank", hits)
    if query.measure == "date" and not _time().search(top.sentence.text):  # 哪年通车: a sentence stating no time
        return compose.abstain(query, "no_date", hits)
    if query.measure == "list":
        return _listing(query, top, terms, ctx.idf_of(query.doc_id))
    return compose.sentences(query, [(top.passage, top.sentence)],
                             highlight=best_clause(top.sentence.text, terms, ctx.idf_of(query.doc_id)))


def _closest_in_meaning(query: Query, ctx: AnswerContext, evidence: list):
    """Of an English question's best sentences by their words (its words read through a lexicon, loosely), the one
    best by its words and its closeness in meaning (the multilingual model's cosine) together."""
    shortlist = evidence[:SHORTLIST]
    sims = ctx.similarities(query.text, [e.sentence.text for e in shortlist])
    return shortlist[max(range(len(shortlist)), key=lambda n: (shortlist[n].score + sims[n], -n))]


def _listing(query: Query, top, terms, idf) -> Answer:
    """Separate items, one per enumerated measure, each with its citation number, in reading order."""
    passage = top.passage
    heading = coverage(terms, passage.section_path[-1], idf) if passage.section_path else 0
    if heading and heading >= coverage(terms, top.sentence.text, idf):  # the question names the section
        sentences = [s for s in passage.sentences if s.text.rstrip("。") not in passage.section_path]
    else:
        sentences = [top.sentence] + [s for s in passage.sentences
                                      if s.start > top.sentence.start and _ENUM.match(s.text)]
    items: list[str] = []
    for n, sentence in enumerate(sentences, start=1):
        parts = [p.strip("，,；;。 ") for p in _ENUM.split(sentence.text) if p.strip("，,；;。 ")]
        if len(parts) < 2:
            parts = [p.strip("，,；;。 ") for p in re.split(r"[；;]", sentence.text) if p.strip("，,；;。 ")]
        items += [f"{part} [{n}]" for part in parts]
    return compose.sentences(query, [(passage, s) for s in sentences], items=items)
