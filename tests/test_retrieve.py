"""Retrievers: tokenisation, BM25 with the glossary, dense, the hybrid's fusion and time prior,
and (integration) the thresholds on the known answers with the real model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from qa.embed import passage_text
from qa.evaluate import load_known_answers, retrieval_metrics
from qa.index import DocInfo, Index, Manifest, make_faiss_index
from qa.models import Passage
from qa.query import Glossary, GlossaryEntry, load_glossary, understand
from qa.retrieve import (
    BM25Retriever,
    ChineseTokenizer,
    DenseRetriever,
    FusionWeights,
    HybridRetriever,
    Retriever,
    make_retrievers,
    open_retrievers,
)

ROOT = Path(__file__).resolve().parents[1]

GLOSSARY = Glossary(
    (
        GlossaryEntry(term="固定资产投资", aliases=("固投",)),
        GlossaryEntry(term="城镇新增就业", aliases=("新增就业", "工作岗位")),
    )
)


def _passage(n: int, text: str, path: tuple[str, ...], period: int | None) -> Passage:
    return Passage(id=f"r:{n:04d}", doc_id="r", section_path=path, text=text, start=0, end=len(text),
                   sentences=(), period=period)


PASSAGES = [
    _passage(1, "固定资产投资83.2亿元，增长12%。", ("一、2017年工作回顾", "经济运行平稳增长"), 2017),
    _passage(2, "固定资产投资目标85亿元，增长11%。", ("二、2018年工作安排",), 2018),
    _passage(3, "城镇新增就业12122人。", ("一、2017年工作回顾", "民计民生持续改善"), 2017),
    _passage(4, "开展清洁家园行动，整治背街小巷。", ("二、2018年工作安排", "提升管理水平"), 2018),
    _passage(5, "各位代表，让我们共同开启新征程。", ("三、全面加强政府自身建设",), None),
]


def _index(passages, embedder) -> Index:
    vectors = embedder.embed([passage_text(p) for p in passages])
    manifest = Manifest(model=embedder.model_id, dimension=embedder.dimension, corpus_hash="x",
                        package_version="t", faiss_version="t", built_at="t", index_type="flat",
                        passage_count=len(passages), faiss_sha256="x", passages_sha256="x",
                        documents=(DocInfo(doc_id="r", year=2018),))
    return Index(manifest=manifest, passages=tuple(passages), faiss_index=make_faiss_index(vectors))


@pytest.fixture
def retrievers(fake_embedder):
    return make_retrievers(_index(PASSAGES, fake_embedder), fake_embedder, GLOSSARY)


def test_tokenizer_keeps_terms_whole_and_splits_latin_from_numbers():
    tokenizer = ChineseTokenizer(["地区生产总值", "社会消费品零售总额"], bigrams=False)
    words = tokenizer("预计全年完成地区生产总值111亿元，社会消费品零售总额123亿元，pm2.5下降")
    assert {"地区生产总值", "社会消费品零售总额", "111", "pm", "2.5"} <= set(words)
    assert "多少" not in tokenizer("去年GDP多少")  # question words carry no topic


def test_tokenizer_bigrams_are_marked():
    assert "~生产" in ChineseTokenizer(bigrams=True)("生产总值")
    assert not [t for t in ChineseTokenizer(bigrams=False)("生产总值") if t.startswith("~")]


def test_bm25_finds_a_term_by_its_common_name_only_with_the_glossary():
    with_glossary = BM25Retriever(PASSAGES, GLOSSARY, bigrams=False)
    without = BM25Retriever(PASSAGES, None, bigrams=False)
    assert with_glossary.search("固投", 2)[0].passage.text.startswith("固定资产投资")
    assert without.search("固投", 2) == []
    assert with_glossary.search("新增工作岗位", 1)[0].passage.id == "r:0003"


def test_hits_are_ranked_from_one_and_respect_k(retrievers):
    for kind in ("bm25", "dense", "hybrid"):
        retriever = retrievers.get(kind)
        assert isinstance(retriever, Retriever)
        hits = retriever.search("固定资产投资增长", 3)
        assert [h.rank for h in hits] == list(range(1, len(hits) + 1)) and 0 < len(hits) <= 3
        assert all(h.retriever == kind for h in hits)
        assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


@pytest.mark.parametrize(
    "question, expected",
    [("去年固定资产投资增长多少", "r:0001"), ("今年固定资产投资增长目标", "r:0002"),
     ("2017年固定资产投资", "r:0001"), ("2018年固定资产投资", "r:0002")],
)
def test_time_intent_prefers_the_year_asked(retrievers, question, expected):
    assert retrievers.hybrid.search(question, 1)[0].passage.id == expected


def test_time_prior_weight_zero_changes_nothing_for_the_year(retrievers):
    flat = HybridRetriever(retrievers.bm25, retrievers.dense, weights=FusionWeights(time=0))
    a = flat.search("去年固定资产投资", 2)
    b = flat.search("今年固定资产投资", 2)
    assert [h.passage.id for h in a] == [h.passage.id for h in b]


def test_hybrid_refuses_mismatched_retrievers(fake_embedder):
    bm25 = BM25Retriever(PASSAGES[:3])
    dense = DenseRetriever(_index(PASSAGES, fake_embedder), fake_embedder)
    with pytest.raises(ValueError):
        HybridRetriever(bm25, dense)


def test_open_retrievers_builds_once_and_reuses(settings, fake_embedder):
    first = open_retrievers(settings, embedder=fake_embedder)
    calls = fake_embedder.calls
    assert open_retrievers(settings, embedder=fake_embedder) is first
    assert fake_embedder.calls == calls


@pytest.mark.integration
def test_known_answers_thresholds_real_model(real_settings):
    """Hybrid reaches hit@5 >= 0.95 and beats BM25 and dense alone (one run, same index)."""
    items = load_known_answers(ROOT / "tests" / "known_answers.jsonl")
    retrievers = open_retrievers(real_settings)
    results = {kind: retrieval_metrics(items, retrievers.get(kind), 5) for kind in ("bm25", "dense", "hybrid")}
    hybrid, bm25, dense = results["hybrid"], results["bm25"], results["dense"]
    assert hybrid["hit@5"] >= 0.95
    for other in (bm25, dense):
        assert hybrid["hit@5"] >= other["hit@5"]
        assert hybrid["hit@1"] > other["hit@1"]
        assert hybrid["mrr"] > other["mrr"]


def test_open_retrievers_reloads_after_a_glossary_edit(settings, fake_embedder):
    first = open_retrievers(settings, embedder=fake_embedder)
    assert "固定资产投资" not in first.bm25.glossary.expand("小目标")
    path = Path(settings.corpus_dir) / "glossary.jsonl"
    path.write_text(path.read_text(encoding="utf-8") + '{"term": "固定资产投资", "aliases": ["小目标"]}\n',
                    encoding="utf-8")
    second = open_retrievers(settings, embedder=fake_embedder)
    assert second is not first and "固定资产投资" in second.bm25.glossary.expand("小目标")


# --- scope: every retriever searches only the reports asked for ---------------------------------

def _two_reports():
    """Two reports with the same kind of passage; report b's passages name its region, a's don't."""
    a = [Passage(id=f"a:{n:04d}", doc_id="a", section_path=("工作回顾",), text=t, start=0, end=len(t),
                 sentences=(), period=2017)
         for n, t in enumerate(["固定资产投资83.2亿元，增长12%。", "城镇新增就业12122人。",
                                "开展清洁家园行动，整治背街小巷。"], 1)]
    b = [Passage(id=f"b:{n:04d}", doc_id="b", section_path=("工作回顾",), text=t, start=0, end=len(t),
                 sentences=(), period=2020)
         for n, t in enumerate(["清河县固定资产投资增长5.6%。", "清河县城镇新增就业8000人。",
                                "清河县新建公园三座。", "清河县清河县粮食产量稳定。"], 1)]
    return a + b


