"""What answering needs, built once per engine: the reports, their fact rows, the retriever, the idf
table, the glossary, the embedder and the fitted scorer."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Callable, Sequence

import numpy as np

from qa.answering.scorer import Scorer
from qa.evidence import Idf, query_variants
from qa.models import Document, Fact, Hit
from qa.numbers import YEAR_DIGITS, parse_cn_numeral
from qa.question.query import Query
from qa.question.text import normalize

CACHE_SIZE = 512  # questions' terms kept per engine
VECTOR_CACHE_SIZE = 20000  # clause vectors kept per engine (about 2 kB each)
_YEAR_IN_TEXT = re.compile(r"(?<!\d)(" + YEAR_DIGITS + r")(?=\s*年)")
_CN_YEAR_IN_TEXT = re.compile(r"((?:一九|二〇|二零)[〇零一二三四五六七八九]{2})(?=\s*年)")


FACT_HITS = 2  # passages added from the fact table at most
# the fact kinds that state what each kind of question asks
FACT_KINDS = {"result": ("actual", "estimate"), "target": ("target", "plan"), "plan": ("target", "plan")}
VARIANTS = 16  # readings of one topic at most (its own, its synonyms', without a word for "the amount of")


def _without_total_word(topic: str) -> str | None:
    """The topic without a word for "the amount of" that reports mostly leave out (question_words.json
    "total_words": 总量, 总额…), when a name of two or more characters stays; else None."""
    from qa.question.words import cues

    for word in sorted(cues().raw["total_words"]["words"], key=len, reverse=True):
        at = topic.find(word)
        if at >= 2:
            return topic[:at] + topic[at + len(word):]
    return None


@dataclass
class AnswerContext:
    documents: Sequence[Document]
    facts: Sequence[Fact]
    retriever: object
    idf: Idf
    glossary: object = None
    embed: Callable[[Sequence[str]], np.ndarray] | None = None
    scorer: Scorer = field(default_factory=Scorer.load)
    max_question_chars: int = 500
    depth: int = 5

    @cached_property
    def by_id(self) -> dict[str, Document]:
        return {d.doc_id: d for d in self.documents}

    @cached_property
    def facts_by_doc(self) -> dict[str, list[Fact]]:
        out: dict[str, list[Fact]] = {}
        for fact in self.facts:
            out.setdefault(fact.doc_id, []).append(fact)
        return out

    @cached_property
    def years_by_doc(self) -> dict[str, frozenset[int]]:
        """The years a report speaks of: its sections' periods and the years its text names."""
        out = {}
        for doc in self.documents:
            years = {p.period for p in doc.passages if p.period is not None}
            years |= {int(y) for y in _YEAR_IN_TEXT.findall(doc.text)}
            years |= {parse_cn_numeral(y) for y in _CN_YEAR_IN_TEXT.findall(doc.text)}  # 二〇三五年远景目标
            for y in (doc.profile.review_year, doc.profile.plan_year, doc.meta.year):
                if y:
                    years.add(y)
            out[doc.doc_id] = frozenset(years)
        return out

    def parts_of(self, doc_id: str | None) -> tuple[str, ...]:
        """The parts of a report's area its text names (qa.question.scope.area_parts), read once per report."""
        doc = self.by_id.get(doc_id or "")
        if doc is None:
            return ()
        parts = self.__dict__.setdefault("_parts", {})
        if doc_id not in parts:
            from qa.question.scope import area_parts

            parts[doc_id] = area_parts(doc.text, doc.profile)
        return parts[doc_id]

    def places_of(self, doc_id: str | None) -> frozenset[str]:
        """Every place below a report's level its text names, once or more (qa.question.scope.area_places)."""
        doc = self.by_id.get(doc_id or "")
        if doc is None:
            return frozenset()
        places = self.__dict__.setdefault("_places", {})
        if doc_id not in places:
            from qa.question.scope import area_places

            places[doc_id] = area_places(doc.text, doc.profile)
        return places[doc_id]

    def romanised(self, name: str) -> str:
        """A name's toneless pinyin run together (临川 -> linchuan) from the index's sounds; "" without them."""
        sounds = self.sounds or {}
        return "".join(sounds.get(ch, "?") for ch in name) if sounds else ""

    def plan_year(self, doc_id: str | None) -> int | None:
        doc = self.by_id.get(doc_id or "")
        if doc is None:
            return None
        return doc.profile.plan_year or doc.meta.year

    def review_year(self, doc_id: str | None) -> int | None:
        doc = self.by_id.get(doc_id or "")
        if doc is None:
            return None
        if doc.profile.review_year:
            return doc.profile.review_year
        plan = self.plan_year(doc_id)
        return plan - 1 if plan else None

    def terms(self, topic: str, related: bool = False):
        """The topic's terms and synonym variants; with `related`, also variants by the glossary's related words
        (for finding sentences about a subject, never for matching a figure's name)."""
        cache = self.__dict__.setdefault("_terms", {})
        key = (topic, related)
        if key not in cache:
            if len(cache) > CACHE_SIZE:
                cache.clear()
            variants = query_variants(topic, self.glossary, related=related)
            bare = _without_total_word(topic)  # 地区生产总值总量 is what the report calls 地区生产总值
            if bare:
                variants += tuple(v for v in query_variants(bare, self.glossary, related=related) if v not in variants)
            cache[key] = variants[:VARIANTS]
        return cache[key]

    def idf_of(self, doc_id: str | None) -> Idf:
        """The idf table of the one report asked about: adding other reports to the corpus never
        changes how one report's words are weighed (the corpus-wide table when no report is chosen)."""
        if not doc_id or doc_id not in self.by_id:
            return self.idf
        tables = self.__dict__.setdefault("_idfs", {})
        if doc_id not in tables:
            tables[doc_id] = Idf([self.by_id[doc_id]]) if len(self.documents) > 1 else self.idf
        return tables[doc_id]

    def cover(self, topic: str, doc_id: str | None = None):
        """Coverage of this topic's terms, idf weights (of the report asked about) computed once per topic."""
        from qa.answering.features import Cover

        cache = self.__dict__.setdefault("_covers", {})
        key = (topic, doc_id)
        if key not in cache:
            if len(cache) > CACHE_SIZE:
                cache.clear()
            doc = self.by_id.get(doc_id or "")
            cache[key] = Cover(self.terms(topic), self.idf_of(doc_id), doc.text if doc is not None else None)
        return cache[key]

    def search(self, text: str, doc_id: str | None, k: int | None = None) -> list[Hit]:
        """Passages of the one report asked about (the retriever's own scoping, else filtered)."""
        k = k or self.depth
        ids = [doc_id] if doc_id else None
        try:
            return self.retriever.search(text, k, doc_ids=ids)
        except TypeError:
            hits = self.retriever.search(text, k * 4)
            kept = [h for h in hits if doc_id is None or h.passage.doc_id == doc_id][:k]
            return [h.model_copy(update={"rank": n}) for n, h in enumerate(kept, start=1)]

    def asked_terms(self, query: Query) -> tuple[str, ...]:
        """The glossary terms the question asks whose names its topic writes: a comparison's side asks only its
        own (收入 of 财政支出比收入多多少 asks no 一般公共预算支出)."""
        if self.glossary is None or not query.concepts:
            return ()
        topic = normalize(query.topic)
        spaced = topic.replace(" ", "")
        return tuple(dict.fromkeys(e.term for e in self.glossary.matches(topic) + self.glossary.matches(spaced)
                                   if e.term in query.concepts))

    def fact_hits(self, query: Query, hits: list[Hit]) -> list[Hit]:
        """Passages the retriever left out that state a fact row of the asked indicator for the whole area, in
        the year and kind asked (全市地区生产总值3862.4亿元 below five passages that also name 地区生产总值): the fact
        table as a second generator of candidates, ranked after the retrieved passages."""
        doc = self.by_id.get(query.doc_id or "")
        terms = self.asked_terms(query)
        if doc is None or not terms or query.span:
            return []
        year = self.review_year(doc.doc_id) if query.kind == "result" else self.plan_year(doc.doc_id)
        years = set(query.years) or {year}
        kinds = FACT_KINDS.get(query.kind or "", ())
        rows = [f for f in self.facts_by_doc.get(doc.doc_id, ()) if f.indicator in terms and f.period in years
                and f.kind in kinds and f.span_start is None and f.subject in (None, doc.profile.area_word)]
        seen = {h.passage.id for h in hits}
        found = [p for p in doc.passages if p.id not in seen and any(r.source in p.text for r in rows)]
        return [Hit(passage=p, score=0, rank=len(hits) + n, retriever="facts")
                for n, p in enumerate(found[:FACT_HITS], start=1)]

    def similarities(self, text: str, texts: list[str]) -> list[float]:
        """Cosine of the question with each text (bundled multilingual model; vectors cached)."""
        if self.embed is None or not texts:
            return [0] * len(texts)
        cache = self.__dict__.setdefault("_vectors", {})
        new = [t for t in dict.fromkeys(texts) if t not in cache]
        if len(cache) + len(new) > VECTOR_CACHE_SIZE:
            cache.clear()  # a large corpus: the clauses of recent questions again, memory bounded
            new = list(dict.fromkeys(texts))
        if new:
            for t, v in zip(new, self.embed(new)):
                cache[t] = v
        asked = self.__dict__.setdefault("_asked", {})
        if text not in asked:
            if len(asked) > CACHE_SIZE:
                asked.clear()
            asked[text] = self.embed([text])[0]
        q = asked[text]
        return [float(np.dot(q, cache[t])) for t in texts]

    @cached_property
    def sounds(self) -> dict[str, str] | None:
        """Each Chinese character's toneless pinyin (precomputed at build); None when the index holds none
        (a retriever without an index)."""
        index = getattr(getattr(self.retriever, "dense", self.retriever), "index", None)
        rows = index.array(SOUNDS_ARTEFACT) if hasattr(index, "array") else None
        return None if rows is None else {str(char): str(syllable) for char, syllable in rows}

    @cached_property
    def same_sound(self) -> dict[str, tuple[str, ...]]:
        """The characters of each sound, grouped once for every report's speller."""
        from qa.question.spelling import alike

        return alike(self.sounds or {})

    def place_names(self, place: str) -> tuple[str, ...]:
        """A place and the other names the glossary gives it (综保区: 综合保税区)."""
        if self.glossary is None:
            return (place,)
        return tuple(dict.fromkeys((place, *(n for e in self.glossary.matches(place) for n in e.names))))

    def spell(self, doc_id: str | None) -> Callable[[str], str] | None:
        """Reads words typed by their sound as the words of the report asked about (qa.question.spelling;
        of the whole corpus when none is chosen): adding reports never changes how a question about one
        report is read. None without the characters' sounds."""
        from qa.question.spelling import Homophones
        from qa.question.words import cues

        if self.sounds is None:
            return None
        spellers = self.__dict__.setdefault("_spellers", {})
        key = doc_id if doc_id in self.by_id else None
        if key not in spellers:
            docs = [self.by_id[key]] if key else list(self.documents)
            keep = cues().raw["spelling"]["keep_chars"]
            words = self.glossary.chinese_terms() if self.glossary is not None else ()
            spellers[key] = Homophones([d.text for d in docs], self.sounds, self.same_sound, keep, words).correct
        return spellers[key]

    def warm(self) -> None:
        self.by_id, self.facts_by_doc, self.years_by_doc, self.sounds  # noqa: B018
        _load_romanised(self.retriever)
        _load_jieba(self.retriever)


