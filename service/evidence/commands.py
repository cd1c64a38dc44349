"""``talap evidence-pack CASE``: a case's evidence pack written to a file, with progress."""

from __future__ import annotations

import argparse
from pathlib import Path

from service.bootstrap import Wiring


def pack_command(wiring: Wiring, args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from service.audit.tasks import checkpoint_round
    from service.evidence.export import export
    from service.evidence.pack import Format
    from service.evidence.packs import service as packs
    from service.kernel.route import Route
    from service.kit.files import write_file_atomically

    steps = {
        "collect": "reading and re-checking the case",
        "typeset": "typesetting the pack",
        "sign": "signing",
        "report": "typesetting the report",
        "document": "adding documents",
        "proof": "adding delivery proofs",
        "index": "signing the index",
    }
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        transient=True,
        console=Console(stderr=True),
    ) as progress:
        task = progress.add_task(steps["collect"], total=None)

        def say(step: str) -> None:
            progress.update(task, description=steps.get(step, step))

        # not a read-only GET: sign the creditor's log first, so every event of the case has
        # an inclusion proof against a checkpoint (a log that does not verify stays unsigned,
        # and the pack says so)
        with wiring.db.transaction(read_only=True) as session:
            owner = packs.pack_creditor(session, None, args.case, args.creditor)
        checkpoint_round(wiring.db, wiring.clock, wiring.signer, [owner])
        with wiring.db.transaction(read_only=True) as session:
            pack = packs.collect_pack(
                session, wiring.packing(), None, args.case, Route(args.route), creditor_id=owner
            )
            exported = export(pack, wiring.pack_ports(), Format(args.format), say)
    target = args.output or Path(exported.filename)
    write_file_atomically(target, exported.data, mode=0o644)
    missing = len(pack.missing)
    print(
        f"{target} ({len(exported.data)} bytes, {len(pack.documents)} documents, "
        f"{'valid' if pack.valid else 'INVALID'}, {missing} missing for {args.route})"
    )
    return 0 if pack.valid else 1
