"""Milvus as the search store: one collection per build, dense and BM25 sparse vectors together.

    QA_STORE=index/milvus.db qa build           Milvus Lite: an embedded file, no server
    QA_STORE=http://host:19530 qa build         a Milvus server or cluster (QA_STORE_TOKEN if it asks)

`qa build` still writes the index folder (manifest, passages, FAISS, BM25 artefacts) and, when the
store is Milvus, a new collection `qa_<hash of host and folder>_<time>` with, per passage: its position, passage
id, report id, region, year, heading path, text, its dense vector and two BM25 sparse vectors (token
id -> score with the corpus's statistics, and with its own report's). The index folder's artefact
`milvus/store.json` names the collection, so the manifest swap that publishes a build publishes its
collection too: a killed build leaves the previous collection in use, and its own half-written one
is dropped by the next build. Searches filter by report inside Milvus (`doc_id in [...]`).

The BM25 scores are the ones bm25s computes (the same tokens, the same statistics), so both stores
rank the same; only the hybrid's candidate lists are cut at `candidates` per side.
"""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path
from typing import Collection

import numpy as np

from qa.errors import IndexError_
from qa.index import register_artefact

STORE_FILE = "store.json"
BATCH = 256
UNUSED_TOKEN = 2**31 - 2  # Milvus refuses an empty sparse vector: a passage without words gets this id, never asked
TEXT_MAX = 65_535


def _client(store: str, token: str | None):
    try:
        from pymilvus import MilvusClient
    except ImportError as exc:
        raise IndexError_(f"the store {store} needs pymilvus (and milvus-lite for a .db file): "
                          "pip install 'qa[milvus]'") from exc
    uri = store
    if store.endswith(".db") and "://" not in store:
        path = Path(store).expanduser().resolve()
        path.parent.mkdir(parents=True, exist_ok=True)
        uri = str(path)
    try:
        return MilvusClient(uri=uri, token=token or "")
    except Exception as exc:  # connection refused, a locked Lite file, a bad token: all say the same to a user
        raise IndexError_(f"cannot open the Milvus store {store} ({type(exc).__name__}: {exc})") from exc


_SEARCHING: dict[str, int] = {}  # Milvus Lite files this process searches (MilvusStore objects alive)


def _lite_path(store: str) -> str | None:
    return str(Path(store).expanduser().resolve()) if store.endswith(".db") and "://" not in store else None


def _done(client, store: str) -> None:
    """Close a short-lived client (a build's, a check's). A Milvus Lite file is served by a thread of
    the process that opened it and locked against every other process: unless this process also
    searches it, stop that thread so `qa build` here and `qa serve` elsewhere can take turns."""
    client.close()
    path = _lite_path(store)
    if path and not _SEARCHING.get(path):
        try:
            from milvus_lite.server_manager import server_manager_instance

            server_manager_instance.release_server(path)
        except ImportError:
            pass


def _prefix(index_dir: Path) -> str:
    """Collections of one index folder on one host: a build drops only its own folder's old ones, so
    hosts (or folders) sharing a Milvus server never drop each other's."""
    import socket

    owner = f"{socket.gethostname()}:{Path(index_dir).resolve()}"
    return "qa_" + hashlib.sha256(owner.encode()).hexdigest()[:10] + "_"


def _filter(doc_ids: Collection[str] | None) -> str:
    if doc_ids is None:
        return ""
    return f"doc_id in {json.dumps(sorted(set(doc_ids)), ensure_ascii=False)}"


def _schema(dimension: int):
    from pymilvus import DataType, MilvusClient

    schema = MilvusClient.create_schema(auto_id=False, enable_dynamic_field=False)
    schema.add_field("pos", DataType.INT64, is_primary=True, description="position in passages.jsonl")
    schema.add_field("passage_id", DataType.VARCHAR, max_length=512)
    schema.add_field("doc_id", DataType.VARCHAR, max_length=512)
    schema.add_field("region", DataType.VARCHAR, max_length=512)
    schema.add_field("year", DataType.INT64, description="the passage's period, -1 when it has none")
    schema.add_field("heading", DataType.VARCHAR, max_length=TEXT_MAX)
    schema.add_field("text", DataType.VARCHAR, max_length=TEXT_MAX)
    schema.add_field("dense", DataType.FLOAT_VECTOR, dim=dimension)
    schema.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR, description="BM25, the corpus's statistics")
    schema.add_field("sparse_doc", DataType.SPARSE_FLOAT_VECTOR, description="BM25, its report's statistics")
    return schema


def _cut(text: str) -> str:
    """Milvus counts VARCHAR length in bytes."""
    data = text.encode("utf-8")[:TEXT_MAX]
    return data.decode("utf-8", errors="ignore")


def write_collection(inputs, folder: Path) -> None:
    """Artefact writer (see qa.index.register_artefact): the build's collection, when the store is Milvus."""
    from qa.retrieve import BM25Retriever
    from qa.stores import store_kind

    settings = inputs.settings
    if store_kind(settings.store) != "milvus":
        return
    bm25 = BM25Retriever.load(folder.parent / "bm25", inputs.passages, _glossary(settings))
    if bm25 is None:
        raise IndexError_("the BM25 artefact of this build is unreadable")
    client = _client(settings.store, settings.store_token)
    try:  # closed when done: a Milvus Lite file can be open in one process at a time
        _write(client, inputs, folder, bm25)
    finally:
        _done(client, settings.store)


