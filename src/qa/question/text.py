"""Input cleaning and the one normaliser of question text.

`clean_question` turns what a user typed into a question the pipeline can read, or raises
`InputError` with a message in Chinese saying what is wrong. `normalize` is NFKC (full-width digits
and letters to half-width), traditional to simplified characters, lower case and single spaces.
Both cost time linear in the length of the text.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from qa.errors import InputError

MAX_QUESTION_CHARS = 500

# control and format characters (zero-width, bidi overrides) and lone surrogates
_INVISIBLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ud800-\udfff]")
_HAS_TEXT = re.compile(r"[^\W_]", re.UNICODE)


def clean_question(text: object, max_chars: int = MAX_QUESTION_CHARS) -> str:
    """The question as the rest of the pipeline sees it, or InputError saying what is wrong."""
    if text is None:
        raise InputError("请输入问题（问题为空）。")
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError("问题不是有效的 UTF-8 文本，请重新输入。") from exc
    if not isinstance(text, str):
        raise InputError(f"问题应当是文字，收到的是 {type(text).__name__}。")
    text = _INVISIBLE.sub("", text)
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()
    if not text:
        raise InputError("请输入问题（问题为空）。")
    if len(text) > max_chars:
        raise InputError(f"问题太长（{len(text)} 字），请缩短到 {max_chars} 字以内。")
    if not _HAS_TEXT.search(text):
        raise InputError("问题里没有文字，请换个说法。")
    return text


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=4096)
def normalize(text: str) -> str:
    """NFKC (full-width to half-width), traditional to simplified, lower case, single spaces."""
    text = unicodedata.normalize("NFKC", text)
    text = _t2s().convert(text)
    return re.sub(r"\s+", " ", text.lower()).strip()
