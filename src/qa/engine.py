"""The engine: everything loaded once per process, and the two questions the UI and CLI ask of it.

`Engine.load(settings)` reads the corpus, checks the index against it (building it when missing or
stale, and saying so), opens the retrievers and the fact table. `ask` answers one question with its
history; `search` ranks passages. When the corpus changes under a running engine, the next call
reloads it (and rebuilds the index) instead of answering from stale data.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Sequence

from qa.answering import AnswerContext, answer_query
from qa.answering.context import parse_query
from qa.embed import Embedder, load_embedder
from qa.errors import IndexError_
from qa.evidence import Idf
from qa.facts import load_facts
from qa.index import load_index
from qa.ingest import corpus_files, load_corpus
from qa.models import Answer, Document, Fact, Hit, Turn
from qa.query import load_glossary
from qa.retrieve import open_retrievers
from qa.settings import Settings


def corpus_signature(corpus_dir: Path) -> tuple:
    """Cheap change detector: names, sizes and mtimes of the corpus files."""
    out = []
    for path in sorted(Path(corpus_dir).iterdir()) if Path(corpus_dir).is_dir() else []:
        if path.is_file():
            stat = path.stat()
            out.append((path.name, stat.st_size, stat.st_mtime_ns))
    return tuple(out)


def index_status(settings: Settings, embedder: Embedder) -> str | None:
    """None when the index on disk is good for this corpus and model; else why it must be built."""
    try:
        load_index(settings, expected_model=embedder.model_id)
    except IndexError_ as exc:
        return str(exc)
    return None


def _why_rebuilt(problem: str) -> str:
    """The reason for a rebuild, in the words the chat's users read (the detail stays in the log)."""
    if problem.startswith("no index"):
        return "原索引不存在"
    if "stale" in problem:
        return "语料或模型已更改，原索引已过期"
    if "damaged" in problem or "does not match" in problem or "incomplete" in problem or "unreadable" in problem:
        return "原索引已损坏"
    return problem


class Engine:
    def __init__(self, settings: Settings, documents: list[Document], facts: list[Fact], retrievers,
                 glossary, embedder: Embedder, status: str, signature: tuple | None = None):
        self.settings = settings
        self.documents = documents
        self.facts = facts
        self.retrievers = retrievers
        self.glossary = glossary
        self.embedder = embedder
        self.status = status
        # the corpus as it was before loading (Engine.load): an edit made during the load is seen next call
        self._signature = corpus_signature(settings.corpus_dir) if signature is None else signature
        self.generation = 0  # corpus reloads so far (the web app refreshes its tabs when it grows)
        self._lock = threading.Lock()
        self.context = AnswerContext(
            documents=documents,
            facts=facts,
            retriever=retrievers.hybrid,
            embed=embedder.embed,
            idf=Idf(documents),
            glossary=glossary,
            max_question_chars=settings.max_question_chars,
        )
        self.context.warm()

    @classmethod
    def load(cls, settings: Settings, *, embedder: Embedder | None = None, rebuild: str = "auto") -> "Engine":
        signature = corpus_signature(settings.corpus_dir)  # before anything is read
        embedder = embedder or load_embedder(settings.model)
        # No warm-up thread: the model's state comes from a cache file in ~0.2 s, and a thread
        # unpickling it would only contend for the interpreter with the loads below.
        getattr(embedder, "load", lambda: None)()
        documents = load_corpus(settings.corpus_dir)
        index, problem = None, "rebuild asked" if rebuild == "always" else None
        if problem is None:
            try:  # loaded once, here, and handed to the retrievers (checksums are read once)
                index = load_index(settings, expected_model=embedder.model_id)
            except IndexError_ as exc:
                problem = str(exc)
        if problem and rebuild == "never":
            raise IndexError_(problem)
        retrievers = open_retrievers(settings, rebuild=rebuild, embedder=embedder, index=index)
        passages = len(retrievers.hybrid.passages)
        model = embedder.model_id
        if problem:
            status = f"索引已重建（{passages} 段，模型 {model}）：{_why_rebuilt(problem)}"
        else:
            status = f"索引已加载（{passages} 段，模型 {model}）"
        return cls(settings, documents, load_facts(settings.corpus_dir), retrievers,
                   load_glossary(settings.corpus_dir), embedder, status, signature=signature)

    def _fresh(self) -> "Engine":
        """Reload in place when the corpus changed since loading: never answer from stale data."""
        if corpus_signature(self.settings.corpus_dir) == self._signature:
            return self
        with self._lock:
            if corpus_signature(self.settings.corpus_dir) != self._signature:
                fresh = Engine.load(self.settings, embedder=self.embedder)
                fresh.generation = self.generation + 1
                self.__dict__.update(fresh.__dict__)
                self.status = "语料已更改，" + fresh.status
        return self

    def ask(self, question: str, history: Sequence[Turn] = (), doc_id: str | None = None) -> Answer:
        """Answer one question about the report `doc_id` (None: the report the question names, or the
        only one); raises InputError for empty or over-long input."""
        context = self._fresh().context
        return answer_query(parse_query(question, history, doc_id, context), context)

    def search(self, question: str, k: int = 5, retriever: str = "hybrid") -> list[Hit]:
        return self._fresh().retrievers.get(retriever).search(question, k)


__all__ = ["Engine", "corpus_files"]
