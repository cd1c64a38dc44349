"""Send N e-mails of one signed reminder through the outbox to a real SMTP server on loopback and
print how fast items are claimed, sent and recorded.

    .venv/bin/python -m bench.bench_email [N] [--threads T] [--database-url URL]

``drain``: this thread runs every due item (claim, build the message from the archive, SMTP,
``sent`` + outbox done in one transaction). ``consumer``: the same N items run by the job queue's
consumer (huey, T threads) after their kicks — what ``talap serve`` does in-process.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.served import fixture  # noqa: E402
from service.bootstrap import Wiring, build_wiring, migrate_database  # noqa: E402
from service.cases.schemas import CaseIn  # noqa: E402
from service.cases.service import upsert_case  # noqa: E402
from service.channels.email import SmtpConfig, SmtpMailer  # noqa: E402
from service.clock import SystemClock  # noqa: E402
from service.creditors.schemas import CreditorIn  # noqa: E402
from service.creditors.service import authenticate, create_key, register_creditor  # noqa: E402
from service.deliveries.attempts import System  # noqa: E402
from service.deliveries.service import start_attempt  # noqa: E402
from service.documents import service as documents  # noqa: E402
from service.documents.schemas import IssueIn  # noqa: E402
from service.mail.service import send_attempt  # noqa: E402
from service.outbox.tasks import drain  # noqa: E402
from service.settings import Settings  # noqa: E402
from tests.mail.smtp import Mailbox, smtp_server  # noqa: E402
from tests.postgres import throwaway_schema  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", type=int, nargs="?", default=100)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    if args.database_url and args.database_url.startswith("postgresql"):
        with throwaway_schema(args.database_url, "bench") as schema:
            run(args, schema)
    else:
        run(args, None)


def run(args: argparse.Namespace, schema: str | None) -> None:
    mailbox = Mailbox()
    with tempfile.TemporaryDirectory() as tmp, smtp_server(mailbox) as server:
        settings = Settings(
            data_dir=Path(tmp), database_url=args.database_url, database_schema=schema
        )
        mailer = SmtpMailer(SmtpConfig("127.0.0.1", server.port, "notices@osi.example.kz", "none"))
        wiring = build_wiring(settings, clock=SystemClock(), mailer=mailer)
        migrate_database(wiring)
        document_id = _issued(wiring)
        print(f"database      {wiring.db.engine.dialect.name}; queue {wiring.queue.name}")

        _queue(wiring, document_id, args.n)
        started = time.perf_counter()
        done = drain(wiring, rounds=args.n)
        elapsed = time.perf_counter() - started
        print(f"drain         {len(done)} e-mails in {elapsed:.2f} s: {len(done) / elapsed:.1f}/s")

        consumer = wiring.queue.start(wiring, workers=args.threads)
        try:
            started = time.perf_counter()
            _queue(wiring, document_id, args.n)
            mailbox.wait_for(2 * args.n, timeout=600)
            elapsed = time.perf_counter() - started
        finally:
            consumer.stop()
        sent = len(mailbox.received) - len(done)
        print(
            f"consumer      {sent} e-mails in {elapsed:.2f} s: {sent / elapsed:.1f}/s "
            f"({args.threads} threads, kicks after each commit)"
        )
        size = len(mailbox.received[0].data)
        print(f"message       {size} bytes (the PDF attached); received {len(mailbox.received)}")
        wiring.close()


def _issued(wiring: Wiring) -> str:
    with wiring.db.transaction() as session:
        creditor_id = register_creditor(
            session, wiring.clock, CreditorIn.model_validate(fixture("creditor.json")), actor="b"
        )
        key = create_key(session, wiring.clock, creditor_id=creditor_id, role="system")
        case = fixture("case.json")
        upsert_case(
            session,
            wiring.clock,
            creditor_id=creditor_id,
            external_id=case["external_id"],
            case_in=CaseIn.model_validate(case),
            actor="b",
        )
    with wiring.db.transaction(read_only=True) as session:
        principal = authenticate(session, f"Bearer {key}")
    with wiring.db.transaction() as session:
        issued = documents.issue(
            session,
            wiring.issuing(),
            principal,
            case["external_id"],
            IssueIn(kind="reminder", language="kk"),
        )
    return str(issued.document.id)


def _queue(wiring: Wiring, document_id: str, n: int) -> None:
    """N attempts, each in its own transaction as a request would (a kick after each commit)."""
    for _ in range(n):
        with wiring.db.transaction() as session:
            attempt = start_attempt(
                session,
                wiring.clock,
                _system(),
                document_id=document_id,
                channel="email",
                recipient="debtor@example.kz",
                tracking_number=None,
            )
            send_attempt(session, wiring.clock, wiring, attempt)


def _system() -> System:
    return System("bench")


if __name__ == "__main__":
    main()
