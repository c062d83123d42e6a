"""Onboarding a report in one step (`qa add`): copy, read, tabulate, index, summarise.

`add_report(source, settings)` copies the file into the corpus folder as `<doc_id>.txt` (bytes
as they are; the source is never modified), with its `<stem>.meta.json` when one sits beside it;
reads it (encoding, structure, profile); writes `<doc_id>.facts.jsonl` with rows proposed from
its text (`reviewed: false`), unless a reviewed table is already there, which stays exactly as
the reviewer left it; rebuilds the index; and returns an `AddResult` to print.

Nothing is written when the file cannot be read as a report. A different report already under
the same id is refused unless `replace=True`.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from qa.crosscheck import table_check
from qa.errors import CorpusError, InputError
from qa.facts import FACTS_SUFFIX, dump_facts, load_fact_file, propose_facts, report_years
from qa.facts.names import name_problems
from qa.ingest import parse
from qa.models import Document, Fact
from qa.settings import Settings

_DOC_ID = re.compile(r"^[\w\u4e00-\u9fff][\w.\-\u4e00-\u9fff]*$")
PROFILE_FIELDS = ("region", "short_names", "level", "area_word", "date", "review_year", "plan_year")


@dataclass
class AddResult:
    doc: Document
    path: Path
    copied: bool  # False when the same bytes were already in the corpus
    facts_written: bool  # False when a reviewed table was kept
    rows: list[Fact]
    indexed_passages: int | None = None
    notes: list[str] = field(default_factory=list)

    def summary(self) -> list[str]:
        """The lines `qa add` prints: what was read, what was tabulated, what to look at."""
        doc, p = self.doc, self.doc.profile
        lines = [f"{doc.doc_id}: {'copied to' if self.copied else 'already in'} {self.path} "
                 f"(encoding {doc.encoding}, {len(doc.text)} characters)"]
        top = [s.title for s in doc.sections if s.title]
        lines.append(f"structure: {len(top)} parts, {sum(1 for _ in _walk(doc.sections))} sections, "
                     f"{len(doc.passages)} passages")
        for title in top[:8]:
            lines.append(f"  {title}")
        lines.append("profile:")
        for name in PROFILE_FIELDS:
            value = getattr(p, name)
            if isinstance(value, tuple):
                value = "、".join(value) or None
            source = p.sources.get(name) or ("missing" if value in (None, "unknown") else "?")
            lines.append(f"  {name}: {value if value not in (None, '') else '—'} ({source})")
        by = Counter((f.period, f.span_label or "", f.kind) for f in self.rows)
        table = "written" if self.facts_written else "kept (reviewed rows stay as they are)"
        lines.append(f"fact table {doc.doc_id}{FACTS_SUFFIX}: {len(self.rows)} rows, {table}")
        for (period, span, kind), n in sorted(by.items()):
            lines.append(f"  {period}{' ' + span if span else ''} {kind}: {n}")
        if self.indexed_passages is not None:
            lines.append(f"index: {self.indexed_passages} passages of the corpus")
        lines += [f"review: {n}" for n in self.notes]
        return lines


def _walk(sections):
    for s in sections:
        yield s
        yield from _walk(s.children)


def default_doc_id(source: Path) -> str:
    """The file's stem with whitespace as '-': "清河县 2021.txt" -> "清河县-2021"."""
    return re.sub(r"\s+", "-", Path(source).stem.strip())


def review_notes(doc: Document, rows: list[Fact], limit: int = 8) -> list[str]:
    """What a reviewer may want to look at: missing profile fields, odd names, unlabelled parts."""
    notes = []
    missing = [n for n in PROFILE_FIELDS if doc.profile.sources.get(n) == "missing"
               or getattr(doc.profile, n) in (None, "unknown", ())]
    if missing:
        notes.append(f"profile fields not found: {', '.join(missing)} "
                     f"(declare them in {doc.doc_id}.meta.json)")
    inferred = [n for n in PROFILE_FIELDS if doc.profile.sources.get(n) == "inferred"]
    if inferred:
        notes.append(f"profile fields inferred from the text: {', '.join(inferred)}")
    odd = [(f, problems) for f in rows if not f.reviewed and (problems := name_problems(f.indicator))]
    if odd:
        notes.append(f"{len(odd)} of {len(rows)} indicator names read like fragments, e.g. "
                     + "; ".join(f"{f.id.rsplit(':', 1)[-1]} {f.indicator!r} ({problems[0]})"
                                 for f, problems in odd[:limit]))
    errors, hints = table_check(rows, [doc])
    clashes = [h for h in hints if "here but" in h]
    if clashes:
        notes.append(f"{len(clashes)} names carry two values for one period and kind, e.g. "
                     + "; ".join(clashes[:3]))
    if errors:
        notes.append(f"{len(errors)} rows fail `qa facts check`, e.g. " + "; ".join(errors[:3]))
    if not rows and report_years(doc) == (None, None):
        notes.append(f"no rows: the years the report reviews and plans were not found; declare "
                     f"review_year and plan_year in {doc.doc_id}.meta.json and run `qa add` again")
    elif not rows:
        notes.append("no figures found: is this a work report?")
    return notes


def add_report(source: Path, settings: Settings, *, doc_id: str | None = None, replace: bool = False,
               build: bool = True, embedder=None) -> AddResult:
    """Onboard one report file into `settings.corpus_dir` (see the module docstring)."""
    source = Path(source)
    if not source.is_file():
        raise InputError(f"no file at {source}")
    doc_id = doc_id or default_doc_id(source)
    if not _DOC_ID.match(doc_id):
        raise InputError(f"invalid document id {doc_id!r}: use letters, digits, '-', '_' or '.'")
    corpus = Path(settings.corpus_dir)
    try:
        raw = source.read_bytes()
    except OSError as exc:
        raise CorpusError(f"{source}: cannot read ({exc.strerror or exc})") from exc
    doc = parse(raw, source, doc_id=doc_id)  # fails before anything is written
    target = corpus / f"{doc_id}.txt"
    if target.resolve() == source.resolve():
        copied = False
    elif target.exists() and target.read_bytes() == raw:
        copied = False
    elif target.exists() and not replace:
        raise InputError(f"{target} already holds a different report with id {doc_id!r}; "
                         "choose another --doc-id or pass --replace")
    else:
        copied = True
    corpus.mkdir(parents=True, exist_ok=True)
    if copied:
        shutil.copyfile(source, target)
    meta = source.with_name(source.stem + ".meta.json")
    meta_target = corpus / f"{doc_id}.meta.json"
    if meta.is_file() and meta.resolve() != meta_target.resolve():
        shutil.copyfile(meta, meta_target)
    doc = parse(raw, target, doc_id=doc_id)  # as the corpus will read it (its metadata beside it)
    table = corpus / f"{doc_id}{FACTS_SUFFIX}"
    kept = load_fact_file(table) if table.exists() else []
    notes = []
    if any(f.reviewed for f in kept):
        rows, written = kept, False
        if copied:
            notes.append("the report changed but its reviewed table was kept: run `qa facts check`")
    else:
        rows, written = propose_facts(doc), True
        table.write_text(dump_facts(rows), encoding="utf-8")
    notes = review_notes(doc, rows) + notes
    result = AddResult(doc=doc, path=target, copied=copied, facts_written=written, rows=rows, notes=notes)
    if build:
        from qa.index import build_index
        result.indexed_passages = build_index(settings, embedder).manifest.passage_count
    return result
