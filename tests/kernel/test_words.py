"""Amounts, dates and abbreviations as a Kazakh business letter writes them (ru and kk)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from service.kernel.words import (
    NBSP,
    NNBSP,
    amount_in_words,
    date_in_words,
    format_amount,
    format_date,
    nbsp_abbreviations,
    period_name,
)


@pytest.mark.parametrize(
    ("amount", "ru", "kk"),
    [
        (
            "58648.00",
            "пятьдесят восемь тысяч шестьсот сорок восемь тенге ноль тиынов",
            "елу сегіз мың алты жүз қырық сегіз теңге нөл тиын",
        ),
        ("1.01", "один тенге один тиын", "бір теңге бір тиын"),
        ("2.02", "два тенге два тиына", "екі теңге екі тиын"),
        ("21.05", "двадцать один тенге пять тиынов", "жиырма бір теңге бес тиын"),
        ("11.11", "одиннадцать тенге одиннадцать тиынов", "он бір теңге он бір тиын"),
        ("22.22", "двадцать два тенге двадцать два тиына", "жиырма екі теңге жиырма екі тиын"),
        ("1000.00", "одна тысяча тенге ноль тиынов", "бір мың теңге нөл тиын"),
        ("1000000.50", "один миллион тенге пятьдесят тиынов", "бір миллион теңге елу тиын"),
    ],
)
def test_amount_in_words_spells_tenge_and_tiyn(amount: str, ru: str, kk: str) -> None:
    assert amount_in_words(Decimal(amount), "ru") == ru
    assert amount_in_words(Decimal(amount), "kk") == kk


@pytest.mark.parametrize(
    ("amount", "ru", "kk"),
    [
        ("58648.00", "пятьдесят восемь тысяч шестьсот сорок восемь тенге 00 тиынов", "00 тиын"),
        ("1.01", "один тенге 01 тиын", "бір теңге 01 тиын"),
        ("3.03", "три тенге 03 тиына", "үш теңге 03 тиын"),
        ("12.12", "двенадцать тенге 12 тиынов", "он екі теңге 12 тиын"),
        ("5.21", "пять тенге 21 тиын", "бес теңге 21 тиын"),
    ],
)
def test_tiyn_as_digits_keeps_the_russian_plural(amount: str, ru: str, kk: str) -> None:
    assert amount_in_words(Decimal(amount), "ru", tiyn="digits") == ru
    assert amount_in_words(Decimal(amount), "kk", tiyn="digits").endswith(kk)


def test_an_int_is_refused_not_read_as_tiyn() -> None:
    # num2words' currency mode reads 1000 as ten tenge; the function refuses anything but Decimal.
    with pytest.raises(TypeError):
        amount_in_words(1000, "ru")  # an int on purpose: amounts are Decimal


@pytest.mark.parametrize("bad", ["-1.00", "1.005", "NaN"])
def test_unpayable_amounts_are_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        amount_in_words(Decimal(bad), "kk")


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        ("0", "0,00"),
        ("5.5", "5,50"),
        ("999.99", "999,99"),
        ("1000.00", f"1{NNBSP}000,00"),
        ("58648.00", f"58{NNBSP}648,00"),
        ("1234567.89", f"1{NNBSP}234{NNBSP}567,89"),
    ],
)
def test_format_amount_groups_thousands_with_a_narrow_no_break_space(
    amount: str, text: str
) -> None:
    assert format_amount(Decimal(amount)) == text


def test_dates_in_words() -> None:
    day = dt.date(2026, 11, 24)
    assert format_date(day) == "24.11.2026"
    assert format_date(dt.date(2026, 3, 5)) == "05.03.2026"
    assert date_in_words(day, "ru") == f"24{NBSP}ноября 2026{NBSP}г."
    assert date_in_words(day, "kk") == f"2026{NBSP}жылғы 24{NBSP}қараша"
    assert date_in_words(day, "kk", "attributive") == f"2026{NBSP}жылғы 24{NBSP}қарашадағы"
    assert date_in_words(dt.date(2026, 12, 8), "kk", "dative") == (
        f"2026{NBSP}жылғы 8{NBSP}желтоқсанға"
    )
    # Case endings follow the last sound: voiceless -к takes -ке / -тегі.
    assert date_in_words(dt.date(2026, 9, 1), "kk", "dative").endswith("қыркүйекке")
    assert date_in_words(dt.date(2026, 9, 1), "kk", "attributive").endswith("қыркүйектегі")
    assert date_in_words(dt.date(2026, 4, 1), "kk", "dative").endswith("сәуірге")
    # Ablative («… бастап»): -нан after н/м, -тен after voiceless к, -ден after a front vowel.
    assert date_in_words(dt.date(2026, 10, 27), "kk", "ablative") == (
        f"2026{NBSP}жылғы 27{NBSP}қазаннан"
    )
    assert date_in_words(dt.date(2026, 6, 1), "kk", "ablative").endswith("маусымнан")
    assert date_in_words(dt.date(2026, 9, 1), "kk", "ablative").endswith("қыркүйектен")
    assert date_in_words(dt.date(2026, 7, 1), "kk", "ablative").endswith("шілдеден")
    assert date_in_words(dt.date(2026, 11, 1), "kk", "ablative").endswith("қарашадан")


def test_every_month_has_names_in_both_languages() -> None:
    for month in range(1, 13):
        for lang in ("ru", "kk"):
            assert date_in_words(dt.date(2026, month, 1), lang)
            assert period_name(2026, month, lang)


def test_period_names() -> None:
    assert period_name(2026, 3, "ru") == "март 2026"
    assert period_name(2026, 3, "kk") == f"2026{NBSP}ж. наурыз"
    with pytest.raises(ValueError):
        period_name(2026, 13, "ru")


def test_abbreviations_do_not_break_from_what_they_name() -> None:
    text = "г. Алматы, мкр. Коктем-3, д. 21, кв. 45; п. 8 ст. 34-1; № 3 от 2026 г."
    assert nbsp_abbreviations(text) == (
        f"г.{NBSP}Алматы, мкр.{NBSP}Коктем-3, д.{NBSP}21, кв.{NBSP}45; "
        f"п.{NBSP}8 ст.{NBSP}34-1; №{NBSP}3 от 2026{NBSP}г."
    )
    assert nbsp_abbreviations("Алматы қ., 21-үй") == f"Алматы{NBSP}қ., 21-үй"
    assert nbsp_abbreviations("100 тенге") == f"100{NBSP}тенге"
    # Words that merely end in the same letters are left alone.
    assert nbsp_abbreviations("свод. Итог") == "свод. Итог"
