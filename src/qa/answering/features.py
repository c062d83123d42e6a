"""Named features of a candidate for a query: each says one thing a reader would check.

Values are 0/1 flags or shares in 0..1; the scorer's fitted weights say how much each counts.
"""

from __future__ import annotations

import re
from functools import lru_cache

from qa.answering.candidates import NAME_CUT as _NAME_CUT, Candidate, is_rate_figure, same_subject
from qa.data import load
from qa.evidence import english_senses, holds_key, key_terms, text_terms
from qa.numbers import MONEY_BASES, POINTS, UNITS, InputError, ascii_digits, compatible, counts_alike, is_reduction_indicator
from qa.question.query import Query
from qa.question.words import cues

_TARGET_CUE = re.compile(r"目标|预期|规划确定|力争|计划|确保|争取|控制在|不低于|拟|将|(?<![主重需必])要")
_HEDGE_AFTER = re.compile(r"以内|左右|以上")  # of the figure itself (8%左右), not of 规模以上 in its name
_SHARE_CUE = re.compile(r"占|比重|比例|率|份额")
_RESULT_CUE = re.compile(r"完成|实现|达到|全年|累计|比上年|同比")

FEATURES: tuple[str, ...] = (
    "cov_lead", "cov_group", "cov_sent", "cov_head", "key_term", "inv_rank", "first_in_group",
    "want_growth_is_growth", "want_growth_not_growth", "want_level_is_growth", "want_level_has_pair",
    "is_pct", "want_share_pct", "want_share_cue", "want_level_pct",
    "unit_ok", "unit_bad", "classifier_count",
    "year_match", "year_mismatch", "period_plan", "period_review",
    "target_cue", "want_target_cue", "want_result_cue", "want_target_plan", "want_result_plan",
    "qualifier", "english", "english_rank", "heading_like",
    "cov_after", "cov_near", "gap_near", "gap_lead", "gap_group", "best_near",
    "cov_tight_before", "cov_tight_after", "gap_tight_before", "gap_tight_after", "gap_tight",
    "end_state", "start_state", "change_count_unasked", "sem_en", "gap_sem_en",
    "cov_measured", "gap_measured", "head_term", "name_precision", "estimate", "span_match", "span_mismatch", "list_own", "list_other",
    "want_result_target_cue", "stock_change", "stock_state", "want_level_points", "exact_name", "cov_shared_subject", "money_asked_count", "want_target_qualifier", "reduction_unasked",
    "contrast_word", "want_target_review", "unknown_term", "known_missing",
)
RELATIVE = {"gap_near": "cov_near", "gap_lead": "cov_lead", "gap_group": "cov_group",
            "gap_tight_before": "cov_tight_before", "gap_tight_after": "cov_tight_after",
            "gap_tight": "cov_tight", "gap_sem_en": "sem_en", "gap_measured": "cov_measured"}
NEAR = 10  # characters each side of a figure that name what it counts
TIGHT = 6
HEDGE_NEAR = 2  # characters after a figure its own hedge stands in (8% 左右)
END_STATE = re.compile(r"(?:到|至|为|达到|达)$")  # a state a change led to: (增加)到19260元
START_STATE = re.compile(r"由[^，；]*$|从[^，；]*$")  # the start of a change: 由168.2亿元(增加到…)
_CHANGE_COUNT = re.compile(r"新增|净增|增加|减少|新建|新开工")
_STOCK = re.compile(r"总数|总量|累计|共有|现有|总计|合计")


def added(c: Candidate) -> bool:
    """The words right before a figure say it was added (新增820张), not the level a change reached (由86家增加到258家)."""
    return bool(_CHANGE_COUNT.search(c.lead[-NEAR:])) and not END_STATE.search(c.lead.strip())


def added_not_stock(c: Candidate) -> bool:
    """The words right before a figure say it was added (新增820张), not how many there are (总数达到53家)."""
    return added(c) and not _STOCK.search(c.lead[-NEAR:])


_DIGIT = re.compile(r"\d")


def target_cue(c: Candidate) -> bool:
    """Words of a target or plan around the figure (目标, 力争, 计划, 左右, 以上…)."""
    return bool(_TARGET_CUE.search(c.group + c.after) or _HEDGE_AFTER.search(c.q.raw + c.after[:HEDGE_NEAR]))


