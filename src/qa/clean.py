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
from qa.numbers import SUFFIX_QUALIFIERS, UNITS, YEAR_DIGITS

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
        return _table_sentence(header, cells), header
    line = _MARKUP["heading"].sub("", line, count=1)
    italic = _MARKUP["italic_line"].match(line)
    line = italic.group(1) if italic else line
    line = _MARKUP["emphasis"].sub("", line)
    line = _MARKUP["bullet"].sub(GENRE["markup"]["bullet_as"], line, count=1)
    return line, None


def _table_sentence(header: list[str], cells: list[str]) -> str:
    """"| 地区生产总值（亿元） | 1,826.4 | 6.2% |" under "| 指标 | 2019年 | 增长 |" reads
    "地区生产总值2019年1,826.4亿元，增长6.2%。": the row's name, each cell after its column's words, the unit
    the name or the column gives after the first figure without one."""
    name = cells[0] if cells else ""
    unit = _MARKUP["cell_unit"].search(name)
    name = name[: unit.start()] if unit else name
    parts = []
    for n, cell in enumerate(cells[1:], start=1):
        column = header[n] if n < len(header) else ""
        own = _MARKUP["cell_unit"].search(column)
        column = column[: own.start()] if own else column
        given = (own or unit)
        suffix = given.group(1) if given and cell and cell[-1].isdigit() else ""
        if given is unit:
            unit = None  # the name's unit is the first figure's
        parts.append(f"{column}{cell}{suffix}")
    return name + "，".join(parts) + "。" if parts else name


FLAT = GENRE["flat_table"]


def _is_unit(cell: str) -> bool:
    return cell in UNITS or cell in ("%", "‰")


def flat_tables(raw_lines: list[str]) -> dict[int, str]:
    """A table a PDF converter printed one cell per line, read back one sentence per row: line index -> the row's
    sentence on the row's first line, "" on every other line of the table (its heads, its other cells). A table
    opens with its first column's head (指标) and needs a unit column (单位): a row starts with a name whose next
    cell is a unit, so a row that lost a cell is still read; anything else ends the table."""
    cells = [fold_spaces(line) for line in raw_lines]
    at = [i for i, c in enumerate(cells) if c]
    out: dict[int, str] = {}
    k = 0
    while k < len(at):
        if cells[at[k]] in FLAT["first_heads"]:
            read = _flat_table(cells, at, k)
            if read:
                out.update(read)
                k = at.index(max(read)) + 1
                continue
        k += 1
    return out


def _flat_table(cells: list[str], at: list[int], k: int) -> dict[int, str] | None:
    short = lambda n: n < len(at) and len(cells[at[n]]) <= FLAT["max_cell_chars"] and not ends_sentence(cells[at[n]])  # noqa: E731
    starts = lambda n: short(n) and not _is_unit(cells[at[n]]) and n + 1 < len(at) and _is_unit(cells[at[n + 1]])  # noqa: E731
    heads, n = [cells[at[k]]], k + 1
    while short(n) and not starts(n):
        heads.append(cells[at[n]])
        n += 1
    if len(heads) < 3 or heads[1] not in FLAT["unit_heads"] or not starts(n):
        return None
    out = {at[i]: "" for i in range(k, n)}
    while True:
        if not starts(n):  # a row whose unit cell is no unit (上年=100) stays as printed; the table goes on after it
            n = next((j for j in range(n + 1, n + len(heads) + 1) if starts(j)), None)
            if n is None:
                return out
        row, m = [cells[at[n]], cells[at[n + 1]]], n + 2
        while len(row) < len(heads) and short(m) and not starts(m):
            row.append(cells[at[m]])
            m += 1
        out.update({at[i]: "" for i in range(n, m)})
        out[at[n]] = _flat_row(heads, row)
        n = m


def spaced_tables(raw_lines: list[str], footers: set[int]) -> dict[int, str]:
    """A table printed with its columns aligned by runs of spaces (a plain-text or OCR'd 附表), read back one
    sentence per row like a flat table: line index -> the row's sentence, "" on its head line. The head line's
    first cell is a first column's head (指标名称) and one of its heads a unit column (单位), in any place; a row's
    cells go to the heads they stand under (by display width: a CJK character is two columns wide), so an empty
    cell shifts nothing. Blank lines, page furniture and running heads inside the table are passed over; any
    other line ends it."""
    out: dict[int, str] = {}
    n = 0
    while n < len(raw_lines):
        heads = _spaced_cells(raw_lines[n])
        names = [h for _, h in heads]
        if (len(heads) < 3 or names[0] not in FLAT["first_heads"]
                or not any(h in FLAT["unit_heads"] for h in names)):
            n += 1
            continue
        unit_at = next(i for i, h in enumerate(names) if h in FLAT["unit_heads"])
        read: dict[int, str] = {}
        m = n + 1
        while m < len(raw_lines):
            line = raw_lines[m]
            folded = fold_spaces(line)
            if not folded or furniture_reason(folded) or m + 1 in footers:
                m += 1
                continue
            cells = _under_heads(_spaced_cells(line), heads)
            if cells is None or not _is_unit(cells[unit_at]):
                break
            order = [0, unit_at] + [i for i in range(1, len(heads)) if i != unit_at]
            read[m] = _flat_row([names[i] for i in order], [cells[i] for i in order])
            m += 1
        if read:
            out[n] = ""
            out.update(read)
        n = m if read else n + 1
    return out


