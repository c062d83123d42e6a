"""Hypothesis fuzzing of the number parser and of ingestion: no crash, round trips hold.

Examples are bounded (max_examples, text sizes) so the module runs in a few seconds.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qa.errors import CorpusError, InputError
from qa.ingest import parse
from qa.numbers import (UNITS, compatible, convert, find_quantities, format_number, format_quantity,
                        parse_cn_numeral, parse_number, parse_quantity)

FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_DIGITS = "零一二三四五六七八九"


def to_chinese(n: int) -> str:
    """An independent writer of Chinese numerals (the standard reading, 一十 written 十)."""
    if n == 0:
        return "零"

    def below_10000(m: int) -> str:
        out, zero = "", False
        for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            digit = m // value % 10
            if digit:
                if zero and out:
                    out += "零"
                out += _DIGITS[digit] + unit
                zero = False
            else:
                zero = True
        return out

    parts = []
    for value, unit in ((10**8, "亿"), (10**4, "万"), (1, "")):
        chunk = n // value % 10**4 if value < 10**8 else n // value
        if chunk:
            if parts and chunk < 1000:
                parts.append("零")
            parts.append(below_10000(chunk) + unit)
    text = "".join(parts)
    return text[1:] if text.startswith("一十") else text


@FAST
@given(st.integers(min_value=1, max_value=99_999_999))  # a bare 零 is not read as a numeral (never a figure)
def test_chinese_numerals_round_trip(n):
    assert parse_cn_numeral(to_chinese(n)) == n


@FAST
@given(st.text(max_size=12))
def test_chinese_numeral_parser_never_crashes(text):
    try:
        value = parse_cn_numeral(text)
    except InputError as exc:
        assert "not a Chinese numeral" in str(exc)
    else:
        assert isinstance(value, int) and value >= 0


@FAST
@given(st.decimals(min_value=0, max_value=10**12, places=4, allow_nan=False, allow_infinity=False))
def test_format_then_parse_is_identity(value):
    number = float(value)
    text = format_number(number)
    assert "e" not in text.lower()
    assert parse_number(text) == number


@FAST
@given(st.integers(min_value=0, max_value=10**9), st.booleans())
def test_thousands_separators(n, fullwidth):
    text = f"{n:,}"
    if fullwidth:
        text = text.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert parse_number(text) == n


_UNIT_NAMES = sorted(u for u in UNITS if UNITS[u][0])  # units with something to measure


@FAST
@given(st.decimals(min_value=0, max_value=10**7, places=2), st.sampled_from(_UNIT_NAMES),
       st.sampled_from(["", "预计", "力争", "约"]), st.sampled_from(["", "左右", "以上"]))
def test_a_written_quantity_is_found_with_its_unit_and_qualifiers(value, unit, before, after):
    number = float(value)
    phrase = f"{before}{format_quantity(number, unit)}{after}"
    found = parse_quantity("全区" + phrase + "。")
    assert found is not None
    assert UNITS[found.unit] == UNITS[unit] and found.value == number  # ％ is read as %
    if before == "预计":
        assert "预计" in found.qualifiers
    if after:
        assert after in found.qualifiers


@FAST
@given(st.decimals(min_value=0, max_value=10**6, places=3), st.sampled_from(_UNIT_NAMES),
       st.sampled_from(_UNIT_NAMES))
def test_conversion_round_trips_or_refuses(value, a, b):
    number = float(value)
    if compatible(a, b):
        back = convert(convert(number, a, b), b, a)
        assert abs(back - number) <= 1e-9 * max(1.0, abs(number))
    else:
        try:
            convert(number, a, b)
        except InputError as exc:
            assert "cannot convert" in str(exc)
        else:
            raise AssertionError(f"{a} -> {b} should be refused")


_REPORT_CHARS = st.sampled_from(list("年月日增长亿元万人家个百分点预计左右以上力争达到超过约近全区地区生产总值"
                                     "一二三四五六七八九十百千零两〇0123456789.,%％，。；、（）()- \n"))


@FAST
@given(st.one_of(st.text(max_size=300), st.text(_REPORT_CHARS, max_size=300)))
def test_find_quantities_never_crashes_and_spans_index_the_text(text):
    previous_end = 0
    for q in find_quantities(text):
        assert 0 <= q.start < q.end <= len(text)
        assert text[q.start:q.end] == q.raw
        assert q.start >= previous_end  # in order, not overlapping
        previous_end = q.end
        assert q.unit in UNITS or q.unit == ""
        if q.is_range:
            assert q.low is not None and q.high is not None and q.low <= q.high


# --- ingestion ----------------------------------------------------------------------------------

_HEADINGS = st.sampled_from(["一、2017年工作回顾", "二、2018年工作安排", "（一）推进产业结构优化升级",
                             "（二）加快城乡建设", "1.稳增长", "2．调结构", "三、加强政府自身建设"])
_SENTENCE = st.builds(lambda words, end: "".join(words) + end,
                      st.lists(st.sampled_from(["全区", "地区生产总值", "111亿元", "增长7.5%", "预计", "完成",
                                                "固定资产投资", "左右", "我们", "推进", "改革", "，"]),
                               min_size=1, max_size=12),
                      st.sampled_from(["。", "；", "！", ""]))
_LINE = st.one_of(_HEADINGS, st.lists(_SENTENCE, min_size=1, max_size=5).map("".join),
                  st.sampled_from(["", "  ", "— 3 —", "政府工作报告", "\f"]))


def _check_document(doc) -> None:
    ids = [p.id for p in doc.passages]
    assert len(ids) == len(set(ids))
    for p in doc.passages:
        assert doc.text[p.start:p.end] == p.text and p.text.strip()
        assert p.doc_id == doc.doc_id
        for s in p.sentences:
            assert doc.text[s.start:s.end] == s.text
            assert p.start <= s.start <= s.end <= p.end


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_LINE, min_size=1, max_size=40), st.sampled_from(["utf-8", "gb18030", "utf-8-sig"]))
def test_ingesting_report_like_text_keeps_every_span_verbatim(lines, encoding):
    raw = "\n".join(lines).encode(encoding)
    try:
        doc = parse(raw, Path("/nonexistent/fuzz-report.txt"))
    except CorpusError as exc:
        assert str(exc).strip()
        return
    _check_document(doc)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=400), st.text(max_size=400).map(lambda t: t.encode("utf-8", "surrogatepass"))))
def test_ingesting_arbitrary_bytes_is_a_document_or_a_corpus_error(raw):
    try:
        doc = parse(raw, Path("/nonexistent/fuzz-bytes.txt"))
    except CorpusError as exc:
        assert str(exc).strip()
        return
    _check_document(doc)
