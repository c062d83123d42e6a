"""The index folder: files and manifest, staleness, atomic builds, recovery, index types."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

from qa.embed import passage_text
from qa.errors import IndexError_
from qa.index import (
    INDEX_FILE,
    MANIFEST_FILE,
    PASSAGES_FILE,
    _backup_dir,
    build_index,
    ensure_index,
    load_index,
    read_manifest,
)
from qa.ingest import corpus_hash, load_corpus

ROOT = Path(__file__).resolve().parents[1]


def _edit_corpus(corpus_dir: Path) -> None:
    report = next(corpus_dir.glob("*.txt"))
    report.write_bytes(report.read_bytes() + "\n新增一段文字。\n".encode("utf-8"))


def test_build_writes_files_and_manifest(settings, fake_embedder):
    index = build_index(settings, fake_embedder)
    folder = Path(settings.index_dir)
    assert sorted(p.name for p in folder.iterdir()) == sorted([INDEX_FILE, PASSAGES_FILE, MANIFEST_FILE, "artefacts"])
    manifest = json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8"))
    for key in ("model", "dimension", "corpus_hash", "package_version", "built_at", "index_type",
                "passage_count", "faiss_sha256"):
        assert key in manifest
    assert manifest["model"] == "fake-hash" and manifest["dimension"] == 64
    assert manifest["corpus_hash"] == corpus_hash(settings.corpus_dir)
    assert manifest["documents"][0]["year"] == 2018
    lines = (folder / PASSAGES_FILE).read_text(encoding="utf-8").splitlines()
    assert len(lines) == manifest["passage_count"] == len(index.passages) == index.faiss_index.ntotal
    assert "工作回顾" in (folder / PASSAGES_FILE).read_text(encoding="utf-8")  # ensure_ascii=False
    # no temporary or backup folder is left beside the index
    assert not [p for p in folder.parent.iterdir() if p.name.startswith(".index.") and p.is_dir()]


def test_round_trip_and_search_finds_each_passage(settings, fake_embedder):
    build_index(settings, fake_embedder)
    index = load_index(settings)
    expected = [p for d in load_corpus(settings.corpus_dir) for p in d.passages]
    assert list(index.passages) == expected
    for position in (0, len(expected) // 2, len(expected) - 1):
        vector = fake_embedder.embed([passage_text(expected[position])])[0]
        assert index.search(vector, 1)[0][0] == position


def test_missing_index_says_to_build(settings):
    with pytest.raises(IndexError_, match="qa build"):
        load_index(settings)


def test_stale_after_corpus_edit(settings, fake_embedder):
    build_index(settings, fake_embedder)
    _edit_corpus(Path(settings.corpus_dir))
    with pytest.raises(IndexError_, match="corpus .* changed"):
        load_index(settings)
    with pytest.raises(IndexError_, match="stale"):
        ensure_index(settings, rebuild="never", embedder=fake_embedder)
    rebuilt = ensure_index(settings, rebuild="auto", embedder=fake_embedder)
    assert rebuilt.manifest.corpus_hash == corpus_hash(settings.corpus_dir)
    assert "新增一段文字" in rebuilt.passages[-1].text or any("新增一段文字" in p.text for p in rebuilt.passages)


def test_stale_after_model_change(settings, fake_embedder):
    build_index(settings, fake_embedder)
    other = settings.model_copy(update={"model": "usem3"})
    with pytest.raises(IndexError_, match="model 'fake-hash'.*'usem3'"):
        load_index(other)


def test_stale_after_the_reader_changes(settings, fake_embedder, monkeypatch):
    """An upgrade that reads reports into passages differently (a table repaired) makes the index stale although
    the corpus did not change; auto rebuilds it."""
    import qa.index

    build_index(settings, fake_embedder)
    monkeypatch.setattr(qa.index, "reader_hash", lambda: "another reader")
    with pytest.raises(IndexError_, match="another version of the reader"):
        load_index(settings)
    rebuilt = ensure_index(settings, rebuild="auto", embedder=fake_embedder)
    assert rebuilt.manifest.reader_hash == "another reader"


def test_corrupt_faiss_file_is_refused(settings, fake_embedder):
    build_index(settings, fake_embedder)
    path = Path(settings.index_dir) / INDEX_FILE
    data = bytearray(path.read_bytes())
    data[-1] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(IndexError_, match="does not match its manifest"):
        load_index(settings)


def test_failed_build_keeps_last_good_index(settings, fake_embedder):
    good = build_index(settings, fake_embedder)

    class Broken(type(fake_embedder)):
        def embed(self, texts):
            raise RuntimeError("model crashed")

    with pytest.raises(RuntimeError):
        ensure_index(settings, rebuild="always", embedder=Broken())
    again = load_index(settings)
    assert again.manifest == good.manifest
    assert not [p for p in Path(settings.index_dir).parent.iterdir() if ".build-" in p.name]


_KILLED_BUILD = """
import os, signal, sys
sys.path.insert(0, {tests!r})
from conftest import FakeEmbedder
import qa.index as index
from qa.settings import Settings
settings = Settings(corpus_dir={corpus!r}, index_dir={index!r}, model="fake-hash")
where = {where!r}
if where == "embedding":
    class Dying(FakeEmbedder):
        def embed(self, texts):
            os.kill(os.getpid(), signal.SIGKILL)
    index.build_index(settings, Dying())
