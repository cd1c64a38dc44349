"""``talap audit verify`` and ``talap audit checkpoint``: the provable log from the command line."""

from __future__ import annotations

import argparse
import json
import sys

from service.bootstrap import Wiring


def _logs(wiring: Wiring, creditor: str | None) -> list[str | None]:
    from service.audit import service as audit
    from service.errors import NotFound

    with wiring.db.transaction(read_only=True) as session:
        logs = audit.logs(session)
    if creditor is None:
        return logs
    if creditor not in logs:
        raise NotFound(f"no audit log for creditor {creditor}")
    return [creditor]


def verify_command(wiring: Wiring, args: argparse.Namespace) -> int:
    """Exit 0 when every log verifies, 1 when one does not (the first event that does not match
    and every checkpoint in error are printed)."""
    from service.audit import service as audit
    from service.audit.schemas import AuditVerifyOut

    roots = wiring.verifying().roots([])
    reports = []
    for creditor_id in _logs(wiring, args.creditor):
        with wiring.db.transaction(read_only=True) as session:
            reports.append(AuditVerifyOut.of(audit.verify_log(session, creditor_id, roots)))
    if args.json:
        dumped = [r.model_dump(mode="json") for r in reports]
        print(json.dumps(dumped, ensure_ascii=False, indent=2))
    out = sys.stderr if args.json else sys.stdout  # with --json, stdout is the JSON alone
    for report in reports:
        name = report.creditor_id or "(no creditor)"
        if report.ok:
            print(
                f"audit log {name}: OK ({report.events} events, {report.checkpoints} "
                f"checkpoints, root {report.root_hash})",
                file=out,
            )
            continue
        print(f"audit log {name}: FAILED", file=out)
        if report.first_mismatch is not None:
            m = report.first_mismatch
            where = f"{m.event_id} (sequence {m.sequence})"
            print(f"  first event that does not match: {where}", file=out)
            print(f"    {m.problem}", file=out)
        for problem in report.checkpoint_problems:
            print(f"  checkpoint {problem.checkpoint_id}: {problem.problem}", file=out)
    return 0 if all(r.ok for r in reports) else 1


def checkpoint_command(wiring: Wiring, args: argparse.Namespace) -> int:
    from service.audit.tasks import checkpoint_round

    logs = None if args.creditor is None else _logs(wiring, args.creditor)
    done = checkpoint_round(wiring.db, wiring.clock, wiring.signer, logs)
    for checkpoint in done.made:
        name = checkpoint.creditor_id or "(no creditor)"
        print(f"audit log {name}: checkpoint of {checkpoint.tree_size} events, {checkpoint.root}")
    for creditor_id, why in done.refused:
        print(f"audit log {creditor_id or '(no creditor)'}: not signed: {why}", file=sys.stderr)
    if not done.made and not done.refused:
        print("no audit log grew since its latest checkpoint", file=sys.stderr)
    return 1 if done.refused else 0
