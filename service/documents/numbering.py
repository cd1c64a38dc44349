"""Outgoing numbers: per creditor and year, gapless (``repository.allocate_number``)."""

from __future__ import annotations


def format_number(year: int, sequence: int) -> str:
    """``2026-00017``: the year and the creditor's running number in it."""
    return f"{year}-{sequence:05d}"