else:
    real_rename = os.rename
    def rename(src, dst):
        real_rename(src, dst)
        os.kill(os.getpid(), signal.SIGKILL)  # dies between the two renames of the swap
    os.rename = rename
    index.build_index(settings, FakeEmbedder())
"""


@pytest.mark.parametrize("where", ["embedding", "swap"])
def test_killed_build_leaves_last_good_index_usable(settings, fake_embedder, where):
    good = build_index(settings, fake_embedder)
    script = _KILLED_BUILD.format(tests=str(ROOT / "tests"), corpus=str(settings.corpus_dir),
                                  index=str(settings.index_dir), where=where)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120)
    assert result.returncode == -9, result.stderr.decode()
    if where == "swap":
        assert not Path(settings.index_dir).exists() and _backup_dir(Path(settings.index_dir)).exists()
    again = load_index(settings)
    assert again.manifest == good.manifest and again.passages == good.passages


def test_concurrent_builds_do_not_corrupt(settings, fake_embedder):
    errors: list[BaseException] = []

    def run():
        try:
            build_index(settings, type(fake_embedder)())
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert load_index(settings).manifest.passage_count > 0


@pytest.mark.parametrize("index_type", ["hnsw", "ivf"])
def test_other_index_types_search(settings, fake_embedder, index_type):
    chosen = settings.model_copy(update={"index_type": index_type})
    index = build_index(chosen, fake_embedder)
    assert read_manifest(Path(chosen.index_dir)).index_type == index_type
    vector = fake_embedder.embed([passage_text(index.passages[3])])[0]
    assert 3 in [i for i, _ in index.search(vector, 5)]


def test_unknown_index_type_is_refused(settings, fake_embedder):
    with pytest.raises(IndexError_, match="unknown index type"):
        build_index(settings.model_copy(update={"index_type": "annoy"}), fake_embedder)


def test_passages_stay_paragraph_sized():
    lengths = sorted(len(p.text) for d in load_corpus(ROOT / "corpus") for p in d.passages)
    assert float(np.median(lengths)) <= 300


def test_rebuild_is_readable_by_others(settings, fake_embedder):
    build_index(settings, fake_embedder)
    build_index(settings, fake_embedder)
    assert Path(settings.index_dir).stat().st_mode & 0o055 == 0o055
    owned = read_manifest(Path(settings.index_dir)).files
    assert sorted(p.name for p in Path(settings.index_dir).iterdir()) == sorted(owned)


# --- The index folder is the product's own: a build never moves or deletes a user's files ---

def _snapshot(root: Path) -> dict[str, bytes]:
    """Every file under root, by relative path, with its bytes."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _user_folder(root: Path) -> Path:
    (root / "projects" / "code").mkdir(parents=True)
    (root / "projects" / "code" / "main.c").write_bytes(b"int main(void) { return 0; }\n")
    (root / "notes.txt").write_text("用户自己的笔记", encoding="utf-8")
    return root


def test_qa_index_on_a_user_folder_is_refused_and_its_files_survive(settings, fake_embedder, tmp_path):
    # issue 12 reproduction: QA_INDEX=/tmp/v with projects/code/main.c, then a question (auto build)
    user = _user_folder(tmp_path / "v")
    before = _snapshot(user)
    chosen = settings.model_copy(update={"index_dir": user})
    for attempt in (lambda: ensure_index(chosen, rebuild="auto", embedder=fake_embedder),
                    lambda: build_index(chosen, fake_embedder)):
        with pytest.raises(IndexError_, match=f"index folder {user} holds files .*notes.txt, projects"):
            attempt()
    assert _snapshot(user) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".v.") and p.is_dir()]