def _write(client, inputs, folder: Path, bm25) -> None:
    from pymilvus import MilvusClient

    settings = inputs.settings
    prefix = _prefix(settings.index_dir)
    _drop_unused(client, prefix, Path(settings.index_dir))
    name = f"{prefix}{time.strftime('%Y%m%d%H%M%S')}_{int(time.time() * 1000) % 1000:03d}"
    index_params = MilvusClient.prepare_index_params()
    # FLAT: exact inner product, as FAISS's flat index (a server may prefer HNSW for millions of passages)
    index_params.add_index(field_name="dense", index_type="FLAT", metric_type="IP")
    index_params.add_index(field_name="sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="IP")
    index_params.add_index(field_name="sparse_doc", index_type="SPARSE_INVERTED_INDEX", metric_type="IP")
    client.create_collection(name, schema=_schema(inputs.embedder.dimension), index_params=index_params)
    regions = {d.doc_id: d.meta.region or "" for d in inputs.documents}
    corpus_rows, own_rows = bm25.sparse_rows()
    rows = []
    for position, passage in enumerate(inputs.passages):
        rows.append({
            "pos": position, "passage_id": passage.id, "doc_id": passage.doc_id,
            "region": regions.get(passage.doc_id, ""), "year": passage.period if passage.period is not None else -1,
            "heading": _cut(" › ".join(passage.section_path)), "text": _cut(passage.text),
            "dense": np.asarray(inputs.vectors[position], dtype=np.float32).tolist(),
            "sparse": corpus_rows[position] or {UNUSED_TOKEN: 1e-6},
            "sparse_doc": own_rows[position] or {UNUSED_TOKEN: 1e-6},
        })
        if len(rows) == BATCH:
            client.insert(name, rows)
            rows = []
    if rows:
        client.insert(name, rows)
    client.flush(name)
    count = int(client.get_collection_stats(name)["row_count"])
    if count != len(inputs.passages):
        client.drop_collection(name)
        raise IndexError_(f"Milvus stored {count} of {len(inputs.passages)} passages; nothing was replaced")
    (folder / STORE_FILE).write_text(json.dumps({"collection": name, "count": count}), encoding="utf-8")


def _glossary(settings):
    from qa.query import load_glossary

    return load_glossary(settings.corpus_dir)


def _published(index_dir: Path) -> str | None:
    """The collection the index folder's manifest publishes (None: none yet)."""
    path = Path(index_dir) / "artefacts" / "milvus" / STORE_FILE
    try:
        return json.loads(path.read_text(encoding="utf-8"))["collection"]
    except (OSError, ValueError, KeyError):
        return None


def _drop_unused(client, prefix: str, index_dir: Path) -> None:
    """Collections of this index folder that its manifest does not publish: a killed build's, or the
    one replaced by the last build (kept until now for processes that were still searching it).
    The build holds the folder's lock, so no other build of it is writing one."""
    keep = _published(index_dir)
    for name in client.list_collections():
        if name.startswith(prefix) and name != keep:
            client.drop_collection(name)


def collection_problem(index, token: str | None = None) -> str | None:
    """Why the collection an index publishes cannot be searched (None: it can)."""
    folder = index.artefact("milvus")
    try:
        meta = json.loads((folder / STORE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError, TypeError):
        return "it names no Milvus collection (built for another store)"
    store = index.manifest.store
    client = _client(store, token)
    try:
        if not client.has_collection(meta["collection"]):
            return f"its collection {meta['collection']} is missing from {store}"
        count = int(client.get_collection_stats(meta["collection"])["row_count"])
        if count != meta["count"]:
            return f"its collection {meta['collection']} holds {count} passages, not {meta['count']}"
        return None
    finally:
        _done(client, store)


class MilvusStore:
    """Searches the collection an index publishes; filters by report inside Milvus."""

    name = "milvus"

    def __init__(self, index, store: str, token: str | None = None):
        meta = json.loads((index.artefact("milvus") / STORE_FILE).read_text(encoding="utf-8"))
        self.collection = meta["collection"]
        self.client = _client(store, token)
        self.client.load_collection(self.collection)
        self._path = _lite_path(store)
        if self._path:
            _SEARCHING[self._path] = _SEARCHING.get(self._path, 0) + 1

    def _search(self, data, field: str, k: int, doc_ids) -> list[tuple[int, float]]:
        if k <= 0 or (doc_ids is not None and not doc_ids):
            return []
        result = self.client.search(self.collection, data=[data], anns_field=field, limit=min(k, 16_384),
                                    filter=_filter(doc_ids), output_fields=["pos"],
                                    search_params={"metric_type": "IP"})
        return [(int(hit["entity"]["pos"]), float(hit["distance"])) for hit in result[0]]

    def dense(self, vector, k, doc_ids=None):
        return self._search(np.asarray(vector, dtype=np.float32).ravel().tolist(), "dense", k, doc_ids)

    def lexical(self, weights, k, doc_ids=None):
        query = {int(i): float(w) for i, w in weights.items() if w}
        if not query:
            return []
        one_report = doc_ids is not None and len(set(doc_ids)) == 1
        hits = self._search(query, "sparse_doc" if one_report else "sparse", k, doc_ids)
        return [(pos, score) for pos, score in hits if score > 0]


register_artefact("milvus", write_collection)
