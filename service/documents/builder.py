"""Building a document's facts: the common facts once, then the parts its kind adds."""

from __future__ import annotations

import datetime as dt

from service.documents.facts import Citation, DocumentFacts
from service.documents.kinds.spec import FactsContext, KindSpec


def build_facts(
    spec: KindSpec, context: FactsContext, *, language: str, deadline: dt.date | None
) -> DocumentFacts:
    route = context.request.route if spec.needs_route else None
    provisions = context.law.provisions
    return DocumentFacts(
        kind=spec.name,
        language=language,
        issue_date=context.today,
        deadline=deadline,
        creditor=context.creditor,
        case=context.case,
        debt=context.debt,
        provisions=tuple(
            Citation(pid, provisions[pid].citation())
            for pid in spec.citations(route, context.creditor.form)
        ),
        route=route,
        parts={part.name: part for part in spec.parts(context)},
    )
