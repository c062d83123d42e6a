"""The `index/` folder: a FAISS index of passage embeddings, the passages and a manifest.

    index/index.faiss      inner product over L2-normalised vectors (cosine)
    index/passages.jsonl   one Passage per line, in vector order (ensure_ascii=False)
    index/manifest.json    model, dimension, corpus hash, versions, build time, type, counts, sha256

A build writes a temporary folder beside `index/` and swaps it in with renames, under
a lock, so a failed or killed build leaves the last good index in place. Loading
checks the manifest against the corpus, the model and the files; a stale index is
refused with what to do, or rebuilt when asked (`ensure_index`).

The index folder is the product's own: the manifest lists every entry the build
created (`Manifest.files`, the one list of owned files: artefacts added to a build
are owned by writing them into the build folder before the manifest). A build
refuses a folder holding anything else, and an index folder equal to, inside or
containing the corpus, so a build never moves or deletes a user's files.
"""

from __future__ import annotations

import errno
import fcntl
import functools
import hashlib
import importlib
import json
import os
import re
import shutil
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator, Literal

import faiss
import numpy as np
from pydantic import BaseModel, ConfigDict

from qa import __version__
from qa.embed import Embedder, load_embedder, passage_text
from qa.errors import IndexError_
from qa.ingest import corpus_hash, load_corpus
from qa.models import Passage
from qa.settings import Settings
from qa.stores import normalized_store

INDEX_FILE = "index.faiss"
PASSAGES_FILE = "passages.jsonl"
MANIFEST_FILE = "manifest.json"
# One query at a time is searched: FAISS's OpenMP threads cost more than they give here
# (measured: 16 ms -> 0.7 ms for one query over 10k vectors on 2 cores).
faiss.omp_set_num_threads(1)

FORMAT_VERSION = 2  # 2: the manifest also checksums passages.jsonl
BUILD_MARKER = ".qa-build"  # written first into a build folder: a leftover holding it is ours to remove
CORE_FILES = (INDEX_FILE, PASSAGES_FILE, MANIFEST_FILE)  # owned by manifests written before `files`
INDEX_TYPES = ("flat", "hnsw", "ivf")
LOCK_TIMEOUT_S = 600.0

Rebuild = Literal["auto", "never", "always"]


class DocInfo(BaseModel):
    model_config = ConfigDict(frozen=True)

    doc_id: str
    year: int | None = None
    region: str | None = None
    title: str | None = None


class Manifest(BaseModel):
    """What an index was built from; compared with the corpus and the model on load."""

    model_config = ConfigDict(frozen=True)

    format_version: int = FORMAT_VERSION
    model: str
    dimension: int
    corpus_hash: str
    package_version: str
    faiss_version: str
    built_at: str
    index_type: str
    passage_count: int
    faiss_sha256: str
    passages_sha256: str
    documents: tuple[DocInfo, ...] = ()
    files: tuple[str, ...] = ()  # every entry of the index folder the build created (top-level names)
    artefacts: dict[str, str] = {}  # precomputed artefact file (path inside the index folder) -> sha256
    store: str = "faiss"  # where passages are searched (qa.stores): faiss or the Milvus URI built into
    reader_hash: str | None = None  # the code and data that read reports into passages (reader_hash()) when built

    @property
    def owned(self) -> frozenset[str]:
        return frozenset(self.files or CORE_FILES)


