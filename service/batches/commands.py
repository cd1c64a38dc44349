"""``talap batch FILE.xlsx|FILE.csv``: a 1C-style export checked row by row, its cases upserted,
one notice per case issued through the batch's chunks with a progress bar, the summary written
as XLSX. Run again after an interruption: the batch is found by the file's SHA-256 and goes on;
each item is issued once, ever."""

from __future__ import annotations

import argparse
import hashlib
import logging
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from service.errors import FieldError, ValidationFailed

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress, TaskID

    from service.batches.exports import CheckedExport
    from service.batches.mapping import ColumnMapping
    from service.batches.models import BatchRow
    from service.bootstrap import Wiring
    from service.creditors.auth import Principal

UPSERT_GROUP = 200
"""Cases stored per transaction: one commit (and one fsync) per group, not per case."""


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    batch = sub.add_parser(
        "batch",
        help="issue a notice for every case of a 1C-style export (XLSX or CSV), resumable",
        description=__doc__,
    )
    batch.add_argument("file", type=Path, help="the export (.xlsx or .csv)")
    batch.add_argument("--mapping", type=Path, help="column mapping YAML (default: 1C's)")
    batch.add_argument("--creditor", help="creditor id or БИН (default: the only creditor)")
    batch.add_argument("--kind", default="reminder", help="document kind (default: reminder)")
    batch.add_argument(
        "--language",
        choices=["kk", "ru", "bilingual"],
        help="the notices' language (default: each debtor's own)",
    )
    batch.add_argument(
        "--skip-bad", action="store_true", help="issue for the good accounts, skip the bad ones"
    )
    batch.add_argument("--check", action="store_true", help="only check the rows; store nothing")
    batch.add_argument("--summary", type=Path, help="summary XLSX (default: beside the file)")
    batch.add_argument("--verbose", action="store_true", help="the JSON log lines too")
    batch.set_defaults(handler=batch_command)


def batch_command(wiring: Wiring, args: argparse.Namespace) -> int:
    from rich.console import Console

    from service.batches import service
    from service.batches.loader import load_mapping

    console = Console(stderr=True)
    if not args.verbose:  # a JSON line per document would bury the progress bar
        logging.getLogger("talap").setLevel(logging.WARNING)
    path: Path = args.file
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ValidationFailed([FieldError(str(path), "not_found", "file not found")]) from None
    sha256 = hashlib.sha256(data).hexdigest()
    caller = _caller(wiring, args.creditor)
    with wiring.db.transaction(read_only=True) as session:
        batch = service.of_file(session, caller.creditor(), sha256)
    if batch is not None and not args.check:
        console.print(f"resuming batch {batch.id} of {path.name} (same SHA-256)")
    else:
        mapping = load_mapping(args.mapping)
        started, cpu = time.perf_counter(), time.process_time()
        checked = _check(path, data, mapping)
        took, cpu = time.perf_counter() - started, time.process_time() - cpu
        console.print(
            f"checked {checked.rows} rows, {len(checked.cases) + checked.bad_accounts} accounts "
            f"in {took:.2f} s ({checked.rows / max(took, 1e-9):.0f} rows/s; "
            f"CPU {cpu:.2f} s)"
        )
        if not checked.rows:
            raise ValidationFailed([FieldError(str(path), "empty", "the export has no rows")])
        if checked.problems:
            for problem in checked.problems:
                print(f"{path.name}: {problem}", file=sys.stderr)
            console.print(
                f"{len(checked.problems)} problem(s) in {checked.bad_accounts} account(s)"
            )
            if not args.skip_bad or args.check:
                console.print("nothing stored, nothing issued (--skip-bad issues the good ones)")
                return 1
        if args.check:
            return 0
        batch = _store(wiring, caller, checked, args, path, sha256, console)
    _process(wiring, batch, console)
    with wiring.db.transaction(read_only=True) as session:
        summary = service.summary_of(session, wiring.links, batch)
        counts = service.counts(session, batch.id)
    target = args.summary or path.with_name(f"{path.stem}.summary.xlsx")
    from service.kit.files import write_file_atomically

    write_file_atomically(target, summary, mode=0o644)
    console.print(
        f"batch {batch.id}: {counts.get('issued', 0)} issued, {counts.get('refused', 0)} refused, "
        f"{counts.get('error', 0)} errors; summary: {target}"
    )
    print(batch.id)
    return 0


