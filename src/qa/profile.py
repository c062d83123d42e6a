"""Who speaks and about when: a report's profile (region and its names, level, area word, years).

Each field is read from the first place that has it: the declared `<stem>.meta.json`, else the
report's head (the date line, "在X第…次会议上", the speaker's title), else inferred from its
headings and text ("2018年工作回顾", "2019年工作安排", "今年是…", the most frequent 全X).
`DocProfile.sources` records which, so `qa sections` can say what was guessed.

Nothing here names a place: suffixes, titles and cue words are data (data/genre.json).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from qa.clean import GENRE
from qa.data import alternation
from qa.models import DocMeta, DocProfile
from qa.numbers import YEAR_DIGITS

HEAD_LINES = 12

_LEVELS: list[tuple[str, str, tuple[str, ...]]] = sorted(
    ((e["suffix"], e["level"], tuple(e["area_words"])) for e in GENRE["levels"]),
    key=lambda e: len(e[0]),
    reverse=True,
)
_LEVEL_AREA_WORDS: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in GENRE["level_area_words"].items()}
_SPEAKER_TITLES: dict[str, str | None] = GENRE["speaker_titles"]
_ETHNIC = sorted(GENRE["ethnic_words"], key=len, reverse=True)
_NATIONAL = GENRE["national"]
_SHORT_NAME_SUFFIXES: dict[str, dict] = {k: v for k, v in GENRE["short_name_suffixes"].items() if not k.startswith("_")}
_REVIEW_CUES = tuple(GENRE["review_cues"])
_PLAN_CUES = tuple(GENRE["plan_cues"])
MAX_PERIOD_HEADING_CHARS = GENRE["max_period_heading_chars"]
_FIVE_YEAR = re.compile(GENRE["five_year_plan"])
_THIS_YEAR = re.compile(GENRE["this_year_sentence"])
_OPENERS = {side: re.compile(rf"^\s*(?:{alternation(GENRE['period_openers'][side])})") for side in ("review", "plan")}
_YEAR_OPENER = re.compile(r"^\s*(" + YEAR_DIGITS + r")\s*年(?![\d底末初中])")
LATE_YEAR_MONTH = GENRE["late_year_month"]

_CN_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "Ｏ": 0}
_YEAR = r"(" + YEAR_DIGITS + r"|[〇○Ｏ零一二三四五六七八九]{4})"
_DATE = re.compile(_YEAR + r"\s*年\s*([\d一二三四五六七八九十]{1,3})\s*月\s*([\d一二三四五六七八九十]{1,3})\s*日")
_SUFFIXES = "|".join(re.escape(s) for s, _, _ in _LEVELS)
_MEETING = re.compile(rf"在((?:[\u4e00-\u9fff]{{1,12}}?)(?:{_SUFFIXES}))第[一二三四五六七八九十]+届")
_YEAR_IN = re.compile(r"(" + YEAR_DIGITS + r")\s*年")


def year_value(text: str) -> int:
    """1999, ２０２１ or 二〇二一 as an int."""
    if text.isdigit():
        return int(text)
    return int("".join(str(_CN_DIGIT[c]) for c in text))


def _small_number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + _CN_DIGIT[text[1]]
    if text.endswith("十"):
        return _CN_DIGIT[text[0]] * 10
    if "十" in text:
        tens, ones = text.split("十")
        return _CN_DIGIT[tens] * 10 + _CN_DIGIT[ones]
    return _CN_DIGIT[text]


def five_year_span(text: str) -> tuple[int, int] | None:
    """The years of the first five-year plan named in `text` (十三五 -> 2016, 2020)."""
    found = _FIVE_YEAR.search(text)
    if not found:
        return None
    n = 10 + _CN_DIGIT[found.group(1)]
    start = 1966 + 5 * (n - 3)  # the third plan began in 1966; every later plan follows on
    return start, start + 4


def level_of(region: str) -> str:
    """The government level a region's suffix tells (清河县 -> county); "unknown" without one."""
    if region == _NATIONAL["region"]:
        return "national"
    for suffix, level, _ in _LEVELS:
        if region.endswith(suffix) and len(region) > len(suffix):
            return level
    return "unknown"