def test_qa_build_on_a_user_folder_is_a_one_line_error(settings, tmp_path):
    user = _user_folder(tmp_path / "v")
    before = _snapshot(user)
    result = subprocess.run([str(Path(sys.executable).parent / "qa"), "build", "--rebuild"], capture_output=True, text=True,
                            env={**os.environ, "QA_INDEX": str(user), "QA_CORPUS": str(settings.corpus_dir)},
                            timeout=120)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and str(user) in result.stderr and "Traceback" not in result.stderr
    assert _snapshot(user) == before


def test_index_equal_to_the_corpus_is_refused(settings, fake_embedder):
    # issue 12 reproduction: --index equal to the corpus folder deleted corpus/archive/
    corpus = Path(settings.corpus_dir)
    (corpus / "archive").mkdir()
    (corpus / "archive" / "2016.txt").write_text("旧报告", encoding="utf-8")
    before = _snapshot(corpus)
    chosen = settings.model_copy(update={"index_dir": corpus})
    with pytest.raises(IndexError_, match="is the corpus folder"):
        ensure_index(chosen, rebuild="auto", embedder=fake_embedder)
    assert _snapshot(corpus) == before


def test_index_containing_the_corpus_is_refused(settings, fake_embedder):
    # issue 12 reproduction: --corpus X/corpus --index X deleted the corpus
    corpus = Path(settings.corpus_dir)
    before = _snapshot(corpus.parent)
    chosen = settings.model_copy(update={"index_dir": corpus.parent})
    with pytest.raises(IndexError_, match="contains the corpus folder"):
        build_index(chosen, fake_embedder)
    assert _snapshot(corpus.parent) == before


def test_index_inside_the_corpus_is_refused(settings, fake_embedder):
    corpus = Path(settings.corpus_dir)
    before = _snapshot(corpus)
    chosen = settings.model_copy(update={"index_dir": corpus / "index"})
    with pytest.raises(IndexError_, match="is inside the corpus folder"):
        ensure_index(chosen, rebuild="always", embedder=fake_embedder)
    assert _snapshot(corpus) == before and not (corpus / "index").exists()


def test_a_file_added_to_the_index_folder_stops_the_next_build(settings, fake_embedder):
    good = build_index(settings, fake_embedder)
    readme = Path(settings.index_dir) / "README.md"
    readme.write_text("what this folder is", encoding="utf-8")
    with pytest.raises(IndexError_, match=r"holds files the index build did not create \(README.md\)"):
        build_index(settings, fake_embedder)
    assert readme.read_text(encoding="utf-8") == "what this folder is"
    assert load_index(settings).manifest == good.manifest


def test_an_empty_folder_and_a_damaged_manifest_are_still_built(settings, fake_embedder):
    folder = Path(settings.index_dir)
    folder.mkdir()
    build_index(settings, fake_embedder)
    (folder / MANIFEST_FILE).write_text("{not json", encoding="utf-8")
    assert ensure_index(settings, rebuild="auto", embedder=fake_embedder).manifest.passage_count > 0


def test_a_killed_builds_leftover_is_removed_but_a_look_alike_user_folder_is_kept(settings, fake_embedder, tmp_path):
    ours = tmp_path / ".index.build-killed"
    ours.mkdir()
    (ours / ".qa-build").touch()
    (ours / INDEX_FILE).write_bytes(b"partial")
    theirs = tmp_path / ".index.build-mine"
    theirs.mkdir()
    (theirs / "keep.txt").write_text("mine", encoding="utf-8")
    build_index(settings, fake_embedder)
    assert not ours.exists()
    assert (theirs / "keep.txt").read_text(encoding="utf-8") == "mine"


def test_a_load_racing_a_swap_reads_the_new_folder_not_a_false_damage(settings, fake_embedder, monkeypatch):
    # issue 12: a reader racing a rebuild that changes the index type read the manifest from one
    # folder and the FAISS file from the next ("does not match its manifest", a needless rebuild)
    import qa.index as index_mod

    build_index(settings, fake_embedder)
    real_read = index_mod.read_manifest
    swapped = []

    def read_then_swap(folder):
        manifest = real_read(folder)
        if not swapped:  # a build of another index type lands right after the manifest was read
            swapped.append(1)
            build_index(settings.model_copy(update={"index_type": "hnsw"}), fake_embedder)
        return manifest

    monkeypatch.setattr(index_mod, "read_manifest", read_then_swap)
    loaded = load_index(settings)
    assert swapped and loaded.manifest.index_type == "hnsw"
