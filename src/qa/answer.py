"""Composing an answer without an LLM: cited sentences, numbers from the fact table, abstention.

- numeric questions: the matching fact row (indicator, subject, period, kind), worded with the
  report's own qualifier, cited to its source sentence and cross-checked against the passage;
- comparisons: both facts and the arithmetic;
- "有哪些" questions: the enumerating sentences gathered across passages;
- other questions: the best answering sentences of the top passages, in report order;
- and "报告中没有找到……" when nothing retrieved really answers, or the question rests on a
  premise the report contradicts.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, replace
from typing import Callable, Protocol, Sequence

import numpy as np

from qa import facts as facts_mod
from qa.crosscheck import cross_check
from qa.evidence import Evidence, Idf, best_clause, coverage, has_key_term, query_variants, rank_sentences, terms, words
from qa.models import Answer, Citation, Document, Fact, Hit, NumericAnswer, Passage, Turn
from qa.query import normalize
from qa.numbers import UNITS as UNIT_NAMES, compatible, convert, find_numbers, find_quantities, format_number
from qa.understand import Intent, analyse, clean_question, core

NOT_FOUND = "报告中没有找到"
MIN_SENTENCE_SCORE = 0.25  # below this the best sentence does not really answer (tuned on known answers)
SECTION_QUESTION_COVERAGE = 0.7  # a list question covering this much of a heading asks for that section
MIN_NUMBER_SENTENCE_SCORE = 0.45  # a sentence standing in for a missing fact row must match better
MIN_FACT_SCORE = 0.45
MIN_FACT_COVERAGE = 0.45  # share of the question's idf weight the chosen row must cover …
MIN_FACT_SIMILARITY = 0.42  # … or the cosine of question and row (bundled model) it must reach
KIND_WORDS = {"actual": "实际", "estimate": "预计", "target": "目标", "plan": "计划"}


class Retriever(Protocol):
    def search(self, query: str, k: int) -> list[Hit]: ...


@dataclass(frozen=True)
class FactInfo:
    passage_id: str | None
    clause: str  # the clause of the source sentence that states the figure
    label: str  # clause, names and subject: what a question about the row is matched against


@dataclass
class Context:
    """What answering needs, loaded once per process (held by the Engine)."""

    documents: list[Document]
    facts: list[Fact]
    retriever: Retriever
    embed: Callable[[Sequence[str]], np.ndarray] | None  # the embedding model, for meaning-level matching
    idf: Idf
    glossary: object  # qa.query.Glossary: synonyms of statistical terms
    known_terms: tuple[str, ...]
    max_question_chars: int = 500

    def fact_info(self, fact: Fact) -> "FactInfo":
        info = self._fact_info.get(fact.id) if hasattr(self, "_fact_info") else None
        if info is None:
            if not hasattr(self, "_fact_info"):
                self._fact_info = {}
            passage = self.passage_of(fact.doc_id, fact.source)
            span = best_clause(fact.source, terms(fact.indicator), self.idf, must_contain=format_number(fact.value))
            clause = fact.source[span[0] : span[1]]
            label = " ".join((clause, fact.indicator, *fact.aliases, fact.subject))
            info = FactInfo(passage.id if passage else None, clause, label)
            self._fact_info[fact.id] = info
        return info

    @property
    def report_year(self) -> int | None:
        years = [d.meta.year for d in self.documents if d.meta.year]
        return max(years) if years else None

    def warm(self) -> None:
        """Load what the first question would otherwise wait for (word lists, row vectors)."""
        self.fact_similarity("地区生产总值")
        foreign_places("卫东区", self)
        terms("地区生产总值")
        for fact in self.facts:
            self.concepts(fact)

    def fact_similarity(self, text: str) -> dict[str, float]:
        """Cosine of the question and each fact row ("indicator: clause"), cached per question."""
        if self.embed is None or not self.facts:
            return {}
        if not hasattr(self, "_fact_vectors"):
            labels = [f"{f.indicator}：{self.fact_info(f).clause}" for f in self.facts]
            self._fact_vectors = np.asarray(self.embed(labels), dtype=np.float32)
            self._similarity_cache = {}
        cached = self._similarity_cache.get(text)
        if cached is None:
            scores = self._fact_vectors @ np.asarray(self.embed([text]), dtype=np.float32)[0]
            cached = {f.id: float(v) for f, v in zip(self.facts, scores)}
            if len(self._similarity_cache) > 32:
                self._similarity_cache.clear()
            self._similarity_cache[text] = cached
        return cached

    def without_regions(self, text: str) -> str:
        """The question without the reports' own region names: in its own report "卫东区" names
        no topic, it would only match every sentence that mentions the district."""
        for region in sorted({d.meta.region for d in self.documents if d.meta.region}, key=len, reverse=True):
            stem = re.sub(r"[省市区县州旗]$", "", region)
            text = text.replace(region, " ")
            if len(stem) >= 2:
                text = re.sub(rf"{re.escape(stem)}(?![\u4e00-\u9fff]{{0,1}}[省市区县州旗])", " ", text)
        return text

    def documents_named(self, text: str) -> tuple[str, ...]:
        """The reports whose region the question names, when the corpus has several regions."""
        regions = {d.meta.region for d in self.documents if d.meta.region}
        if len(regions) < 2:
            return ()
        named = [d.doc_id for d in self.documents if d.meta.region and _region_in(d.meta.region, text)]
        return tuple(named)

    def unknown_words(self, text: str) -> list[str]:
        """Words of the question that no report uses and no glossary name stands in for."""
        names = [n for e in self.glossary.matches(text) for n in e.names]
        corpus = self.corpus_text
        return [w for w in words(text)
                if not any(w[i:i + 2] in corpus for i in range(len(w) - 1)) and not any(w in n for n in names)]

    def concepts(self, fact: Fact) -> set[str]:
        """The glossary entries a fact row's names belong to."""
        if not hasattr(self, "_concepts"):
            self._concepts = {}
        if fact.id not in self._concepts:
            self._concepts[fact.id] = {e.term for e in self.glossary.matches(self.fact_info(fact).label)}
        return self._concepts[fact.id]

    @property
    def corpus_text(self) -> str:
        if not hasattr(self, "_corpus_text"):
            self._corpus_text = "\n".join(d.text for d in self.documents)
        return self._corpus_text

    def covered_years(self) -> set[int]:
        return {p.period for d in self.documents for p in d.passages if p.period is not None}

    def passage_of(self, doc_id: str, sentence: str) -> Passage | None:
        for document in self.documents:
            if document.doc_id != doc_id:
                continue
            at = document.text.find(sentence)
            if at < 0:
                return None
            for passage in document.passages:
                if passage.start <= at < passage.end:
                    return passage
        return None


