"""Words typed by their sound are read as the reports' words: only a slip (one character, making no pair
the reports write), never a question word, never a run that is new only across two words."""

from __future__ import annotations

import pytest

from qa.question.spelling import Homophones, alike
from qa.question.words import cues

REPORT = ("全年民生支出53.57亿元。城镇新增就业12122人，城镇登记失业率3.6%。实施棚户区改造新开工2.86万套。"
          "快递业务量增长36.2%。第一产业增加值8.1亿元。征迁面积86.4万平方米。主要预期目标是：地区生产总值增长7%。")


@pytest.fixture(scope="module")
def speller():
    """Homophones over a report's texts (and known words) with every CJK character's sound, read once."""
    from pypinyin import lazy_pinyin

    chars = [chr(c) for c in range(0x4E00, 0xA000)]
    sound = dict(zip(chars, lazy_pinyin(chars)))
    keep = cues().raw["spelling"]["keep_chars"]
    return lambda texts, words=(): Homophones(texts, sound, alike(sound), keep, words).correct


@pytest.fixture(scope="module")
def spell(speller):
    return speller([REPORT])


@pytest.mark.parametrize("typed, read", [
    ("去年民声支出多少亿", "去年民生支出多少亿"),
    ("城镇新增就叶多少人", "城镇新增就业多少人"),
    ("城镇登记失叶率", "城镇登记失业率"),
    ("棚护区改造新开工多少套", "棚户区改造新开工多少套"),
    ("快递业物量增长多少", "快递业务量增长多少"),
])
def test_a_slip_of_the_input_method_is_read_as_the_reports_word(spell, typed, read):
    assert spell(typed) == read


@pytest.mark.parametrize("typed", [
    "去年第一产业增加值多少",  # 第一 is a pair the report writes: 去年第 is no slip for 去年低
    "城中村改造征迁面积计划多少",
    "主要目标是多少",  # question words stay: 是 is no slip for 示
    "去年有多少",
    "卫东去年城镇新增就业多少人",  # 去年 is the question's (卫东区 sounds like 卫东去)
    "How many jobs",
])
def test_words_typed_right_or_not_in_the_report_stay(spell, typed):
    assert spell(typed) == typed


def test_a_word_the_glossary_knows_is_no_slip(speller):
    """松陵固投: 松陵古 is the report's (松陵古城) and 陵固 a pair it never writes, but 固投 is a word (the glossary's
    name of 固定资产投资): it stays."""
    report = ["松陵古城步行街完成改造。固定资产投资增长10.2%。"]
    assert speller(report)("松陵固投增速") == "松陵古投增速"
    assert speller(report, words=["固投"])("松陵固投增速") == "松陵固投增速"


def test_a_slip_of_a_glossary_word_the_report_never_writes_is_read_as_that_word(speller):
    """财正收入: the report writes only 一般公共预算收入, but 财政收入 is the glossary's word for it."""
    report = ["一般公共预算收入83.8亿元。"]
    assert speller(report)("今年财正收入目标") == "今年财正收入目标"
    assert speller(report, words=["财政收入"])("今年财正收入目标") == "今年财政收入目标"


def test_a_question_word_beside_a_slip_is_context_not_the_slip(speller):
    """今年目彪: 年 is a question word, so it is never corrected, but it may stand beside the slip (彪 of 目标)."""
    spell = speller(["2022年目标：地区生产总值增长7%。"])
    assert spell("规上工业增加值今年目彪") == "规上工业增加值今年目标"
    assert spell("今年地区生产总值目标") == "今年地区生产总值目标"
