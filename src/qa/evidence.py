"""Which sentences of the retrieved passages answer a question, and which phrase inside them.

Scoring is idf-weighted coverage of the question's character bigrams: robust to Chinese word
segmentation, typos of one character and paraphrase around the key terms. Plain functions plus
one small class holding the idf table of the corpus.
"""

from __future__ import annotations

import math
from functools import lru_cache
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Sequence

from qa.clean import heading_level
from qa.data import alternation
from qa.models import Document, Hit, Passage, Sentence
from qa.numbers import YEAR_DIGITS

# words that carry no topic: question words, particles, generic verbs of asking
_FILLER = re.compile(
    r"有?多少[个家项件户人亩名元]?|几个|几家|几项|几|是否|是不是|有没有|有哪些|哪些|哪几|哪|什么|怎么样|怎么|怎样|如何|是|了|呢|吗|嘛|吧|啊|呀|的|"
    r"具体|请问|分别|一下|告诉我|报告里|报告中|报告|提到|有关|关于|情况|方面|和|与|及|或|"
    r"去年|今年|上年|本年|全年|目标|实际|同比|为什么|为何|原因|现在|目前|当前|百分之|百分比"
)
_ENGLISH_FILLER = re.compile(
    r"\b(what|which|how|much|many|was|were|is|are|the|a|an|of|in|to|did|does|do|by|for|and|on|report|its|it|"
    r"year|last|this|next|target|planned|plan|about)\b", re.I
)
_YEARS = re.compile(YEAR_DIGITS + r"\s*年?")
_SPLIT = re.compile(r"(?:[^\w.%]|_|(?<!\d)\.|\.(?!\d))+", re.UNICODE)  # a decimal point (2.5) stays
_CLAUSE = re.compile(r"[^，；：,;:。！？]+[，；：,;:。！？]*")


@lru_cache(maxsize=1)
def _relative_years() -> re.Pattern:
    """The relative year words of the question layer's data (去年, 今年, last year …): no topic."""
    import json
    from importlib import resources

    data = json.loads(resources.files("qa.data").joinpath("question_words.json").read_text(encoding="utf-8"))
    words = [w for key, ws in data["relative_years"].items() if not key.startswith("_") for w in ws]
    return re.compile(alternation(words), re.I)


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def _segments(text: str) -> list[str]:
    text = normalise(text)
    text = _YEARS.sub("|", text)
    text = _relative_years().sub("|", text)
    text = _ENGLISH_FILLER.sub("|", text)
    text = _FILLER.sub("|", text)
    return [s for s in _SPLIT.split(text) if s]


_TOKENIZER: list = [None, None]  # (jieba tokenizer over the same dictionary as jieba's own, where it was read)


def use_tokenizer(tokenizer, source=None) -> None:
    """Cut with this tokenizer instead of jieba's global one (qa.answering.context hands over one
    reading the build's copy of jieba's dictionary: the same cuts, without jieba's ~1 s load)."""
    _TOKENIZER[:] = [tokenizer, source]


def tokenizer_folder():
    return _TOKENIZER[1]


def _cut(run: str):
    if _TOKENIZER[0] is not None:
        return _TOKENIZER[0].cut(run, HMM=False)
    import jieba

    return jieba.cut(run, HMM=False)


def terms(text: str) -> list[str]:
    """The question's terms: its words (jieba), longer words as their character bigrams, so a
    paraphrase or typo still shares most of them; bigrams across a word boundary ("拿了多少面红旗"
    -> "面红") are noise and are not made. Latin/number tokens whole; a lone character only alone, and two
    lone characters the dictionary does not know as a word (托位, 要建) only when nothing else is a term
    (托位年度计划数是多少: 托位)."""
    out: list[str] = []
    singles: list[str] = []
    unknown_pairs: list[str] = []
    for segment in _segments(text):
        for run in re.findall(r"[\u4e00-\u9fff]+|[a-z]+|[0-9][0-9.%]*", segment):
            if run[0] <= "z":
                out.append(run)
                continue
            if len(run) == 1:
                singles.append(run)
                continue
            words = _joined_singles(_cut(run))
            if len(run) == 2 and len(words) == 2:
                unknown_pairs.append(run)
                continue
            for word in words:
                if len(word) == 2:
                    out.append(word)
                elif len(word) > 2:
                    out.extend(word[i : i + 2] for i in range(len(word) - 1))
    return out or unknown_pairs or singles  # a lone character counts only when nothing else does


