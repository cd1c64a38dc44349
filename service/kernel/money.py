"""Money is ``Decimal`` tenge, exact to the tiyn (0.01). Never float."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

TIYN = Decimal("0.01")
ZERO = Decimal("0.00")
MAX_AMOUNT = Decimal("999999999999.99")
"""A ceiling far above any housing debt; larger numbers are typing errors, not debts."""


def to_tiyn(amount: Decimal) -> Decimal:
    """Round half up to whole tiyn (the usual commercial rounding for a computed amount)."""
    return amount.quantize(TIYN, rounding=ROUND_HALF_UP)


def parse_amount(text: str) -> Decimal:
    """Parse a decimal string such as ``"9360.00"``; refuse floats' artefacts and > 2 decimals."""
    try:
        value = Decimal(text.strip())
    except (InvalidOperation, AttributeError) as exc:
        raise ValueError("must be a decimal number such as 9360.00") from exc
    if not value.is_finite():
        raise ValueError("must be a finite number")
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        raise ValueError("must have at most 2 decimal places (tiyn)")
    if abs(value) > MAX_AMOUNT:
        raise ValueError(f"must not exceed {MAX_AMOUNT}")
    return value.quantize(TIYN)


def money_str(amount: Decimal) -> str:
    """The wire form: a plain decimal string with two places."""
    return str(amount.quantize(TIYN))


def tiyn_count(amount: Decimal) -> int:
    """Whole tiyn, as the database stores money (an integer, never a float)."""
    return int(amount.quantize(TIYN) * 100)


def from_tiyn_count(count: int) -> Decimal:
    return (Decimal(count) / 100).quantize(TIYN)
