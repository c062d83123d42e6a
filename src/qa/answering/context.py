"""What answering needs, built once per engine: the reports, their fact rows, the retriever, the idf
table, the glossary, the embedder and the fitted scorer."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable, Sequence

import numpy as np

from qa.answering.scorer import Scorer
from qa.evidence import Idf, query_variants
from qa.models import Document, Fact, Hit
from qa.question.query import Query

CACHE_SIZE = 512  # questions' terms kept per engine
_YEAR_IN_TEXT = re.compile(r"(?<!\d)((?:19|20)\d{2})(?=\s*年)")


@dataclass
class AnswerContext:
    documents: Sequence[Document]
    facts: Sequence[Fact]
    retriever: object
    idf: Idf
    glossary: object = None
    embed: Callable[[Sequence[str]], np.ndarray] | None = None
    scorer: Scorer = field(default_factory=Scorer.load)
    max_question_chars: int = 500
    depth: int = 5

    @cached_property
    def by_id(self) -> dict[str, Document]:
        return {d.doc_id: d for d in self.documents}

    @cached_property
    def facts_by_doc(self) -> dict[str, list[Fact]]:
        out: dict[str, list[Fact]] = {}
        for fact in self.facts:
            out.setdefault(fact.doc_id, []).append(fact)
        return out

    @cached_property
    def years_by_doc(self) -> dict[str, frozenset[int]]:
        """The years a report speaks of: its sections' periods and the years its text names."""
        out = {}
        for doc in self.documents:
            years = {p.period for p in doc.passages if p.period is not None}
            years |= {int(y) for y in _YEAR_IN_TEXT.findall(doc.text)}
            for y in (doc.profile.review_year, doc.profile.plan_year, doc.meta.year):
                if y:
                    years.add(y)
            out[doc.doc_id] = frozenset(years)
        return out

    def plan_year(self, doc_id: str | None) -> int | None:
        doc = self.by_id.get(doc_id or "")
        if doc is None:
            return None
        return doc.profile.plan_year or doc.meta.year

    def review_year(self, doc_id: str | None) -> int | None:
        doc = self.by_id.get(doc_id or "")
        if doc is None:
            return None
        if doc.profile.review_year:
            return doc.profile.review_year
        plan = self.plan_year(doc_id)
        return plan - 1 if plan else None

    def terms(self, topic: str):
        cache = self.__dict__.setdefault("_terms", {})
        if topic not in cache:
            if len(cache) > CACHE_SIZE:
                cache.clear()
            cache[topic] = query_variants(topic, self.glossary)
        return cache[topic]

    def cover(self, topic: str):
        """Coverage of this topic's terms, idf weights computed once per topic."""
        from qa.answering.features import Cover

        cache = self.__dict__.setdefault("_covers", {})
        if topic not in cache:
            if len(cache) > CACHE_SIZE:
                cache.clear()
            cache[topic] = Cover(self.terms(topic), self.idf)
        return cache[topic]

    def search(self, text: str, doc_id: str | None, k: int | None = None) -> list[Hit]:
        """Passages of the one report asked about (the retriever's own scoping, else filtered)."""
        k = k or self.depth
        ids = [doc_id] if doc_id else None
        try:
            return self.retriever.search(text, k, doc_ids=ids)
        except TypeError:
            hits = self.retriever.search(text, k * 4)
            kept = [h for h in hits if doc_id is None or h.passage.doc_id == doc_id][:k]
            return [h.model_copy(update={"rank": n}) for n, h in enumerate(kept, start=1)]

    def similarities(self, text: str, texts: list[str]) -> list[float]:
        """Cosine of the question with each text (bundled multilingual model; vectors cached)."""
        if self.embed is None or not texts:
            return [0] * len(texts)
        cache = self.__dict__.setdefault("_vectors", {})
        new = [t for t in dict.fromkeys(texts) if t not in cache]
        if new:
            for t, v in zip(new, self.embed(new)):
                cache[t] = v
        q = self.embed([text])[0]
        return [float(np.dot(q, cache[t])) for t in texts]

    def warm(self) -> None:
        self.by_id, self.facts_by_doc, self.years_by_doc  # noqa: B018


def parse_query(question: str, history, doc_id: str | None, ctx: AnswerContext) -> Query:
    """The question parsed once, scoped to the chosen report (or the one it names, or the only one)."""
    from qa.question.parse import parse

    return parse(question, history, reports=ctx.documents, glossary=ctx.glossary, chosen_doc=doc_id,
                 max_chars=ctx.max_question_chars)
