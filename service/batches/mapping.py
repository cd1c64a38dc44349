"""The column mapping of a 1C-style export (pure): which column holds which field, how its
words translate into Talap's values, and which fields a row must have.

The mapping itself is a small YAML file (``mapping-1c.yaml`` is the bundled default, read by
``loader.py``); this module only holds what it says.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

FIELDS: tuple[str, ...] = (
    "case",
    "full_name",
    "iin",
    "language",
    "email",
    "phone",
    "postal_address",
    "unit_type",
    "unit_number",
    "area_m2",
    "protocol_number",
    "protocol_date",
    "monthly_amount",
    "period",
    "contribution",
    "charged",
    "due_date",
    "paid",
    "payment_date",
    "payment_reference",
    "kind",
    "notice_language",
)
"""Every field a row may carry, in the order they are reported."""

ALWAYS_REQUIRED: tuple[str, ...] = (
    "case",
    "full_name",
    "unit_type",
    "unit_number",
    "protocol_number",
    "protocol_date",
    "period",
    "contribution",
)
"""Without these a case cannot be built (a column may still be replaced by a default)."""


@dataclass(frozen=True)
class ColumnMapping:
    columns: Mapping[str, str]
    """Talap field → the column header in the export."""
    values: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    """Talap field → {the export's word (compared case-insensitively) → Talap's value}."""
    defaults: Mapping[str, str] = field(default_factory=dict)
    """Talap field → the value when the column is absent or the cell empty."""
    header_row: int = 1
    sheet: str | int = 0

    def problems(self) -> list[str]:
        """What is wrong with the mapping itself (unknown fields, a required field unmapped)."""
        found = [f"unknown field {name!r}" for name in self.columns if name not in FIELDS]
        found += [f"unknown field {name!r} in values" for name in self.values if name not in FIELDS]
        found += [
            f"unknown field {name!r} in defaults" for name in self.defaults if name not in FIELDS
        ]
        found += [
            f"field {name!r} needs a column or a default"
            for name in ALWAYS_REQUIRED
            if name not in self.columns and name not in self.defaults
        ]
        if self.header_row < 1:
            found.append("header_row counts from 1")
        return found

    def translate(self, name: str, word: str) -> str | None:
        """The Talap value of ``word`` in field ``name``; the word itself when the field has no
        table, ``None`` when the table does not know it."""
        table = self.values.get(name)
        if not table:
            return word
        folded = word.strip().casefold()
        for key, value in table.items():
            if str(key).strip().casefold() == folded:
                return str(value)
        if word in table.values():  # already Talap's value (``current``, ``flat``)
            return word
        return None