def name_lead(c: Candidate) -> str:
    """The words before a figure that name it: for a rate stated after its level ("完成地区生产总值111亿元，
    同比增长7.5%") the level's own lead, else the figure's lead."""
    if c.level is not None and c.q.is_growth:
        at = c.group.rfind(c.level.raw.strip())  # the group, not the lead: in "A和B分别达到1元和2元，分别增长3%和4%"
        if at > 0:                               # the lead of 4% stops at 2元, its level's name is further back
            return _NAME_CUT.split(c.group[:at])[-1] or c.group[:at]
    return c.lead


@lru_cache(maxsize=4096)
def asks_money(topic: str) -> bool:
    """The topic ends with a noun of money (…投资, …收入): question_words.json "money_heads"."""
    words = cues().raw["aspect_words"]["words"]
    for word in sorted(words, key=len, reverse=True):
        topic = topic.removesuffix(word)
    return topic.endswith(tuple(cues().raw["money_heads"]["words"]))


def is_money(unit: str) -> bool:
    return UNITS.get(unit, ("",))[0] in MONEY_BASES


def shared_subject(c: Candidate) -> str:
    """For a figure whose clause continues the previous figure's ("全年安排重点项目40个，年度计划投资60亿元": the
    investment of those 重点项目), that figure's words, figures left out; else nothing."""
    before = c.group[: len(c.group) - len(c.lead)]
    if not before or not c.lead.startswith(("，", ",")):
        return ""
    return _DIGIT.split(_NAME_CUT.split(before.rstrip("，,"))[-1], 1)[0]


def indicator_name(c: Candidate) -> str:
    """The measured phrase as the fact table would name it: no completion verb, list marker or year."""
    from qa.facts.extract import clean_name

    phrase = measured_phrase(c).strip("，,、；;：: ")
    name = clean_name(phrase) or phrase
    if c.q.is_growth:  # 地区生产总值增长7%: the rate of 地区生产总值 (单位地区生产总值能耗下降: of 单位…能耗)
        for verb in _verbs_longest_first():
            if name.endswith(verb) and len(name) > len(verb):
                return name[: -len(verb)]
    return name


@lru_cache(maxsize=1)
def _verbs_longest_first() -> tuple[str, ...]:
    from qa.facts.extract import VERB_ENDS

    return tuple(sorted(VERB_ENDS, key=len, reverse=True))


def measured_phrase(c: Candidate) -> str:
    """The words that say what a figure measures: for a count followed by its noun ("18家高污染企业停产整治")
    the words after it, up to the clause's end; otherwise its name before it, from the clause's start."""
    if c.noun_after:
        return c.noun_after[:NEAR * 2]
    lead = name_lead(c)
    parts = _NAME_CUT.split(lead)
    if len(parts) > 1 and parts[-1] and same_subject(parts[-1]):  # "新增高新技术企业14家，总数达到53家": 总数 of those
        return _DIGIT.split(parts[-2], 1)[0] + parts[-1]
    return parts[-1] or lead


@lru_cache(maxsize=1)
def _total_terms() -> frozenset[str]:
    """Terms of the words for "the amount of" (question_words.json "total_words": 总额, 总量…): 固定资产投资总额
    is not answered by 社会消费品零售总额 for sharing 总额."""
    return frozenset(t for w in cues().raw["total_words"]["words"] for t in text_terms(w))


_CJK_WORD = re.compile(r"[\u4e00-\u9fff]+")


