"""A version's field schema (contract C3, pure): what its template reads and what the issue
request must supply.

Names under ``fields.`` come from the request's ``fields`` object; every other name (``t.creditor
.name``) is provided by Talap from the case and is declared so the checks can compare it with
what the template reads. A required ``fields.*`` the live version did not require is a breaking
change: callers that do not send it start getting 422.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from service.errors import FieldError
from service.kernel.identifiers import iban_problem, id_number_problem, normalize_iban

TYPES = (
    "text",
    "iin",
    "bin",
    "iban",
    "money",
    "date",
    "period",
    "localized",
    "table",
    "number",
    "bool",
)
REQUEST_PREFIX = "fields."
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")
_PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: str
    required: bool = False
    label: Mapping[str, str] | None = None
    columns: tuple[FieldSpec, ...] = ()
    """For a ``table``: each row's columns (names relative to the row)."""

    @property
    def from_request(self) -> bool:
        return self.name.startswith(REQUEST_PREFIX)

    @property
    def key(self) -> str:
        """The key in the request's ``fields`` object."""
        return self.name[len(REQUEST_PREFIX) :] if self.from_request else self.name

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "type": self.type}
        if self.required:
            out["required"] = True
        if self.label:
            out["label"] = dict(self.label)
        if self.columns:
            out["columns"] = [c.as_dict() for c in self.columns]
        return out


@dataclass(frozen=True)
class Schema:
    fields: tuple[FieldSpec, ...] = ()
    sample: Mapping[str, Any] = field(default_factory=dict)
    """Sample values for ``fields.*`` (the view part of a sample comes from a sample case)."""

    def request_fields(self) -> list[FieldSpec]:
        return [f for f in self.fields if f.from_request]

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"fields": [f.as_dict() for f in self.fields]}
        if self.sample:
            out["sample"] = dict(self.sample)
        return out


EMPTY = Schema()


def from_data(raw: Any, path: str = "schema") -> tuple[Schema, list[FieldError]]:
    if raw is None:
        return EMPTY, []
    if not isinstance(raw, Mapping):
        return EMPTY, [FieldError(path, "invalid_schema", "must be a mapping with `fields`")]
    errors: list[FieldError] = []
    unknown = set(raw) - {"fields", "sample"}
    if unknown:
        errors.append(
            FieldError(path, "unknown_key", f"unknown keys: {', '.join(sorted(map(str, unknown)))}")
        )
    fields = _fields(raw.get("fields") or [], f"{path}.fields", errors, top=True)
    sample = raw.get("sample") or {}
    if not isinstance(sample, Mapping):
        errors.append(FieldError(f"{path}.sample", "invalid_schema", "must be a mapping"))
        sample = {}
    return Schema(tuple(fields), dict(sample)), errors


def _fields(raw: Any, path: str, errors: list[FieldError], *, top: bool) -> list[FieldSpec]:
    if not isinstance(raw, list):
        errors.append(FieldError(path, "invalid_schema", "must be a list"))
        return []
    out: list[FieldSpec] = []
    seen: set[str] = set()
    for index, item in enumerate(raw):
        where = f"{path}.{index}"
        if not isinstance(item, Mapping):
            errors.append(FieldError(where, "invalid_schema", "must be a mapping"))
            continue
        name, kind = item.get("name"), item.get("type", "text")
        if not isinstance(name, str) or not _NAME.match(name):
            errors.append(
                FieldError(f"{where}.name", "invalid_name", f"not a field name: {name!r}")
            )
            continue
        if name in seen:
            errors.append(FieldError(f"{where}.name", "duplicate", f"{name} is declared twice"))
            continue
        seen.add(name)
        if kind not in TYPES:
            errors.append(
                FieldError(f"{where}.type", "unknown_type", f"{kind!r}; one of: {', '.join(TYPES)}")
            )
            continue
        label = item.get("label")
        if label is not None and not (
            isinstance(label, Mapping) and all(isinstance(v, str) for v in label.values())
        ):
            errors.append(FieldError(f"{where}.label", "invalid_schema", "must be {kk, ru}"))
            label = None
        columns: list[FieldSpec] = []
        if kind == "table":
            columns = _fields(item.get("columns") or [], f"{where}.columns", errors, top=False)
        out.append(
            FieldSpec(
                name=name,
                type=str(kind),
                required=bool(item.get("required", False)),
                label=dict(label) if label else None,
                columns=tuple(columns),
            )
        )
    return out


