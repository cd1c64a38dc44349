"""``talap retention run``: anonymise the cases whose retention period has ended."""

from __future__ import annotations

import argparse
import sys

from service.bootstrap import Wiring


def run_command(wiring: Wiring, args: argparse.Namespace) -> int:
    """Plan in one read-only transaction, then one transaction per case to anonymise (each
    re-checks its case under lock: a hold placed meanwhile wins)."""
    from service.retention import service
    from service.retention.loader import load_policy
    from service.retention.policy import Verdict

    policy = load_policy(wiring.settings.legal_dir, wiring.law.provisions)
    period = policy.period
    today = wiring.clock.today()
    if period.status != "confirmed":
        print(
            f"note: the retention period ({period.years} years after a case closes) is "
            f"{period.status}: policy, not law (legal/retention/periods.yaml)",
            file=sys.stderr,
        )
    with wiring.db.transaction(read_only=True) as session:
        planned = service.plan(session, policy, today, args.creditor)
    due = [a for a in planned if a.verdict is Verdict.ANONYMISE]
    held = [a for a in planned if a.verdict is Verdict.HELD]
    for item in held:
        print(f"held      {item.facts.external_id}  (retention ended {item.retention_ends})")
    done = 0
    for item in due:
        if args.dry_run:
            print(f"would     {item.facts.external_id}  (retention ended {item.retention_ends})")
            continue
        with wiring.db.transaction() as session:
            found = service.anonymise_case(
                session, policy, item.facts.case_id, today, wiring.clock.now()
            )
        if found is not None and found.verdict is Verdict.ANONYMISE:
            done += 1
            print(f"anonymised {item.facts.external_id}  (retention ended {item.retention_ends})")
        else:
            verdict = found.verdict.value if found else "gone"
            print(f"skipped   {item.facts.external_id}  ({verdict} when re-checked)")
    verb = "would be anonymised" if args.dry_run else "anonymised"
    count = len(due) if args.dry_run else done
    print(f"{count} case(s) {verb}, {len(held)} held, {len(planned)} assessed", file=sys.stderr)
    return 0