class Cover:
    """`qa.evidence.coverage` for one question, its idf weights computed once: share of the question's
    idf weight found in a text (its best synonym variant); a term found only in `context` counts half."""

    def __init__(self, terms, idf, text: str | None = None):
        self.terms = terms
        variants = [terms] if terms and isinstance(terms[0], str) else list(terms)
        # words of the question the report never writes, in its best synonym variant (地铁 of 地铁运营里程 in a
        # report without a metro): the report may not say the indicator at all
        words = [{t for t in v if len(t) >= 2 and _CJK_WORD.fullmatch(t)} for v in variants if v]
        self.unknown = 0 if text is None else min((sum(1 for t in w if t not in text) for w in words), default=0)
        # per variant, its words the report does write: each should stand by a figure that answers
        self.known = [] if text is None else [frozenset(t for t in w if t in text) for w in words]
        self.variants = []
        for variant in variants:
            weights = {t: idf(t) for t in set(variant)}
            total = sum(weights.values())
            if total:
                self.variants.append((weights, total))
        self.cache: dict[tuple[str, str], float] = {}
        self.precisions: dict[str, float] = {}
        self.idf = idf
        self.keys = key_terms(terms, idf, _total_terms()) if terms else []
        self.spans = [frozenset(t for t in text_terms("".join(v)) if len(t) == 2) for v in variants if v]
        aspects = frozenset(cues().raw["aspect_words"]["words"])  # 总额, 总量, 规模…: the report often omits them
        self.heads = {next((t for t in reversed(variant) if t not in aspects), variant[-1])
                      for variant in variants if variant}

    def precision(self, text: str) -> float:
        """Share of a name's word pairs (idf-weighted) that the question also writes: 单位地区生产总值能耗 is
        more than 地区生产总值 (the complement of coverage, which asks how much of the question is in the name)."""
        if text not in self.precisions:
            pairs, total = self.idf.pairs(text)
            found = max((sum(w for t, w in pairs.items() if t in span) for span in self.spans), default=0)
            self.precisions[text] = found / total if total else 0
        return self.precisions[text]

    def misses_known(self, text: str) -> bool:
        """Every synonym variant has a word the report writes elsewhere but this text does not (工业 of 工业投资
        beside 完成投资342.6亿元)."""
        return bool(self.known) and all(any(t not in text for t in w) for w in self.known)

    def head(self, text: str) -> float:
        """Whether the text holds the question's last term, the head of a Chinese noun phrase (重点项目总投资:
        投资), in any synonym variant."""
        return float(bool(self.heads & text_terms(text.replace("、", ""))))

    def __call__(self, text: str, context: str = "") -> float:
        key = (text, context)
        if key not in self.cache:
            present = text_terms(text)
            if "、" in text:  # "省、市重点项目" also holds 省市
                present = present | text_terms(text.replace("、", ""))
            around = text_terms(context) if context else frozenset()
            best = 0
            for weights, total in self.variants:
                found = sum(w if t in present else w / 2 if t in around else 0 for t, w in weights.items())
                best = max(best, found / total)
            self.cache[key] = best
        return self.cache[key]


@lru_cache(maxsize=1)
def estimate_words() -> frozenset[str]:
    """Hedges that mark an estimate of a result (预计), not a target: qualifiers.json "estimate"."""
    data = load("qualifiers.json")
    return frozenset(data.get("estimate", ()))


def list_subject(c: Candidate, topic: str) -> tuple[float, float]:
    """For the i-th figure of a "分别" list ("城市、农村低保标准分别提高到680元和520元"): whether the question names
    the i-th subject's own words (农村 for 520元), and whether it names only another subject's."""
    from qa.answering.respectively import list_subjects

    found = list_subjects(c.sentence.text, c.q.start)
    if found is None:
        return 0, 0
    words = [p[:2] for p in found[0]]
    own = words[found[1]]
    others = [w for w in words if w != own]
    said_own, said_other = own in topic, any(w in topic for w in others)
    return float(said_own and not said_other), float(said_other and not said_own)


def _unit_fit(c: Candidate, query: Query) -> tuple[float, float, float]:
    if not query.unit:
        return 0, 0, 0
    if query.classifier_only:
        fits = counts_alike(query.unit, c.q.unit)
        return (1, 0, 1) if fits else (0, 1, 0)
    try:
        fits = c.q.unit.startswith(query.unit) or compatible(c.q.unit, query.unit)
    except InputError:
        fits = False
    return (1, 0, 0) if fits else (0, 1, 0)


