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
from service.rendering.schema import cited_provisions


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
