"""From a report file to a Document: cleaned text, section tree, passages and sentences.

The section tree has the title block, the numbered headings of any depth
(一、 / （一） / 1. / （1）, standalone or opening a paragraph inline), and the
topic leads a report uses inside paragraphs to open a theme ("经济运行平稳增长。").
Passages are chunked by section: a topic or a paragraph, split further at sentence
boundaries when long, never across a section boundary.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from qa.clean import Line, decode, logical_lines
from qa.errors import CorpusError
from qa.models import Document, DocMeta, Dropped, Passage, Section, Sentence

TITLE_BLOCK = "卷首"
CLOSING_BLOCK = "落款"
PARAGRAPH_SEP = "\n\n"

MAX_PASSAGE_CHARS = 300  # split a topic or paragraph longer than this …
TARGET_PASSAGE_CHARS = 220  # … into pieces of about this size

SHORT_LEAD = re.compile(r"^[\u4e00-\u9fff]{4,12}。$")
MAX_SUMMARY_LEAD_CHARS = 32

ADDRESS = re.compile(r"^各位(代表|委员)[，,！!：:]")

_SENTENCE = re.compile(r"[^。！？!?]*(?:[。！？!?]+[”’」』）)]*|$)")


def split_sentences(text: str, offset: int = 0) -> list[Sentence]:
    """Sentences ending in 。！？ (with any closing quote), spans shifted by `offset`."""
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
    return bool(SHORT_LEAD.match(sentence))


def lead_title(sentence: str) -> str:
    return sentence.rstrip("。").strip()


@dataclass
class _Segment:
    """A run of sentences under one section path, before the size split."""

    path: tuple[str, ...]
    sentences: list[Sentence] = field(default_factory=list)
    prefix_start: int | None = None  # a standalone heading line glued in front


def _topic_starts(sentences: list[Sentence], continuing: bool = False) -> dict[int, int]:
    """Index of sentence -> lead depth (1 = opens the paragraph's theme, 2 = a sub-theme).

    `continuing`: the paragraph carries on a theme opened earlier, so a lead inside it
    is a sub-theme of that one.
    """
    starts: dict[int, int] = {}
    if not sentences:
        return starts
    first = sentences[0].text
    second_is_short = len(sentences) > 1 and is_short_lead(sentences[1].text)
    if is_short_lead(first):
        starts[0] = 1
    elif second_is_short and len(first) <= MAX_SUMMARY_LEAD_CHARS:
        starts[0] = 1
    for i, sentence in enumerate(sentences[1:], start=1):
        if is_short_lead(sentence.text):
            starts[i] = 2 if 0 in starts or continuing else 1
    return starts


def _segments(lines: list[Line], spans: list[tuple[int, int]]) -> list[_Segment]:
    """Walk the logical lines keeping a heading stack and a topic stack; cut segments."""
    headings: list[tuple[int, str]] = []  # (level, title)
    topics: list[str] = []
    segments: list[_Segment] = []
    pending_heading: int | None = None  # start of a standalone heading not yet in a passage
    seen_heading = False
    last_body = max((i for i, line in enumerate(lines) if line.kind != "short"), default=-1)

    def path() -> tuple[str, ...]:
        if not seen_heading:
            return (TITLE_BLOCK,)
        return tuple(title for _, title in headings) + tuple(topics)

    def open_heading(level: int, title: str) -> None:
        nonlocal seen_heading
        headings[:] = [h for h in headings if h[0] < level] + [(level, title)]
        topics.clear()
        seen_heading = True

    for index, (line, (start, _end)) in enumerate(zip(lines, spans)):
        if line.kind == "heading":
            open_heading(line.level, line.text.rstrip("。"))
            if pending_heading is None:
                pending_heading = start
            continue
        if line.kind == "short" and seen_heading and index > last_body:
            headings[:] = [(0, CLOSING_BLOCK)]
            topics.clear()
        sentences = split_sentences(line.text, start)
        head = pending_heading
        if line.level is not None and line.heading_end:
            open_heading(line.level, line.text[: line.heading_end])
            sentences = sentences[1:]  # the inline heading is glued back as the segment's prefix
            head = start if head is None else head
        pending_heading = None
        if ADDRESS.match(line.text) and line.heading_end == 0:
            # "各位代表，…" turns to the whole audience: it closes subsections and themes
            headings[:] = [h for h in headings if h[0] <= 1]
            topics.clear()
        continuing = bool(topics) and _inside_numbered(headings)
        starts = _topic_starts(sentences, continuing and not _opens_with_lead(sentences))
        if not continuing and 0 not in starts:
            topics.clear()
        current: _Segment | None = None
        for i, sentence in enumerate(sentences):
            depth = starts.get(i)
            if depth is not None:
                topics[:] = topics[: depth - 1] + [lead_title(sentence.text)]
                current = None
            if current is None:
                current = _Segment(path(), prefix_start=head)
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


def _opens_with_lead(sentences: list[Sentence]) -> bool:
    return 0 in _topic_starts(sentences)


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


_REVIEW = re.compile(r"回顾|过去|上一?年|总结")
_PLAN = re.compile(r"安排|计划|任务|目标|打算|展望")


def section_period(section_path: tuple[str, ...], year: int | None) -> int | None:
    """The year a section speaks of, from its headings and the report's year.

    A heading's own year wins ("一、2017年工作回顾"); else a review heading means the
    year before the report, a plan heading the report's year; else the parent's.
    """
    period = None
    for heading in section_path:
        found = re.search(r"(19|20)\d{2}(?=\s*年)", heading)
        if found:
            period = int(found.group(0))
        elif year is not None and _REVIEW.search(heading) and len(heading) <= 20:
            period = year - 1
        elif year is not None and _PLAN.search(heading) and len(heading) <= 20:
            period = year
    return period


def build_passages(doc_id: str, text: str, segments: list[_Segment], year: int | None = None) -> list[Passage]:
    passages: list[Passage] = []
    for segment in segments:
        groups = _split_long(segment.sentences)
        for n, group in enumerate(groups):
            start = group[0].start
            if n == 0 and segment.prefix_start is not None:
                start = segment.prefix_start
            end = group[-1].end
            sentences = list(group)
            if start < group[0].start:
                sentences = split_sentences(text[start : group[0].start].rstrip(), start) + sentences
            passages.append(
                Passage(
                    id=f"{doc_id}:{len(passages) + 1:04d}",
                    doc_id=doc_id,
                    section_path=segment.path,
                    text=text[start:end],
                    start=start,
                    end=end,
                    sentences=tuple(sentences),
                    period=section_period(segment.path, year),
                )
            )
    return passages


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


def read_meta(path: Path, lines: list[Line]) -> DocMeta:
    """Declared metadata (`<stem>.meta.json`) wins; missing fields are read from the head."""
    declared: dict = {}
    meta_path = path.with_name(path.stem + ".meta.json")
    if meta_path.exists():
        try:
            declared = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CorpusError(f"{meta_path.name}: unreadable metadata ({exc})") from exc
    head = "\n".join(line.text for line in lines[:12])
    inferred: dict = {}
    date = re.search(r"(\d{4})年(\d{1,2})月(\d{1,2})日", head)
    if date:
        y, m, d = (int(g) for g in date.groups())
        inferred["year"], inferred["date"] = y, f"{y:04d}-{m:02d}-{d:02d}"
    region = re.search(r"在([\u4e00-\u9fff]{2,8}?[省市区县州旗])第", head)
    if region:
        inferred["region"] = region.group(1)
    speaker = re.search(r"(?:省|市|区|县|州)长\s*([\u4e00-\u9fff]{2,4})$", head, re.M)
    if speaker:
        inferred["speaker"] = speaker.group(1)
    title = next((line.text for line in lines[:8] if line.text.endswith("工作报告")), None)
    if title:
        inferred["title"] = title
    try:
        return DocMeta(**{**inferred, **declared})
    except ValueError as exc:
        raise CorpusError(f"{meta_path.name}: invalid metadata ({exc})") from exc


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
    meta = read_meta(path, lines)
    passages = build_passages(doc_id, cleaned, _segments(lines, spans), meta.year)
    return Document(
        doc_id=doc_id,
        path=str(path),
        sha256=hashlib.sha256(raw).hexdigest(),
        encoding=encoding,
        meta=meta,
        text=cleaned,
        sections=tuple(build_sections(passages)),
        passages=tuple(passages),
        dropped=tuple(Dropped(text=t, line=n, reason=r) for t, n, r in dropped),
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
