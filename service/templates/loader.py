"""Reading a schema the lawyer uploads: YAML or JSON text (JSON is YAML)."""

from __future__ import annotations

import yaml

from service.errors import FieldError
from service.templates.schema import EMPTY, Schema, from_data


def parse_schema(text: str | bytes | None, path: str = "schema") -> tuple[Schema, list[FieldError]]:
    """A schema from YAML or JSON text; every problem at once."""
    if text is None or not text.strip():
        return EMPTY, []
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        return EMPTY, [FieldError(path, "invalid_schema", f"not YAML or JSON: {exc}")]
    return from_data(raw, path)
