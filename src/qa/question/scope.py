"""Which report a question is about, and the place names it mentions that no report covers.

A report is named by its region in any form its profile gives (full name, short names) or by the
full name without its admin suffix (清河县 → 清河, 内蒙古自治区 → 内蒙古). Place detection is a
regex over bounded windows (2-3 characters and an admin suffix), linear in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Mapping

from qa.data import alternation
from qa.models import DocProfile
from qa.question.text import normalize
from qa.question.words import cues

MIN_SHORT_NAME = 2  # a one-character stem (e.g. of 沛县) names nothing on its own


@dataclass(frozen=True)
class Scoped:
    doc_id: str | None
    scope: str  # one of qa.question.query.Scope
    named: tuple[str, ...]  # doc_ids named, in order of first mention
    places: tuple[str, ...]  # foreign place names
    name_spans: tuple[tuple[int, int], ...]  # where report names were found (to strip from the topic)


def report_names(profile: DocProfile) -> tuple[str, ...]:
    """Every normalised name of a report's region, longest first: profile names and suffix-less stems."""
    return _names(tuple(profile.names))


@lru_cache(maxsize=256)
def _names(given: tuple[str, ...]) -> tuple[str, ...]:
    names = {normalize(n) for n in given if n and n.strip()}
    for name in list(names):
        for suffix in cues().admin_suffixes:
            if name.endswith(suffix) and len(name) - len(suffix) >= MIN_SHORT_NAME:
                names.add(name[: -len(suffix)])
                break
    return tuple(sorted(names, key=len, reverse=True))


