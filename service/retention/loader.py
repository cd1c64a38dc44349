"""Read ``legal/retention/periods.yaml`` into a ``RetentionPolicy``; the provisions it is
informed by must exist in ``legal/provisions``."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import yaml

from service.errors import ConfigurationError
from service.retention.policy import RetentionPeriod, RetentionPolicy

CASE_PERIOD = "case-personal-data"


def load_policy(legal_dir: Path, provisions: Mapping[str, object]) -> RetentionPolicy:
    path = legal_dir / "retention" / "periods.yaml"
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    periods = {item["id"]: item for item in data["periods"]}
    if CASE_PERIOD not in periods:
        raise ConfigurationError(f"{path}: no {CASE_PERIOD!r} period")
    item = periods[CASE_PERIOD]
    informed_by = tuple(str(p) for p in item.get("informed_by") or ())
    unknown = [p for p in informed_by if p not in provisions]
    if unknown:
        raise ConfigurationError(f"{path}: unknown provisions {unknown}")
    period = RetentionPeriod(
        id=CASE_PERIOD,
        years=int(item["years"]),
        status=str(item.get("status", "to-confirm")),
        informed_by=informed_by,
        starts=str(item["starts"]),
    )
    archive = data.get("archive") or {}
    return RetentionPolicy(period, keep_signed_pdfs=archive.get("signed_pdfs", "keep") == "keep")
