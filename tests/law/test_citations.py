"""Every provision a document kind cites exists in the registry (legal/provisions), and a court
route letter cites the ГПК, never notary law."""

from __future__ import annotations

import pytest

from service.documents.kinds import default_kinds
from service.kernel.route import Route
from tests.cases.builders import law

KINDS = default_kinds()


@pytest.mark.parametrize(
    ("kind", "route"),
    [
        ("reminder", None),
        ("warning", None),
        ("restructuring", None),
        ("pretrial", Route.NOTARY),
        ("pretrial", Route.COURT),
    ],
)
def test_cited_provisions_are_in_the_registry(kind: str, route: Route | None) -> None:
    spec = KINDS.get(kind)
    assert spec is not None
    cited = spec.citations(route)
    assert cited, "every kind cites its basis"
    assert law().unknown_provisions(cited) == []


def test_court_route_cites_civil_procedure_not_notary_law() -> None:
    spec = KINDS.get("pretrial")
    assert spec is not None
    cited = spec.citations(Route.COURT)
    assert "gpk-29" in cited
    assert not [pid for pid in cited if pid.startswith("notary-")]
    assert "notary-92-6" in spec.citations(Route.NOTARY)