def _check(path: Path, data: bytes, mapping: ColumnMapping) -> CheckedExport:
    from service.batches.exports import check_export
    from service.batches.sheets import UnreadableFile

    try:
        return check_export(path.name, data, mapping)
    except UnreadableFile as exc:
        raise ValidationFailed([FieldError(str(path), "unreadable", str(exc))]) from None


@contextmanager
def _bar(console: Console, description: str, total: int) -> Iterator[tuple[Progress, TaskID]]:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
    ) as progress:
        yield progress, progress.add_task(description, total=total)


def _caller(wiring: Wiring, creditor: str | None) -> Principal:
    from service.batches import repository
    from service.creditors.auth import Principal, Role

    with wiring.db.transaction(read_only=True) as session:
        creditor_id = repository.creditor_named(session, creditor)
    if creditor_id is None:
        raise ValidationFailed(
            [
                FieldError(
                    "--creditor",
                    "required",
                    "name the creditor (id or БИН): there is none, or several",
                )
            ]
        )
    return Principal(key_id="cli", role=Role.SYSTEM, creditor_id=creditor_id)


def _store(
    wiring: Wiring,
    caller: Principal,
    checked: CheckedExport,
    args: argparse.Namespace,
    path: Path,
    sha256: str,
    console: Console,
) -> BatchRow:
    from service.batches import service

    valid = checked.cases
    started, cpu = time.perf_counter(), time.process_time()
    with _bar(console, "storing cases", len(valid)) as (progress, task):
        for start in range(0, len(valid), UPSERT_GROUP):
            group = valid[start : start + UPSERT_GROUP]
            with wiring.db.transaction() as session:
                service.upsert_cases(session, wiring.clock, wiring.law.calendar, caller, group)
            progress.advance(task, len(group))
    took, cpu = time.perf_counter() - started, time.process_time() - cpu
    rate = len(valid) / max(took, 1e-9)
    console.print(
        f"stored {len(valid)} cases in {took:.2f} s ({rate:.0f} cases/s; CPU {cpu:.2f} s)"
    )
    entries = service.entries_of(valid, kind=args.kind, language=args.language)
    with wiring.db.transaction() as session:
        batch = service.accept(
            session,
            wiring.clock,
            caller,
            entries,
            chunk_size=wiring.settings.batch_chunk_size,
            source="file",
            filename=path.name,
            sha256=sha256,
        )
    console.print(f"batch {batch.id}: {batch.total} notices queued")
    return batch


def _process(wiring: Wiring, batch: BatchRow, console: Console) -> None:
    """Run the batch's chunks here (a worker elsewhere may take some too) until every item has
    an outcome."""
    from service.batches import repository, tasks
    from service.documents.bulk import ItemOutcome
    from service.outbox import tasks as outbox

    def finished() -> int:
        with wiring.db.transaction(read_only=True) as session:
            counts = repository.counts(session, batch.id)
        return batch.total - counts.get(repository.PENDING, 0)

    here, started, waited = 0, time.perf_counter(), False
    cpu = time.process_time()
    with _bar(console, "issuing", batch.total) as (progress, task):
        progress.update(task, completed=finished())

        def told(outcome: ItemOutcome) -> None:
            nonlocal here
            here += 1
            progress.advance(task)

        token = tasks.LISTENER.set(told)
        try:
            while (done := finished()) < batch.total:
                progress.update(task, completed=done)
                with wiring.db.transaction(read_only=True) as session:
                    chunks = repository.chunk_ids(session, batch.id)
                ran = [chunk for chunk in chunks if outbox.run_item(wiring, chunk) is not None]
                if not ran:
                    if not waited:
                        progress.console.print(
                            "waiting for chunks another process holds (a worker, or a run that "
                            "was stopped: its lease ends within "
                            f"{wiring.settings.batch_lease_seconds:.0f} s)"
                        )
                        waited = True
                    time.sleep(0.5)
            progress.update(task, completed=batch.total)
        finally:
            tasks.LISTENER.reset(token)
    took, cpu = time.perf_counter() - started, time.process_time() - cpu
    if here:
        rate = here / max(took, 1e-9)
        console.print(f"{here} notices in {took:.1f} s here ({rate:.1f} docs/s; CPU {cpu:.1f} s)")
