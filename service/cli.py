"""``talap``: serve the API, migrate, register creditors and keys, verify documents, seed a demo.

Every command works on an empty data directory: it migrates the database once when it starts
(``talap serve`` before starting its workers, which never migrate themselves).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from service.audit import commands as audit_commands
from service.batches import commands as batch_commands
from service.bootstrap import (
    Wiring,
    build_wiring,
    describe_archive,
    migrate_database,
    sweep_archive,
)
from service.campaigns import commands as campaign_commands
from service.creditors import commands as key_commands
from service.errors import ConfigurationError, FieldError, TalapError, ValidationFailed
from service.evidence import commands as evidence_commands
from service.kit.logs import configure_logging
from service.retention import commands as retention_commands
from service.settings import Settings

Handler = Callable[[Wiring, argparse.Namespace], int]


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    if args.command == "serve" and "TALAP_PUBLIC_URL" not in os.environ:
        # Links and QR codes point at where this server listens; the workers read it too.
        os.environ["TALAP_PUBLIC_URL"] = f"http://{args.host}:{args.port}"
    try:
        settings = Settings()
        configure_logging(settings.log_level)
        wiring = build_wiring(settings)
        try:
            migrate_database(wiring)
            return handler(wiring, args)
        finally:
            wiring.close()
    except ValidationError as exc:
        print(f"error: the configuration is invalid: {_settings_problems(exc)}", file=sys.stderr)
        return 2
    except ValidationFailed as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        for error in exc.errors:
            print(f"  {error.path}: {error.code}: {error.message}", file=sys.stderr)
        return 2
    except (TalapError, ConfigurationError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def _settings_problems(exc: ValidationError) -> str:
    return "; ".join(str(e.get("msg", "")).removeprefix("Value error, ") for e in exc.errors())


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="talap", description=__doc__)
    sub = parser.add_subparsers(dest="command")

    serve = sub.add_parser("serve", help="run the HTTP API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1, help="processes (default 1)")
    serve.add_argument(
        "--no-worker",
        dest="worker",
        action="store_false",
        help="do not run a job consumer in this process (run `talap worker` instead)",
    )
    serve.set_defaults(handler=_serve)

    worker = sub.add_parser("worker", help="run the job queue's consumer (sending, retries)")
    worker.add_argument(
        "--threads", type=int, default=None, help="worker threads (default TALAP_QUEUE_WORKERS)"
    )
    worker.set_defaults(handler=_worker)

    bounces = sub.add_parser("bounces", help="receive bounces (DSNs) by SMTP at the return paths")
    bounces.add_argument("--host", default="127.0.0.1")
    bounces.add_argument("--port", type=int, default=2525)
    bounces.set_defaults(handler=_bounces)

    migrate = sub.add_parser("migrate", help="bring the database to the latest schema")
    migrate.set_defaults(handler=_migrate)

    creditors = sub.add_parser("creditors", help="manage creditors").add_subparsers(dest="action")
    add = creditors.add_parser("add", help="register a creditor from a JSON file")
    add.add_argument("file", type=Path)
    add.set_defaults(handler=_creditors_add)

    key_commands.add_parser(sub)

    verify = sub.add_parser("verify", help="check a document's hash, signature and audit trail")
    verify.add_argument("target", help="document id, or a path to a PDF")
    verify.add_argument("--json", action="store_true", help="print the full report as JSON")
    verify.set_defaults(handler=_verify)

    audit = sub.add_parser("audit", help="the audit log").add_subparsers(dest="action")
    audit_verify = audit.add_parser(
        "verify", help="recompute the audit chain and Merkle tree, check every checkpoint"
    )
    audit_verify.add_argument("--creditor", help="one creditor's log (default: every log)")
    audit_verify.add_argument("--json", action="store_true", help="print the reports as JSON")
    audit_verify.set_defaults(handler=audit_commands.verify_command)
    audit_checkpoint = audit.add_parser(
        "checkpoint", help="sign a checkpoint of each audit log that grew since its latest"
    )
    audit_checkpoint.add_argument("--creditor", help="one creditor's log (default: every log)")
    audit_checkpoint.set_defaults(handler=audit_commands.checkpoint_command)

    retention = sub.add_parser("retention", help="personal-data retention").add_subparsers(
        dest="action"
    )
    run = retention.add_parser(
        "run", help="anonymise the personal data of closed cases past retention, not on hold"
    )
    run.add_argument("--dry-run", action="store_true", help="list what would be anonymised")
    run.add_argument("--creditor", help="only this creditor's cases")
    run.set_defaults(handler=retention_commands.run_command)

    pack = sub.add_parser(
        "evidence-pack", help="a case's evidence for a notary or a court (PDF/A-3, ASiC-E, court)"
    )
    pack.add_argument("case", help="the case's external id")
    pack.add_argument("--creditor", help="creditor id (needed when several have this case)")
    pack.add_argument("--route", choices=["notary", "court"], default="notary")
    pack.add_argument("--format", choices=["pdf", "zip", "court"], default="pdf")
    pack.add_argument("-o", "--output", type=Path, help="file to write (default: its own name)")
    pack.set_defaults(handler=evidence_commands.pack_command)

    defaults = sub.add_parser(
        "announce-defaults",
        help="announce restructuring agreements in default (webhook agreement.defaulted, once "
        "each): run daily, a default can come from the passing of time alone",
    )
    defaults.set_defaults(handler=_announce_defaults)

    batch_commands.add_parser(sub)
    campaign_commands.add_parser(sub)

    demo = sub.add_parser("demo", help="seed a demo creditor and print a key and a curl line")
    demo.set_defaults(handler=_demo)
    return parser


def _announce_defaults(wiring: Wiring, args: argparse.Namespace) -> int:
    from service.agreements.service import announce_all_defaults

    with wiring.db.transaction() as session:
        announced = announce_all_defaults(session, wiring.clock, wiring.law.calendar)
    print(f"announced {announced} agreement default(s)", file=sys.stderr)
    print(announced)
    return 0


def _serve(wiring: Wiring, args: argparse.Namespace) -> int:
    print(describe_archive(wiring.archive), file=sys.stderr)
    sweep_archive(wiring)
    if wiring.signer.is_development:
        print(
            "WARNING: signing with a generated DEVELOPMENT key (documents say so); set "
            "TALAP_SIGNING_KEY for real use.",
            file=sys.stderr,
        )
    data = wiring.settings.data_dir.resolve()
    print(f"Talap on http://{args.host}:{args.port}  (data: {data})", file=sys.stderr)
    # One job consumer per `talap serve` (threads of this process, whatever --workers says).
    consumer = (
        wiring.queue.start(wiring, workers=wiring.settings.queue_workers) if args.worker else None
    )
    try:
        _run_uvicorn(wiring, args)
    finally:
        if consumer is not None:
            consumer.stop()
    return 0


def proxy_options(settings: Settings) -> dict[str, Any]:
    """uvicorn's options for proxies: only an address in ``TALAP_TRUSTED_PROXIES`` may say the
    client came over TLS (``X-Forwarded-Proto``), which gives the pages' cookies ``Secure``."""
    return {"proxy_headers": True, "forwarded_allow_ips": settings.trusted_proxies}