def features(c: Candidate, query: Query, cover: Cover, idf, plan_year: int | None, review_year: int | None,
             sem: float = 0) -> dict[str, float]:
    want_growth = query.measure == "growth" and not query.also_growth
    want_level = query.measure in ("level", "count") or query.also_growth
    want_share = query.measure == "share"
    near = c.group + c.q.raw + c.after
    lead = name_lead(c)
    cov_lead = cover(lead)
    cov_group = cover(c.group, c.sentence.text)
    period = c.period
    years = set(query.years)
    year_in_sentence = any(str(y) in ascii_digits(c.sentence.text) for y in years)
    year_match = float(bool(years) and (period in years or year_in_sentence))
    year_mismatch = float(bool(years) and period is not None and period not in years and not year_in_sentence)
    cued = float(target_cue(c))  # 预计 hedges an estimate of a result
    result_cue = float(bool(_RESULT_CUE.search(c.group)))
    period_plan = float(plan_year is not None and period == plan_year)
    period_review = float(review_year is not None and period == review_year)
    unit_ok, unit_bad, count = _unit_fit(c, query)
    english = float(query.language == "en")
    span_said = bool(cues().span_words.search(c.lead))
    list_own, list_other = list_subject(c, subjects_asked(query))
    measured = measured_phrase(c)
    precision = cover.precision(indicator_name(c))
    cov_measured = cover(measured)
    hedged = any(h not in estimate_words() for h in c.q.hedges)  # 左右, 以上, 力争… (预计 is an estimate's)
    end_state = bool(END_STATE.search(c.lead.strip()))
    change_count = added(c)
    return {
        "cov_lead": cov_lead,
        "cov_group": cov_group,
        "cov_sent": cover(c.sentence.text),
        "cov_head": cover(" ".join(c.passage.section_path)),
        "key_term": float(holds_key(cover.keys, near)),
        "unknown_term": float(cover.unknown > 0 and query.language == "zh"),
        "known_missing": float(query.language == "zh" and cover.misses_known(
            c.sentence.text + " ".join(c.passage.section_path))),
        "inv_rank": 1 / c.rank,
        "first_in_group": float(c.lead == c.group),
        "want_growth_is_growth": float(want_growth and is_rate_figure(c)),
        "want_growth_not_growth": float(want_growth and not is_rate_figure(c)),
        "want_level_is_growth": float(want_level and c.q.is_growth),
        "want_level_has_pair": float(query.also_growth and c.growth is not None),
        "is_pct": float(c.q.unit == "%"),
        "want_share_pct": float(want_share and c.q.unit == "%" and not c.q.is_growth),
        "want_share_cue": float(want_share and bool(_SHARE_CUE.search(c.lead[-8:]))),
        "want_level_pct": float(want_level and c.q.unit == "%"),
        "unit_ok": unit_ok,
        "unit_bad": unit_bad,
        "classifier_count": count,
        "year_match": year_match,
        "year_mismatch": year_mismatch,
        "period_plan": period_plan,
        "period_review": period_review,
        "target_cue": cued,
        "want_target_cue": float(query.kind in ("target", "plan")) * cued,
        "want_result_cue": float(query.kind == "result") * result_cue,
        "want_target_plan": float(query.kind in ("target", "plan")) * period_plan,
        "want_result_plan": float(query.kind == "result") * period_plan,
        "qualifier": float(hedged),
        "reduction_unasked": float(c.reduction and not is_reduction_indicator(query.topic)),  # 能耗下降 for GDP
        "want_target_qualifier": float(query.kind in ("target", "plan") and hedged),
        "estimate": float(any(h in estimate_words() for h in c.q.hedges)),
        "english": english,
        "english_rank": english / c.rank,
        "heading_like": float(len(c.sentence.text) < 12),
        "cov_after": cover(c.after),
        "cov_near": cover(lead[-NEAR:] + c.after[:NEAR]),
        "cov_tight_before": cover(lead[-TIGHT:]),
        "cov_tight_after": cover(c.after[:TIGHT]),
        "cov_tight": cover(lead[-TIGHT:] + "|" + c.after[:TIGHT]),
        "end_state": float(end_state),
        "start_state": float(bool(START_STATE.search(c.group)) and not end_state),
        "change_count_unasked": float(change_count and not _CHANGE_COUNT.search(query.topic)),
        "sem_en": english * sem,
        "cov_measured": cov_measured,
        "head_term": cover.head(measured),
        "name_precision": precision,
        "span_match": float(query.span and span_said),
        "span_mismatch": float(span_said != query.span),
        "list_own": list_own,
        "list_other": list_other,
        "want_result_target_cue": float(query.kind == "result") * cued,
        "want_level_points": float(want_level and c.q.unit == POINTS),
        "exact_name": float(precision == 1 and cov_measured == 1),  # all of the question's words, nothing more
        "cov_shared_subject": cover(shared_subject(c) + measured),
        "money_asked_count": float(want_level and not query.unit and asks_money(query.topic) and not is_money(c.q.unit)),
        "stock_change": float(query.asks_stock and change_count),
        "stock_state": float(query.asks_stock and (end_state or bool(_STOCK.search(c.lead[-NEAR:])))),
        "contrast_word": contrast(asked_members(query), name_lead(c)[-NEAR * 2:] + measured),
        # a target asked, a result of the review year without a target's words (预计 is an estimate's)
        "want_target_review": float(query.kind in ("target", "plan") and period_review and not cued),
    }