UNKNOWN_WORD_CHARS = 3  # a run of this many characters the dictionary cuts into singles is one unknown word


def _joined_singles(words: Iterable[str]) -> list[str]:
    """Words as cut, with runs of single characters joined when they stand beside a word: jieba cuts an
    abbreviation it does not know into characters (二产增加值 -> 二/产/增加值), and 二产 must stay a term. A
    stretch of two single characters alone ("要建" between filler words) stays no term; three or more
    (电代煤: 电/代/煤) are a word the dictionary does not know."""
    words = list(words)
    if all(len(w) == 1 for w in words):
        return ["".join(words)] if len(words) >= UNKNOWN_WORD_CHARS else words
    out: list[str] = []
    run = ""
    for word in words + [""]:
        if len(word) == 1:
            run += word
            continue
        if len(run) > 1:
            out.append(run)
        run = ""
        if word:
            out.append(word)
    return out


def words(text: str) -> list[str]:
    """The question's dictionary words of two or more characters (jieba, no HMM guessing)."""
    out: list[str] = []
    for segment in _segments(text):
        for run in re.findall(r"[\u4e00-\u9fff]{2,}", segment):
            out.extend(w for w in _cut(run) if len(w) >= 2)
    return out


@lru_cache(maxsize=32768)
def text_terms(text: str) -> frozenset[str]:
    """Terms of corpus text (no filler removal: everything may be matched); cached, as the same
    sentences and fact rows are matched against every question."""
    text = normalise(text)
    out: set[str] = set()
    for run in re.findall(r"[\u4e00-\u9fff]+|[a-z]+|[0-9][0-9.%]*", text):
        if run[0] <= "z":
            out.add(run)
        else:
            out.update(run)
            out.update(run[i : i + 2] for i in range(len(run) - 1))
    return frozenset(out)


PAIRS_CACHE = 65536  # names whose weighed character pairs are kept


class Idf:
    """Inverse document frequency of terms over all sentences of the corpus."""

    def __init__(self, documents: Iterable[Document]):
        counts: Counter[str] = Counter()
        n = 0
        for document in documents:
            for passage in document.passages:
                for sentence in passage.sentences:
                    counts.update(text_terms(sentence.text))
                    n += 1
        self.n = max(n, 1)
        self.counts = counts
        # computed once per corpus term; a term the corpus never uses weighs the most
        self.weights = {t: math.log(1 + self.n / (1 + c)) for t, c in counts.items()}
        self.unseen = math.log(1 + self.n)

    def __call__(self, term: str) -> float:
        return self.weights.get(term, self.unseen)

    def pairs(self, text: str) -> tuple[dict[str, float], float]:
        """The text's Chinese character pairs with their weights, and the weights' sum; cached, as the same
        names (fact rows, figures' phrases) are weighed for every question."""
        cache = self.__dict__.setdefault("_pairs", {})
        if text not in cache:
            if len(cache) > PAIRS_CACHE:
                cache.clear()
            weights = {t: self(t) for t in text_terms(text) if len(t) == 2 and "\u4e00" <= t[0] <= "\u9fff"}
            cache[text] = (weights, sum(weights.values()))
        return cache[text]


Query = tuple[tuple[str, ...], ...]  # the question's terms, and those of its synonym rewrites


def query_variants(text: str, glossary=None, limit: int = 16, related: bool = False) -> Query:
    """Terms of the question, plus one variant per glossary synonym of a name it uses.

    "去年GDP多少" also reads as "去年地区生产总值多少": coverage takes the best variant, so a
    synonym counts exactly like the report's own word and unrelated names add nothing.
    """
    base = normalise(text)
    out = [tuple(terms(base))]
    out += [v for v in english_variants(base) if v not in out]
    if glossary is not None:
        said: list[tuple[str, str]] = []
        # a name the question splits with a year or a place (农民去年人均可支配收入: topic 农民 人均可支配收入)
        joined = base if _LATIN_WORD.search(base) else base.replace(" ", "")
        for entry in glossary.matches(joined, related=related):
            names = entry.search_names if related else entry.names
            present = [n for n in names if n and n in joined]
            if not present:
                continue
            name = max(present, key=len)
            said.append((name, names[0]))
            for other in names:
                if other in present or not terms(other):
                    continue  # a name with no term of its own (固投: 固/投) would leave a variant of the rest alone
                variant = _swapped(out[0], ((name, other),))
                if variant not in out:
                    out.append(variant)
        if len(said) > 1:  # 规上服务业企业营收: every name the glossary knows in the report's own word at once
            variant = _swapped(out[0], tuple(said))
            if variant not in out:
                out.insert(1, variant)
    return tuple(out[:limit])


