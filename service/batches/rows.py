"""From an export's rows to case payloads (pure): each cell normalised to the text the case
contract takes (amounts ``"9360.00"``, dates ISO, periods ``YYYY-MM``, words translated by the
mapping), every problem named by its line and column, then rows grouped into one case per
account (``case``) with where each part of the payload came from, so a problem the case
validation finds later is named by its line and column too.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from service.batches.mapping import ALWAYS_REQUIRED, FIELDS, ColumnMapping
from service.batches.sheets import Cell, Sheet


@dataclass(frozen=True)
class RowProblem:
    line: int
    column: str
    """The column's header as the export names it (or the field when it has no column)."""
    field: str
    code: str
    message: str

    def __str__(self) -> str:
        return (
            f"line {self.line}, column «{self.column}» ({self.field}): {self.code}: {self.message}"
        )


@dataclass(frozen=True)
class Row:
    line: int
    values: Mapping[str, str]
    """Field → normalised text; absent when the cell is empty and there is no default."""


AMOUNT_FIELDS = {"area_m2", "monthly_amount", "charged", "paid"}
DATE_FIELDS = {"protocol_date", "due_date", "payment_date"}
PERIOD_FIELDS = {"period"}
_PERIOD = re.compile(r"^(\d{4})-(\d{1,2})$|^(\d{1,2})[./](\d{4})$")
_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


def columns_of(sheet: Sheet, mapping: ColumnMapping) -> tuple[dict[str, int], list[RowProblem]]:
    """Field → column index, and a problem for each mapped column the header lacks."""
    positions = {name: index for index, name in enumerate(sheet.header) if name}
    folded = {name.casefold(): index for name, index in positions.items()}
    found: dict[str, int] = {}
    problems = []
    for name in FIELDS:
        header = mapping.columns.get(name)
        if header is None:
            continue
        index = positions.get(header, folded.get(header.casefold()))
        if index is not None:
            found[name] = index
        elif name in ALWAYS_REQUIRED and name not in mapping.defaults:
            problems.append(
                RowProblem(
                    sheet.header_line,
                    header,
                    name,
                    "column_missing",
                    f"the header row has no column «{header}»",
                )
            )
    return found, problems


def normalise(sheet: Sheet, mapping: ColumnMapping) -> tuple[list[Row], list[RowProblem]]:
    """Every row's values, and every problem of every row at once."""
    positions, problems = columns_of(sheet, mapping)
    rows = []
    for line, cells in sheet.rows:
        values: dict[str, str] = {}
        for name in FIELDS:
            index = positions.get(name)
            cell = cells[index] if index is not None and index < len(cells) else None
            column = mapping.columns.get(name, name)
            if cell is None or (isinstance(cell, str) and not cell.strip()):
                default = mapping.defaults.get(name)
                if default is not None:
                    values[name] = default
                elif name in ALWAYS_REQUIRED:
                    problems.append(RowProblem(line, column, name, "required", "the cell is empty"))
                continue
            try:
                text = _text(name, cell)
            except ValueError as exc:
                problems.append(RowProblem(line, column, name, _code(name), str(exc)))
                continue
            translated = mapping.translate(name, text)
            if translated is None:
                known = ", ".join(sorted(mapping.values.get(name, {})))
                problems.append(
                    RowProblem(
                        line, column, name, "unknown_value", f"«{text}» is not one of: {known}"
                    )
                )
                continue
            values[name] = translated
        if "paid" in values and "payment_date" not in values:
            column = mapping.columns.get("payment_date", "payment_date")
            problems.append(
                RowProblem(line, column, "payment_date", "required", "a payment needs its date")
            )
        rows.append(Row(line, values))
    return rows, problems


def _code(name: str) -> str:
    if name in AMOUNT_FIELDS:
        return "invalid_amount"
    if name in DATE_FIELDS:
        return "invalid_date"
    if name in PERIOD_FIELDS:
        return "invalid_period"
    return "invalid_value"


def _text(name: str, cell: Cell) -> str:
    if name in AMOUNT_FIELDS:
        return amount_text(cell)
    if name in DATE_FIELDS:
        return date_text(cell)
    if name in PERIOD_FIELDS:
        return period_text(cell)
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))  # an account or flat number a spreadsheet stored as a number
    if isinstance(cell, dt.datetime | dt.date | dt.time | dt.timedelta):
        raise ValueError("expected text, found a date")
    return " ".join(str(cell).split())