# --- what `qa build` precomputes for answering (artefacts of the index, see qa.index) -------------
ROMANISED_ARTEFACT = "romanised_names"


def _romanised_names(inputs) -> np.ndarray:
    """(name, pinyin) of every Chinese name of the corpus's regions: parsing an English question
    then needs no pypinyin import (~0.5 s CPU of a fresh `qa ask`)."""
    from pypinyin import lazy_pinyin

    from qa.question.scope import _CJK_NAME, report_names

    names = sorted({n for d in inputs.documents for n in report_names(d.profile) if _CJK_NAME.fullmatch(n)})
    return np.array([[n, "".join(lazy_pinyin(n))] for n in names], dtype=str).reshape(-1, 2)


SOUNDS_ARTEFACT = "character_sounds"


def _character_sounds(inputs) -> np.ndarray:
    """(character, toneless pinyin) of every common Chinese character (U+4E00–U+9FFF), for reading words
    typed by their sound: a slip's character need not be in any report, and a process then needs no
    pypinyin import."""
    return _sounds()


@lru_cache(maxsize=1)
def _sounds() -> np.ndarray:
    from pypinyin import lazy_pinyin

    chars = [chr(c) for c in range(0x4E00, 0xA000)]
    return np.array(list(zip(chars, lazy_pinyin(chars))), dtype=str).reshape(-1, 2)


