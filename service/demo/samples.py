"""DEMO DATA: sample documents of every kind × language, built by the real pipeline.

A fictitious association and owner (``sample.json``): eight months of contributions from March
2026, two payments, as of 24 November 2026. The facts are built by the same code that issues
documents (``documents.builder``, the debt and penalty from ``cases``, the law from ``legal/``),
so golden images and benchmarks show what issuing produces, not hand-written figures. Dates and
numbers are fixed, so the same code gives the same PDFs.

    .venv/bin/python -m service.demo.samples OUT_DIR
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import hashlib
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from service.agreements.restructuring import Agreement, AgreementTerms, build_schedule
from service.cases.case import Basis, DebtCase, Debtor, Unit, assess
from service.cases.debt import Charge, DebtSummary, Payment
from service.creditors.creditor import Creditor
from service.documents.builder import build_facts
from service.documents.facts import DocumentFacts, Issuance, IssueRequest, RestructuringTerms
from service.documents.kinds import FactsContext, KindRegistry, default_kinds
from service.documents.numbering import format_number, register_of
from service.kernel.period import Period
from service.kernel.route import Route
from service.kit.links import Links
from service.law.context import LawContext
from service.rules.history import CaseHistory, Delivery, DeliveryStatus, IssuedDocument

AS_OF = dt.date(2026, 11, 24)
NAME = "Жақсыбеков Нұрлан Әбілқайырұлы"
NUMBERS = {
    "reminder": "00017",
    "warning": "00024",
    "restructuring": "00031",
    "pretrial": "00040",
    "statement": "00045",
}
DEADLINES = {
    "reminder": dt.date(2026, 12, 8),
    "warning": dt.date(2026, 12, 9),
    "restructuring": dt.date(2026, 12, 8),
    "pretrial": dt.date(2026, 12, 4),
}
RESTRUCTURING = RestructuringTerms(
    installments=6, first_due=dt.date(2027, 1, 10), waive_penalty=True
)


def _sample() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((Path(__file__).parent / "sample.json").read_text("utf-8"))
    return data


FORMS = ("osi", "ksk", "management_company")


def sample_creditor(form: str = "osi") -> Creditor:
    """The sample association (``osi``), or a КСК or management company managing the same
    building under a management contract with its ОСИ (housing law art. 51-4)."""
    data = _sample()
    profile = data["creditor"]
    if form != "osi":
        profile = {**profile, **data["forms"][form]}
    return Creditor.from_profile("demo-creditor", profile)


FIRST_PERIOD = Period(2026, 3)


def sample_case(months: int = 8, first: Period = FIRST_PERIOD) -> DebtCase:
    """The sample owner's case: ``months`` months of current and accumulative contributions from
    ``first``, and the two payments of the sample ledger (allocated oldest first)."""
    case = _sample()["case"]
    monthly = {b["contribution"]: Decimal(b["monthly_amount"]) for b in case["basis"]}
    basis = tuple(Basis.from_wire(b) for b in case["basis"])
    charges: list[Charge] = []
    period = first
    for _ in range(months):
        charges.extend(Charge(period, b.contribution, monthly[b.contribution]) for b in basis)
        period = period.next()
    return DebtCase(
        id="demo-case",
        creditor_id="demo-creditor",
        external_id=case["external_id"],
        debtor=Debtor(
            **{
                **case["debtor"],
                "postal_address": Debtor.address_of(case["debtor"]["postal_address"]),
            }
        ),
        unit=Unit.from_wire(case["unit"]),
        basis=basis,
        charges=tuple(charges),
        payments=tuple(
            Payment(dt.date.fromisoformat(p["date"]), Decimal(p["amount"]), p.get("reference"))
            for p in case["payments"]
        ),
    )


def sample_history(summary: DebtSummary) -> CaseHistory:
    """What a statement of the sample case lists: a delivered reminder, a warning returned and
    then handed over, an agreement offered and not yet signed."""
    offer = "0c6f3f4e-8d1a-4c55-9a0e-3b1f7e2d9002"
    documents = (
        IssuedDocument(
            kind="reminder",
            id="0c6f3f4e-8d1a-4c55-9a0e-3b1f7e2d9000",
            number="2026-00017",
            issue_date=dt.date(2026, 10, 5),
            payment_deadline=dt.date(2026, 10, 15),
            deliveries=(
                Delivery("registered_post", DeliveryStatus.DELIVERED, dt.date(2026, 10, 9)),
            ),
        ),
        IssuedDocument(
            kind="warning",
            id="0c6f3f4e-8d1a-4c55-9a0e-3b1f7e2d9001",
            number="2026-00024",
            issue_date=dt.date(2026, 10, 27),
            payment_deadline=dt.date(2026, 11, 6),
            deliveries=(
                Delivery("registered_post", DeliveryStatus.RETURNED, dt.date(2026, 11, 10)),
                Delivery("hand_delivery", DeliveryStatus.DELIVERED, dt.date(2026, 11, 12)),
            ),
        ),
        IssuedDocument(
            kind="restructuring",
            id=offer,
            number="2026-00031",
            issue_date=dt.date(2026, 11, 16),
            payment_deadline=dt.date(2026, 11, 26),
        ),
    )
    schedule = build_schedule(
        summary.overdue_lines, Decimal("0.00"), 6, dt.date(2027, 1, 10), waive_penalty=True
    )
    agreement = Agreement(
        id="demo-agreement",
        schedule=schedule,
        terms=AgreementTerms(grace_days=5, default_after_days=30),
        issued_on=dt.date(2026, 11, 16),
        document_id=offer,
    )
    return CaseHistory(debt=summary, documents=documents, agreements=(agreement,))


def sample_request(kind: str, language: str, route: Route | None = Route.NOTARY) -> IssueRequest:
    return IssueRequest(
        kind=kind,
        language=language,
        route=route if kind == "pretrial" else None,
        restructuring=RESTRUCTURING if kind == "restructuring" else None,
        deadline=DEADLINES.get(kind),
    )


def sample_facts(
    law: LawContext,
    kind: str = "reminder",
    language: str = "kk",
    *,
    request: IssueRequest | None = None,
    case: DebtCase | None = None,
    issued: bool = True,
    kinds: KindRegistry | None = None,
    history: CaseHistory | None = None,
    creditor: Creditor | None = None,
) -> DocumentFacts:
    """The facts issuing would build for the sample case on 24 November 2026."""
    request = request or sample_request(kind, language)
    case = case or sample_case()
    spec = (kinds or default_kinds()).get(request.kind)
    if spec is None:
        raise ValueError(f"no document kind {request.kind}")
    debt = assess(case, AS_OF, law.calendar, law.penalty_policy)
    if history is None:
        history = (
            sample_history(debt.summary)
            if request.kind == "statement"
            else CaseHistory(debt=debt.summary)
        )
    context = FactsContext(
        request=request,
        case=case,
        creditor=creditor or sample_creditor(),
        debt=debt,
        history=history,
        law=law,
        overrides={},
        today=AS_OF,
    )
    deadline = (request.deadline or AS_OF + dt.timedelta(days=10)) if spec.sets_deadline else None
    facts = build_facts(
        spec, context, language=spec.language_for(request.language), deadline=deadline
    )
    if not issued:
        return facts
    index = list(NUMBERS).index(spec.name) if spec.name in NUMBERS else 9
    document_id = f"0c6f3f4e-8d1a-4c55-9a0e-3b1f7e2d9{index:03d}"
    return facts.issued(
        Issuance(
            number=format_number(
                2026, int(NUMBERS.get(spec.name, "00099")), register_of(spec.name)
            ),
            document_id=document_id,
            verify_url=Links("http://127.0.0.1:8000").public_verify(_demo_token(document_id)),
            development_signature=True,
        )
    )


def _demo_token(document_id: str) -> str:
    """A fixed stand-in for the random token of the public verification URL (same length)."""
    digest = hashlib.sha256(document_id.encode()).digest()[:24]
    return base64.urlsafe_b64encode(digest).decode()


def sample_combinations() -> list[tuple[str, str]]:
    """(kind, language) of every sample: the restructuring agreement is bilingual only."""
    return [
        (kind, language)
        for kind in NUMBERS
        for language in ("kk", "ru", "bilingual")
        if kind != "restructuring" or language == "bilingual"
    ]


def write_samples(out_dir: Path) -> list[Path]:
    """Render every sample to ``out_dir/<kind>-<language>.pdf``; returns the paths written."""
    from service.bundled import bundled_dir
    from service.documents.present import present
    from service.law.loader import load_law
    from service.rendering.base import TemplateRef
    from service.rendering.typst import TypstRenderer

    law = load_law(bundled_dir("legal"))
    renderer = TypstRenderer(bundled_dir("templates"))
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, language in sample_combinations():
        facts = sample_facts(law, kind, language)
        path = out_dir / f"{kind}-{language}.pdf"
        template = TemplateRef(kind, language)
        path.write_bytes(renderer.render(template, present(facts), created=facts.issue_date))
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description="Render the demo sample documents.")
    parser.add_argument("out_dir", type=Path)
    for path in write_samples(parser.parse_args().out_dir):
        print(path)


if __name__ == "__main__":
    main()
