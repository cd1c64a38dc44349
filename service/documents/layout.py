"""Laying out and signing a numbered document: the picked version's engine, then the signer.
No database: safe in a worker thread (bulk issuing renders and signs in a pool)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from service.documents.present import present
from service.rendering.engines import render_many

if TYPE_CHECKING:
    from service.documents.facts import DocumentFacts
    from service.documents.service import Issuing, Numbered, Prepared


def render(ports: Issuing, prepared: Prepared, facts: DocumentFacts) -> bytes:
    """The PDF of ``facts`` laid out by the picked version through its engine."""
    version = prepared.version
    assert version is not None  # prepared.ready() passed: a version was picked
    engine = ports.templates.engines.get(version.engine)
    view = _view(prepared, facts)
    return engine.render(version.id, version.bundle, view, created=facts.issue_date).pdf


def render_signed(ports: Issuing, prepared: Prepared, numbered: Numbered) -> bytes:
    """The signed PDF of a numbered document (no database: safe in a worker thread)."""
    return _sign(ports, render(ports, prepared, numbered.issued), numbered)


def render_signed_many(
    ports: Issuing, jobs: Sequence[tuple[Prepared, Numbered]]
) -> list[bytes | Exception]:
    """The signed PDFs of numbered documents of one template version and issue date, laid out
    together where the engine can (``rendering.engines.render_many``); each outcome is the
    document's signed PDF or what failed for it alone (no database: safe in a worker thread)."""
    if not jobs:
        return []
    first = jobs[0][0].version
    assert first is not None  # prepared.ready() passed: a version was picked
    if any(p.version is None or p.version.id != first.id for p, _ in jobs) or (
        len({n.issued.issue_date for _, n in jobs}) > 1
    ):
        raise ValueError("render_signed_many takes documents of one version and issue date")
    engine = ports.templates.engines.get(first.engine)
    views = [_view(p, n.issued) for p, n in jobs]
    created = jobs[0][1].issued.issue_date
    rendered = render_many(engine, first.id, first.bundle, views, created=created)
    signed: list[bytes | Exception] = []
    for (_, numbered), outcome in zip(jobs, rendered, strict=True):
        if isinstance(outcome, Exception):
            signed.append(outcome)
            continue
        try:
            signed.append(_sign(ports, outcome.pdf, numbered))
        except Exception as failed:  # this document's own outcome: its number is voided
            signed.append(failed)
    return signed


def _view(prepared: Prepared, facts: DocumentFacts) -> dict[str, Any]:
    """What the template reads: the presented facts and the version's own fields."""
    return {**present(facts), "fields": dict(prepared.fields or {})}


def _sign(ports: Issuing, pdf: bytes, numbered: Numbered) -> bytes:
    issued = numbered.issued
    return ports.signer.sign(
        pdf, reason=f"{issued.kind} № {numbered.number}", location="Kazakhstan"
    )
