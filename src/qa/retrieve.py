"""Retrievers: BM25 over Chinese words, dense over FAISS, and a fusion of the two.

Every retriever has one method, `search(query, k, doc_ids=None) -> list[Hit]`; `doc_ids` scopes it
to those reports inside the search (k passages of those reports come back, not k of all filtered
down). Scoped to one report, BM25 uses that report's own statistics, so its words weigh as they
would with the report alone: its region name, in most of its passages, is no longer a rare word. The hybrid fuses
normalised scores rather than bare ranks: when one side is sure (a BM25 score far
above the rest) that confidence survives, which plain reciprocal-rank fusion throws
away. A time-intent prior then prefers passages about the year the question means.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Protocol, Sequence, runtime_checkable

import jieba
import numpy as np

from qa.embed import Embedder, load_embedder, passage_text
from qa.errors import IndexError_
from qa.index import MANIFEST_FILE, BuildInputs, Index, Rebuild, ensure_index, register_artefact
from qa.ingest import corpus_hash
from qa.models import Hit, Passage
from qa.query import GLOSSARY_NAMES, Glossary, QueryInfo, load_glossary, normalize, understand
from qa.settings import Settings

jieba.setLogLevel(logging.WARNING)

# question words and fillers: they say what is asked, not what it is about
STOPWORDS = frozenset(
    "多少 什么 哪些 哪个 哪里 哪儿 怎么 怎样 如何 为什么 是否 有没有 是不是 情况 方面 主要 具体 "
    "请问 一下 我们 你们 他们 这个 那个 这些 那些 以及 还有 或者 可以 能够 the of a an in on to for "
    "and or is was were what how many much which did does do by with about".split()
)
_WORD = re.compile(r"[\u4e00-\u9fff]{2,}|[a-z]+|\d+(?:\.\d+)?")
_RUN = re.compile(r"[\u4e00-\u9fff]+|[a-z]+|\d+(?:\.\d+)?")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_QUOTED = re.compile(r"[“\"「]([\u4e00-\u9fff]{2,8})[”\"」]")


@runtime_checkable
class Retriever(Protocol):
    """Ranks passages for a question; hits carry their passage (and so its citation location)."""

    name: str

    def search(self, query: str, k: int = 5, doc_ids: Iterable[str] | None = None) -> list[Hit]: ...


def scope_positions(passages: Sequence[Passage], doc_ids: Iterable[str] | None) -> np.ndarray | None:
    """Positions of the passages of these reports, ascending (None: no scope)."""
    if doc_ids is None:
        return None
    wanted = frozenset(doc_ids)
    return np.array([i for i, p in enumerate(passages) if p.doc_id in wanted], dtype=np.int64)


class _Scoped:
    """Positions per scope, computed once per set of reports."""

    passages: tuple[Passage, ...]

    def positions(self, doc_ids: Iterable[str] | None) -> np.ndarray | None:
        if doc_ids is None:
            return None
        key = frozenset(doc_ids)
        cache = self.__dict__.setdefault("_positions", {})
        if key not in cache:
            cache[key] = scope_positions(self.passages, key)
        return cache[key]


def report_terms(passages: Sequence[Passage]) -> list[str]:
    """Terms a report marks as its own (quoted names such as “放管服”, “四上”)."""
    return sorted({m.group(1) for p in passages for m in _QUOTED.finditer(p.text)})


def _private_jieba() -> jieba.Tokenizer:
    """A jieba tokenizer of our own (terms added to it stay out of the global one) that shares
    the dictionary the global one loaded: loading it twice costs 0.6 s of every cold start."""
    jieba.dt.check_initialized()
    tokenizer = jieba.Tokenizer()
    tokenizer.FREQ, tokenizer.total = dict(jieba.dt.FREQ), jieba.dt.total
    tokenizer.initialized = True
    return tokenizer


def _jieba_of(words: dict[str, int], total: int) -> jieba.Tokenizer:
    """A jieba tokenizer over a given dictionary (jieba's prefix entries rebuilt as it builds them)."""
    freq: dict[str, int] = {}
    for word, count in words.items():
        freq[word] = count
        for i in range(1, len(word)):
            freq.setdefault(word[:i], 0)
    tokenizer = jieba.Tokenizer()
    tokenizer.FREQ, tokenizer.total, tokenizer.initialized = freq, total, True
    return tokenizer


class ChineseTokenizer:
    """jieba with the domain's and the report's terms kept whole, plus character bigrams.

    Bigrams (marked with a leading "~") let a question match a passage when jieba cuts
    the two differently or the question has a typo in one character of a long term.
    """

    def __init__(self, terms: Sequence[str] = (), bigrams: bool = True,
                 dictionary: tuple[dict[str, int], int] | None = None):
        """`dictionary` (word -> frequency, total), when given, replaces jieba's 350k-word one (and
        its 0.9 s load): the words a corpus's index knows, saved by `qa build` (`dictionary()`)."""
        if dictionary is None:
            self._jieba = _private_jieba()
            for term in terms:
                if len(term) >= 2:
                    self._jieba.add_word(term, freq=2_000_000)
        else:
            self._jieba = _jieba_of(*dictionary)
        self.bigrams = bigrams

    def dictionary(self, words: Iterable[str]) -> tuple[dict[str, int], int]:
        """The entries of these words in this tokenizer's dictionary, and its total."""
        freq = self._jieba.FREQ
        return {w: freq[w] for w in sorted(set(words)) if freq.get(w)}, self._jieba.total

    def words(self, text: str) -> list[str]:
        # jieba sees only the Chinese runs: left to it, "PM2.5" becomes one odd token
        out = []
        for run in _RUN.findall(text.lower()):
            pieces = self._jieba.cut_for_search(run) if _HAN.match(run) else [run]
            out += [t for t in pieces if _WORD.fullmatch(t) and t not in STOPWORDS]
        return out

    def __call__(self, text: str) -> list[str]:
        tokens = self.words(text)
        if self.bigrams:
            for run in re.findall(r"[\u4e00-\u9fff]{2,}", text):
                tokens += ["~" + run[i : i + 2] for i in range(len(run) - 1)]
        return tokens


@lru_cache(maxsize=8)
def tokenizer_for(terms: tuple[str, ...], bigrams: bool = True) -> ChineseTokenizer:
    """One tokenizer per set of terms per process (jieba takes ~0.6 s to load its dictionary)."""
    return ChineseTokenizer(terms, bigrams)


def _in_scope(scores: np.ndarray, positions: np.ndarray | None) -> list[tuple[int, float]]:
    if positions is None:
        return list(enumerate(scores.tolist()))
    return list(zip(positions.tolist(), scores[positions].tolist()))


def _hits(passages: Sequence[Passage], scored: list[tuple[int, float]], k: int, name: str) -> list[Hit]:
    ranked = sorted(scored, key=lambda pair: (-pair[1], pair[0]))[:k]
    return [Hit(passage=passages[i], score=float(s), rank=r, retriever=name) for r, (i, s) in enumerate(ranked, 1)]


BM25_META = "bm25.json"
# How a question is cut when the index has the corpus's dictionary: "corpus" (its words only; no
# full jieba load) or "jieba" (jieba's whole dictionary). Measured on the known answers: see bench/results.md.
QUERY_DICTIONARY = os.environ.get("QA_QUERY_DICTIONARY", "corpus")


@lru_cache(maxsize=4)
def _saved_tokenizer(key: str, bigrams: bool, dictionary: str) -> ChineseTokenizer:
    words, total = json.loads(dictionary)
    return ChineseTokenizer(bigrams=bigrams, dictionary=(words, total))


class SavedBM25:
    """A BM25 index saved by bm25s (`BM25.save`), scored with numpy alone: a start reads three arrays
    and a vocabulary instead of importing bm25s and scipy (0.4-1.3 s of imports). The scores are
    bm25s's (lucene method: each passage's precomputed score per token, summed over the tokens asked)."""

    def __init__(self, folder: Path):
        params = json.loads((folder / "params.index.json").read_text(encoding="utf-8"))
        if params.get("method") != "lucene":
            raise ValueError(f"BM25 method {params.get('method')!r} is not read here")
        self.vocab_dict: dict[str, int] = json.loads((folder / "vocab.index.json").read_text(encoding="utf-8"))
        self.scores = {name: np.load(folder / f"{name}.csc.index.npy", allow_pickle=False)
                       for name in ("data", "indices", "indptr")}
        self.scores["num_docs"] = int(params["num_docs"])

    def get_scores(self, tokens: list[str]) -> np.ndarray:
        data, indices, indptr = self.scores["data"], self.scores["indices"], self.scores["indptr"]
        scores = np.zeros(self.scores["num_docs"], dtype=np.float32)
        for token_id in {self.vocab_dict[t] for t in tokens}:
            start, end = indptr[token_id], indptr[token_id + 1]
            np.add.at(scores, indices[start:end], data[start:end])
        return scores


def _load_bm25(folder: Path) -> SavedBM25:
    return SavedBM25(folder)


def _bm25_of(corpus: list[list[str]]):
    import bm25s  # only where an index is built: a start reads SavedBM25

    bm25 = bm25s.BM25()
    bm25.index(corpus, show_progress=False)
    return bm25


def _weighted_scores(bm25, weights: dict[str, float]) -> np.ndarray:
    """Σ weight × BM25 score of each token (tokens the index never saw add nothing)."""
    vocab = bm25.vocab_dict
    scores = np.zeros(bm25.scores["num_docs"], dtype=np.float32)
    for weight in sorted(set(weights.values()), reverse=True):
        tokens = [t for t, w in weights.items() if w == weight and t in vocab]
        if tokens:
            scores += weight * np.asarray(bm25.get_scores(tokens), dtype=np.float32)
    return scores


class BM25Retriever(_Scoped):
    """BM25 (bm25s) over jieba words and bigrams of heading path + text, with glossary expansion.

    A glossary name in the question adds the entry's other names at `expansion_weight`,
    so "固投" also scores 固定资产投资 without outweighing the words actually asked.
    """

    name = "bm25"

    def __init__(
        self,
        passages: Sequence[Passage],
        glossary: Glossary | None = None,
        bigrams: bool = True,
        expansion_weight: float = 0.5,
    ):
        self.passages = tuple(passages)
        self.glossary = glossary or Glossary()
        self.expansion_weight = expansion_weight
        self.bigrams = bigrams
        self.tokenizer = tokenizer_for(self._terms(), bigrams)
        self._corpus = [self.tokenizer(normalize(passage_text(p))) or [""] for p in self.passages]
        self._bm25 = _bm25_of(self._corpus)
        # one report's own statistics, for questions scoped to it (a single report needs none)
        self._per_doc = {doc: (positions, _bm25_of([self._corpus[i] for i in positions]))
                         for doc, positions in self._doc_positions().items()}

    def _terms(self) -> tuple[str, ...]:
        return tuple(sorted(set(self.glossary.chinese_terms() + report_terms(self.passages))))

    def _doc_positions(self) -> dict[str, np.ndarray]:
        docs = dict.fromkeys(p.doc_id for p in self.passages)
        return {} if len(docs) < 2 else {doc: scope_positions(self.passages, [doc]) for doc in docs}

    def _key(self) -> str:
        """What the saved statistics depend on: the terms kept whole, bigrams, the passages' ids and text."""
        digest = hashlib.sha256(json.dumps([self._terms(), self.bigrams], ensure_ascii=False).encode())
        for p in self.passages:
            digest.update(f"\x00{p.id}\x01{passage_text(p)}".encode())
        return digest.hexdigest()

    def save(self, folder: Path) -> None:
        """Write the statistics (bm25s's own format) and the dictionary of the corpus's words, so a
        process starts without tokenizing the corpus or loading jieba's full dictionary."""
        words = {t for tokens in self._corpus for t in tokens if not t.startswith("~")} | set(self._terms())
        freq, total = self.tokenizer.dictionary(words)
        meta = {"key": self._key(), "docs": list(self._per_doc), "total": total, "words": freq}
        (folder / BM25_META).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        self._bm25.save(str(folder / "all"), show_progress=False)
        for n, (_, bm25) in enumerate(self._per_doc.values()):
            bm25.save(str(folder / f"doc-{n}"), show_progress=False)

    @classmethod
    def load(cls, folder: Path, passages: Sequence[Passage], glossary: Glossary | None = None,
             bigrams: bool = True, expansion_weight: float = 0.5) -> "BM25Retriever | None":
        """The retriever saved by `save` for these passages and glossary; None when they differ
        (a glossary edited since the build) or the files are unreadable: build it then."""
        self = cls.__new__(cls)
        self.passages, self.glossary = tuple(passages), glossary or Glossary()
        self.expansion_weight, self.bigrams = expansion_weight, bigrams
        try:
            meta = json.loads((folder / BM25_META).read_text(encoding="utf-8"))
            if meta["key"] != self._key():
                return None
            positions = self._doc_positions()
            if list(positions) != meta["docs"]:
                return None
            self._bm25 = _load_bm25(folder / "all")
            self._per_doc = {doc: (positions[doc], _load_bm25(folder / f"doc-{n}")) for n, doc in enumerate(meta["docs"])}
        except (OSError, ValueError, KeyError):
            return None
        if QUERY_DICTIONARY == "corpus":
            self.tokenizer = _saved_tokenizer(self._key(), bigrams, json.dumps([meta["words"], meta["total"]]))
        else:
            self.tokenizer = tokenizer_for(self._terms(), bigrams)
        return self

    def query_weights(self, info: QueryInfo) -> dict[str, float]:
        """Token -> weight of an understood query: 1 for a word asked, `expansion_weight` for a word
        only a glossary expansion brings."""
        weights = dict.fromkeys(self.tokenizer(info.text), 1.0)
        if info.expansions and self.expansion_weight:
            for token in (t for name in info.expansions for t in self.tokenizer(name)):
                weights.setdefault(token, self.expansion_weight)
        return weights

    @property
    def vocabulary(self) -> dict[str, int]:
        """Token -> id over the whole corpus (the ids of `sparse_rows`)."""
        return self._bm25.vocab_dict

    def sparse_rows(self) -> tuple[list[dict[int, float]], list[dict[int, float]]]:
        """Each passage's BM25 score per token id, with the corpus's statistics and with its own
        report's: what a store that ranks sparse vectors by inner product needs to score as `scores`."""
        import scipy.sparse

        def rows(bm25) -> list[dict[int, float]]:
            names = {i: t for t, i in bm25.vocab_dict.items()}
            matrix = scipy.sparse.csc_matrix((bm25.scores["data"], bm25.scores["indices"], bm25.scores["indptr"]),
                                             shape=(bm25.scores["num_docs"], len(bm25.scores["indptr"]) - 1)).tocsr()
            return [{self.vocabulary[names[int(j)]]: float(v)
                     for j, v in zip(matrix.indices[matrix.indptr[r]:matrix.indptr[r + 1]],
                                     matrix.data[matrix.indptr[r]:matrix.indptr[r + 1]]) if v}
                    for r in range(matrix.shape[0])]

        corpus = rows(self._bm25)
        own = list(corpus)
        for positions, bm25 in self._per_doc.values():
            for position, row in zip(positions.tolist(), rows(bm25)):
                own[position] = row
        return corpus, own

    def scores(self, info: QueryInfo, doc_ids: Iterable[str] | None = None) -> np.ndarray:
        """BM25 score of every passage (in passage order) for an understood query; scoped to one
        report, with that report's statistics (passages outside the scope score 0)."""
        return self.token_scores(self.query_weights(info), doc_ids)

    def token_scores(self, weights: dict[str, float], doc_ids: Iterable[str] | None = None) -> np.ndarray:
        """Σ weight × BM25 score of each token, for every passage (scoped as `scores`)."""
        scope = None if doc_ids is None else frozenset(doc_ids)
        if scope is not None and len(scope) == 1 and next(iter(scope)) in self._per_doc:
            positions, bm25 = self._per_doc[next(iter(scope))]
            scores = np.zeros(len(self.passages), dtype=np.float32)
            scores[positions] = _weighted_scores(bm25, weights)
            return scores
        return _weighted_scores(self._bm25, weights)

    def search(self, query: str, k: int = 5, doc_ids: Iterable[str] | None = None) -> list[Hit]:
        scores = self.scores(understand(query, self.glossary), doc_ids)
        scored = [(i, s) for i, s in _in_scope(scores, self.positions(doc_ids)) if s > 0]
        return _hits(self.passages, scored, k, self.name)


class DenseRetriever(_Scoped):
    """Cosine similarity of the question to each passage's heading path + text, via FAISS."""

    name = "dense"

    def __init__(self, index: Index, embedder: Embedder, glossary: Glossary | None = None):
        if embedder.model_id != index.manifest.model:
            raise ValueError(f"index built with {index.manifest.model}, embedder is {embedder.model_id}")
        self.index = index
        self.passages = index.passages
        self.embedder = embedder
        self.glossary = glossary or Glossary()

    def scores(self, info: QueryInfo, k: int, doc_ids: Iterable[str] | None = None) -> list[tuple[int, float]]:
        """(passage position, cosine) of the k nearest passages (of the scoped reports) for an understood query."""
        vector = self.embedder.embed([self.query_text(info)])[0]
        return self.index.search(vector, k, self.positions(doc_ids))

    def query_text(self, info: QueryInfo) -> str:
        """The question plus the report's term for each glossary name in it ("固投" -> 固定资产投资)."""
        terms = [e.term for e in self.glossary.matches(info.text, related=True) if normalize(e.term) not in info.text]
        return " ".join([info.text, *terms])

    def search(self, query: str, k: int = 5, doc_ids: Iterable[str] | None = None) -> list[Hit]:
        return _hits(self.passages, self.scores(understand(query, self.glossary), k, doc_ids), k, self.name)


@dataclass(frozen=True)
class FusionWeights:
    """How the hybrid weighs its evidence.

    Chosen on the known answers and checked on two halves of them (odd/even lines):
    both halves prefer the same values, and 0.4-0.6 for BM25 and 0.15-0.3 for time
    give nearly the same results, so these are not fitted to single questions.
    """

    bm25: float = 0.5
    dense: float = 0.5
    time: float = 0.2  # added when a passage speaks of the year the question means, subtracted when another
    candidates: int = 100  # passages taken from the dense side before fusion


def _minmax(values: np.ndarray) -> np.ndarray:
    low, high = float(values.min()), float(values.max())
    if high - low < 1e-12:
        return np.zeros_like(values) if high <= 0 else np.ones_like(values)
    return (values - low) / (high - low)


def time_prior(passages: Sequence[Passage], info: QueryInfo, doc_years: dict[str, int | None]) -> np.ndarray:
    """+strength for a passage about the year the question means, -strength about another, 0 when unknown."""
    prior = np.zeros(len(passages), dtype=np.float32)
    if info.intent.year is None and info.intent.relative is None:
        return prior
    for i, passage in enumerate(passages):
        wanted = info.intent.period_for(doc_years.get(passage.doc_id))
        if wanted is not None and passage.period is not None:
            prior[i] = info.intent.strength * (1.0 if passage.period == wanted else -1.0)
    return prior


class HybridRetriever(_Scoped):
    """Weighted fusion of normalised BM25 and dense scores, plus a time-intent prior.

    BM25 is divided by its best score (so 1 = the best lexical match), dense cosines are
    min-max scaled over the nearest `candidates`; a hit's score is
    `w.bm25 * lexical + w.dense * dense ± w.time * strength`, about -0.2 … 1.2.
    """

    name = "hybrid"

    def __init__(
        self,
        bm25: BM25Retriever,
        dense: DenseRetriever,
        doc_years: dict[str, int | None] | None = None,
        weights: FusionWeights = FusionWeights(),
    ):
        if [p.id for p in bm25.passages] != [p.id for p in dense.passages]:
            raise ValueError("the BM25 and dense retrievers must cover the same passages in the same order")
        self.bm25, self.dense, self.weights = bm25, dense, weights
        self.passages = bm25.passages
        self.glossary = bm25.glossary
        self.doc_years = doc_years if doc_years is not None else dense.index.doc_years

    def scores(self, info: QueryInfo, doc_ids: Iterable[str] | None = None) -> np.ndarray:
        """Fused score of every passage in passage order; only those of the scope (if any) are meaningful."""
        n = len(self.passages)
        positions = self.positions(doc_ids)
        lexical = self.bm25.scores(info, doc_ids)
        best = float(lexical.max() if positions is None else (lexical[positions].max() if len(positions) else 0.0))
        lexical = lexical / best if best > 0 else lexical
        dense = np.zeros(n, dtype=np.float32)
        near = self.dense.scores(info, min(n, max(self.weights.candidates, 1)), doc_ids)
        if near:
            positions = np.array([i for i, _ in near])
            dense[positions] = _minmax(np.array([s for _, s in near], dtype=np.float32))
        prior = time_prior(self.passages, info, self.doc_years)
        w = self.weights
        return w.bm25 * lexical + w.dense * dense + w.time * prior

    def search(self, query: str, k: int = 5, doc_ids: Iterable[str] | None = None) -> list[Hit]:
        scores = self.scores(understand(query, self.glossary), doc_ids)
        return _hits(self.passages, _in_scope(scores, self.positions(doc_ids)), k, self.name)


class StoreBM25:
    """BM25 ranked by a store (`qa.stores`): the same tokens and scores as `BM25Retriever`."""

    name = "bm25"

    def __init__(self, bm25: BM25Retriever, store):
        self.bm25, self.store = bm25, store
        self.passages, self.glossary = bm25.passages, bm25.glossary

    def token_ids(self, info: QueryInfo) -> dict[int, float]:
        vocabulary = self.bm25.vocabulary
        return {vocabulary[t]: w for t, w in self.bm25.query_weights(info).items() if t in vocabulary}

    def search(self, query: str, k: int = 5, doc_ids: Iterable[str] | None = None) -> list[Hit]:
        found = self.store.lexical(self.token_ids(understand(query, self.glossary)), k, _scope_list(doc_ids))
        return _hits(self.passages, found, k, self.name)


class StoreDense:
    """Dense search by a store: the same question text and vectors as `DenseRetriever`."""

    name = "dense"

    def __init__(self, dense: DenseRetriever, store):
        self.dense, self.store = dense, store
        self.passages, self.glossary, self.index = dense.passages, dense.glossary, dense.index

    def scores(self, info: QueryInfo, k: int, doc_ids: Iterable[str] | None = None) -> list[tuple[int, float]]:
        vector = self.dense.embedder.embed([self.dense.query_text(info)])[0]
        return self.store.dense(vector, k, _scope_list(doc_ids))

    def search(self, query: str, k: int = 5, doc_ids: Iterable[str] | None = None) -> list[Hit]:
        return _hits(self.passages, self.scores(understand(query, self.glossary), k, doc_ids), k, self.name)


class StoreHybrid:
    """The hybrid's fusion over a store's two candidate lists (`lexical_candidates` BM25 passages,
    `weights.candidates` dense ones): BM25 divided by its best, dense min-max scaled, time prior.
    A passage on neither list is not ranked (the in-process hybrid gives it its BM25 share)."""

    name = "hybrid"

    def __init__(self, bm25: StoreBM25, dense: StoreDense, doc_years: dict[str, int | None],
                 weights: FusionWeights = FusionWeights(), lexical_candidates: int = 200):
        self.bm25, self.dense, self.weights = bm25, dense, weights
        self.passages, self.glossary, self.doc_years = bm25.passages, bm25.glossary, doc_years
        self.lexical_candidates = lexical_candidates

    def search(self, query: str, k: int = 5, doc_ids: Iterable[str] | None = None) -> list[Hit]:
        info = understand(query, self.glossary)
        scope = _scope_list(doc_ids)
        w = self.weights
        fused: dict[int, float] = {}
        lexical = self.bm25.store.lexical(self.bm25.token_ids(info), self.lexical_candidates, scope)
        best = max((s for _, s in lexical), default=0.0)
        for position, score in lexical:
            fused[position] = w.bm25 * score / best if best > 0 else 0.0
        near = self.dense.scores(info, max(w.candidates, 1), scope)
        if near:
            scaled = _minmax(np.array([s for _, s in near], dtype=np.float32))
            for (position, _), value in zip(near, scaled.tolist()):
                fused[position] = fused.get(position, 0.0) + w.dense * value
        positions = list(fused)
        prior = time_prior([self.passages[i] for i in positions], info, self.doc_years)
        scored = [(i, fused[i] + w.time * float(p)) for i, p in zip(positions, prior.tolist())]
        return _hits(self.passages, scored, k, self.name)


def _scope_list(doc_ids: Iterable[str] | None) -> list[str] | None:
    return None if doc_ids is None else sorted(set(doc_ids))


def _write_bm25(inputs: BuildInputs, folder: Path) -> None:
    BM25Retriever(inputs.passages, load_glossary(inputs.settings.corpus_dir)).save(folder)


register_artefact("bm25", _write_bm25)

RETRIEVERS = ("bm25", "dense", "hybrid")


@dataclass(frozen=True)
class Retrievers:
    """The three retrievers over one loaded index (built once, shared)."""

    bm25: BM25Retriever
    dense: DenseRetriever
    hybrid: HybridRetriever

    def get(self, kind: str) -> Retriever:
        if kind not in RETRIEVERS:
            raise ValueError(f"unknown retriever {kind!r}; choose one of {', '.join(RETRIEVERS)}")
        return getattr(self, kind)


def make_retrievers(index: Index, embedder: Embedder, glossary: Glossary | None = None,
                    settings: Settings | None = None) -> Retrievers:
    """The retrievers over a loaded index; searched by Milvus when the index was built into it."""
    saved = index.artefact("bm25")
    bm25 = (BM25Retriever.load(saved, index.passages, glossary) if saved else None) or BM25Retriever(index.passages, glossary)
    dense = DenseRetriever(index, embedder, glossary)
    if index.manifest.store != "faiss":
        from qa.stores.milvus import MilvusStore

        if saved is None or BM25Retriever.load(saved, index.passages, glossary) is None:
            # its sparse vectors hold token ids of the build's tokenizer: another glossary cuts otherwise
            raise IndexError_(f"the glossary changed since the index at {index.folder} was built into "
                              f"{index.manifest.store}; run `qa build --rebuild`")

        store = MilvusStore(index, index.manifest.store, settings.store_token if settings else None)
        store_bm25, store_dense = StoreBM25(bm25, store), StoreDense(dense, store)
        return Retrievers(bm25=store_bm25, dense=store_dense,  # type: ignore[arg-type]
                          hybrid=StoreHybrid(store_bm25, store_dense, index.doc_years))  # type: ignore[arg-type]
    return Retrievers(bm25=bm25, dense=dense, hybrid=HybridRetriever(bm25, dense, index.doc_years))


_OPEN: dict[tuple, tuple[tuple, Retrievers]] = {}


def _stamp(settings: Settings) -> tuple:
    """Changes when the index, the corpus or the glossary does."""
    manifest = Path(settings.index_dir) / MANIFEST_FILE
    glossaries = [Path(settings.corpus_dir) / name for name in GLOSSARY_NAMES]
    return (
        manifest.stat().st_mtime_ns if manifest.exists() else None,
        corpus_hash(settings.corpus_dir),
        tuple(g.stat().st_mtime_ns if g.exists() else None for g in glossaries),
    )


def open_retrievers(settings: Settings, rebuild: Rebuild = "auto", embedder: Embedder | None = None,
                    index: Index | None = None) -> Retrievers:
    """Index (checked, built if needed; or `index`, just loaded and checked by the caller), embedder
    and glossary for these settings, once per process.

    Later calls reuse the loaded retrievers while the index and the corpus are unchanged.
    """
    embedder = embedder or load_embedder(settings.model)
    key = (settings, embedder.model_id)
    cached = _OPEN.get(key)
    if cached and rebuild != "always" and cached[0] == _stamp(settings):
        return cached[1]
    if index is None or rebuild == "always":
        index = ensure_index(settings, rebuild=rebuild, embedder=embedder)
    retrievers = make_retrievers(index, embedder, load_glossary(settings.corpus_dir), settings)
    _OPEN[key] = (_stamp(settings), retrievers)
    return retrievers