def _swapped(base_terms: tuple[str, ...], swaps: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    """The question's terms with each name's terms replaced by its other name's (固投增速 → 固投 + 增长: the rest
    of the question keeps its own terms, whatever the tokenizer makes of it without the name)."""
    dropped = {t for name, _ in swaps for t in (*terms(name), name)}
    added = [t for _, other in swaps for t in terms(other)]
    return tuple(dict.fromkeys([t for t in base_terms if t not in dropped] + added))


ENGLISH_VARIANTS = 3  # readings of an English question in Chinese words: its words' first, second, third senses
_LATIN_WORD = re.compile(r"[a-z][a-z0-9.\-]*")
_CJK = re.compile(r"[\u4e00-\u9fff]")


@lru_cache(maxsize=1)
def _lexicon() -> tuple[dict[str, tuple[str, ...]], int]:
    """data/english_lexicon.json: English word or phrase -> the Chinese words reports use (and the longest
    phrase's length in words)."""
    from qa.data import load

    words = {k.lower(): tuple(v) for k, v in load("english_lexicon.json").get("words", {}).items() if v}
    return words, max((len(k.split()) for k in words), default=1)


@lru_cache(maxsize=4096)
def english_senses(text: str) -> tuple[tuple[str, ...], ...]:
    """The Chinese words reports use for each English word or phrase of a question the lexicon knows, longest
    phrase first (senses in the lexicon's order); () for a text with Chinese characters."""
    if _CJK.search(text):
        return ()
    lexicon, longest = _lexicon()
    words = _LATIN_WORD.findall(text)
    found, i = [], 0
    while i < len(words):
        for n in range(min(longest, len(words) - i), 0, -1):
            senses = lexicon.get(" ".join(words[i:i + n]))
            if senses:
                found.append(senses)
                i += n
                break
        else:
            i += 1
    return tuple(found)


@lru_cache(maxsize=4096)
def english_variants(text: str) -> tuple[tuple[str, ...], ...]:
    """An English question's topic read in the Chinese words reports use (tourists -> 游客), so its coverage of
    Chinese text means what it means for a Chinese question; words the lexicon lacks (place names) are left
    out of these readings. One reading per sense rank, at most ENGLISH_VARIANTS."""
    found = english_senses(text)  # () for a Chinese question naming GDP or CPI: the glossary reads those
    if not found:
        return ()
    out = []
    for rank in range(min(ENGLISH_VARIANTS, max(len(f) for f in found))):
        variant = tuple(terms(" ".join(f[min(rank, len(f) - 1)] for f in found)))
        if variant and variant not in out:
            out.append(variant)
    return tuple(out)


def coverage(query: Query | Sequence[str], text: str, idf: Idf, context: str = "") -> float:
    """Share of the question's idf weight found in `text` (0..1), for its best variant.

    A term found only in `context` (e.g. the rest of the sentence around a clause) counts half.
    """
    if not query:
        return 0.0
    variants = [query] if isinstance(query[0], str) else query
    present = text_terms(text)
    around = text_terms(context) if context else set()
    best = 0.0
    for variant in variants:
        unique = set(variant)
        total = sum(idf(t) for t in unique)
        if total:
            found = sum(idf(t) if t in present else 0.5 * idf(t) if t in around else 0.0 for t in unique)
            best = max(best, found / total)
    return best


def has_key_term(query: Query | Sequence[str], text: str, idf: Idf) -> bool:
    """Is the question's most specific term that the corpus knows (highest idf) in `text`?

    "今年计划新增城市绿地多少平方米" is not answered by a sentence on 拆迁, however much of the
    rest it shares: without 绿地 it speaks of something else.
    """
    return holds_key(key_terms(query, idf), text)


def key_terms(query: Query | Sequence[str], idf: Idf, skip: frozenset[str] = frozenset()) -> list[frozenset[str]]:
    """Per variant of the question, its terms of the highest idf the corpus knows (ties: any of them will do),
    leaving out `skip` (words any indicator may carry: 总额); an empty set for a variant whose terms the corpus
    never uses (any text holds its key)."""
    variants = [query] if query and isinstance(query[0], str) else list(query)
    out = []
    for variant in variants:
        # a number asked about is a claim, not a topic
        variant = [t for t in variant if not re.search(r"\d", t) and t not in skip]
        counts = [idf.counts.get(t, 0) for t in variant]
        known = [c for c in counts if c > 0]
        out.append(frozenset(t for t, c in zip(variant, counts) if known and c == min(known)))
    return out


def holds_key(keys: list[frozenset[str]], text: str) -> bool:
    """Does the text hold the key term of some variant (`key_terms`)?"""
    present = text_terms(text)
    return any(not key or not key.isdisjoint(present) for key in keys)


@dataclass(frozen=True)
class Evidence:
    """A sentence that may answer, with where it stands and how well it matches."""

    passage: Passage
    sentence: Sentence
    score: float
    rank: int  # rank of its passage in retrieval


def rank_sentences(query_terms: Query | Sequence[str], hits: Sequence[Hit], idf: Idf, year: int | None = None) -> list[Evidence]:
    """Every sentence of the hits, best first: coverage of the sentence, its heading path, the hit's rank."""
    out = []
    for hit in hits:
        heading_cover = coverage(query_terms, " ".join(hit.passage.section_path), idf)
        passage_cover = coverage(query_terms, hit.passage.text, idf)
        for sentence in hit.passage.sentences:
            if len(hit.passage.sentences) > 1 and (len(sentence.text) < 6 or _is_heading(sentence.text, hit.passage)):
                continue  # a bare lead or heading line is no answer
            score = 0.65 * coverage(query_terms, sentence.text, idf) + 0.15 * heading_cover + 0.1 * passage_cover
            score += 0.1 / hit.rank
            if year is not None and hit.passage.period is not None:
                score += 0.05 if hit.passage.period == year else -0.1
            out.append(Evidence(hit.passage, sentence, score, hit.rank))
    out.sort(key=lambda e: -e.score)
    return out


def _is_heading(text: str, passage: Passage) -> bool:
    """A heading line, or lines that are all headings: a title and the numbered lead under it
    ("（一）稳投资扩消费\n\n（1）抓好重大项目建设。") say what follows, they answer nothing."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) > 1:
        return all(_heading_line(line, passage, lead=True) for line in lines)
    return _heading_line(text, passage)


def _heading_line(line: str, passage: Passage, lead: bool = False) -> bool:
    """In the heading path, or numbered like a heading and not a sentence (with `lead`, a numbered
    sentence of one clause, a lead line, counts as a heading too)."""
    if line.rstrip("。") in passage.section_path:
        return True
    return heading_level(line) is not None and (not line.endswith("。") or lead and "，" not in line)


def best_clause(quote: str, query_terms: Query | Sequence[str], idf: Idf, must_contain: str | None = None) -> tuple[int, int]:
    """Span inside `quote` of the clause that answers (the one holding `must_contain`, else the best covered)."""
    clauses = [(m.start(), m.end()) for m in _CLAUSE.finditer(quote)]
    if not clauses:
        return (0, len(quote))
    if must_contain:
        needle = re.escape(must_contain)
        if re.fullmatch(r"[\d.]+", must_contain):
            needle = rf"(?<![\d.]){needle}(?![\d])"  # 8 is not the 8 of 83.2
        holding = []
        for match in re.finditer(needle, quote):
            for n, (start, end) in enumerate(clauses):
                if start <= match.start() < end:
                    before = quote[clauses[n - 1][0] : start] if n else ""
                    holding.append((start, max(end, match.end()), before))
        if holding:
            # the clause's own words first, the clause before it (what a bare "增长8%" is about) half
            start, end, _ = max(holding, key=lambda c: (coverage(query_terms, quote[c[0] : c[1]], idf, c[2]), -c[0]))
            return _trim(quote, start, end)
    start, end = max(clauses, key=lambda c: (coverage(query_terms, quote[c[0] : c[1]], idf), -c[0]))
    return _trim(quote, start, end)


def _trim(quote: str, start: int, end: int) -> tuple[int, int]:
    while end > start and quote[end - 1] in "，；：,;:。！？ ":
        end -= 1
    return (start, end)
