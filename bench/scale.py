"""Synthetic corpora for the scaling runs, and the cost of exact (flat) search as the index grows.

`replicate_corpus(src, dst, copies)` writes `copies` versions of every report: copy 0 is the
original; every other copy gets its own file name (so its own doc id and passage ids) and its
own made-up region (in the text and the metadata), so no two passages are byte-identical.
Fact tables and the glossary are copied once, as a real multi-report corpus would have them.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import numpy as np

_STEMS = "甲乙丙丁戊己庚辛壬癸"


def region_name(i: int) -> str:
    """A distinct made-up two-character region for copy i (0 < i < 100)."""
    return f"{_STEMS[i // 10]}{_STEMS[i % 10]}区"


def replicate_corpus(src: Path, dst: Path, copies: int) -> Path:
    if not 1 <= copies <= 100:
        raise ValueError("copies must be between 1 and 100")
    dst.mkdir(parents=True, exist_ok=True)
    for path in Path(src).iterdir():
        if path.is_file() and not path.name.endswith((".txt", ".meta.json")):
            shutil.copy2(path, dst / path.name)  # fact tables, exclusions, glossary
    for report in sorted(Path(src).glob("*.txt")):
        meta_path = report.with_name(report.stem + ".meta.json")
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
        text = report.read_text(encoding="utf-8")
        for i in range(copies):
            stem = report.stem if i == 0 else f"{report.stem}-copy{i:03d}"
            body, copy_meta = text, dict(meta)
            if i and meta.get("region"):
                body = text.replace(meta["region"], region_name(i))
                copy_meta["region"] = region_name(i)
            (dst / f"{stem}.txt").write_text(body, encoding="utf-8")
            if meta:
                (dst / f"{stem}.meta.json").write_text(json.dumps(copy_meta, ensure_ascii=False), encoding="utf-8")
    return dst


def flat_search_curve(sizes: list[int], dim: int = 512, queries: int = 30, seed: int = 0) -> list[dict]:
    """ms per single-query search of a flat inner-product index of random unit vectors.

    The cost of exact search does not depend on the data, only on n x dim, so random
    vectors give the curve for corpora far larger than ours.
    """
    import faiss

    # One thread, as a single query is best searched: with OpenMP on 2 busy cores the threads
    # spin-wait and a 10k search measured 16 ms instead of about 1 ms.
    faiss.omp_set_num_threads(1)
    rng = np.random.default_rng(seed)
    out = []
    for n in sizes:
        vectors = rng.standard_normal((n, dim), dtype=np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        index = faiss.IndexFlatIP(dim)
        index.add(vectors)
        probes = vectors[rng.integers(0, n, queries)]
        index.search(probes[:1], 5)
        times = []
        for q in probes:
            start = time.perf_counter()
            index.search(q.reshape(1, -1), 5)
            times.append((time.perf_counter() - start) * 1000)
        out.append({"n": n, "ms": float(np.median(times)), "mb": vectors.nbytes / 2**20})
        del index, vectors
    return out


def crossover(curve: list[dict], budget_ms: float) -> int | None:
    """Passages at which flat search alone costs `budget_ms`, from a linear fit of the curve."""
    if len(curve) < 2:
        return None
    n = np.array([c["n"] for c in curve], dtype=float)
    ms = np.array([c["ms"] for c in curve])
    slope, intercept = np.polyfit(n, ms, 1)
    return int((budget_ms - intercept) / slope) if slope > 0 else None
