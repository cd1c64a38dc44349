"""Every provision a document kind cites exists in the registry (legal/provisions)."""

from __future__ import annotations

import pytest

from service.legal.provisions import load_provisions
from service.rendering.schema import cited_provisions
from service.settings import PROJECT_ROOT


@pytest.mark.parametrize(
    ("kind", "route"),
    [
        ("reminder", None),
        ("warning", None),
        ("restructuring", None),
        ("pretrial", "notary"),
        ("pretrial", "court"),
    ],
)
def test_cited_provisions_are_in_the_registry(kind: str, route: str | None) -> None:
    registry = load_provisions(PROJECT_ROOT / "legal")
    missing = [pid for pid in cited_provisions(kind, route) if pid not in registry]
    assert missing == []


def test_court_route_cites_civil_procedure_not_notary_law() -> None:
    cited = cited_provisions("pretrial", "court")
    assert "gpk-29" in cited
    assert not [pid for pid in cited if pid.startswith("notary-")]
