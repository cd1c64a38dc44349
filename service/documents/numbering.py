"""Document numbers: per creditor, register and year, gapless (``repository.allocate_number``).

Two registers of documents (review #39): outgoing letters («Исх. № 2026-00017») and agreements,
which are contracts, not correspondence, and so have a journal of their own («№ R-2026-00003»;
the letter keeps the agreement's number apart from a letter's at a glance, and in ASCII, as file
names need). A third register counts the lists of letters handed to the post office, a courier
or delivered by hand (``Register.POST_LIST``, «№ P-2026-00004»).
"""

from __future__ import annotations

from enum import StrEnum


class Register(StrEnum):
    OUTGOING = "outgoing"
    """Letters: reminders, warnings, pre-court letters (the outgoing-mail journal)."""
    AGREEMENT = "agreement"
    """Restructuring agreements (the agreements' journal)."""
    POST_LIST = "post_list"
    """Lists of letters handed to the post office, a courier or delivered by hand
    (``service.postal``): «№ P-2026-00004»."""


PREFIX = {Register.OUTGOING: "", Register.AGREEMENT: "R-", Register.POST_LIST: "P-"}


def register_of(kind: str) -> Register:
    return Register.AGREEMENT if kind == "restructuring" else Register.OUTGOING


def format_number(year: int, sequence: int, register: Register = Register.OUTGOING) -> str:
    """``2026-00017`` (a letter) or ``R-2026-00003`` (an agreement): the register's prefix, the
    year and the creditor's running number in that register and year."""
    return f"{PREFIX[register]}{year}-{sequence:05d}"