@dataclass(frozen=True)
class Index:
    """A loaded index: vectors in FAISS, passages in vector order, and the manifest."""

    manifest: Manifest
    passages: tuple[Passage, ...]
    faiss_index: faiss.Index
    folder: Path | None = None  # where it was loaded from (None: built in memory)

    def artefact(self, name: str) -> Path | None:
        """The folder of a precomputed artefact (see `register_artefact`), None when this index has none."""
        prefix = f"{ARTEFACTS_DIR}/{name}/"
        if self.folder is None or not any(f.startswith(prefix) for f in self.manifest.artefacts):
            return None
        return self.folder / ARTEFACTS_DIR / name

    def array(self, name: str) -> np.ndarray | None:
        """A precomputed array artefact (see `register_array`), memory-mapped; None when absent."""
        folder = self.artefact(name)
        return None if folder is None else np.load(folder / ARRAY_FILE, mmap_mode="r", allow_pickle=False)

    @property
    def doc_years(self) -> dict[str, int | None]:
        return {d.doc_id: d.year for d in self.manifest.documents}

    def search(self, vector: np.ndarray, k: int, positions: np.ndarray | None = None) -> list[tuple[int, float]]:
        """(passage position, cosine) of the k nearest passages, best first; with `positions`, only
        among those (filtered inside FAISS, so k of them come back, not k of all filtered down)."""
        k = max(0, min(k, len(self.passages) if positions is None else len(positions)))
        if k == 0:
            return []
        query = np.asarray(vector, dtype=np.float32).reshape(1, -1)
        if positions is None:
            scores, ids = self.faiss_index.search(query, k)
        else:
            scores, ids = self.faiss_index.search(query, k, params=_scoped_params(self.faiss_index, positions))
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0]) if i >= 0]


def _scoped_params(index: faiss.Index, positions: np.ndarray) -> faiss.SearchParameters:
    """Search parameters that let FAISS consider only `positions` (keeping HNSW's and IVF's own settings)."""
    selector = faiss.IDSelectorBatch(np.ascontiguousarray(positions, dtype=np.int64))
    if isinstance(index, faiss.IndexHNSW):
        params = faiss.SearchParametersHNSW(sel=selector, efSearch=index.hnsw.efSearch)
    elif isinstance(index, faiss.IndexIVF):
        params = faiss.SearchParametersIVF(sel=selector, nprobe=index.nprobe)
    else:
        params = faiss.SearchParameters(sel=selector)
    params._selector = selector  # the parameters hold a raw pointer: keep the selector alive with them
    return params


# --- precomputed artefacts ---------------------------------------------------------------------
# Whatever depends only on the corpus (and the model) is computed once by `qa build` and stored under
# index/artefacts/<name>/, each file checksummed in the manifest: a process starts by reading it.
# A module registers a writer on import; each artefact is listed here with that module, so a build
# and a staleness check (which imports nothing) see the same set: an index lacking one is stale.
ARTEFACTS_DIR = "artefacts"
ARRAY_FILE = "array.npy"
ARTEFACT_MODULES: dict[str, str] = {"bm25": "qa.retrieve", "milvus": "qa.stores.milvus",
                                   "romanised_names": "qa.answering.context",
                                   "character_sounds": "qa.answering.context",
                                   "jieba_dictionary": "qa.answering.context"}


@dataclass(frozen=True)
class BuildInputs:
    """What an artefact writer may use: the corpus as the build read it, and its passage vectors."""

    settings: Settings
    documents: tuple
    passages: tuple[Passage, ...]
    vectors: np.ndarray
    embedder: Embedder


ArtefactWriter = Callable[[BuildInputs, Path], None]
_WRITERS: dict[str, ArtefactWriter] = {}