def _scoped_retrievers(fake_embedder, passages):
    vectors = fake_embedder.embed([passage_text(p) for p in passages])
    docs = tuple(DocInfo(doc_id=d, year=y) for d, y in (("a", 2018), ("b", 2021)))
    manifest = Manifest(model=fake_embedder.model_id, dimension=fake_embedder.dimension, corpus_hash="x",
                        package_version="t", faiss_version="t", built_at="t", index_type="flat",
                        passage_count=len(passages), faiss_sha256="x", passages_sha256="x", documents=docs)
    index = Index(manifest=manifest, passages=tuple(passages), faiss_index=make_faiss_index(vectors))
    return make_retrievers(index, fake_embedder, GLOSSARY)


@pytest.mark.parametrize("kind", ["bm25", "dense", "hybrid"])
@pytest.mark.parametrize("doc", ["a", "b"])
def test_scoped_search_returns_k_passages_of_that_report_only(fake_embedder, kind, doc):
    retrievers = _scoped_retrievers(fake_embedder, _two_reports())
    hits = retrievers.get(kind).search("清河县固定资产投资城镇新增就业", 2, doc_ids=[doc])
    # k of the report come back even when the other report's passages would rank first unscoped
    assert len(hits) == 2 and {h.passage.doc_id for h in hits} == {doc}
    assert [h.rank for h in hits] == [1, 2]


