"""Words typed by their sound: a pinyin input method offers every character of a syllable, and users pick
the wrong one (民声支出 for 民生支出, 棚护区 for 棚户区, 目彪 for 目标). A run of characters the reports never
write, sounding exactly like one they do write and differing from it in one character, is read as that
word; the answer then shows the question as understood.

The sounds are toneless pinyin per character (precomputed at `qa build`, see qa.answering.context); the
words are the reports' own character runs of three or four characters: a two-character slip is read with
a neighbour (城镇新增就叶 → 增就业), as two characters alone sound like too many other words.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Iterable, Mapping

_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
LONGEST = 4
SHORTEST = 3


class Homophones:
    """The reports' character runs by sound, and the corrections of a question against them."""

    def __init__(self, texts: Iterable[str], sound: Mapping[str, str], keep: str = ""):
        self.sound = sound
        self.keep = frozenset(keep)  # question words (哪, 多少…) are never corrected into report words
        self.grams: Counter[str] = Counter()
        for text in texts:
            for run in _CJK_RUN.findall(text):
                for n in range(2, LONGEST + 1):  # pairs too, for `_slip`
                    self.grams.update(run[i : i + n] for i in range(len(run) - n + 1))
        self.by_sound: dict[tuple[str, ...], list[str]] = {}
        for gram in self.grams:
            key = self._key(gram) if len(gram) >= SHORTEST else None
            if key is not None:
                self.by_sound.setdefault(key, []).append(gram)

    def _key(self, gram: str) -> tuple[str, ...] | None:
        key = tuple(self.sound.get(c, "") for c in gram)
        return None if "" in key else key

    def word_for(self, gram: str, before: str = "", after: str = "") -> str | None:
        """The report word `gram` (between the characters `before` and `after` of the question) was typed
        for: same sound, one character different, the most frequent."""
        if gram in self.grams or self.keep.intersection(gram):
            return None
        key = self._key(gram)
        if key is None:
            return None
        found = [w for w in self.by_sound.get(key, ()) if self._slip(before + gram + after, w, len(before))]
        return max(found, key=lambda w: (self.grams[w], w)) if found else None

    def _slip(self, around: str, word: str, start: int) -> bool:
        """One character differs, and it makes no pair the reports write with either of its neighbours in
        the question: 民声 and 声支 are nowhere, so 民声支出 is a slip; 第一 is everywhere, so 去年第一产业
        is not 去年低一产业 (a run new only as a whole, across two words, is no slip)."""
        gram = around[start : start + len(word)]
        differ = [i for i, (a, b) in enumerate(zip(gram, word)) if a != b]
        if len(differ) != 1:
            return False
        k = start + differ[0]
        pairs = [around[j : j + 2] for j in (k - 1, k) if 0 <= j and j + 2 <= len(around)]
        return all(self.grams[p] == 0 for p in pairs)

    def correct(self, text: str) -> str:
        """`text` with each run the reports never write replaced by the report word it sounds like (longest
        runs first, no character corrected twice)."""
        chars = list(text)
        fixed = [False] * len(chars)
        for match in _CJK_RUN.finditer(text):
            lo, hi = match.start(), match.end()
            for n in range(LONGEST, SHORTEST - 1, -1):
                for i in range(lo, hi - n + 1):
                    if any(fixed[i : i + n]):
                        continue
                    word = self.word_for("".join(chars[i : i + n]), "".join(chars[max(lo, i - 1) : i]),
                                         "".join(chars[i + n : min(hi, i + n + 1)]))
                    if word is not None:
                        chars[i : i + n] = list(word)
                        fixed[i : i + n] = [True] * n
        return "".join(chars)
