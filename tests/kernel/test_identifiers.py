"""ИИН/БИН two-pass mod 11 and KZ IBAN mod 97 (research §9.2, §9.5)."""

from __future__ import annotations

import pytest

from service.kernel.identifiers import bank_code, iban_problem, id_number_problem


@pytest.mark.parametrize(
    "value",
    ["780412300566", "190340018228", "850927450128", "200540012348"],
)
def test_valid_id_numbers_pass(value: str) -> None:
    assert id_number_problem(value) is None


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("780412300567", "check digit is 7, expected 6"),
        ("78041230056", "12 digits"),
        ("7804123005660", "12 digits"),
        ("78041230056a", "12 digits"),
        ("７８０４１２３００５６６", "12 digits"),  # full-width digits are not ASCII digits
    ],
)
def test_invalid_id_numbers_say_why(value: str, fragment: str) -> None:
    problem = id_number_problem(value)
    assert problem is not None and fragment in problem


def test_second_pass_weights_are_used_when_first_pass_gives_ten() -> None:
    # First pass: 1*0+2*0+...; pick digits whose first-pass remainder is 10.
    digits = "00000000010"  # first pass: 1 x weight 10 = 10; second pass: 1 x weight 1 = 1
    assert id_number_problem(digits + "1") is None
    assert id_number_problem(digits + "0") == "check digit is 0, expected 1"


def test_remainder_ten_twice_is_never_assigned() -> None:
    # Search a prefix whose remainder is 10 under both weight sets.
    first = tuple(range(1, 12))
    second = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
    for n in range(10**6):
        digits = [int(c) for c in f"{n:011d}"]
        if (
            sum(d * w for d, w in zip(digits, first, strict=True)) % 11 == 10
            and sum(d * w for d, w in zip(digits, second, strict=True)) % 11 == 10
        ):
            break
    prefix = "".join(map(str, digits))
    for last in "0123456789":
        problem = id_number_problem(prefix + last)
        assert problem is not None and "not a number that can be assigned" in problem


def test_birth_date_is_not_checked() -> None:
    """Since 2013 the digits are not tied to a birth date (research §9.3): "month 13" passes."""
    assert id_number_problem("781312300565") is None


@pytest.mark.parametrize(
    "iban", ["KZ66601A871000234567", "KZ86601S871000234568", "KZ86 125K ZT50 0410 0100"]
)
def test_valid_ibans(iban: str) -> None:
    assert iban_problem(iban) is None


@pytest.mark.parametrize(
    ("iban", "fragment"),
    [
        ("KZ66601A871000234568", "mod 97"),
        ("RU66601A871000234567", "start with KZ"),
        ("KZ66601A87100023456", "20 characters"),
        ("KZ66AB1A871000234567", "3-digit bank code"),
    ],
)
def test_invalid_ibans_say_why(iban: str, fragment: str) -> None:
    problem = iban_problem(iban)
    assert problem is not None and fragment in problem


def test_bank_code_is_characters_five_to_seven() -> None:
    assert bank_code("KZ66601A871000234567") == "601"