def short_names(region: str) -> tuple[str, ...]:
    """The forms a user may type: the name without its level suffix and ethnic words
    (内蒙古自治区 -> 内蒙古, 广西壮族自治区 -> 广西壮族, 广西). A stem of one character is no name."""
    if region == _NATIONAL["region"]:
        return tuple(_NATIONAL["short_names"])
    names: list[str] = []
    stem = region
    for suffix, _, _ in _LEVELS:
        if region.endswith(suffix) and len(region) > len(suffix):
            stem = region[: -len(suffix)]
            break
    for suffix, rule in _SHORT_NAME_SUFFIXES.items():  # 滨江新区 -> 滨江, not 滨江新
        cut = len(region) - len(suffix)
        if region.endswith(suffix) and cut >= 2 and region[cut - 1] not in rule.get("not_after", ()):
            stem = region[:cut]
            break
    if stem != region and len(stem) >= 2:
        names.append(stem)
    bare = stem
    changed = True
    while changed:
        changed = False
        for word in _ETHNIC:
            if bare.endswith(word) and len(bare) - len(word) >= 2:
                bare = bare[: -len(word)]
                changed = True
                break
    if bare not in names and bare != region and len(bare) >= 2:
        names.append(bare)
    return tuple(names)


@dataclass
class _Found:
    value: object
    source: str


def _head_date(head: str) -> tuple[int, str] | None:
    found = _DATE.search(head)
    if not found:
        return None
    y, m, d = year_value(found.group(1)), _small_number(found.group(2)), _small_number(found.group(3))
    if not (1 <= m <= 12 and 1 <= d <= 31):
        return None
    return y, f"{y:04d}-{m:02d}-{d:02d}"


def split_parent(region: str) -> tuple[str, str | None]:
    """"临澄市南湖区" -> ("南湖区", "临澄市南湖区"): the unit itself, and the full form naming its parent."""
    best = None
    for i in range(3, len(region) - 1):
        prefix, rest = region[:i], region[i:]
        if level_of(prefix) != "unknown" and level_of(rest) != "unknown":
            best = rest
    return (best, region) if best else (region, None)


def _head_region(head: str) -> str | None:
    found = _MEETING.search(head)
    if found:
        return found.group(1)
    if _NATIONAL["congress"] in head or any(w in head for w in _NATIONAL["speaker_words"]):
        return _NATIONAL["region"]
    for title in _SPEAKER_TITLES:
        speaker = re.search(rf"([\u4e00-\u9fff]{{2,12}}?)人民政府(?:代理|代)?{title}", head)
        if speaker:
            return speaker.group(1)
    return None


def _head_level(head: str, region: str | None = None) -> str | None:
    """The level the speaker's title tells (县长 -> county); 市长 alone says nothing (cities of every rank). A
    report whose meeting names another region is no national one, whatever its head says of 国务院."""
    if any(w in head for w in _NATIONAL["speaker_words"]) and region in (None, "", _NATIONAL["region"]):
        return "national"
    for title, level in _SPEAKER_TITLES.items():
        if level and re.search(rf"人民政府(?:代理|代)?{title}", head):
            return level
    return None


def _area_word(level: str, text: str) -> tuple[str | None, str]:
    """The most frequent 全X of the words the level allows, read from the text; else the level's first."""
    allowed = _LEVEL_AREA_WORDS.get(level, ())
    if not allowed:
        allowed = tuple(dict.fromkeys(w for words in _LEVEL_AREA_WORDS.values() for w in words if w != "全国"))
    counts = Counter({w: text.count(w) for w in allowed})
    word, n = counts.most_common(1)[0] if counts else (None, 0)
    if n:
        return word, "inferred"
    if level in _LEVEL_AREA_WORDS:
        return _LEVEL_AREA_WORDS[level][0], "inferred"
    return None, "missing"


def is_review_heading(title: str) -> bool:
    return len(title) <= MAX_PERIOD_HEADING_CHARS and any(c in title for c in _REVIEW_CUES)


def is_plan_heading(title: str) -> bool:
    return len(title) <= MAX_PERIOD_HEADING_CHARS and any(c in title for c in _PLAN_CUES)


def _years_from_headings(headings: list[str]) -> tuple[int | None, int | None]:
    review = plan = None
    for title in headings:
        years = [int(y) for y in _YEAR_IN.findall(title)]
        if not years:
            continue
        if review is None and is_review_heading(title):
            review = max(years)
        elif plan is None and is_plan_heading(title):
            plan = max(years)
    return review, plan


def _plan_year_from_text(sentences: list[str]) -> int | None:
    """"2019年是…" opening a sentence speaks of the year being planned."""
    for sentence in sentences:
        found = _THIS_YEAR.match(sentence)
        if found and found.group(1):
            return int(found.group(1))
    return None


