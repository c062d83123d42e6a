"""Known-answer files and the metrics computed on them.

The schema and the metric definitions are those of the project's eval README: a
passage "contains" an answer when, after NFKC and removal of all whitespace, the
answer text is a substring of the passage text. Retrieval metrics are over the
answerable items (`answer_text` not null).

Answer-level metrics (numeric_accuracy, citation_accuracy, abstain_recall, …) plug
in through `evaluate(items, retriever, answerer=...)`; see `answer_metrics`.
"""

from __future__ import annotations

import json
import re
import time
import unicodedata
from pathlib import Path
from typing import Callable, Literal, Sequence

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from qa.errors import InputError
from qa.models import Answer
from qa.retrieve import Retriever

Category = Literal["numeric_2017", "numeric_2018_target", "factual", "list", "comparative", "unanswerable"]
CATEGORIES: tuple[str, ...] = Category.__args__  # type: ignore[attr-defined]
MRR_DEPTH = 10
HIT_KS = (1, 3, 5)


class KnownAnswer(BaseModel):
    """One line of a known-answer file: a question and where its answer is in the report."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    id: str = Field(min_length=1)
    doc_id: str | None = Field(None, description="the report asked about; None: the whole corpus")
    question: str = Field(min_length=1)
    category: Category
    answer_text: str | None = None
    value: float | None = None
    unit: str | None = None
    growth_pct: float | None = None
    section: str | None = None
    qualifier: str | None = None
    note: str | None = None

    @property
    def answerable(self) -> bool:
        return self.answer_text is not None


def load_known_answers(path: Path) -> list[KnownAnswer]:
    """Every item of a JSON Lines file; InputError lists each bad line with its number."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read known answers from {path} ({exc})") from exc
    items: list[KnownAnswer] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = KnownAnswer.model_validate(json.loads(line))
        except ValueError as exc:  # JSONDecodeError and ValidationError are both ValueErrors
            problems.append(f"line {number}: {_describe(exc)}")
            continue
        if item.id in seen:
            problems.append(f"line {number}: id {item.id!r} already used on line {seen[item.id]}")
            continue
        if item.category != "unanswerable" and not item.answerable:
            problems.append(f"line {number}: answer_text is null but category is {item.category}")
            continue
        seen[item.id] = number
        items.append(item)
    if problems:
        shown = "; ".join(problems[:10]) + (f"; … {len(problems) - 10} more" if len(problems) > 10 else "")
        raise InputError(f"{path}: {len(problems)} bad line(s): {shown}")
    if not items:
        raise InputError(f"{path}: no known answers in it")
    return items


def _describe(exc: ValueError) -> str:
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "line"
        return f"{where}: {first['msg']}"
    return f"not JSON ({exc})"


def squash(text: str) -> str:
    """NFKC and no whitespace: how the README compares answer text and passages."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def first_hit_rank(item: KnownAnswer, passages_texts: Sequence[str]) -> int | None:
    """1-based rank of the first passage text that contains the item's answer, or None."""
    wanted = squash(item.answer_text or "")
    for rank, text in enumerate(passages_texts, start=1):
        if wanted and wanted in squash(text):
            return rank
    return None


def _summary(ranks: list[int | None], n: int, n_answerable: int) -> dict:
    row: dict = {}
    for k in HIT_KS:
        row[f"hit@{k}"] = (sum(1 for r in ranks if r is not None and r <= k) / len(ranks)) if ranks else None
    row["mrr"] = (sum(1 / r for r in ranks if r is not None) / len(ranks)) if ranks else None
    row.update(n=n, n_answerable=n_answerable, n_unanswerable=n - n_answerable)
    return row


def rank_items(items: Sequence[KnownAnswer], retriever: Retriever, depth: int = MRR_DEPTH) -> dict[str, int | None]:
    """Item id -> rank of the first passage containing its answer (answerable items only)."""
    ranks: dict[str, int | None] = {}
    for item in items:
        if item.answerable:
            # scoped to the item's report, as a user who chose that report would ask
            scope = {"doc_ids": (item.doc_id,)} if item.doc_id else {}
            hits = retriever.search(item.question, depth, **scope)
            ranks[item.id] = first_hit_rank(item, [h.passage.text for h in hits])
    return ranks


def retrieval_metrics(items: Sequence[KnownAnswer], retriever: Retriever, k: int = 5) -> dict:
    """hit@1, hit@3, hit@5, mrr (first hit within the top 10), n, n_answerable, n_unanswerable,
    overall and under `by_category`. `k` is only a floor on the depth searched."""
    ranks = rank_items(items, retriever, max(k, MRR_DEPTH))
    return metrics_from_ranks(items, ranks)


def metrics_from_ranks(items: Sequence[KnownAnswer], ranks: dict[str, int | None]) -> dict:
    def block(subset: Sequence[KnownAnswer]) -> dict:
        found = [ranks[i.id] for i in subset if i.answerable]
        found = [r if r is not None and r <= MRR_DEPTH else None for r in found]
        return _summary(found, len(subset), sum(1 for i in subset if i.answerable))

    result = block(items)
    result["by_category"] = {
        category: block([i for i in items if i.category == category])
        for category in CATEGORIES
        if any(i.category == category for i in items)
    }
    return result


Answerer = Callable[..., Answer]  # (question, doc_id=None) -> Answer: the same path as `qa ask --doc`


def _same_value(value: float, unit: str, expected: float, expected_unit: str | None) -> bool:
    """Equal after converting both to the same unit (relative tolerance 1e-9), as the README says."""
    from qa.numbers import compatible, convert

    try:
        if expected_unit and unit != expected_unit:
            if not compatible(unit, expected_unit):
                return False
            value = convert(value, unit, expected_unit)
    except InputError:
        return False
    return abs(value - expected) <= 1e-9 * max(1.0, abs(expected))


