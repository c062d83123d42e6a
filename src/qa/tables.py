"""Tables in a report's text, read back one sentence per row, each cell after its column's words.

Four shapes, one reading of a cell: a Markdown table ("| 地区生产总值（亿元） | 1,826.4 | 6.2% |"), a table a PDF
converter printed one cell per line, a table printed with its columns aligned by runs of spaces (an OCR'd 附表), and
one whose cells are separated by tabs (a Word file or a spreadsheet saved as text). A figure takes the unit its
column, its row's name or the unit column gives, after its digits; a fall printed as a negative figure under a growth
column (比上年增长(%) | -1.8) is worded as one (比上年下降1.8%), so no reader takes it for a rise. The words are data (genre.json "flat_table", "markup").
"""

from __future__ import annotations

import math
import re
import unicodedata

from qa.clean import GENRE, ends_sentence, fold_spaces, furniture_reason
from qa.numbers import SUFFIX_QUALIFIERS, UNITS, YEAR_DIGITS, find_numbers

FLAT = GENRE["flat_table"]
_CELL_UNIT = re.compile(GENRE["markup"]["cell_unit"])
_YEAR_OPENS = re.compile(rf"^({YEAR_DIGITS}年)(.*)$")  # 2018年, 2021年完成, 2022年目标: a year's column
_FIGURE = re.compile(r"^(.*\d)(\D*)$")
_MINUS = re.compile(r"^\s*[-－−–]\s*(?=\d)")
_GROWTH_HEAD = re.compile(r"增长|增速|增幅")
_CHANGE_HEAD = re.compile("|".join(map(re.escape, FLAT["change_heads"])))
FALL_WORD = "下降"
_CELL_GAP = re.compile(r"(?: {2,}|\t+)")
_BARE_RATE = re.compile(r"(?<=[\u4e00-\u9fff])([%％‰])$")  # 比上年增长%: a rate head's unit without brackets


def cell_words(column: str, cell: str, unit: str | None) -> str:
    """One cell after its column's words, the unit after the figure's digits ("比上年增长" | "7.2" | % reads
    "比上年增长7.2%"; a qualifier printed after the figure stays after the unit: 6左右 → 6%左右); a negative
    figure under a growth column is a fall (比上年下降1.8%)."""
    figure = _FIGURE.match(cell)
    if figure and _MINUS.match(cell) and _GROWTH_HEAD.search(column):
        column = _GROWTH_HEAD.sub(FALL_WORD, column)
        figure = _FIGURE.match(_MINUS.sub("", cell))
    if not figure:
        return f"{column}{cell}"
    return f"{column}{figure.group(1)}{unit or ''}{figure.group(2)}"


def own_unit(column: str) -> tuple[str, str | None]:
    """A head without the unit it gives, in brackets or bare at its end, and that unit: "比上年增长(%)" and
    "比上年增长%" -> ("比上年增长", "%")."""
    found = _CELL_UNIT.search(column) or _BARE_RATE.search(column)
    return (column[: found.start()], found.group(1)) if found else (column, None)


def markdown_row(header: list[str], cells: list[str]) -> str:
    """"| 地区生产总值（亿元） | 1,826.4 | 6.2% |" under "| 指标 | 2019年 | 增长 |" reads
    "2019年地区生产总值1,826.4亿元，增长6.2%。" (`row_sentences`): the unit the name gives goes to every figure
    that is not a change."""
    name, unit = own_unit(cells[0] if cells else "")
    heads = [header[n] if n < len(header) else "" for n in range(1, len(cells))]
    return row_sentences(name, unit, list(zip(heads, cells[1:])))


def row_sentences(name: str, unit: str | None, cells: list[tuple[str, str]]) -> str:
    """A table's row as sentences, each cell after its column's words, its unit after its digits: a cell under a
    year's head (2018年, 2021年完成, 2022年目标) opens a sentence of its own, that year and what its figures are
    first ("2021年完成：地区生产总值1,086.7亿元。2022年目标：地区生产总值增长7%左右。"), so each figure stands in the sentence of its year, and the
    cells after it (比上年增长, 年度目标) follow in that sentence; an empty year cell still opens its year. A figure
    without its own unit takes the row's (its name's or the unit column's), but a change (增长) takes none. A remark
    naming a part (市本级) stands after the name, one that is a qualifier (以上) after the figure before it."""
    for column, cell in cells:
        if column in FLAT["remark_heads"] and cell and cell not in SUFFIX_QUALIFIERS and cell not in FLAT["empty_cells"]:
            name += f"（{cell}）"
    sentences: list[str] = []
    opening, parts, level, rate = name, [], None, None
    for column, cell in cells:
        year = _YEAR_OPENS.match(column)
        if year:
            if parts:
                sentences.append(opening + "，".join(parts) + "。")
            said = year.group(2).strip()  # 完成, 目标: what the column's figures are, said before the name
            opening, parts, column, level, rate = year.group(1) + (f"{said}：" if said else "") + name, [], "", None, None
        if not cell or cell in FLAT["empty_cells"]:
            continue
        if column in FLAT["remark_heads"]:
            if cell in SUFFIX_QUALIFIERS and parts:
                parts[-1] += cell
            continue
        column, own = own_unit(column)
        change = bool(_CHANGE_HEAD.search(column))
        given = own or (None if change else unit)
        value = _value(cell)
        if column in FLAT["target_heads"] and not own and value is not None and rate is not None \
                and _nearer(value, rate[0], level):
            given = rate[1]  # 进出口 112.6亿美元, −2.1%, 年度目标 8: the rate's target (8%), not 8亿美元
        parts.append(cell_words(column, cell, given if _wants_unit(cell) else None))
        if value is not None:
            if change and given:
                rate = (value, given)
            elif not change and level is None:
                level = value
    if parts:
        sentences.append(opening + "，".join(parts) + "。")
    return "".join(sentences) or name


