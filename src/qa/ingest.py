"""From a report file to a Document: cleaned text, section tree, passages and sentences.

The section tree has the title block, the numbered headings of any depth
(第一部分 / 一、 / （一） / 1. / （1）, standalone or opening a paragraph inline), the
topic leads a report sets in bold to open a theme ("经济运行平稳增长。", only where the
layout shows them), the items of an enumeration ("一是…。二是…。") and the lines of a
"——" result list, each item a section headed by its lead. Numbered lines that read as
list items ("1. 地区生产总值增长6%左右；") stay text inside their section.
Passages are chunked by section: a topic or a paragraph, split further at sentence
boundaries when long, never across a section boundary. Each passage's period comes from
its numbered headings and the report's profile (qa.profile).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from qa.clean import GENRE, Line, decode, logical_lines
from qa.errors import CorpusError
from qa.models import Document, DocMeta, DocProfile, Dropped, Passage, Section, Sentence
from qa.profile import HEAD_LINES, build_profile, opener_period, period_of_heading, reviews_plan_under_way

TITLE_BLOCK = "卷首"
CLOSING_BLOCK = "落款"
PARAGRAPH_SEP = "\n\n"

MAX_PASSAGE_CHARS = 300  # split a topic or paragraph longer than this …
TARGET_PASSAGE_CHARS = 220  # … into pieces of about this size

SHORT_LEAD = re.compile(GENRE["topic_lead"]["pattern"])
NEVER_IN_LEAD = tuple(GENRE["topic_lead"]["never_in_lead"])
MAX_SUMMARY_LEAD_CHARS = GENRE["topic_lead"]["max_summary_lead_chars"]

ADDRESS = re.compile(GENRE["address"])
ITEM = re.compile(GENRE["item_marker"])  # "一是…": an inline item of an enumeration
ITEM_INTRO_SPLIT = re.compile(GENRE["item_intro_split"])  # "…以下工作：一是…"
DASH = re.compile(GENRE["dash_marker"])  # "——经济实力迈上新台阶。…": a dash-led result line
MAX_ITEM_TITLE_CHARS = GENRE["max_item_title_chars"]
_CN_ORDINAL = "一二三四五六七八九十"

_SENTENCE = re.compile(r"(?:[^。！？!?.．]|(?<![\u4e00-\u9fff])[.．]|[.．](?![\u4e00-\u9fff]))*"
                       r"(?:(?:[。！？!?]|(?<=[\u4e00-\u9fff])[.．](?=[\u4e00-\u9fff]))+[”’」』）)]*|$)")
# an OCR'd full stop read as "." between two CJK characters (停电38天.灾后) ends a sentence too; a decimal never does


def split_sentences(text: str, offset: int = 0) -> list[Sentence]:
    """Sentences ending in 。！？ (with any closing quote) or in a "." between two CJK characters (an OCR'd 。),
    spans shifted by `offset`."""
    out = []
    for match in _SENTENCE.finditer(text):
        piece = match.group(0)
        if not piece.strip():
            continue
        lead = len(piece) - len(piece.lstrip())
        body = piece.strip()
        start = offset + match.start() + lead
        out.append(Sentence(text=body, start=start, end=start + len(body)))
    return out


def is_short_lead(sentence: str) -> bool:
    """Shaped like a topic lead ("经济运行平稳增长。"): short, one clause, no narrating words."""
    return bool(SHORT_LEAD.match(sentence)) and not any(w in sentence for w in NEVER_IN_LEAD)


def item_number(sentence: str) -> int | None:
    """1 for "一是…", 10 for "十是…"; None when the sentence opens no item."""
    found = ITEM.match(sentence)
    if not found:
        return None
    word = found.group(0)[:-1]
    if word == "十":
        return 10
    if len(word) == 1:
        return _CN_ORDINAL.index(word) + 1
    if word.startswith("十"):
        return 10 + _CN_ORDINAL.index(word[1]) + 1
    return None


def item_title(sentence: str) -> str:
    """An item's heading: its first sentence when short, else its first clause."""
    body = DASH.sub("", sentence).strip()
    title = body.rstrip("。！？!?；;：:")
    if len(title) > MAX_ITEM_TITLE_CHARS:
        title = re.split(r"[，；;：:]|,(?!\d{3})", title, maxsplit=1)[0]  # 1,826.4: a thousands separator
    return title[:MAX_ITEM_TITLE_CHARS * 2]


def split_item_intros(sentences: list[Sentence]) -> list[Sentence]:
    """Cut "…以下工作：一是…。" after the colon when the enumeration goes on at sentence level
    ("二是…" opens a later sentence), so that every item starts a sentence."""
    numbers = [item_number(s.text) for s in sentences]
    out: list[Sentence] = []
    for i, sentence in enumerate(sentences):
        cut = ITEM_INTRO_SPLIT.search(sentence.text)
        if cut and 2 in numbers[i + 1 :] and item_number(sentence.text[cut.end() :]) == 1:
            head, tail = sentence.text[: cut.end()], sentence.text[cut.end() :]
            out.append(Sentence(text=head, start=sentence.start, end=sentence.start + len(head)))
            out.append(Sentence(text=tail, start=sentence.start + len(head), end=sentence.end))
        else:
            out.append(sentence)
    return out


def lead_title(sentence: str) -> str:
    return sentence.rstrip("。").strip()


@dataclass
class _Segment:
    """A run of sentences under one section path, before the size split."""

    path: tuple[str, ...]
    sentences: list[Sentence] = field(default_factory=list)
    prefix_start: int | None = None  # a standalone heading line glued in front
    headings: tuple[str, ...] = ()  # the numbered headings of `path` (no leads or items): they give the period


def _topic_starts(sentences: list[Sentence], continuing: bool = False, opening_ok: bool = True) -> dict[int, int]:
    """Index of sentence -> lead depth (1 = opens the paragraph's theme, 2 = a sub-theme).

    `continuing`: the paragraph carries on a theme opened earlier, so a lead inside it
    is a sub-theme of that one. `opening_ok`: the layout around shows paragraph leads (other
    paragraphs under the same heading open with one); else a short opening sentence is a lead
    only when more leads follow inside its paragraph.
    """
    starts: dict[int, int] = {}
    if not sentences:
        return starts

    def lead(i: int) -> bool:
        # a lead opens what follows it: never the last sentence of its paragraph, never an item
        return i + 1 < len(sentences) and is_short_lead(sentences[i].text) and item_number(sentences[i].text) is None

    first = sentences[0].text
    inner = [i for i in range(1, len(sentences)) if lead(i)]
    if lead(0) and (opening_ok or inner):
        starts[0] = 1
    elif len(sentences) > 2 and lead(1) and len(first) <= MAX_SUMMARY_LEAD_CHARS and item_number(first) is None:
        starts[0] = 1
    # inside a paragraph, short sentences are leads only when the layout shows leads here:
    # the paragraph opened with one, a theme opened by leads goes on, or several follow each other
    if 0 in starts or continuing or len(inner) >= 2:
        for i in inner:
            starts[i] = 2 if 0 in starts or continuing else 1
    return starts


def _line_sentences(lines: list[Line], spans: list[tuple[int, int]]) -> list[list[Sentence]]:
    out = []
    for line, (start, _end) in zip(lines, spans):
        if line.kind == "heading":
            out.append([])
        else:
            out.append(split_item_intros(split_sentences(line.text, start)))
    return out


def _accepted_items(lines: list[Line], per_line: list[list[Sentence]]) -> set[tuple[int, int]]:
    """(line, sentence) of every "一是/二是…" that is part of an enumeration run.

    A run is 一是, 二是, … opening sentences in order under one heading; a lone "一是" or a
    "三是" with no "二是" before it is ordinary text.
    """
    accepted: set[tuple[int, int]] = set()
    run: list[tuple[int, int, int]] = []  # (number, line, sentence)

    def is_list(items: list[tuple[int, int, int]]) -> bool:
        # items of one paragraph that are one sentence each are a list of statements: they stay
        # one passage (a question about them wants them all), as numbered list lines do
        lines_of = {li for _, li, _ in items}
        if len(lines_of) != 1:
            return False
        positions = [si for _, _, si in items]  # (what follows the last item may be the paragraph's close)
        return all(b - a == 1 for a, b in zip(positions, positions[1:]))

    def close() -> None:
        numbers = [n for n, _, _ in run]
        good = 0  # the longest prefix that counts 1, 2, 3 …
        while good < len(numbers) and numbers[good] == good + 1:
            good += 1
        if good >= 2 and not is_list(run[:good]):
            accepted.update((li, si) for _, li, si in run[:good])
        run.clear()

    for li, (line, sentences) in enumerate(zip(lines, per_line)):
        if line.kind == "heading" or (line.level is not None and line.heading_end):
            close()
        for si, sentence in enumerate(sentences):
            n = item_number(sentence.text)
            if n is None:
                continue
            if n == 1:
                close()
            run.append((n, li, si))
    close()
    return accepted


def _rejoin_unused_intros(
    per_line: list[list[Sentence]], items: set[tuple[int, int]]
) -> tuple[list[list[Sentence]], set[tuple[int, int]]]:
    """Glue back "…问题：" + "一是…" where the items stay a list: the report's sentence is kept whole."""
    out_lines, out_items = [], set()
    for li, sentences in enumerate(per_line):
        kept: list[Sentence] = []
        moved = 0
        for si, sentence in enumerate(sentences):
            previous = kept[-1] if kept else None
            if (
                previous is not None
                and previous.end == sentence.start
                and ITEM_INTRO_SPLIT.search(previous.text[-1:] + sentence.text[:3])
                and (li, si) not in items
            ):
                kept[-1] = Sentence(text=previous.text + sentence.text, start=previous.start, end=sentence.end)
                moved += 1
                continue
            if (li, si) in items:
                out_items.add((li, si - moved))
            kept.append(sentence)
        out_lines.append(kept)
    return out_lines, out_items


def _dash_lines(lines: list[Line]) -> set[int]:
    """Indexes of "——" lines that stand in a list of at least two after the first heading."""
    first_heading = next((i for i, line in enumerate(lines) if line.kind == "heading"), len(lines))
    dashed = [i > first_heading and line.kind != "heading" and bool(DASH.match(line.text))
              for i, line in enumerate(lines)]
    return {
        i for i, d in enumerate(dashed)
        if d and ((i > 0 and dashed[i - 1]) or (i + 1 < len(dashed) and dashed[i + 1]))
    }


def _segments(lines: list[Line], spans: list[tuple[int, int]]) -> list[_Segment]:
    """Walk the logical lines keeping a heading stack and a topic stack; cut segments."""
    headings: list[tuple[int, str]] = []  # (level, title)
    topics: list[str] = []
    item_depth: int | None = None  # index in `topics` where the current enumeration's items sit
    segments: list[_Segment] = []
    pending_heading: int | None = None  # start of a standalone heading not yet in a passage
    seen_heading = False
    last_body = max((i for i, line in enumerate(lines) if line.kind != "short"), default=-1)
    per_line = _line_sentences(lines, spans)
    items = _accepted_items(lines, per_line)
    per_line, items = _rejoin_unused_intros(per_line, items)
    lead_blocks = _paragraph_lead_blocks(lines, per_line)
    dashes = _dash_lines(lines)
    # does the enumeration go on below this line (before the next heading)?
    # (an item "一是" starts a new enumeration: the one before is over)
    first_item = {li: min(si for lj, si in items if lj == li) for li, _ in items}
    items_ahead: list[bool] = [False] * len(lines)
    ahead = False
    for i in range(len(lines) - 1, -1, -1):
        items_ahead[i] = ahead
        if lines[i].kind == "heading" or lines[i].heading_end:
            ahead = False
        if i in dashes:
            ahead = True
        elif i in first_item:
            ahead = item_number(per_line[i][first_item[i]].text) != 1

    def path() -> tuple[str, ...]:
        if not seen_heading:
            return (TITLE_BLOCK,)
        return tuple(title for _, title in headings) + tuple(topics)

    def heading_titles() -> tuple[str, ...]:
        return tuple(title for level, title in headings if title != CLOSING_BLOCK) if seen_heading else ()

    def open_heading(level: int, title: str) -> None:
        nonlocal seen_heading, item_depth
        headings[:] = [h for h in headings if h[0] < level] + [(level, title)]
        topics.clear()
        item_depth = None
        seen_heading = True

    def open_item(title: str) -> None:
        nonlocal item_depth
        if item_depth is None or item_depth > len(topics):
            item_depth = len(topics)
        topics[:] = topics[:item_depth] + [title]

    for index, (line, (start, _end)) in enumerate(zip(lines, spans)):
        if line.kind == "heading":
            open_heading(line.level, line.text.rstrip("。"))
            if pending_heading is None:
                pending_heading = start
            continue
        if line.kind == "short" and seen_heading and index > last_body:
            headings[:] = [(0, CLOSING_BLOCK)]
            topics.clear()
            item_depth = None
        sentences = per_line[index]
        item_at = {si for li, si in items if li == index}
        head = pending_heading
        if line.level is not None and line.heading_end:
            open_heading(line.level, line.text[: line.heading_end])
            sentences = sentences[1:]  # the inline heading is glued back as the segment's prefix
            item_at = {si - 1 for si in item_at if si > 0}
            head = start if head is None else head
        pending_heading = None
        if ADDRESS.match(line.text) and line.heading_end == 0:
            # "各位代表，…" turns to the whole audience: it closes subsections, themes and items
            headings[:] = [h for h in headings if h[0] <= 1]
            topics.clear()
            item_depth = None
        if line.kind == "list":
            starts: dict[int, int] = {}  # a numbered list line stays inside its section
        else:
            in_items = item_depth is not None and items_ahead[index]
            if item_depth is not None and not in_items and not _inside_numbered(headings):
                topics[:] = topics[:item_depth]  # the enumeration is over: back to its parent
                item_depth = None
            continuing = bool(topics) and (_inside_numbered(headings) or in_items)
            opening_ok = lead_blocks[index]
            starts = _topic_starts(
                sentences, continuing and not _opens_with_lead(sentences, opening_ok), opening_ok
            )
            starts = {i: d for i, d in starts.items() if i not in item_at}
            if index in dashes or 0 in item_at:
                pass  # an item or dash line opens its own section below
            elif not continuing and 0 not in starts:
                topics.clear()
                item_depth = None
        current: _Segment | None = None
        for i, sentence in enumerate(sentences):
            depth = starts.get(i)
            if i == 0 and index in dashes:
                open_item(item_title(sentence.text))
                current = None
            elif i in item_at:
                open_item(item_title(sentence.text))
                current = None
            elif depth is not None:
                topics[:] = topics[: depth - 1] + [lead_title(sentence.text)]
                item_depth = None
                current = None
            if current is None:
                current = _Segment(path(), prefix_start=head, headings=heading_titles())
                head = None
                segments.append(current)
            current.sentences.append(sentence)
    return _merge_same_path(segments)


def _merge_same_path(segments: list[_Segment]) -> list[_Segment]:
    """Consecutive paragraphs under one heading path form one topic (split again if long)."""
    merged: list[_Segment] = []
    for segment in segments:
        previous = merged[-1] if merged else None
        if previous and previous.path == segment.path and segment.prefix_start is None:
            previous.sentences.extend(segment.sentences)
        elif previous and _is_bare_lead(previous, segment):
            # a theme's opening sentence alone is no passage: it heads its first sub-theme
            segment.sentences[:0] = previous.sentences
            segment.prefix_start = previous.prefix_start
            merged[-1] = segment
        else:
            merged.append(segment)
    return merged


def _is_bare_lead(previous: _Segment, segment: _Segment) -> bool:
    depth = len(previous.path)
    return (
        len(previous.sentences) == 1
        and lead_title(previous.sentences[0].text) == previous.path[-1]
        and len(segment.path) > depth
        and segment.path[:depth] == previous.path
        and segment.prefix_start is None
    )


def _opens_with_lead(sentences: list[Sentence], opening_ok: bool = True) -> bool:
    return 0 in _topic_starts(sentences, opening_ok=opening_ok)


def _paragraph_lead_blocks(lines: list[Line], per_line: list[list[Sentence]]) -> list[bool]:
    """For each line: do at least two paragraphs under its heading open with a lead-shaped sentence?
    (A report that sets leads in bold does so for every theme of a section, never for one alone.)"""
    blocks: list[int] = []
    block = 0
    counts: dict[int, int] = {}
    for line, sentences in zip(lines, per_line):
        if line.kind == "heading" or line.heading_end:
            block += 1
        blocks.append(block)
        body = sentences[1:] if line.heading_end else sentences
        if (line.kind == "body" and len(body) > 1 and is_short_lead(body[0].text)
                and item_number(body[0].text) is None):
            counts[block] = counts.get(block, 0) + 1
    return [counts.get(b, 0) >= 2 for b in blocks]


def _inside_numbered(headings: list[tuple[int, str]]) -> bool:
    """Inside a numbered subsection, a paragraph without a lead continues the current topic."""
    return any(level >= 2 for level, _ in headings)


def _split_long(sentences: list[Sentence]) -> list[list[Sentence]]:
    total = sentences[-1].end - sentences[0].start
    if total <= MAX_PASSAGE_CHARS or len(sentences) == 1:
        return [sentences]
    pieces = max(2, round(total / TARGET_PASSAGE_CHARS))
    target = total / pieces
    groups: list[list[Sentence]] = [[]]
    origin = sentences[0].start
    for sentence in sentences:
        group = groups[-1]
        if group and sentence.end - origin > target * len(groups) and len(groups) < pieces:
            groups.append([sentence])
        else:
            group.append(sentence)
    return [g for g in groups if g]


def section_period(headings: tuple[str, ...], review_year: int | None, plan_year: int | None) -> int | None:
    """The year a section speaks of, from its numbered headings and the report's profile.

    A heading's own year wins ("一、2017年工作回顾"), then a five-year plan it names (its last
    year); else a review heading means the profile's review year, a plan heading its plan year;
    else the parent's. A heading of the review naming the five-year plan under way ("（七）“十一五”前三年
    主要目标进展顺利" in a review of 2008) speaks of its progress, so the review's year stays. Leads and
    items are no headings here: their words ("…目标…") say nothing of the period.
    """
    period = None
    for heading in headings:
        found = period_of_heading(heading, review_year, plan_year)
        if found is not None and not (period is not None and period == review_year
                                      and reviews_plan_under_way(heading, review_year)):
            period = found
    return period


def _runs_by_opener(sentences: list[Sentence], review_year: int | None,
                    plan_year: int | None) -> list[tuple[int | None, list[Sentence]]]:
    """A section whose headings say no year (a report by sector): its sentences in runs of one period, a run
    starting at each sentence that opens with a year word of another period than the run before (去年…。今年…);
    the sentences before the first such word go with the first run."""
    runs: list[tuple[int | None, list[Sentence]]] = []
    for sentence in (piece for whole in sentences for piece in _opened_clauses(whole, review_year, plan_year)):
        found = opener_period(sentence.text, review_year, plan_year)
        if runs and (found is None or found == runs[-1][0]):
            runs[-1][1].append(sentence)
        elif runs and runs[-1][0] is None:
            runs[-1] = (found, runs[-1][1] + [sentence])
        else:
            runs.append((found, [sentence]))
    return runs or [(None, sentences)]


def _opened_clauses(sentence: Sentence, review_year: int | None, plan_year: int | None) -> list[Sentence]:
    """A sentence cut before each clause that opens with a year word of another period than the sentence's
    (去年新增市场主体4862户，今年力争新增5000户以上: two pieces, one per year)."""
    pieces, start = [], 0
    current = opener_period(sentence.text, review_year, plan_year)
    for m in _CLAUSE_BREAK.finditer(sentence.text):
        found = opener_period(sentence.text[m.end():], review_year, plan_year)
        if found is not None and found != current:
            pieces.append((start, m.end()))
            start, current = m.end(), found
    pieces.append((start, len(sentence.text)))
    return [Sentence(text=sentence.text[a:b], start=sentence.start + a, end=sentence.start + b) for a, b in pieces]


_CLAUSE_BREAK = re.compile(r"[，,；;]")


def build_passages(doc_id: str, text: str, segments: list[_Segment], profile: DocProfile | None = None,
                   tables: dict[tuple[int, int], str] | None = None) -> list[Passage]:
    """The passages of each segment; a sentence read from a table's row (`tables`: its span in `text` -> the row as
    printed) keeps the printed row and, when it opens with another year than its section's, that year."""
    tables = tables or {}
    review_year = profile.review_year if profile else None
    plan_year = profile.plan_year if profile else None
    passages: list[Passage] = []
    for segment in segments:
        period = section_period(segment.headings, review_year, plan_year)
        runs = [(period, segment.sentences)] if period is not None else _runs_by_opener(segment.sentences, review_year,
                                                                                         plan_year)
        groups = [(when, group) for when, sentences in runs for group in _split_long(sentences)]
        for n, (when, group) in enumerate(groups):
            start = group[0].start
            if n == 0 and segment.prefix_start is not None:
                start = segment.prefix_start
            end = group[-1].end
            sentences = list(group)
            if start < group[0].start:
                sentences = split_sentences(text[start : group[0].start].rstrip(), start) + sentences
            sentences = [_table_row(s, when, tables, review_year, plan_year) for s in sentences]
            passages.append(
                Passage(
                    id=f"{doc_id}:{len(passages) + 1:04d}",
                    doc_id=doc_id,
                    section_path=segment.path,
                    text=text[start:end],
                    start=start,
                    end=end,
                    sentences=tuple(sentences),
                    period=when,
                )
            )
    return passages


def _table_row(sentence: Sentence, period: int | None, tables: dict[tuple[int, int], str],
               review_year: int | None, plan_year: int | None) -> Sentence:
    """A sentence read from a table's row keeps the row as printed; when it opens with another year than its
    section's (a 2021年完成 column in a table under the 2022 plan: qa.tables) it is of that year."""
    printed = next((row for (a, b), row in tables.items() if a <= sentence.start < b), None)
    if printed is None:
        return sentence
    year = opener_period(sentence.text, review_year, plan_year)
    return sentence.model_copy(update={"printed": printed, "period": year if year is not None and year != period else None})


def build_sections(passages: list[Passage]) -> list[Section]:
    """The tree of heading paths, in report order, with the passages of each node."""

    @dataclass
    class Node:
        title: str
        path: tuple[str, ...]
        start: int
        end: int
        passage_ids: list[str] = field(default_factory=list)
        children: dict[str, "Node"] = field(default_factory=dict)

    root = Node("", (), 0, 0)
    for passage in passages:
        node = root
        for depth in range(1, len(passage.section_path) + 1):
            title = passage.section_path[depth - 1]
            child = node.children.get(title)
            if child is None:
                child = Node(title, passage.section_path[:depth], passage.start, passage.end)
                node.children[title] = child
            child.end = max(child.end, passage.end)
            node = child
        node.passage_ids.append(passage.id)

    def freeze(node: Node, level: int) -> Section:
        return Section(
            title=node.title,
            level=level,
            path=node.path,
            start=node.start,
            end=node.end,
            passage_ids=tuple(node.passage_ids),
            children=tuple(freeze(c, level + 1) for c in node.children.values()),
        )

    return [freeze(child, 1) for child in root.children.values()]


def read_declared(path: Path) -> dict:
    """What `<stem>.meta.json` declares (empty without one)."""
    meta_path = path.with_name(path.stem + ".meta.json")
    if not meta_path.exists():
        return {}
    try:
        declared = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CorpusError(f"{meta_path.name}: unreadable metadata ({exc})") from exc
    if not isinstance(declared, dict):
        raise CorpusError(f"{meta_path.name}: invalid metadata (a JSON object is expected)")
    try:
        DocMeta(**declared)
        if declared.get("level") is not None:
            DocProfile(level=declared["level"])  # one of the levels a profile knows
    except ValueError as exc:
        raise CorpusError(f"{meta_path.name}: invalid metadata ({exc})") from exc
    return declared


def read_meta(path: Path, lines: list[Line], declared: dict | None = None) -> DocMeta:
    """Declared metadata (`<stem>.meta.json`) wins; missing fields are read from the head."""
    declared = read_declared(path) if declared is None else declared
    head = "\n".join(line.text for line in lines[:HEAD_LINES])
    inferred: dict = {}
    date = re.search(r"(\d{4})年(\d{1,2})月(\d{1,2})日", head)
    if date:
        y, m, d = (int(g) for g in date.groups())
        inferred["year"], inferred["date"] = y, f"{y:04d}-{m:02d}-{d:02d}"
    region = re.search(r"在([\u4e00-\u9fff]{2,8}?[省市区县州旗])第", head)
    if region:
        inferred["region"] = region.group(1)
    speaker = re.search(r"(?:省|市|区|县|州|旗)长\s*([\u4e00-\u9fff]{2,4})$", head, re.M)
    if speaker:
        inferred["speaker"] = speaker.group(1)
    title = next((line.text for line in lines[:8] if line.text.endswith("工作报告")), None)
    if title:
        inferred["title"] = title
    try:
        return DocMeta(**{**inferred, **declared})
    except ValueError as exc:
        raise CorpusError(f"{path.stem}.meta.json: invalid metadata ({exc})") from exc


def parse(raw: bytes, path: Path, doc_id: str | None = None) -> Document:
    text, encoding = decode(raw, path.name)
    lines, dropped = logical_lines(text)
    if not lines:
        raise CorpusError(f"{path.name}: no text")
    doc_id = doc_id or path.stem
    pieces, spans, cursor = [], [], 0
    for line in lines:
        if pieces:
            cursor += len(PARAGRAPH_SEP)
        spans.append((cursor, cursor + len(line.text)))
        pieces.append(line.text)
        cursor += len(line.text)
    cleaned = PARAGRAPH_SEP.join(pieces)
    declared = read_declared(path)
    meta = read_meta(path, lines, declared)
    segments = _segments(lines, spans)
    profile = build_profile(
        DocMeta(**declared),
        [line.text for line in lines[:HEAD_LINES]],
        [line.text if line.kind == "heading" else line.text[: line.heading_end]
         for line in lines if line.kind == "heading" or line.heading_end],
        cleaned,
        [s.text for segment in segments for s in segment.sentences],
    )
    # a report without a date line still gets its year and region from the profile
    filled = {k: v for k, v in (("year", profile.plan_year), ("region", profile.region)) if getattr(meta, k) is None}
    if "region" not in declared and profile.region:
        filled["region"] = profile.region  # one reading of the head: the unit itself, not "X市Y区"
    if filled:
        meta = meta.model_copy(update=filled)
    tables = {span: line.printed for line, span in zip(lines, spans) if line.table}
    passages = build_passages(doc_id, cleaned, segments, profile, tables)
    return Document(
        doc_id=doc_id,
        path=str(path),
        sha256=hashlib.sha256(raw).hexdigest(),
        encoding=encoding,
        meta=meta,
        profile=profile,
        text=cleaned,
        sections=tuple(build_sections(passages)),
        passages=tuple(passages),
        dropped=tuple(Dropped(text=t, line=n, reason=r) for t, n, r in dropped),
        tables=tuple(tables),
    )


def load_document(path: Path) -> Document:
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise CorpusError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    return parse(raw, Path(path))


def corpus_files(corpus_dir: Path) -> list[Path]:
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.is_dir():
        raise CorpusError(f"no corpus folder at {corpus_dir}; create it and put a report .txt in it")
    files = sorted(corpus_dir.glob("*.txt"))
    if not files:
        raise CorpusError(f"no report (.txt) in {corpus_dir}")
    return files


def load_corpus(corpus_dir: Path) -> list[Document]:
    """Every report in the corpus folder, in file-name order."""
    return [load_document(path) for path in corpus_files(corpus_dir)]


def corpus_hash(corpus_dir: Path) -> str:
    """Hash of every report and its metadata: the index is stale when this changes."""
    digest = hashlib.sha256()
    for path in corpus_files(corpus_dir):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
        meta = path.with_name(path.stem + ".meta.json")
        if meta.exists():
            digest.update(meta.read_bytes())
    return digest.hexdigest()
