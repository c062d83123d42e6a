"""Reading a report and repairing the artefacts of its PDF extraction.

Plain functions: decode the bytes, fold the PDF's stray spaces, drop print
furniture, tell headings from body lines, and rejoin paragraphs that a page
break split in two. Only whitespace and furniture are ever removed: every other
character of the raw file survives, in order (tests/test_ingest.py and
tests/test_structure.py prove it). Furniture patterns, heading markers and list-line
endings are data (data/genre.json). The cleaned text keeps the report's own characters
(full-width digits, variant forms such as 産業): citations quote it verbatim, and matching
normalises on its own side.
"""

from __future__ import annotations

import codecs
import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from importlib import resources

from qa.errors import CorpusError
from qa.numbers import YEAR_DIGITS

# Whitespace next to a non-ASCII character is a PDF artefact ("5.6 亿元", "代区长 安保亮");
# between two ASCII letters or digits it is a real word break ("PM 2.5" stays).
_STRAY_SPACE = re.compile(r"(?<=[^\x00-\x7f])[\s\u3000]+|[\s\u3000]+(?=[^\x00-\x7f])")

# The genre's structure words and print furniture are data (data/genre.json), not code.
GENRE: dict = json.loads(resources.files("qa.data").joinpath("genre.json").read_text(encoding="utf-8"))

FURNITURE = tuple((re.compile(f["pattern"]), f["reason"]) for f in GENRE["furniture"])

# (level, pattern of the heading marker at the start of a line, whether lines so numbered may be a list)
HEADING_MARKERS = tuple(
    (m["level"], re.compile(m["pattern"]), bool(m.get("numbered_list"))) for m in GENRE["heading_markers"]
)
LIST_LINE_ENDS = GENRE["list_line_ends"]
RUNNING_FOOTER_MAX_CHARS = GENRE["running_footer_max_chars"]

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
    for level, pattern, _ in HEADING_MARKERS:
        if pattern.match(line):
            return level
    return None


def is_list_line(line: str) -> bool:
    """A numbered line that is an item of a list ("1. 地区生产总值增长6%左右；"), not a heading.

    Digit-numbered lines are headings only when they read as titles: a line that ends
    like a clause or a sentence, with no second sentence after it, is a list item.
    """
    for _, pattern, may_be_list in HEADING_MARKERS:
        if pattern.match(line):
            if not may_be_list:
                return False
            body = line.rstrip(CLOSERS)
            return bool(body) and body[-1] in LIST_LINE_ENDS and "。" not in body[:-1]
    return False


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
    kind: str  # "heading" | "body" | "list" | "short"
    level: int | None = None  # heading level, also for a body line that opens with a marker
    heading_end: int = 0  # for a body line opening with a marker: length of its inline heading
    table: bool = False  # a table's row read back as a sentence (qa.tables)
    printed: str = ""  # of a table's row: the row as the report prints it (its raw line or, one cell a line, lines)


def classify(text: str, lineno: int) -> Line:
    if is_list_line(text):
        return Line(text, lineno, "list")
    level = heading_level(text)
    if level is not None:
        if "。" not in text.rstrip("。") and len(text) <= MAX_HEADING_CHARS:
            return Line(text, lineno, "heading", level, len(text))
        first = text.find("。")
        if 0 < first <= MAX_HEADING_CHARS:
            return Line(text, lineno, "body", level, first)
    if is_bare_part_heading(text):
        return Line(text, lineno, "heading", 1, len(text))
    return Line(text, lineno, "body" if is_bodylike(text) else "short")


_ADDRESS = re.compile(GENRE["address"])
_PART_CUES = tuple(GENRE["review_cues"]) + tuple(GENRE["plan_cues"])
_PART_TIME = re.compile(YEAR_DIGITS + r"\s*年|十[一二三四五六七八九]五|过去|今年|今后")


def is_bare_part_heading(text: str) -> bool:
    """An unnumbered part title on its own line ("2022年工作回顾", "2023年工作安排"): a short
    line, no punctuation of running text, naming a time and a review or plan cue."""
    return (
        len(text) <= GENRE["max_period_heading_chars"]
        and not any(c in text for c in "。，；：,;:—")
        and any(cue in text for cue in _PART_CUES)
        and bool(_PART_TIME.search(text))
    )


_MARKUP = {k: re.compile(v) for k, v in GENRE["markup"].items() if not k.startswith("_") and k != "bullet_as"}


def unmark(line: str, header: list[str] | None) -> tuple[str, list[str] | None]:
    """A line without Markdown marks (headings, emphasis, bullets; a table row as a sentence naming its cells
    by the header's words), and the table header in force after it."""
    if _MARKUP["table_rule"].match(line):
        return "", header
    row = _MARKUP["table_row"].match(line)
    if row:
        cells = [c.strip() for c in row.group(1).split("|")]
        if header is None:
            return "", cells
        from qa.tables import markdown_row  # qa.tables builds on this module

        return markdown_row(header, cells), header
    line = _MARKUP["heading"].sub("", line, count=1)
    italic = _MARKUP["italic_line"].match(line)
    line = italic.group(1) if italic else line
    line = _MARKUP["emphasis"].sub("", line)
    line = _MARKUP["bullet"].sub(GENRE["markup"]["bullet_as"], line, count=1)
    return line, None


