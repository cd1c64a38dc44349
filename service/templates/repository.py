"""Templates and versions in the database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.templates import schema as schemas
from service.templates.lifecycle import State, Status
from service.templates.models import TemplateRow, TemplateVersionRow
from service.templates.stale import parse_cited
from service.templates.version import SHARED, VersionInfo, template_id


def info_of(row: TemplateVersionRow, template: TemplateRow) -> VersionInfo:
    parsed, _ = schemas.from_data(row.schema)
    return VersionInfo(
        id=row.id,
        author=row.author,
        status=Status(row.status),
        approved_by=row.approved_by,
        approved_at=row.approved_at,
        live_from=row.live_from,
        retired_at=row.retired_at,
        retired_by=row.retired_by,
        kind=template.kind,
        language=template.language,
        creditor_id=template.creditor_id,
        engine=row.engine,
        entry=row.entry,
        size=row.size,
        schema=parsed,
        provisions=tuple(parse_cited(row.provisions)),
        changelog=row.changelog,
        created_at=row.created_at,
    )


def template(
    session: Session, creditor_id: str | None, kind: str, language: str
) -> TemplateRow | None:
    return session.get(TemplateRow, template_id(creditor_id, kind, language))


def ensure_template(
    session: Session, creditor_id: str | None, kind: str, language: str, now: dt.datetime
) -> TemplateRow:
    found = template(session, creditor_id, kind, language)
    if found is None:
        found = TemplateRow(
            id=template_id(creditor_id, kind, language),
            scope=creditor_id or SHARED,
            creditor_id=creditor_id,
            kind=kind,
            language=language,
            created_at=now,
        )
        session.add(found)
        session.flush()
    return found


def versions_of(session: Session, templates: Iterable[TemplateRow]) -> list[VersionInfo]:
    by_id = {t.id: t for t in templates}
    if not by_id:
        return []
    rows = session.scalars(
        select(TemplateVersionRow)
        .where(TemplateVersionRow.template_id.in_(by_id))
        .order_by(TemplateVersionRow.created_at, TemplateVersionRow.id)
    )
    return [info_of(row, by_id[row.template_id]) for row in rows]


def templates_for(
    session: Session, creditor_id: str | None, *, all_creditors: bool = False
) -> list[TemplateRow]:
    """The shared templates and ``creditor_id``'s own (every creditor's for ``all_creditors``)."""
    query = select(TemplateRow).order_by(TemplateRow.kind, TemplateRow.language, TemplateRow.scope)
    if not all_creditors:
        query = query.where(
            (TemplateRow.creditor_id.is_(None)) | (TemplateRow.creditor_id == creditor_id)
        )
    return list(session.scalars(query))


def version_row(
    session: Session, version_id: str, *, lock: bool = False
) -> tuple[TemplateVersionRow, TemplateRow] | None:
    query = select(TemplateVersionRow).where(TemplateVersionRow.id == version_id)
    if lock:
        query = query.with_for_update()
    row = session.scalars(query).first()
    if row is None:
        return None
    parent = session.get(TemplateRow, row.template_id)
    assert parent is not None
    return row, parent


def write_state(row: TemplateVersionRow, state: State) -> None:
    row.status = state.status.value
    row.approved_by = state.approved_by
    row.approved_at = state.approved_at
    row.live_from = state.live_from
    row.retired_at = state.retired_at
    row.retired_by = state.retired_by


def add_version(session: Session, info: VersionInfo, template: TemplateRow) -> TemplateVersionRow:
    row = TemplateVersionRow(
        id=info.id,
        template_id=template.id,
        engine=info.engine,
        entry=info.entry,
        size=info.size,
        schema=info.schema.as_dict(),
        provisions=[c.as_dict() for c in info.provisions],
        changelog=info.changelog,
        author=info.author,
        created_at=info.created_at,
        status=info.status.value,
    )
    write_state(row, info)
    session.add(row)
    session.flush()
    return row


def exists(session: Session, version_id: str) -> bool:
    return session.get(TemplateVersionRow, version_id) is not None


def recorded(session: Session, names: set[str]) -> set[str]:
    """Which of ``names`` (archive objects) are version sources."""
    if not names:
        return set()
    return set(
        session.scalars(select(TemplateVersionRow.id).where(TemplateVersionRow.id.in_(names)))
    )
