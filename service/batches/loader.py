"""Reading a column mapping from YAML (the bundled ``mapping-1c.yaml`` or the user's file)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from service.batches.mapping import ColumnMapping
from service.errors import FieldError, ValidationFailed

DEFAULT_MAPPING = Path(__file__).with_name("mapping-1c.yaml")


def load_mapping(path: Path | None = None) -> ColumnMapping:
    """The mapping in ``path`` (default: the bundled 1C one); every problem of it at once."""
    source = path or DEFAULT_MAPPING
    name = str(path) if path else "mapping"
    try:
        text = source.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ValidationFailed([FieldError(name, "not_found", "file not found")]) from None
    return parse_mapping(text, name)


def parse_mapping(text: str, name: str = "mapping") -> ColumnMapping:
    """A mapping from its YAML text (an uploaded one); every problem of it at once."""
    try:
        data: Any = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ValidationFailed([FieldError(name, "invalid_yaml", str(exc))]) from None
    if not isinstance(data, dict) or not isinstance(data.get("columns"), dict):
        raise ValidationFailed([FieldError(name, "invalid_mapping", "needs a `columns:` table")])
    mapping = ColumnMapping(
        columns={str(k): str(v) for k, v in data["columns"].items() if v is not None},
        values={
            str(k): {str(word): str(value) for word, value in (table or {}).items()}
            for k, table in (data.get("values") or {}).items()
        },
        defaults={str(k): str(v) for k, v in (data.get("defaults") or {}).items()},
        header_row=int(data.get("header_row", 1)),
        sheet=data.get("sheet", 0),
    )
    problems = mapping.problems()
    if problems:
        raise ValidationFailed([FieldError(name, "invalid_mapping", p) for p in problems])
    return mapping