def _region_in(region: str, text: str) -> bool:
    """"卫东区" is named by "卫东区" or, short, by "卫东"."""
    stem = re.sub(r"[省市区县州旗]$", "", region)
    return region in text or (len(stem) >= 2 and stem in text)


def answer(question: str, history: Sequence[Turn], ctx: Context) -> Answer:
    started = time.perf_counter()
    q = clean_question(question, ctx.max_question_chars)
    intent = analyse(normalize(q), ctx.report_year, history, ctx.known_terms)
    intent = replace(intent, doc_ids=ctx.documents_named(intent.text))
    hits = ctx.retriever.search(intent.text, 8 if not intent.doc_ids else 24)
    if intent.doc_ids:
        # several reports: the one the question names by its region answers
        hits = [h.model_copy(update={"rank": n}) for n, h in
                enumerate((h for h in hits if h.passage.doc_id in intent.doc_ids), start=1)][:8]
    retrieved = time.perf_counter()
    query_terms = query_variants(ctx.without_regions(intent.text), ctx.glossary)
    evidence = rank_sentences(query_terms, hits, ctx.idf, intent.year)
    if not re.search(r"[\u4e00-\u9fff]", intent.text) and ctx.embed is not None:
        evidence = _by_meaning(intent, hits, evidence, ctx)
    if _ASKS_DATE.search(intent.text):
        evidence = sorted((replace(e, score=e.score + 0.3) if _DATE.search(e.sentence.text) else e for e in evidence),
                          key=lambda e: -e.score)
    result = (
        _out_of_scope(q, intent, hits, ctx)
        or _route(intent, hits, evidence, query_terms, ctx)
    )
    done = time.perf_counter()
    timings = {"retrieve_ms": (retrieved - started) * 1000, "total_ms": (done - started) * 1000}
    return result.model_copy(update={
        "question": question if isinstance(question, str) else q,
        "interpreted_as": intent.text if intent.followup_of else None,
        "timings": timings,
        "related": result.related or tuple(hits[:3]),
    })


def _route(intent: Intent, hits, evidence, query_terms, ctx: Context) -> Answer:
    if intent.why:
        denied = _negated_premise(intent, evidence, query_terms, ctx)
        if denied:
            return denied
    speaker = _speaker(intent, ctx)
    if speaker:
        return speaker
    if intent.kind == "comparative":
        found = _comparative(intent, hits, ctx, query_terms)
        if found:
            return found
    premise = intent.why and bool(find_quantities(intent.text))
    if intent.kind in ("numeric", "comparative") or premise or (
            intent.kind == "factual" and _looks_numeric(intent, ctx, query_terms, hits)):
        found = _numeric(intent, hits, evidence, ctx, query_terms)
        if found:
            return found
        if intent.kind in ("numeric", "comparative"):
            return _numeric_sentence(intent, hits, evidence, query_terms, ctx)
    if intent.kind == "list":
        return _listing(intent, hits, evidence, query_terms, ctx)
    return _sentences(intent, hits, evidence, query_terms, ctx)