def _run_uvicorn(wiring: Wiring, args: argparse.Namespace) -> None:
    import uvicorn

    from service.main import create_app

    proxies = proxy_options(wiring.settings)
    if args.workers > 1:
        # This process migrated and made the signing key; each worker only wires itself up.
        uvicorn.run(
            "service.main:app_from_environment",
            factory=True,
            workers=args.workers,
            # A worker imports the renderer and the signer before it answers uvicorn's health
            # check; on a busy machine that took over uvicorn's 5 s default, and uvicorn killed
            # and restarted workers in a loop.
            timeout_worker_healthcheck=60,
            host=args.host,
            port=args.port,
            log_config=None,
            **proxies,
        )
    else:
        uvicorn.run(create_app(wiring), host=args.host, port=args.port, log_config=None, **proxies)


def _worker(wiring: Wiring, args: argparse.Namespace) -> int:
    threads = args.threads or wiring.settings.queue_workers
    print(f"Talap worker: {threads} thread(s) on {wiring.queue.name}", file=sys.stderr)
    print(describe_archive(wiring.archive), file=sys.stderr)
    wiring.queue.run(wiring, workers=threads)
    return 0


def _bounces(wiring: Wiring, args: argparse.Namespace) -> int:
    import signal
    import threading

    from service.channels.bounces import BounceListener
    from service.mail.message import attempt_of_address
    from service.mail.tasks import receive_bounce

    listener = BounceListener(
        lambda address: attempt_of_address(address) is not None,
        lambda raw, recipients: receive_bounce(wiring, raw, recipients),
        host=args.host,
        port=args.port,
    )
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    listener.start()
    print(f"Talap bounces: SMTP on {args.host}:{listener.port}", file=sys.stderr, flush=True)
    try:
        stop.wait()
    finally:
        listener.stop()
    return 0


