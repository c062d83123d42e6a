"""Words typed by their sound: a pinyin input method offers every character of a syllable, and users pick
the wrong one (民声支出 for 民生支出, 棚护区 for 棚户区, 目彪 for 目标). A run of characters the report never
writes, sounding exactly like one it (or the glossary) does write and differing from it in one character, is read
as that word; the answer then shows the question as understood.

The sounds are toneless pinyin per character (precomputed at `qa build`, see qa.answering.context); the
words are the report's own character runs of three or four characters: a two-character slip is read with a
neighbour (城镇新增就叶 → 增就业), as two characters alone sound like too many other words.
"""

from __future__ import annotations

import re
from typing import Iterable, Mapping

_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
LONGEST = 4
SHORTEST = 3


def alike(sound: Mapping[str, str]) -> dict[str, tuple[str, ...]]:
    """The characters of each sound (the candidates an input method offers for a syllable)."""
    out: dict[str, list[str]] = {}
    for char, syllable in sound.items():
        out.setdefault(syllable, []).append(char)
    return {syllable: tuple(chars) for syllable, chars in out.items()}


class Homophones:
    """One report's words, and the corrections of a question against them. Holds the text and its set of
    character pairs only (a few MB for a long report): a slip's word is found by trying the characters of
    the same sound at each place."""

    def __init__(self, texts: Iterable[str], sound: Mapping[str, str], same_sound: Mapping[str, tuple[str, ...]],
                 keep: str = "", words: Iterable[str] = ()):
        # words known to be words (the glossary's names: 固投, 社零, 财政收入): typed, they are no slip, although the
        # report may write none of them (松陵固投 is not 松陵古 + 投); mistyped, they are read as themselves (财正收入)
        self.words = tuple(sorted({w for w in words if len(w) >= 2}, key=len, reverse=True))
        self.text = "\n".join((*texts, *self.words))
        self.sound = sound
        self.same_sound = same_sound
        self.keep = frozenset(keep)  # question words (哪, 多少…) are never corrected into report words
        self.pairs = frozenset(run[i : i + 2] for run in _CJK_RUN.findall(self.text) for i in range(len(run) - 1))
        self.chars = frozenset(self.text)
        self.offered: dict[str, tuple[str, ...]] = {}  # of a sound, the characters the report writes

    def _offered(self, typed: str) -> tuple[str, ...]:
        syllable = self.sound.get(typed, "")
        if syllable not in self.offered:
            self.offered[syllable] = tuple(c for c in self.same_sound.get(syllable, ()) if c in self.chars)
        return self.offered[syllable]

    def word_for(self, gram: str, slips: Iterable[int]) -> str | None:
        """The report word `gram` was typed for, one of the characters at `slips` (see `_lonely`) mistyped:
        same sound, one character different, the most frequent in the report."""
        if gram in self.text:
            return None
        found = []
        for k in (k for k in slips if gram[k] not in self.keep):  # a question word (年 of 今年目彪) is never the slip
            for char in self._offered(gram[k]):
                word = gram[:k] + char + gram[k + 1 :]
                if char != gram[k] and all(word[j : j + 2] in self.pairs for j in range(len(word) - 1)) \
                        and word in self.text:
                    found.append(word)
        return max(found, key=lambda w: (self.text.count(w), w)) if found else None

    def _lonely(self, run: str) -> list[bool]:
        """Per character of a run of the question: it makes no pair the report writes with either of its
        neighbours. 民声 and 声支 are nowhere, so 声 of 民声支出 may be a slip; 第一 is everywhere, so 第 of
        去年第一产业 is none (去年低一产业 would be a run new only as a whole, across two words)."""
        return [all(run[j : j + 2] not in self.pairs for j in (k - 1, k) if 0 <= j and j + 2 <= len(run))
                for k in range(len(run))]

    def _known(self, text: str) -> set[int]:
        """Positions of `text` inside a known word (`words`)."""
        out: set[int] = set()
        for word in self.words:
            start = text.find(word)
            while start >= 0:
                out.update(range(start, start + len(word)))
                start = text.find(word, start + 1)
        return out

    def correct(self, text: str) -> str:
        """`text` with each run the report never writes replaced by the report word it sounds like (longest
        runs first, no character corrected twice)."""
        chars = list(text)
        known = self._known(text)
        for match in _CJK_RUN.finditer(text):
            lo, run = match.start(), match.group(0)
            lonely = [alone and lo + k not in known for k, alone in enumerate(self._lonely(run))]
            if not any(lonely):
                continue
            fixed = [False] * len(run)
            for n in range(LONGEST, SHORTEST - 1, -1):
                for i in range(len(run) - n + 1):
                    slips = [k for k in range(n) if lonely[i + k]]
                    if not slips or any(fixed[i : i + n]):
                        continue
                    word = self.word_for("".join(chars[lo + i : lo + i + n]), slips)
                    if word is not None:
                        chars[lo + i : lo + i + n] = list(word)
                        fixed[i : i + n] = [True] * n
        return "".join(chars)
