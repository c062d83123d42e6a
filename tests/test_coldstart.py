"""Cold start: what a fresh `qa ask` process imports and computes before its first answer.

The figures (median of 5 whole processes) are in bench/results.md (`bench/coldstart.py`); these
tests hold the causes in place: no heavy package is imported, and a start reads the build's
precomputed BM25 and dictionary instead of tokenizing the corpus with jieba's full dictionary.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent

_IMPORTS = """
import sys, json
import qa.cli, qa.engine, qa.retrieve, qa.index
print(json.dumps(sorted(m for m in ("gradio", "torch", "sentence_transformers", "pymilvus", "milvus_lite",
                                    "transformers", "bm25s", "scipy") if m in sys.modules)))
"""

_START = """
import json, sys, time
sys.path.insert(0, {tests!r})
from conftest import FakeEmbedder
import jieba
from qa.retrieve import BM25Retriever, open_retrievers
from qa.settings import Settings
built = []
original = BM25Retriever.__init__
def counting(self, *args, **kwargs):
    built.append(1)
    original(self, *args, **kwargs)
BM25Retriever.__init__ = counting
settings = Settings(corpus_dir={corpus!r}, index_dir={index!r}, model="fake-hash")
retrievers = open_retrievers(settings, rebuild="never", embedder=FakeEmbedder())
hits = retrievers.hybrid.search("去年GDP增长多少？", 3)
print(json.dumps({{"bm25_built": len(built), "jieba_full_dictionary": bool(jieba.dt.initialized), "hits": len(hits),
                  "imported": sorted(m for m in ("bm25s", "scipy") if m in sys.modules)}}))
"""


def test_qa_ask_imports_no_heavy_package():
    done = subprocess.run([sys.executable, "-c", _IMPORTS], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []


def test_a_start_reads_the_built_bm25_and_never_loads_jiebas_dictionary(settings, fake_embedder):
    from qa.index import build_index

    build_index(settings, fake_embedder)
    code = _START.format(tests=str(TESTS), corpus=str(settings.corpus_dir), index=str(settings.index_dir))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    state = json.loads(done.stdout.strip().splitlines()[-1])
    assert state == {"bm25_built": 0, "jieba_full_dictionary": False, "hits": 3, "imported": []}


def test_without_the_artefact_the_start_still_works_the_slow_way(settings, fake_embedder):
    """An index written before artefacts existed is stale (rebuilt under "auto"); read as it is, BM25
    is built in the process, so nothing depends on the artefact being there."""
    import shutil

    from qa.index import build_index
    from qa.retrieve import make_retrievers

    index = build_index(settings, fake_embedder)
    shutil.rmtree(index.artefact("bm25"))
    bare = index.__class__(manifest=index.manifest.model_copy(update={"artefacts": {}}), passages=index.passages,
                           faiss_index=index.faiss_index, folder=index.folder)
    assert make_retrievers(bare, fake_embedder).hybrid.search("去年GDP增长多少？", 3)