def join_text(a: str, b: str) -> str:
    glue = " " if a[-1:].isascii() and a[-1:].isalnum() and b[:1].isascii() and b[:1].isalnum() else ""
    return a + glue + b


def _printed_row(raw_lines: list[str], at: int, tables: dict[int, str]) -> str:
    """A table's row as printed: its line, and for a table printed one cell a line the cells after it (the lines
    `tables` reads as part of the row, "" there), one space between cells."""
    cells = [raw_lines[at].strip()]
    for n in range(at + 1, len(raw_lines)):
        line = raw_lines[n].strip()
        if not line:
            continue
        if tables.get(n) != "":  # the next row, or the table is over
            break
        cells.append(line)
    return " ".join(cells)


def logical_lines(text: str) -> tuple[list[Line], list[tuple[str, int, str]]]:
    """Split cleaned text into logical lines, rejoining page-break splits.

    Returns (lines, dropped) where dropped lists (text, line number, reason) of furniture.
    """
    lines: list[Line] = []
    dropped: list[tuple[str, int, str]] = []
    raw_lines = text.split("\n")
    footers = running_footers(raw_lines)
    from qa.tables import flat_tables, spaced_tables  # tables read back one sentence a row (qa.tables builds on this module)

    tables = flat_tables(raw_lines) | spaced_tables(raw_lines, footers)
    header: list[str] | None = None
    for number, raw_line in enumerate(raw_lines, start=1):
        folded = fold_spaces(raw_line)
        if not folded:
            continue
        if number - 1 in tables:  # a table printed one cell per line: its rows as sentences, before furniture
            if tables[number - 1]:  # reads its figures as page numbers
                lines.append(Line(tables[number - 1], number, "body", table=True,
                                  printed=_printed_row(raw_lines, number - 1, tables)))
            continue
        reason = furniture_reason(folded) or ("running footer" if number in footers else None)
        if reason:
            dropped.append((raw_line.strip(), number, reason))
            continue
        unmarked, header = unmark(raw_line.strip(), header)  # before folding: "- 地区…" is a bullet, "-地区" no
        folded = fold_spaces(unmarked)
        if not folded:
            continue
        line = classify(folded, number)
        if header is not None and _MARKUP["table_row"].match(raw_line.strip()):
            line = Line(line.text, number, line.kind, line.level, line.heading_end, table=True,  # a Markdown row
                        printed=raw_line.strip())
        if line.kind == "heading" and heading_level(line.text) is None and not any(
            x.kind == "body" or _ADDRESS.match(x.text) for x in lines
        ):
            line = Line(line.text, number, "short")  # an unnumbered title before the speech begins is the report's title
        previous = lines[-1] if lines else None
        if (
            previous is not None
            and previous.kind in ("body", "list")
            and not ends_sentence(previous.text)
            and line.kind != "heading"
        ) or _occasion_goes_on(previous, line, lines):
            previous.text = join_text(previous.text, line.text)
            continue
        lines.append(line)
    return lines, dropped


_OCCASION = re.compile(GENRE["dash_marker"] + r".*\d.*(?:大会|会议)")
_OCCASION_END = re.compile(r"(?:会议|大会)上(?:的(?:报告|讲话))?$")


def _occasion_goes_on(previous: Line | None, line: Line, lines: list[Line]) -> bool:
    """The head's occasion line wrapped (——2009年2月16日在沅州市第三届人民代表大会 | 第三次会议上): before the
    speech begins, a dash line naming the meeting without closing it goes on in the short line that does."""
    return (previous is not None and previous.kind == "short" and line.kind == "short"
            and not any(x.kind == "body" for x in lines) and _OCCASION.match(previous.text) is not None
            and _OCCASION_END.search(previous.text) is None and _OCCASION_END.search(line.text) is not None)


def running_footers(raw_lines: list[str]) -> set[int]:
    """Line numbers (1-based) of running heads/footers: a short title-like line printed next to a
    page number and repeated on several pages ("XX市第七届人民代表大会第三次会议文件").

    The same words elsewhere (the report's own first line) are kept: only the copies beside a
    page-number line are furniture.
    """
    folded = [fold_spaces(line) for line in raw_lines]
    pages = {i for i, line in enumerate(folded) if line and furniture_reason(line) == "page number"}

    def neighbours(i: int) -> list[int]:
        out = []
        for step in (-1, 1):
            j = i + step
            while 0 <= j < len(folded) and not folded[j]:
                j += step
            if 0 <= j < len(folded):
                out.append(j)
        return out

    candidates = {j for i in pages for j in neighbours(i) if j not in pages}
    counts = Counter(folded)
    return {
        j + 1
        for j in candidates
        if counts[folded[j]] >= 2
        and len(folded[j]) <= RUNNING_FOOTER_MAX_CHARS
        and not any(c in folded[j] for c in "。，；：,;")
        and heading_level(folded[j]) is None
    }