def amount_text(cell: Cell) -> str:
    """``"9360.00"`` from a number cell or a text such as ``9 360,00``; refuses fractions of a
    tiyn (a float's artefacts are rounded to the tiyn first: a spreadsheet keeps binary
    fractions, and 0.1 + 0.2 in a cell is 0.30000000000000004)."""
    if isinstance(cell, bool | dt.date | dt.time | dt.timedelta):
        raise ValueError("expected an amount in tenge")
    if isinstance(cell, int | float):
        value = Decimal(repr(cell)).quantize(Decimal("0.0000001")).normalize()
    else:
        text = str(cell).replace("\u00a0", "").replace(" ", "").replace(",", ".")
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"«{cell}» is not an amount such as 9360,00") from None
    if not value.is_finite():
        raise ValueError("expected a finite amount")
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        raise ValueError(f"«{cell}» has more than 2 decimal places (tiyn)")
    return f"{value:.2f}"


def date_text(cell: Cell) -> str:
    """ISO date from a date cell, ``20.12.2025`` or ``2025-12-20``."""
    if isinstance(cell, dt.datetime):
        return cell.date().isoformat()
    if isinstance(cell, dt.date):
        return cell.isoformat()
    text = str(cell).strip()
    match = _DATE.match(text)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            return dt.date(year, month, day).isoformat()
        return dt.date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        raise ValueError(f"«{text}» is not a date such as 20.12.2025") from None


def period_text(cell: Cell) -> str:
    """``YYYY-MM`` from a date cell (1C writes a period as its first day), ``01.03.2026``,
    ``03.2026`` or ``2026-03``."""
    if isinstance(cell, dt.date):  # datetime is a date too
        return f"{cell.year:04d}-{cell.month:02d}"
    text = str(cell).strip()
    match = _PERIOD.match(text)
    if match:
        year, month = (match[1], match[2]) if match[1] else (match[4], match[3])
        if 1 <= int(month) <= 12:
            return f"{int(year):04d}-{int(month):02d}"
    full = _DATE.match(text)
    if full:
        return f"{int(full[3]):04d}-{int(full[2]):02d}"
    raise ValueError(f"«{text}» is not a month such as 03.2026 or 2026-03")


@dataclass
class CaseDraft:
    """One account's rows gathered into a case payload (the case contract's shape)."""

    external_id: str
    first_line: int
    payload: dict[str, Any]
    issue: dict[str, str]
    """``kind`` / ``notice_language`` when the export carries them."""
    lines: list[int] = field(default_factory=list)
    sources: dict[str, tuple[int, str]] = field(default_factory=dict)
    """Payload path (``charges.3``, ``debtor``) → (line, field) it came from."""


DEBTOR = {
    "full_name": "full_name",
    "iin": "iin",
    "language": "language",
    "email": "email",
    "phone": "phone",
    "postal_address": "postal_address",
}
UNIT = {"unit_type": "type", "unit_number": "number", "area_m2": "area_m2"}
CASE_LEVEL = tuple(DEBTOR) + tuple(UNIT) + ("kind", "notice_language")


def group(rows: Sequence[Row], mapping: ColumnMapping) -> tuple[list[CaseDraft], list[RowProblem]]:
    """One case per account, in the order of first appearance; a case-level value that differs
    between the rows of one account is a problem of the later row."""
    drafts: dict[str, CaseDraft] = {}
    problems: list[RowProblem] = []
    for row in rows:
        values = row.values
        external_id = values.get("case")
        if not external_id:
            continue  # already reported as required
        draft = drafts.get(external_id)
        if draft is None:
            draft = drafts[external_id] = _new_draft(external_id, row)
        else:
            problems += _disagreements(draft, row, mapping)
        draft.lines.append(row.line)
        _add_ledger(draft, row)
    return list(drafts.values()), problems


def _new_draft(external_id: str, row: Row) -> CaseDraft:
    values = row.values
    debtor = {key: values[name] for name, key in DEBTOR.items() if name in values}
    unit = {key: values[name] for name, key in UNIT.items() if name in values}
    issue = {name: values[name] for name in ("kind", "notice_language") if name in values}
    draft = CaseDraft(
        external_id=external_id,
        first_line=row.line,
        payload={
            "external_id": external_id,
            "debtor": debtor,
            "unit": unit,
            "basis": [],
            "charges": [],
            "payments": [],
        },
        issue=issue,
    )
    draft.sources["debtor"] = (row.line, "full_name")
    draft.sources["unit"] = (row.line, "unit_type")
    return draft