def _load_romanised(retriever) -> None:
    """Fill the question layer's romanisations from the index this retriever loaded (a pure
    name → pinyin table: one from an older build is still right for the names it holds)."""
    from qa.question import scope

    index = getattr(getattr(retriever, "dense", retriever), "index", None)
    rows = index.array(ROMANISED_ARTEFACT) if hasattr(index, "array") else None
    if rows is not None:
        scope.ROMANISED.update((str(name), str(latin)) for name, latin in rows)


JIEBA_ARTEFACT = "jieba_dictionary"


def _write_jieba_dictionary(inputs, folder) -> None:
    """jieba's whole dictionary (words and prefixes, as jieba holds it) as sorted arrays, one per
    word length: a process looks words up in them (`SortedFreq`) instead of loading jieba's 350k
    entries (~0.6-1.3 s CPU of the first answer). Segmentation is unchanged: same entries, same total."""
    arrays, total = _jieba_arrays()
    for length, (words, freqs) in arrays.items():
        np.save(folder / f"words_{length}.npy", words, allow_pickle=False)
        np.save(folder / f"freq_{length}.npy", freqs, allow_pickle=False)
    np.save(folder / "total.npy", np.array([total], dtype=np.int64), allow_pickle=False)


@lru_cache(maxsize=1)
def _jieba_arrays() -> tuple[dict[int, tuple[np.ndarray, np.ndarray]], int]:
    """jieba's dictionary as (sorted words, their frequencies) per word length; once per process."""
    import jieba

    jieba.dt.check_initialized()
    by_length: dict[int, list[tuple[str, int]]] = {}
    for word, freq in jieba.dt.FREQ.items():
        by_length.setdefault(len(word), []).append((word, freq))
    arrays = {}
    for length, rows in by_length.items():
        rows.sort()
        arrays[length] = (np.array([w for w, _ in rows], dtype=f"<U{length}"), np.array([f for _, f in rows], dtype=np.int64))
    return arrays, jieba.dt.total


