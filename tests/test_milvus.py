"""Milvus as the search store, against a real Milvus Lite (a temporary .db file; fake embedder).

Build, scoped search (same ranking as FAISS + bm25s), staleness, a failed and a killed build.
The server path (`http://host:19530`) goes through the same `MilvusClient` calls; it is not run
here (no server in CI): see the README's Milvus section.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pymilvus")
pytest.importorskip("milvus_lite")

from qa.errors import IndexError_  # noqa: E402
from qa.index import build_index, ensure_index, load_index, read_manifest  # noqa: E402
from qa.query import load_glossary  # noqa: E402
from qa.retrieve import StoreHybrid, make_retrievers, open_retrievers  # noqa: E402
from qa.settings import Settings  # noqa: E402
from qa.stores import FaissStore, Store, normalized_store, store_kind  # noqa: E402

pytestmark = pytest.mark.integration  # Milvus Lite starts a local server process: seconds

TESTS = Path(__file__).resolve().parent
QUESTIONS = ["去年GDP增长多少？", "固投增长目标", "城镇新增就业", "How much did investment grow?"]


def _two_reports(corpus: Path) -> list[str]:
    source = next(corpus.glob("*.txt"))
    text = source.read_text(encoding="utf-8")
    (corpus / "second-report.txt").write_text(text[: len(text) // 2], encoding="utf-8")
    return sorted([source.stem, "second-report"])


@pytest.fixture
def milvus_settings(settings, tmp_path) -> Settings:
    return settings.model_copy(update={"store": str(tmp_path / "store" / "milvus.db")})


def test_store_setting_is_parsed_and_a_bad_one_is_a_clear_error(tmp_path):
    assert store_kind("faiss") == "faiss" and store_kind("") == "faiss"
    assert store_kind("index/milvus.db") == "milvus" and store_kind("http://localhost:19530") == "milvus"
    assert normalized_store("http://localhost:19530/") == "http://localhost:19530"
    assert normalized_store(str(tmp_path / "a.db")) == str((tmp_path / "a.db").resolve())
    with pytest.raises(IndexError_, match="unknown store"):
        store_kind("elasticsearch")


def test_build_search_and_scope_rank_as_faiss_does(milvus_settings, settings, fake_embedder):
    docs = _two_reports(Path(settings.corpus_dir))
    milvus = build_index(milvus_settings, fake_embedder)
    assert milvus.manifest.store == normalized_store(milvus_settings.store)
    glossary = load_glossary(settings.corpus_dir)
    on_milvus = make_retrievers(milvus, fake_embedder, glossary, milvus_settings)
    assert isinstance(on_milvus.hybrid, StoreHybrid) and isinstance(on_milvus.bm25.store, Store)
    faiss_settings = settings.model_copy(update={"index_dir": Path(settings.index_dir).with_name("faiss-index")})
    on_faiss = make_retrievers(build_index(faiss_settings, fake_embedder), fake_embedder, glossary)
    for question in QUESTIONS:
        for scope in (None, [docs[0]], [docs[1]], docs):
            for kind in ("bm25", "dense"):
                a = on_milvus.get(kind).search(question, 5, doc_ids=scope)
                b = on_faiss.get(kind).search(question, 5, doc_ids=scope)
                assert [h.passage.id for h in a] == [h.passage.id for h in b], (kind, question, scope)
                assert [round(h.score, 3) for h in a] == [round(h.score, 3) for h in b]
                assert scope is None or {h.passage.doc_id for h in a} <= set(scope)
            hybrid = on_milvus.hybrid.search(question, 5, doc_ids=scope)
            assert [h.passage.id for h in hybrid] == [h.passage.id for h in on_faiss.hybrid.search(question, 5, doc_ids=scope)]


def test_scoped_search_returns_k_of_that_report(milvus_settings, settings, fake_embedder):
    docs = _two_reports(Path(settings.corpus_dir))
    retrievers = make_retrievers(build_index(milvus_settings, fake_embedder), fake_embedder,
                                 load_glossary(settings.corpus_dir), milvus_settings)
    for doc in docs:
        hits = retrievers.hybrid.search("经济增长", 5, doc_ids=[doc])
        assert len(hits) == 5 and {h.passage.doc_id for h in hits} == {doc}
    assert retrievers.hybrid.search("经济增长", 5, doc_ids=["no-such-report"]) == []


def test_faiss_store_satisfies_the_protocol(settings, fake_embedder):
    index = build_index(settings, fake_embedder)
    retrievers = make_retrievers(index, fake_embedder)
    store = FaissStore(index, retrievers.bm25)
    assert isinstance(store, Store)
    vector = fake_embedder.embed(["地区生产总值"])[0]
    assert store.dense(vector, 3) == index.search(vector, 3)


def test_stale_when_the_corpus_or_the_store_setting_changes(milvus_settings, settings, fake_embedder):
    build_index(milvus_settings, fake_embedder)
    load_index(milvus_settings, expected_model=fake_embedder.model_id)
    with pytest.raises(IndexError_, match="store"):
        load_index(settings, expected_model=fake_embedder.model_id)  # the same folder, now asked for FAISS
    report = next(Path(settings.corpus_dir).glob("*.txt"))
    report.write_text(report.read_text(encoding="utf-8") + "\n新增一段文字。\n", encoding="utf-8")
    with pytest.raises(IndexError_, match="stale"):
        load_index(milvus_settings, expected_model=fake_embedder.model_id)
    rebuilt = ensure_index(milvus_settings, embedder=fake_embedder)
    assert any("新增一段文字" in p.text for p in rebuilt.passages)
    hits = open_retrievers(milvus_settings, embedder=fake_embedder).hybrid.search("新增一段文字", 3)
    assert "新增一段文字" in hits[0].passage.text


def test_a_glossary_edited_after_the_build_asks_for_a_rebuild(milvus_settings, fake_embedder):
    from qa.query import Glossary, GlossaryEntry

    index = build_index(milvus_settings, fake_embedder)
    other = Glossary((GlossaryEntry(term="新的术语词", aliases=("新词",)),))
    with pytest.raises(IndexError_, match="glossary changed"):
        make_retrievers(index, fake_embedder, other, milvus_settings)


def test_a_dropped_collection_is_damage_and_is_rebuilt(milvus_settings, fake_embedder):
    from pymilvus import MilvusClient

    index = build_index(milvus_settings, fake_embedder)
    name = json.loads((index.artefact("milvus") / "store.json").read_text())["collection"]
    client = MilvusClient(uri=normalized_store(milvus_settings.store))
    client.drop_collection(name)
    client.close()
    with pytest.raises(IndexError_, match="missing"):
        load_index(milvus_settings, expected_model=fake_embedder.model_id)
    assert ensure_index(milvus_settings, embedder=fake_embedder).manifest.passage_count == index.manifest.passage_count


def test_a_failed_build_keeps_the_previous_collection(milvus_settings, fake_embedder, monkeypatch):
    import pymilvus

    first = build_index(milvus_settings, fake_embedder)
    report = next(Path(milvus_settings.corpus_dir).glob("*.txt"))
    report.write_text(report.read_text(encoding="utf-8") + "\n又一段。\n", encoding="utf-8")

    def broken_insert(self, *args, **kwargs):
        raise RuntimeError("connection lost")

    monkeypatch.setattr(pymilvus.MilvusClient, "insert", broken_insert)
    with pytest.raises(RuntimeError):
        build_index(milvus_settings, fake_embedder)
    monkeypatch.undo()
    kept = read_manifest(Path(milvus_settings.index_dir))
    assert kept.built_at == first.manifest.built_at  # the published index and collection are untouched
    retrievers = make_retrievers(first, fake_embedder, load_glossary(milvus_settings.corpus_dir), milvus_settings)
    assert retrievers.hybrid.search("地区生产总值", 3)


_KILLED = """
import os, signal, sys
sys.path.insert(0, {tests!r})
from conftest import FakeEmbedder
import qa.stores.milvus as milvus
from qa.index import build_index
from qa.settings import Settings
import qa.index