def _key(reports: Mapping[str, DocProfile]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((doc_id, tuple(p.names)) for doc_id, p in reports.items())


@lru_cache(maxsize=64)
def _name_index(key) -> tuple[re.Pattern | None, dict[str, tuple[str, ...]], frozenset[str]]:
    """(pattern of every name, name → doc_ids, all names), built once per set of reports."""
    owners: dict[str, list[str]] = {}
    for doc_id, given in key:
        for name in _names(given):
            owners.setdefault(name, []).append(doc_id)
    if not owners:
        return None, {}, frozenset()
    pattern = re.compile(alternation(owners))
    return pattern, {n: tuple(ids) for n, ids in owners.items()}, frozenset(owners)


# name → its pinyin ("".join(lazy_pinyin(name))), as `qa build` stored it for the corpus's names
# (qa.answering.context fills it from the index): a process then never imports pypinyin.
ROMANISED: dict[str, str] = {}


@lru_cache(maxsize=64)
def _latin_index(key) -> tuple[re.Pattern | None, dict[str, tuple[str, ...]]]:
    """Romanised names (清河 → qinghe, "Qinghe County"), built on the first question with Latin words."""
    lazy_pinyin = None
    if any(_CJK_NAME.fullmatch(n) and n not in ROMANISED for _, given in key for n in _names(given)):
        try:  # ~0.5 s of imports: only for names `qa build` did not romanise (see ROMANISED)
            from pypinyin import lazy_pinyin
        except ImportError:  # without pypinyin only Latin names written in the profile count
            lazy_pinyin = None
    owners: dict[str, list[str]] = {}
    for doc_id, given in key:
        for name in _names(given):
            if _LATIN_NAME.fullmatch(name):
                latin = name
            elif name in ROMANISED and _CJK_NAME.fullmatch(name):
                latin = ROMANISED[name]
            elif lazy_pinyin is not None and _CJK_NAME.fullmatch(name):
                latin = "".join(lazy_pinyin(name))
            else:
                continue
            owners.setdefault(latin, []).append(doc_id)
    if not owners:
        return None, {}
    admin = "|".join(re.escape(w) for w in cues().raw["places"]["english_admin_words"])
    names = alternation(owners)
    pattern = re.compile(rf"(?<![a-z])({names})(?:\s+(?:{admin}))?(?:'s)?(?![a-z])")
    return pattern, {n: tuple(ids) for n, ids in owners.items()}


_LATIN_NAME = re.compile(r"[a-z][a-z .'\-]+")
_CJK_NAME = re.compile(r"[\u4e00-\u9fff]+")
_LATIN_WORD = re.compile(r"[a-z]{3,}")


def names_in(text: str, reports: Mapping[str, DocProfile], key=None) -> tuple[list[str], list[tuple[int, int]]]:
    """The doc_ids whose region the (normalised) text names, in order, and where the names are."""
    key = key or _key(reports)
    found: list[tuple[int, int, tuple[str, ...]]] = []
    pattern, owners, _ = _name_index(key)
    if pattern is not None:
        found += [(m.start(), m.end(), owners[m.group(0)]) for m in pattern.finditer(text)]
    if _LATIN_WORD.search(text):
        latin, latin_owners = _latin_index(key)
        if latin is not None:
            found += [(m.start(), m.end(), latin_owners[m.group(1)]) for m in latin.finditer(text)]
    named: list[str] = []
    spans: list[tuple[int, int]] = []
    for start, end, doc_ids in sorted(found):
        spans.append((start, end))
        for doc_id in doc_ids:
            if doc_id not in named:
                named.append(doc_id)
    return named, spans


def _weak(name: str) -> bool:
    """An area word (全国, 全省) names the national report only when nothing else scopes the question:
    in any report "全国第一" is a ranking, not a choice of report."""
    return name.startswith(cues().place_generic_prefixes)


def _generic(name: str) -> bool:
    c = cues()
    return name.startswith(c.place_generic_prefixes) or name.endswith(c.place_generic_endings)


def foreign_places(text: str, reports: Mapping[str, DocProfile], name_spans=(), key=None) -> list[str]:
    """Place names (X市, X县, …) in the text that are no report's region and no generic area word."""
    own = _name_index(key or _key(reports))[2]
    out: list[str] = []
    for m in cues().place.finditer(text):
        name = m.group(1)
        if any(a < m.end(1) and m.start(1) < b for a, b in name_spans):
            continue
        if name in own or any(n in name for n in own) or _generic(name):
            continue
        if name not in out:
            out.append(name)
    return out


def area_places(text: str, profile: DocProfile) -> frozenset[str]:
    """Every place below the report's own level that its text names at least once after a boundary (辰溪县 of a
    city's report), generic words and verbs before names left out."""
    from qa.profile import GENRE, level_of

    rank = GENRE["level_rank"]
    own = rank.get(profile.level, 0)
    places = cues().raw["places"]
    verbs, suffixes = tuple(places["verbs_before_names"]), set(places["admin_suffixes_for_short_names"])
    found = {m.group(1) for m in cues().place.finditer(text)}
    return frozenset(n for n in found if not _generic(n) and n not in suffixes and not n.startswith(verbs)
                     and not any(own_name in n for own_name in profile.names) and 0 < rank.get(level_of(n), 0) < own)


def area_parts(text: str, profile: DocProfile) -> tuple[str, ...]:
    """The places below the report's own level that its text names (临川县, 松岭县 of a city's report), each
    written at least twice or listed beside another (临川县、松岭县): a figure whose clause names one is that
    part's, not the whole area's. Longest first."""
    found = area_places(text, profile)
    listed = {n for n in found for o in found if o != n and (f"{n}、{o}" in text or f"{o}、{n}" in text)}
    return tuple(sorted((n for n in found if text.count(n) > 1 or n in listed), key=len, reverse=True))


def _owners_of(name: str, key) -> tuple[str, ...]:
    pattern, owners, _ = _name_index(key)
    if name in owners:
        return owners[name]
    latin, latin_owners = _latin_index(key)
    m = latin.fullmatch(name) if latin is not None else None
    return latin_owners.get(m.group(1), ()) if m else ()


def _fits_years(profile: DocProfile, years: tuple[int, ...]) -> bool:
    known = {y for y in (profile.review_year, profile.plan_year) if y is not None}
    return not years or not known or any(y in known for y in years)


def scope(text: str, reports: Mapping[str, DocProfile], chosen_doc: str | None = None,
          carried: tuple[str | None, str] | None = None, explicit_years: tuple[int, ...] = ()) -> Scoped:
    """Scope a normalised question: the region it names, else the chosen report, else the report an
    earlier turn was about (`carried` = (doc_id, scope)), else the only report, else ambiguous.

    Several reports of one region (two years of the same district) are told apart by the explicit
    years asked, then by the choice."""
    key = _key(reports)
    named, spans = names_in(text, reports, key)
    places = tuple(foreign_places(text, reports, spans, key))
    weak = [d for d in named if all(_weak(text[a:b]) for a, b in spans if d in _owners_of(text[a:b], key))]
    if weak and (len(weak) < len(named) or chosen_doc is not None or (carried and carried[0])):
        named = [d for d in named if d not in weak]
        spans = [(a, b) for a, b in spans if not _weak(text[a:b])]
    if len(named) > 1:
        regions = {normalize(reports[d].region or d) for d in named}
        if len(regions) == 1:  # one region, several reports: pick by year, then by choice
            fitting = [d for d in named if _fits_years(reports[d], explicit_years)]
            if chosen_doc in fitting:
                fitting = [chosen_doc]
            named = fitting if len(fitting) == 1 else named
            if len(named) > 1:
                return Scoped(None, "ambiguous", tuple(named), places, tuple(spans))
        return Scoped(named[0] if len(named) == 1 else named[0], "named", tuple(named), places, tuple(spans))
    if len(named) == 1:
        return Scoped(named[0], "named", tuple(named), places, tuple(spans))
    if chosen_doc is not None:
        return Scoped(chosen_doc, "chosen", (), places, tuple(spans))
    if carried is not None and carried[0] is not None:
        return Scoped(carried[0], carried[1], (), places, tuple(spans))
    if len(reports) == 1:
        return Scoped(next(iter(reports)), "only", (), places, tuple(spans))
    if not reports:
        return Scoped(None, "none", (), places, tuple(spans))
    return Scoped(None, "ambiguous", (), places, tuple(spans))