def build_profile(declared: DocMeta, head_lines: list[str], headings: list[str], text: str,
                  sentences: list[str]) -> DocProfile:
    """The profile of one report. `declared` holds only what `<stem>.meta.json` says;
    `head_lines` are the first logical lines, `headings` the section titles in order."""
    head = "\n".join(head_lines[:HEAD_LINES])
    fields: dict[str, _Found] = {}

    def take(name: str, *candidates: tuple[object, str]) -> None:
        for value, source in candidates:
            if value is not None:
                fields[name] = _Found(value, source)
                return
        fields[name] = _Found(None, "missing")

    region, full_form = split_parent(_head_region(head) or "")
    take("region", (declared.region, "meta"), (region or None, "head"))
    if fields["region"].source == "meta":
        full_form = None
    region = fields["region"].value
    take("short_names", (declared.short_names, "meta"),
         (short_names(region) + ((full_form,) if full_form else ()) if region else None, fields["region"].source))
    take("level", (declared.level, "meta"), (_head_level(head, region), "head"),
         (level_of(region) if region and level_of(region) != "unknown" else None, fields["region"].source))
    level = fields["level"].value or "unknown"
    area, area_source = _area_word(level, text)
    take("area_word", (declared.area_word, "meta"), (area, area_source))
    if fields["area_word"].value is None:
        fields["area_word"].source = "missing"

    head_date = _head_date(head)
    take("date", (declared.date, "meta"), (head_date[1] if head_date else None, "head"))

    # the year the report is given in: declared, else the date line
    given = declared.year if declared.year is not None else (head_date[0] if head_date else None)
    given_source = "meta" if declared.year is not None else "head"
    if given is not None and fields["date"].value and int(fields["date"].value[5:7]) >= LATE_YEAR_MONTH:
        given += 1  # a report given in December plans the coming year
    heading_review, heading_plan = _years_from_headings(headings)
    text_plan = _plan_year_from_text(sentences)
    take("plan_year", (declared.plan_year, "meta"), (given, given_source),
         (heading_plan, "inferred"), (heading_review + 1 if heading_review else None, "inferred"),
         (text_plan, "inferred"))
    plan = fields["plan_year"].value
    take("review_year", (declared.review_year, "meta"),
         (given - 1 if given is not None else None, given_source),
         (heading_review, "inferred"), (plan - 1 if plan is not None else None, "inferred"))

    names = fields["short_names"].value or ()
    return DocProfile(
        region=region,
        short_names=tuple(n for n in names if n != region),
        level=level,
        area_word=fields["area_word"].value,
        date=fields["date"].value,
        review_year=fields["review_year"].value,
        plan_year=fields["plan_year"].value,
        sources={name: found.source for name, found in fields.items()},
    )


def period_of_heading(title: str, review_year: int | None, plan_year: int | None) -> int | None:
    """The year a heading speaks of: its own year ("一、2017年工作回顾"), else the end of a
    five-year plan it names ("“十四五”时期的发展目标"), else review/plan by its cue words."""
    years = [int(y) for y in _YEAR_IN.findall(title)]
    if years:
        return max(years)
    span = five_year_span(title)
    if span and len(title) <= MAX_PERIOD_HEADING_CHARS:
        return span[1]
    if is_review_heading(title):
        return review_year
    if is_plan_heading(title):
        return plan_year
    return None


def opener_period(sentence: str, review_year: int | None, plan_year: int | None) -> int | None:
    """The year a sentence says it speaks of by its first words: 去年… the year reviewed, 今年… the report's own
    year, 2020年… that year (genre.json period_openers); None when it opens otherwise."""
    found = _YEAR_OPENER.match(sentence)
    if found:
        return int(found.group(1))
    if _OPENERS["review"].match(sentence):
        return review_year
    if _OPENERS["plan"].match(sentence):
        return plan_year
    return None


def without_opener(words: str) -> str:
    """The words without a year word opening them (去年规模以上工业增加值 -> 规模以上工业增加值)."""
    for side in ("review", "plan"):
        found = _OPENERS[side].match(words)
        if found:
            return words[found.end():].lstrip("，, ") or words
    return words


def reviews_plan_under_way(title: str, review_year: int | None) -> bool:
    """A heading naming, without a year of its own, the five-year plan the reviewed year falls in and which
    has not ended ("“十一五”前三年主要目标进展顺利" reviewing 2008): its progress, not its goals."""
    span = five_year_span(title)
    return (review_year is not None and span is not None and not _YEAR_IN.search(title)
            and span[0] <= review_year < span[1])


def five_year_label(text: str) -> str | None:
    """The report's name of the five-year plan in `text` ("十三五"), without quotes."""
    found = _FIVE_YEAR.search(text)
    return f"十{found.group(1)}五" if found else None


def review_spans(headings: list[str] | tuple[str, ...]) -> tuple[tuple[int, int, str], ...]:
    """Multi-year periods a report reviews besides its review year, from its review headings:
    "一、2020年和“十三五”时期工作回顾" -> ((2016, 2020, "十三五"),). For the facts of 五年来 passages."""
    out = []
    for title in headings:
        span = five_year_span(title)
        if span and is_review_heading(title):
            out.append((span[0], span[1], five_year_label(title)))
    return tuple(dict.fromkeys(out))
