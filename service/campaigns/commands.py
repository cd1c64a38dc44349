"""``talap campaign run|status|approve``: campaigns from the command line, with the same rules
as the API — the command acts as the API key it is given (``--key`` or ``TALAP_API_KEY``), so an
approval is a person's (a lawyer's or an admin's key) and is audited under that key.

The work itself runs in the job queue (``talap serve`` or ``talap worker``); ``--follow`` draws
the run's progress with a rich progress bar until it waits for approval, or is done.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from typing import TYPE_CHECKING, Any

from service.bootstrap import Wiring

if TYPE_CHECKING:
    from service.campaigns.schemas import RunOut
    from service.creditors.auth import Principal

POLL_SECONDS = 0.5
RESTING = {"awaiting_approval", "done", "rejected"}


def add_parser(sub: Any) -> None:
    campaign = sub.add_parser("campaign", help="campaign runs: start, follow, approve")
    actions = campaign.add_subparsers(dest="action")
    key = {"help": "the API key to act as (default: $TALAP_API_KEY)"}

    run = actions.add_parser("run", help="start a run of a campaign now (it prepares drafts)")
    run.add_argument("campaign")
    run.add_argument("--key", **key)
    run.add_argument("--follow", action="store_true", help="draw its progress until it rests")
    run.set_defaults(handler=run_command)

    status = actions.add_parser("status", help="a run's state and progress")
    status.add_argument("campaign")
    status.add_argument("run")
    status.add_argument("--key", **key)
    status.add_argument("--follow", action="store_true", help="draw its progress until it rests")
    status.add_argument("--json", action="store_true", help="print the run as JSON")
    status.set_defaults(handler=status_command)

    approve = actions.add_parser(
        "approve", help="approve a run's prepared drafts (a lawyer's or an admin's key)"
    )
    approve.add_argument("campaign")
    approve.add_argument("run")
    approve.add_argument("--key", **key)
    approve.add_argument(
        "--digest", help="the drafts_digest you reviewed (default: the run's current one)"
    )
    approve.add_argument("--follow", action="store_true", help="draw the issuing and sending")
    approve.set_defaults(handler=approve_command)


def _caller(wiring: Wiring, args: argparse.Namespace) -> Principal:
    from service.creditors.service import authenticate
    from service.errors import Unauthorized

    token = args.key or os.environ.get("TALAP_API_KEY")
    if not token:
        raise Unauthorized("give --key or set TALAP_API_KEY")
    with wiring.db.transaction(read_only=True) as session:
        return authenticate(session, f"Bearer {token}")


def _read(wiring: Wiring, caller: Principal, campaign_id: str, run_id: str) -> RunOut:
    from service.campaigns import service

    with wiring.db.transaction(read_only=True) as session:
        _, run = service.get_run(session, caller, campaign_id, run_id)
        return service.run_out(session, run)


def run_command(wiring: Wiring, args: argparse.Namespace) -> int:
    from service.campaigns import service

    caller = _caller(wiring, args)
    with wiring.db.transaction() as session:
        run = service.start_run(session, wiring.clock, caller, args.campaign)
        run_id = run.id
    print(f"run {run_id} started: it prepares drafts and waits for approval", file=sys.stderr)
    if args.follow:
        _print(_follow(wiring, caller, args.campaign, run_id))
    print(run_id)
    return 0


def status_command(wiring: Wiring, args: argparse.Namespace) -> int:
    caller = _caller(wiring, args)
    found = (
        _follow(wiring, caller, args.campaign, args.run)
        if args.follow
        else _read(wiring, caller, args.campaign, args.run)
    )
    if args.json:
        print(json.dumps(found.model_dump(mode="json"), ensure_ascii=False, indent=2))
    else:
        _print(found)
    return 0


def approve_command(wiring: Wiring, args: argparse.Namespace) -> int:
    from service.campaigns import service

    caller = _caller(wiring, args)
    digest = args.digest or _read(wiring, caller, args.campaign, args.run).drafts_digest or ""
    with wiring.db.transaction() as session:
        run = service.approve(session, wiring.clock, caller, args.campaign, args.run, digest)
        approved = service.run_out(session, run)
    print(
        f"approved {approved.progress.approved} drafts (digest {digest}); issuing and sending "
        "in the job queue",
        file=sys.stderr,
    )
    if args.follow:
        _print(_follow(wiring, caller, args.campaign, args.run))
    return 0


def _follow(wiring: Wiring, caller: Principal, campaign_id: str, run_id: str) -> RunOut:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[detail]}"),
        console=Console(stderr=True),
    ) as bar:
        task = bar.add_task("choosing cases", total=None, detail="")
        while True:
            found = _read(wiring, caller, campaign_id, run_id)
            p = found.progress
            if found.state in ("selecting", "preparing", "awaiting_approval"):
                done, total = p.prepared + p.refused, p.total
                detail = f"refused {p.refused}"
            elif found.state == "issuing":
                done, total = p.issued + p.stale + p.failed, p.approved
                detail = f"sent {p.sent}, stale {p.stale}, failed {p.failed}"
            else:
                done, total = p.sent + p.send_failed, p.issued
                detail = f"issued {p.issued}, stale {p.stale}, failed {p.failed + p.send_failed}"
            bar.update(task, description=found.state, completed=done, total=total, detail=detail)
            if found.state in RESTING:
                return found
            time.sleep(POLL_SECONDS)


def _print(run: RunOut) -> None:
    p = run.progress
    print(f"run {run.id}: {run.state}")
    print(
        f"  cases {p.total}, prepared {p.prepared}, refused {p.refused}, approved {p.approved}, "
        f"issued {p.issued}, stale {p.stale}, failed {p.failed}, queued {p.queued}, "
        f"sent {p.sent}, send failed {p.send_failed}"
    )
    if run.state == "awaiting_approval":
        print(f"  drafts_digest {run.drafts_digest}")
    if run.decided_by:
        print(f"  decided by {run.decided_by} at {run.decided_at}")
    for refusal in run.refusals:
        reasons = [f"{e.get('path')}: {e.get('code')}" for e in refusal.errors]
        reasons += [str(v.get("rule")) for v in refusal.violations]
        print(f"  {refusal.case} {refusal.status}: {'; '.join(reasons)}")