_ASKS_DATE = re.compile(r"哪天|哪一天|几月几日|什么时候|何时|日期|时间是|\bwhen\b|what date", re.I)
_DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日|\d{1,2}月\d{1,2}日")


def _by_meaning(intent: Intent, hits, evidence: list[Evidence], ctx: Context) -> list[Evidence]:
    """A question in another language shares no words with the report: rank the sentences of the
    top passages by the cosine of their meaning with the question (the bundled model is multilingual),
    mapped so that a close sentence clears the threshold a well-matched Chinese one does."""
    pool = [e for e in evidence if e.rank <= 5]
    if not pool:
        return evidence
    vectors = np.asarray(ctx.embed([intent.text] + [e.sentence.text for e in pool]), dtype=np.float32)
    cosines = vectors[1:] @ vectors[0]
    # cosine 0.35 (what a sentence that answers reaches, measured) maps to MIN_SENTENCE_SCORE
    scored = [replace(e, score=float(min(1.0, max(0.0, (c - 0.3) / 0.2))) + 0.02 / e.rank)
              for e, c in zip(pool, cosines)]
    return sorted(scored, key=lambda e: -e.score)


# --- abstention -------------------------------------------------------------------------

def abstain(question: str, reason: str, hits: Sequence[Hit], text: str | None = None) -> Answer:
    return Answer(
        question=question,
        answer=text or f"{NOT_FOUND}{reason}。以下是最接近的段落，供参考。",
        abstained=True,
        abstain_reason=f"{NOT_FOUND}{reason}。",
        related=tuple(hits[:3]),
    )


_PLACE = re.compile(
    r"(?:^|(?<=[^\u4e00-\u9fff])|(?<=[年的在和与跟比]))((?:(?![年的在和与跟比今去个])[\u4e00-\u9fff]){2,3}[省市区县州旗])"
    r"(?=$|[^\u4e00-\u9fff]|[的在和与跟比今去])"
)
GENERIC_PLACES = re.compile(
    r"^(全|我|本|该|各|城|市|辖|社|园|地|山|矿|新|景|街|小|老|郊|县|片|开发|示范|集聚|商业|建成|工矿|城市|农村|乡村)[省市区县州旗]$"
    r"|^(示范|集聚|商业|建成|工矿|老城|开发|功能|风景|自贸|保税)区$"
)


def foreign_places(text: str, ctx: Context) -> list[str]:
    """Place names in the question that no report of the corpus mentions (jieba's ns tags and X市/X区 forms)."""
    import jieba.posseg

    names = {w.word for w in jieba.posseg.cut(text) if w.flag == "ns" and len(w.word) >= 2}
    names |= {m.group(1) for m in _PLACE.finditer(text)}
    corpus = ctx.corpus_text
    out = []
    for name in sorted(names):
        if not (GENERIC_PLACES.search(name) or name in corpus):
            out.append(name)
    return out


def _out_of_scope(question: str, intent: Intent, hits, ctx: Context) -> Answer | None:
    places = foreign_places(intent.text, ctx)
    if places:
        regions = "、".join(sorted({d.meta.region for d in ctx.documents if d.meta.region})) or "本地"
        return abstain(question, f"关于{places[0]}的内容（报告是{regions}的政府工作报告）", hits)
    covered = ctx.covered_years()
    outside = [y for y in intent.years if y not in covered]
    if outside and covered:
        span = "、".join(f"{y}年" for y in sorted(covered))
        return abstain(question, f"关于{outside[0]}年的内容（报告只涉及{span}）", hits)
    return None


# --- numbers ------------------------------------------------------------------------------

_OPEN_QUESTION = re.compile(r"什么|怎么|如何|哪|谁|为什么|为何|吗|是否|有没有|\b(which|why|who|where)\b", re.I)


def _looks_numeric(intent: Intent, ctx: Context, query_terms, hits) -> bool:
    """Keywords naming a figure ("惠农补贴 2017", "What was the GDP in 2017?") ask for it."""
    if _OPEN_QUESTION.search(intent.text):
        return False
    candidates = _candidates(intent, ctx, query_terms, hits)
    return bool(candidates) and coverage(query_terms, ctx.fact_info(candidates[0][0]).label, ctx.idf) >= 0.75


_NEGATED = re.compile(r"(?:没有|没能|没|未能|未|不能)([\u4e00-\u9fff]{2})")


def _negated_premise(intent: Intent, evidence: list[Evidence], query_terms, ctx: Context) -> Answer | None:
    """"为什么没有完成任务？" when the report says the task was completed: the premise is false."""
    for match in _NEGATED.finditer(intent.text):
        verb = match.group(1)
        for e in evidence[:3]:
            said = e.sentence.text
            if verb in said and not re.search(rf"(?:没有|没能|没|未能|未|不能|不){verb}", said):
                citation = _quote(e, query_terms, ctx.idf)
                at = said.find(verb)
                start, end = best_clause(said, query_terms, ctx.idf, must_contain=said[at:at + len(verb)])
                citation = citation.model_copy(update={"highlight": (start, end)})
                return Answer(question=intent.text, abstained=True, abstain_reason="问题的前提与报告不符。",
                              answer=f"{NOT_FOUND}“{match.group(0)}”的说法：报告称“{said[start:end]}”[1]。",
                              citations=(citation,))
    return None


