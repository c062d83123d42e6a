"""Where passages are searched: one small `Store` protocol, FAISS + bm25s in the index folder
(the default) or a Milvus collection (Milvus Lite file or a Milvus server).

A store answers two questions, both scoped to reports inside the search: the nearest passages
to a vector, and the passages with the highest BM25 score for weighted query tokens. The
retrievers (`qa.retrieve`) tokenize, understand the question and fuse; the store only ranks.
`pymilvus` is imported only when the setting names a Milvus store.
"""

from __future__ import annotations

from typing import Collection, Literal, Protocol, runtime_checkable

import numpy as np

from qa.errors import IndexError_

StoreKind = Literal["faiss", "milvus"]
MILVUS_SCHEMES = ("http://", "https://", "tcp://", "grpc://", "unix:")


@runtime_checkable
class Store(Protocol):
    """Ranks passage positions (their order in the index's passages.jsonl)."""

    name: str

    def dense(self, vector: np.ndarray, k: int, doc_ids: Collection[str] | None = None) -> list[tuple[int, float]]:
        """(position, cosine) of the k nearest passages of the scoped reports, best first."""
        ...

    def lexical(self, weights: dict[int, float], k: int, doc_ids: Collection[str] | None = None) -> list[tuple[int, float]]:
        """(position, Σ weight × BM25 score of each token id) of the k best passages with a score
        above 0, best first; scoped to one report, with that report's own statistics."""
        ...


def store_kind(setting: str) -> StoreKind:
    """faiss, or milvus for a Milvus Lite file (*.db) or a server URI; anything else is a clear error."""
    value = (setting or "").strip()
    if value.lower() in ("", "faiss"):
        return "faiss"
    if value.endswith(".db") or value.lower().startswith(MILVUS_SCHEMES):
        return "milvus"
    raise IndexError_(f"unknown store {setting!r}: use faiss, a Milvus Lite file ending in .db "
                      "(e.g. index/milvus.db) or a Milvus server URI such as http://localhost:19530")


def normalized_store(setting: str) -> str:
    """The setting as the manifest records it: faiss, an absolute .db path, or the URI."""
    kind, value = store_kind(setting), (setting or "").strip()
    if kind == "faiss":
        return "faiss"
    if value.endswith(".db") and "://" not in value:
        from pathlib import Path

        return str(Path(value).expanduser().resolve())
    return value.rstrip("/")


class FaissStore:
    """The default store: FAISS for the vectors, bm25s for the words, both in the index folder."""

    name = "faiss"

    def __init__(self, index, bm25):
        from qa.retrieve import scope_positions

        self.index, self.bm25 = index, bm25
        self._scope = lambda doc_ids: None if doc_ids is None else scope_positions(index.passages, doc_ids)

    def dense(self, vector, k, doc_ids=None):
        return self.index.search(vector, k, self._scope(doc_ids))

    def lexical(self, weights, k, doc_ids=None):
        vocab = {i: t for t, i in self.bm25.vocabulary.items()}
        scores = self.bm25.token_scores({vocab[i]: w for i, w in weights.items() if i in vocab}, doc_ids)
        positions = self._scope(doc_ids)
        candidates = np.arange(len(scores)) if positions is None else positions
        ranked = sorted(((int(i), float(scores[i])) for i in candidates if scores[i] > 0), key=lambda p: (-p[1], p[0]))
        return ranked[:k]
