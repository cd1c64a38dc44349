"""``talap``: serve the API, register creditors and keys, verify documents, seed a demo."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from service.bootstrap import Container, StartupRefused, build_container
from service.errors import TalapError, ValidationFailed
from service.settings import Settings


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    # pyHanko logs a traceback when it analyses a tampered revision; verify already reports it.
    logging.getLogger("pyhanko.sign.diff_analysis").setLevel(logging.CRITICAL)
    try:
        container = build_container(Settings())
        result: int = args.handler(container, args)
        return result
    except ValidationFailed as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        for error in exc.errors:
            print(f"  {error.path}: {error.code}: {error.message}", file=sys.stderr)
        return 2
    except (TalapError, StartupRefused) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="talap", description=__doc__)
    sub = parser.add_subparsers(dest="command")

    serve = sub.add_parser("serve", help="run the HTTP API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1, help="processes (default 1)")
    serve.set_defaults(handler=_serve)

    creditors = sub.add_parser("creditors", help="manage creditors").add_subparsers(dest="action")
    add = creditors.add_parser("add", help="register a creditor from a JSON file")
    add.add_argument("file", type=Path)
    add.set_defaults(handler=_creditors_add)

    keys = sub.add_parser("keys", help="manage API keys").add_subparsers(dest="action")
    create = keys.add_parser("create", help="create an API key (printed once)")
    create.add_argument("--creditor", help="creditor id (optional only for admin keys)")
    create.add_argument("--role", required=True, help="system | lawyer | auditor | admin")
    create.set_defaults(handler=_keys_create)

    verify = sub.add_parser("verify", help="check a document's hash, signature and audit trail")
    verify.add_argument("target", help="document id, or a path to a PDF")
    verify.add_argument("--json", action="store_true", help="print the full report as JSON")
    verify.set_defaults(handler=_verify)

    demo = sub.add_parser("demo", help="seed a demo creditor and print a key and a curl line")
    demo.set_defaults(handler=_demo)
    return parser


def _serve(c: Container, args: argparse.Namespace) -> int:
    import uvicorn

    from service.api.app import create_app

    if "public_url" not in c.settings.model_fields_set:
        # Links in responses and QR codes point at where this server actually listens.
        c.settings.public_url = f"http://{args.host}:{args.port}"
        os.environ["TALAP_PUBLIC_URL"] = c.settings.public_url  # for worker processes
    if c.signer.is_development:
        print(
            "WARNING: signing with a generated DEVELOPMENT key (documents say so); set "
            "TALAP_SIGNING_KEY for real use.",
            file=sys.stderr,
        )
    print(
        f"Talap on http://{args.host}:{args.port}  (data: {c.settings.data_dir.resolve()})",
        file=sys.stderr,
    )
    if args.workers > 1:
        # The database is migrated and the signing key exists (this process did both above),
        # so the workers only wire themselves up.
        uvicorn.run(
            "service.api.app:app_from_environment",
            factory=True,
            workers=args.workers,
            host=args.host,
            port=args.port,
            log_level="info",
        )
    else:
        uvicorn.run(create_app(c), host=args.host, port=args.port, log_level="info")
    return 0


def _creditors_add(c: Container, args: argparse.Namespace) -> int:
    from service.application.creditors import register_creditor

    payload = _read_json(args.file)
    with c.db.transaction() as session:
        creditor_id = register_creditor(session, c.clock, payload, actor="cli")
    print(f"registered creditor {payload.get('bin')}", file=sys.stderr)
    print(creditor_id)
    return 0


def _keys_create(c: Container, args: argparse.Namespace) -> int:
    from service.application.auth import create_key

    with c.db.transaction() as session:
        key = create_key(session, c.clock, creditor_id=args.creditor, role=args.role)
    print(f"{args.role} key created; it is shown only once:", file=sys.stderr)
    print(key)
    return 0


def _verify(c: Container, args: argparse.Namespace) -> int:
    from service.application import documents

    path = Path(args.target)
    if path.exists():
        report = documents.verify_file(c, path.read_bytes())
    else:
        report = documents.verify_document(c, None, args.target)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        _print_report(report)
    return 0 if report["valid"] else 1


def _print_report(report: dict[str, Any]) -> None:
    print("VALID" if report["valid"] else "INVALID")
    for name, check in report["checks"].items():
        print(f"  {name}: {'ok' if check.get('ok') else 'FAILED'}")
        problems = check.get("problems") or ([check["problem"]] if check.get("problem") else [])
        for problem in problems:
            print(f"    - {problem}")


def _demo(c: Container, args: argparse.Namespace) -> int:
    from service.demo.seed import seed_demo

    creditor_id, key, external_ids = seed_demo(c)
    url = c.settings.public_url.rstrip("/")
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
        raise ValidationFailed([_file_error(path, "not_found", "file not found")]) from None
    except json.JSONDecodeError as exc:
        raise ValidationFailed([_file_error(path, "invalid_json", str(exc))]) from None


def _file_error(path: Path, code: str, message: str) -> Any:
    from service.errors import FieldError

    return FieldError(str(path), code, message)


if __name__ == "__main__":
    raise SystemExit(main())