_WHO = re.compile(r"谁|哪位|何人|\bwho\b", re.I)
_REPORT_ACT = re.compile(r"报告|作的|做的|讲|宣读|deliver|present|give|gave|report", re.I)


def _speaker_line(document: Document) -> str | None:
    speaker = document.meta.speaker
    for passage in document.passages[:2]:
        for line in passage.text.split("\n"):
            if speaker and speaker in line:
                return line
    return None


def _speaker(intent: Intent, ctx: Context) -> Answer | None:
    """Who gave the report: the speaker line of the title block, from the report's metadata."""
    if not _WHO.search(intent.text):
        return None
    for document in ctx.documents:
        speaker = document.meta.speaker
        role = _speaker_line(document)
        names_role = role and any(w in role for w in words(ctx.without_regions(intent.text)))
        if not (_REPORT_ACT.search(intent.text) or names_role):
            continue
        for passage in document.passages[:2]:
            for sentence in passage.sentences:
                if speaker and speaker in sentence.text:
                    line = sentence.text.split("\n")[0] if "\n" not in sentence.text else next(
                        l for l in sentence.text.split("\n") if speaker in l)
                    at = sentence.text.find(line)
                    citation = Citation(doc_id=document.doc_id, section_path=passage.section_path,
                                        passage_id=passage.id, quote=line, start=sentence.start + at,
                                        end=sentence.start + at + len(line), highlight=(0, len(line)))
                    return Answer(question=intent.text, answer=f"{line}（本报告的报告人）[1]。", citations=(citation,))
    return None


_UNIT_CUE = re.compile(
    r"(?:多少|几|多大)(万|亿)?(个百分点|百分点|平方米|平方公里|立方米|美元|元|钱|亩|人次|人|家|个|件|户|辆|处|场|次|面|块|项|名|宗|所|座|条|吨|公里|%)"
    r"(?!以上|以下|级)"  # "多少亿元以上项目" counts projects: the unit describes them
)


_SHARE = re.compile(r"比重|占比|比例|所占|占.{0,12}的?比|份额|share|proportion", re.I)


def unit_cue(text: str) -> str | None:
    """The unit a question asks its number in ("多少亿元" -> 亿元, "几家" -> 家), if it says."""
    m = _UNIT_CUE.search(text)
    if not m:
        return "%" if re.search(r"百分之几|百分比|比重|比例|占比|增速|增幅|增长率|率是", text) else None
    scale, unit = m.group(1) or "", m.group(2)
    unit = "元" if unit == "钱" else unit
    return scale + unit if scale + unit in UNIT_NAMES else unit


def _candidates(intent: Intent, ctx: Context, query_terms, hits=(), text: str | None = None,
                year: int | None = None, floor: float = MIN_FACT_SCORE) -> list[tuple[Fact, float]]:
    """Fact rows that may answer, best first: the row's clause and names against the question,
    the retrieval rank of its passage, growth/level, unit and period fit."""
    text = text or intent.text
    year = year if year is not None else intent.year
    if text is not intent.text:
        query_terms = query_variants(text, ctx.glossary)
    names = {f.id: min(score, 1.0) for f, score in facts_mod.match_facts(ctx.facts, _expanded(text, ctx), min_score=0.0)}
    ranks = {h.passage.id: h.rank for h in hits}
    cue = unit_cue(text)
    asked = {e.term for e in ctx.glossary.matches(text)}
    dense = ctx.fact_similarity(text)
    chinese = bool(re.search(r"[\u4e00-\u9fff]", text))  # else words cannot match: meaning weighs more
    out = []
    for fact in ctx.facts:
        if (year is not None and fact.period != year) or (intent.doc_ids and fact.doc_id not in intent.doc_ids):
            continue
        info = ctx.fact_info(fact)
        lexical = coverage(query_terms, info.label, ctx.idf, fact.source)
        semantic = min(1.0, max(0.0, (dense.get(fact.id, 0.0) - 0.2) / 0.4))
        score = 0.45 * lexical + 0.25 * names.get(fact.id, 0.0) + (0.3 if chinese else 0.8) * semantic
        rank = ranks.get(info.passage_id)
        score += 0.15 / rank if rank else 0.0
        growth_row = facts_mod.is_growth_row(fact)
        if intent.wants_growth:
            score += 0.15 if growth_row else 0.0 if fact.growth_pct is not None else -0.3
        elif growth_row:
            score -= 0.15
        asked_share, row_share = bool(_SHARE.search(text)), bool(_SHARE.search(fact.indicator))
        if asked_share or row_share:
            score += 0.2 if asked_share == row_share else -0.2  # a share (比重) is neither a growth rate nor a level
        if cue and cue != "%" and not growth_row:
            score += 0.1 if compatible(cue, fact.unit) else -0.3
        elif cue == "%" and fact.unit not in ("%", "个百分点") and not (intent.wants_growth and fact.growth_pct is not None):
            score -= 0.2
        if asked - ctx.concepts(fact) and ctx.concepts(fact) - asked:
            continue  # the question names another statistical concept (支出 is not 收入)
        if _mentions(text, fact):
            score -= 0.3  # a figure the question already states describes, it is not the answer
        if year is None:
            # no year asked: the result of the year under review before the plan, unless the plan is asked
            planned = fact.kind in ("target", "plan")
            score += (0.05 if planned else -0.05) if intent.wants_plan else (-0.05 if planned else 0.05)
        out.append((fact, round(score, 4)))
    out.sort(key=lambda pair: -pair[1])
    return [pair for pair in out if pair[1] >= floor]