_CELL_GAP = re.compile(r"(?: {2,}|\t+)")


def _spaced_cells(line: str) -> list[tuple[int, str]]:
    """(display column, text) of each cell of a line whose cells are separated by two or more spaces or tabs."""
    cells, column, at = [], 0, 0
    for piece in _CELL_GAP.split(line.rstrip()):
        start = line.index(piece, at) if piece else at
        column += _width(line[at:start])
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            cells.append((column + _width(piece[:lead]), piece.strip()))
        column += _width(line[start:start + len(piece)])
        at = start + len(piece)
    return cells


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _under_heads(cells: list[tuple[int, str]], heads: list[tuple[int, str]]) -> list[str] | None:
    """A row's cells placed under the heads whose columns they start nearest (the first cell always the name);
    None when two cells would share one head or the row has fewer than two cells."""
    if len(cells) < 2:
        return None
    out = [""] * len(heads)
    out[0] = cells[0][1]
    for column, text in cells[1:]:
        i = min(range(1, len(heads)), key=lambda h: abs(heads[h][0] - column))
        if out[i]:
            return None
        out[i] = text
    return out


def _flat_row(heads: list[str], row: list[str]) -> str:
    """"地区生产总值 / 亿元 / 2368.4 / 7.2" under "指标 / 单位 / 2018年 / 比上年增长（%）" reads
    "2018年地区生产总值2368.4亿元，比上年增长7.2%。" (a year column before the name); a remark naming a part (市本级)
    stands after the name, one that is a qualifier (以上) after the figure before it."""
    name, unit, parts, when = row[0], row[1], [], ""
    for column, cell in zip(heads[2:], row[2:]):
        if not cell or cell in FLAT["empty_cells"]:
            continue
        if column in FLAT["remark_heads"]:
            if cell in SUFFIX_QUALIFIERS and parts:
                parts[-1] += cell
            else:
                name += f"（{cell}）"
            continue
        own = _MARKUP["cell_unit"].search(column)
        given = own.group(1) if own else unit
        column = column[: own.start()] if own else column
        if not parts and _YEAR_HEAD.match(column):  # 2018年 | 2368.4: "2018年地区生产总值2368.4亿元"
            when, column = column, ""
        figure = re.match(r"^(.*\d)(\D*)$", cell)
        if figure and _MINUS.match(cell) and _GROWTH_HEAD.search(column):  # 比上年增长(%) | -1.8: a fall, 下降1.8%
            column = _GROWTH_HEAD.sub(FALL_WORD, column)
            figure = re.match(r"^(.*\d)(\D*)$", _MINUS.sub("", cell))
        parts.append(f"{column}{figure.group(1)}{given}{figure.group(2)}" if figure else f"{column}{cell}")
    return when + name + "，".join(parts) + "。"


_YEAR_HEAD = re.compile(rf"^{YEAR_DIGITS}年$")
_MINUS = re.compile(r"^\s*[-－−–]\s*(?=\d)")
_GROWTH_HEAD = re.compile(r"增长|增速|增幅")
FALL_WORD = "下降"


def join_text(a: str, b: str) -> str:
    glue = " " if a[-1:].isascii() and a[-1:].isalnum() and b[:1].isascii() and b[:1].isalnum() else ""
    return a + glue + b


def logical_lines(text: str) -> tuple[list[Line], list[tuple[str, int, str]]]:
    """Split cleaned text into logical lines, rejoining page-break splits.

    Returns (lines, dropped) where dropped lists (text, line number, reason) of furniture.
    """
    lines: list[Line] = []
    dropped: list[tuple[str, int, str]] = []
    raw_lines = text.split("\n")
    footers = running_footers(raw_lines)
    tables = flat_tables(raw_lines) | spaced_tables(raw_lines, footers)
    header: list[str] | None = None
    for number, raw_line in enumerate(raw_lines, start=1):
        folded = fold_spaces(raw_line)
        if not folded:
            continue
        if number - 1 in tables:  # a table printed one cell per line: its rows as sentences, before furniture
            if tables[number - 1]:  # reads its figures as page numbers
                lines.append(Line(tables[number - 1], number, "body"))
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
