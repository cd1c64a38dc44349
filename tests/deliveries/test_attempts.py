"""The delivery contract other lanes call: ``start_attempt`` and ``append_event`` on the real
database and archive — every event a row, raw receipts archived write-once under their SHA-256,
a terminal state kept against late events, whether the legal outcome changed, audit events."""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.audit.repository import events_for
from service.bootstrap import Wiring
from service.deliveries import repository
from service.deliveries.outcome import Event, EventStatus, fold
from service.deliveries.service import System, append_event, start_attempt
from service.errors import NotFound, ValidationFailed
from tests.api import Tenant, issued

SENDER = System("email")
DSN = b"Reporting-MTA: dns; mx.example.kz\r\nAction: delivered\r\nStatus: 2.0.0\r\n"


def at(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, 24, hour, minute, tzinfo=dt.UTC)


@pytest.fixture
def document(client: TestClient, tenant: Tenant, contract_case: dict[str, Any]) -> str:
    reminder: str = issued(client, tenant, {"kind": "reminder", "language": "kk"})["id"]
    return reminder


def test_an_e_mail_attempt_from_queued_to_delivered_and_a_late_event_kept(
    wiring: Wiring, document: str
) -> None:
    with wiring.db.transaction() as session:
        attempt = start_attempt(
            session,
            wiring.clock,
            SENDER,
            document_id=document,
            channel="email",
            recipient="n.zhaksybekov@example.kz",
            tracking_number=None,
        )
        delivery_id = attempt.id
        assert (attempt.state, attempt.outcome, attempt.actor) == (
            "queued",
            "unknown",
            "system:email",
        )

    def event(status: str, moment: dt.datetime, raw: bytes | None = None) -> Any:
        with wiring.db.transaction() as session:
            return append_event(
                session,
                wiring.clock,
                wiring.archive,
                delivery_id=delivery_id,
                status=status,
                occurred_at=moment,
                source="smtp",
                raw=raw,
            )

    sent = event("sent", at(9, 1))
    assert sent.applied and not sent.changed and sent.outcome == "unknown"  # no receipt yet
    delivered = event("delivered", at(9, 5), DSN)
    assert delivered.changed and delivered.outcome == "delivered"
    assert delivered.legal_date == dt.date(2026, 11, 24)
    stale = event("sending", at(9, 0))
    assert not stale.applied and not stale.changed and stale.outcome == "delivered"
    again = event("delivered", at(9, 5), DSN)  # the provider repeats its report
    assert again.duplicate and again.event_id == delivered.event_id and not again.changed

    with wiring.db.transaction() as session:
        rows = repository.events_of(session, [delivery_id])[delivery_id]
        attempt = repository.find(session, delivery_id)
        assert attempt is not None and attempt.state == "delivered"
        assert attempt.legal_date == dt.date(2026, 11, 24)
        assert [r.status for r in rows] == ["sent", "delivered", "sending"]
        receipt = rows[1].receipt_sha256
        assert receipt == hashlib.sha256(DSN).hexdigest() and rows[1].receipt_size == len(DSN)
        actions = [e.action for e in events_for(session, attempt.creditor_id)]
    assert wiring.archive.get(receipt) == DSN  # promoted after the commit, write-once
    tail = actions[actions.index("DeliveryAttemptStarted") :]
    assert tail == [
        "DeliveryAttemptStarted",
        "DeliveryEventAppended",
        "DeliveryEventAppended",
        "DeliveryOutcomeChanged",
        "DeliveryEventAppended",
    ]


def test_a_permanent_failure_is_not_delivered_and_stays_so(wiring: Wiring, document: str) -> None:
    with wiring.db.transaction() as session:
        attempt = start_attempt(
            session,
            wiring.clock,
            SENDER,
            document_id=document,
            channel="email",
            recipient=None,
            tracking_number=None,
        )
        failed = append_event(
            session,
            wiring.clock,
            wiring.archive,
            delivery_id=attempt.id,
            status="permanent_failure",
            occurred_at=at(10),
            source="dsn",
            details={"smtp_status": "5.1.1"},
        )
        late = append_event(
            session,
            wiring.clock,
            wiring.archive,
            delivery_id=attempt.id,
            status="delivered",
            occurred_at=at(11),
            source="dsn",
        )
    assert failed.changed and failed.outcome == "not_delivered" and failed.legal_date is None
    assert not late.applied and late.outcome == "not_delivered"


def test_unknown_status_channel_or_delivery_are_refused(wiring: Wiring, document: str) -> None:
    with wiring.db.transaction() as session:
        with pytest.raises(ValidationFailed) as channel:
            start_attempt(
                session,
                wiring.clock,
                SENDER,
                document_id=document,
                channel="pigeon",
                recipient=None,
                tracking_number=None,
            )
        assert channel.value.errors[0].code == "unknown_channel"
        hand = start_attempt(
            session,
            wiring.clock,
            SENDER,
            document_id=document,
            channel="hand",
            recipient=None,
            tracking_number=None,
        )
        assert hand.channel == "hand_delivery"
        with pytest.raises(ValidationFailed) as status:
            append_event(
                session,
                wiring.clock,
                wiring.archive,
                delivery_id=hand.id,
                status="lost",
                occurred_at=at(10),
                source="client",
            )
        assert status.value.errors[0].path == "status"
        with pytest.raises(NotFound):
            append_event(
                session,
                wiring.clock,
                wiring.archive,
                delivery_id="no-such-attempt",
                status="sent",
                occurred_at=at(10),
                source="client",
            )
        with pytest.raises(NotFound):
            start_attempt(
                session,
                wiring.clock,
                SENDER,
                document_id="no-such-document",
                channel="sms",
                recipient=None,
                tracking_number=None,
            )


def test_concurrent_events_for_one_attempt_leave_the_state_their_fold_says(
    wiring: Wiring, document: str
) -> None:
    """Two providers report at once (on PostgreSQL truly in parallel): each append folds under
    the attempt's row lock, so the cached state is always what all the events fold to."""
    for round_ in range(5):
        with wiring.db.transaction() as session:
            delivery_id = start_attempt(
                session, wiring.clock, SENDER, document_id=document, channel="sms",
                recipient=None, tracking_number=None,
            ).id  # fmt: skip
        failures = _in_parallel(
            wiring, delivery_id, [("sent", at(10, 1)), ("delivered", at(10, 2 + round_))]
        )
        assert failures == []
        with wiring.db.transaction(read_only=True) as session:
            attempt = repository.find(session, delivery_id)
            rows = repository.events_of(session, [delivery_id])[delivery_id]
            folded = fold(Event(EventStatus(r.status), r.occurred_at, r.id) for r in rows)
            assert attempt is not None and len(rows) == 2
            assert attempt.state == "delivered" == folded.state
            assert attempt.legal_date == dt.date(2026, 11, 24)


def _in_parallel(
    wiring: Wiring, delivery_id: str, reports: list[tuple[str, dt.datetime]]
) -> list[BaseException]:
    start = threading.Barrier(len(reports))
    failures: list[BaseException] = []

    def report(status: str, moment: dt.datetime) -> None:
        try:
            start.wait()
            with wiring.db.transaction() as session:
                append_event(
                    session, wiring.clock, wiring.archive, delivery_id=delivery_id,
                    status=status, occurred_at=moment, source=f"gw-{status}",
                )  # fmt: skip
        except BaseException as exc:  # reported to the test
            failures.append(exc)

    threads = [threading.Thread(target=report, args=item) for item in reports]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return failures