def _expanded(text: str, ctx: Context) -> str:
    return text + " " + " ".join(ctx.glossary.expand(text))


def _mentions(text: str, fact: Fact) -> bool:
    return any(compatible(q.unit, fact.unit) and abs(convert(q.value, q.unit, fact.unit) - fact.value) < 1e-9
               for q in find_quantities(text))


def _fact_value(fact: Fact, growth: bool) -> tuple[float, str]:
    if growth and fact.growth_pct is not None and fact.unit != "%":
        return fact.growth_pct, "%"
    return fact.value, fact.unit


def _fact_phrase(fact: Fact, growth: bool) -> str:
    value, unit = _fact_value(fact, growth)
    q = fact.qualifier or ""
    pre = q if q in ("预计", "力争", "超过", "不少于", "不低于", "约", "达到", "近") else ""
    post = q if q in ("左右", "以上", "以下", "以内", "余", "多") else ""
    number = f"{pre}{format_number(value)}{unit}{post}"
    subject = "" if fact.subject in ("全区", "全市", "全县", "全省", "") else fact.subject
    kind = fact.kind
    plain = f"{format_number(value)}{unit}{post}"
    if growth and fact.unit != "%":
        body = f"{subject}{fact.indicator}{pre}增长{plain}"
    elif facts_mod.is_growth_row(fact):
        body = f"{subject}{fact.indicator.removesuffix(facts_mod.GROWTH_SUFFIX)}{pre}增长{plain}"
    elif unit == "%" and not re.search(r"增|率", fact.indicator) and not _SHARE.search(fact.indicator):
        body = f"{subject}{fact.indicator}{pre}增长{plain}"
    else:
        body = f"{subject}{fact.indicator}{number}"
    lead = f"{fact.period}年" + ("目标：" if kind == "target" else "计划：" if kind == "plan" else "")
    tail = ""
    if not growth and fact.growth_pct is not None and fact.unit != "%":
        tail = f"，增长{format_number(fact.growth_pct)}%"
    return f"{lead}{body}{tail}"


_GROWTH_CLAUSE = re.compile(r"^(?:同比)?(?:增长|增速|增幅|提高|下降)")


def _citation(fact: Fact, ctx: Context, highlight_text: str | None = None) -> Citation | None:
    passage = ctx.passage_of(fact.doc_id, fact.source)
    if passage is None:
        return None
    sentence = next((s for s in passage.sentences if fact.source in s.text or s.text in fact.source), None)
    quote, start = (sentence.text, sentence.start) if sentence else (fact.source, passage.start + passage.text.find(fact.source))
    number = format_number(fact.value)
    span = best_clause(quote, terms(fact.indicator), ctx.idf, must_contain=highlight_text or number)
    before = quote[: span[0]].rstrip("，,")
    if _GROWTH_CLAUSE.match(quote[span[0]:]) and before and before[-1] not in "；;。":
        # "同比增长7.5%" says what grew in the clause before it: highlight both
        span = (max(before.rfind(c) for c in "；;：:，,。") + 1, span[1])
    return Citation(doc_id=fact.doc_id, section_path=passage.section_path, passage_id=passage.id,
                    quote=quote, start=start, end=start + len(quote), highlight=span)