def killed(inputs, folder):
    milvus.write_collection(inputs, folder)  # the new collection is complete, the manifest not yet swapped
    os.kill(os.getpid(), signal.SIGKILL)

qa.index._WRITERS["milvus"] = killed
build_index(Settings(corpus_dir={corpus!r}, index_dir={index!r}, model="fake-hash", store={store!r}), FakeEmbedder())
"""


def _collections(store: str) -> set[str]:
    """The store's collections, read by a client that is closed again (a Lite file has one owner process)."""
    from milvus_lite.server_manager import server_manager_instance
    from pymilvus import MilvusClient

    client = MilvusClient(uri=normalized_store(store))
    try:
        return set(client.list_collections())
    finally:
        client.close()
        server_manager_instance.release_server(normalized_store(store))


def test_a_killed_build_leaves_the_published_collection_and_the_next_build_drops_its_leftover(
        milvus_settings, fake_embedder):
    first = build_index(milvus_settings, fake_embedder)
    published = json.loads((first.artefact("milvus") / "store.json").read_text())["collection"]
    report = next(Path(milvus_settings.corpus_dir).glob("*.txt"))
    report.write_text(report.read_text(encoding="utf-8") + "\n再一段。\n", encoding="utf-8")
    code = _KILLED.format(tests=str(TESTS), corpus=str(milvus_settings.corpus_dir),
                          index=str(milvus_settings.index_dir), store=milvus_settings.store)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == -signal.SIGKILL, done.stderr[-2000:]
    leftovers = _collections(milvus_settings.store) - {published}
    assert leftovers  # the killed build's collection is there, unpublished
    assert read_manifest(Path(milvus_settings.index_dir)).built_at == first.manifest.built_at
    with pytest.raises(IndexError_, match="stale"):  # the corpus changed: the old index is stale, not wrong
        load_index(milvus_settings, expected_model=fake_embedder.model_id)
    rebuilt = ensure_index(milvus_settings, embedder=fake_embedder)
    now = json.loads((rebuilt.artefact("milvus") / "store.json").read_text())["collection"]
    # the killed build's is dropped; the one published before stays for processes still searching it
    # (as FAISS readers keep their loaded index) and goes with the next build
    assert _collections(milvus_settings.store) == {now, published}
    assert any("再一段" in p.text for p in rebuilt.passages)
