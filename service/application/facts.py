"""The facts a document is rendered from: one JSON-able snapshot, stored with the document."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

from service.application.cases import debt_view
from service.db.repositories import StoredCase
from service.domain.debt import DebtSummary
from service.domain.penalty import PenaltyResult
from service.legal.provisions import Provision

_BASIS = ("housing-34-p3", "housing-34-1-p1", "housing-34-1-p8")
_ENFORCEMENT = ("housing-34-1-p9", "housing-34-1-p10", "notary-92-1-p2-6", "notary-92-1-p3")
CITED_BY_KIND: dict[str, tuple[str, ...]] = {
    "reminder": (*_BASIS, "housing-51-1-p5-12"),
    "warning": (*_BASIS, *_ENFORCEMENT, "gk-353", "housing-51-1-p5-12"),
    "restructuring": (
        *_BASIS,
        "housing-34-1-p9",
        "housing-51-1-p2",
        "housing-51-1-p5-12",
        "gk-183",
        "notary-92-1-p2-6",
        "notary-92-1-p3",
        "language-15",
    ),
    "pretrial": (
        *_BASIS,
        *_ENFORCEMENT,
        "notary-92-2-p3",
        "notary-92-6",
        "notary-92-8",
        "housing-51-1-p5-12",
    ),
}
COURT_ROUTE: tuple[str, ...] = (
    *_BASIS,
    "housing-34-1-p9",
    "housing-34-1-p10",
    "gpk-29",
    "housing-51-1-p5-12",
)


def cited_provisions(kind: str, route: str | None = None) -> tuple[str, ...]:
    """Provisions a kind cites; a court-route letter cites the ГПК instead of notary law."""
    if kind == "pretrial" and route == "court":
        return COURT_ROUTE
    return CITED_BY_KIND.get(kind, ())


def template_version(templates_dir: Path, kind: str, language: str) -> str:
    """``kind/language@<hash>``: the content hash of the template and its shared blocks."""
    digest = hashlib.sha256()
    main = templates_dir / language / f"{kind}.typ"
    for path in [main, *sorted((templates_dir / "common").glob("*.typ"))]:
        if path.exists():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return f"{kind}/{language}@{digest.hexdigest()[:12]}"


def build_facts(
    *,
    kind: str,
    language: str,
    case: StoredCase,
    creditor_profile: dict[str, Any],
    summary: DebtSummary,
    penalty: PenaltyResult,
    provisions: dict[str, Provision],
    issue_date: dt.date,
    deadline: dt.date,
    number: str | None,
    document_id: str | None,
    verify_url: str | None,
    development_signature: bool,
    draft: bool,
    route: str | None = None,
) -> dict[str, Any]:
    debt = debt_view(summary, penalty)
    return {
        "kind": kind,
        "language": language,
        "number": number,
        "issue_date": issue_date.isoformat(),
        "deadline": deadline.isoformat(),
        "draft": draft,
        "development_signature": development_signature,
        "document_id": document_id,
        "verify_url": verify_url,
        "creditor": creditor_profile,
        "debtor": case.debtor,
        "unit": case.unit,
        "basis": case.basis,
        "debt": {
            "as_of": debt["as_of"],
            "lines": debt["lines"],
            "totals": {
                k: debt["totals"][k]
                for k in ("charged", "paid", "outstanding", "overdue", "past_gate")
            },
            "penalty": debt["penalty"],
        },
        "provisions": [
            {
                "id": pid,
                "cite": {"ru": provisions[pid].cite("ru"), "kk": provisions[pid].cite("kk")},
            }
            for pid in cited_provisions(kind, route)
            if pid in provisions
        ],
    }