class SortedFreq:
    """jieba's FREQ mapping (word → frequency, 0 for a prefix) read by binary search from the
    build's sorted arrays: only `in`, `[]` and `get`, which is all jieba's cut without HMM uses."""

    def __init__(self, folder):
        self.words: dict[int, np.ndarray] = {}
        self.freqs: dict[int, np.ndarray] = {}
        for path in folder.glob("words_*.npy"):
            length = int(path.stem.split("_")[1])
            self.words[length] = np.load(path, mmap_mode="r", allow_pickle=False)
            self.freqs[length] = np.load(folder / f"freq_{length}.npy", mmap_mode="r", allow_pickle=False)
        self.total = int(np.load(folder / "total.npy", allow_pickle=False)[0])
        self._seen: dict[str, int | None] = {}

    def get(self, word: str, default=None):
        if word in self._seen:
            found = self._seen[word]
        else:
            found, words = None, self.words.get(len(word))
            if words is not None and len(words):
                i = int(np.searchsorted(words, word))
                if i < len(words) and words[i] == word:
                    found = int(self.freqs[len(word)][i])
            if len(self._seen) > 65536:
                self._seen.clear()
            self._seen[word] = found
        return default if found is None else found

    def __contains__(self, word) -> bool:
        return self.get(word) is not None

    def __getitem__(self, word: str) -> int:
        found = self.get(word)
        if found is None:
            raise KeyError(word)
        return found


def sorted_jieba(folder):
    """A jieba tokenizer over the stored dictionary, ready without loading jieba's own."""
    import jieba

    freq = SortedFreq(folder)
    tokenizer = jieba.Tokenizer()
    tokenizer.FREQ, tokenizer.total, tokenizer.initialized = freq, freq.total, True
    return tokenizer


def _load_jieba(retriever) -> None:
    from qa import evidence

    index = getattr(getattr(retriever, "dense", retriever), "index", None)
    folder = index.artefact(JIEBA_ARTEFACT) if hasattr(index, "artefact") else None
    if folder is not None and (folder / "total.npy").is_file() and evidence.tokenizer_folder() != folder:
        evidence.use_tokenizer(sorted_jieba(folder), folder)


def _register() -> None:
    from qa.index import register_array, register_artefact

    register_array(ROMANISED_ARTEFACT, _romanised_names)
    register_array(SOUNDS_ARTEFACT, _character_sounds)
    register_artefact(JIEBA_ARTEFACT, _write_jieba_dictionary)


_register()


def parse_query(question: str, history, doc_id: str | None, ctx: AnswerContext) -> Query:
    """The question parsed once, scoped to the chosen report (or the one it names, or the only one)."""
    from qa.question.parse import parse

    query = parse(question, history, reports=ctx.documents, glossary=ctx.glossary, chosen_doc=doc_id,
                  spell=ctx.spell(doc_id), max_chars=ctx.max_question_chars)
    return _short_places(query, ctx)


def _short_places(query: Query, ctx: AnswerContext) -> Query:
    """A place of the report's area named by its short form (柏溪 for 柏溪镇, which the report writes) is a place the
    question names, like its full name: the figure must name it, and it is no word of the indicator."""
    if query.language != "zh" or query.doc_id is None:
        return query
    from qa.profile import short_names

    found = [(p, s) for p in sorted(ctx.places_of(query.doc_id), key=len, reverse=True) if p not in query.text
             and not any(p in x or x in p for x in query.places)
             for s in short_names(p) if s in query.text and not any(s in x for x in query.places)]
    if not found:
        return query
    topic = query.topic
    for _, short in found:
        topic = topic.replace(short, " ").strip() or topic
    return query.model_copy(update={"places": query.places + tuple(dict.fromkeys(p for p, _ in found)),
                                    "topic": " ".join(topic.split())})