def _value(cell: str) -> float | None:
    found = find_numbers(cell)
    return found[0][2] if found else None


def _nearer(value: float, rate: float, level: float | None) -> bool:
    """A target cell is of the row's rate rather than its level when its size is nearer the rate's (8 beside −2.1%
    and 112.6亿美元; 220 beside 28.6% and 236.8亿元 is the level's)."""
    if level is None:
        return True
    far = lambda a, b: abs(math.log((abs(a) or 1e-9) / (abs(b) or 1e-9)))  # noqa: E731
    return far(value, rate) < far(value, level)


def _wants_unit(cell: str) -> bool:
    """Whether a cell's figure is printed without its unit (7.2, 7左右, 12,000以上; not 6.2% or 88.4亿元)."""
    figure = _FIGURE.match(cell)
    return bool(figure) and (not figure.group(2).strip() or figure.group(2).strip() in SUFFIX_QUALIFIERS)


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
        out[at[n]] = _unit_column_row(heads, row)
        n = m


def spaced_tables(raw_lines: list[str], footers: set[int]) -> dict[int, str]:
    """A table printed with its columns aligned by runs of spaces (a plain-text or OCR'd 附表), read back one
    sentence per row like a flat table: line index -> the row's sentence, "" on its head line. The head line's
    first cell is a first column's head (指标名称) and one of its heads a unit column (单位), in any place; a row's
    cells go to the heads they stand under (by display width: a CJK character is two columns wide), so an empty
    cell shifts nothing. Blank lines, page furniture and running heads (`footers`, 1-based) inside the table are
    passed over; any other line ends it."""
    out: dict[int, str] = {}
    n = 0
    while n < len(raw_lines):
        cells_of = _tab_cells if "\t" in raw_lines[n] else _spaced_cells  # a Word or spreadsheet table: by tabs
        heads = cells_of(raw_lines[n])
        names = [h for _, h in heads]
        if (len(heads) < 3 or names[0] not in FLAT["first_heads"]
                or not any(h in FLAT["unit_heads"] for h in names)):
            n += 1
            continue
        unit_at = next(i for i, h in enumerate(names) if h in FLAT["unit_heads"])
        order = [0, unit_at] + [i for i in range(1, len(heads)) if i != unit_at]
        read: dict[int, str] = {}
        m = n + 1
        while m < len(raw_lines):
            folded = fold_spaces(raw_lines[m])
            if not folded or furniture_reason(folded) or m + 1 in footers:
                m += 1
                continue
            cells = _under_heads(cells_of(raw_lines[m]), heads)
            if cells is None or not _is_unit(cells[unit_at]):
                break
            read[m] = _unit_column_row([names[i] for i in order], [cells[i] for i in order])
            m += 1
        if read:
            out[n] = ""
            out.update(read)
        n = m if read else n + 1
    return out


def _tab_cells(line: str) -> list[tuple[int, str]]:
    """(field number, text) of each cell of a line whose cells are separated by one tab each (a table copied from a
    Word file or a spreadsheet: an empty cell is an empty field, so no cell moves to another column)."""
    return [(i, cell.strip()) for i, cell in enumerate(line.rstrip("\r\n").split("\t")) if cell.strip()]


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


def _unit_column_row(heads: list[str], row: list[str]) -> str:
    """"地区生产总值 / 亿元 / 2368.4 / 7.2" under "指标 / 单位 / 2018年 / 比上年增长（%）" reads
    "2018年地区生产总值2368.4亿元，比上年增长7.2%。" (`row_sentences`)."""
    return row_sentences(row[0], row[1], list(zip(heads[2:], row[2:])))