def _check(intent: Intent, fact: Fact, citation: Citation, growth: bool, ctx: Context) -> NumericAnswer:
    """Cross-check the number as the quoted passage states it against the fact table.

    consistent: a row for what is asked (period, kind, qualifier) holds the number the passage
    states; conflict: the table says otherwise (both values in `detail`); not_in_table: no row.
    """
    value, unit = _fact_value(fact, growth)
    clause = citation.quote[citation.highlight[0] : citation.highlight[1]] if citation.highlight else citation.quote
    stated = [q for q in find_quantities(clause) if compatible(q.unit, unit)]
    if stated:
        exact = [q for q in stated if abs(convert(q.value, q.unit, unit) - value) <= 1e-9 * max(1, abs(value))]
        pick = exact[0] if exact else stated[0]
        value, unit = pick.value, pick.unit
    def check(phrase: str) -> NumericAnswer:
        return cross_check(ctx.facts, phrase=phrase, value=value, unit=unit, period=fact.period, kind=fact.kind,
                           qualifier=fact.qualifier, is_growth=facts_mod.is_growth_row(fact))

    # The question's own words first: the table must agree with what was asked. When the table
    # cannot read a paraphrased question, check the quoted clause against the row it states.
    checked = check(intent.text)
    if checked.verdict == "not_in_table":
        checked = check(f"{fact.indicator} {fact.subject} {clause}")
    fact_ids = tuple(dict.fromkeys((fact.id, *checked.fact_ids)))
    return checked.model_copy(update={
        "value": _fact_value(fact, growth)[0], "unit": _fact_value(fact, growth)[1], "period": fact.period,
        "kind": fact.kind, "qualifier": fact.qualifier,
        "growth_pct": None if growth or fact.unit == "%" else fact.growth_pct, "fact_ids": fact_ids,
    })


def _premise_conflict(intent: Intent, fact: Fact, growth: bool) -> str | None:
    """A question that asserts what the report contradicts ("为什么GDP下降了", "外贸超过1亿元")."""
    value, unit = _fact_value(fact, growth or intent.negative_claim)
    if intent.negative_claim and unit == "%" and value > 0:
        return f"报告称{_fact_phrase(fact, True)}，并非下降"
    for claimed in find_quantities(intent.text):
        if not compatible(claimed.unit, fact.unit):
            continue
        actual = convert(fact.value, fact.unit, claimed.unit)
        qualifiers = set(claimed.qualifiers or ())
        above = qualifiers & {"超过", "以上", "突破", "逾", "不少于", "不低于"}
        wrong = actual <= claimed.value if above else abs(actual - claimed.value) > 1e-9 * max(1, abs(actual))
        if wrong:
            return f"报告称{_fact_phrase(fact, False)}"
    return None


def _numeric(intent: Intent, hits, evidence, ctx: Context, query_terms) -> Answer | None:
    candidates = _candidates(intent, ctx, query_terms, hits)
    cue = unit_cue(intent.text)
    if not candidates:
        return None
    fact = _pick(intent, candidates, ctx)
    if not _answers(intent, fact, query_terms, ctx):
        return None  # the row leaves what the question names unanswered ("利润总额" is no "增加值")
    growth = intent.wants_growth and (facts_mod.is_growth_row(fact) or fact.growth_pct is not None)
    value, unit = _fact_value(fact, growth)
    if cue and not compatible(cue, unit):
        return abstain(intent.text, f"以“{cue}”计的这个数字", hits,
                       text=f"{NOT_FOUND}以“{cue}”计的这个数字。最接近的是：{_fact_phrase(fact, growth)}[1]。") \
            .model_copy(update={"citations": tuple(c for c in [_citation(fact, ctx)] if c)})
    citation = _citation(fact, ctx, format_number(value))
    if citation is None:
        return None
    conflict = _premise_conflict(intent, fact, growth)
    if conflict:
        return abstain(intent.text, "问题所说的情况（前提与报告不符）", hits,
                       text=f"{NOT_FOUND}问题所说的情况：{conflict}[1]。").model_copy(update={"citations": (citation,)})
    numeric = _check(intent, fact, citation, growth, ctx)
    text = _fact_phrase(fact, growth) + "[1]。"
    others = [f for f, _ in candidates[1:4] if f.indicator == fact.indicator and f.period != fact.period]
    if others and intent.year is None:
        text += f"另，{_fact_phrase(others[0], growth)}。"
    if numeric.verdict == "conflict" and numeric.detail:
        text += f"（⚠ 与事实表不一致：{numeric.detail}）"
    return Answer(question=intent.text, answer=text, citations=(citation,), numeric=numeric)


def _answers(intent: Intent, fact: Fact, query_terms, ctx: Context) -> bool:
    """Does the row really answer: its words cover the question's, or its meaning is close."""
    if not has_key_term(query_terms, ctx.fact_info(fact).label + fact.source, ctx.idf):
        return False
    lexical = coverage(query_terms, ctx.fact_info(fact).label, ctx.idf, fact.source)
    similar = ctx.fact_similarity(intent.text).get(fact.id, 0.0) >= MIN_FACT_SIMILARITY
    if not re.search(r"[\u4e00-\u9fff]", intent.text):
        return similar or lexical >= MIN_FACT_COVERAGE  # another language: meaning is all there is
    if ctx.unknown_words(intent.text):
        # the question uses words the report never does ("三甲医院", "人均"): shared words are
        # not enough, the row must also be close in meaning
        return similar and lexical >= MIN_FACT_COVERAGE * 0.66
    return lexical >= MIN_FACT_COVERAGE or (similar and lexical >= MIN_FACT_COVERAGE * 0.66)


