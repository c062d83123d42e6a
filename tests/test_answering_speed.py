"""What `qa build` precomputes for the answering layer: the same results as computing in-process,
and a process that reads them does not load jieba's dictionary nor import pypinyin.
(Speed itself is measured in bench/coldstart.py, not asserted here.)"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import jieba
import pytest

from qa import evidence
from qa.answering.context import JIEBA_ARTEFACT, ROMANISED_ARTEFACT, _romanised_names, _write_jieba_dictionary, sorted_jieba
from qa.index import registered_artefacts
from qa.ingest import load_corpus

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "corpus-dev"


def _texts() -> list[str]:
    texts = [json.loads(line)["question"] for line in (ROOT / "tests" / "known_answers.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    for doc in load_corpus(ROOT / "corpus"):
        texts += [s.text for p in doc.passages for s in p.sentences]
    return texts


def test_both_artefacts_are_registered():
    assert {JIEBA_ARTEFACT, ROMANISED_ARTEFACT} <= set(registered_artefacts())


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    folder = tmp_path_factory.mktemp("jieba")
    _write_jieba_dictionary(None, folder)
    return folder


def test_the_stored_dictionary_cuts_exactly_as_jieba(stored):
    tokenizer = sorted_jieba(stored)
    runs = {run for text in _texts() for run in __import__("re").findall(r"[\u4e00-\u9fff]+", text)}
    assert len(runs) > 100
    differ = [r for r in runs if list(tokenizer.cut(r, HMM=False)) != list(jieba.cut(r, HMM=False))]
    assert not differ, differ[:5]
    assert tokenizer.FREQ.get("不存在的词语组合xyz") is None and "不存在的词语组合xyz" not in tokenizer.FREQ


def test_evidence_terms_are_unchanged_with_the_stored_dictionary(stored):
    questions = _texts()[:300]
    before = [evidence.terms(q) for q in questions] + [evidence.words(q) for q in questions]
    old = list(evidence._TOKENIZER)
    try:
        evidence.use_tokenizer(sorted_jieba(stored), stored)
        after = [evidence.terms(q) for q in questions] + [evidence.words(q) for q in questions]
    finally:
        evidence.use_tokenizer(*old)
    assert after == before


def test_romanised_names_match_pypinyin():
    from pypinyin import lazy_pinyin

    documents = load_corpus(ROOT / "corpus")
    if DEV.is_dir():
        documents += load_corpus(DEV)
    rows = _romanised_names(SimpleNamespace(documents=documents))
    assert len(rows) >= 2
    for name, latin in rows:
        assert latin == "".join(lazy_pinyin(str(name)))


def test_a_process_with_the_artefacts_imports_no_pypinyin_and_loads_no_jieba_dictionary(stored, tmp_path):
    """The question layer given the stored romanisations, and evidence given the stored dictionary,
    answer an English question naming a region without importing pypinyin or initialising jieba."""
    code = f"""
import sys
from pathlib import Path
import jieba
from qa import evidence
from qa.answering.context import sorted_jieba
from qa.question import scope
scope.ROMANISED.update({{"卫东区": "weidongqu", "卫东": "weidong"}})
evidence.use_tokenizer(sorted_jieba(Path({str(stored)!r})), None)
pattern, owners = scope._latin_index((("d1", ("卫东区",)),))
assert "weidong" in owners, owners
assert evidence.terms("去年地区生产总值增长多少") 
print("pypinyin" in sys.modules, jieba.dt.initialized)
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-500:]
    assert done.stdout.split() == ["False", "False"]


def test_glossary_matches_are_those_of_each_name_alone():
    """The glossary's prepared patterns (one per entry) match exactly where a name alone does."""
    from qa.query import Glossary, GlossaryEntry, _occurs, load_glossary, normalize

    glossary = load_glossary(ROOT / "corpus")
    extra = Glossary((GlossaryEntry(term="研发", aliases=("r&d",), english=("gdp", "pm2.5")),))
    questions = _texts()[:400] + ["gdpr rose", "GDP增长", "the gdp's growth", "pm2.5 level", "R&D spending", "xgdp"]
    for g in (glossary, extra):
        for q in questions:
            expected = tuple(e for e in g.entries if any(_occurs(n, normalize(q)) for n in e.names))
            assert tuple(g.matches(q)) == expected, q
    assert extra.matches("GDP增长") and not extra.matches("gdpr rose")


_ASK = """
import json, sys
sys.path.insert(0, {tests!r})
from conftest import FakeEmbedder
import jieba
from qa.engine import Engine
from qa.settings import Settings
settings = Settings(corpus_dir={corpus!r}, index_dir={index!r}, model="fake-hash")
engine = Engine.load(settings, embedder=FakeEmbedder(), rebuild="never")
answers = [engine.ask(q).answer for q in ("去年GDP增长多少？", "How much did Weidong's GDP grow last year?")]
print(json.dumps({{"jieba_full_dictionary": bool(jieba.dt.initialized), "pypinyin": "pypinyin" in sys.modules,
                  "answered": all(answers)}}))
"""


def test_a_fresh_engine_answers_from_the_artefacts(settings, fake_embedder):
    """A built index's first answers, Chinese and English, load neither jieba's dictionary nor pypinyin."""
    from qa.index import build_index

    index = build_index(settings, fake_embedder)
    assert index.artefact(JIEBA_ARTEFACT) is not None and index.array(ROMANISED_ARTEFACT) is not None
    code = _ASK.format(tests=str(ROOT / "tests"), corpus=str(settings.corpus_dir), index=str(settings.index_dir))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == {"jieba_full_dictionary": False, "pypinyin": False,
                                                                "answered": True}