def register_artefact(name: str, writer: ArtefactWriter) -> None:
    """`writer(inputs, folder)` writes the artefact's files into `folder` during every build."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9_.-]*", name):
        raise ValueError(f"artefact name {name!r}: use lower-case letters, digits, '_', '.', '-'")
    _WRITERS[name] = writer


def register_array(name: str, compute: Callable[[BuildInputs], np.ndarray]) -> None:
    """An artefact that is one array (for example fact-row embeddings); read with `Index.array(name)`."""
    def write(inputs: BuildInputs, folder: Path) -> None:
        np.save(folder / ARRAY_FILE, np.asarray(compute(inputs)), allow_pickle=False)

    register_artefact(name, write)


def registered_artefacts() -> tuple[str, ...]:
    """Every artefact a build writes: those listed in ARTEFACT_MODULES and any registered in this process."""
    return tuple(sorted(set(ARTEFACT_MODULES) | set(_WRITERS)))


def _write_artefacts(inputs: BuildInputs, tmp: Path) -> dict[str, str]:
    for name in registered_artefacts():
        if name not in _WRITERS:
            importlib.import_module(ARTEFACT_MODULES[name])
        if name not in _WRITERS:
            raise IndexError_(f"module {ARTEFACT_MODULES[name]} registers no artefact {name!r}")
        folder = tmp / ARTEFACTS_DIR / name
        folder.mkdir(parents=True)
        _WRITERS[name](inputs, folder)
        if not any(folder.iterdir()):
            (folder / ".empty").touch()  # an artefact with nothing to store is still there
    root = tmp / ARTEFACTS_DIR
    if not root.exists():
        return {}
    return {p.relative_to(tmp).as_posix(): _sha256(p) for p in sorted(root.rglob("*")) if p.is_file()}


def _artefact_problem(index_dir: Path, manifest: Manifest) -> str | None:
    for relative, digest in manifest.artefacts.items():
        path = index_dir / relative
        if not path.is_file() or _sha256(path) != digest:
            return f"{relative} is missing or does not match its manifest"
    return None


def make_faiss_index(vectors: np.ndarray, index_type: str = "flat") -> faiss.Index:
    """Flat by default (exact; right up to ~100k passages); HNSW or IVF for large corpora."""
    n, dim = vectors.shape
    if index_type == "flat":
        index = faiss.IndexFlatIP(dim)
    elif index_type == "hnsw":
        index = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efSearch = 128
    elif index_type == "ivf":
        nlist = max(1, min(int(np.sqrt(n)), n // 8 or 1))
        index = faiss.IndexIVFFlat(faiss.IndexFlatIP(dim), dim, nlist, faiss.METRIC_INNER_PRODUCT)
        index.train(vectors)
        index.nprobe = min(nlist, 16)
    else:
        raise IndexError_(f"unknown index type {index_type!r}; choose one of {', '.join(INDEX_TYPES)}")
    index.add(vectors)
    return index


READER_FILES = ("clean.py", "ingest.py", "profile.py", "evidence.py", "numbers.py", "data/genre.json",
                "data/units.json")  # what turns a report's text into passages and search terms


@functools.lru_cache(maxsize=1)
def reader_hash() -> str:
    """A fingerprint of the code and data that read reports into passages: an index built by another reading
    (an upgrade that repairs tables differently) is stale though the corpus did not change."""
    digest = hashlib.sha256()
    root = Path(__file__).resolve().parent
    for name in READER_FILES:
        digest.update(name.encode() + b"\0" + (root / name).read_bytes())
    return digest.hexdigest()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _write_synced(path: Path, text: str) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())


def _backup_dir(index_dir: Path) -> Path:
    return index_dir.with_name(f".{index_dir.name}.previous")


@contextmanager
def build_lock(index_dir: Path, timeout: float = LOCK_TIMEOUT_S) -> Iterator[None]:
    """One build at a time per index folder (an flock beside it, released if the process dies)."""
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    lock_path = index_dir.with_name(f".{index_dir.name}.lock")
    with open(lock_path, "a+") as handle:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise IndexError_(f"another build of {index_dir} is still running; try again later")
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _foreign_entries(folder: Path) -> list[str]:
    """Entries of `folder` a build did not create (all of them when it has no readable manifest)."""
    entries = sorted(p.name for p in folder.iterdir())
    if not entries:
        return []
    try:
        owned = Manifest.model_validate_json((folder / MANIFEST_FILE).read_text(encoding="utf-8")).owned
    except (OSError, ValueError):
        owned = frozenset(CORE_FILES) | {ARTEFACTS_DIR}  # a damaged manifest: only what every build writes is ours
    return [e for e in entries if e not in owned]


def _is_within(inner: Path, outer: Path) -> bool:
    return inner == outer or outer in inner.parents


def check_index_folder(settings: Settings) -> None:
    """Refuse to build where a build could move or delete files it did not create.

    The index folder must not be the corpus folder, inside it or contain it, and an
    existing folder must be empty or hold only what an earlier build created.
    """
    index_dir = Path(settings.index_dir).resolve()
    corpus_dir = Path(settings.corpus_dir).resolve()
    if _is_within(index_dir, corpus_dir) or _is_within(corpus_dir, index_dir):
        where = "is the corpus folder" if index_dir == corpus_dir else (
            "is inside the corpus folder" if _is_within(index_dir, corpus_dir) else "contains the corpus folder")
        raise IndexError_(f"the index folder {settings.index_dir} {where} {settings.corpus_dir}; "
                          "choose a separate folder with --index or QA_INDEX")
    for folder in (index_dir, _backup_dir(index_dir)):
        if folder.exists() and not folder.is_dir():
            raise IndexError_(f"{folder} is not a folder; choose another index folder with --index or QA_INDEX")
        foreign = _foreign_entries(folder) if folder.is_dir() else []
        if foreign:
            shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
            raise IndexError_(f"the index folder {folder} holds files the index build did not create ({shown}); "
                              "the build never replaces them: choose an empty or new folder with --index or QA_INDEX")


def _remove_leftovers(index_dir: Path) -> None:
    """Remove killed builds' folders (we hold the lock): only those a build created."""
    for leftover in index_dir.parent.glob(f".{index_dir.name}.build-*"):
        if leftover.is_dir() and ((leftover / BUILD_MARKER).exists() or not _foreign_entries(leftover)):
            shutil.rmtree(leftover, ignore_errors=True)