def _pick(intent: Intent, candidates: list[tuple[Fact, float]], ctx: Context) -> Fact:
    """Among rows scoring about the same, the first the fact table itself matches to the question."""
    top = candidates[0][1]
    for fact, score in candidates[:4]:
        if score < top - 0.15:
            break
        value, unit = _fact_value(fact, intent.wants_growth)
        verdict = cross_check(ctx.facts, phrase=intent.text, value=value, unit=unit, period=fact.period,
                              kind=fact.kind, qualifier=fact.qualifier, is_growth=facts_mod.is_growth_row(fact))
        if verdict.verdict == "consistent":
            return fact
    return candidates[0][0]


def _is_year(text: str, start: int, end: int, value: float) -> bool:
    """"2017年", "（2017）": a year names a time, it is not the figure asked for."""
    return value == int(value) and 1900 <= value <= 2100 and (text[end:end + 1] in ("年", "）", ")")
                                                             or text[start - 1:start] in ("（", "("))


def _numeric_sentence(intent: Intent, hits, evidence: list[Evidence], query_terms, ctx: Context) -> Answer:
    """No fact row fits: a sentence that states a number of the asked kind, or abstention."""
    cue = unit_cue(intent.text)
    unknown = ctx.unknown_words(intent.text) if re.search(r"[\u4e00-\u9fff]", intent.text) else []
    for e in evidence[:5] if not unknown else []:
        if e.score < MIN_NUMBER_SENTENCE_SCORE:
            break
        if intent.year is not None and e.passage.period not in (None, intent.year):
            continue
        stated = [q for q in find_quantities(e.sentence.text) if cue is None or compatible(cue, q.unit)]
        spans = [(q.start, q.end) for q in stated] or (
            [] if cue else [(a, b) for a, b, v in find_numbers(e.sentence.text) if not _is_year(e.sentence.text, a, b, v)])
        for a, b in spans:
            start, end = best_clause(e.sentence.text, query_terms, ctx.idf, must_contain=e.sentence.text[a:b])
            clause = e.sentence.text[start:end]
            if (coverage(query_terms, clause, ctx.idf, e.sentence.text) >= MIN_FACT_COVERAGE
                    and has_key_term(query_terms, e.sentence.text, ctx.idf)):
                return _sentences(intent, hits, [e], query_terms, ctx)
    what = f"{intent.year}年的这个数字" if intent.year else "这个数字"
    return abstain(intent.text, what, hits)


def _comparative(intent: Intent, hits, ctx: Context, query_terms) -> Answer | None:
    pair = _two_facts(intent, ctx, query_terms, hits)
    if pair is None:
        return None
    (a, growth_a), (b, growth_b) = pair
    va, ua = _fact_value(a, growth_a)
    vb, ub = _fact_value(b, growth_b)
    if not compatible(ua, ub):
        return None
    vb_in_a = convert(vb, ub, ua)
    if re.search(r"倍", intent.text) and vb_in_a:
        result, unit, op = va / vb_in_a, "倍", "÷"
    else:
        result, op = va - vb_in_a, "−"
        unit = "个百分点" if ua == "%" else ua
    result = round(result, 6)
    ca, cb = _citation(a, ctx), _citation(b, ctx)
    if ca is None or cb is None:
        return None
    arithmetic = f"{format_number(va)} {op} {format_number(vb_in_a)} = {format_number(result)}{unit}"
    text = f"{_fact_phrase(a, growth_a)}[1]；{_fact_phrase(b, growth_b)}[2]。两者相差：{arithmetic}"
    if op == "−" and result:
        more = ("高" if unit == "个百分点" else "多") if result > 0 else ("低" if unit == "个百分点" else "少")
        text += f"，即前者比后者{more}{format_number(abs(result))}{unit}"
    text += "。"
    numeric = NumericAnswer(value=result, unit=unit, period=a.period, kind=a.kind, fact_ids=(a.id, b.id),
                            verdict="consistent", detail=arithmetic)
    citations = (ca, cb) if ca.passage_id != cb.passage_id or ca.quote != cb.quote else (ca,)
    return Answer(question=intent.text, answer=text, citations=citations, numeric=numeric)


_VERSUS = re.compile(r"(?<![同环占])比(?![重例率])|相比|对比|和|与|跟|versus|\bvs\.?|compared (?:to|with)|than", re.I)