@pytest.mark.parametrize("kind", ["dense", "hybrid"])
def test_scope_filters_inside_the_search_not_after(fake_embedder, kind):
    """Report a's passages are all beyond the unscoped top 3, yet a scoped top 3 is all of a's."""
    retrievers = _scoped_retrievers(fake_embedder, _two_reports())
    unscoped = retrievers.get(kind).search("清河县清河县粮食产量", 3)
    assert {h.passage.doc_id for h in unscoped} == {"b"}
    scoped = retrievers.get(kind).search("清河县清河县粮食产量", 3, doc_ids=["a"])
    assert len(scoped) == 3 and {h.passage.doc_id for h in scoped} == {"a"}


@pytest.mark.parametrize("index_type", ["flat", "hnsw", "ivf"])
def test_faiss_scope_works_for_every_index_type(fake_embedder, index_type):
    passages = _two_reports() * 4
    passages = [p.model_copy(update={"id": f"{p.id}-{i}"}) for i, p in enumerate(passages)]
    vectors = fake_embedder.embed([passage_text(p) for p in passages])
    index = Index(manifest=None, passages=tuple(passages), faiss_index=make_faiss_index(vectors, index_type))  # type: ignore[arg-type]
    in_a = [i for i, p in enumerate(passages) if p.doc_id == "a"]
    found = index.search(vectors[in_a[0]], 5, positions=np.array(in_a))
    assert len(found) == 5 and {i for i, _ in found} <= set(in_a) and found[0][0] in in_a


def test_scoped_bm25_weighs_words_as_the_report_alone_would():
    """Scoped to one report, BM25 scores its passages exactly as a corpus of that report alone does:
    its region name, rare among all reports but in most of its own passages, is no longer overweighted."""
    passages = _two_reports()
    together = BM25Retriever(passages, GLOSSARY)
    alone = BM25Retriever([p for p in passages if p.doc_id == "b"], GLOSSARY)
    info = understand("清河县粮食和公园", GLOSSARY)
    scoped = together.scores(info, ["b"])
    assert scoped[:3].tolist() == [0, 0, 0]
    assert np.allclose(scoped[3:], alone.scores(info))
    assert not np.allclose(together.scores(info)[3:], alone.scores(info))  # the statistics do differ
    assert together.search("清河县粮食和公园", 1, doc_ids=["b"])[0].passage.id == alone.search("清河县粮食和公园", 1)[0].passage.id


