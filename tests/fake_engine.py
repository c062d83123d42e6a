"""A small deterministic stand-in for `qa.engine.Engine`, built from the real corpus.

It answers by character overlap with the passages, quotes the best sentence,
highlights its first number and checks that number against facts read with a
regex. Good enough to drive the UI in tests; it knows nothing about any question.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from qa.errors import InputError
from qa.ingest import load_corpus
from qa.models import Answer, Citation, Document, Fact, Hit, NumericAnswer, Turn
from qa.settings import Settings

_NUMBER = re.compile(r"([\u4e00-\u9fff]{2,10}?)\s*(\d+(?:\.\d+)?)\s*(亿元|万元|万美元|元|%|亩|家|个|人)")


def _facts(documents: Sequence[Document]) -> list[Fact]:
    facts = []
    for doc in documents:
        for passage in doc.passages:
            for sentence in passage.sentences:
                for m in _NUMBER.finditer(sentence.text):
                    kind = "actual" if (passage.period or 0) < (doc.meta.year or 0) else "target"
                    facts.append(Fact(
                        id=f"F{len(facts) + 1:03d}", doc_id=doc.doc_id, indicator=m.group(1),
                        period=passage.period or doc.meta.year or 0, kind=kind, value=float(m.group(2)),
                        unit=m.group(3), base_value=float(m.group(2)), section_path=passage.section_path,
                        source=sentence.text,
                    ))
    return facts


class FakeEngine:
    def __init__(self, settings: Settings | None = None):
        self.settings = settings or Settings.from_env()
        self.generation = 0
        self._load()

    def _signature(self) -> tuple:
        return tuple(sorted((p.name, p.stat().st_mtime_ns) for p in self.settings.corpus_dir.iterdir()))

    def _load(self) -> None:
        self._seen = self._signature()
        self.documents = load_corpus(self.settings.corpus_dir)
        self.facts = _facts(self.documents)
        self.passages = [p for d in self.documents for p in d.passages]
        self.status = f"测试引擎（{len(self.passages)} 段）"

    def refresh(self) -> bool:
        """As `qa.worker.EnginePool.refresh`: reload when the corpus changed, and count it."""
        if self._signature() == self._seen:
            return False
        self._load()
        self.generation += 1
        return True

    @classmethod
    def load(cls, settings: Settings, *, embedder=None) -> "FakeEngine":
        return cls(settings)

    def search(self, question: str, k: int = 5, retriever: str = "hybrid") -> list[Hit]:
        grams = {question[i:i + 2] for i in range(len(question) - 1)} - {"多少", "哪些", "什么", "是多", "有哪"}

        def score(p) -> int:
            return sum(g in p.text or g in "".join(p.section_path) for g in grams)

        scored = sorted(self.passages, key=lambda p: -score(p))
        return [Hit(passage=p, score=float(score(p)), rank=i, retriever="fake") for i, p in enumerate(scored[:k], 1)]

    def ask(self, question: str, history: Sequence[Turn] = (), doc_id: str | None = None) -> Answer:
        if not question.strip():
            raise InputError("问题是空的")
        if len(question) > self.settings.max_question_chars:
            raise InputError(f"问题太长（{len(question)} 字），请控制在 {self.settings.max_question_chars} 字以内")
        if "boom" in question:
            raise RuntimeError("internal failure that must not reach the page")
        context = question if not history else history[-1].question + question
        understood = f"{history[-1].question.rstrip('？?')}，{question}" if history else None
        hits = [h for h in self.search(context, k=50) if doc_id is None or h.passage.doc_id == doc_id][:3]
        if not hits or hits[0].score < 4:
            return Answer(question=question, answer="报告中没有找到答案。", abstained=True,
                          abstain_reason="没有足够相关的段落。", related=tuple(hits))
        passage = hits[0].passage
        sentence = max(passage.sentences, key=lambda s: len(set(context) & set(s.text)))
        number = _NUMBER.search(sentence.text)
        numeric = None
        span = None
        if number:
            span = (number.start(2), number.end(3))
            matches = [f for f in self.facts if f.source == sentence.text and f.value == float(number.group(2))]
            numeric = NumericAnswer(value=float(number.group(2)), unit=number.group(3), period=passage.period,
                                    fact_ids=tuple(f.id for f in matches),
                                    verdict="consistent" if matches else "not_in_table")
        citation = Citation(doc_id=passage.doc_id, section_path=passage.section_path, passage_id=passage.id,
                            quote=sentence.text, start=sentence.start, end=sentence.end, highlight=span)
        return Answer(question=question, answer=sentence.text, citations=(citation,), numeric=numeric,
                      related=tuple(hits), timings={"total": 0.01}, interpreted_as=understood,
                      doc_id=passage.doc_id)
