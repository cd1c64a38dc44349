"""Registering creditors (ОСИ, КСК or a management company acting as management subject)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm import Session

from service.clock import Clock
from service.contract import CreditorIn, parse
from service.db import repositories as repo
from service.db.models import CreditorRow


def register_creditor(session: Session, clock: Clock, payload: Any, *, actor: str) -> str:
    creditor = parse(CreditorIn, payload)
    row = CreditorRow(
        id=str(uuid.uuid4()),
        bin=creditor.bin,
        form=creditor.form,
        profile=creditor.model_dump(mode="json"),
        created_at=clock.now(),
    )
    session.add(row)
    session.flush()
    repo.append_event(
        session,
        creditor_id=row.id,
        actor=actor,
        action="CreditorRegistered",
        subject=f"creditor:{row.id}",
        payload={"bin": row.bin, "form": row.form},
        occurred_at=clock.now(),
    )
    return row.id
