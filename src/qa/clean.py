"""Reading a report and repairing the artefacts of its PDF extraction.

Plain functions: decode the bytes, fold the PDF's stray spaces, drop print
furniture, tell headings from body lines, and rejoin paragraphs that a page
break split in two. Only whitespace and furniture are ever removed: every other
character of the raw file survives, in order (tests/test_ingest.py proves it).
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from qa.errors import CorpusError

# Whitespace next to a non-ASCII character is a PDF artefact ("5.6 亿元", "代区长 安保亮");
# between two ASCII letters or digits it is a real word break ("PM 2.5" stays).
_STRAY_SPACE = re.compile(r"(?<=[^\x00-\x7f])[\s\u3000]+|[\s\u3000]+(?=[^\x00-\x7f])")

FURNITURE = (
    (re.compile(r"^[〔\[［(（]?\s*共印\s*\d+\s*份\s*[〕\]］)）]?$"), "print run"),
    (re.compile(r"^[-—–－_\s]*(第\s*)?\d{1,3}(\s*页)?[-—–－_\s]*$"), "page number"),
    (re.compile(r"^[-—–－]\s*\d{1,3}\s*[-—–－]$"), "page number"),
)

_CN = "一二三四五六七八九十"
# (level, pattern of the heading marker at the start of a line)
HEADING_MARKERS = (
    (1, re.compile(rf"^[{_CN}]{{1,3}}、")),
    (2, re.compile(rf"^[（(][{_CN}]{{1,3}}[）)]")),
    (3, re.compile(r"^\d{1,2}[\.．、](?!\d)")),
    (4, re.compile(r"^[（(]\d{1,2}[）)]")),
)

TERMINAL = "。！？!?；;：:…"
CLOSERS = "”’」』）)】》\"'"
MAX_HEADING_CHARS = 60


def decode(raw: bytes, name: str = "file") -> tuple[str, str]:
    """Decode a report's bytes: UTF-8 (with or without BOM), UTF-16 with BOM, GB18030/GBK.

    Returns (text, encoding). Raises CorpusError with the exact reason otherwise.
    """
    if b"\x00" in raw and not raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise CorpusError(f"{name}: contains NUL bytes; not a text file")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8-sig", "gb18030"]
    for encoding in candidates:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\ufffd" in text:
            raise CorpusError(f"{name}: contains U+FFFD replacement characters; re-extract it from the source")
        if encoding == "gb18030" and not _mostly_cjk_or_ascii(text):
            continue
        if encoding == "utf-8-sig" and not raw.startswith(codecs.BOM_UTF8):
            encoding = "utf-8"
        return text.replace("\r\n", "\n").replace("\r", "\n"), encoding
    raise CorpusError(
        f"{name}: not UTF-8, UTF-16 or GB18030/GBK text; convert it to UTF-8 (e.g. iconv -t UTF-8)"
    )


def _mostly_cjk_or_ascii(text: str) -> bool:
    """A guard against bytes that happen to decode as GB18030 but are not Chinese text."""
    sample = [c for c in text[:4000] if not c.isspace()]
    if not sample:
        return True
    good = sum(1 for c in sample if ord(c) < 0x80 or unicodedata.category(c)[0] in "LNP" and ord(c) < 0x10000)
    return good / len(sample) > 0.95


def fold_spaces(line: str) -> str:
    """Remove the PDF's spaces around numbers and between CJK characters."""
    return _STRAY_SPACE.sub("", line).strip()


def furniture_reason(line: str) -> str | None:
    for pattern, reason in FURNITURE:
        if pattern.match(line):
            return reason
    return None


def heading_level(line: str) -> int | None:
    for level, pattern in HEADING_MARKERS:
        if pattern.match(line):
            return level
    return None


def ends_sentence(text: str) -> bool:
    stripped = text.rstrip(CLOSERS + " ")
    return bool(stripped) and stripped[-1] in TERMINAL


def is_bodylike(text: str) -> bool:
    """A paragraph of running text, as opposed to a title line or a signature."""
    return "。" in text or "，" in text or len(text) >= 40


@dataclass
class Line:
    """One logical line of the report after cleaning: a heading, a paragraph or a title line."""

    text: str
    first_line: int  # 1-based line number in the raw file
    kind: str  # "heading" | "body" | "short"
    level: int | None = None  # heading level, also for a body line that opens with a marker
    heading_end: int = 0  # for a body line opening with a marker: length of its inline heading


def classify(text: str, lineno: int) -> Line:
    level = heading_level(text)
    if level is not None:
        if "。" not in text.rstrip("。") and len(text) <= MAX_HEADING_CHARS:
            return Line(text, lineno, "heading", level, len(text))
        first = text.find("。")
        if 0 < first <= MAX_HEADING_CHARS:
            return Line(text, lineno, "body", level, first)
    return Line(text, lineno, "body" if is_bodylike(text) else "short")


def join_text(a: str, b: str) -> str:
    glue = " " if a[-1:].isascii() and a[-1:].isalnum() and b[:1].isascii() and b[:1].isalnum() else ""
    return a + glue + b


def logical_lines(text: str) -> tuple[list[Line], list[tuple[str, int, str]]]:
    """Split cleaned text into logical lines, rejoining page-break splits.

    Returns (lines, dropped) where dropped lists (text, line number, reason) of furniture.
    """
    lines: list[Line] = []
    dropped: list[tuple[str, int, str]] = []
    for number, raw_line in enumerate(text.split("\n"), start=1):
        folded = fold_spaces(raw_line)
        if not folded:
            continue
        reason = furniture_reason(folded)
        if reason:
            dropped.append((raw_line.strip(), number, reason))
            continue
        line = classify(folded, number)
        previous = lines[-1] if lines else None
        if (
            previous is not None
            and previous.kind == "body"
            and not ends_sentence(previous.text)
            and line.kind != "heading"
        ):
            previous.text = join_text(previous.text, line.text)
            continue
        lines.append(line)
    return lines, dropped