def _swap_in(tmp: Path, index_dir: Path) -> None:
    """Replace index_dir by tmp; a crash between the renames is repaired by `_recover`.

    Called under the lock after `check_index_folder`: index_dir and its backup hold only
    what builds created, so moving and removing them loses nothing of the user's.
    """
    backup = _backup_dir(index_dir)
    if backup.exists():
        shutil.rmtree(backup)
    if index_dir.exists():
        os.rename(index_dir, backup)
    os.rename(tmp, index_dir)
    shutil.rmtree(backup, ignore_errors=True)


def _recover(index_dir: Path) -> None:
    """A build killed between its two renames left the old index as the backup: put it back."""
    backup = _backup_dir(index_dir)
    if not index_dir.exists() and (backup / MANIFEST_FILE).exists():
        os.rename(backup, index_dir)


def _readable_dir(index_dir: Path) -> Path:
    """Where a reader finds the index: after repairing a killed build's swap when no build runs;
    while a build is between its two renames, the previous index in its backup folder (read, not moved)."""
    backup = _backup_dir(index_dir)
    if (index_dir / MANIFEST_FILE).exists() or not (backup / MANIFEST_FILE).exists():
        return index_dir
    lock_path = index_dir.with_name(f".{index_dir.name}.lock")
    try:
        with open(lock_path, "a+") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            try:
                _recover(index_dir)
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
        return index_dir
    except (BlockingIOError, PermissionError, OSError):
        return backup  # a build holds the lock, or the folder is read-only: read the backup as it is


def build_index(settings: Settings, embedder: Embedder | None = None) -> Index:
    """Embed every passage of the corpus and write `settings.index_dir` atomically.

    A folder that cannot be written is an IndexError_ saying so; the index already there is untouched.
    """
    index_dir = Path(settings.index_dir)
    check_index_folder(settings)  # before the model loads: a refused folder costs nothing
    embedder = embedder or load_embedder(settings.model)
    if settings.index_type not in INDEX_TYPES:
        raise IndexError_(f"unknown index type {settings.index_type!r}; choose one of {', '.join(INDEX_TYPES)}")
    try:
        return _build(settings, embedder, index_dir)
    except PermissionError as exc:
        raise IndexError_(
            f"cannot write the index at {index_dir} (permission denied: {exc.filename}); "
            "choose a writable folder with --index or QA_INDEX"
        ) from exc
    except OSError as exc:
        if exc.errno in (errno.EROFS, errno.EACCES, errno.ENOSPC):
            raise IndexError_(f"cannot write the index at {index_dir} ({exc.strerror}); "
                              "choose a writable folder with --index or QA_INDEX") from exc
        raise