def validate(
    schema: Schema, supplied: Mapping[str, Any] | None
) -> tuple[dict[str, Any], list[FieldError]]:
    """The request's ``fields`` checked against the schema: normalised values for the view
    (``view["fields"]``) and an error per missing, invalid or undeclared field."""
    supplied = supplied or {}
    declared = {f.key: f for f in schema.request_fields()}
    values: dict[str, Any] = {}
    errors = [
        FieldError(f"fields.{key}", "unknown_field", "this template version declares no such field")
        for key in supplied
        if key not in declared
    ]
    for key, spec in declared.items():
        value = supplied.get(key)
        if value is None or value == "":
            if spec.required:
                errors.append(FieldError(f"fields.{key}", "required", "this template needs it"))
            continue
        normalised, problem = coerce(spec, value)
        if problem:
            errors.append(FieldError(f"fields.{key}", f"invalid_{spec.type}", problem))
        else:
            values[key] = normalised
    return values, errors


def coerce(spec: FieldSpec, value: Any) -> tuple[Any, str | None]:
    """``value`` as the view carries it (JSON), or why it is not a ``spec.type``."""
    kind = spec.type
    if kind == "text":
        return (value, None) if isinstance(value, str) else (None, "must be text")
    if kind in ("iin", "bin"):
        if not isinstance(value, str):
            return None, "must be 12 digits as text"
        problem = id_number_problem(value.strip())
        return (value.strip(), None) if problem is None else (None, problem)
    if kind == "iban":
        if not isinstance(value, str):
            return None, "must be text"
        problem = iban_problem(value)
        return (normalize_iban(value), None) if problem is None else (None, problem)
    if kind in ("money", "number"):
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            return None, "must be a number"
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            return None, "must be a number"
        if not number.is_finite():
            return None, "must be a finite number"
        if kind == "money":
            if number < 0 or number != number.quantize(Decimal("0.01")):
                return None, "must be a non-negative amount with at most 2 decimals"
            return str(number.quantize(Decimal("0.01"))), None
        return str(number), None
    if kind == "date":
        try:
            return dt.date.fromisoformat(str(value)).isoformat(), None
        except ValueError:
            return None, "must be a date YYYY-MM-DD"
    if kind == "period":
        return (
            (value, None)
            if isinstance(value, str) and _PERIOD.match(value)
            else (
                None,
                "must be a month YYYY-MM",
            )
        )
    if kind == "localized":
        if (
            isinstance(value, Mapping)
            and {"kk", "ru"} <= set(value)
            and all(isinstance(value[k], str) and value[k].strip() for k in ("kk", "ru"))
        ):
            return {"kk": value["kk"], "ru": value["ru"]}, None
        return None, "must be {kk, ru} with both texts"
    if kind == "bool":
        return (value, None) if isinstance(value, bool) else (None, "must be true or false")
    if kind == "table":
        return _table(spec, value)
    return None, f"unknown type {kind}"


def _table(spec: FieldSpec, value: Any) -> tuple[Any, str | None]:
    if not isinstance(value, Sequence) or isinstance(value, str):
        return None, "must be a list of rows"
    rows: list[dict[str, Any]] = []
    for index, row in enumerate(value):
        if not isinstance(row, Mapping):
            return None, f"row {index + 1} must be an object"
        out: dict[str, Any] = {}
        for column in spec.columns:
            cell = row.get(column.name)
            if cell is None or cell == "":
                if column.required:
                    return None, f"row {index + 1}: {column.name} is required"
                continue
            normalised, problem = coerce(column, cell)
            if problem:
                return None, f"row {index + 1}: {column.name} {problem}"
            out[column.name] = normalised
        rows.append(out)
    return rows, None


def breaking(live: Schema | None, candidate: Schema) -> list[str]:
    """The ``fields.*`` the candidate requires and the live version did not: callers that do
    not send them will be refused once the candidate is live."""
    before = {f.name for f in live.request_fields() if f.required} if live else set()
    return [f.name for f in candidate.request_fields() if f.required and f.name not in before]


def dumps(schema: Schema) -> str:
    return json.dumps(schema.as_dict(), ensure_ascii=False, sort_keys=True)