def judge(item: KnownAnswer, answer: Answer | None) -> dict[str, bool]:
    """What one answer scores: the per-item outcomes the answer metrics average."""
    out: dict[str, bool] = {}
    abstained = answer is None or answer.abstained
    if item.answerable:
        cited = answer.citations[0] if answer is not None and answer.citations else None
        quotes = (cited.quote, cited.printed or "") if cited is not None else ("",)  # a table's row: as printed too
        out["citation"] = any(squash(item.answer_text or "") in squash(q) for q in quotes)
        out["false_abstain"] = abstained
    else:
        out["abstained"] = abstained
    numeric = answer.numeric if answer is not None else None
    if item.category in ("numeric_2017", "numeric_2018_target", "comparative") and item.value is not None:
        right = numeric is not None and _same_value(numeric.value, numeric.unit, item.value, item.unit)
        if not right and numeric is not None and item.category == "comparative":
            # a difference is its magnitude, the direction in words (eval README); older files sign it
            right = _same_value(abs(numeric.value), numeric.unit, abs(item.value), item.unit)
        if right and item.category != "comparative" and item.growth_pct is not None and numeric.growth_pct is not None:
            right = abs(numeric.growth_pct - item.growth_pct) <= 1e-9 * max(1.0, abs(item.growth_pct))
        out["comparative" if item.category == "comparative" else "numeric"] = right
        out["wrong_verified"] = numeric is not None and numeric.verdict == "consistent" and not right
    elif not item.answerable and numeric is not None and numeric.verdict == "consistent" and not abstained:
        out["wrong_verified"] = True  # a figure vouched for where the report has none
    return out


_ANSWER_KEYS = {
    "numeric_accuracy": "numeric",
    "comparative_accuracy": "comparative",
    "citation_accuracy": "citation",
    "abstain_recall": "abstained",
    "false_abstain_rate": "false_abstain",
}


def _answer_block(outcomes: Sequence[dict[str, bool]]) -> dict:
    row: dict = {}
    for metric, key in _ANSWER_KEYS.items():
        values = [o[key] for o in outcomes if key in o]
        row[metric] = sum(values) / len(values) if values else None
    row["wrong_verified"] = sum(1 for o in outcomes if o.get("wrong_verified"))
    return row


def answer_metrics(items: Sequence[KnownAnswer], answerer: Answerer) -> dict:
    """numeric_accuracy, comparative_accuracy, citation_accuracy, abstain_recall,
    false_abstain_rate and wrong_verified, overall and under `by_category`; items answered
    through `answerer` (the same path as `qa ask`). A question refused as bad input counts as
    an abstention."""
    outcomes: dict[str, dict[str, bool]] = {}
    for item in items:
        try:
            answer = answerer(item.question, doc_id=item.doc_id) if item.doc_id else answerer(item.question)
        except InputError:
            answer = None
        outcomes[item.id] = judge(item, answer)
    result = _answer_block(list(outcomes.values()))
    result["by_category"] = {
        category: _answer_block([outcomes[i.id] for i in items if i.category == category])
        for category in CATEGORIES
        if any(i.category == category for i in items)
    }
    result["outcomes"] = outcomes
    return result


def evaluate(
    items: Sequence[KnownAnswer], retriever: Retriever, answerer: Answerer | None = None, k: int = 5
) -> dict:
    """Retrieval metrics, and answer metrics merged in (overall and by category) when an answerer is given."""
    result = retrieval_metrics(items, retriever, k)
    if answerer is not None:
        answers = answer_metrics(items, answerer)
        answers.pop("outcomes")
        for key, value in answers.items():
            if key == "by_category":
                for category, row in value.items():
                    result["by_category"].setdefault(category, {}).update(row)
            else:
                result[key] = value
    return result


def timed_search(retriever: Retriever, questions: Sequence[str], k: int = 5) -> dict[str, float]:
    """Median and 95th-percentile query latency in milliseconds (after one warm-up query)."""
    if not questions:
        return {}
    retriever.search(questions[0], k)
    times = []
    for question in questions:
        start = time.perf_counter()
        retriever.search(question, k)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {"p50_ms": times[len(times) // 2], "p95_ms": times[min(len(times) - 1, int(len(times) * 0.95))]}


RESULT_KINDS = ("actual", "estimate")
_YEAR_NAMED = re.compile(r"(?:19|20)\d{2}")


def extraction_recall(rows: Sequence, items: Sequence[KnownAnswer], review: int | None,
                      plan: int | None) -> tuple[int, int, list[str]]:
    """(found, of, missed ids): the numeric known answers (results and targets) with a fact row of the same
    value (unit converted), a period the item asks about and the kind family (a result or a target). The
    period is the review year for a result, the plan year for a target, or a later year the question or its
    note names (到2025年, or the end of a five-year plan named: 十四五 -> 2025)."""
    from qa.numbers import compatible, convert
    from qa.profile import five_year_span

    numeric = [i for i in items if i.category in ("numeric_2017", "numeric_2018_target") and i.value is not None]
    missed = []
    for item in numeric:
        result = item.category == "numeric_2017"
        said = item.question + (item.note or "")
        later = {int(y) for y in _YEAR_NAMED.findall(said)}
        span = five_year_span(said)
        if span:
            later.add(span[1])
        periods = {review if result else plan} | {y for y in later if y > (plan or 0)}
        if not any(compatible(item.unit, f.unit) and f.period in periods and (f.kind in RESULT_KINDS) == result
                   and abs(convert(item.value, item.unit, f.unit) - f.value) <= 1e-9 * max(1, abs(f.value))
                   for f in rows):
            missed.append(item.id)
    return len(numeric) - len(missed), len(numeric), missed