def _build(settings: Settings, embedder: Embedder, index_dir: Path) -> Index:
    with build_lock(index_dir):
        _recover(index_dir)
        check_index_folder(settings)
        _remove_leftovers(index_dir)
        hash_before = corpus_hash(settings.corpus_dir)
        documents = load_corpus(settings.corpus_dir)
        passages = [p for doc in documents for p in doc.passages]
        if not passages:
            raise IndexError_(f"the corpus in {settings.corpus_dir} has no passages to index")
        vectors = embedder.embed([passage_text(p) for p in passages])
        if vectors.shape != (len(passages), embedder.dimension):
            raise IndexError_(f"model {embedder.model_id} returned vectors of shape {vectors.shape}")
        tmp = Path(tempfile.mkdtemp(prefix=f".{index_dir.name}.build-", dir=index_dir.parent))
        try:
            (tmp / BUILD_MARKER).touch()
            faiss.write_index(make_faiss_index(vectors, settings.index_type), str(tmp / INDEX_FILE))
            lines = [json.dumps(p.model_dump(mode="json"), ensure_ascii=False) for p in passages]
            _write_synced(tmp / PASSAGES_FILE, "\n".join(lines) + "\n")
            manifest = Manifest(
                model=embedder.model_id,
                dimension=embedder.dimension,
                corpus_hash=hash_before,
                package_version=__version__,
                faiss_version=faiss.__version__,
                built_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
                index_type=settings.index_type,
                passage_count=len(passages),
                faiss_sha256=_sha256(tmp / INDEX_FILE),
                passages_sha256=_sha256(tmp / PASSAGES_FILE),
                reader_hash=reader_hash(),
                documents=tuple(
                    DocInfo(doc_id=d.doc_id, year=d.meta.year, region=d.meta.region, title=d.meta.title)
                    for d in documents
                ),
            )
            inputs = BuildInputs(settings=settings, documents=tuple(documents), passages=tuple(passages),
                                 vectors=vectors, embedder=embedder)
            manifest = manifest.model_copy(update={"artefacts": _write_artefacts(inputs, tmp),
                                                   "store": normalized_store(settings.store)})
            (tmp / BUILD_MARKER).unlink()
            # every entry written so far is the build's own: the manifest lists them (and itself)
            files = tuple(sorted({p.name for p in tmp.iterdir()} | {MANIFEST_FILE}))
            manifest = manifest.model_copy(update={"files": files})
            # the manifest is written last: a folder without one is never a usable index
            _write_synced(tmp / MANIFEST_FILE, manifest.model_dump_json(indent=2))
            os.chmod(tmp, 0o755)  # mkdtemp makes it private; the index is read by other users too
            check_index_folder(settings)  # nothing of the user's appeared in the folder meanwhile
            _swap_in(tmp, index_dir)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    return load_index(settings, expected_model=embedder.model_id)