def _disagreements(draft: CaseDraft, row: Row, mapping: ColumnMapping) -> list[RowProblem]:
    first = draft.payload
    problems = []
    for name in CASE_LEVEL:
        if name in DEBTOR:
            earlier = first["debtor"].get(DEBTOR[name])
        elif name in UNIT:
            earlier = first["unit"].get(UNIT[name])
        else:
            earlier = draft.issue.get(name)
        later = row.values.get(name)
        if later is not None and earlier is not None and later != earlier:
            problems.append(
                RowProblem(
                    row.line,
                    mapping.columns.get(name, name),
                    name,
                    "inconsistent",
                    f"account {draft.external_id} has «{earlier}» at line {draft.first_line}",
                )
            )
    return problems


def _add_ledger(draft: CaseDraft, row: Row) -> None:
    values, payload = row.values, draft.payload
    contribution = values.get("contribution")
    if contribution is not None and not any(
        b["contribution"] == contribution for b in payload["basis"]
    ):
        basis: dict[str, Any] = {
            "contribution": contribution,
            "protocol": {
                "number": values.get("protocol_number"),
                "date": values.get("protocol_date"),
            },
        }
        if "monthly_amount" in values:
            basis["monthly_amount"] = values["monthly_amount"]
        draft.sources[f"basis.{len(payload['basis'])}"] = (row.line, "protocol_number")
        payload["basis"].append(basis)
    if "charged" in values and Decimal(values["charged"]) != 0:
        charge = {
            "period": values.get("period"),
            "contribution": contribution,
            "amount": values["charged"],
        }
        if "due_date" in values:
            charge["due_date"] = values["due_date"]
        draft.sources[f"charges.{len(payload['charges'])}"] = (row.line, "charged")
        payload["charges"].append(charge)
    if "paid" in values and Decimal(values["paid"]) != 0:
        payment = {"date": values.get("payment_date"), "amount": values["paid"]}
        if "payment_reference" in values:
            payment["reference"] = values["payment_reference"]
        draft.sources[f"payments.{len(payload['payments'])}"] = (row.line, "paid")
        payload["payments"].append(payment)


FIELD_OF_PATH = {
    ("debtor", "full_name"): "full_name",
    ("debtor", "iin"): "iin",
    ("debtor", "language"): "language",
    ("debtor", "email"): "email",
    ("debtor", "phone"): "phone",
    ("debtor", "postal_address"): "postal_address",
    ("unit", "type"): "unit_type",
    ("unit", "number"): "unit_number",
    ("unit", "area_m2"): "area_m2",
    ("basis", "contribution"): "contribution",
    ("basis", "protocol"): "protocol_number",
    ("basis", "monthly_amount"): "monthly_amount",
    ("charges", "period"): "period",
    ("charges", "contribution"): "contribution",
    ("charges", "amount"): "charged",
    ("charges", "due_date"): "due_date",
    ("payments", "date"): "payment_date",
    ("payments", "amount"): "paid",
    ("payments", "reference"): "payment_reference",
}


def locate(draft: CaseDraft, path: str, mapping: ColumnMapping) -> tuple[int, str, str]:
    """The (line, column header, field) a case payload path such as ``charges.3.amount`` or
    ``debtor.iin`` came from; the account's first line and its column when nothing finer is
    known (``charges``: a duplicate month)."""
    parts = path.split(".")
    line, name = draft.first_line, "case"
    if parts and parts[0] in ("debtor", "unit"):
        line = draft.sources[parts[0]][0]
        name = FIELD_OF_PATH.get((parts[0], parts[1]), name) if len(parts) > 1 else name
    elif len(parts) >= 2 and parts[1].isdigit():
        source = draft.sources.get(f"{parts[0]}.{parts[1]}")
        if source is not None:
            line, name = source
        if len(parts) > 2:
            name = FIELD_OF_PATH.get((parts[0], parts[2]), name)
            if parts[0] == "basis" and parts[2] == "protocol" and parts[3:] == ["date"]:
                name = "protocol_date"
    return line, mapping.columns.get(name, name), name