def _migrate(wiring: Wiring, args: argparse.Namespace) -> int:
    print(describe_archive(wiring.archive), file=sys.stderr)
    swept = sweep_archive(wiring)
    print("the database is at the latest schema", file=sys.stderr)
    if swept.promoted or swept.discarded:
        print(
            f"archive: {swept.promoted} staged objects promoted, {swept.discarded} discarded",
            file=sys.stderr,
        )
    return 0


def _creditors_add(wiring: Wiring, args: argparse.Namespace) -> int:
    from service.creditors.schemas import CreditorIn
    from service.creditors.service import register_creditor
    from service.kit.fields import parse

    creditor = parse(CreditorIn, _read_json(args.file))
    with wiring.db.transaction() as session:
        creditor_id = register_creditor(session, wiring.clock, creditor, actor="cli")
    print(f"registered creditor {creditor.bin}", file=sys.stderr)
    print(creditor_id)
    return 0


def _verify(wiring: Wiring, args: argparse.Namespace) -> int:
    from service.evidence import service
    from service.evidence.schemas import FileVerifyOut, VerifyOut

    path = Path(args.target)
    report: VerifyOut | FileVerifyOut
    with wiring.db.transaction(read_only=True) as session:
        if path.exists():
            report = FileVerifyOut.of(
                service.verify_file(session, wiring.verifying(), path.read_bytes())
            )
        else:
            found = service.verify_document(session, wiring.verifying(), None, args.target)
            report = VerifyOut.of(found)
    body = report.model_dump(mode="json")
    if args.json:
        print(json.dumps(body, ensure_ascii=False, indent=2))
    else:
        _print_report(body)
    return 0 if report.valid else 1


def _print_report(report: dict[str, Any]) -> None:
    print("VALID" if report["valid"] else "INVALID")
    for name, check in report["checks"].items():
        print(f"  {name}: {'ok' if check.get('ok') else 'FAILED'}")
        problems = check.get("problems") or ([check["problem"]] if check.get("problem") else [])
        for problem in problems:
            print(f"    - {problem}")


def _demo(wiring: Wiring, args: argparse.Namespace) -> int:
    from service.demo.seed import seed_demo

    creditor_id, key, external_ids = seed_demo(wiring.db, wiring.clock)
    url = wiring.settings.public_url.rstrip("/")
    print(f"Demo creditor {creditor_id} with cases: {', '.join(external_ids)} (DEMO DATA)")
    print("The API runs with `talap serve` (./scripts/serve starts it right after this).")
    print("Issue a reminder in Kazakh:")
    print(
        f"  curl -sS -X POST {url}/v1/cases/{external_ids[0]}/documents "
        f"-H 'Authorization: Bearer {key}' -H 'Content-Type: application/json' "
        '-d \'{"kind": "reminder", "language": "kk"}\''
    )
    print("Then download it:  curl -sS -H 'Authorization: Bearer …' <pdf_url> -o reminder.pdf")
    print("system API key (shown once):")
    print(key)
    return 0


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValidationFailed([FieldError(str(path), "not_found", "file not found")]) from None
    except json.JSONDecodeError as exc:
        raise ValidationFailed([FieldError(str(path), "invalid_json", str(exc))]) from None


if __name__ == "__main__":
    raise SystemExit(main())