def read_manifest(index_dir: Path) -> Manifest:
    path = Path(index_dir) / MANIFEST_FILE
    if not path.exists():
        raise IndexError_(f"no index at {index_dir}; run `qa build`")
    try:
        return Manifest.model_validate_json(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise IndexError_(f"{path} is unreadable ({exc.__class__.__name__}); run `qa build --rebuild`") from exc


def stale_reasons(settings: Settings, manifest: Manifest, expected_model: str | None = None) -> list[str]:
    """Why an index no longer matches the corpus or the model (empty list: it matches)."""
    reasons = []
    model = expected_model or settings.model
    if manifest.model != model:
        reasons.append(f"it was built with model {manifest.model!r}, the setting is {model!r}")
    if manifest.corpus_hash != corpus_hash(settings.corpus_dir):
        reasons.append(f"the corpus in {settings.corpus_dir} changed since it was built")
    if manifest.format_version != FORMAT_VERSION:
        reasons.append(f"it has format {manifest.format_version}, this version reads {FORMAT_VERSION}")
    if manifest.reader_hash != reader_hash():
        reasons.append("the reports were read into passages by another version of the reader (cleaning, "
                       "sections, search terms)")
    if manifest.store != normalized_store(settings.store):
        reasons.append(f"it was built for the store {manifest.store}, the setting is {normalized_store(settings.store)}")
    present = {relative.split("/")[1] for relative in manifest.artefacts}
    missing = [name for name in registered_artefacts() if name not in present]
    if missing:
        reasons.append(f"it lacks the precomputed {', '.join(missing)} (built by an older version)")
    return reasons


RACE_RETRIES = 3


def _folder_stamp(index_dir: Path) -> tuple:
    """Changes when a build swaps a new folder in (the folder's and its manifest's inode and mtime)."""
    stamp = []
    for path in (index_dir, index_dir / MANIFEST_FILE):
        try:
            st = path.stat()
            stamp.append((st.st_ino, st.st_mtime_ns))
        except OSError:
            stamp.append(None)
    return tuple(stamp)


def load_index(settings: Settings, expected_model: str | None = None) -> Index:
    """Load and verify `settings.index_dir`; IndexError_ says what is wrong and what to do.

    A load that raced a build's swap (the manifest read from one folder, a file from the next) is
    read again from the new folder instead of being reported as damage.
    """
    folder = Path(settings.index_dir)
    for attempt in range(RACE_RETRIES):
        before = _folder_stamp(folder)
        try:
            return _load_index_once(settings, expected_model)
        except IndexError_:
            if attempt == RACE_RETRIES - 1 or _folder_stamp(folder) == before:
                raise
    raise AssertionError("unreachable")


def _load_index_once(settings: Settings, expected_model: str | None = None) -> Index:
    index_dir = _readable_dir(Path(settings.index_dir))
    manifest = read_manifest(index_dir)
    reasons = stale_reasons(settings, manifest, expected_model)
    if reasons:
        raise IndexError_(f"the index at {index_dir} is stale: {'; '.join(reasons)}; run `qa build --rebuild`")
    faiss_path = index_dir / INDEX_FILE
    if not faiss_path.exists() or _sha256(faiss_path) != manifest.faiss_sha256:
        raise IndexError_(f"{faiss_path} is missing or does not match its manifest; run `qa build --rebuild`")
    passages_path = index_dir / PASSAGES_FILE
    if not passages_path.exists() or _sha256(passages_path) != manifest.passages_sha256:
        # same count, other text or order: the vectors would cite one passage for another
        raise IndexError_(f"the index at {index_dir} is damaged: {PASSAGES_FILE} is missing or does not match "
                          "its manifest; run `qa build --rebuild`")
    problem = _artefact_problem(index_dir, manifest)
    if problem:
        raise IndexError_(f"the index at {index_dir} is damaged: {problem}; run `qa build --rebuild`")
    try:
        faiss_index = faiss.read_index(str(faiss_path))
        with open(index_dir / PASSAGES_FILE, encoding="utf-8") as handle:
            passages = tuple(Passage.model_validate_json(line) for line in handle if line.strip())
    except (OSError, RuntimeError, ValueError) as exc:
        raise IndexError_(f"the index at {index_dir} is damaged ({exc.__class__.__name__}); run `qa build --rebuild`") from exc
    if faiss_index.ntotal != manifest.passage_count or len(passages) != manifest.passage_count:
        raise IndexError_(f"the index at {index_dir} is incomplete; run `qa build --rebuild`")
    if faiss_index.d != manifest.dimension:
        raise IndexError_(f"the index at {index_dir} has dimension {faiss_index.d}, its manifest {manifest.dimension}")
    index = Index(manifest=manifest, passages=passages, faiss_index=faiss_index, folder=index_dir)
    if manifest.store != "faiss":
        from qa.stores.milvus import collection_problem

        problem = collection_problem(index, settings.store_token)
        if problem:
            raise IndexError_(f"the index at {index_dir} is damaged: {problem}; run `qa build --rebuild`")
    return index


def ensure_index(settings: Settings, rebuild: Rebuild = "auto", embedder: Embedder | None = None) -> Index:
    """The index for these settings: loaded if good, else built ("auto"), or refused ("never")."""
    if rebuild not in ("auto", "never", "always"):
        raise ValueError(f"rebuild must be auto, never or always, not {rebuild!r}")
    expected = embedder.model_id if embedder is not None else None
    if rebuild == "always":
        return build_index(settings, embedder)
    try:
        return load_index(settings, expected_model=expected)
    except IndexError_:
        if rebuild == "never":
            raise
    return build_index(settings, embedder)
