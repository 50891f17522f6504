"""Parsing what clerks type, the one rounding rule, and formatting for people."""

from __future__ import annotations

from decimal import Decimal

import pytest

from generator.engine.exact import NumberError, fmt, fmt_percent, parse_number, quantize


@pytest.mark.parametrize(
    ("text", "value", "fixed"),
    [
        ("1.5", "1.5", False),
        ("  3 ", "3", False),
        ("0.2", "0.2", False),
        (".5", "0.5", False),
        ("１．５", "1.5", True),
        ("１。５", "1.5", True),
        ("1.5分", "1.5", True),
        ("3次", "3", True),
        ("2人次", "2", True),
        ("6个月", "6", True),
        ("1,000", "1000", True),
        ("-1", "-1", False),
    ],
)
def test_parse_number_reads_what_clerks_type(text: str, value: str, fixed: bool) -> None:
    parsed = parse_number(text)
    assert parsed.value == Decimal(value)
    assert isinstance(parsed.value, Decimal)
    assert bool(parsed.fixups) is fixed


def test_full_width_and_unit_fixups_are_both_named() -> None:
    parsed = parse_number("１．５分")
    assert parsed.value == Decimal("1.5")
    assert parsed.fixups == ("全角字符已按半角读取", "已去掉单位「分」")


@pytest.mark.parametrize("text", ["三分", "", "   ", "NaN", "inf", "1.2.3", "1e3", "约2", "2-3"])
def test_parse_number_refuses_words_and_oddities(text: str) -> None:
    with pytest.raises(NumberError):
        parse_number(text)


def test_words_are_named_in_the_message() -> None:
    with pytest.raises(NumberError, match="「三分」不是数字"):
        parse_number("三分")


def test_percent_only_where_allowed() -> None:
    with pytest.raises(NumberError, match="百分号"):
        parse_number("75%")
    parsed = parse_number("75%", allow_percent=True)
    assert parsed.value == Decimal("0.75")
    assert parsed.is_percent
    assert parse_number("７５％", allow_percent=True).value == Decimal("0.75")


def test_decimals_are_exact() -> None:
    assert parse_number("0.1").value + parse_number("0.2").value == Decimal("0.3")
    twelve_posts = sum((parse_number("0.2").value for _ in range(12)), Decimal(0))
    assert twelve_posts == Decimal("2.4")
    assert fmt(twelve_posts) == "2.4"


@pytest.mark.parametrize(
    ("value", "decimals", "mode", "expected"),
    [
        ("2.345", 2, "half_up", "2.35"),
        ("2.345", 2, "half_even", "2.34"),
        ("2.355", 2, "half_even", "2.36"),
        ("26.445", 2, "half_up", "26.45"),
        ("26.445", 2, "half_even", "26.44"),
        ("79.425", 2, "half_up", "79.43"),
        ("2.5", 0, "half_up", "3"),
        ("2.5", 0, "half_even", "2"),
        ("-1.005", 2, "half_up", "-1.01"),
        ("96.4", 2, "half_up", "96.40"),
    ],
)
def test_quantize_is_the_one_rounding_rule(value: str, decimals: int, mode: str, expected: str) -> None:
    result = quantize(Decimal(value), decimals, mode)
    assert result == Decimal(expected)
    assert str(result) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("96.40"), "96.4"),
        (Decimal("96.4"), "96.4"),
        (Decimal("3.00"), "3"),
        (Decimal("100"), "100"),
        (Decimal("0.50"), "0.5"),
        (Decimal("-0.00"), "0"),
        (Decimal("0"), "0"),
        (Decimal("2.345"), "2.35"),
        (Decimal("96.399999"), "96.4"),
        (Decimal("1E+2"), "100"),
        (None, ""),
    ],
)
def test_fmt_for_people(value: Decimal | None, expected: str) -> None:
    assert fmt(value) == expected


@pytest.mark.parametrize(("value", "expected"), [("0.8", "80%"), ("0.755", "75.5%"), ("1", "100%"), ("0", "0%")])
def test_fmt_percent(value: str, expected: str) -> None:
    assert fmt_percent(Decimal(value)) == expected


@pytest.mark.parametrize("text", ["1234567890", "100000000000000000000000000", "-99999999999"])
def test_numbers_too_large_for_a_score_are_refused(text: str) -> None:
    with pytest.raises(NumberError, match="太大"):
        parse_number(text)
    assert parse_number("999999999").value == Decimal(999999999)