def test_scope_of_an_unknown_report_is_empty(fake_embedder):
    retrievers = _scoped_retrievers(fake_embedder, _two_reports())
    for kind in ("bm25", "dense", "hybrid"):
        assert retrievers.get(kind).search("固定资产投资", 3, doc_ids=["nope"]) == []


# --- precomputed BM25: written by the build, read at start ----------------------------------------

def _two_report_settings(settings):
    corpus = Path(settings.corpus_dir)
    source = next(corpus.glob("*.txt"))
    text = source.read_text(encoding="utf-8")
    (corpus / "second-report.txt").write_text(text[: len(text) // 2], encoding="utf-8")
    return settings


def test_build_saves_bm25_and_a_start_reads_it_with_the_same_scores(settings, fake_embedder):
    from qa.index import build_index

    index = build_index(_two_report_settings(settings), fake_embedder)
    folder = index.artefact("bm25")
    assert folder is not None and (folder / "bm25.json").exists()
    glossary = load_glossary(settings.corpus_dir)
    saved = BM25Retriever.load(folder, index.passages, glossary)
    fresh = BM25Retriever(index.passages, glossary)
    assert saved is not None
    docs = sorted({p.doc_id for p in index.passages})
    for question in ("去年GDP增长多少", "固投增长目标", "城镇新增就业人数"):
        info = understand(question, glossary)
        assert np.allclose(saved.scores(info), fresh.scores(info))
        for doc in docs:
            assert np.allclose(saved.scores(info, [doc]), fresh.scores(info, [doc]))


def test_saved_bm25_is_not_used_for_another_glossary(settings, fake_embedder):
    from qa.index import build_index

    index = build_index(settings, fake_embedder)
    other = Glossary((GlossaryEntry(term="新的术语词", aliases=("新词",)),))
    assert BM25Retriever.load(index.artefact("bm25"), index.passages, other) is None
    assert BM25Retriever.load(index.artefact("bm25"), index.passages[:-1], load_glossary(settings.corpus_dir)) is None


def test_corpus_dictionary_cuts_corpus_words_as_jieba_does(settings, fake_embedder):
    """The query tokenizer made from the corpus's own words cuts the corpus's sentences into nearly
    the same tokens as jieba's full dictionary (hit@5 both ways: bench/results.md)."""
    from qa.index import build_index

    index = build_index(settings, fake_embedder)
    glossary = load_glossary(settings.corpus_dir)
    full = BM25Retriever(index.passages, glossary).tokenizer
    saved = BM25Retriever.load(index.artefact("bm25"), index.passages, glossary).tokenizer
    assert saved is not full and len(saved._jieba.FREQ) < len(full._jieba.FREQ) / 5
    # words jieba's HMM guesses may differ at the edges (打好, 既要): nearly every token agrees
    full_tokens = [t for p in index.passages for t in full(p.text)]
    saved_tokens = [t for p in index.passages for t in saved(p.text)]
    from collections import Counter

    common = sum((Counter(full_tokens) & Counter(saved_tokens)).values())
    assert common >= 0.98 * max(len(full_tokens), len(saved_tokens))


def test_a_damaged_bm25_artefact_makes_the_index_damaged(settings, fake_embedder):
    from qa.errors import IndexError_
    from qa.index import build_index, ensure_index, load_index

    index = build_index(settings, fake_embedder)
    meta = index.artefact("bm25") / "bm25.json"
    meta.write_text("{}", encoding="utf-8")
    with pytest.raises(IndexError_, match="damaged"):
        load_index(settings, expected_model=fake_embedder.model_id)
    rebuilt = ensure_index(settings, embedder=fake_embedder)
    assert BM25Retriever.load(rebuilt.artefact("bm25"), rebuilt.passages, load_glossary(settings.corpus_dir))