def asked_members(query: Query) -> frozenset[str]:
    """The group words the question names; of an English question, those of its words' first senses (export:
    出口, not 进出口)."""
    return members(asked_words(query))


def asked_words(query: Query) -> str:
    """The question's topic in the reports' words: an English question's words by their first senses."""
    if query.language != "en":
        return query.topic
    return " ".join(senses[0] for senses in english_senses(query.topic) if senses)


def subjects_asked(query: Query) -> str:
    """The words that may name a "分别" list's subject: the topic, the places and the glossary terms asked
    (农民收入 asks 农村居民人均可支配收入: the 农村 of 城镇、农村居民人均可支配收入分别增长6%和7.5%)."""
    return " ".join((asked_words(query), *query.places, *query.concepts))


def members(text: str) -> frozenset[str]:
    """The words of question_words.json "alternatives" groups (城镇/农村, 收入/支出, 进口/出口/进出口…) a text
    uses, longest first (进出口 is not 出口)."""
    return _members(text.replace(" ", ""))


@lru_cache(maxsize=8192)
def _members(text: str) -> frozenset[str]:
    words = sorted({w for group in cues().alternatives for w in group} | set(_per_unit()), key=len, reverse=True)
    found = set()
    for word in words:
        if word in text:
            found.add(word)
            text = text.replace(word, "|")
    return frozenset(found)


@lru_cache(maxsize=1)
def _per_unit() -> tuple[str, ...]:
    return tuple(cues().raw["per_unit_words"]["words"])


def contrast(asked: frozenset[str], phrase: str) -> float:
    """1 when the figure's words name another member of a group the question names one of (支出 for 收入 asked,
    进出口 for 出口) and not the one asked, or lack a per-head word it names (人均): a neighbouring indicator,
    not the one asked."""
    if any(w in asked for w in _per_unit()) and not any(w in phrase for w in _per_unit() if w in asked):
        return 1  # 人均地区生产总值 asked, 地区生产总值 said (居民可支配收入 is per head without saying so)
    return float(other_member(asked, phrase))


def other_member(asked: frozenset[str], phrase: str) -> bool:
    """The figure's words name another member of a group the question names one of (支出 for 收入 asked,
    进出口 for 出口, 登记失业率 for 调查失业率) and not the one asked."""
    if not asked:
        return False
    said = members(phrase)
    for group in cues().alternatives:
        mine, theirs = asked.intersection(group), said.intersection(group)
        if mine and theirs and mine.isdisjoint(theirs):
            return True
    return False


def add_relative(rows: list[dict[str, float]]) -> list[dict[str, float]]:
    """How far each candidate stands below the best of the same question, feature by feature."""
    if not rows:
        return rows
    best = {gap: max(r[base] for r in rows) for gap, base in RELATIVE.items()}
    for r in rows:
        for gap, base in RELATIVE.items():
            r[gap] = r[base] - best[gap]
        r["best_near"] = float(r["gap_near"] == 0 and r["cov_near"] > 0)
    return rows


def vector(feats: dict[str, float]) -> list[float]:
    return [feats[name] for name in FEATURES]