def _two_facts(intent: Intent, ctx: Context, query_terms, hits) -> tuple[tuple[Fact, bool], tuple[Fact, bool]] | None:
    """The two rows a comparison names: split at 比/和/与/相比, each side scored on its own words
    (and year) with the whole question as context; the first side is the first named."""
    growth = intent.wants_growth
    parts = [p for p in _VERSUS.split(intent.text, maxsplit=1) if p.strip()]
    years = list(intent.years) + [None, None]
    if len(parts) == 2:
        left_year, right_year = years[0], years[1] if years[1] is not None else years[0]
        if len(terms(parts[1])) <= 1:
            parts[1] = parts[0]  # "今年的目标比去年多几个": the other side is the same thing in another year
        elif len(terms(parts[0])) <= 1:
            parts[0] = parts[1]
        left = _side(intent, ctx, query_terms, hits, parts[0], left_year)
        right = _side(intent, ctx, query_terms, hits, parts[1], right_year)
        for fa, _ in left[:3]:
            for fb, _ in right[:3]:
                if fb.id != fa.id and compatible(_fact_value(fa, growth)[1], _fact_value(fb, growth)[1]):
                    return (fa, growth), (fb, growth)
    both = _candidates(intent, ctx, query_terms, hits, year=years[0] if len(intent.years) == 1 else None)
    if intent.wants_plan and len(both) >= 2:
        plan = next((f for f, _ in both if f.kind in ("target", "plan")), None)
        done = next((f for f, _ in both if plan and f.kind in ("actual", "estimate") and f.indicator == plan.indicator), None)
        if plan and done:
            return (plan, True), (done, True)
    return None


def _side(intent: Intent, ctx: Context, query_terms, hits, part: str, year: int | None) -> list[tuple[Fact, float]]:
    own = dict(_candidates(intent, ctx, query_terms, hits, text=part, year=year, floor=0.0))
    whole = dict(_candidates(intent, ctx, query_terms, hits, year=year, floor=0.0))
    scored = [(f, 0.65 * own.get(f, 0.0) + 0.35 * whole.get(f, 0.0)) for f in set(own) | set(whole)]
    scored.sort(key=lambda pair: -pair[1])
    return [pair for pair in scored if pair[1] >= MIN_FACT_SCORE * 0.8]


# --- sentences ---------------------------------------------------------------------------

_ENUMERATION = re.compile(r"[一二三四五六七八九十]是|其[一二三四五六七八九]|第[一二三四五六七八九十]")
_CONTINUES = re.compile(r"^(?:[二三四五六七八九十]是|其[二三四五六七八九]|第[二三四五六七八九十])")


def _quote(e: Evidence, query_terms, idf: Idf) -> Citation:
    """The sentence as a citation; an enumeration ("一是…。二是…。") is quoted whole."""
    end = e.sentence.end
    if _ENUMERATION.search(e.sentence.text):
        following = [s for s in e.passage.sentences if s.start >= e.sentence.end]
        for sentence in following:
            if not _CONTINUES.match(sentence.text):
                break
            end = sentence.end
    start = e.sentence.start
    quote = e.passage.text[start - e.passage.start : end - e.passage.start]
    return Citation(doc_id=e.passage.doc_id, section_path=e.passage.section_path, passage_id=e.passage.id,
                    quote=quote, start=start, end=end, highlight=best_clause(e.sentence.text, query_terms, idf))


def _sentences(intent: Intent, hits, evidence: list[Evidence], query_terms, ctx: Context) -> Answer:
    if not evidence or evidence[0].score < MIN_SENTENCE_SCORE or intent.why and intent.negative_claim:
        return abstain(intent.text, "能回答这个问题的内容", hits)
    best = evidence[0]
    chosen = [best]
    for e in evidence[1:4]:
        if e.score >= best.score - 0.05 and e.sentence.text != best.sentence.text and len(chosen) < 2:
            chosen.append(e)
    citations = [_quote(e, query_terms, ctx.idf) for e in chosen]
    ordered = sorted(range(len(chosen)), key=lambda i: chosen[i].sentence.start)
    text = "".join(f"{chosen[i].sentence.text}[{i + 1}]" for i in ordered)
    return Answer(question=intent.text, answer=f"报告中说：{text}", citations=tuple(citations))


def _listing(intent: Intent, hits, evidence: list[Evidence], query_terms, ctx: Context) -> Answer:
    if not evidence or evidence[0].score < MIN_SENTENCE_SCORE:
        return abstain(intent.text, "能回答这个问题的内容", hits)
    best = evidence[0]
    if coverage(query_terms, best.passage.section_path[-1], ctx.idf) >= SECTION_QUESTION_COVERAGE:
        # the question names a section ("坚持依法行政有哪些举措"): its sentences are the items
        same = [e for e in evidence if e.passage.id == best.passage.id and e.sentence.text != best.sentence.text]
        chosen = [best] + sorted(same, key=lambda e: e.sentence.start)[:3]
    else:
        chosen = [best] + [
            e for e in evidence[1:8]
            if e.score >= best.score * 0.85 and "、" in e.sentence.text and e.sentence.text != best.sentence.text
        ][:2]
    citations = [_quote(e, query_terms, ctx.idf) for e in chosen]
    ordered = sorted(range(len(chosen)), key=lambda i: chosen[i].sentence.start)
    items = "；".join(f"{chosen[i].sentence.text.rstrip('。')}[{i + 1}]" for i in ordered)
    return Answer(question=intent.text, answer=f"报告提到：{items}。", citations=tuple(citations))


def coverage_of(question: str, text: str, idf: Idf) -> float:
    return coverage(terms(question), text, idf)
